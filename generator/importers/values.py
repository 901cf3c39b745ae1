"""Answers and times as survey tools write them, turned into the project's values.

Answers follow :func:`cxsite.responses.parse_answer` exactly (a point as a
number, its label in any case, a not-applicable label, or blank). Two spellings
tools add are accepted because they cannot be misread: typographic quotes and
odd spacing (``Don’t know``), and a point written with its label
(``5 - Strongly agree``, ``Agree (4)``) when number and label agree.
"""

from __future__ import annotations

import datetime as dt
import re

from ..model import NA, Scale
from ..responses import parse_answer

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u202f": " "})
_NUMBER_FIRST = re.compile(r"^\s*(-?\d+)\s*[-–=:.)]\s*(\S.*?)\s*$")
_NUMBER_LAST = re.compile(r"^\s*(\S.*?)\s*\(\s*(-?\d+)\s*\)\s*$")


def tidy(text: str) -> str:
    """Straight quotes and single spaces, as the questionnaire writes labels."""
    return " ".join(text.translate(_QUOTES).split())


def answer(scale: Scale, raw: str) -> tuple[int | str | None, str]:
    """The parsed answer and the text responses.csv gets for it.

    Raises ``ValueError`` (parse_answer's message) when the answer is not on
    the scale.
    """
    try:
        value = parse_answer(scale, raw)
    except ValueError as first:
        value = _lenient(scale, raw, first)
    if value is None:
        return None, ""
    if value == NA:
        folded = tidy(raw).casefold()
        label = next((na for na in scale.not_applicable if tidy(na).casefold() == folded),
                     scale.not_applicable[0])
        return NA, label
    return value, str(value)


def _lenient(scale: Scale, raw: str, first: ValueError) -> int | str | None:
    text = tidy(raw)
    folded = text.casefold()
    for na in scale.not_applicable:
        if tidy(na).casefold() == folded:
            return NA
    for point, label in (*scale.points.items(), *((p, t) for t, p in scale.also)):
        if tidy(label).casefold() == folded:
            return point
    for pattern, num_at, label_at in ((_NUMBER_FIRST, 1, 2), (_NUMBER_LAST, 2, 1)):
        match = pattern.match(text)
        if match:
            point, label = int(match.group(num_at)), match.group(label_at).casefold()
            # The point's label in either language of a translated scale (its English ones are in ``also``).
            named = {tidy(scale.points.get(point, "")).casefold()} | {tidy(t).casefold() for t, p in scale.also if p == point}
            if any(ch.isalpha() for ch in label) and point in scale.points and label in named:
                return point
    raise first


# --------------------------------------------------------------------------- times

_ZONE = re.compile(r"\s*(\(?(GMT|UTC)\s*([+-]\d{1,2}(:?\d{2})?)?\)?|Z)$", re.I)
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M", "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%m/%d/%y %I:%M:%S %p", "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M", "%d/%m/%y %H:%M:%S", "%d/%m/%y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M",
)


def parse_times(values: list[str]) -> tuple[list[dt.datetime | None], str] | None:
    """Parse a column of date-times with the first format that reads all of them.

    One format per column, so day/month order is decided by the whole column
    (a day above 12 anywhere settles it), not value by value. Returns ``None``
    when no format reads every non-blank value.
    """
    cleaned = [_ZONE.sub("", v.strip()) for v in values]
    present = [v for v in cleaned if v]
    if not present:
        return None
    for fmt in TIME_FORMATS:
        try:
            for v in present:
                dt.datetime.strptime(v, fmt)
        except ValueError:
            continue
        return [dt.datetime.strptime(v, fmt) if v else None for v in cleaned], fmt
    return None


def number(text: str) -> float | None:
    """A number written with a point or a decimal comma, or None."""
    value = text.strip().replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None
