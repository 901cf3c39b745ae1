"""Every leader's site (issue 22): built fast in batches, each complete on its own, all or nothing.

The organisation is test_leaders' seeded one (a top, 4 directors, 24
managers, staff); leaders at levels 1 and 2 get a report.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest
from test_leaders import HEADER, _line, _project

from cxsite import leader_build
from cxsite.leader_build import ASSETS

EID = "tiny-2026"


def _index(out: Path) -> dict[str, dict]:
    return {x["employee_id"]: x for x in csv.DictReader((out / EID / "leaders.csv").open(encoding="utf-8"))}


def _built(stdout: str) -> set[str]:
    return {Path(line.split()[1]).name for line in stdout.splitlines() if line.startswith("built ")}


def _snapshot(out: Path) -> dict[str, tuple]:
    """Every file and folder under ``out``: its content's hash and inode (a rebuilt file has a new one)."""
    return {p.relative_to(out).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir",
                                            p.stat().st_ino) for p in sorted(out.rglob("*"))}


@pytest.fixture
def org(tiny, cli):
    """The project, its organisation, and a first build with two workers."""
    people, rows = _project(tiny, size=160, levels=(1, 2))
    out = tiny.parent / "leaders-out"
    code, stdout, err = cli("--project", tiny, "build", "--leaders", "--out", out, "--jobs", "2")
    assert code == 0, err
    return tiny, people, rows, out, stdout


def _local_refs(html: str) -> list[str]:
    refs = re.findall(r'(?:href|src)="([^"#?]+)[^"]*"', html)
    return [r for r in refs if not re.match(r"^(https?:|mailto:|data:|//)", r)]


def test_every_site_is_complete_and_works_on_its_own(org):
    tiny, people, rows, out, stdout = org
    index = _index(out)
    reported = {x["folder"] for x in index.values() if x["report"] == "yes"}
    assert reported and _built(stdout) == reported
    assert {p.name for p in (out / EID).iterdir() if p.is_dir()} == reported  # one folder a report, no leftovers
    for folder in reported:
        site = out / EID / folder
        for page in ("index.html", "method/index.html", "print/index.html", "404.html", "sitemap.xml",
                     "search/search_index.json"):
            assert (site / page).is_file(), (folder, page)
        # Every page's assets and links resolve inside the site's folder (but MkDocs' 404 page, which a
        # web server shows at any path, and so links from the server's root without a site_url).
        for page in (p for p in site.rglob("*.html") if p.name != "404.html"):
            for ref in _local_refs(page.read_text(encoding="utf-8")):
                target = (page.parent / ref).resolve()
                assert target.is_relative_to(site.resolve()), (page, ref)
                assert target.is_file() or (target / "index.html").is_file(), (page, ref)
        search = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        located = {d["location"].split("#")[0] for d in search["docs"]}
        assert located == {"", "method/"}  # its own pages; the print page repeats them, so it is not searched
        name = index[next(i for i, x in index.items() if x["folder"] == folder)]["name"]
        assert name in (site / "print" / "index.html").read_text(encoding="utf-8")
        assert 'href="print/"' not in (site / "index.html").read_text(encoding="utf-8")  # not in the navigation


def test_theme_assets_are_one_shared_copy_hard_linked_into_every_site(org):
    tiny, people, rows, out, stdout = org
    shared = [p for p in (out / ASSETS).iterdir() if not p.name.startswith(".")]
    assert len(shared) == 1
    originals = {p.relative_to(shared[0]).as_posix(): p.stat().st_ino for p in shared[0].rglob("*") if p.is_file()}
    assert any(name.endswith(".js") for name in originals) and any(name.endswith(".css") for name in originals)
    sites = [p for p in (out / EID).iterdir() if p.is_dir()]
    for site in sites:
        assets = {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*")
                  if p.is_file() and p.relative_to(site).as_posix() in originals}
        assert assets == originals, site  # every theme file, and each the shared file itself
    assert all(p.stat().st_nlink == len(sites) + 1 for p in shared[0].rglob("*") if p.is_file())


def test_assets_are_copied_where_no_link_can_be_made(tmp_path, monkeypatch):
    def refuse(src, dest):
        raise OSError(18, "Invalid cross-device link")

    (tmp_path / "a").write_text("asset")
    monkeypatch.setattr(leader_build.os, "link", refuse)
    leader_build.link_or_copy(str(tmp_path / "a"), str(tmp_path / "b"))
    assert (tmp_path / "b").read_text() == "asset" and (tmp_path / "b").stat().st_ino != (tmp_path / "a").stat().st_ino


