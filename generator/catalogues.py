"""cxsite's own catalogues: the template at ``site_templates/locale/cxsite.pot`` and each language's ``.po``.

``make messages`` (``python -m cxsite.catalogues``) extracts every UI string
of the templates and of the Python that puts words on pages (``babel.cfg``
says where) into the ``.pot``, and merges it into each language's
catalogue: a new string is added untranslated, a changed one kept as a
fuzzy guess, so that a translator sees what to do. ``--check`` only says
whether the committed ``.pot`` is current (the test suite runs the same
check). Written without line numbers or dates, so the file changes only
when a string does.

This works from a source checkout (it reads ``babel.cfg`` and the source
folders); the installed package only reads the catalogues (:mod:`cxsite.i18n`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LOCALE_DIR, catalogue_path

ROOT = Path(__file__).resolve().parent.parent  # the source checkout: babel.cfg, generator/, site_templates/
POT = LOCALE_DIR / f"{DOMAIN}.pot"
# A fixed date: the template changes only when its strings do.
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
WIDTH = 100


def extract(root: Path = ROOT) -> Catalog:
    """Every UI string under ``root`` as ``babel.cfg`` maps it, with where it is used (file names only)."""
    with (root / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    catalog = Catalog(project="cxsite", domain=DOMAIN, creation_date=STAMP, revision_date=STAMP,
                      msgid_bugs_address="", copyright_holder="", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        flags = {"python-format"} if any("%(" in m or "%%" in m for m in _forms(message)) else set()
        catalog.add(message, None, [(Path(filename).as_posix(), None)], auto_comments=comments,
                    context=context, flags=flags)
    return catalog


def _forms(message) -> tuple[str, ...]:
    return message if isinstance(message, tuple) else (message,)


def pot_text(catalog: Catalog) -> bytes:
    """The ``.pot`` file of ``catalog``: sorted, no line numbers, wrapped at :data:`WIDTH`."""
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, sort_output=True, include_lineno=False, omit_header=False)
    return out.getvalue()


def update(language: str, template: Catalog) -> Catalog:
    """``language``'s catalogue merged with ``template``: new strings empty, changed ones fuzzy, gone ones dropped."""
    path = catalogue_path(LOCALE_DIR, language)
    if path.is_file():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="cxsite", creation_date=STAMP)
    catalog.update(template, no_fuzzy_matching=False)
    catalog.obsolete.clear()
    catalog.revision_date = STAMP
    catalog.fuzzy = False  # the header is ours, not a guess (gettext tools skip a fuzzy header's plural forms)
    return catalog


def main(argv: list[str] | None = None) -> int:
    """``python -m cxsite.catalogues [--check]``: write (or check) the template and update each language."""
    from .model import LANGUAGES

    parser = argparse.ArgumentParser(prog="python -m cxsite.catalogues", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed .pot is not current")
    args = parser.parse_args(argv)
    template = extract()
    text = pot_text(template)
    if args.check:
        current = POT.is_file() and POT.read_bytes() == text
        if not current:
            print(f"{POT.relative_to(ROOT)}: not current; run `make messages` and translate the new strings",
                  file=sys.stderr)
        return 0 if current else 1
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(text)
    for language in sorted(set(LANGUAGES) - {"en"}):
        path = catalogue_path(LOCALE_DIR, language)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = update(language, template)
        out = io.BytesIO()
        write_po(out, catalog, width=WIDTH, sort_output=True, include_lineno=False)
        path.write_bytes(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
