"""The fast path for reading a large responses CSV: parsed in C, each column decoded by its distinct values.

:mod:`cxsite.responses` reads a file a row at a time with Python's csv
module, about 16 MB/s, and names the row and column of every bad value. A
file of half a million respondents takes that path ten seconds. Here pyarrow
parses the rows (in C, on every core) and each column is dictionary-encoded,
so an answer's text is decoded once per distinct spelling, not once per cell:
the same :class:`~cxsite.responses._Decoder` decides what every spelling
means, so the codes agree with the slow path's by construction.

The fast path gives up (returns None) at anything it would have to locate or
could get wrong — a value off its scale, a repeated respondent or employee
id, a contact detail in a segment, ragged rows, a quoted line break or a blank
line (after which file lines and rows no longer match one for one) — and the
slow path then reads the file and reports every problem at its place.
Nothing is ever guessed here that the slow path would refuse.
"""

from __future__ import annotations

import numpy as np

from .model import BLANK, NOT_STATED, Responses, Segment

MIN_BYTES = 4 << 20  # below this the slow path costs less than starting pyarrow


def read(data: bytes, header: list[str], table) -> Responses | None:
    """``table``'s responses from the CSV bytes ``data`` (its header already checked), or None to read slowly."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - a dependency; without it every file takes the slow path
        return None
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b'"' in body and not quotes_regular(body):
        return None  # a quote inside a field: Python's csv (strict) and pyarrow may read it differently
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    names = [f"c{i}" for i in range(len(header))]
    try:
        parsed = pacsv.read_csv(pa.py_buffer(body), read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
                                convert_options=pacsv.ConvertOptions(
                                    column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                    quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if parsed.num_rows + 1 != lines:
        return None  # a blank line or a line break inside quotes: rows are no longer file lines
    ids = [c for c in ("respondent_id", table.employee) if c and c in header]
    if any(_repeats(parsed.column(header.index(c))) for c in ids):
        return None  # a repeated id: the slow path names both lines
    # An employee column is kept as text; a respondent id is only checked (it is never used again).
    columns = {h: _encoded(parsed.column(i)) for i, h in enumerate(header) if h != "respondent_id"}
    blank = np.ones(parsed.num_rows, dtype=bool)
    if "respondent_id" in header:
        blank = _empty(parsed.column(header.index("respondent_id")))
    return _responses(columns, blank, table)


def _empty(column) -> np.ndarray:
    """Per row, whether the value is blank once stripped."""
    import pyarrow.compute as pc

    return pc.equal(pc.utf8_trim_whitespace(column), "").to_numpy(zero_copy_only=False)


def _repeats(column) -> bool:
    """Whether a non-blank value (ignoring surrounding spaces) appears twice; counted in C."""
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(column)
    given = trimmed.filter(pc.not_equal(trimmed, ""))
    return pc.count_distinct(given).as_py() != len(given)


def quotes_regular(data: bytes) -> bool:
    """Whether every quote of ``data`` opens a field or closes one (``""`` inside a quoted field aside).

    Only then do the strict csv module and pyarrow read the same fields; a
    stray quote (``ab"c``, ``"ab"c``) sends the file down the slow path, which
    reports it or reads it as the csv module does.
    """
    flat = np.frombuffer(data.replace(b'""', b""), dtype=np.uint8)
    at = np.flatnonzero(flat == ord('"'))
    if len(at) % 2:
        return False
    opens, closes = at[0::2], at[1::2]
    before = np.where(opens > 0, flat[np.maximum(opens - 1, 0)], ord(","))
    after = np.where(closes + 1 < len(flat), flat[np.minimum(closes + 1, len(flat) - 1)], ord("\n"))
    return bool(np.isin(before, [ord(","), ord("\n")]).all() and np.isin(after, [ord(","), ord("\r"), ord("\n")]).all())


def _encoded(column) -> tuple[list[str], np.ndarray]:
    """A column as its distinct raw values (in order of first appearance) and each row's index into them."""
    enc = column.combine_chunks().dictionary_encode()
    return enc.dictionary.to_pylist(), enc.indices.to_numpy(zero_copy_only=False)  # int32: indexes as well


def _responses(columns: dict, blank: np.ndarray, table) -> Responses | None:
    """The responses of the decoded ``columns``; ``blank`` says which rows are blank in the others."""
    n = len(blank)
    codes = {}
    for item in table.order:
        uniques, idx = columns[item.id]
        decode = table.decoders[item.scale.id]
        try:
            lut = np.fromiter((decode[u] for u in uniques), dtype=np.uint8, count=len(uniques))
        except ValueError:
            return None
        codes[item.id] = lut[idx]
        blank &= codes[item.id] == BLANK  # BLANK: empty once stripped, as for any other column
    for name, (uniques, idx) in columns.items():
        if name not in codes and blank.any():
            empty = np.fromiter((not u.strip() for u in uniques), dtype=bool, count=len(uniques))
            blank &= empty[idx]
    keep = ~blank  # a line of separators only is no respondent
    every = bool(keep.all())
    answers = {i: c if every else np.ascontiguousarray(c[keep]) for i, c in codes.items()}
    segments = {}
    for s in table.segment_names:
        found = _segment(*columns[s], keep, table)
        if found is None:
            return None
        segments[s] = found
    comments = {o: _texts(*columns[o], keep) if o in columns else [] for o in table.open}
    employees = _stripped(*columns[table.employee], keep) if table.employee else None
    writers = {o: _writers(*columns[o], keep, employees) for o in table.open if o in columns} \
        if table.employee else None
    rows = np.arange(2, n + 2, dtype=np.intp)[keep]
    return Responses(table.display, answers, rows, segments, comments, employees=employees, comment_writers=writers)


def _segment(uniques: list[str], idx: np.ndarray, keep: np.ndarray, table) -> Segment | None:
    """A segment's groups, numbered by first appearance as the slow path numbers them; None at a contact detail."""
    from .redact import contact_kind

    values: dict[str, int] = {}
    to_group = np.empty(len(uniques), dtype=np.intp)
    used = np.zeros(len(uniques), dtype=bool)
    used[np.unique(idx[keep])] = True
    for j, raw in enumerate(uniques):
        value = raw.strip() or NOT_STATED
        if used[j] and value not in values:
            if contact_kind(value):
                return None
            values[value] = len(values)
        to_group[j] = values.get(value, -1)
    return Segment(to_group[idx[keep]], list(values))


def _stripped(uniques: list[str], idx: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Each kept row's value, stripped ('' when blank), as an object array."""
    stripped = np.array([u.strip() for u in uniques], dtype=object)
    return stripped[idx[keep]] if len(uniques) else np.array([""] * int(keep.sum()), dtype=object)


def _texts(uniques: list[str], idx: np.ndarray, keep: np.ndarray) -> list[str]:
    """An open question's non-blank answers, stripped, in file order."""
    stripped = [u.strip() for u in uniques]
    return [stripped[j] for j in idx[keep] if stripped[j]]


def _writers(uniques: list[str], idx: np.ndarray, keep: np.ndarray, employees: np.ndarray) -> np.ndarray:
    """The employee id of each of :func:`_texts`' answers, in the same order."""
    written = np.array([bool(u.strip()) for u in uniques], dtype=bool)
    return employees[written[idx[keep]]] if len(uniques) else employees[:0]
