"""Translated questionnaires: gettext catalogues beside the questionnaire they translate.

A questionnaire ``assessments/<stem>.yml`` is translated into language ``LL``
by ``assessments/<stem>.LL.po`` (an archived version
``assessments/archive/<id>-<version>.yml`` by ``assessments/archive/<id>-<version>.LL.po``).
Each entry's ``msgctxt`` is the place of a text in the questionnaire
(:func:`entries`), its ``msgid`` the English text, its ``msgstr`` the translation.

An engagement with ``language: LL`` gets the translated questionnaire
(:func:`in_language`): the same ids, scales, points, weights and keying, only
its texts changed, so its scores are those of the English one. A catalogue is
checked only when an engagement uses it; every problem is reported at its
line in the PO file. ``cxsite translate`` writes and updates catalogues
(:mod:`cxsite.translate_po`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ErrorCollector, InputError, Location, display_path
from .limits import MAX_YAML_BYTES
from .model import NA, Item, Questionnaire, Scale
from .resources import package_folder
from .yamlsafe import read_text

LANGUAGE_NAMES = {"de": "German", "en": "English", "es": "Spanish", "fr": "French"}


def entries(q: Questionnaire) -> list[tuple[str, str]]:
    """Every text of ``q`` as ``(msgctxt, English text)``, in the questionnaire's order.

    ``msgctxt`` is the text's YAML path with ids for list elements (a list of
    plain texts, such as a band's actions, by index from 0). A point label that
    is only its number (the unlabelled points of an NPS scale) is no text.
    """
    out = [("title", q.title), ("summary", q.summary)]
    for sid, scale in q.scales.items():
        out += [(f"scales.{sid}.points.{p}", label) for p, label in scale.points.items() if label != str(p)]
        out += [(f"scales.{sid}.not_applicable.{n}", na) for n, na in enumerate(scale.not_applicable)]
    for b in q.bands:
        out += [(f"bands.{b.id}.label", b.label), (f"bands.{b.id}.summary", b.summary)]
    for d in q.dimensions:
        base = f"dimensions.{d.id}"
        out += [(f"{base}.title", d.title), (f"{base}.description", d.description)]
        for item in d.items:
            out += _question(f"{base}.items.{item.id}", item)
        out += [(f"{base}.narratives.{band}", text) for band, text in d.narratives.items()]
        for band, actions in d.actions.items():
            out += [(f"{base}.actions.{band}.{n}", text) for n, text in enumerate(actions)]
    for o in q.outcomes:
        out += _question(f"outcomes.{o.id}", o)
    for o in q.open_questions:
        out += _question(f"open_questions.{o.id}", o)
    return out


# Texts the issue's list of paths leaves out (an outcome's or open question's customers' wording):
# written by 'cxsite translate' like the others, but a catalogue without them is complete, and the
# question is then asked of customers in its translated text (no English left in the report).
OPTIONAL = re.compile(r"^(outcomes|open_questions)\.[^.]+\.customer_text$")


def _question(base: str, x) -> list[tuple[str, str]]:
    return [(f"{base}.text", x.text)] + ([(f"{base}.customer_text", x.customer_text)] if x.customer_text else [])


# --------------------------------------------------------------------------- where a catalogue lives

def beside(q: Questionnaire, lang: str) -> Path:
    """The catalogue file next to ``q``'s own file: ``<stem>.<lang>.po``."""
    path = Path(q.path_abs)
    return path.with_name(f"{path.stem}.{lang}.po")


def catalogue_target(q: Questionnaire, lang: str, root: Path) -> Path:
    """Where the project keeps ``q``'s catalogue in ``lang`` (what ``cxsite translate`` writes).

    A project's own questionnaire has it beside its file. A built-in one
    has it at the same place in the project's ``assessments/``: a practice
    translates a built-in questionnaire without touching the installed cxsite.
    """
    if q.source != "built-in":
        return beside(q, lang)
    library = package_folder("assessments").resolve()
    path = Path(q.path_abs).resolve()
    relative = path.relative_to(library) if path.is_relative_to(library) else Path(path.name)
    return (root / "assessments" / relative).with_name(f"{path.stem}.{lang}.po")


def find_catalogue(q: Questionnaire, lang: str, root: Path) -> Path | None:
    """The catalogue an engagement in ``lang`` reads: the project's, else (built-in) the packaged one."""
    for path in dict.fromkeys((catalogue_target(q, lang, root), beside(q, lang))):
        if path.is_file():
            return path
    return None


# --------------------------------------------------------------------------- reading a catalogue

