"""Read an engagement's responses (CSV, or YAML assessor ratings) into a column-wise table.

Values are checked against the questionnaire: a scale point (``4``) or its
label (``Agree``, any case), a not-applicable answer, or blank for missing.
Anything else is an error naming row and column, never a guess.

A CSV is read as a stream, a row at a time, straight into one byte per answer
(:class:`cxsite.model.Responses`): 100,000 respondents x 60 items need a
few times the file's size at most, never an object per answer.
"""

from __future__ import annotations

import csv
import math
import operator
from array import array
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import ErrorCollector, InputError, Location, did_you_mean, one_of
from .limits import MAX_CSV_BYTES, check_size
from .model import (
    ASSESSOR_RATINGS_FORMAT, BLANK, NA, NA_CODE, NOT_STATED, OFFSET, Engagement, Item, Responses, Scale, Segment,
)
from . import responses_fast
from .places import display_path
from .redact import contact_kind
from .schema import INVALID, check_document
from .yamlsafe import check_utf8, file_chunks, load_yaml


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
    for text, meant in scale.also:  # a translated scale's English spellings
        if folded == text.casefold():
            return meant
    choices = [label for label in scale.points.values() if not label.isdigit()] + list(scale.not_applicable)
    raise ValueError(f"{value!r} is not an answer on scale '{scale.id}'{did_you_mean(value, choices)}; "
                     f"expected {scale.min}-{scale.max}, one of {one_of(choices)}, or blank")


def encode(scale: Scale, value: int | str | None) -> int:
    """An answer as its one-byte code (see :class:`cxsite.model.Responses`)."""
    if value is None:
        return BLANK
    if value == NA:
        return NA_CODE
    return value - scale.min + OFFSET


class _Decoder(dict):
    """Raw answer text -> answer code for one scale.

    Seeded with the spellings a file normally holds; any other spelling goes
    through :func:`parse_answer` once and is remembered, so the codes always
    agree with it and a file of 6 million answers costs a dict lookup each.
    """

    LIMIT = 4096  # remembered spellings; a hostile file cannot grow it without bound

    def __init__(self, scale: Scale):
        super().__init__()
        self.scale = scale
        for raw in ["", *map(str, scale.points), *scale.points.values(), *scale.not_applicable,
                    *(text for text, _ in scale.also)]:
            try:
                self.__missing__(raw)
            except ValueError:
                pass  # a label that reads as a number off the scale: parse_answer decides

    def __missing__(self, raw: str) -> int:
        code = encode(self.scale, parse_answer(self.scale, raw))  # ValueError: not an answer
        if len(self) < self.LIMIT:
            self[raw] = code
        return code


def load_responses(engagement: Engagement, root: Path) -> Responses:
    path = engagement.folder / engagement.responses_file
    display = display_path(path, root)
    if not path.is_file():
        raise InputError(Location(engagement.path), f"responses file '{engagement.responses_file}' "
                                                    "not found in the engagement folder")
    if path.suffix.lower() in (".yml", ".yaml"):
        return _load_yaml_ratings(engagement, path, display)
    responses = _load_csv(engagement, path, display)
    if engagement.hierarchy:
        from .hierarchy import read_for

        responses.hierarchy = read_for(engagement, root)
    return responses


