"""cxsite render and cxsite build --engine: the same report built without the MkDocs plugin.

The rendered folder is held by a golden file; builds by ProperDocs and
Zensical keep every promise of the MkDocs build (strict, atomic, escaped, no
suppressed figure in the engine's own search index).
"""

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import PROJECTS, copy_project, missing
from cxsite.build import build_site
from cxsite.engines import ENGINES, render_project

GOLDEN = Path(__file__).parent / "golden" / "rendered"
OTHER_ENGINES = [e for e in ENGINES if e != "mkdocs"]
ENG = "engagements/tiny-2026"
PROJECT_DATA = "which holds project data; choose a folder outside the project's data, such as rendered/"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")


def need(engine: str) -> None:
    if importlib.util.find_spec(engine) is None:
        missing(f"{engine} is not installed (the test extra brings it: pip install -e '.[test]')")


def manifest(folder: Path) -> str:
    """Every file of a folder with its SHA-256, sorted: what the golden file holds."""
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}\n"
                   for p in sorted(folder.rglob("*")) if p.is_file())


# --------------------------------------------------------------------------- cxsite render


def test_render_writes_docs_and_a_config_without_the_plugin(tiny, cli, tmp_path):
    out = tmp_path / "rendered"
    code, stdout, err = cli("--project", tiny, "render", "--out", out)
    assert code == 0, err
    assert "wrote" in stdout
    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert config["plugins"] == ["search"]  # the project's, without cxsite
    assert config["docs_dir"] == "docs" and config["site_name"] == "Tiny test project"
    assert config["extra_css"] == ["assets/cxsite.css"] and config["extra_javascript"] == ["assets/cxsite.js"]
    assert {"admonition", "md_in_html", "pymdownx.superfences"} <= set(config["markdown_extensions"])
    assert config["nav"][0] == {"Home": "index.md"}
    for path in ("index.md", f"{ENG}/index.md", f"{ENG}/dimensions/d1.md", "assets/cxsite.css",
                 "assets/cxsite.js", "questionnaires/tiny.md"):
        assert (out / "docs" / path).is_file(), path


def test_rendered_folder_matches_golden(tiny, tmp_path, update_golden):
    out = tmp_path / "rendered"
    render_project(tiny, out)
    got = {"mkdocs.yml": (out / "mkdocs.yml").read_text(), "files.txt": manifest(out)}
    if update_golden:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in got.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    for name, text in got.items():
        assert text == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_render_is_byte_identical_and_holds_the_pages_the_plugin_makes(tiny, tmp_path):
    from cxsite.load import load_project
    from cxsite.pages import build_pages

    render_project(tiny, tmp_path / "one")
    render_project(tiny, tmp_path / "two")
    assert manifest(tmp_path / "one") == manifest(tmp_path / "two")
    pages = build_pages(load_project(tiny)).pages
    for path, text in pages.items():
        assert (tmp_path / "one" / "docs" / path).read_text(encoding="utf-8") == text, path


def test_render_keeps_the_users_extensions_theme_folder_and_hand_written_pages(tiny, tmp_path):
    config = tiny / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n", "  font: false\n  custom_dir: overrides\n")
                      .replace("  - tables\n", "  - tables\n  - toc:\n      toc_depth: 2\n"))
    (tiny / "overrides").mkdir()
    (tiny / "overrides" / "main.html").write_text('{% extends "base.html" %}')
    (tiny / "docs" / "about.md").write_text("# About\n")
    (tiny / "docs" / "index.md").write_text("---\ntitle: Home\n---\nOUR OWN INTRO\n")
    (tiny / "docs" / ".hidden.md").write_text("# not published\n")
    out = tmp_path / "rendered"
    render_project(tiny, out)
    rendered = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert rendered["theme"]["custom_dir"] == "overrides"
    assert (out / "overrides" / "main.html").is_file()
    assert {"toc": {"toc_depth": 2}} in rendered["markdown_extensions"]
    assert rendered["nav"][-1] == "about.md"
    home = (out / "docs" / "index.md").read_text()
    assert "OUR OWN INTRO" in home and "title: Home" not in home
    assert not (out / "docs" / ".hidden.md").exists()


