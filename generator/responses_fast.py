"""The fast path for reading a large responses CSV: parsed in C, each column decoded as a whole.

:mod:`cxsite.responses` reads a file a row at a time with Python's csv
module, about 16 MB/s, and names the row and column of every bad value. A
file of half a million respondents takes that path ten seconds. Here pyarrow
parses the rows (in C, on every core). An answer column whose values are
whole numbers is parsed straight into one byte a cell, and each distinct
number is decoded once; any other column is dictionary-encoded, and each
distinct spelling decoded once. Either way the same
:class:`~cxsite.responses._Decoder` decides what every value means, so the
codes agree with the slow path's by construction.

The fast path gives up (returns None) at anything it would have to locate or
could get wrong — a value off its scale, a repeated respondent or employee
id, a contact detail in a segment, ragged rows, a quoted line break (after
which file lines and rows no longer match one for one) — and the slow path
then reads the file and reports every problem at its place. Nothing is ever
guessed here that the slow path would refuse.

Only the array methods of pyarrow are used, never :mod:`pyarrow.compute`:
its first call imports pandas (a third of a second and megabytes of memory
that nothing here needs). Each column is dropped as soon as it is decoded,
so the parsed table shrinks while the answer codes grow.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from .model import BLANK, NOT_STATED, Responses, Segment

MIN_BYTES = 4 << 20  # below this the slow path costs less than starting pyarrow
SAMPLE_BYTES = 64 << 10  # the start of the file that decides which answer columns are read as numbers
_BOM = b"\xef\xbb\xbf"
# The ASCII characters str.strip() removes (an id is compared stripped, as the slow path does).
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


def read(data: bytes, header: list[str], table) -> Responses | None:
    """``table``'s responses from the CSV bytes ``data`` (its header already checked), or None to read slowly."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - a dependency; without it every file takes the slow path
        return None
    start = len(_BOM) if data.startswith(_BOM) else 0
    quoted = data.find(b'"', start) >= 0
    if quoted and not quotes_regular(data[start:]):
        return None  # a quote inside a field: Python's csv (strict) and pyarrow may read it differently
    body = pa.py_buffer(memoryview(data)[start:])  # no copy of the file
    numeric = numeric_columns(data, start, header, table)
    parsed = _parse(body, header, numeric)
    if parsed is None and numeric:  # a column read as numbers held text after the sample
        parsed = _parse(body, header, set())
    if parsed is None:
        return None
    # Without a quote, every line is a row (empty lines too, see _parse); a
    # quoted field may hold a line break, after which the two no longer match.
    if quoted and parsed.num_rows + 1 != data.count(b"\n") + (0 if data.endswith(b"\n") else 1):
        return None
    columns = dict(zip(header, parsed.columns))
    n = parsed.num_rows
    del parsed  # from here the columns are dropped one by one as they are decoded
    blank = np.ones(n, dtype=bool)
    for c in ("respondent_id", table.employee):
        if c and c in columns:
            found = _ids(columns[c] if c == table.employee else columns.pop(c))
            if found is None:
                return None  # a repeated id: the slow path names both lines
            if c == "respondent_id":
                blank = found
    return _responses(columns, blank, table)


