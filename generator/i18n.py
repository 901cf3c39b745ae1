"""The report in its engagement's language: cxsite's own catalogues, and the locale's numbers and dates.

cxsite's UI strings (the templates' phrases, the charts' labels, the
navigation) are English msgids in ``site_templates/locale/cxsite.pot``; each
language has its catalogue ``site_templates/locale/<lang>/LC_MESSAGES/cxsite.po``.
The catalogues are read with Babel and compiled in memory, once per process
(no ``.mo`` file to build or to go stale). A project's own
``site_templates/locale/<lang>/LC_MESSAGES/cxsite.po`` overrides the
packaged entries it translates, as its templates shadow the packaged ones.

:class:`Lang` is one language's whole vocabulary: its gettext and the
formats of its figures. English keeps the formats the golden files pin
("62%", "25 September 2026"); the other languages take theirs from Babel's
CLDR data ("62 %", "25 septembre 2026").
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
import io
import re
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import get_decimal_symbol
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations

from .errors import InputError, Location
from .resources import package_folder

DOMAIN = "cxsite"
LOCALE_DIR = package_folder("site_templates") / "locale"
ENGLISH = "en"
# The digits part of a CLDR number pattern ("#,##0 %"): replaced by our own digits.
_DIGITS = re.compile(r"[#0,.]+")


def catalogue_path(folder: Path, language: str) -> Path:
    """Where ``folder`` (a ``locale/`` folder) keeps ``language``'s catalogue of cxsite's strings."""
    return folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _syntax_problem(exc: PoFileError, shown: str) -> InputError:
    """A catalogue's syntax error at its line (Babel counts lines from 0)."""
    what = re.sub(r" on \d+$", "", str(exc))
    return InputError(Location(shown, (getattr(exc, "lineno", -1) or 0) + 1),
                      f"{what}; correct the catalogue (gettext PO syntax: msgid \"…\" then msgstr \"…\")")


def _read(path: Path, shown: str) -> Translations:
    """A catalogue compiled in memory; a malformed one is an :class:`InputError` at its line."""
    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, abort_invalid=True)
    except PoFileError as exc:
        raise _syntax_problem(exc, shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(shown, f"cannot be read ({exc}); save it as UTF-8 text") from None
    for message in catalog:
        if message.fuzzy:
            message.string = ""  # a fuzzy entry is a guess: the English stands until it is checked
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


_PLACEHOLDER = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)[sd]")


def placeholders(text: str) -> set[str]:
    """The ``%(name)s`` placeholders of a msgid or msgstr."""
    return set(_PLACEHOLDER.findall(text))


def check_catalogues(project_templates: Path | None, languages) -> list[InputError]:
    """Every problem of a project's own catalogues (``site_templates/locale/<lang>/LC_MESSAGES/cxsite.po``).

    Found before any page is built, each at its line: a PO syntax error, a
    language cxsite does not report in, a msgid cxsite does not use (a
    typo would silently override nothing), and a translation whose
    placeholders are not its msgid's (it would fail, or drop a figure,
    on the page).
    """
    folder = Path(project_templates) / "locale" if project_templates else None
    if folder is None or not folder.is_dir():
        return []
    known = _packaged_msgids()
    problems: list[InputError] = []
    for path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = path.parent.parent.name
        shown = f"{Path(project_templates).name}/locale/{language}/LC_MESSAGES/{DOMAIN}.po"
        if language not in languages:
            problems.append(InputError(shown, f"'{language}' is not a language cxsite reports in; name the "
                                              f"folder one of {', '.join(sorted(languages))}"))
            continue
        try:
            with path.open("rb") as fh:
                catalog = read_po(fh, abort_invalid=True)
        except PoFileError as exc:
            problems.append(_syntax_problem(exc, shown))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(InputError(shown, f"cannot be read ({exc}); save it as UTF-8 text"))
            continue
        problems += _entry_problems(catalog, known, shown)
    return problems


def _entry_problems(catalog, known: set[str], shown: str) -> list[InputError]:
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        where = Location(shown, message.lineno or 0)
        if ids[0] not in known:
            problems.append(InputError(where, f"msgid {ids[0]!r} is not one of cxsite's strings; copy it "
                                              f"exactly from site_templates/locale/{DOMAIN}.pot"))
            continue
        wanted = set().union(*(placeholders(i) for i in ids))
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for text in strings:
            if text and not placeholders(text) <= wanted:
                extra = sorted(placeholders(text) - wanted)
                given = ", ".join(f"%({x})s" for x in sorted(wanted))
                problems.append(InputError(where, f"the translation uses {', '.join(f'%({x})s' for x in extra)}, "
                                                  f"which its msgid does not give; "
                                                  + (f"use only {given}" if given else "the msgid has no placeholder")))
                break
    return problems


@functools.cache
def _packaged_msgids() -> set[str]:
    pot = LOCALE_DIR / f"{DOMAIN}.pot"
    with pot.open("rb") as fh:
        return {m.id[0] if isinstance(m.id, (list, tuple)) else m.id for m in read_po(fh) if m.id}


