"""Markdown rendering: the Jinja2 environment, escaping and number formats.

Data never becomes template source: values reach templates only as variables,
and every string printed with ``{{ … }}`` passes through :func:`md_escape`
(via Jinja2's ``finalize``), so text from YAML or responses cannot open an
HTML tag, a Markdown link, an attribute list or a template expression. Only
values the templates build themselves are marked safe (:class:`Markup`).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateError,
    TemplateNotFound, TemplateSyntaxError, nodes,
)
from jinja2.ext import InternationalizationExtension
from jinja2.runtime import BlockReference, Context
from markupsafe import Markup

from .errors import InputError, InternalError, Location
from .i18n import ENGLISH, Lang, lang_for
from .resources import missing_packaged, package_folder
from .urls import url_for

DEFAULT_TEMPLATES = package_folder("site_templates")
# A project template names the packaged one it builds on as "default:NAME",
# like Material's custom_dir: the project's file shadows the packaged file,
# which stays reachable under this prefix.
DEFAULT_PREFIX = "default"

# Characters Python-Markdown honours a backslash escape for.
_BACKSLASH = set("\\`*_{}[]()#+!|")
# Characters that mean something in HTML, or in extensions where no backslash
# escape exists: written as entities.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "~": "&#126;",
             "^": "&#94;", "=": "&#61;", "$": "&#36;"}
# One table for str.translate (a loop over the characters was most of a long page's rendering).
_ESCAPES = str.maketrans({**{ch: "\\" + ch for ch in _BACKSLASH}, **_ENTITIES})
_LEADING_LIST = re.compile(r"^(\d+)([.)])")
_SPACE = re.compile(r"\s+")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")
EN = lang_for(ENGLISH)


def md_escape(value: Any) -> str:
    """Escape text so Markdown and HTML show it literally, on one line."""
    escaped = _SPACE.sub(" ", str(value)).strip().translate(_ESCAPES)
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
# to it like the start of a numbered list). Each takes the page's language
# (:class:`cxsite.i18n.Lang`; the environment binds it), English by default.

def pct(share: float | None, lang: Lang = EN) -> Markup:
    """A 0-1 share as a whole percentage: ``0.624 -> '62%'`` (``'62 %'`` in French)."""
    return Markup("–" if share is None else lang.percent(share))


def score(value: float | None, lang: Lang = EN) -> Markup:
    """A 0-100 score to the nearest whole point."""
    return Markup("–" if value is None else lang.fixed(value))


def num(value: float | None, places: int = 2, lang: Lang = EN) -> Markup:
    return Markup("–" if value is None else lang.fixed(value, places))


def plus(value: float | None, places: int = 0, lang: Lang = EN) -> Markup:
    """A signed figure with a true minus sign: ``+12``, ``−33``."""
    if value is None:
        return Markup("–")
    text = lang.fixed(value, places)
    return Markup(text.replace("-", "−") if text.startswith("-") else "+" + text)


def signed(value: float | None, places: int = 0, lang: Lang = EN) -> Markup:
    """A change with its sign and arrow: ``▲ +3``, ``▼ −2``, ``● 0``."""
    if value is None:
        return Markup("–")
    rounded = round(value, places)
    text = lang.fixed(abs(rounded), places)
    if rounded > 0:
        return Markup(f"▲ +{text}")
    if rounded < 0:
        return Markup(f"▼ −{text}")
    return Markup(f"● {text}")


def interval(ci: Sequence[float] | None, kind: str = "score", lang: Lang = EN) -> Markup:
    """A 95 % interval as its two ends: ``53–60`` (score), ``33–47%`` (pct), ``0.87–0.92`` (num), ``−21 to +2`` (plus)."""
    if ci is None:
        return Markup("–")
    if kind == "plus":
        return Markup(lang.gettext("%(low)s to %(high)s") % {"low": plus(ci[0], lang=lang),
                                                             "high": plus(ci[1], lang=lang)})
    if kind == "pct":
        return Markup(f"{lang.fixed(100 * ci[0])}–{pct(ci[1], lang)}")
    low, high = ((num if kind == "num" else score)(v, lang=lang) for v in ci)
    return Markup(f"{low}–{high}")


def change(c: dict | None, places: int = 0, lang: Lang = EN) -> Markup:
    """A change since the previous wave: ``▲ +3`` / ``▼ −2`` only when its test says it is clear.

    ``significant`` (dimensions: Holm-adjusted p below 0.05) or, for NPS,
    whose change has one test of its own, its p below 0.05. Others read
    "no clear change": the arrow is kept for changes that survive the test.
    """
    if c is None:
        return Markup("–")
    if c["delta"] is None:
        return Markup(lang.gettext("not comparable"))  # the waves did not ask the same thing: c["reason"] says why
    clear = c["significant"] if "significant" in c else c.get("p_value") is not None and c["p_value"] < 0.05
    return signed(c["delta"], places, lang) if clear else Markup(lang.gettext("no clear change"))


def longdate(day: dt.date, lang: Lang = EN) -> Markup:
    """A date in words in the page's language: ``25 September 2026``, ``25 septembre 2026``."""
    return Markup(lang.date(day))


