"""``cxsite translate ID --lang LL``: write or update a questionnaire's catalogue (see :mod:`cxsite.translations`).

The catalogue follows the questionnaire: an entry for each of its texts in
its order; a new text gets an empty ``msgstr``; a text whose English changed
keeps its translation, marked fuzzy, with the English it was made from as
``#| msgid``; an entry whose text is gone is dropped. The file's header is
fixed (no creation-date churn: the dates of an existing file are kept, and
a new one's are :func:`cxsite.clock.now`, which honours SOURCE_DATE_EPOCH),
so running the command twice changes nothing.
"""

from __future__ import annotations

import io
from pathlib import Path

from .errors import InputError, InputErrors, display_path, one_of
from .limits import MAX_YAML_BYTES
from .model import LANGUAGES, Questionnaire
from .translations import LANGUAGE_NAMES, Message, catalogue_target, entries, find_catalogue, read_catalogue
from .yamlsafe import read_text

HEADER = ("{name} translation of questionnaire '{id}' {version}.\n"
          "msgctxt: where the text is in the questionnaire; msgid: the English text;\n"
          "msgstr: the translation. 'cxsite translate ID --lang LL' adds new texts\n"
          "untranslated and marks changed ones fuzzy: review those, then remove the flag.")


def merged(q: Questionnaire, lang: str, old: list[Message]) -> list[tuple[str, str, str, bool, str | None]]:
    """The catalogue's entries ``(msgctxt, msgid, msgstr, fuzzy, previous msgid)`` for ``q``'s texts now.

    ``old`` is the catalogue as it was (empty for a new one).
    """
    before = {m.context or "": m for m in old}
    out = []
    for ctxt, english in entries(q):
        m = before.get(ctxt)
        if m is None:
            out.append((ctxt, english, "", False, None))
        elif m.id == english:
            out.append((ctxt, english, m.string, m.fuzzy, m.previous if m.fuzzy else None))
        else:  # the English changed: keep the work, flag it for review against the English it was made from
            out.append((ctxt, english, m.string, bool(m.string), (m.previous if m.fuzzy and m.previous else m.id)
                        if m.string else None))
    return out


def po_text(q: Questionnaire, lang: str, rows, dates: tuple | None, now) -> str:
    """The catalogue file's text: a fixed header, then the entries in the questionnaire's order.

    ``dates`` are the creation and revision dates of the file as it was (kept
    when nothing changed); ``now`` is when it is written otherwise.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    created, revised = dates if dates else (now, now)
    catalog = Catalog(locale=lang, project=q.id, version=q.version, fuzzy=False, creation_date=created,
                      revision_date=revised, language_team=f"{LANGUAGE_NAMES.get(lang, lang)} <>",
                      last_translator="", msgid_bugs_address="",
                      header_comment="\n".join(f"# {line}" for line in HEADER.format(
                          name=LANGUAGE_NAMES.get(lang, lang), id=q.id, version=q.version, lang=lang).splitlines()))
    for ctxt, msgid, msgstr, fuzzy, previous in rows:
        catalog.add(msgid, msgstr, context=ctxt, flags=("fuzzy",) if fuzzy else (),
                    previous_id=(previous,) if previous else ())
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_previous=True, include_lineno=False, no_location=True)
    return out.getvalue().decode("utf-8")


def translate(root: Path, ref: str, lang: str) -> tuple[Path, dict[str, int]]:
    """Write or update the catalogue of questionnaire ``ref`` (``ID[@VERSION]``) in ``lang``.

    Returns
    -------
    tuple
        The catalogue's file, and counts: ``entries``, ``untranslated``, ``fuzzy``; ``written``
        is false when the file was already up to date (and was not touched).

    Raises
    ------
    InputError, InputErrors
        An unknown questionnaire or language, English, or an existing catalogue that cannot be read
        (it is left as it was).
    """
    from .clock import now
    from .outputs import write_file
    from .versions import resolve

    if lang not in LANGUAGES or lang == "en":
        raise InputError("--lang", f"'{lang}' is no language to translate into; expected one of "
                                   f"{one_of(x for x in LANGUAGES if x != 'en')} (questionnaires are written "
                                   "in English)", code="unknown-language")
    q = resolve(root, ref, ref)
    target = catalogue_target(q, lang, root)
    source = target if target.is_file() else find_catalogue(q, lang, root)
    old, dates, before = [], None, None
    if source is not None:
        shown = display_path(source, root)
        before = read_text(source, shown, MAX_YAML_BYTES)
        old, problems = read_catalogue(before, shown)
        if problems:
            raise InputErrors(problems)
        dates = _dates(before)
    rows = merged(q, lang, old)
    text = po_text(q, lang, rows, dates, now())
    if before is not None and text != before and source == target:
        text = po_text(q, lang, rows, (dates[0], now()), now())  # changed: a new revision date
    written = text != before or source != target
    if written:
        target.parent.mkdir(parents=True, exist_ok=True)  # a practice using built-in questionnaires only
        write_file(target, text, display_path(target, root))
    counts = {"entries": len(rows), "untranslated": sum(not r[2] for r in rows),
              "fuzzy": sum(bool(r[3]) for r in rows), "written": written}
    return target, counts


def _dates(text: str):
    """The creation and revision dates in a catalogue's header (None where it has none)."""
    from babel.messages.pofile import read_po

    catalog = read_po(io.StringIO(text))
    revised = catalog.revision_date
    return catalog.creation_date, revised if not isinstance(revised, str) else catalog.creation_date
