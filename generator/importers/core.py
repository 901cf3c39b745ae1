"""``cxsite import``: a survey-tool export in, an engagement's responses out.

One pure function, :func:`import_export`, for the CLI to wrap. It reads the
export (any of the tools in :data:`~cxsite.importers.detect.TOOLS`, or
assessor ratings in YAML), maps its columns onto the engagement's
questionnaire, checks every value against its scale, applies the engagement's
quality rules and writes ``responses.csv``, ``import-report.md`` and
``import-quality.json``. Any problem is an :class:`InputError` with the
export's line and column; then nothing is written.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ErrorCollector, InputError, InputErrors, Location, did_you_mean, display_path, one_of
from ..load import load_project
from ..lookup import find_engagement
from ..model import Engagement
from ..outputs import check_targets, os_problem
from ..redact import KnownNames, contact_kind, redact
from ..responses import load_responses
from ..yamlsafe import load_yaml
from . import output
from .columns import (
    Column, ColumnsMap, classify, is_name_column, load_columns_map, missing_targets, targets_of,
)
from ..choices import GENERIC
from .detect import TOOL_NAMES, TOOLS, Header, build_headers, detect_tool, generic_tool, header_rows
from .quality import RULES, Decision, Record, assess, counts, rules_of
from .tables import DELIMITERS, Row, Table, read_table
from .toolfields import value_parts
from .values import answer

REPORT = "import-report.md"
QUALITY = "import-quality.json"
MAX_VALUE_ERRORS = 50


@dataclass
class ImportResult:
    """What an import did, for the CLI to print."""

    source: str
    tool: str
    detected: bool
    encoding: str | None
    delimiter: str | None
    rows_read: int
    kept: int
    excluded: dict[str, int]
    flagged: dict[str, int]
    blank_rows: int = 0
    columns_mapped: list[tuple[int, str, str]] = field(default_factory=list)  # (column, header, id)
    dropped_personal: list[str] = field(default_factory=list)
    dropped_metadata: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    plan: str = ""                  # --dry-run: the column plan instead of files written
    problems: InputErrors | None = None  # --dry-run: why the import would fail
    responses_path: Path | None = None
    report_path: Path | None = None
    quality_path: Path | None = None

    def summary(self) -> str:
        """A few lines for the terminal (for a dry run, the column plan)."""
        if self.plan:
            return self.plan
        how = "detected" if self.detected else "given by --from"
        out = [f"imported {self.source} ({TOOL_NAMES.get(self.tool, self.tool)}, {how}): "
               f"{self.rows_read} rows read, {self.kept} kept"]
        ex = ", ".join(f"{k} {v}" for k, v in self.excluded.items() if v)
        fl = ", ".join(f"{k} {v}" for k, v in self.flagged.items() if v)
        out.append(f"excluded: {ex or 'none'}; flagged but kept: {fl or 'none'}")
        out.append(f"columns: {len(self.columns_mapped)} imported, {len(self.dropped_personal)} "
                   f"personal dropped, {len(self.dropped_metadata)} metadata dropped"
                   + (f", {len(self.ignored)} ignored" if self.ignored else ""))
        out += [f"note: {n}" for n in self.notes]
        out.append(f"wrote {self.responses_path}, {self.report_path}, {self.quality_path}")
        return "\n".join(out)


def import_export(source: Path, engagement_dir: Path | str, project_root: Path, tool: str | None = None,
                  encoding: str | None = None, columns_file: Path | None = None,
                  salt: str | None = None, dry_run: bool = False) -> ImportResult:
    """Import ``source`` as the responses of the engagement in ``engagement_dir`` (or of that id).

    Raises :class:`InputError`/:class:`InputErrors` (located messages) on any
    problem; then no file is written or changed. With ``dry_run`` nothing is
    written either way: the result's ``plan`` says what each column would
    become, and ``problems`` why the import would fail (None when it would not).
    """
    source, project_root = Path(source), Path(project_root)
    if tool is not None and tool not in (*TOOLS, GENERIC):
        raise InputError("--from", f"unknown tool '{tool}'{did_you_mean(tool, TOOLS)}; "
                                   f"expected one of {one_of(TOOLS)}")
    project = load_project(project_root, responses=False)
    engagement = find_engagement(project, engagement_dir)
    display = display_path(source.resolve(), project.root) if source.exists() else str(source)
    if not source.is_file():
        raise InputError(display, "export file not found; give the path of the downloaded file")
    eng_doc = load_yaml(engagement.folder / "engagement.yml", engagement.path)
    if source.suffix.lower() in (".yml", ".yaml"):
        if tool is not None:
            raise InputError("--from", "a .yml source is assessor ratings; leave out --from")
        if dry_run:
            raise InputError("--dry-run", "a .yml source is assessor ratings, which have no columns "
                                          "to plan; leave out --dry-run")
        return _import_ratings(source, display, engagement, eng_doc, project.root)
    target = engagement.folder / engagement.responses_file
    if target.suffix.lower() != ".csv":
        raise InputError(eng_doc.at(("responses",)),
                         f"responses: '{engagement.responses_file}' is not a CSV file, but a survey "
                         "export becomes CSV; set responses: responses.csv in engagement.yml")
    export = _read_export(source, display, encoding, tool)
    cmap = load_columns_map(engagement, eng_doc, Path(columns_file) if columns_file else None,
                            targets_of(engagement), project.root)
    if dry_run:
        return _dry_run(source, export, engagement, cmap)
    columns, unused, records, blank = _convert(export, engagement, cmap)
    redaction_notes = _redact_comments(records, columns, _known_names(export.data, columns))
    decisions, totals, quality_notes = _apply_quality(records, columns, engagement, export)
    all_notes = export.table.notes + quality_notes + redaction_notes
    report = output.report_md(
        engagement_id=engagement.id, source_name=source.name, facts=_facts(export, engagement),
        totals=totals, columns=columns, rules=rules_of(engagement.quality), decisions=decisions,
        notes=all_notes, unused_map=unused, salt_given=salt is not None,
        has_ids=any(c.role == "respondent_id" for c in columns), blank_rows=blank)
    ids = output.hashed_ids(decisions, salt if salt is not None else secrets.token_hex(16))
    files = {target: output.responses_csv(_csv_header(columns, engagement), decisions, ids),
             engagement.folder / REPORT: report,
             engagement.folder / QUALITY: output.quality_json(totals)}
    _write(files, engagement, target, project.root)
    return ImportResult(
        source=source.name, tool=export.tool, detected=export.detected, encoding=export.table.encoding,
        delimiter=export.table.delimiter, rows_read=totals["rows_read"], kept=totals["kept"],
        excluded=totals["excluded"], flagged=totals["flagged"], blank_rows=blank, **_column_lists(columns),
        notes=all_notes, responses_path=target, report_path=engagement.folder / REPORT,
        quality_path=engagement.folder / QUALITY)


def _column_lists(columns: list[Column]) -> dict:
    """What became of the columns, as :class:`ImportResult` lists them."""
    return {"columns_mapped": [(c.header.col, c.header.label, c.target) for c in columns
                               if c.role in ("answer", "open", "segment", "respondent_id")],
            "dropped_personal": [c.header.label for c in columns if c.role in ("personal", "email")],
            "dropped_metadata": [c.header.label for c in columns if c.role in ("metadata", "empty")],
            "ignored": [c.header.label for c in columns if c.role == "ignored"]}


@dataclass
class _Export:
    """An export read and its header rows understood: what the rest of an import works from."""

    table: Table
    tool: str
    detected: bool     # the tool was recognised, not given by --from
    signature: str     # what it was recognised by
    count: int         # header rows
    headers: list[Header]
    data: list[Row]    # the rows below the header rows


def _read_export(source: Path, display: str, encoding: str | None, tool: str | None) -> _Export:
    """Read the file, recognise the tool and its header rows; refuse an export of no responses."""
    table = read_table(source, display, encoding)
    detected = tool is None
    tool, signature = detect_tool(table) if detected else (tool, "given by --from")
    if tool == GENERIC:
        tool = generic_tool(table)
    count = header_rows(tool, table)
    headers = build_headers(tool, table, count)
    data = table.rows[count:]
    parts = value_parts(tool, [h.part for h in headers], [r.cells for r in data])
    headers = [dataclasses.replace(h, part=part) for h, part in zip(headers, parts)]
    if not any(any(c.strip() for c in r.cells) for r in data):
        raise InputError(Location(display, table.rows[0].line, 1),
                         "the file has a header but no responses; export again with responses included")
    return _Export(table, tool, detected, signature, count, headers, data)


def _plan(export: _Export, engagement: Engagement, cmap: ColumnsMap):
    """The engagement's targets, each column's role, the unused map entries, and the column problems."""
    targets = targets_of(engagement)
    display, headers = export.table.display, export.headers
    columns, unused, errors = classify(headers, targets, cmap, display, engagement.questionnaire.id,
                                       export.tool)
    if not errors:
        errors.extend(missing_targets(columns, targets, display, headers[0].line))
    return targets, columns, unused, errors


def _convert(export: _Export, engagement: Engagement, cmap: ColumnsMap
             ) -> tuple[list[Column], list[str], list[Record], int]:
    """Map the columns and convert every row: the columns, unused map entries, records and blank rows.

    Raises :class:`InputErrors` listing every column problem, else every value problem.
    """
    targets, columns, unused, errors = _plan(export, engagement, cmap)
    errors.raise_if_any()
    records, blank = _records(export.table, export.data, columns, targets, errors)
    errors.raise_if_any()
    return columns, unused, records, blank


def _dry_run(source: Path, export: _Export, engagement: Engagement, cmap: ColumnsMap) -> ImportResult:
    """Every step of an import but the writing: the column plan, and what would stop the import."""
    targets, columns, unused, errors = _plan(export, engagement, cmap)
    totals = None
    if not errors:
        try:
            records, _ = _records(export.table, export.data, columns, targets, errors)
            errors.raise_if_any()
            totals = _apply_quality(records, columns, engagement, export)[1]
        except (InputError, InputErrors) as exc:
            errors.extend(exc.errors if isinstance(exc, InputErrors) else [exc])
    problems = InputErrors(errors.errors) if errors else None
    plan = output.column_plan(source.name, _facts(export, engagement), columns, unused, totals,
                              len(problems.errors) if problems else 0)
    return ImportResult(
        source=source.name, tool=export.tool, detected=export.detected, encoding=export.table.encoding,
        delimiter=export.table.delimiter, rows_read=totals["rows_read"] if totals else 0,
        kept=totals["kept"] if totals else 0, excluded=totals["excluded"] if totals else {},
        flagged=totals["flagged"] if totals else {}, **_column_lists(columns), plan=plan, problems=problems)


def _apply_quality(records: list[Record], columns: list[Column], engagement: Engagement,
                   export: _Export) -> tuple[list[Decision], dict, list[str]]:
    """Decide each record by the engagement's quality rules: the decisions, their counts, notes.

    Raises :class:`InputError` when the rules leave no response to import.
    """
    labels = {}
    for c in columns:
        if c.signal and c.signal not in labels:
            labels[c.signal] = c.header.label
    decisions, notes = assess(records, engagement.quality, [i.id for i in engagement.questionnaire.items],
                              labels)
    totals = counts(decisions)
    if not totals["kept"]:
        why = ", ".join(f"{rule} {n}" for rule, n in totals["excluded"].items() if n)
        raise InputError(Location(export.table.display, export.headers[0].line, 1),
                         f"every one of the {totals['rows_read']} responses is excluded by the quality "
                         f"rules ({why}); nothing to import: check the export, or set the rules to keep "
                         "under 'quality:' in engagement.yml")
    return decisions, totals, notes


def _csv_header(columns: list[Column], engagement: Engagement) -> list[str]:
    """The columns of responses.csv: every item and outcome, the open questions the export has."""
    q = engagement.questionnaire
    has_ids = any(c.role == "respondent_id" for c in columns)
    return (["respondent_id"] if has_ids else []) + list(engagement.segments) \
        + [i.id for i in q.items] + [o.id for o in q.outcomes] \
        + [o.id for o in q.open_questions if any(c.target == o.id for c in columns)]


def _facts(export: _Export, engagement: Engagement) -> list[tuple[str, str]]:
    """The report's facts about the file: the tool, its format, the questionnaire."""
    how = f"detected: {export.signature}" if export.detected else "given by --from"
    q = engagement.questionnaire
    return [("tool", f"{TOOL_NAMES[export.tool]} ({how})"),
            ("file", _file_fact(export.table, export.count)),
            ("questionnaire", f"{q.id} {q.version}")]