def day(value: dt.date | str, lang: Lang = EN) -> Markup | str:
    """A date in a table or a line of the methodology: ISO in English (``2026-09-25``), in words elsewhere.

    ``value`` may be the ISO text the results keep (an action's ``due``);
    text that is not a date is returned as it is, for the data escaper.
    """
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return value
    return Markup(value.isoformat() if lang.language == ENGLISH else lang.date(value))


def slug(heading: Any) -> Markup:
    """The anchor Python-Markdown's toc gives ``heading`` (``How sure the figures are`` -> ``how-sure-the-figures-are``).

    Headings are translated, so a link to one is made from its text in
    the page's language rather than spelt in the template.
    """
    from markdown.extensions.toc import slugify

    return Markup(slugify(str(heading), "-"))


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


class TransExtension(InternationalizationExtension):
    """Jinja2's i18n extension whose trimmed msgids keep the template's own line breaks in English.

    A ``{% trans %}`` block is trimmed (its line breaks and indentation
    become single spaces), so its msgid does not change when a template is
    rewrapped. Where a phrase is not translated, the page shows it as the
    template wrote it, so English pages stay byte for byte what they were:
    the block's own text reaches the page's gettext (:func:`_install_gettext`) as ``_as_written``.
    """

    def __init__(self, environment) -> None:
        super().__init__(environment)
        self._written: list[str] = []

    def _trim_whitespace(self, string: str, _ws_re=None) -> str:
        self._written.append(string.strip())
        return super()._trim_whitespace(string)

    def _make_node(self, singular, plural, context, variables, plural_expr, vars_referenced, num_called_num):
        written, self._written = tuple(self._written), []
        node = super()._make_node(singular, plural, context, variables, plural_expr, vars_referenced,
                                  num_called_num)
        call = node.nodes[0] if isinstance(node, nodes.Output) and node.nodes else None
        if written and isinstance(call, nodes.Call) and written != tuple(x for x in (singular, plural) if x):
            call.kwargs.append(nodes.Keyword("_as_written", nodes.Const(written)))
        return node


class _Block(BlockReference):
    """A ``{{ super() }}`` whose text is Markup: it is template output, escaped already.

    Without autoescape Jinja returns it as a plain string, which the data
    escaper (``finalize``) would then flatten ("\\#\\# Summary" on one line).
    """

    def __call__(self) -> Markup:
        return Markup(super().__call__())


class _Context(Context):
    def super(self, name: str, current):
        found = super().super(name, current)
        return _Block(name, self, found._stack, found._depth) if isinstance(found, BlockReference) else found


def make_environment(project_templates: Path | None = None, language: str = ENGLISH) -> Environment:
    """The Jinja2 environment of pages in ``language``; a project's own ``site_templates/`` shadows the defaults.

    A template is looked up in the project's folder first, then among the
    packaged templates; ``default:NAME`` is always the packaged ``NAME``, so a
    project's ``overview.md.j2`` can ``{% extends "default:overview.md.j2" %}``
    and override one ``{% block %}``. The templates' phrases are translated
    (``{% trans %}``, ``_()``) and their figures formatted for ``language``
    (:mod:`cxsite.i18n`), so each language has an environment of its own.

    Compiled templates live only in this process's memory (see
    :func:`_environment`), never in a file: Jinja's bytecode cache loads
    entries with :func:`marshal.loads` and runs them, so a cache kept in the
    project folder (which is handed from consultant to consultant) would run
    whatever code a crafted entry holds.
    """
    project = None
    if project_templates and project_templates.is_dir() and project_templates.resolve() != DEFAULT_TEMPLATES:
        project = str(project_templates)
    return _environment(project, str(DEFAULT_TEMPLATES), lang_for(language, Path(project) if project else None))


