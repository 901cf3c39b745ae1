"""Read an export file into rows of text cells, whatever the tool saved it as.

Survey tools and Excel write CSV in many shapes: UTF-8 with or without a BOM,
UTF-16 "Unicode text", Windows-1252 from a European Excel, separated by
commas, semicolons or tabs, with CRLF or LF. Workbooks (.xlsx) come from
Microsoft Forms and from people who opened a CSV in Excel. Everything here
turns the file into :class:`Table` rows of strings that remember the line (or
sheet row) they came from, so every later message can point at it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Location
from ..limits import MAX_EXPORT_BYTES, read_limited
from ..places import line_col
from ..yamlsafe import BOMS

MAX_XLSX_CELLS = 20_000_000
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_ZIP = b"PK\x03\x04"
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)


@dataclass
class Row:
    """One record of the export: its cells and where it starts in the file."""

    line: int
    cells: list[str]


@dataclass
class Table:
    """An export read into text: every record, header rows included."""

    display: str
    rows: list[Row]
    container: str                    # "csv" or "xlsx"
    encoding: str | None = None       # None for workbooks
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def read_table(path: Path, display: str, encoding: str | None = None) -> Table:
    """Read a CSV-like text file or an .xlsx workbook into a :class:`Table`."""
    data = read_limited(path, display, MAX_EXPORT_BYTES, "an export", "check that it is the right file")
    if not data.strip():
        raise InputError(Location(display, 1, 1), "file is empty; export the responses again")
    if data.startswith(_OLE):
        raise InputError(Location(display, 1, 1), "this is a legacy Excel (.xls) file; open it in "
                                                   "Excel and save it as .xlsx or CSV UTF-8")
    if data.startswith(_ZIP):
        table = _without_leading_blanks(_read_xlsx(data, display))
        if encoding:
            table.notes.append(f"--encoding {encoding} ignored: a workbook carries its own encoding")
        return table
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise InputError(Location(display, 1, 1), "file is named like an Excel workbook but is not "
                                                   "one; export the survey again, or rename it .csv if "
                                                   "it is text")
    text, used, notes = decode(data, display, encoding)
    return _without_leading_blanks(_read_delimited(text, display, used, notes))


def _without_leading_blanks(table: Table) -> Table:
    """Blank lines above the header are not a header row."""
    while table.rows and not any(c.strip() for c in table.rows[0].cells):
        table.rows.pop(0)
    if not table.rows:
        raise InputError(Location(table.display, 1, 1), "file is empty; export the responses again")
    return table


# --------------------------------------------------------------------------- text

def decode(data: bytes, display: str, encoding: str | None) -> tuple[str, str, list[str]]:
    """Bytes to text: the given encoding, else a BOM, else UTF-8, else Windows-1252.

    Returns the text (BOM removed), the encoding used and notes for the report.
    """
    if encoding:
        return _decode_as_given(data, display, encoding)
    return _decode_by_bom(data, display) or _decode_without_bom(data, display)


def _decode_as_given(data: bytes, display: str, encoding: str) -> tuple[str, str, list[str]]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError("--encoding", f"unknown encoding '{encoding}'; use e.g. utf-8, "
                                       "utf-16, cp1252 or latin-1") from None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(_byte_location(data, exc.start, display),
                         f"byte 0x{data[exc.start]:02x} cannot be read as {encoding}; "
                         "leave out --encoding to detect the encoding, or give the right "
                         "one") from None
    return _no_nul(text.lstrip("\ufeff"), display), codec, [f"encoding {codec} (given by --encoding)"]


def _decode_by_bom(data: bytes, display: str) -> tuple[str, str, list[str]] | None:
    """The text of a file that starts with a byte-order mark; ``None`` when it has none."""
    for bom, name, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name)
            except UnicodeDecodeError as exc:
                raise InputError(_byte_location(data, exc.start, display),
                                 f"the file starts with a {name} byte-order mark but byte "
                                 f"0x{data[exc.start]:02x} does not fit it; export it again") from None
            return _no_nul(text.lstrip("\ufeff"), display), f"{encoding} with BOM", []
    return None


def _decode_without_bom(data: bytes, display: str) -> tuple[str, str, list[str]]:
    """UTF-16 by its zero bytes, else UTF-8, else (not mixed with UTF-8) Windows-1252 or Latin-1."""
    sample = data[:4096]
    if sample.count(0) > len(sample) // 4:
        # UTF-16 without a BOM: the zero bytes of ASCII characters sit on one side.
        name = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return _no_nul(data.decode(name), display), name, \
                [f"no byte-order mark; the zero bytes say {name.upper()}"]
        except UnicodeDecodeError:
            raise InputError(Location(display, 1, 1), "file contains zero bytes: it is binary, not "
                                                       "an export; check that it is the right file") from None
    try:
        return _no_nul(data.decode("utf-8"), display), "UTF-8", []
    except UnicodeDecodeError as exc:
        where = _byte_location(data, exc.start, display)
        byte = data[exc.start]
    mixed = _UTF8_SEQUENCE.search(data)
    if mixed:
        # Reading it all as Windows-1252 would turn the UTF-8 part into "Ã©": refuse.
        other = _byte_location(data, mixed.start(), display)
        raise InputError(where, f"byte 0x{byte:02x} is not UTF-8, but line {other.line} holds UTF-8 "
                                "text: the file mixes encodings; save it again as UTF-8 (or pass "
                                "--encoding cp1252 if it is all Windows-1252)")
    for name, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        return _no_nul(text, display), label, [
            f"not UTF-8 (first at line {where.line}, column {where.col}); read as {label}, the "
            "usual encoding of Excel in Western Europe. If accented letters look wrong in the "
            "result, import again with --encoding"]
    raise AssertionError("latin-1 decodes any bytes")

def _no_nul(text: str, display: str) -> str:
    if "\x00" in text:
        line, _ = line_col(text, text.index("\x00"))
        raise InputError(Location(display, line, 1), "file contains zero bytes: it is binary or in "
                                                      "another encoding; pass --encoding (e.g. utf-16)")
    return text


def _byte_location(data: bytes, offset: int, display: str) -> Location:
    return Location(display, *line_col(data, offset))


def sniff_delimiter(text: str) -> str:
    """The separator of the header record: the candidate seen most outside quotes.

    ``csv.Sniffer`` guesses from character frequencies and gets exports with
    long question texts wrong; counting in the header alone is reliable
    because headers hold few separators of the other kinds. Ties go to the
    candidate that splits the first records into as many fields as the header.
    """
    counts = {d: 0 for d in DELIMITERS}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                break
            if ch in counts:
                counts[ch] += 1
    best = max(counts.values())
    if best == 0:
        return ","
    tied = [d for d, n in counts.items() if n == best]
    if len(tied) == 1:
        return tied[0]
    return max(tied, key=lambda d: (_consistency(text, d), d == ","))


def _consistency(text: str, delimiter: str) -> int:
    reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
    try:
        rows = [r for _, r in zip(range(50), reader)]
    except csv.Error:
        return 0
    return sum(1 for r in rows if rows and len(r) == len(rows[0]))


def _read_delimited(text: str, display: str, encoding: str, notes: list[str]) -> Table:
    first_line = 0
    stripped = text.lstrip("\ufeff")
    head = stripped.split("\n", 1)[0].rstrip("\r")
    if head.lower().startswith("sep=") and len(head) == 5:
        # Excel's hint line: "sep=;" names the separator and is not a header.
        delimiter = head[4]
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        first_line = 1
        notes = notes + [f"separator {DELIMITERS.get(delimiter, repr(delimiter))} from the "
                         "'sep=' line Excel wrote"]
    else:
        delimiter = sniff_delimiter(stripped)
    reader = csv.reader(io.StringIO(stripped, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            rows.append(Row(start + first_line, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(Location(display, start + first_line, 1),
                         f"CSV error in the record starting here: {exc}; a quote is probably not "
                         "closed: check the quoting of this row, or export the file again") from None
    return Table(display, rows, "csv", encoding, delimiter, list(notes))


# --------------------------------------------------------------------------- workbooks

def _read_xlsx(data: bytes, display: str) -> Table:
    try:
        import openpyxl
    except ImportError:
        raise InputError(display, "reading .xlsx needs the openpyxl package: "
                                  "pip install openpyxl, or save the sheet as CSV UTF-8") from None
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = book.worksheets
            if not sheets:
                raise InputError(Location(display, 1, 1), "the workbook has no worksheet")
            sheet = sheets[0]
            rows, cells = [], 0
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells += len(values)
                if cells > MAX_XLSX_CELLS:
                    raise InputError(Location(display, number, 1),
                                     f"the sheet holds over {MAX_XLSX_CELLS:,} cells; check that it is "
                                     "the right file, or delete empty rows and columns")
                rows.append(Row(number, [cell_text(v) for v in values]))
            notes = []
            if len(sheets) > 1:
                notes.append(f"workbook has {len(sheets)} sheets; read the first, '{sheet.title}'")
        finally:
            book.close()
    except InputError:
        raise
    except Exception as exc:  # zipfile, XML and openpyxl's own errors: all mean a broken file
        raise InputError(Location(display, 1, 1), f"cannot read this workbook ({exc.__class__.__name__}); "
                                                   "open it in Excel and save it as .xlsx or CSV UTF-8") from None
    while rows and not any(c.strip() for c in rows[-1].cells):
        rows.pop()
    return Table(display, rows, "xlsx", None, None, notes)


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