def _file_fact(table: Table, count: int) -> str:
    if table.container == "xlsx":
        kind = "Excel workbook"
    else:
        kind = f"{table.encoding}, {DELIMITERS.get(table.delimiter, repr(table.delimiter))}-separated"
    return f"{kind}; {count} header row{'s' * (count != 1)}"


def _records(table: Table, data, columns: list[Column], targets, errors: ErrorCollector
             ) -> tuple[list[Record], int]:
    """Convert every data row; problems go to ``errors`` (at most a screenful)."""
    display = table.display
    width = len(columns)
    records, blank, problems = [], 0, 0

    def problem(where: Location, message: str) -> None:
        nonlocal problems
        problems += 1
        if problems <= MAX_VALUE_ERRORS:
            errors.add(where, message)

    for row in data:
        cells = row.cells
        if not any(c.strip() for c in cells):
            blank += 1
            continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problem(Location(display, row.line, width + 1),
                    f"row has {len(cells)} fields but the header has {width}; a separator is extra "
                    "or a value holding one is not quoted: fix this row or export the file again")
            continue
        if len(cells) < width and table.container == "csv":
            problem(Location(display, row.line, len(cells) or 1),
                    f"row has {len(cells)} fields but the header has {width}; a separator is missing "
                    "or a line break cut the row: fix this row or export the file again")
            continue
        cells = cells + [""] * (width - len(cells))
        record = Record(row.line, {}, {})
        for c, raw in zip(columns, cells):
            at = Location(display, row.line, c.header.col)
            if c.role == "answer":
                try:
                    record.answers[c.target], record.cells[c.target] = answer(targets[c.target].scale, raw)
                except ValueError as exc:
                    problem(at, f"column '{c.header.label}' ({c.target}): {exc}")
            elif c.role == "segment":
                record.cells[c.target] = value = " ".join(raw.split())  # "Sales " is "Sales"
                if value and contact_kind(value):
                    problem(at, _contact_in_segment(c, value))
            elif c.role == "open":
                record.cells[c.target] = raw.strip()
            elif c.role == "respondent_id":
                record.rid = raw.strip() or None
            elif c.role == "email":
                record.emails.append(raw)
            elif c.role == "empty" and raw.strip():
                problem(at, f"column {c.header.col} has no header but holds a value here; give the "
                            "column a header, or delete it from the export")
            if c.signal and c.signal not in record.signals:
                record.signals[c.signal] = raw
        records.append(record)
    if problems > MAX_VALUE_ERRORS:
        errors.add(Location(display), f"… and {problems - MAX_VALUE_ERRORS} more problems like the "
                                      f"{MAX_VALUE_ERRORS} above")
    return records, blank


