"""Markdown rendering: the Jinja2 environment, escaping and number formats.

Data never becomes template source: values reach templates only as variables,
and every string printed with ``{{ … }}`` passes through :func:`md_escape`
(via Jinja2's ``finalize``), so text from YAML or responses cannot open an
HTML tag, a Markdown link, an attribute list or a template expression. Only
values the templates build themselves are marked safe (:class:`Markup`).
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .resources import package_folder

DEFAULT_TEMPLATES = package_folder("site_templates")

# Characters Python-Markdown honours a backslash escape for.
_BACKSLASH = set("\\`*_{}[]()#+!|")
# Characters that mean something in HTML, or in extensions where no backslash
# escape exists: written as entities.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "~": "&#126;",
             "^": "&#94;", "=": "&#61;", "$": "&#36;"}
_LEADING_LIST = re.compile(r"^(\d+)([.)])")
_SPACE = re.compile(r"\s+")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")


def md_escape(value: Any) -> str:
    """Escape text so Markdown and HTML show it literally, on one line."""
    text = _SPACE.sub(" ", str(value)).strip()
    out = []
    for ch in text:
        if ch in _BACKSLASH:
            out.append("\\" + ch)
        elif ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        else:
            out.append(ch)
    escaped = "".join(out)
    # A value that starts a line must not start a list.
    if escaped[:1] in ("-",):
        escaped = "&#45;" + escaped[1:]
    match = _LEADING_LIST.match(escaped)
    if match:
        escaped = match.group(1) + ("&#46;" if match.group(2) == "." else "&#41;") + escaped[match.end():]
    return escaped


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return md_escape(value)


# The number formats below return Markup: they print only digits and signs of
# our own making, which the data escaper would otherwise mangle ("3.26" reads
# to it like the start of a numbered list).

def pct(share: float | None) -> Markup:
    """A 0-1 share as a whole percentage: ``0.624 -> '62%'``."""
    return Markup("–" if share is None else f"{100 * share:.0f}%")


def score(value: float | None) -> Markup:
    """A 0-100 score to the nearest whole point."""
    return Markup("–" if value is None else f"{value:.0f}")


def num(value: float | None, places: int = 2) -> Markup:
    return Markup("–" if value is None else f"{value:.{places}f}")


def plus(value: float | None, places: int = 0) -> Markup:
    """A signed figure with a true minus sign: ``+12``, ``−33``."""
    if value is None:
        return Markup("–")
    text = f"{value:+.{places}f}"
    return Markup(text.replace("-", "−"))


def signed(value: float | None, places: int = 0) -> Markup:
    """A change with its sign and arrow: ``▲ +3``, ``▼ −2``, ``● 0``."""
    if value is None:
        return Markup("–")
    rounded = round(value, places)
    text = f"{abs(rounded):.{places}f}"
    if rounded > 0:
        return Markup(f"▲ +{text}")
    if rounded < 0:
        return Markup(f"▼ −{text}")
    return Markup(f"● {text}")


def code(value: Any) -> Markup | str:
    """An id as inline code; only ids that need no escaping qualify."""
    text = str(value)
    return Markup(f"`{text}`") if _ID.match(text) else md_escape(text)


def htmlattr(value: Any) -> Markup:
    """Text for an HTML attribute inside raw HTML, where Markdown escapes would show."""
    return Markup(html.escape(" ".join(str(value).split()), quote=True))


def htmltext(value: Any) -> Markup:
    """Text for an element of raw HTML (``<p class="cx-cover">``), on one line.

    Markdown leaves a raw HTML block as it is, so backslash escapes of
    :func:`md_escape` would show ("\\(phase 2\\)"); HTML entities are what
    the browser reads there.
    """
    return Markup(html.escape(" ".join(str(value).split()), quote=True))


def make_environment(project_templates: Path | None = None) -> Environment:
    """The Jinja2 environment; a project's own ``site_templates/`` overrides the defaults.

    Compiled templates live only in this process's memory (see
    :func:`_environment`), never in a file: Jinja's bytecode cache loads
    entries with :func:`marshal.loads` and runs them, so a cache kept in the
    project folder (which is handed from consultant to consultant) would run
    whatever code a crafted entry holds.
    """
    paths = []
    if project_templates and project_templates.is_dir() and project_templates.resolve() != DEFAULT_TEMPLATES:
        paths.append(str(project_templates))
    paths.append(str(DEFAULT_TEMPLATES))
    return _environment(tuple(paths))


@functools.lru_cache(maxsize=8)
def _environment(paths: tuple[str, ...]) -> Environment:
    # One environment per process and template folders: compiling the
    # templates costs about a fifth of a second, paid once per process rather
    # than for every client a portfolio worker builds. A new process compiles
    # them again; that is all an on-disk cache saved, and it is not worth
    # executing bytes read from disk. Jinja still reloads a template whose
    # file changed (auto_reload), so a live preview sees edits.
    env = Environment(
        loader=FileSystemLoader(list(paths)),
        finalize=_finalize,
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(pct=pct, score=score, num=num, plus=plus, signed=signed, code=code, htmlattr=htmlattr,
                       htmltext=htmltext)
    env.globals["safe"] = Markup
    return env


def render(env: Environment, template: str, **context: Any) -> str:
    text = env.get_template(template).render(**context)
    # Templates are written for readability; collapse the blank runs they leave.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