@functools.lru_cache(maxsize=16)
def _translations(language: str, project: str | None, stamp: tuple) -> _gettext.NullTranslations:
    found = catalogue_path(LOCALE_DIR, language)
    out: _gettext.NullTranslations = _read(found, str(found)) if found.is_file() else _gettext.NullTranslations()
    if project is not None:
        own = catalogue_path(Path(project), language)
        shown = f"site_templates/locale/{language}/LC_MESSAGES/{DOMAIN}.po"
        theirs = _read(own, shown)
        if isinstance(out, Translations):
            out = out.merge(theirs)  # the project's entries win over the packaged ones
        else:
            out = theirs
    return out


def translations(language: str, project_templates: Path | None = None) -> _gettext.NullTranslations:
    """``language``'s catalogue of cxsite's strings (with the project's own entries over the packaged ones).

    English is the msgids themselves, unless a project's catalogue for
    ``en`` rewords some. Cached per process; a catalogue whose file changed
    (a live preview) is read again.
    """
    project = None
    if project_templates is not None:
        own = catalogue_path(Path(project_templates) / "locale", language)
        if own.is_file():
            project = str(Path(project_templates) / "locale")
    files = [catalogue_path(LOCALE_DIR, language)] + ([catalogue_path(Path(project), language)] if project else [])
    stamp = tuple(p.stat().st_mtime_ns if p.is_file() else 0 for p in files)
    return _translations(language, project, stamp)


class Lang:
    """One language's gettext and its formats of figures, as plain text.

    The formats keep the English ones exactly (the golden files pin them);
    elsewhere the digits are the same (Python's rounding), with the locale's
    decimal sign and percent pattern from Babel.
    """

    def __init__(self, language: str = ENGLISH, project_templates: Path | None = None) -> None:
        self.language = language
        self.translations = translations(language, project_templates)
        self.gettext = self.translations.gettext
        self.ngettext = self.translations.ngettext
        self._decimal = get_decimal_symbol(language)
        self._percent = Locale.parse(language).percent_formats[None].pattern.split(";")[0]

    def translated(self, text: str | None) -> str | None:
        """``text`` (English from the results: a reason, a finding) in this language, if a catalogue has it.

        A marked msgid with placeholders (``fewer than %(need)s respondents…``)
        also translates the text it was formatted into: its values are
        matched back and put into the translation. Text no msgid matches
        stays as it is.
        """
        if not text or self.language == ENGLISH:
            return text
        found = self.gettext(text)
        if found != text:
            return found
        for pattern, msgid in self._patterns():
            match = pattern.fullmatch(text)
            if match:
                return self.gettext(msgid) % match.groupdict()
        return text

    @functools.cache
    def _patterns(self) -> list[tuple[re.Pattern, str]]:
        catalog = getattr(self.translations, "_catalog", {})
        out = []
        for msgid in sorted(k for k in catalog if isinstance(k, str) and "%(" in k):
            parts = re.split(r"%\(([a-z_]+)\)[sd]", msgid.replace("%%", "%"))
            if len(set(parts[1::2])) != len(parts[1::2]):
                continue  # a placeholder used twice: not worth a backreference here
            regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
            out.append((len("".join(parts[0::2])), re.compile(regex, re.S), msgid))
        # The most specific first: "fewer than %(n)s" would swallow any longer phrase starting so.
        return [(pattern, msgid) for _, pattern, msgid in sorted(out, key=lambda x: (-x[0], x[2]))]

    def fixed(self, value: float, places: int = 0) -> str:
        """``value`` with ``places`` decimals (no grouping: the report's figures are small)."""
        text = f"{value:.{places}f}"
        return text if self.language == ENGLISH else text.replace(".", self._decimal)

    def percent(self, share: float, places: int = 0) -> str:
        """A 0-1 share as a percentage in the locale's pattern: ``62%``, ``62 %``."""
        digits = self.fixed(100 * share, places)
        if self.language == ENGLISH:
            return f"{digits}%"
        return _DIGITS.sub(digits, self._percent, count=1)

    def date(self, day: dt.date) -> str:
        """A date in words: ``25 September 2026``, ``25 septembre 2026``, ``25. September 2026``."""
        if self.language == ENGLISH:
            return format_date(day, "d MMMM y", locale=ENGLISH)
        return format_date(day, "long", locale=self.language)


@functools.lru_cache(maxsize=16)
def _lang(language: str, project: str | None, stamp: tuple) -> Lang:
    return Lang(language, Path(project) if project else None)


def lang_for(language: str, project_templates: Path | None = None) -> Lang:
    """The cached :class:`Lang` of ``language`` (and the project's own catalogue, if it has one)."""
    project = str(project_templates) if project_templates is not None else None
    files = [catalogue_path(LOCALE_DIR, language)]
    if project:
        files.append(catalogue_path(Path(project) / "locale", language))
    stamp = tuple(p.stat().st_mtime_ns if p.is_file() else 0 for p in files)
    return _lang(language, project, stamp)


_HTML_LANG = re.compile(r'<html lang="[^"]*"')


def with_lang(html: str, language: str) -> str:
    """A built page whose ``<html lang>`` is ``language``: the theme writes the site's, a page may be in another.

    Only the first ``<html lang="…">`` changes (the document's own tag, as
    Material's base template writes it); a page without one is left as it is.
    """
    return _HTML_LANG.sub(f'<html lang="{language}"', html, count=1)