def _parse(body, header: list[str], numeric: set[str]):
    """The CSV ``body`` as a table of its columns (``numeric`` ones as uint8, the rest as text), or None."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(len(header))]
    types = {n: pa.uint8() if h in numeric else pa.string() for n, h in zip(names, header)}
    try:
        return pacsv.read_csv(
            body, read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
            # An empty line is a row (of blanks, dropped below), so rows stay file lines.
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
            # Only a number column has nulls (its empty cells); text stays text, "" included.
            convert_options=pacsv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=False,
                                                 check_utf8=False))  # checked already, at its line and column
    except (pa.ArrowInvalid, pa.ArrowException):
        return None


def numeric_columns(data: bytes, start: int, header: list[str], table) -> set[str]:
    """The answer columns to parse as numbers: those whose values at the start of the file are all whole numbers.

    pyarrow reads ``04``, `` 4`` and ``"4"`` as 4, as :func:`cxsite.responses.parse_answer`
    does, and refuses ``+4``, ``4.0``, ``0x`` aside: it reads ``0x4`` as 4,
    which parse_answer refuses, so a file with ``0x`` anywhere is read as
    text. So is a scale with a number among its not-applicable spellings
    (``99`` and ``099`` would part ways). A column that holds text further on
    fails the parse, and the whole file is parsed again as text.
    """
    if data.find(b"0x", start) >= 0 or data.find(b"0X", start) >= 0:
        return set()
    text = data[start:start + SAMPLE_BYTES].decode("utf-8", errors="replace")
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if len(r) == len(header)][1:-1]  # the last may be cut
    except csv.Error:
        return set()
    # Each column's distinct values, gathered in C (zip), checked once each.
    values = dict(zip(header, (set(c) for c in zip(*rows)))) if rows else {h: set() for h in header}
    return {i.id for i in table.order if not any(_is_number(na) for na in i.scale.not_applicable)
            and all(not v.strip() or (v.strip().isascii() and v.strip().isdigit()) for v in values[i.id])}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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


def _valid(array) -> np.ndarray | None:
    """Per element of a pyarrow array, whether it is not null (from its validity bitmap); None: no nulls."""
    bitmap = array.buffers()[0]
    if bitmap is None or array.null_count == 0:
        return None
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), count=array.offset + len(array), bitorder="little")
    return bits[array.offset:].view(bool)


def _numbers(column, decode) -> np.ndarray | None:
    """The answer codes of a column parsed as uint8 (null: blank); None at a number off the scale."""
    array = column.combine_chunks()
    values = _values(array, np.uint8)
    valid = _valid(array)
    lut = np.full(256, BLANK, dtype=np.uint8)
    for v in np.flatnonzero(np.bincount(values, minlength=256)):
        try:
            lut[v] = decode[str(v)]  # as the slow path decodes "4", "04" or " 4"
        except ValueError:
            # A null's slot holds some number too: off the scale only if a real cell holds it.
            if valid is None or np.count_nonzero(values[valid] == v):
                return None
    codes = lut[values]
    if valid is not None:
        np.multiply(codes, valid, out=codes, casting="unsafe")  # null: BLANK (0)
    return codes


def _values(array, dtype) -> np.ndarray:
    """A pyarrow array of fixed-width numbers as a NumPy array on its buffer (no copy; nulls' slots as they are)."""
    if not len(array):
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * np.dtype(dtype).itemsize)


def _strings(array) -> tuple[np.ndarray, np.ndarray]:
    """A pyarrow string array's offsets (one more than its length) and its bytes, without copies."""
    _, offsets, data = array.buffers()
    off = np.frombuffer(offsets, dtype=np.int32, count=len(array) + 1, offset=array.offset * 4)
    return off, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8))


def _ids(column) -> np.ndarray | None:
    """Per row, whether the id is blank once stripped; None when a non-blank id (stripped) appears twice.

    Ids of ASCII with no space at either end are compared by their bytes
    (:func:`_repeated`, in NumPy); any other column is stripped in Python,
    where str.strip's idea of a space decides, as on the slow path.
    """
    array = column.combine_chunks()
    off, raw = _strings(array)
    lengths = np.diff(off)
    if len(array) and off[-1] > off[0] and (raw[off[0]:off[-1]].max() >= 128 or _edges_space(off, raw, lengths)):
        stripped = [u.strip() for u in array.to_pylist()]
        blank = np.array([not s for s in stripped], dtype=bool)
        given = [s for s in stripped if s]
        return None if len(set(given)) != len(given) else blank
    blank = lengths == 0
    return None if _repeated(off[:-1][~blank], lengths[~blank], raw) else blank