class _Table:
    """What each response column means for one engagement, and the rows read so far."""

    def __init__(self, engagement: Engagement, display: str):
        q = engagement.questionnaire
        self.display = display
        self.order: list[Item] = [*q.items, *q.outcomes]  # the matrix's columns
        self.scored: dict[str, Item] = {i.id: i for i in self.order}
        self.open = [o.id for o in q.open_questions]
        self.segment_names = list(engagement.segments)
        # The employee column (with a hierarchy): read to place people in lines, never published.
        self.employee = engagement.hierarchy.employee if engagement.hierarchy else None
        self.employees: list[str] = []
        self.employee_rows: dict[str, int] = {}
        self.known = set(self.scored) | set(self.open) | set(self.segment_names) | {"respondent_id"} \
            | ({self.employee} if self.employee else set())
        self.questionnaire = q
        self.decoders = {s.id: _Decoder(s) for s in {i.scale.id: i.scale for i in self.order}.values()}
        self.codes = bytearray()
        self.rows = array("l")
        self.segment_codes = {s: array("l") for s in self.segment_names}
        self.segment_index: dict[str, dict[str, int]] = {s: {} for s in self.segment_names}
        self.contact: dict[str, str | None] = {}  # segment value -> the contact detail it holds
        self.comments: dict[str, list[str]] = {o: [] for o in self.open}
        self.writers: dict[str, list[str]] = {o: [] for o in self.open}  # with an employee column
        self.ids: dict[str, int] = {}
        self.perm: list[int] | None = None  # matrix column j was read as column perm[j]

    def unknown_message(self, column: str) -> str:
        return (f"unknown column '{column}'{did_you_mean(column, self.known)}: not an item, outcome "
                f"or open question of '{self.questionnaire.id}', a segment of the engagement or "
                "respondent_id; add it to 'segments' in engagement.yml, or remove it "
                "(survey-tool exports go through 'cxsite import')")

    def bad_answers(self, cells: dict[str, str], at, errors: ErrorCollector) -> None:
        """Report every answer of one row that is not on its scale."""
        for column, raw in cells.items():
            try:
                parse_answer(self.scored[column].scale, raw)
            except ValueError as exc:
                errors.add(at(column), f"column '{column}': {exc}")

    @property
    def other(self) -> list[str]:
        """The columns besides answers, in the order :meth:`add_other` takes their values."""
        return [*self.segment_names, *self.open, "respondent_id", *([self.employee] if self.employee else [])]

    def add_other(self, row: int, values: Sequence[str], at, errors: ErrorCollector) -> None:
        """One respondent's line, segments, open answers and id (``values`` in :attr:`other` order)."""
        self.rows.append(row)
        k = len(self.segment_names)
        for s, value in zip(self.segment_names, values):
            value = value.strip() or NOT_STATED
            index = self.segment_index[s]
            code = index.get(value)
            if code is None:
                code = index[value] = len(index)
                if value not in self.contact:  # once per distinct value, not per row
                    self.contact[value] = contact_kind(value)
            if self.contact.get(value):
                errors.add(at(s), f"column '{s}' holds {self.contact[value]}; segment values are "
                                  "published as group names: replace it with the group (a department, "
                                  "a region) or leave it blank")
            self.segment_codes[s].append(code)
        for o, text in zip(self.open, values[k:]):
            if text and not text.isspace():
                self.comments[o].append(text.strip())
                if self.employee:
                    self.writers[o].append(values[-1].strip())
        rid = values[k + len(self.open)].strip()
        if self.employee:
            self._add_employee(row, values[-1].strip(), at, errors)
        if rid:
            first = self.ids.setdefault(rid, row)
            if first != row:
                errors.add(at("respondent_id"), f"respondent_id '{rid}' repeats line {first}; "
                                                "each respondent must appear once")

    def _add_employee(self, row: int, eid: str, at, errors: ErrorCollector) -> None:
        if eid:
            first = self.employee_rows.setdefault(eid, row)
            if first != row:
                errors.add(at(self.employee), f"employee id in column '{self.employee}' repeats line {first}; "
                                              "each employee answers once")
        self.employees.append(eid)

    def add_values(self, row: int, values: dict[str, object], at, errors: ErrorCollector) -> None:
        """One respondent given as column -> raw value (assessor ratings)."""
        cells = {c: "" if v is None else str(v) for c, v in values.items()}
        try:
            self.codes.extend(self.decoders[i.scale.id][cells.get(i.id, "")] for i in self.order)
        except ValueError:
            self.codes.extend(bytes(len(self.order)))
            self.bad_answers({c: v for c, v in cells.items() if c in self.scored}, at, errors)
        self.add_other(row, [cells.get(c, "") for c in self.other], at, errors)

    def result(self, **extra) -> Responses:
        n, k = len(self.rows), len(self.order)
        matrix = np.frombuffer(self.codes, dtype=np.uint8).reshape(n, k) if k else np.zeros((n, 0), np.uint8)
        read_as = self.perm or list(range(k))
        # One contiguous array per column (a copy of the row-major bytes, column by column).
        answers = {i.id: np.ascontiguousarray(matrix[:, read_as[j]]) for j, i in enumerate(self.order)}
        del matrix
        self.codes = bytearray()
        return Responses(
            self.display, answers, np.asarray(self.rows, dtype=np.intp),
            {s: Segment(np.asarray(self.segment_codes[s], dtype=np.intp), list(self.segment_index[s]))
             for s in self.segment_names},
            self.comments, employees=np.array(self.employees, dtype=object) if self.employee else None,
            comment_writers={o: np.array(w, dtype=object) for o, w in self.writers.items()} if self.employee else None,
            **extra)



def _load_csv(engagement: Engagement, path: Path, display: str) -> Responses:
    check_size(path, display, MAX_CSV_BYTES)
    # The whole file is checked before a row is read: a NUL byte or a Latin-1
    # letter on row 90,000 must stop it, located, not reach a comment or an answer.
    # A file for the fast path is read once, whole, and both checked and parsed from those bytes.
    data = path.read_bytes() if path.stat().st_size >= responses_fast.MIN_BYTES else None
    check_utf8([data] if data is not None else file_chunks(path), display, csv=True)
    return _read_csv(engagement, path, display, data)