def test_an_unchanged_rebuild_builds_nothing(org, cli):
    tiny, people, rows, out, stdout = org
    before = _snapshot(out)
    code, again, err = cli("--project", tiny, "build", "--leaders", "--out", out, "--jobs", "2")
    assert code == 0, err
    assert _built(again) == set() and again.count("unchanged ") == len(_built(stdout))
    assert _snapshot(out) == before  # not one file written again


def test_a_renamed_leader_rebuilds_only_the_sites_that_show_them(org, cli):
    """A level-1 leader's new name: their own site (a new folder), and the sites of the leaders below them,
    which show it beside their own line. Nobody else's site is built again."""
    tiny, people, rows, out, stdout = org
    index = _index(out)
    manager = dict(people)
    leader = next(i for i, x in sorted(index.items()) if x["report"] == "yes" and x["level"] == "1"
                  and any(manager[j] == i and y["report"] == "yes" for j, y in index.items()))
    path = tiny / "engagements" / EID / "hierarchy.csv"
    path.write_text(path.read_text().replace(f",Name {leader}\n", f",Renamed {leader}\n"))
    before = _snapshot(out)
    code, again, err = cli("--project", tiny, "build", "--leaders", "--out", out, "--jobs", "2")
    assert code == 0, err
    now = _index(out)
    below = {x["folder"] for j, x in index.items() if manager[j] == leader and x["report"] == "yes"}
    assert _built(again) == {now[leader]["folder"]} | below
    assert not (out / EID / index[leader]["folder"]).exists()  # the old name's folder is gone
    assert sorted(p.name for p in (out / EID).iterdir() if p.name.startswith(".")) == []  # no old site left aside
    for j, x in index.items():
        if x["report"] == "yes" and x["folder"] not in below and j != leader:
            site = f"{EID}/{x['folder']}/index.html"
            assert _snapshot(out)[site] == before[site]


def test_a_failed_build_leaves_every_earlier_site_as_it_was(org, cli, monkeypatch):
    """A MkDocs failure at the third leader of a forced rebuild: nothing of the run goes in, no staging stays."""
    tiny, people, rows, out, stdout = org
    before = _snapshot(out)
    real, calls = leader_build.build_site, []

    def failing(config_file, site_dir, assets_root):
        calls.append(site_dir)
        if len(calls) == 3:
            from mkdocs.exceptions import Abort
            raise Abort("injected failure")
        return real(config_file, site_dir, assets_root)

    monkeypatch.setattr(leader_build, "build_site", failing)
    code, _, err = cli("--project", tiny, "build", "--leaders", "--out", out, "--force")
    assert code == 1 and "MkDocs could not build this leader's site: injected failure" in err, err
    assert "Traceback" not in err and len(calls) == 3
    assert _snapshot(out) == before


def test_a_template_error_leaves_every_earlier_site_as_it_was(org, cli):
    tiny, people, rows, out, stdout = org
    # Change the answers too, so that every site would be rebuilt.
    responses = tiny / "engagements" / EID / "responses.csv"
    lines = list(csv.reader(responses.open()))
    lines[1][3] = "1" if lines[1][3] != "1" else "5"
    with responses.open("w", newline="") as f:
        csv.writer(f).writerows(lines)
    before = _snapshot(out)
    (tiny / "site_templates").mkdir(exist_ok=True)
    (tiny / "site_templates" / "leader.md.j2").write_text(
        '{% extends "default:leader.md.j2" %}\n{% block teams %}{{ no_such_thing.boom() }}{% endblock %}\n')
    code, _, err = cli("--project", tiny, "build", "--leaders", "--out", out, "--jobs", "2")
    assert code == 1 and "site_templates/leader.md.j2" in err and "Traceback" not in err, err
    assert _snapshot(out) == before


def test_shards_partition_the_leaders(org, cli):
    tiny, people, rows, out, stdout = org
    folders = []
    for i in (1, 2, 3):
        code, got, err = cli("--project", tiny, "build", "--leaders", "--out", tiny.parent / f"shard{i}",
                             "--shard", f"{i}/3", "--jobs", "2")
        assert code == 0, err
        folders.append(_built(got))
    assert all(folders) and sum(map(len, folders)) == len(_built(stdout))
    assert set().union(*folders) == _built(stdout)


