"""Read an engagement's responses (CSV, or YAML assessor ratings) into respondents.

Values are checked against the questionnaire: a scale point (``4``) or its
label (``Agree``, any case), a not-applicable answer, or blank for missing.
Anything else is an error naming row and column, never a guess.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from .errors import ErrorCollector, InputError, Location, did_you_mean, one_of
from .model import ASSESSOR_RATINGS_FORMAT, NA, NOT_STATED, Engagement, Item, Respondent, Responses, Scale
from .schema import INVALID, check_document
from .yamlsafe import load_yaml, read_text

MAX_CSV_BYTES = 64 * 1024 * 1024


def parse_answer(scale: Scale, raw: str) -> int | str | None:
    """Turn one raw answer into a scale point, :data:`NA` or ``None`` (blank).

    Raises ``ValueError`` with the reason when the answer is not on the scale.
    """
    value = raw.strip()
    if not value:
        return None
    folded = value.casefold()
    if any(folded == na.casefold() for na in scale.not_applicable):
        return NA
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if math.isfinite(number) and number.is_integer() and scale.min <= number <= scale.max:
            return int(number)
        raise ValueError(f"{value!r} is not a point on scale '{scale.id}': expected a whole "
                         f"number from {scale.min} to {scale.max}")
    for point, label in scale.points.items():
        if folded == label.casefold():
            return point
    choices = [label for label in scale.points.values() if not label.isdigit()] + list(scale.not_applicable)
    raise ValueError(f"{value!r} is not an answer on scale '{scale.id}'{did_you_mean(value, choices)}; "
                     f"expected {scale.min}-{scale.max}, one of {one_of(choices)}, or blank")


def load_responses(engagement: Engagement, root: Path) -> Responses:
    path = engagement.folder / engagement.responses_file
    try:
        display = str(path.relative_to(root))
    except ValueError:
        display = str(path)
    if not path.is_file():
        raise InputError(Location(engagement.path), f"responses file '{engagement.responses_file}' "
                                                    "not found in the engagement folder")
    if path.suffix.lower() in (".yml", ".yaml"):
        return _load_yaml_ratings(engagement, path, display)
    return _load_csv(engagement, path, display)


class _Columns:
    """What each response column means for one engagement."""

    def __init__(self, engagement: Engagement):
        q = engagement.questionnaire
        self.scored: dict[str, Item] = {i.id: i for i in q.items}
        self.scored.update({o.id: o for o in q.outcomes})
        self.open = {o.id for o in q.open_questions}
        self.segments = set(engagement.segments)
        self.known = set(self.scored) | self.open | self.segments | {"respondent_id"}
        self.questionnaire = q

    def unknown_message(self, column: str) -> str:
        return (f"unknown column '{column}'{did_you_mean(column, self.known)}: not an item, outcome "
                f"or open question of '{self.questionnaire.id}', a segment of the engagement or "
                "respondent_id; add it to 'segments' in engagement.yml, or remove it "
                "(survey-tool exports go through 'cxsite import')")

    def respondent(self, row: int, values: dict[str, str], at, errors: ErrorCollector) -> Respondent:
        answers: dict[str, int | str | None] = {}
        segments: dict[str, str] = {}
        comments: dict[str, str] = {}
        for column, raw in values.items():
            raw = "" if raw is None else str(raw)
            if column in self.scored:
                try:
                    answers[column] = parse_answer(self.scored[column].scale, raw)
                except ValueError as exc:
                    errors.add(at(column), f"column '{column}': {exc}")
            elif column in self.segments:
                segments[column] = raw.strip() or NOT_STATED
            elif column in self.open:
                if raw.strip():
                    comments[column] = raw.strip()
        for column in self.segments:
            segments.setdefault(column, NOT_STATED)
        rid = (values.get("respondent_id") or "").strip() or None
        return Respondent(row, answers, segments, comments, rid)


def _load_csv(engagement: Engagement, path: Path, display: str) -> Responses:
    text = read_text(path, display, MAX_CSV_BYTES)
    if not text.strip():
        raise InputError(Location(display, 1, 1), "file is empty; expected a header row of "
                                                   "column names and one row per respondent")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise InputError(Location(display, 1, 1), f"CSV error: {exc}") from None
    header = [h.strip() for h in header]
    cols = _Columns(engagement)
    errors = ErrorCollector()
    seen: dict[str, int] = {}
    for ci, name in enumerate(header, start=1):
        if not name:
            errors.add(Location(display, 1, ci), f"column {ci} has no name in the header row")
        elif name in seen:
            errors.add(Location(display, 1, ci), f"column '{name}' appears twice (also column {seen[name]})")
        elif name not in cols.known:
            errors.add(Location(display, 1, ci), cols.unknown_message(name))
        seen.setdefault(name, ci)
    for required in sorted(set(cols.scored) | cols.segments):
        if required not in seen:
            kind = "segment" if required in cols.segments else "question"
            errors.add(Location(display, 1, 1), f"missing {kind} column '{required}'; every item "
                                                 "and outcome of the questionnaire and every segment needs a column")
    errors.raise_if_any()
    respondents = []
    ids: dict[str, int] = {}
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                errors.add(Location(display, line, 1),
                           f"row has {len(fields)} fields but the header has {len(header)}; "
                           "check for a missing or extra separator or an unquoted comma")
                continue
            values = dict(zip(header, fields))
            r = cols.respondent(line, values, lambda c, line=line: Location(display, line, seen[c]), errors)
            if r.respondent_id:
                if r.respondent_id in ids:
                    errors.add(Location(display, line, seen["respondent_id"]),
                               f"respondent_id '{r.respondent_id}' repeats line {ids[r.respondent_id]}; "
                               "each respondent must appear once")
                ids.setdefault(r.respondent_id, line)
            respondents.append(r)
    except csv.Error as exc:
        errors.add(Location(display, reader.line_num, 1), f"CSV error: {exc}; check the quoting")
    if not respondents and not errors:
        errors.add(Location(display, 1, 1), "the file has a header but no responses")
    errors.raise_if_any()
    return Responses(display, respondents)


def _load_yaml_ratings(engagement: Engagement, path: Path, display: str) -> Responses:
    doc = load_yaml(path, display)
    errors = ErrorCollector()
    raw = check_document(ASSESSOR_RATINGS_FORMAT, doc, errors)
    errors.raise_if_any()
    cols = _Columns(engagement)
    respondents = []
    for ri, entry in enumerate(raw["respondents"]):
        if entry is INVALID:
            continue
        at_row = ("respondents", ri)
        for key in entry:
            if key not in cols.known:
                errors.add(doc.at(at_row + (key,), key=True), cols.unknown_message(key))
        for required in sorted(cols.scored):
            if required not in entry:
                errors.add(doc.at(at_row), f"rating is missing item '{required}'; "
                                           "give it a value, or 'N/A' where the scale allows")
        line = doc.at(at_row).line
        values = {k: v for k, v in entry.items() if k in cols.known}
        respondents.append(cols.respondent(line, values, lambda c, p=at_row: doc.at(p + (c,)), errors))
    for key in raw["notes"]:
        if key not in cols.scored:
            errors.add(doc.at(("notes", key), key=True),
                       f"note for unknown item '{key}'{did_you_mean(key, cols.scored)}")
    errors.raise_if_any()
    return Responses(display, respondents, notes=dict(raw["notes"]))