@functools.lru_cache(maxsize=8)
def _environment(project: str | None, default: str, lang: Lang) -> Environment:
    # One environment per process, template folders and language: compiling the
    # templates costs about a fifth of a second, paid once per process rather
    # than for every client a portfolio worker builds. A new process compiles
    # them again; that is all an on-disk cache saved, and it is not worth
    # executing bytes read from disk. Jinja still reloads a template whose
    # file changed (auto_reload), so a live preview sees edits.
    packaged = FileSystemLoader(default)
    # The prefix comes first, so no project file can take the name "default:X".
    loaders = [PrefixLoader({DEFAULT_PREFIX: packaged}, delimiter=":")]
    if project:
        loaders.append(FileSystemLoader(project))
    loaders.append(packaged)
    env = Environment(
        loader=ChoiceLoader(loaders),
        finalize=_finalize,
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[TransExtension],
    )
    env.filters.update({name: functools.partial(f, lang=lang) for name, f in _LOCAL_FILTERS.items()})
    env.filters.update(code=code, htmlattr=htmlattr, htmltext=htmltext, slug=slug)
    env.globals["safe"] = Markup
    env.globals["url_for"] = url_for  # the site's URL scheme (cxsite.urls): no template spells a path
    env.globals["language"] = lang.language
    _install_gettext(env, lang)
    env.cxsite_lang = lang  # for the words Python puts on the same pages (lang_of)
    env.context_class = _Context
    return env


def lang_of(env: Environment) -> Lang:
    """The language ``env`` renders in (:func:`make_environment`'s), for the words Python puts on its pages."""
    return env.cxsite_lang


_LOCAL_FILTERS = {"pct": pct, "score": score, "num": num, "plus": plus, "signed": signed, "interval": interval,
                  "change": change, "longdate": longdate, "day": day}


def _install_gettext(env: Environment, lang: Lang) -> None:
    """``_()``, ``gettext``, ``ngettext`` and ``{% trans %}`` in ``lang``, keeping the escaping rules.

    A translated phrase is template text (Markdown written by us or a
    translator), so it is Markup; the values put into it are escaped as
    any ``{{ … }}`` is (:func:`_finalize`). Jinja's own newstyle gettext
    would return a plain string, which the finalizer then escaped whole,
    Markdown and all. Every ``{% trans %}`` block is trimmed (whitespace
    runs and line breaks become one space), so a phrase's msgid does not
    depend on how its template wraps lines; untranslated, it keeps them.
    """
    def formatted(text: str, variables: dict) -> Markup:
        return Markup(text % {key: _finalize(value) for key, value in variables.items()})

    def gettext(message: str, _as_written: tuple = (), **variables: Any) -> Markup:
        text = lang.gettext(message)
        # Untranslated, a {% trans %} block reads as its template wrote it (see TransExtension).
        return formatted(_as_written[0] if _as_written and text == message else text, variables)

    def ngettext(singular: str, plural: str, count: int, _as_written: tuple = (), **variables: Any) -> Markup:
        variables.setdefault("num", count)
        text = lang.ngettext(singular, plural, count)
        if len(_as_written) == 2 and text in (singular, plural):
            text = _as_written[text == plural]
        return formatted(text, variables)

    env.newstyle_gettext = True
    env.policies["ext.i18n.trimmed"] = True
    env.globals.update(gettext=gettext, ngettext=ngettext, _=gettext)
    # A msgid that is data (a status, a download's kind: marked N_ where Python defines it),
    # translated as plain text, so that the data escaper still sees it.
    env.globals["translated"] = lang.translated


def render(env: Environment, template: str, **context: Any) -> str:
    """Render ``template`` with ``context``; a template's mistake becomes a located :class:`InputError`."""
    try:
        text = env.get_template(template).render(**context)
    except TemplateError as exc:
        raise template_problem(env, exc, template) from None
    # Templates are written for readability; collapse the blank runs they leave.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _folders(env: Environment) -> tuple[Path | None, Path]:
    """The project's template folder (or None) and the packaged one, as ``env`` searches them."""
    searched = [Path(loader.searchpath[0]) for loader in env.loader.loaders[1:]]
    return (searched[0] if len(searched) > 1 else None), searched[-1]


