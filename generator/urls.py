"""The site's URL scheme: where each generated page and file lives, and the links between them.

Written once, here. Python takes a page's path from :func:`site_path` (the
page set, the navigation, the PDF printer); templates link with
``url_for(NAME, ...)``, which gives the path relative to the page being
rendered, so no template spells a site path. A link names the target's
Markdown source (``../index.md``): MkDocs checks it (strict builds fail on a
broken one) and turns it into the page's URL, with or without directory URLs.

Because a link is made relative to the page that is being rendered, a
section of the print page links correctly from there, whatever page its
template was written for.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from jinja2 import TemplateRuntimeError, pass_context
from markupsafe import Markup

# Each page or file of the site, by the name url_for takes, with the parameters its path needs.
PAGES = {
    "home": "index.md",
    "questionnaires": "questionnaires/index.md",
    "questionnaire": "questionnaires/{qid}.md",
    "overview": "engagements/{eid}/index.md",
    "dimension": "engagements/{eid}/dimensions/{dim}.md",
    "segments": "engagements/{eid}/segments.md",
    "comments": "engagements/{eid}/comments.md",
    "methodology": "engagements/{eid}/methodology.md",
    "print": "engagements/{eid}/print.md",
    "pdf": "engagements/{eid}/{eid}.pdf",  # written by cxsite build --pdf, beside the overview
    "logo": "engagements/{eid}/logo{suffix}",
    "download": "questionnaires/{file}",  # a questionnaire's export for fielding (cxsite.downloads)
    "actions": "engagements/{eid}/actions.md",  # what the client committed to, and the follow-up (cxsite.actions)
    "mirror": "engagements/{eid}/mirror.md",  # a staff wave beside its customers and assessor (cxsite.mirror_page)
}

# The parameters each path names, read from its pattern once.
_NEEDED = {name: {part.split("}", 1)[0] for part in pattern.split("{")[1:]} for name, pattern in PAGES.items()}


def site_path(name: str, **params: str) -> str:
    """The path of page or file ``name`` inside the site: ``site_path("dimension", eid="acme", dim="trust")``.

    Parameters
    ----------
    name : str
        A key of :data:`PAGES`.
    **params : str
        The values its path names (``eid``, ``qid``, ``dim``, ``suffix``). Ids are
        slugs already; anything else is percent-encoded, and an empty value,
        ``.`` or ``..`` is refused, so a value can never add or leave a folder,
        a query or a fragment.

    Raises
    ------
    ValueError
        For an unknown name, a parameter missing or left over, or a value that names no file.
    """
    if name not in PAGES:
        raise ValueError(f"no page '{name}' in the site's URL scheme; one of {', '.join(sorted(PAGES))}")
    pattern, needed = PAGES[name], _NEEDED[name]
    if params.keys() != needed:
        raise ValueError(f"page '{name}' takes {', '.join(sorted(needed)) or 'no parameters'}, "
                         f"not {', '.join(sorted(params)) or 'none'}")
    values = {k: quote(str(v), safe="") for k, v in params.items()}
    bad = sorted(k for k, v in values.items() if v in ("", ".", ".."))
    if bad:
        raise ValueError(f"page '{name}' needs a name for {', '.join(bad)}, not '{params[bad[0]]}'")
    return pattern.format(**values)


def built_page(path: str, directory_urls: bool = True) -> tuple[str, str]:
    """Where MkDocs puts page ``path`` (a ``.md`` of the site): ``(file written, URL path)``.

    ``engagements/x/print.md`` is ``engagements/x/print/index.html`` at
    ``engagements/x/print/`` with directory URLs (MkDocs' default), and
    ``engagements/x/print.html`` without them (an offline site, ``--zip``).
    """
    stem = path[:-len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html", stem[:-len("index")]
    if directory_urls:
        return f"{stem}/index.html", f"{stem}/"
    return f"{stem}.html", f"{stem}.html"


def relative(target: str, page: str) -> str:
    """``target``, a path inside the site, as a link from ``page``.

    ``relative("index.md", "a/b.md") == "../index.md"``. Both are normal
    site paths (no ``.``, ``..`` or empty segment: :func:`site_path` makes
    them), so this is :func:`posixpath.relpath` without its two calls to
    :func:`os.getcwd`: a page's every link asks it, and that was a tenth of
    the time the pages took to render.
    """
    parts, folder = target.split("/"), page.split("/")[:-1]
    common = 0
    for mine, theirs in zip(parts, folder):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(folder) - common) + parts[common:]) or "."


@functools.lru_cache(maxsize=65536)
def link(name: str, page: str, anchor: str | None = None, **params: str) -> str:
    """A relative link from ``page`` to page ``name`` (see :func:`site_path`), to ``#anchor`` in it if given.

    Kept: the same page links to the same pages in every build of a process
    (a portfolio's clients, a ``serve`` session), and a report links often.
    """
    return relative(site_path(name, **params), page) + (f"#{quote(anchor, safe='')}" if anchor else "")


@pass_context
def url_for(context, name: str, anchor: str | None = None, **params: str) -> Markup:
    """The templates' ``url_for(NAME, ...)``: a link from the page being rendered (``page_path``).

    A mistake in a call (an unknown page, a parameter missing) is the
    template's, reported at its line like any other template error.
    """
    page = context.get("page_path")
    if not isinstance(page, str):
        raise TemplateRuntimeError("url_for needs the page being rendered (page_path); "
                                   "it is given to every page template")
    try:
        # Markup: the path is percent-encoded already, and an escape would show in a link target.
        return Markup(link(name, page, anchor, **params))
    except ValueError as exc:
        raise TemplateRuntimeError(f"url_for: {exc}") from None