def _read_csv(engagement: Engagement, path: Path, display: str, data: bytes | None = None) -> Responses:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        first = stream.read(65536)
        if not first.strip():
            raise InputError(Location(display, 1, 1), "file is empty; expected a header row of "
                                                       "column names and one row per respondent")
        stream.seek(0)
        reader = csv.reader(stream, strict=True)
        try:
            header = next(reader)
        except csv.Error as exc:
            raise InputError(Location(display, 1, 1), f"CSV error: {exc}") from None
        header = [h.strip() for h in header]
        table = _Table(engagement, display)
        errors = ErrorCollector()
        seen: dict[str, int] = {}
        for ci, name in enumerate(header, start=1):
            if not name:
                errors.add(Location(display, 1, ci), f"column {ci} has no name in the header row")
            elif name in seen:
                errors.add(Location(display, 1, ci), f"column '{name}' appears twice (also column {seen[name]})")
            elif name not in table.known:
                errors.add(Location(display, 1, ci), table.unknown_message(name))
            seen.setdefault(name, ci)
        for required in sorted(set(table.scored) | set(table.segment_names)):
            if required not in seen:
                kind = "segment" if required in table.segment_names else "question"
                errors.add(Location(display, 1, 1), f"missing {kind} column '{required}'; every item "
                                                     "and outcome of the questionnaire and every segment needs a column")
        if table.employee and table.employee not in seen:
            errors.add(Location(display, 1, 1), f"missing employee id column '{table.employee}' (hierarchy.employee "
                                                "in engagement.yml): it places each respondent in a reporting line")
        errors.raise_if_any()
        if data is not None:
            fast = responses_fast.read(data, header, table)
            if fast is not None:
                return fast
        _read_rows(reader, header, seen, table, errors)
    # A header row and nothing else is an engagement awaiting its responses
    # ('cxsite new engagement' writes it so): valid, reported as such, no figures.
    errors.raise_if_any()
    return table.result()


def _picker(positions: list[int]):
    """fields -> the tuple of the fields at ``positions`` (itemgetter, but a tuple even for one)."""
    if len(positions) == 1:
        return lambda fields, j=positions[0]: (fields[j],)
    return operator.itemgetter(*positions)


def _read_rows(reader, header: list[str], seen: dict[str, int], table: _Table, errors: ErrorCollector) -> None:
    display, width = table.display, len(header)
    position = {name: ci - 1 for name, ci in seen.items()}
    # Columns sharing a scale are decoded in one C-level pass per row: an
    # itemgetter picks their fields and the scale's decoder maps them to codes.
    groups, order = [], []
    for scale_id, decoder in table.decoders.items():
        ids = [i.id for i in table.order if i.scale.id == scale_id]
        idx = [position[i] for i in ids]
        groups.append((_picker(idx), decoder.__getitem__))
        order += ids
    # The matrix holds columns in questionnaire order; result() puts the grouped ones back.
    perm = [order.index(i.id) for i in table.order]
    table.perm = None if perm == list(range(len(perm))) else perm
    in_header = [h for h in header if h in table.scored]
    pick_other = _picker([position.get(c, -1) for c in table.other])
    codes = table.codes
    try:
        for fields in reader:
            line = reader.line_num
            if len(fields) != width:
                if any(f.strip() for f in fields):
                    errors.add(Location(display, line, 1),
                               f"row has {len(fields)} fields but the header has {width}; "
                               "check for a missing or extra separator or an unquoted comma")
                continue
            def at(c, line=line):
                return Location(display, line, seen[c])

            start = len(codes)
            try:
                for pick, decode in groups:
                    codes.extend(map(decode, pick(fields)))
            except ValueError:
                del codes[start:]
                table.bad_answers({c: fields[position[c]] for c in in_header}, at, errors)
                codes.extend(bytes(len(table.order)))
            else:
                if codes.count(BLANK, start) == len(table.order) and not any(f.strip() for f in fields):
                    del codes[start:]
                    continue  # a blank line of separators only
            fields.append("")  # what a column the file lacks (an open question) reads as
            table.add_other(line, pick_other(fields), at, errors)
    except csv.Error as exc:
        errors.add(Location(display, reader.line_num, 1), f"CSV error: {exc}; check the quoting")


def _load_yaml_ratings(engagement: Engagement, path: Path, display: str) -> Responses:
    doc = load_yaml(path, display)
    errors = ErrorCollector()
    raw = check_document(ASSESSOR_RATINGS_FORMAT, doc, errors)
    errors.raise_if_any()
    table = _Table(engagement, display)
    for ri, entry in enumerate(raw["respondents"]):
        if entry is INVALID:
            continue
        at_row = ("respondents", ri)
        for key in entry:
            if key not in table.known:
                errors.add(doc.at(at_row + (key,), key=True), table.unknown_message(key))
        for required in sorted(table.scored):
            if required not in entry:
                errors.add(doc.at(at_row), f"rating is missing item '{required}'; "
                                           "give it a value, or 'N/A' where the scale allows")
        values = {k: v for k, v in entry.items() if k in table.known}
        table.add_values(doc.at(at_row).line, values, lambda c, p=at_row: doc.at(p + (c,)), errors)
    for key in raw["notes"]:
        if key not in table.scored:
            errors.add(doc.at(("notes", key), key=True),
                       f"note for unknown item '{key}'{did_you_mean(key, table.scored)}")
    errors.raise_if_any()
    return table.result(notes=dict(raw["notes"]))
