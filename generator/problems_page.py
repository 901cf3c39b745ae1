"""The page ``cxsite serve`` shows while the project has errors.

A live preview that only printed the problem in the terminal left the browser
on the old report, as if nothing had changed. This page lists the located
messages instead, and reloads itself once a rebuild no longer has them.
Pure: the plugin asks for the Markdown and hands it to MkDocs.
"""

from __future__ import annotations

from markupsafe import escape

from .errors import CxsiteError

MARKER = "data-cxsite-problems"

# The page may be served as the site's 404 page (the browser was on a report
# page that the failed build does not have), where MkDocs' live-reload script
# is not injected: so the page asks for its own address every 1.5 s and
# reloads once the answer is no longer this page.
_RELOAD = ("<script>(function () {\n"
           "  var here = location.href;\n"
           "  setInterval(function () {\n"
           "    fetch(here, {cache: 'no-store'}).then(function (r) { return r.text(); })\n"
           f"      .then(function (t) {{ if (t.indexOf('{MARKER}') < 0) location.reload(); }})\n"
           "      .catch(function () {});\n"
           "  }, 1500);\n"
           "})();</script>")


def problem_lines(exc: CxsiteError) -> list[str]:
    """The error's messages, one a line (``path:line:col: what is wrong, what to do``)."""
    return [line for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]


def problems_markdown(exc: CxsiteError) -> str:
    """The Markdown of the problems page: a heading, every message escaped, the reload script.

    The messages quote data (a file name, a cell's value), so each is HTML-escaped
    and set in a raw HTML block that Markdown leaves alone.
    """
    lines = problem_lines(exc)
    items = "\n".join(f"<li><code>{escape(line)}</code></li>" for line in lines)
    count = "1 problem" if len(lines) == 1 else f"{len(lines)} problems"
    return (f"# The project has errors\n\n"
            f"<div class=\"cx-problems\" {MARKER}>\n"
            f"<p>cxsite found {count}. Fix the files named below and save: this page reloads with "
            f"the report once the project is valid again.</p>\n"
            f"<ul>\n{items}\n</ul>\n</div>\n\n{_RELOAD}\n")
