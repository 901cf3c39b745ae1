"""Rendered Markdown against golden files (pytest --update-golden rewrites them)."""

import shutil
from pathlib import Path

import pytest
from conftest import write_golden

from cxsite.load import load_project
from cxsite.pages import build_pages, highlights
from cxsite.render import md_escape

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28


GOLDEN_PROJECTS = ["tiny", "pulse", "loop"]


@pytest.mark.parametrize("project", GOLDEN_PROJECTS)
def test_pages_match_golden(project, request, update_golden):
    root = request.getfixturevalue(project)
    site = build_pages(load_project(root))
    folder = GOLDEN / project
    expected = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.md")) if folder.exists() else []
    if update_golden:
        write_golden(folder, site.pages)
        return
    assert sorted(site.pages) == expected
    for path, text in site.pages.items():
        assert text == (folder / path).read_text(encoding="utf-8"), path


def test_golden_holds_only_tested_projects(update_golden):
    """A project no test renders any more leaves no golden folder behind (removed on update)."""
    owned = set(GOLDEN_PROJECTS) | {"rendered"}  # rendered: tests/test_engines.py's folder
    stale = sorted(p for p in GOLDEN.iterdir() if p.name not in owned)
    if update_golden:
        for path in stale:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        return
    assert not stale, f"golden files no test writes: {stale}; run pytest --update-golden"


def test_site_has_the_pages_of_the_issue(tiny):
    site = build_pages(load_project(tiny))
    assert set(site.pages) == {
        "index.md", "questionnaires/index.md", "questionnaires/tiny.md",
        "engagements/tiny-2026/index.md", "engagements/tiny-2026/methodology.md",
        "engagements/tiny-2026/dimensions/d1.md", "engagements/tiny-2026/dimensions/d2.md",
        "engagements/tiny-2026/segments.md", "engagements/tiny-2026/comments.md",
        "engagements/tiny-2026/print.md",
    }
    assert site.nav[0] == {"Home": "index.md"}
    assert list(site.nav[1]) == ["Tiny Co"]


def test_output_is_deterministic(tiny):
    one = build_pages(load_project(tiny)).pages
    two = build_pages(load_project(tiny)).pages
    assert one == two


def test_withheld_engagement_shows_no_figure(tiny):
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text().replace("min_group_size: 2", "min_group_size: 6"))
    site = build_pages(load_project(tiny))
    overview = site.pages["engagements/tiny-2026/index.md"]
    assert "Results withheld" in overview
    assert "dimensions/d1.md" not in overview and "engagements/tiny-2026/dimensions/d1.md" not in site.pages
    for path, text in site.pages.items():
        if path.startswith("engagements/"):
            assert "63" not in text and "62" not in text, path  # the index and d1's score


def test_highlights_pick_strongest_and_weakest_items():
    def it(iid, fav, mean=3.0):
        return {"id": iid, "favorable": fav, "mean": mean, "unfavorable": 0.1}
    result = {"dimensions": [
        {"id": "x", "title": "X", "score": 40.0, "items": [it("a", 0.9), it("b", 0.2), it("c", None)]},
        {"id": "y", "title": "Y", "score": 70.0, "items": [it("d", 0.5), it("e", 0.5, 3.5), it("f", 0.1)]},
    ]}
    h = highlights(result, count=2)
    assert [i["id"] for i in h["strongest"]] == ["a", "e"]  # tie on 0.5 broken by the mean
    assert [i["id"] for i in h["weakest"]] == ["f", "b"]  # unanswered c is left out
    assert [d["id"] for d in h["weakest_dimensions"]] == ["x", "y"]


