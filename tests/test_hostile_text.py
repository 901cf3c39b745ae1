"""Hostile text in every field never becomes markup (property-based).

Each example writes hostile strings into every text field of a questionnaire,
an engagement and its responses, renders the pages, converts them with the
Markdown extensions the site uses, and parses the HTML: no element, attribute
or link may come from the data, and template syntax stays literal.
"""

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxsite.load import load_project
from cxsite.pages import build_pages

REPO = Path(__file__).parent.parent
def _site_extensions() -> list[str]:
    from mkdocs.config import load_config

    # The extensions the real site converts pages with (mkdocs.yml uses !ENV, so read it as MkDocs does).
    return list(load_config(str(REPO / "mkdocs.yml")).markdown_extensions)


EXTENSIONS = _site_extensions()

ATTACKS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "{{ 7*7 }}", "{% include 'x' %}", "{: onclick=\"alert(1)\" }", "<a href='javascript:alert(1)'>x</a>",
    "![i](javascript:alert(1))", "<svg onload=alert(1)>", "&lt;script&gt;", "<!-- -->", "`code`",
    "| a | b |", "# heading", "- list", "1. list", "> quote", "***", "<style>*{}</style>",
    "<https://evil.example>", "[x]: javascript:alert(1)", "\\", "\"quoted\"", "*emph*", "__init__",
    "??? note", "!!! warning", "<div markdown>x</div>",
]
hostile = st.lists(st.sampled_from(ATTACKS), min_size=1, max_size=3).map(" ".join).flatmap(
    lambda s: st.sampled_from([s, f"Acme {s} Ltd", f"{s}\n{s}"]))

ALLOWED_TAGS = {"a", "p", "h1", "h2", "h3", "table", "thead", "tbody", "tr", "th", "td", "strong", "em",
                "ul", "ol", "li", "blockquote", "div", "code", "details", "summary", "svg", "title", "desc",
                "rect", "line", "text", "hr", "br", "span", "style"}


class Inspect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems, self.text = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"attribute {name}={value!r}")
            if name in ("href", "src") and value and not value.startswith(("#", "../", "dimensions/")) \
                    and not value.endswith((".md", ".pdf")) and "://" in value:
                self.problems.append(f"link {value!r}")

    def handle_data(self, data):
        self.text.append(data)


def write_project(root: Path, s: str) -> None:
    (root / "assessments").mkdir(parents=True)
    eng = root / "engagements" / "hostile-2026"
    eng.mkdir(parents=True)
    band = lambda i, m: {"id": i, "min": m, "label": s, "summary": s}  # noqa: E731
    q = {
        "id": "hostile", "version": "1.0.0", "title": s, "summary": s, "audience": "staff",
        "scales": {"agree5": {"points": {i + 1: f"{s} {i}" for i in range(5)}, "not_applicable": [f"{s} na"]},
                   "nps": {"kind": "nps", "points": {0: s, 10: s + " max"}}},
        "bands": [band("low", 0), band("high", 50)],
        "dimensions": [{"id": "d1", "title": s, "description": s,
                        "items": [{"id": "a", "text": s, "scale": "agree5", "customer_text": s},
                                  {"id": "b", "text": s, "scale": "agree5", "reverse": True}],
                        "narratives": {"low": s, "high": s}, "actions": {"low": [s], "high": [s, s]}}],
        "outcomes": [{"id": "o", "text": s, "scale": "nps"}],
        "open_questions": [{"id": "why", "text": s}],
    }
    (root / "assessments" / "hostile.yml").write_text(yaml.safe_dump(q, allow_unicode=True))
    (eng / "engagement.yml").write_text(yaml.safe_dump({
        "client": s, "title": s, "assessment": "hostile", "wave": s, "date": "2026-01-01",
        "segments": ["team"], "min_group_size": 2, "invited": 10}, allow_unicode=True))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["team", "a", "b", "o", "why"])
    # A web address as a segment value is refused by validation (tests/test_redact.py), so the
    # segment gets the attack without its scheme; comments and every other field get it whole.
    team = s.replace("https://", "https ")
    for i in range(6):
        w.writerow([team if i % 2 else f"{team} B", str(1 + i % 5), str(5 - i % 5), str(i), s])
    (eng / "responses.csv").write_text(out.getvalue())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=hostile)
def test_hostile_text_never_becomes_markup(tmp_path_factory, s):
    root = tmp_path_factory.mktemp("hostile")
    write_project(root, s)
    site = build_pages(load_project(root))
    for path, page in site.pages.items():
        body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
        html = markdown.markdown(body, extensions=EXTENSIONS)
        inspect = Inspect()
        inspect.feed(html)
        assert inspect.problems == [], (path, inspect.problems)
        text = " ".join(inspect.text)
        if "{{ 7*7 }}" in s:
            assert "{{ 7*7 }}" in text, path
        # The provenance's file digests and build time are not data; any digits may occur in them.
        text = re.sub(r"[0-9a-f]{64}|\d{4}-\d\d-\d\dT[\d:]+\+00:00", "", text)
        assert "49" not in text, path


# --------------------------------------------------------------------------- the built site

SITE_NAME = "Tiny test project"
# Each attack once; a field's string is its name and all of them, so a title
# on a page says which field it came from.
ALL_ATTACKS = ('</title><script>alert(1)</script> "><img src=x onerror=alert(1)> {{ 7*7 }} {% raw %} '
               "&lt;b&gt; [x](javascript:alert(1)) <svg/onload=alert(1)>")
FIELDS = ("client", "engagement", "wave", "questionnaire", "dimension", "item", "band", "comment", "segment",
          "note")


def hostile(field: str) -> str:
    return f"{field.capitalize()} {ALL_ATTACKS}"


