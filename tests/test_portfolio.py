import io
from pathlib import Path

import pytest

from cxsite.errors import InputError
from cxsite.portfolio import parse_shard, pick_shard
from cxsite.progress import Progress


def test_all_clients_one_site_each(tmp_path, cli):
    from conftest import copy_project

    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "sites"
    code, stdout, err = cli("--project", root, "build", "--all-clients", "--out", out, "--jobs", "2")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [".cxsite-made", ".cxsite-stamps", "tiny-co", "zebracorn-holdings"]
    assert "Zebracorn" not in (out / "tiny-co" / "index.html").read_text()
    assert (out / "zebracorn-holdings" / "engagements" / "zebra-2026" / "index.html").is_file()


def _states(stdout):
    return sorted(line.split()[0] + " " + Path(line.split()[1]).name for line in stdout.splitlines())


def test_only_clients_whose_inputs_changed_are_rebuilt(tmp_path, cli):
    from conftest import copy_project

    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "sites"
    run = ("--project", root, "build", "--all-clients", "--out", out)
    assert cli(*run)[0] == 0
    code, stdout, _ = cli(*run)
    assert code == 0 and _states(stdout) == ["unchanged tiny-co", "unchanged zebracorn-holdings"]
    responses = root / "engagements" / "zebra-2026" / "responses.csv"
    responses.write_text(responses.read_text().replace(",4,", ",3,", 1))
    code, stdout, _ = cli(*run)
    assert _states(stdout) == ["built zebracorn-holdings", "unchanged tiny-co"]
    (root / "docs" / "reading.md").write_text("# How to read\n\nChanged.\n")  # shared by every client
    assert _states(cli(*run)[1]) == ["built tiny-co", "built zebracorn-holdings"]
    import shutil

    shutil.rmtree(out / "tiny-co")  # a site that is gone is built again, whatever its stamp
    assert _states(cli(*run)[1]) == ["built tiny-co", "unchanged zebracorn-holdings"]
    assert _states(cli(*run, "--force")[1]) == ["built tiny-co", "built zebracorn-holdings"]


def test_each_client_reads_only_its_own_engagements(tmp_path, monkeypatch):
    from conftest import copy_project

    import cxsite.load as load
    from cxsite.portfolio import build_all_clients

    root = copy_project("twoclients", tmp_path)
    read = []
    real = load.load_engagement
    monkeypatch.setattr(load, "load_engagement", lambda folder, *a: read.append(folder.name) or real(folder, *a))
    build_all_clients(root, tmp_path / "sites", jobs=1)
    # Once each to validate the portfolio, then once each for its own client's site.
    assert sorted(read) == ["tiny-2026", "tiny-2026", "zebra-2026", "zebra-2026"]


def test_shards_partition_the_clients():
    clients = [f"Client {c}" for c in "QWERTYUIOPASDFG"]
    slices = [pick_shard(clients, (i, 4)) for i in range(1, 5)]
    assert sorted(sum(slices, [])) == sorted(clients)
    assert all(len(s) in (3, 4) for s in slices)
    assert pick_shard(list(reversed(clients)), (2, 4)) == slices[1]  # input order does not matter


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x/3", "3", "1/0"])
def test_bad_shard(bad):
    with pytest.raises(InputError, match="--shard"):
        parse_shard(bad)