@pytest.mark.parametrize("text, expected", [
    ("plain words", "plain words"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
    ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"),
    ("{{ 7*7 }}", "\\{\\{ 7\\*7 \\}\\}"),
    ("{: .class onclick=x}", "\\{: .class onclick&#61;x\\}"),
    ("- not a list", "&#45; not a list"),
    ("1. not a list", "1&#46; not a list"),
    ("# not a heading", "\\# not a heading"),
    ("a | b", "a \\| b"),
    ("line\nbreak", "line break"),
    ("&amp; stays text", "&amp;amp; stays text"),
])
def test_md_escape(text, expected):
    assert md_escape(text) == expected


def _set(path, old, new):
    path.write_text(path.read_text().replace(old, new))


def test_comments_shown_escaped_and_redacted(tiny):
    csv = tiny / "engagements" / "tiny-2026" / "responses.csv"
    _set(csv, "Great place", '"<b>Great</b> [x](javascript:1), ask ann@example.com"')
    page = build_pages(load_project(tiny)).pages["engagements/tiny-2026/comments.md"]
    assert "&lt;b&gt;Great&lt;/b&gt; \\[x\\]\\(javascript:1\\), ask \\[redacted\\]" in page
    assert "ann@example.com" not in page
    assert page.index("&lt;b&gt;Great") < page.index("meh")  # alphabetical, not file order


def test_comments_withheld_below_their_threshold(tiny):
    _set(tiny / "engagements" / "tiny-2026" / "engagement.yml", "min_group_size: 2", "min_group_size: 2\nmin_group_size_comments: 10")
    site = build_pages(load_project(tiny))
    assert "Fewer did here, so the comments are not shown." in site.pages["engagements/tiny-2026/comments.md"]
    assert not any("Great place" in text for text in site.pages.values())


def test_suppressed_group_shows_no_figure_anywhere(tiny):
    # r5 now answers, alone in team Z: Z is suppressed, and X (smallest left, tie broken by name) with it.
    _set(tiny / "engagements" / "tiny-2026" / "responses.csv", "r5,Z,,,,,,,", "r5,Z,1,5,1,1,1,0,")
    site = build_pages(load_project(tiny))
    page = site.pages["engagements/tiny-2026/segments.md"]
    assert page.count("not shown (anonymity)") == 2 * 2  # chart label, chart description
    z_row = next(line for line in page.splitlines() if line.startswith("| Z |"))
    assert z_row == "| Z | not shown | – | – | – |"
    assert "<desc" in page and "Z: not shown (anonymity)" in page
    y_row = next(line for line in page.splitlines() if line.startswith("| Y |"))
    assert y_row.startswith("| Y | 2 |")


def test_print_page_holds_every_section_without_broken_links(tiny):
    site = build_pages(load_project(tiny))
    text = site.pages["engagements/tiny-2026/print.md"]
    for heading in ["# Tiny Co: Tiny baseline", "# Dimension one", "# Dimension two", "# Results by group",
                    "# What people wrote", "# How this report was produced"]:
        assert heading in text, heading
    assert "../index.md" not in text  # the sections' back links would not resolve from here
    assert text.startswith("---\nsearch:\n  exclude: true\n---\n")


def test_brand_colour_and_logo_on_the_engagement_pages(tiny):
    folder = tiny / "engagements" / "tiny-2026"
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    with (folder / "engagement.yml").open("a") as f:
        f.write('brand: {logo: logo.svg, color: "#FFD400"}\n')
    site = build_pages(load_project(tiny))
    overview = site.pages["engagements/tiny-2026/index.md"]
    # A light yellow takes dark header text; the colour is lower-cased as validated.
    assert "--md-primary-fg-color: #ffd400;" in overview and "--md-primary-bg-color: #111111;" in overview
    assert '<img class="cx-logo" src="logo.svg" alt="Tiny Co logo">' in overview
    assert site.assets == {"engagements/tiny-2026/logo.svg": folder / "logo.svg"}
    assert "--md-primary-fg-color" not in site.pages["index.md"]  # only this client's pages


def test_dark_brand_colour_takes_white_text(tiny):
    with (tiny / "engagements" / "tiny-2026" / "engagement.yml").open("a") as f:
        f.write('brand: {color: "#0b2e59"}\n')
    overview = build_pages(load_project(tiny)).pages["engagements/tiny-2026/index.md"]
    assert "--md-primary-bg-color: #ffffff;" in overview


def test_assessor_ratings_in_yaml_with_evidence_notes(tiny):
    folder = tiny / "engagements" / "tiny-2026"
    (folder / "ratings.yml").write_text(
        "respondents:\n"
        "  - {team: X, a: 4, b: Disagree, c: 5, d: 4, e: N/A, nps: 8}\n"
        "  - {team: X, a: Strongly agree, b: 1, c: 4, d: 4, e: 3, nps: 9}\n"
        "notes:\n"
        "  a: Seen in three workshops; <b>the</b> team board shows it.\n")
    _set(folder / "engagement.yml", "responses: responses.csv", "responses: ratings.yml")
    site = build_pages(load_project(tiny))
    d1 = site.pages["engagements/tiny-2026/dimensions/d1.md"]
    assert "## Assessor's evidence" in d1
    assert "Seen in three workshops; &lt;b&gt;the&lt;/b&gt; team board shows it." in d1
    r = site.results["tiny-2026"]
    assert r["respondents"]["rows"] == 2
    a = r["dimensions"][0]["items"][0]
    assert (a["n"], a["mean"]) == (2, 4.5)  # 4 and "Strongly agree"
    b = r["dimensions"][0]["items"][1]
    assert b["counts"]["4"] == 1 and b["counts"]["5"] == 1  # Disagree (2) and 1, reflected


def test_assessor_ratings_errors_are_located(tiny, cli):
    folder = tiny / "engagements" / "tiny-2026"
    (folder / "ratings.yml").write_text("respondents:\n  - {team: X, a: 7, b: 2, c: 3, d: 3, e: 3, nps: 5, zz: 1}\n")
    _set(folder / "engagement.yml", "responses: responses.csv", "responses: ratings.yml")
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert "engagements/tiny-2026/ratings.yml:2:18: column 'a': '7' is not a point on scale 'agree5'" in err
    assert "ratings.yml:2:53: unknown column 'zz'" in err


def test_a_dimension_page_states_its_change_since_the_last_wave():
    import re

    from conftest import REPO

    site = build_pages(load_project(REPO, client="Northwind Utilities"))
    page = site.pages["engagements/northwind-2026-q3/dimensions/alignment.md"]
    # One sentence: "... 187 people counted · ▲ +11 points since 2025 Q4." (a clear change: Holm-adjusted
    # p 1.7e-5, tests/test_inference.py), or "· no clear change since 2025 Q4 (+2 points, ...)."
    assert re.search(r"\d+ people counted ·\s+[▲▼] [+−]\d+ points since 2025 Q4\.", page), page[:800]
