"""The table of problem codes: one stable, short kebab-case id per kind of problem.

``cxsite validate --format json`` gives every problem its ``code``, so a
pre-commit hook, an editor or a CI step can act on the kind of a problem
without parsing its wording. Codes are a contract: a code is never renamed
or reused for another kind; new kinds get new codes.

A call site may name its code (``errors.add(where, message, code="…")``); one
that does not gets the code of the first row of :data:`CODES` whose pattern
matches the start of the message, and :data:`FALLBACK` when none does. The
patterns exist so that the many validators need not all be edited at once;
``tests/test_errors.py`` checks that every message of the bad-input corpus
gets a specific code.

The table itself is data, ``data/codes.tsv``: a line a code, its pattern
and its meaning separated by tabs, so that a pattern is written as the
regular expression it is, with no quoting of its own.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

TABLE = Path(__file__).parent / "data" / "codes.tsv"


class Code(NamedTuple):
    """One kind of problem: its code, a pattern its messages match, and what it means."""

    code: str
    pattern: str
    meaning: str


FALLBACK = "invalid-input"


def parse_table(text: str) -> tuple[Code, ...]:
    """The rows of a codes table: blank lines and ``#`` comments skipped, order kept.

    Raises
    ------
    ValueError
        A line that is not three tab-separated fields; the table ships with
        cxsite, so this is cxsite's own bug (``tests/test_errors.py`` reads it).
    """
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(f.strip() for f in fields):
            raise ValueError(f"{TABLE.name}:{number}: expected code, pattern and meaning separated by tabs")
        rows.append(Code(*fields))
    return tuple(rows)


# In the table's order: the first match wins.
CODES: tuple[Code, ...] = parse_table(TABLE.read_text(encoding="utf-8"))

KNOWN = frozenset(c.code for c in CODES) | {FALLBACK, "internal"}


@functools.cache
def _compiled() -> tuple[tuple[re.Pattern, str], ...]:
    # Compiled at the first message without a code, not at every start-up.
    return tuple((re.compile(c.pattern), c.code) for c in CODES)


def code_for(message: str) -> str:
    """The code of a message whose call site named none: the first matching row of :data:`CODES`."""
    for pattern, code in _compiled():
        if pattern.match(message):
            return code
    return FALLBACK
