"""Real MkDocs builds of the mini-projects: strict, atomic, escaped."""

import re
import subprocess
from html.parser import HTMLParser
import sys

import pytest

from cxsite.build import build_site


def test_cxsite_build_strict(tiny, cli, tmp_path):
    out = tmp_path / "site"
    code, _, err = cli("--project", tiny, "build", "--site-dir", out)
    assert code == 0, err
    for page in ["index.html", "engagements/tiny-2026/index.html", "engagements/tiny-2026/methodology/index.html",
                 "engagements/tiny-2026/dimensions/d1/index.html", "questionnaires/tiny/index.html",
                 "assets/cxsite.css", "search/search_index.json"]:
        assert (out / page).is_file(), page
    overview = (out / "engagements/tiny-2026/index.html").read_text()
    assert "Tiny Co scores <strong>64 out of 100</strong>" in overview


def test_plain_mkdocs_build_uses_the_plugin(tiny, tmp_path):
    out = tmp_path / "plain"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                           str(tiny / "mkdocs.yml"), "-d", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (out / "engagements/tiny-2026/dimensions/d2/index.html").is_file()


def test_failed_build_keeps_the_last_good_site(tiny, tmp_path, cli):
    out = tmp_path / "site"
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    before = (out / "index.html").read_bytes()
    q = tiny / "assessments" / "tiny.yml"
    q.write_text(q.read_text().replace("title: Tiny", "title: [Tiny"))
    code, _, err = cli("--project", tiny, "build", "--site-dir", out)
    assert code == 1 and "assessments/tiny.yml:5:8" in err
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tiny"]  # no staging left behind


def test_mkdocs_warning_fails_strict_build_and_keeps_site(tiny, tmp_path):
    out = tmp_path / "site"
    build_site(tiny, out)
    (tiny / "docs" / "broken.md").write_text("# Broken\n\n[nowhere](missing.md)\n")
    with pytest.raises(Exception) as err:
        build_site(tiny, out)
    assert "MkDocs build failed" in str(err.value)
    assert not (out / "broken").exists()
    assert not list(tmp_path.glob(".site.*"))


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) {{ 7*7 }} {: onclick="alert(4)"}'


def test_hostile_text_reaches_html_inert(tiny, tmp_path):
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text().replace("client: Tiny Co", f"client: '{HOSTILE}'"))
    q = tiny / "assessments" / "tiny.yml"
    q.write_text(q.read_text().replace("text: Statement A.", f"text: '{HOSTILE}'")
                 .replace("description: The first dimension.", f"description: '{HOSTILE}'"))
    out = tmp_path / "site"
    build_site(tiny, out)
    for page in out.rglob("*.html"):
        html = page.read_text()
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", ""), page
        assert 'href="javascript:' not in html, page
        assert 'onclick="alert' not in html, page
        # Provenance prints file digests and the build time, where "49" may occur by chance.
        shown = re.sub(r"\b[0-9a-f]{64}\b|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ?", "", visible_text(html))
        assert not re.search(r"\b49\b", shown), page
    overview = (out / "engagements/tiny-2026/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in overview


def test_build_reads_the_project_once(tiny, tmp_path, monkeypatch):
    """cxsite build validates the project and hands it to the plugin, which does not read it again."""
    import cxsite.build
    import cxsite.mkdocs_plugin

    calls = []
    real = cxsite.build.load_project

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(cxsite.build, "load_project", counting)
    monkeypatch.setattr(cxsite.mkdocs_plugin, "load_project", counting)
    build_site(tiny, tmp_path / "site")
    assert len(calls) == 1
    assert (tmp_path / "site" / "engagements/tiny-2026/index.html").is_file()


def test_theme_templates_compiled_once_yet_edits_show(tiny, tmp_path, cli):
    """Builds in one process share compiled templates; an edited template is compiled again."""
    from cxsite.mkdocs_plugin import COMPILED

    overrides = tiny / "overrides"
    overrides.mkdir()
    cfg = tiny / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    page = overrides / "main.html"
    for mark in ("FOOTER-ONE", "FOOTER-TWO"):
        page.write_text('{% extends "base.html" %}{% block footer %}' + mark + "{% endblock %}")
        code, _, err = cli("--project", tiny, "build", "--site-dir", tmp_path / "site")
        assert code == 0, err
        assert mark in (tmp_path / "site" / "index.html").read_text()
    assert COMPILED.store  # the second build read them from here
