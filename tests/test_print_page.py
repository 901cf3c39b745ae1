"""The print page (what the PDF is printed from) holds every section of the report, each part once."""

from cxsite.load import load_project
from cxsite.pages import build_pages

BASE = "engagements/tiny-2026"


def _brand(tiny):
    folder = tiny / "engagements" / "tiny-2026"
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    with (folder / "engagement.yml").open("a") as f:
        f.write('brand: {logo: logo.svg, color: "#0b2e59"}\n')


def _lines(text, line):
    return sum(1 for x in text.splitlines() if x == line)


def test_the_print_page_has_its_title_logo_and_brand_once(tiny):
    _brand(tiny)
    pages = build_pages(load_project(tiny)).pages
    printed = pages[f"{BASE}/print.md"]
    assert printed.count("# Tiny Co: Tiny baseline") == 1  # the cover's, not the overview's again
    assert printed.count('<img class="cx-logo"') == 1
    assert printed.count("--md-primary-fg-color:") == 1
    # The pages themselves keep theirs.
    assert _lines(pages[f"{BASE}/index.md"], "# Tiny Co: Tiny baseline") == 1
    assert pages[f"{BASE}/dimensions/d1.md"].count("--md-primary-fg-color:") == 1


def test_every_section_is_printed_once_in_reading_order(tiny):
    printed = build_pages(load_project(tiny)).pages[f"{BASE}/print.md"]
    headings = ["## Summary", "# Dimension one", "# Dimension two", "# Results by group",
                "# What people wrote", "# How this report was produced"]
    assert [_lines(printed, h) for h in headings] == [1] * len(headings)
    at = [printed.splitlines().index(h) for h in headings]
    assert at == sorted(at)


def test_an_awaiting_engagement_prints_its_title_once(tiny):
    csv = tiny / "engagements" / "tiny-2026" / "responses.csv"
    csv.write_text(csv.read_text().splitlines()[0] + "\n")
    printed = build_pages(load_project(tiny)).pages[f"{BASE}/print.md"]
    assert printed.count("# Tiny Co: Tiny baseline") == 1
    assert "Awaiting responses" in printed