@pytest.mark.parametrize("out, message", [
    (".", f".: the output folder is the project folder, {PROJECT_DATA}"),
    ("docs", f"docs: the output folder is the project's docs/, {PROJECT_DATA}"),
    (ENG, f"{ENG}: the output folder is inside the project's engagements/, {PROJECT_DATA}"),
    ("mkdocs.yml", f"mkdocs.yml: the output folder is the project's mkdocs.yml, {PROJECT_DATA}"),
])
def test_render_refuses_project_data(out, message, tiny, cli, monkeypatch):
    from test_build_safety import refused, snapshot

    monkeypatch.chdir(tiny)
    before = snapshot(tiny.parent)
    assert refused(cli, "render", "--out", out) == [message]
    assert snapshot(tiny.parent) == before


def test_render_refuses_a_folder_it_did_not_make_and_a_site(tiny, cli, tmp_path):
    from test_build_safety import refused

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert refused(cli, "--project", tiny, "render", "--out", mine) == [
        f"{mine}: exists and was not made by cxsite; remove it or choose another folder"]
    assert (mine / "notes.txt").read_text() == "keep me"
    site = tmp_path / "site"
    assert cli("--project", tiny, "build", "--site-dir", site)[0] == 0
    assert refused(cli, "--project", tiny, "render", "--out", site) == [
        f"{site}: holds one client's site, not a site's source made by cxsite render; choose another folder"]


def test_failed_render_leaves_the_last_one(tiny, cli, tmp_path):
    out = tmp_path / "rendered"
    assert cli("--project", tiny, "render", "--out", out)[0] == 0
    before = manifest(out)
    q = tiny / "assessments" / "tiny.yml"
    q.write_text(q.read_text().replace("title: Tiny", "title: [Tiny"))
    code, _, err = cli("--project", tiny, "render", "--out", out)
    assert code == 1 and "assessments/tiny.yml:5:8" in err and "Traceback" not in err
    assert manifest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rendered", "tiny"]  # no staging left behind


def test_render_of_one_client_holds_nothing_of_another(tmp_path):
    from test_safety import ZEBRA_ONLY, all_text

    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "rendered"
    render_project(root, out, client="Tiny Co")
    texts = all_text(out)
    for path, text in texts.items():
        for word in ZEBRA_ONLY:
            assert word.lower() not in text.lower(), f"{word!r} leaked into {path.relative_to(out)}"


def test_hand_written_page_clashing_with_a_generated_one_is_refused(tiny, cli, tmp_path):
    (tiny / "docs" / "questionnaires").mkdir()
    (tiny / "docs" / "questionnaires" / "tiny.md").write_text("# mine\n")
    code, _, err = cli("--project", tiny, "render", "--out", tmp_path / "rendered")
    assert (code, err) == (1, "docs/questionnaires/tiny.md: clashes with a generated page; rename it\n")
    assert not (tmp_path / "rendered").exists()


def test_an_engine_that_is_not_installed_is_refused_naming_its_extra(tiny, cli, tmp_path, monkeypatch):
    import cxsite.engines

    real = importlib.util.find_spec
    monkeypatch.setattr(cxsite.engines.importlib.util, "find_spec",
                        lambda name, *a: None if name == "zensical" else real(name, *a))
    code, _, err = cli("--project", tiny, "build", "--engine", "zensical", "--site-dir", tmp_path / "site")
    assert code == 1 and "Traceback" not in err
    assert err == ("--engine: zensical is not installed; install it with pip install 'cxsite[zensical]' "
                   "(the 'zensical' extra), or build with --engine mkdocs\n")
    assert not (tmp_path / "site").exists()