def test_shard_needs_all_clients(tiny, cli):
    code, _, err = cli("--project", tiny, "build", "--shard", "1/2")
    assert code == 1 and "--shard: goes with --all-clients" in err


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal_only(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    tty = FakeTTY()
    p = Progress(4, "building", stream=tty)
    for _ in range(4):
        p.step("x")
    assert "4/4" in tty.getvalue() and "ETA" in tty.getvalue()
    monkeypatch.setenv("CI", "true")
    quiet = FakeTTY()
    q = Progress(4, "building", stream=quiet)
    q.step()
    assert quiet.getvalue() == ""
    plain = io.StringIO()
    monkeypatch.delenv("CI")
    Progress(10, "building", stream=plain).step()
    assert plain.getvalue() == ""
    small = FakeTTY()
    Progress(10, "building", show=False, stream=small).step()
    assert small.getvalue() == ""


def test_validate_and_score_import_no_mkdocs_or_charts(tiny):
    import subprocess
    import sys

    code = ("import sys; from cxsite.cli import main; main(['--project', sys.argv[1], 'validate']); "
            "main(['--project', sys.argv[1], 'score', 'tiny-2026', '-o', sys.argv[2]]); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'matplotlib') "
            "or m in ('cxsite.charts', 'cxsite.pages', 'jinja2')); print(bad)")
    done = subprocess.run([sys.executable, "-c", code, str(tiny), str(tiny / "out.json")],
                          capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_single_site_build_shows_page_progress_beyond_a_few_engagements(tmp_path, cli, monkeypatch):
    import shutil

    from conftest import copy_project

    monkeypatch.delenv("CI", raising=False)
    root = copy_project("twoclients", tmp_path)
    tty = FakeTTY()
    monkeypatch.setattr("sys.stderr", tty)
    assert cli("--project", root, "build", "--site-dir", tmp_path / "two")[0] == 0
    assert tty.getvalue() == ""  # two engagements: done before a bar would help
    for wave in ("2027", "2028"):
        shutil.copytree(root / "engagements" / "tiny-2026", root / "engagements" / f"tiny-{wave}")
        yml = root / "engagements" / f"tiny-{wave}" / "engagement.yml"
        yml.write_text(yml.read_text().replace("wave: 2026", f"wave: {wave}"))
    assert cli("--project", root, "build", "--site-dir", tmp_path / "four")[0] == 0
    pages = len(list((tmp_path / "four").rglob("*.html"))) - 1  # 404.html is not a page of the nav
    bar = tty.getvalue()
    assert "rendering pages" in bar and f"{pages}/{pages}" in bar and bar.endswith("\n"), bar[-200:]


def test_portfolio_lists_the_cache_once_to_prune_it(tmp_path, cli, monkeypatch):
    import os
    import time

    from conftest import copy_project

    from cxsite.cache import CACHE_DIR, KEEP_DAYS, Cache

    root = copy_project("twoclients", tmp_path)
    stale = root / CACHE_DIR / "00" / ("0" * 64 + ".json")
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    long_ago = time.time() - (KEEP_DAYS + 1) * 86400
    os.utime(stale, (long_ago, long_ago))
    listings = []
    real = Cache._remove_older
    monkeypatch.setattr(Cache, "_remove_older", lambda self, *a: listings.append(self.folder) or real(self, *a))
    # Each client's build listing the whole cache again would grow with the square of the portfolio.
    assert cli("--project", root, "build", "--all-clients", "--out", tmp_path / "sites")[0] == 0
    assert len(listings) == 1 and not stale.exists()


def test_all_clients_zip_writes_a_zip_per_client(tmp_path, cli):
    import zipfile

    from conftest import copy_project

    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "sites"
    run = ("--project", root, "build", "--all-clients", "--zip", "--out", out)
    code, stdout, err = cli(*run)
    assert code == 0, err
    for slug in ("tiny-co", "zebracorn-holdings"):
        names = zipfile.ZipFile(out / f"{slug}.zip").namelist()
        assert f"{slug}/index.html" in names and f"{slug}/.cxsite-made" not in names
        assert f"wrote {out / slug}.zip" in stdout
    assert not any("zebra" in n for n in zipfile.ZipFile(out / "tiny-co.zip").namelist())
    code, stdout, _ = cli(*run)
    assert "unchanged" in stdout and "built" not in stdout
    (out / "tiny-co.zip").unlink()  # a zip that is gone is written again
    code, stdout, _ = cli(*run)
    assert f"wrote {out / 'tiny-co'}.zip" in stdout and (out / "tiny-co.zip").is_file()


def test_all_clients_zip_refuses_a_zip_path_that_is_a_folder(tmp_path, cli):
    from conftest import copy_project

    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "sites"
    assert cli("--project", root, "build", "--all-clients", "--out", out)[0] == 0
    (out / "tiny-co.zip").mkdir()
    stamp = (out / "zebracorn-holdings" / "index.html").stat().st_mtime_ns
    code, _, err = cli("--project", root, "build", "--all-clients", "--zip", "--out", out)
    assert code == 1 and "tiny-co.zip: is a folder" in err
    # Refused before any client was built: the other client's site is as it was.
    assert (out / "zebracorn-holdings" / "index.html").stat().st_mtime_ns == stamp
    assert not (out / "zebracorn-holdings.zip").exists()