def _contact_in_segment(c: Column, value: str) -> str:
    """The message for a segment value that is a contact detail (the same check as a build's)."""
    return (f"column '{c.header.label}' is segment '{c.target}' but holds {contact_kind(value)}; "
            "segment values appear in the report: fix the value or the mapping")


def _known_names(data, columns: list[Column]) -> KnownNames:
    """Every name in the export's name columns (first, last, full name…), which are never written."""
    positions = [i for i, c in enumerate(columns) if is_name_column(c)]
    return KnownNames(row.cells[i] for row in data for i in positions if i < len(row.cells))


def _redact_comments(records: list[Record], columns: list[Column], names: KnownNames) -> list[str]:
    """Redact the open answers in place: the export's own names, contact details, addresses.

    Done here because the name columns are dropped: after the import nothing
    knows who the respondents were. Returns the note for the report.
    """
    open_ids = [c.target for c in columns if c.role == "open"]
    changed = 0
    for record in records:
        for target in open_ids:
            text = record.cells.get(target, "")
            if text:
                record.cells[target] = redact(text, names)
                changed += record.cells[target] != text
    if not changed:
        return []
    return [f"{changed} comment{'s' * (changed != 1)} had names, contact details or addresses "
            "replaced by [redacted] before responses.csv was written."]


