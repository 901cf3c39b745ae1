"""A PDF per leader: their site's print page, printed by one Chromium kept open for many leaders.

Printed with :mod:`cxsite.pdf`'s machinery (Playwright driving a Chromium on
the machine, the same footer and title), but launching Chromium once per
batch of leaders rather than per leader: a launch costs about a second, a
page a fraction of that. The sites are served from loopback, the folder
holding them all at the root, while Chromium prints each one's
``print/`` page. Each PDF is written under a temporary name beside the
leader's site; :mod:`cxsite.leader_sites` renames it into place once every
leader of the run has been built and printed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError
from .pdf import CHROMIUM_FLAGS, _print_one, find_chromium, in_own_thread, serve

PRINT_PAGE = "print.md"  # in each leader's docs/; print/ (print.html) in the built site


def pdf_path(site: Path) -> Path:
    """Where a leader's PDF goes: beside their site folder, ``<folder>.pdf``, so the site does not publish it."""
    return site.with_name(site.name + ".pdf")


def check_printing() -> None:
    """Refuse ``--pdf`` before anything is built when Playwright or Chromium is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise InputError("--pdf", "PDF output needs Playwright, the 'pdf' extra: pip install 'cxsite[pdf]' "
                                  "(and a Chromium: Debian's 'chromium' package)") from None
    find_chromium()


def print_sites(root: Path, jobs: list[tuple[Path, Path, str, str]]) -> list[Path]:
    """Print each (site folder under ``root``, final PDF path, title, page numbers: :func:`cxsite.pdf.footer`)
    to a temporary PDF beside it.

    Returns the temporary PDFs, in the order of ``jobs``. Playwright's
    synchronous API refuses to run where an asyncio loop is running, so the
    printing runs on a thread of its own, as :func:`cxsite.pdf.print_pdfs` does.
    """
    return in_own_thread(lambda: _print_all(root, jobs), "cxsite-leader-pdf")


def _print_all(root: Path, jobs: list[tuple[Path, Path, str, str]]) -> list[Path]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    server = serve(root)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    written: list[Path] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
            try:
                page = browser.new_page()
                page.emulate_media(media="print")
                # Only the sites themselves are loaded: the theme's web fonts (Google's, when the site's
                # config does not turn them off) would be a third-party request and a wait on every page.
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                           else route.abort())
                for site, target, label, page_of in jobs:
                    page.goto(f"{base}/{site.relative_to(root).as_posix()}/print/", wait_until="load")
                    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.building-{os.getpid()}-",
                                                dir=target.parent)
                    os.close(fd)
                    written.append(Path(temp))
                    _print_one(page, Path(temp), label, page_of)
            finally:
                browser.close()
    except PlaywrightError as exc:
        for temp in written:
            temp.unlink(missing_ok=True)
        raise InputError("--pdf", f"Chromium could not print a leader's PDF: {exc}") from None
    except BaseException:
        for temp in written:
            temp.unlink(missing_ok=True)
        raise
    finally:
        server.shutdown()
        server.server_close()
    return written
