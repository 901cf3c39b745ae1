"""The built site in a real browser: headless Debian Chromium driven by Playwright.

Slow; skipped only where no Chromium is installed (CI installs it in .ci/run).
Screenshots go to tests/_output/ for a person to look at.
"""

from pathlib import Path

import pytest

from cxsite.build import build_site
from cxsite.pdf import serve

pytestmark = pytest.mark.slow
OUTPUT = Path(__file__).parent / "_output"
ENG = "engagements/example-co-2026-oct"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import copy_project

    root = copy_project("pulse", tmp_path_factory.mktemp("browser"))
    out = root.parent / "site"
    build_site(root, out)
    server = serve(out)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def open_page(browser, url, scheme="light"):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    seen = {"errors": [], "requests": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(url, wait_until="networkidle")
    return page, seen


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_overview_renders_charts_without_errors(site, browser, scheme):
    page, seen = open_page(browser, f"{site}/{ENG}/", scheme)
    assert page.locator("h1").first.inner_text() == "Example Co: Service pulse, October"
    charts = page.locator("svg.cx-chart")
    assert charts.count() == 3  # dimension bars, the eNPS breakdown and the key-drivers chart
    box = charts.first.bounding_box()
    assert box["width"] > 300 and box["height"] > 50
    assert "Helping each other" in charts.first.locator("desc").text_content()
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith(site)] == []
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"overview-{scheme}.png"), full_page=True)
    page.close()


def test_dark_palette_changes_chart_colours(site, browser):
    fills = {}
    for scheme in ("light", "dark"):
        page, _ = open_page(browser, f"{site}/{ENG}/dimensions/helping/", scheme)
        rect = page.locator("svg.cx-chart rect.cx-fav").first
        fills[scheme] = rect.evaluate("r => getComputedStyle(r).fill")
        page.screenshot(path=str(OUTPUT / f"dimension-{scheme}.png"), full_page=True)
        page.close()
    assert fills["light"] != fills["dark"]


def test_search_finds_a_dimension(site, browser):
    page, seen = open_page(browser, f"{site}/{ENG}/")
    page.locator("input.md-search__input").click()
    page.keyboard.type("repeat themselves")  # Material searches on key events
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=10_000)
    assert "Making it easy" in page.locator(".md-search-result").inner_text()
    assert seen["errors"] == []
    page.close()


def test_segments_page_screenshot(site, browser):
    page, seen = open_page(browser, f"{site}/{ENG}/segments/")
    assert page.locator("svg.cx-chart").count() == 1
    page.screenshot(path=str(OUTPUT / "segments-light.png"), full_page=True)
    assert seen["errors"] == []
    page.close()


def test_zip_opens_from_disk_with_links_and_search(browser, tmp_path, cli):
    import zipfile

    from conftest import copy_project

    root = copy_project("pulse", tmp_path)
    out = tmp_path / "out" / "report"
    code, stdout, err = cli("--project", root, "build", "--zip", "--site-dir", out)
    assert code == 0, err
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(tmp_path / "out" / "report.zip") as zf:
        zf.extractall(unpacked)
    index = unpacked / "report" / "index.html"
    page = browser.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(index.as_uri(), wait_until="load")
    page.get_by_role("link", name="Service pulse, October").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("engagements/example-co-2026-oct/index.html")
    assert page.locator("h1").first.inner_text() == "Example Co: Service pulse, October"
    page.locator("input.md-search__input").click()
    page.keyboard.type("repeat themselves")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert "Making it easy" in page.locator(".md-search-result").inner_text()
    assert errors == []
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests), requests
    page.close()