@dataclass(frozen=True)
class Message:
    """One entry of a catalogue as read, with the line of its ``msgid``."""

    context: str | None
    id: str
    string: str
    fuzzy: bool
    line: int
    previous: str | None = None  # the ``#| msgid`` of a fuzzy entry: the English it was translated from


_STRING = r'"(?:[^"\\]|\\[\\"ntr])*"'
_LINE = re.compile(rf'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$')


def _lexical_problem(lines: list[str]) -> tuple[int, str] | None:
    """The first line that is no PO syntax at all, which Babel's reader would skip without a word."""
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text and not text.startswith("#") and not _LINE.match(text):
            return number, (f"'{text[:40]}' is not a line of a PO file (a keyword and a quoted string, a "
                            "quoted continuation, or a # comment); close the string's quotes, or escape "
                            'a quote inside it as \\"')
    return None


def read_catalogue(text: str, display: str) -> tuple[list[Message], list[InputError]]:
    """The entries of a PO file's ``text`` (header left out), or the reason it cannot be read, located."""
    from babel.messages.pofile import PoFileError, read_po

    lines = [line.rstrip("\r") for line in text.split("\n")]  # as Babel reads it: a string may hold \v or \x85
    bad = _lexical_problem(lines)
    if bad is None:
        try:
            catalog = read_po(io.StringIO(text), abort_invalid=True)
        except PoFileError as exc:
            bad = exc.lineno + 1, f"{exc} (Babel); correct the PO syntax there"
        except (ValueError, TypeError, LookupError) as exc:  # a header Babel cannot use (a bad charset)
            bad = 1, f"the catalogue's header cannot be read: {exc}; write the header as cxsite translate does"
    if bad is not None:
        return [], [InputError(Location(display, bad[0], 1), f"malformed PO file: {bad[1]}", code="po-syntax")]
    repeated = _repeated_context(lines)
    if repeated:  # Babel merges such entries into one, the later msgstr silently winning
        return [], [InputError(Location(display, repeated[0], 1), repeated[1], code="translation-duplicate-context")]
    previous = _previous_ids(lines)
    found = [Message(m.context, m.id, m.string, m.fuzzy, m.lineno, previous.get(m.lineno))
             for m in catalog if m.id]
    plural = [m for m in found if not isinstance(m.id, str)]
    if plural:
        return [], [InputError(Location(display, plural[0].line, 1), "malformed PO file: a plural entry "
                               "(msgid_plural); questionnaire texts have no plural forms, remove it",
                               code="po-syntax")]
    return found, []


def _repeated_context(lines: list[str]) -> tuple[int, str] | None:
    """The line of the second entry of a ``msgctxt`` given twice (its ``msgid``) and the message, or None."""
    from babel.messages.pofile import unescape

    first: dict[str, int] = {}
    context = None
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith("msgctxt "):
            context = unescape(text[len("msgctxt "):])
        elif text.startswith('"') and context is not None:
            context += unescape(text)
        elif text.startswith("msgid ") and context is not None:
            if context in first:
                return number, f"msgctxt '{context}' is also the entry at line {first[context]}; keep one of them"
            first[context], context = number, None
    return None


def _previous_ids(lines: list[str]) -> dict[int, str]:
    """The ``#| msgid`` of each entry (by its msgid's line), which Babel 2.18's reader drops."""
    from babel.messages.pofile import unescape

    found, pending = {}, []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith("#| msgid "):
            pending = [text[len("#| msgid "):]]
        elif text.startswith('#| "') and pending:
            pending.append(text[3:])
        elif text.startswith("msgid ") and pending:
            found[number] = "".join(unescape(part.strip()) for part in pending)
            pending = []
        elif not text:
            pending = []
    return found


# --------------------------------------------------------------------------- checking and applying