def _repeated(starts: np.ndarray, lengths: np.ndarray, raw: np.ndarray) -> bool:
    """Whether two of the byte strings ``raw[starts[i]:starts[i] + lengths[i]]`` are equal.

    Each string is read eight bytes at a time as 64-bit numbers (from a
    view of ``raw`` at every byte offset), bytes past its end masked off,
    and the numbers folded into one: exact for strings of up to eight bytes,
    which hold no NUL (the file has none); equal numbers of longer strings
    are compared byte for byte.
    """
    longest = int(lengths.max()) if len(lengths) else 0
    padded = np.concatenate([raw, np.zeros(8, dtype=np.uint8)])
    at = np.ndarray((len(raw) + 1,), dtype="<u8", buffer=padded, strides=(1,))  # 8 bytes from each offset
    masks = np.array([(1 << (8 * b)) - 1 for b in range(9)], dtype=np.uint64)
    key = np.zeros(len(starts), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(0, longest, 8):
            word = at[np.minimum(starts + k, len(raw))] & masks[np.clip(lengths - k, 0, 8)]
            key = key * np.uint64(0x9E3779B97F4A7C15) ^ word
    ordered = np.sort(key)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    if longest <= 8 or not len(twice):
        return bool(len(twice))
    rows = np.flatnonzero(np.isin(key, twice))
    return len({bytes(raw[starts[i]:starts[i] + lengths[i]]) for i in rows}) < len(rows)


def _edges_space(off: np.ndarray, raw: np.ndarray, lengths: np.ndarray) -> bool:
    """Whether a non-empty string (``off``, ``raw``: :func:`_strings`) starts or ends with an ASCII space."""
    some = lengths > 0
    return bool(_SPACE[raw[off[:-1][some]]].any() or _SPACE[raw[off[1:][some] - 1]].any())


def _encoded(column) -> tuple[list[str], np.ndarray]:
    """A column as its distinct raw values (in order of first appearance) and each row's index into them."""
    enc = column.combine_chunks().dictionary_encode()
    return enc.dictionary.to_pylist(), _values(enc.indices, np.int32)  # int32: indexes as well; never null (text)


def _codes(column, decode) -> np.ndarray | None:
    """One answer column's codes (parsed as numbers or as text); None at a value off the scale."""
    import pyarrow as pa

    if column.type == pa.uint8():
        return _numbers(column, decode)
    uniques, idx = _encoded(column)
    try:
        lut = np.fromiter((decode[u] for u in uniques), dtype=np.uint8, count=len(uniques))
    except ValueError:
        return None
    return lut[idx]


def _responses(columns: dict, blank: np.ndarray, table) -> Responses | None:
    """The responses of the parsed ``columns`` (taken out as decoded); ``blank``: rows blank in the others."""
    n = len(blank)
    codes = {}
    for item in table.order:
        found = _codes(columns.pop(item.id), table.decoders[item.scale.id])
        if found is None:
            return None
        codes[item.id] = found
        blank &= found == BLANK  # BLANK: empty once stripped, as for any other column
    encoded = {name: _encoded(columns.pop(name)) for name in list(columns)}
    for uniques, idx in encoded.values():
        if blank.any():
            empty = np.fromiter((not u.strip() for u in uniques), dtype=bool, count=len(uniques))
            blank &= empty[idx]
    keep = ~blank  # a line of separators only is no respondent
    every = bool(keep.all())
    answers = {i: c if every else np.ascontiguousarray(c[keep]) for i, c in codes.items()}
    segments = {}
    for s in table.segment_names:
        found = _segment(*encoded[s], keep, table)
        if found is None:
            return None
        segments[s] = found
    comments = {o: _texts(*encoded[o], keep) if o in encoded else [] for o in table.open}
    employees = _stripped(*encoded[table.employee], keep) if table.employee else None
    writers = {o: _writers(*encoded[o], keep, employees) for o in table.open if o in encoded} \
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
    if not uniques:
        return []
    stripped = np.array([u.strip() for u in uniques], dtype=object)
    given = np.array([bool(u) for u in stripped], dtype=bool)
    rows = idx[keep]
    return stripped[rows[given[rows]]].tolist()


def _writers(uniques: list[str], idx: np.ndarray, keep: np.ndarray, employees: np.ndarray) -> np.ndarray:
    """The employee id of each of :func:`_texts`' answers, in the same order."""
    written = np.array([bool(u.strip()) for u in uniques], dtype=bool)
    return employees[written[idx[keep]]] if len(uniques) else employees[:0]
