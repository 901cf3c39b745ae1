"""The PDF: printed by Chromium from the built site (slow; needs Debian's chromium)."""

import re

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