def _write(files: dict[Path, str | bytes], engagement: Engagement, target: Path, root: Path) -> None:
    """Write all files or none; a file system refusal is a located message too."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_problem(exc, display_path(target.parent, root)) from None
    # Every target is checked before the first byte is written: a refusal
    # half way through the renames would leave a mix of old and new files.
    check_targets(files, engagement.folder, root)
    try:
        output.write_atomically(files, lambda temps: _check_written(engagement, temps[target], root))
    except OSError as exc:
        where = display_path(Path(exc.filename), root) if exc.filename else engagement.path
        raise InputError(where, f"cannot write the import: {exc.strerror}; check the folder's "
                                "permissions and free space") from None


def _check_written(engagement: Engagement, temp: Path, root: Path) -> None:
    """Read the written file back the way a build will, before it replaces anything."""
    probe = dataclasses.replace(engagement, responses_file=temp.name)
    try:
        load_responses(probe, root)
    except (InputError, InputErrors) as exc:
        raise InputError(Location(engagement.path), "the converted responses do not load back "
                                                    f"({exc}); this is a cxsite bug, please report "
                                                    "it with the export") from None


# --------------------------------------------------------------------------- assessor ratings

def _import_ratings(source: Path, display: str, engagement: Engagement, eng_doc, root: Path) -> ImportResult:
    """Check assessor ratings exactly as a build reads them, then copy them in."""
    target = engagement.folder / engagement.responses_file
    if target.suffix.lower() not in (".yml", ".yaml"):
        raise InputError(eng_doc.at(("responses",)),
                         f"'{source.name}' holds assessor ratings (YAML) but responses: names "
                         f"'{engagement.responses_file}'; set responses: ratings.yml in engagement.yml")
    probe = dataclasses.replace(engagement, folder=source.parent, responses_file=source.name)
    responses = load_responses(probe, root)
    n = len(responses)
    zero = {rule: 0 for rule in RULES}
    totals = {"rows_read": n, "kept": n, "excluded": dict(zero), "flagged": dict(zero)}
    decisions = [Decision(Record(int(row), {}, {}), None, []) for row in responses.rows]
    report = output.report_md(
        engagement_id=engagement.id, source_name=source.name,
        facts=[("kind", "assessor ratings (YAML), checked and copied unchanged"),
               ("questionnaire", f"{engagement.questionnaire.id} {engagement.questionnaire.version}")],
        totals=totals, columns=[], rules=rules_of(engagement.quality), decisions=decisions,
        notes=["Quality rules apply to survey exports; assessor ratings are kept as given."],
        unused_map=[], salt_given=False, has_ids=False, blank_rows=0)
    files = {target: source.read_bytes(), engagement.folder / REPORT: report,
             engagement.folder / QUALITY: output.quality_json(totals)}
    _write(files, engagement, target, root)
    return ImportResult(source=source.name, tool="assessor-ratings", detected=True, encoding="UTF-8",
                        delimiter=None, rows_read=n, kept=n, excluded=totals["excluded"],
                        flagged=totals["flagged"], responses_path=target,
                        report_path=engagement.folder / REPORT, quality_path=engagement.folder / QUALITY)