def check(q: Questionnaire, messages: list[Message], display: str, lang: str) -> tuple[dict[str, str], list[InputError]]:
    """The translations by ``msgctxt``, and every problem of the catalogue, at its line.

    A problem: an entry missing or untranslated, fuzzy, stale (its ``msgid``
    no longer the English text), of an unknown ``msgctxt`` (a repeated one is refused when read).
    """
    english = dict(entries(q))
    command = f"cxsite translate {q.id}@{q.version} --lang {lang}"
    problems, got, first = [], {}, {}
    for m in messages:
        at = Location(display, m.line, 1)
        ctxt = m.context or ""
        if ctxt not in english:
            problems.append(InputError(at, f"unknown msgctxt '{ctxt}'{'' if ctxt else ' (the entry has none)'}: "
                                           f"no text of questionnaire '{q.id}' "
                                           f"{q.version} is there; remove the entry, or run '{command}'",
                                       code="translation-unknown-context"))
        elif m.id != english[ctxt]:
            problems.append(InputError(at, f"stale translation of {ctxt}: its msgid is not the questionnaire's "
                                           f"English text any more ({_short(english[ctxt])!r}); run '{command}' "
                                           "and review the entry", code="translation-stale"))
        elif not m.string.strip():
            problems.append(InputError(at, f"missing translation of {ctxt} ({_short(m.id)!r}); write its "
                                           "msgstr", code="translation-missing"))
        elif m.fuzzy:
            problems.append(InputError(at, f"fuzzy translation of {ctxt}: review it against the English "
                                           "and remove the 'fuzzy' flag", code="translation-fuzzy"))
        else:
            got[ctxt] = m.string.strip()
        first.setdefault(ctxt, m.line)
    absent = [c for c in english if c not in first and not OPTIONAL.match(c)]
    for ctxt in absent:
        problems.append(InputError(Location(display, 1, 1), f"missing translation of {ctxt} "
                                   f"({_short(english[ctxt])!r}): the catalogue has no entry for it; "
                                   f"run '{command}' and translate it", code="translation-missing"))
    problems += _label_clashes(q, got, {m.context: m.line for m in messages}, display)
    return got, problems


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label_clashes(q: Questionnaire, got: dict[str, str], lines: dict, display: str) -> list[InputError]:
    """Answers in either language must each mean one thing: a translated label or not-applicable
    answer may not be another point's label, number or answer, in the translation or in English."""
    problems = []
    for sid, scale in q.scales.items():
        meaning: dict[str, object] = {}
        for p, label in scale.points.items():
            meaning.setdefault(label.casefold(), p)
        for na in scale.not_applicable:
            meaning.setdefault(na.casefold(), NA)
        spellings = [(f"scales.{sid}.points.{p}", p) for p in scale.points] + \
            [(f"scales.{sid}.not_applicable.{n}", NA) for n in range(len(scale.not_applicable))]
        for ctxt, meant in spellings:
            text = got.get(ctxt)
            if text is None:
                continue
            number = _number(text)
            other = meaning.setdefault(text.casefold(), meant)
            clash = (other != meant) or (number is not None and (number != meant if meant != NA
                                                                  else scale.min <= number <= scale.max))
            if clash:
                problems.append(InputError(Location(display, lines.get(ctxt, 1), 1),
                                           f"translation '{text}' of {ctxt} would also read as another answer "
                                           f"on scale '{sid}' (a point's number or label, or a not-applicable "
                                           "answer, in either language); choose words only this answer has",
                                           code="translation-label-clash"))
    return problems


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def apply(q: Questionnaire, got: dict[str, str], lang: str, catalogue: Path) -> Questionnaire:
    """``q`` with its texts from ``got`` (msgctxt -> translation); every id, value and weight as it was."""
    def t(ctxt: str, english: str | None) -> str | None:
        return got.get(ctxt, english) if english is not None else None

    scales = {sid: _scale(sid, s, got) for sid, s in q.scales.items()}

    def question(x, base: str):
        customer = f"{base}.customer_text"
        changed = {"text": t(f"{base}.text", x.text),
                   "customer_text": got.get(customer) if OPTIONAL.match(customer) else t(customer, x.customer_text)}
        if isinstance(x, Item):
            changed["scale"] = scales[x.scale.id]
        return dataclasses.replace(x, **changed)

    dims = tuple(dataclasses.replace(
        d, title=t(f"dimensions.{d.id}.title", d.title), description=t(f"dimensions.{d.id}.description", d.description),
        items=tuple(question(i, f"dimensions.{d.id}.items.{i.id}") for i in d.items),
        narratives={b: t(f"dimensions.{d.id}.narratives.{b}", text) for b, text in d.narratives.items()},
        actions={b: tuple(t(f"dimensions.{d.id}.actions.{b}.{n}", a) for n, a in enumerate(acts))
                 for b, acts in d.actions.items()}) for d in q.dimensions)
    bands = tuple(dataclasses.replace(b, label=t(f"bands.{b.id}.label", b.label),
                                      summary=t(f"bands.{b.id}.summary", b.summary)) for b in q.bands)
    return dataclasses.replace(
        q, title=t("title", q.title), summary=t("summary", q.summary), scales=scales, bands=bands, dimensions=dims,
        outcomes=tuple(question(o, f"outcomes.{o.id}") for o in q.outcomes),
        open_questions=tuple(question(o, f"open_questions.{o.id}") for o in q.open_questions),
        language=lang, catalogue_abs=str(catalogue.resolve()), english=q)