def project_folder(env: Environment) -> Path | None:
    """The project's own template folder ``env`` searches first, or None (the packaged templates only)."""
    return _folders(env)[0]


def _shown(filename: str, env: Environment) -> str:
    """A template file as messages name it: ``site_templates/x.md.j2``, or ``default:x.md.j2``."""
    project, default = _folders(env)
    path = Path(filename)
    if project is not None and path.is_relative_to(project):
        return str(path.relative_to(project.parent))
    if path.is_relative_to(default):
        return f"{DEFAULT_PREFIX}:{path.relative_to(default).as_posix()}"
    return filename


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line of ``exc``'s traceback.

    Jinja rewrites a rendering error's traceback so that its frames name the
    template file and line; that is where the message points.
    """
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def packaged_names() -> list[str]:
    """The packaged page templates, as ``default:`` takes them."""
    return sorted(p.name for p in DEFAULT_TEMPLATES.glob("*.j2"))


def _not_found(name: str) -> str:
    if name.startswith(DEFAULT_PREFIX + ":"):
        return (f"there is no packaged template '{name.split(':', 1)[1]}' to build on; after "
                f"'{DEFAULT_PREFIX}:' name one of {', '.join(packaged_names())}")
    return (f"template '{name}' not found in the project's site_templates/ nor among the packaged "
            f"templates; correct the name, or add the file to site_templates/")


def template_problem(env: Environment, exc: TemplateError, template: str) -> InputError | InternalError:
    """What went wrong in a template, at its file and line, and what to do.

    A page template missing from the package is cxsite's failure, not the
    project's (:class:`InternalError`, exit 2)."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return InputError(Location(_shown(exc.filename, env), exc.lineno or 0),
                          f"{exc.message}; correct the template (Jinja2 syntax)")
    frame = _template_frame(exc)
    if isinstance(exc, TemplateNotFound):
        if frame is None:
            # The page template itself is missing: nobody shadowed it, so the
            # packaged copy is gone.
            return InternalError(missing_packaged(DEFAULT_TEMPLATES / template))
        return InputError(Location(_shown(frame[0], env), frame[1]), _not_found(exc.name))
    where = Location(_shown(frame[0], env), frame[1]) if frame else Location(template)
    return InputError(where, f"{exc.message or type(exc).__name__}; see the packaged "
                             f"'{DEFAULT_PREFIX}:{template}' for what a page's template is given")


def _referenced(tree: nodes.Template):
    """Each template name written literally in ``{% extends/include/import/from %}``, with its line."""
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        names = node.template.items if isinstance(node.template, (nodes.List, nodes.Tuple)) else [node.template]
        for name in names:
            if isinstance(name, nodes.Const) and isinstance(name.value, str):
                yield name.value, node.lineno, getattr(node, "ignore_missing", False)


def check_templates(env: Environment) -> list[InputError]:
    """Every problem of the project's own templates that shows without rendering them.

    Syntax errors, and a name in ``extends``/``include``/``import`` that no
    folder holds (``default:overveiw.md.j2``): found before any page is built,
    each at its file, line and column.
    """
    project, _ = _folders(env)
    problems: list[InputError] = []
    for path in sorted(project.rglob("*.j2")) if project is not None else []:
        shown = _shown(str(path), env)
        try:
            source = path.read_text(encoding="utf-8")
            tree = env.parse(source, path.name, str(path))
        except TemplateSyntaxError as exc:
            problems.append(InputError(Location(shown, exc.lineno or 0), f"{exc.message}; correct the "
                                                                        "template (Jinja2 syntax)"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(InputError(shown, f"cannot be read ({exc}); save it as UTF-8 text"))
            continue
        lines = source.splitlines()
        for name, line, optional in _referenced(tree):
            try:
                env.loader.get_source(env, name)
            except TemplateNotFound:
                if not optional:
                    text = lines[line - 1] if 0 < line <= len(lines) else ""
                    problems.append(InputError(Location(shown, line, text.find(name) + 1), _not_found(name)))
    return problems
