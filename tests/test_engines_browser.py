"""The example site built by ProperDocs and by Zensical, in headless Chromium (slow).

The MkDocs build has these checks in test_browser.py and test_accessibility.py;
here the same promises are checked on the other engines' sites: every page
free of serious axe-core violations and of third-party requests in both
palettes, the charts drawn, the engine's own search answering, the zip opened
from disk, and the PDF. Screenshots go to tests/_output/ for a person to look at.
"""

import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, copy_project, missing
from cxsite.build import build_site
from cxsite.pdf import serve

from test_accessibility import AXE, audit_site
from test_browser import open_page
from test_engines import OTHER_ENGINES, need
from test_pdf import page_count

pytestmark = pytest.mark.slow
OUTPUT = Path(__file__).parent / "_output"
ENG = "engagements/northwind-2026-q3"


@pytest.fixture(scope="module", params=OTHER_ENGINES)
def built(request, tmp_path_factory):
    """The example site itself (the repository's assessments, engagements and docs), by one engine."""
    engine = request.param
    need(engine)
    root = tmp_path_factory.mktemp(f"engine-{engine}") / "example"
    for part in ("assessments", "engagements", "benchmarks", "docs"):  # benchmarks: the norm an example names
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "mkdocs.yml", root)
    out = root.parent / "site"
    build_site(root, out, engine=engine)
    server = serve(out)
    pages = sorted(("/" + p.relative_to(out).parent.as_posix() + "/").replace("/./", "/")
                   for p in out.rglob("index.html"))
    yield engine, f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


def search(page, words: str):
    """Type into the engine's search: Material's field in the header, or Zensical's dialog behind a button."""
    button = page.locator(".md-search__button")
    if button.count():
        button.first.click()
    else:
        page.locator("input.md-search__input").click()
    page.keyboard.type(words)  # both search on key events


def search_results(page):
    """Where the results appear: Material's list, or the dialog in Zensical's shadow root (locators pierce it)."""
    return page.locator(".md-search-result, dialog")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_accessible_and_private(built, browser, scheme):
    if not AXE.is_file():
        missing("axe-core is not installed: run 'make test', which installs it with npm")
    engine, base, pages = built
    assert len(pages) >= 10
    problems, third_party = audit_site(browser, base, pages, scheme)
    assert problems == {}, engine
    assert third_party == set(), engine


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_overview_draws_its_charts_without_errors(built, browser, scheme):
    engine, base, _ = built
    page, seen = open_page(browser, f"{base}/{ENG}/", scheme)
    title = page.locator("h1").first.text_content().replace("\u00b6", "").strip()
    assert title == "Northwind Utilities: Service culture follow-up"
    charts = page.locator("svg.cx-chart")
    assert charts.count() >= 1
    box = charts.first.bounding_box()
    assert box["width"] > 300 and box["height"] > 50
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith(base)] == []
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{engine}-overview-{scheme}.png"), full_page=True)
    page.close()


def test_the_engines_search_finds_a_dimension(built, browser):
    engine, base, _ = built
    page, seen = open_page(browser, f"{base}/{ENG}/")
    search(page, "repeat themselves")
    search_results(page).get_by_text("Making it easy").first.wait_for(timeout=10_000)
    page.screenshot(path=str(OUTPUT / f"{engine}-search.png"))
    assert seen["errors"] == []
    page.close()


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_pdf_printed_from_the_engines_site(engine, pulse, tmp_path, chromium):
    need(engine)
    out = tmp_path / "site"
    build_site(pulse, out, pdf=True, engine=engine)
    pdf = (out / "engagements/example-co-2026-oct/example-co-2026-oct.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert 7 <= page_count(pdf) <= 30
    assert 'href="example-co-2026-oct.pdf"' in (out / "engagements/example-co-2026-oct/index.html").read_text()


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_zip_of_the_engines_site_opens_from_disk(engine, browser, tmp_path, cli):
    need(engine)
    root = copy_project("pulse", tmp_path)
    out = tmp_path / "out" / "report"
    code, _, err = cli("--project", root, "build", "--zip", "--engine", engine, "--site-dir", out)
    assert code == 0, err
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(tmp_path / "out" / "report.zip") as zf:
        zf.extractall(unpacked)
    page = browser.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((unpacked / "report" / "index.html").as_uri(), wait_until="load")
    page.get_by_role("link", name="Service pulse, October").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("engagements/example-co-2026-oct/index.html")
    search(page, "repeat themselves")
    search_results(page).get_by_text("Making it easy").first.wait_for(timeout=10_000)
    assert errors == []
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests), requests
    page.close()
