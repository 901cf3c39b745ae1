"""One PDF per engagement, printed by headless Chromium from the built site.

The site is served from loopback while Chromium prints each engagement's
"full report" page, so the PDF holds exactly what the site shows: the same
charts, the same suppression. Needs the ``pdf`` extra (Playwright) and a
Chromium on the machine (Debian's ``chromium``); no browser is downloaded.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError
from .msgids import N_
from .urls import built_page, site_path
from .progress import Progress

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'
          'font-family:sans-serif;color:#555"><span>{label}</span><span>{numbers}</span></div>')
# The page numbers in the footer, in the report's language (Chromium fills in the two spans).
PAGE_OF = N_("Page %(page)s of %(pages)s")
_NUMBERS = {"page": '<span class="pageNumber"></span>', "pages": '<span class="totalPages"></span>'}


def footer(label: str, page_of: str) -> str:
    """The footer of each printed page: ``label`` on the left, ``page_of`` (:data:`PAGE_OF` translated) on the right.

    Both are text, escaped for HTML; a project's translation that does not
    format (a stray ``%``) gives the English numbers rather than no PDF.
    """
    try:
        numbers = html.escape(page_of) % _NUMBERS
    except (KeyError, TypeError, ValueError):
        numbers = PAGE_OF % _NUMBERS
    return FOOTER.format(label=html.escape(label, quote=True), numbers=numbers)


def find_chromium() -> str:
    for candidate in (os.environ.get("CXSITE_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    raise InputError("--pdf", "no Chromium found to print the PDF; install Debian's 'chromium' "
                              "package or set CXSITE_CHROMIUM to a Chromium executable")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(site_dir: Path):
    """Serve ``site_dir`` on a free loopback port, in a thread; returns the server."""
    handler = functools.partial(_Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def print_pdfs(site_dir: Path, engagements: Iterable[tuple[str, str, str]]) -> list[Path]:
    """Print each engagement's print page of the built site to its PDF (``engagements/<id>/<id>.pdf``).

    ``engagements`` are (id, footer label, :data:`PAGE_OF` in the engagement's
    language) triples. Playwright's synchronous API
    refuses to run where an asyncio loop is running (a notebook, a caller that
    already drives a browser), so the printing runs on a thread of its own.
    """
    return in_own_thread(lambda: _print(site_dir, list(engagements)), "cxsite-pdf")


def in_own_thread(work, name: str):
    """``work()`` run on a thread of its own (Playwright's synchronous API there); its result or its error."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed back to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=name)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _print_page(site_dir: Path, eid: str) -> str | None:
    """The URL path of engagement ``eid``'s built print page, with or without directory URLs; None if absent."""
    for directory_urls in (True, False):  # an offline site (--zip) has none
        written, url = built_page(site_path("print", eid=eid), directory_urls)
        if (site_dir / written).is_file():
            return url
    return None


def _print_one(page, target: Path, label: str, page_of: str) -> None:
    """Print the loaded page to ``target``, its title (the PDF's Title) the engagement's label (see :func:`footer`)."""
    # Chromium names the PDF by the document's title, which was the site's
    # generic "Full report (print) - <site>": a reader's PDF list showed no client.
    page.evaluate("title => { document.title = title; }", label)
    page.pdf(path=str(target), format="A4", print_background=True,
             display_header_footer=True, header_template="<span></span>",
             footer_template=footer(label, page_of),
             margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"})


def _print(site_dir: Path, engagements: list[tuple[str, str, str]]) -> list[Path]:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise InputError("--pdf", "PDF output needs Playwright, the 'pdf' extra: pip install 'cxsite[pdf]' "
                                  "(and a Chromium: Debian's 'chromium' package)") from None
    chromium = find_chromium()
    server = serve(site_dir)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            try:
                page = browser.new_page()
                page.emulate_media(media="print")
                todo = [(eid, label, page_of, url) for eid, label, page_of in engagements
                        if (url := _print_page(site_dir, eid)) is not None]
                bar = Progress(len(todo), "printing PDFs")
                for eid, label, page_of, url in todo:
                    page.goto(f"{base}/{url}", wait_until="load")
                    target = site_dir / site_path("pdf", eid=eid)
                    _print_one(page, target, label, page_of)
                    written.append(target)
                    bar.step(eid)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise InputError("--pdf", f"Chromium could not print the PDF: {exc}") from None
    finally:
        server.shutdown()
        server.server_close()
    return written