def _scale(sid: str, s: Scale, got: dict[str, str]) -> Scale:
    """A scale with translated labels, still accepting the English ones (``also``)."""
    points = {p: got.get(f"scales.{sid}.points.{p}", label) for p, label in s.points.items()}
    na = tuple(got.get(f"scales.{sid}.not_applicable.{n}", x) for n, x in enumerate(s.not_applicable))
    also = [(label, p) for p, label in s.points.items() if label != points[p] and label != str(p)]
    also += [(x, NA) for x, y in zip(s.not_applicable, na) if x != y]
    return dataclasses.replace(s, points=points, not_applicable=na, also=tuple(also))


def untranslated(q: Questionnaire) -> Questionnaire:
    """The English questionnaire a translated one was made from (``q`` itself if it is English)."""
    return q.english or q


# --------------------------------------------------------------------------- the engagement's questionnaire

# Catalogues read and checked, by content: a portfolio build reads the same few many times.
_READ: dict[tuple, tuple[Questionnaire | None, tuple[InputError, ...]]] = {}


def in_language(q: Questionnaire | None, lang: str, doc, root: Path, errors: ErrorCollector) -> Questionnaire | None:
    """The questionnaire an engagement in ``lang`` reads: ``q`` translated by its catalogue.

    Parameters
    ----------
    q : Questionnaire or None
        The English questionnaire the engagement names (None: not found, reported).
    lang : str
        The engagement's ``language``.
    doc : cxsite.yamlsafe.Doc
        The engagement file, for the place of ``language:``.
    root : Path
        The project root.
    errors : ErrorCollector
        Gets a missing catalogue (at ``language:``) and every problem of the catalogue, once.

    Returns
    -------
    Questionnaire or None
        The translated questionnaire, or ``q`` (English) when ``lang`` is English or the catalogue has problems.
    """
    if q is None or lang == "en":
        return q
    path = find_catalogue(q, lang, root)
    if path is None:
        shown = display_path(catalogue_target(q, lang, root), root)
        errors.add(doc.at(("language",)), f"language: {lang} needs the {LANGUAGE_NAMES.get(lang, lang)} catalogue "
                                          f"of questionnaire '{q.id}' {q.version}, {shown}, which does not exist; "
                                          f"run 'cxsite translate {q.id}@{q.version} --lang {lang}' and translate "
                                          "its entries", code="translation-catalogue-missing")
        return q
    translated, problems = _checked(q, lang, path, display_path(path, root))
    seen = {str(e) for e in errors.errors}
    errors.extend(p for p in problems if str(p) not in seen)  # two engagements, one catalogue: said once
    return translated or q


def _checked(q: Questionnaire, lang: str, path: Path, display: str) -> tuple[Questionnaire | None, tuple]:
    collector = ErrorCollector()
    try:
        text = read_text(path, display, MAX_YAML_BYTES)
    except InputError as exc:
        return None, (exc,)
    key = (q.path_abs, tuple(entries(q)), lang, display, hashlib.sha256(text.encode()).digest())
    if key not in _READ:
        messages, problems = read_catalogue(text, display)
        if not problems:
            got, problems = check(q, messages, display, lang)
        collector.extend(problems)
        result = None if collector else apply(q, got, lang, path)
        if len(_READ) >= 64:
            _READ.clear()
        _READ[key] = result, tuple(collector.errors)
    return _READ[key]


def translated(q: Questionnaire, lang: str, root: Path) -> Questionnaire:
    """``q`` in ``lang`` by its catalogue, for a caller with no engagement file (:mod:`cxsite.synth`).

    Raises
    ------
    InputErrors
        The catalogue is missing or has problems (every one listed).
    """
    from .errors import InputErrors

    if lang == "en":
        return q
    path = find_catalogue(q, lang, root)
    if path is None:
        raise InputErrors([InputError(display_path(catalogue_target(q, lang, root), root),
                                      f"no {LANGUAGE_NAMES.get(lang, lang)} catalogue of questionnaire '{q.id}'; "
                                      f"run 'cxsite translate {q.id}@{q.version} --lang {lang}'",
                                      code="translation-catalogue-missing")])
    result, problems = _checked(q, lang, path, display_path(path, root))
    if problems:
        raise InputErrors(problems)
    return result