def write_hostile_site_project(root: Path) -> Path:
    """A buildable project (the tiny project's mkdocs.yml) whose every text field is hostile."""
    write_project(root, ALL_ATTACKS)
    config = (REPO / "tests" / "projects" / "tiny" / "mkdocs.yml").read_text()
    # The footer prints the previous and next pages' titles, in text and in an aria-label.
    config = config.replace("  font: false\n", "  font: false\n  features: [navigation.footer]\n")
    (root / "mkdocs.yml").write_text(config)
    (root / "docs").mkdir()
    qfile = root / "assessments" / "hostile.yml"
    q = yaml.safe_load(qfile.read_text())
    q["title"] = hostile("questionnaire")
    q["dimensions"][0]["title"] = hostile("dimension")
    q["dimensions"][0]["items"][0]["text"] = hostile("item")
    q["bands"][0]["label"], q["bands"][1]["label"] = hostile("band") + " low", hostile("band")
    qfile.write_text(yaml.safe_dump(q, allow_unicode=True))
    eng = root / "engagements" / "hostile-2026"
    e = yaml.safe_load((eng / "engagement.yml").read_text())
    e.update(client=hostile("client"), title=hostile("engagement"), wave=hostile("wave"))
    (eng / "engagement.yml").write_text(yaml.safe_dump(e, allow_unicode=True))
    rows = list(csv.reader(io.StringIO((eng / "responses.csv").read_text())))
    for row in rows[1:]:
        row[0], row[4] = hostile("segment"), hostile("comment")
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    (eng / "responses.csv").write_text(out.getvalue())
    # Assessor ratings carry notes, shown beside their items: a second engagement, rated.
    rated = root / "engagements" / "hostile-rated-2026"
    rated.mkdir()
    e.update(responses="ratings.yml")
    (rated / "engagement.yml").write_text(yaml.safe_dump(e, allow_unicode=True))
    ratings = {"respondents": [{"team": hostile("segment"), "a": 1 + i % 5, "b": 5 - i % 5, "o": i}
                               for i in range(6)], "notes": {"a": hostile("note")}}
    (rated / "ratings.yml").write_text(yaml.safe_dump(ratings, allow_unicode=True))
    return root


class Page(HTMLParser):
    """Elements, attributes and text of a built page, as a browser would see them."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text, self.titles = [], [], [], []
        self._in_title = self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, n, v or "") for n, v in attrs)
        self._in_title, self._in_script = tag == "title", tag == "script"
        if tag == "title":
            self.titles.append("")  # the page's, then those of the charts' SVGs

    def handle_endtag(self, tag):
        self._in_title = self._in_script = False

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data
        elif self._in_script:
            assert "alert(1)" not in data, "a script from data"
        else:
            self.text.append(data)


def _no_markup_from_data(html: str, where: str) -> Page:
    page = Page()
    page.feed(html)
    for tag, name, value in page.attrs:
        assert not name.startswith("on"), (where, tag, name, value)
        assert not (tag in ("img", "image") and value == "x"), (where, tag, name)
        assert not re.sub(r"\s", "", value).lower().startswith("javascript:"), (where, tag, name, value)
    return page


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from cxsite.cli import main

    root = write_hostile_site_project(tmp_path_factory.mktemp("hostile-site") / "p")
    site = root.parent / "site"
    assert main(["--project", str(root), "build", "--site-dir", str(site)]) == 0
    return site


def test_hostile_strings_in_every_field_stay_text_in_the_built_site(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 5
    seen = " ".join(" ".join(_no_markup_from_data(p.read_text(encoding="utf-8"), str(p)).text) for p in pages)
    seen = " ".join(seen.split())
    for field in FIELDS:
        assert hostile(field) in seen, field  # reads as the user wrote it
    # No template evaluated: "{{ 7*7 }}" is still there (above) and nothing printed 49 in its place.
    assert not re.search(r"onerror=alert\(1\)> 49 ", seen)


def test_page_titles_read_as_written_and_open_no_element(hostile_site):
    expect = {"engagements/hostile-2026/dimensions/d1/index.html": hostile("dimension"),
              "engagements/hostile-rated-2026/dimensions/d1/index.html": hostile("dimension"),
              "questionnaires/hostile/index.html": hostile("questionnaire")}
    for path, title in expect.items():
        html = (hostile_site / path).read_text(encoding="utf-8")
        page = _no_markup_from_data(html, path)
        assert page.titles[0] == f"{title} - {SITE_NAME}", path
        head = html[:html.index("</head>")]
        assert head.count("<title>") == 1 and "<script>alert" not in head, path


def test_footer_links_name_the_pages_as_written(hostile_site):
    labels = set()
    for path in hostile_site.rglob("*.html"):
        page = _no_markup_from_data(path.read_text(encoding="utf-8"), str(path))
        labels |= {v for _, n, v in page.attrs if n == "aria-label" and v.startswith(("Previous: ", "Next: "))}
    assert f"Next: {hostile('dimension')}" in labels or f"Previous: {hostile('dimension')}" in labels, labels


def test_search_index_holds_only_escaped_text(hostile_site):
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    kept = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}  # the tags Material's index keeps
    found = set()
    for doc in index["docs"]:
        for key in ("title", "text"):
            # The search dialog sets these as innerHTML: parse them as the browser would.
            page = _no_markup_from_data(doc[key], doc["location"])
            assert set(page.tags) <= kept, (doc["location"], page.tags)
            assert not page.attrs, doc["location"]
            text = " ".join(" ".join(page.text).split())
            found |= {f for f in FIELDS if hostile(f) in text}
    assert {"dimension", "questionnaire", "item"} <= found