def test_a_relative_out_folder_holds_complete_sites(tiny, cli, monkeypatch):
    _project(tiny, size=60, levels=(1,))
    monkeypatch.chdir(tiny.parent)
    code, stdout, err = cli("--project", tiny, "build", "--leaders", "--out", "rel-out")
    assert code == 0, err
    built = _built(stdout)
    assert built and all((tiny.parent / "rel-out" / EID / f / "index.html").is_file() for f in built)


def test_pdf_without_chromium_is_refused_before_anything_is_built(tiny, cli, monkeypatch):
    pytest.importorskip("playwright")
    _project(tiny, size=60, levels=(1,))
    monkeypatch.delenv("CXSITE_CHROMIUM", raising=False)
    monkeypatch.setattr("shutil.which", lambda name: None)
    out = tiny.parent / "pdf-out"
    code, _, err = cli("--project", tiny, "build", "--leaders", "--out", out, "--pdf")
    assert code == 1 and "--pdf: no Chromium found" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.slow
def test_each_leaders_pdf_holds_their_report_and_nobody_elses(tiny, cli):
    import shutil
    import subprocess

    if not (shutil.which("chromium") and shutil.which("pdftotext")):
        pytest.skip("needs Debian's chromium and poppler-utils")
    pytest.importorskip("playwright")
    people, rows = _project(tiny, size=90, levels=(1, 2))
    out = tiny.parent / "pdf-out"
    code, stdout, err = cli("--project", tiny, "build", "--leaders", "--out", out, "--pdf", "--jobs", "2")
    assert code == 0, err
    shown = {i: x for i, x in _index(out).items() if x["report"] == "yes"}
    assert len(shown) >= 2 and stdout.count("printed ") == len(shown)
    names = {f"Name {e}" for e, _ in people}
    manager = dict(people)
    assert any(x["level"] == "2" for x in shown.values())  # a leader with a manager's line beside theirs
    for i, x in shown.items():
        pdf = out / EID / f"{x['folder']}.pdf"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert f"Name {i}" in text, x
        assert re.search(r"Page 1 of \d+", text), x  # the footer, in the engagement's language (English here)
        allowed = {f"Name {e}" for e in _line(people, i, "full-line") | {i, manager[i]}}
        others = {n for n in names if re.search(rf"\b{re.escape(n)}\b", text)} - allowed
        assert not others, (x, others)  # nobody outside their line but their manager
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert f"Tiny Co · Tiny baseline · Name {i}" in info
        assert not (out / EID / x["folder"] / f"{x['folder']}.pdf").exists()  # beside the site, not in it
    again = cli("--project", tiny, "build", "--leaders", "--out", out, "--pdf")[1]
    assert "printed" not in again  # unchanged leaders whose PDF exists: nothing printed
    first = next(iter(shown.values()))["folder"]
    (out / EID / f"{first}.pdf").unlink()
    again = cli("--project", tiny, "build", "--leaders", "--out", out, "--pdf")[1]
    assert again.count("printed ") == 1 and f"{first}.pdf" in again and "built " not in again
    # A rebuild without --pdf drops the PDFs of the sites it changed: they would show the old figures.
    (tiny / "engagements" / EID / "responses.csv").write_text(
        ",".join(HEADER) + "\n" + "\n".join(",".join(r) for r in rows[1:]) + "\n")
    assert cli("--project", tiny, "build", "--leaders", "--out", out)[0] == 0
    assert not list((out / EID).glob("*.pdf"))


@pytest.mark.slow
def test_the_bench_times_every_leaders_site_and_counts_shared_assets_once(tmp_path):
    from bench.leaders import measure_sites, write_project

    root = write_project(tmp_path / "org", 2000, 40)
    r = measure_sites(root, tmp_path / "sites", None)
    assert r["sites"] >= 20 and r["sites_s"] > 0 and r["unchanged_s"] > 0
    # One copy of Material's assets for all the sites: far less than a copy in each.
    assert r["shared_assets_bytes"] > 1e6 and r["disk_bytes"] < 3 * r["shared_assets_bytes"] + r["sites"] * 2e5
