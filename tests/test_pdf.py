"""The PDF: printed by Chromium from the built site (slow; needs Debian's chromium)."""

import re
from pathlib import Path

import pytest

from cxsite.build import build_site

pytestmark = pytest.mark.slow


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_pdf_per_engagement_with_cover_and_pages(pulse, tmp_path, chromium):
    out = tmp_path / "site"
    build_site(pulse, out, pdf=True)
    pdf = (out / "engagements/example-co-2026-oct/example-co-2026-oct.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    # Cover, overview, two dimensions, groups, comments, methodology: at least 7 pages.
    assert 7 <= page_count(pdf) <= 30
    overview = (out / "engagements/example-co-2026-oct/index.html").read_text()
    assert 'href="example-co-2026-oct.pdf"' in overview


def test_pdf_footer_speaks_the_reports_language(pulse, tmp_path, chromium):
    import subprocess

    from test_i18n import with_language

    with_language(pulse, "fr")
    out = tmp_path / "site"
    build_site(pulse, out, pdf=True)
    pdf = out / "engagements/example-co-2026-oct/example-co-2026-oct.pdf"
    text = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"Page 1 sur \d+", text) and re.search(r"Page 2 sur \d+", text)
    assert not re.search(r"Page \d+ of", text)


def test_no_pdf_link_without_pdf(pulse, tmp_path):
    out = tmp_path / "site"
    build_site(pulse, out)
    assert not list(out.rglob("*.pdf"))
    assert ".pdf" not in (out / "engagements/example-co-2026-oct/index.html").read_text()


def test_pdf_of_a_site_for_opening_from_disk(pulse, tmp_path, chromium):
    # --zip builds without directory URLs: the print page is print.html, not print/index.html.
    out = tmp_path / "site"
    build_site(pulse, out, pdf=True, offline=True)
    pdf = out / "engagements/example-co-2026-oct/example-co-2026-oct.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (out / "engagements/example-co-2026-oct/print.html").is_file()


# --- The page width: every table fits the printed page (issue: a groups table was cut off) ---

A4_MM = (210, 297)
MARGIN_MM = {"top": 16, "bottom": 18, "left": 14, "right": 14}  # cxsite.pdf's page.pdf margins
DPI = 50


def _tool(name: str) -> str:
    import shutil

    from conftest import missing

    path = shutil.which(name)
    if not path:
        missing(f"no {name} on this machine (make chromium installs Debian's poppler-utils)")
    return path


def _gray_pages(pdf: Path, tmp_path: Path) -> list[tuple[int, int, bytes]]:
    """Each page as (width, height, 8-bit gray pixels), rendered by poppler's pdftoppm."""
    import subprocess

    subprocess.run([_tool("pdftoppm"), "-gray", "-r", str(DPI), str(pdf), str(tmp_path / "pg")], check=True)
    pages = []
    for path in sorted(tmp_path.glob("pg-*.pgm")):
        data = path.read_bytes()
        magic, width, height, maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P5" and maxval == b"255"
        pages.append((int(width), int(height), pixels))
    return pages


def _ink_in_right_margin(width: int, height: int, pixels: bytes) -> int:
    """Dark pixels right of the printable area, between the top and bottom margins (not the footer)."""
    px = DPI / 25.4
    right = int((A4_MM[0] - MARGIN_MM["right"] + 2) * px * width / (A4_MM[0] * px))
    top, bottom = int(MARGIN_MM["top"] * px), height - int(MARGIN_MM["bottom"] * px)
    return sum(1 for y in range(top, bottom) for x in range(right, width) if pixels[y * width + x] < 200)


@pytest.fixture
def wide(tmp_path):
    """A built-in questionnaire of eight dimensions, by department: the widest table of the report."""
    from conftest import copy_project

    return copy_project("builtin", tmp_path)


def test_no_printed_table_runs_past_the_right_edge(wide, tmp_path, chromium):
    """Nothing prints into the right margin of any page (the rendered pages, as a reader sees them).

    Chromium shrinks and clips a page too wide for the paper rather than
    print into the margin, so this alone cannot see a clipped table: the
    test below measures the tables themselves at the printable width.
    """
    out = tmp_path / "site"
    build_site(wide, out, pdf=True)
    pdf = next(out.glob("engagements/*/*.pdf"))
    pages = _gray_pages(pdf, tmp_path)
    assert pages
    for number, page in enumerate(pages, 1):
        assert _ink_in_right_margin(*page) == 0, f"page {number} prints into the right margin"


def test_printed_tables_are_not_clipped_or_shrunk(wide, tmp_path, browser):
    """At the printable width, no table is wider than the text column (Chromium would clip or shrink it)."""
    out = tmp_path / "site"
    build_site(wide, out)
    eid = next(out.glob("engagements/*/print")).parent.name
    printable_px = round((A4_MM[0] - MARGIN_MM["left"] - MARGIN_MM["right"]) / 25.4 * 96)
    page = browser.new_page(viewport={"width": printable_px, "height": 1000})
    page.emulate_media(media="print")
    page.goto((out / "engagements" / eid / "print" / "index.html").as_uri())
    tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
        const wrap = t.closest('.md-typeset__scrollwrap') || t.parentElement;
        return {head: t.rows[0].innerText.slice(0, 40), width: t.scrollWidth, room: wrap.clientWidth};
    })""")
    page.close()
    assert len(tables) >= 3
    wide_ones = [t for t in tables if t["width"] > t["room"] + 1]
    assert not wide_ones, wide_ones


def test_pdf_title_names_the_client_engagement_and_wave(pulse, tmp_path, chromium):
    import subprocess

    out = tmp_path / "site"
    build_site(pulse, out, pdf=True)
    pdf = out / "engagements/example-co-2026-oct/example-co-2026-oct.pdf"
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    title = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Title:"))
    from cxsite.load import load_project

    e = load_project(pulse).engagements["example-co-2026-oct"]
    assert title == f"{e.client} · {e.title} · {e.wave}"


def test_pdf_with_zip_is_printed_and_zipped(pulse, tmp_path, cli):
    import zipfile

    out = tmp_path / "report"
    code, _, err = cli("--project", pulse, "build", "--pdf", "--zip", "--site-dir", out)
    assert code == 0, err
    eid = "example-co-2026-oct"
    assert (out / "engagements" / eid / f"{eid}.pdf").read_bytes().startswith(b"%PDF")
    assert f'href="{eid}.pdf"' in (out / "engagements" / eid / "index.html").read_text()
    assert f"report/engagements/{eid}/{eid}.pdf" in zipfile.ZipFile(tmp_path / "report.zip").namelist()


def test_all_clients_pdf_zip_puts_each_clients_pdfs_in_its_zip(tmp_path, cli, chromium):
    import zipfile

    from conftest import copy_project

    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "sites"
    code, _, err = cli("--project", root, "build", "--all-clients", "--pdf", "--zip", "--out", out)
    assert code == 0, err
    for slug, eid in (("tiny-co", "tiny-2026"), ("zebracorn-holdings", "zebra-2026")):
        assert (out / slug / "engagements" / eid / f"{eid}.pdf").is_file()
        names = zipfile.ZipFile(out / f"{slug}.zip").namelist()
        assert [n for n in names if n.endswith(".pdf")] == [f"{slug}/engagements/{eid}/{eid}.pdf"]