def test_nav_titles_hold_nothing_that_unescapes_to_a_tag():
    from cxsite.engines import inert_titles

    nav = [{"Home": "index.md"}, {"&lt;/title&gt;&lt;script&gt;": [{"a &amp;lt;b&amp;gt;": "x.md"}, "y.md"]}]
    assert inert_titles(nav) == [{"Home": "index.md"},
                                 {"\uff1c/title\uff1e\uff1cscript\uff1e": [{"a &amp;lt;b&amp;gt;": "x.md"}, "y.md"]}]


# --------------------------------------------------------------------------- builds by each engine


class _Tags(HTMLParser):
    """Live markup an attack would need: script bodies, on* attributes, javascript: links."""

    def __init__(self):
        super().__init__()
        self.found, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src") and (value or "").startswith("javascript:")):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")

    def handle_endtag(self, tag):
        self._in_script = False


def live_markup(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.found


def search_texts(site: Path) -> dict[str, str]:
    """Each engine's own search index, as ``{location: title and text}``."""
    for name, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        if (site / name).is_file():
            entries = json.loads((site / name).read_text(encoding="utf-8"))[key]
            return {d["location"]: f"{d.get('title', '')} {d.get('text', '')}" for d in entries}
    raise AssertionError(f"no search index in {sorted(p.name for p in site.iterdir())}")


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_engine_builds_the_same_report_pages_atomically(engine, tiny, cli, tmp_path):
    need(engine)
    out = tmp_path / "site"
    code, stdout, err = cli("--project", tiny, "build", "--engine", engine, "--site-dir", out)
    assert code == 0, err
    assert stdout == f"built {out} with {engine}\n"
    for page in ("index.html", f"{ENG}/index.html", f"{ENG}/dimensions/d1/index.html", f"{ENG}/print/index.html",
                 "questionnaires/tiny/index.html", "assets/cxsite.css", ".cxsite-made"):
        assert (out / page).is_file(), page
    assert "Tiny Co scores <strong>64 out of 100</strong>" in (out / ENG / "index.html").read_text()
    assert any("Statement A" in text for text in search_texts(out).values())
    before = (out / "index.html").read_bytes()
    q = tiny / "assessments" / "tiny.yml"
    q.write_text(q.read_text().replace("title: Tiny", "title: [Tiny"))
    code, _, err = cli("--project", tiny, "build", "--engine", engine, "--site-dir", out)
    assert code == 1 and "assessments/tiny.yml:5:8" in err
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tiny"]  # no staging left behind


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_engine_warning_fails_the_strict_build_and_keeps_the_site(engine, tiny, cli, tmp_path):
    need(engine)
    out = tmp_path / "site"
    assert cli("--project", tiny, "build", "--engine", engine, "--site-dir", out)[0] == 0
    (tiny / "docs" / "broken.md").write_text("# Broken\n\n[nowhere](missing.md)\n")
    code, _, err = cli("--project", tiny, "build", "--engine", engine, "--site-dir", out)
    assert code == 1 and "Traceback" not in err, err
    assert err.startswith(f"{tiny / 'mkdocs.yml'}: ") and "build failed" in err
    assert not (out / "broken").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tiny"]


@pytest.mark.parametrize("engine", ENGINES)
def test_suppressed_group_has_no_figure_in_the_engines_search_index(engine, tmp_path):
    need(engine)
    root = copy_project("tiny", tmp_path)
    csv = root / "engagements" / "tiny-2026" / "responses.csv"
    csv.write_text(csv.read_text().replace("r5,Z,,,,,,,", "r5,Z,1,5,1,1,1,0,"))
    # X (two people) goes with Z (one): X alone would have index 78.125 and n 2.
    out = tmp_path / "site"
    build_site(root, out, engine=engine)
    texts = search_texts(out)
    seg = " ".join(t for loc, t in texts.items() if loc.startswith(f"{ENG}/segments/"))
    assert "not shown" in seg
    assert "78" not in seg


HOSTILE = "</title><script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) {{ 7*7 }}"


@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_titles_reach_every_engines_html_inert(engine, tmp_path):
    need(engine)
    root = copy_project("tiny", tmp_path)
    eng = root / ENG / "engagement.yml"
    eng.write_text(eng.read_text().replace("client: Tiny Co", f"client: '{HOSTILE}'"))
    q = root / "assessments" / "tiny.yml"
    q.write_text(q.read_text().replace("title: Dimension one", f"title: '{HOSTILE}'")
                 .replace("title: Tiny\n", f"title: '{HOSTILE}'\n").replace("text: Statement A.", f"text: '{HOSTILE}'"))
    out = tmp_path / "site"
    build_site(root, out, engine=engine)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert live_markup(html) == [], page
        assert "<title></title>" not in html, page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (out / ENG / "index.html").read_text()


def test_the_inert_check_sees_live_markup():
    assert live_markup("<title>x</title><script>alert(1)</script>") == ["<script>alert(1)"]
    assert live_markup('<img src=x onerror="alert(2)"><a href="javascript:alert(3)">') == [
        "<img onerror=alert(2)>", "<a href=javascript:alert(3)>"]


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_plain_engine_build_of_the_rendered_folder(engine, tiny, tmp_path):
    """What the issue promises: the rendered folder builds with the engine alone, no cxsite code running."""
    need(engine)
    out = tmp_path / "rendered"
    render_project(tiny, out)
    done = subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-f", "mkdocs.yml"], cwd=out,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not re.search(r"\bwarning\b", done.stdout + done.stderr, re.IGNORECASE)
    assert "Tiny Co scores <strong>64 out of 100</strong>" in (out / "site" / ENG / "index.html").read_text()


def test_example_project_fixtures_exist():
    assert (PROJECTS / "tiny" / "mkdocs.yml").is_file()


def test_a_warning_fails_a_strict_engine_build_even_when_the_engine_exits_0(tmp_path, monkeypatch):
    import cxsite.engines
    from cxsite.errors import InputError

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html></html>")
    said = "INFO    -  Building\n\x1b[33mWarning:\x1b[0m page does not exist\n   ╭─[ broken.md:3:11 ]\n"
    monkeypatch.setattr(cxsite.engines.subprocess, "run",
                        lambda *a, **k: subprocess.CompletedProcess(a, 0, said, ""))
    with pytest.raises(InputError) as err:
        cxsite.engines.run_engine("zensical", tmp_path, True, "mkdocs.yml")
    assert str(err.value) == ("mkdocs.yml: Zensical build failed (exit status 0); correct what it says, or build "
                              "with --no-strict\nWarning: page does not exist\n   ╭─[ broken.md:3:11 ]")
    assert cxsite.engines.run_engine("zensical", tmp_path, False, "mkdocs.yml") == tmp_path / "site"


def test_engine_messages_drop_tracebacks_colour_and_progress():
    from cxsite.engines import engine_messages

    output = ("Build started\n\x1b[33mWarning:\x1b[0m page does not exist\n1 issue found\n"
              "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    build()\n"
              "RuntimeError: Aborted because --strict flag is set\n")
    assert engine_messages(output) == ["Warning: page does not exist", "1 issue found"]


def test_all_clients_by_zensical_one_client_a_site_and_the_engine_in_the_stamp(tmp_path, cli):
    from test_safety import ZEBRA_ONLY, all_text

    need("zensical")
    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "dist"
    code, stdout, err = cli("--project", root, "build", "--all-clients", "--out", out, "--engine", "zensical")
    assert code == 0, err
    sites = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(sites) == 2 and all((s / "search.json").is_file() for s in sites)  # Zensical's own index
    tiny = next(s for s in sites if s.name.startswith("tiny"))
    for path, text in all_text(tiny).items():
        for word in ZEBRA_ONLY:
            assert word.lower() not in text.lower(), f"{word!r} leaked into {path.relative_to(tiny)}"
    # Built by another engine, the same inputs make another site: every client is built again.
    code, stdout, err = cli("--project", root, "build", "--all-clients", "--out", out)
    assert code == 0, err
    assert stdout.count("built ") == 2 and "unchanged" not in stdout
    assert all((s / "search" / "search_index.json").is_file() for s in sites)
