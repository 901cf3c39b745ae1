"""The site's URL scheme has one owner (cxsite.urls); templates link only through url_for."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxsite.load import load_project
from cxsite.pages import build_pages
from cxsite.render import DEFAULT_TEMPLATES
from cxsite.urls import PAGES, built_page, link, relative, site_path

# A link target in a template: Markdown's [text](target), or an HTML href/src attribute.
TARGET = re.compile(r"\]\(((?:\{\{.*?\}\})?[^)\s]*)\)|\b(?:href|src)=\"((?:\{\{.*?\}\})?[^\"]*)\"")


@pytest.mark.parametrize("name", sorted(p.name for p in DEFAULT_TEMPLATES.glob("*.j2")))
def test_no_packaged_template_spells_a_site_path(name):
    text = (DEFAULT_TEMPLATES / name).read_text(encoding="utf-8")
    for match in TARGET.finditer(text):
        target = match.group(1) or match.group(2)
        # Only an expression: url_for(...), or a variable Python made from the scheme (logo).
        assert re.fullmatch(r"\{\{[^{}]*\}\}", target), f"{name}: literal link target {target!r}"
    assert not re.search(r"[\w-]+\.(?:md|html|pdf)\b(?!\.j2)", re.sub(r"\{#.*?#\}", "", text, flags=re.S)), name


@pytest.mark.parametrize("target, page, expected", [
    ("index.md", "index.md", "index.md"),
    ("questionnaires/tiny.md", "engagements/x/index.md", "../../questionnaires/tiny.md"),
    ("engagements/x/index.md", "engagements/x/dimensions/d1.md", "../index.md"),
    ("engagements/y/index.md", "engagements/x/index.md", "../y/index.md"),
    ("engagements/x/dimensions/d1.md", "engagements/x/print.md", "dimensions/d1.md"),
    ("questionnaires/tiny.md", "questionnaires/index.md", "tiny.md"),
])
def test_links_are_relative_to_the_page(target, page, expected):
    assert relative(target, page) == expected


def test_a_value_cannot_leave_its_place_in_a_path():
    assert site_path("dimension", eid="acme", dim="../../x?y#z") == "engagements/acme/dimensions/..%2F..%2Fx%3Fy%23z.md"
    assert link("methodology", "engagements/acme/segments.md", anchor="anonymity", eid="acme") \
        == "methodology.md#anonymity"


@pytest.mark.parametrize("name, params", [("nope", {}), ("overview", {}), ("home", {"eid": "x"}),
                                          ("overview", {"eid": ".."}), ("questionnaire", {"qid": ""})])
def test_a_wrong_call_is_refused(name, params):
    with pytest.raises(ValueError):
        site_path(name, **params)


def test_every_generated_page_has_its_place_in_the_scheme(tiny):
    site = build_pages(load_project(tiny))
    made = {site_path(n, eid="tiny-2026") for n in ("overview", "segments", "comments", "methodology", "print")}
    made |= {site_path("dimension", eid="tiny-2026", dim=d) for d in ("d1", "d2")}
    made |= {site_path("home"), site_path("questionnaires"), site_path("questionnaire", qid="tiny")}
    assert set(site.pages) == made
    assert set(PAGES) >= {"pdf", "logo"}


def test_built_page_with_and_without_directory_urls():
    assert built_page("engagements/x/print.md") == ("engagements/x/print/index.html", "engagements/x/print/")
    assert built_page("engagements/x/print.md", False) == ("engagements/x/print.html", "engagements/x/print.html")
    assert built_page("engagements/x/index.md") == ("engagements/x/index.html", "engagements/x/")
    assert built_page("index.md", False) == ("index.html", "")


def _template(root, name, text):
    path = root / "site_templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_section_links_from_the_print_page_it_is_printed_in(tiny):
    _template(tiny, "dimension.md.j2", '{% extends "default:dimension.md.j2" %}\n{% block reliability %}'
                                       '[Home of {{ d.id }}]({{ url_for("overview", eid=e.id) }})\n{% endblock %}\n')
    pages = build_pages(load_project(tiny), tiny / "site_templates").pages
    assert "[Home of d1](../index.md)" in pages["engagements/tiny-2026/dimensions/d1.md"]
    assert "[Home of d1](index.md)" in pages["engagements/tiny-2026/print.md"]


def test_a_wrong_url_for_in_a_project_template_is_located(tiny, tmp_path, cli):
    _template(tiny, "overview.md.j2", '{% extends "default:overview.md.j2" %}\n'
                                      '{% block summary %}\n[x]({{ url_for("overveiw", eid=e.id) }})\n{% endblock %}\n')
    code, _, err = cli("--project", tiny, "build", "--site-dir", tmp_path / "site")
    assert code == 1 and "Traceback" not in err
    assert any(line.startswith("site_templates/overview.md.j2:3:1: url_for: no page 'overveiw'")
               for line in err.splitlines()), err
    assert not (tmp_path / "site").exists()


_SEGMENT = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True)
_PATH = st.lists(_SEGMENT, min_size=1, max_size=4).map(lambda parts: "/".join(parts) + ".md")


@given(_PATH, _PATH)
def test_a_relative_link_resolves_to_its_target_from_any_page(target, page):
    import posixpath

    assert posixpath.normpath(posixpath.join(posixpath.dirname(page), relative(target, page))) == target


@given(st.lists(_SEGMENT, min_size=1, max_size=4), st.lists(_SEGMENT, min_size=0, max_size=4))
def test_a_relative_link_is_posixpaths(parts, folder):
    """The same as the standard library's relpath, for any two site paths (a target a folder too)."""
    import posixpath

    target, page = "/".join(parts), "/".join([*folder, "page.md"])
    assert relative(target, page) == posixpath.relpath(target, posixpath.dirname(page) or ".")


@given(st.one_of(st.text(min_size=1), st.text(alphabet="/?#.\\ %a_-", min_size=1)))
def test_any_value_stays_one_segment_of_its_path(value):
    import posixpath

    try:
        path = site_path("overview", eid=value)
    except ValueError:
        assert value in (".", "..")
        return
    assert path.startswith("engagements/") and path.endswith("/index.md") and posixpath.normpath(path) == path
    assert path.count("/") == 2 and not set(path) & set("?#\\ ")
