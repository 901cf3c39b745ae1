"""Which survey tool wrote an export, and what each column's header says.

Detection reads the header rows, and the answers only where a tool's
layout is known by its place rather than its words (a localised Microsoft
Forms workbook: two columns of date-times after the id). The signatures
(compared after folding case and dropping everything but letters and digits,
so ``Start Date (UTC)`` is ``startdateutc``):

==================  ==========================================================
qualtrics           a third (or second) row of ``{"ImportId": …}`` cells, or
                    ``ResponseId`` with ``StartDate`` and ``EndDate``, or the
                    legacy format's first row ``V1, V2, V3…``
surveymonkey        ``Respondent ID`` and ``Collector ID``
limesurvey          ``submitdate`` (or ``Date submitted``) with ``lastpage`` or
                    ``startlanguage``, also as ``code. text`` headings
microsoft-forms     ``ID``, ``Start time`` and ``Completion time``, or (in any
                    language) a workbook of ``ID``, two columns of date-times
                    and an e-mail header
typeform            first header ``#`` and ``Submit Date (UTC)`` or ``Network ID``
google-forms        first header ``Timestamp`` (or its translation)
csv / xlsx          anything else: one header row, by the file's container
==================  ==========================================================

Header rows: Qualtrics has three (ids such as ``Q2_1``, the question text,
ImportId JSON; the legacy format two, ``V1``… or ``Q1`` then the labels), SurveyMonkey two (the question, spanning a grid's columns, then
the statement or ``Response``); the others one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from ..choices import GENERIC_TABLES, SURVEY_TOOLS
from ..errors import InputError, Location
from .tables import Row, Table
from .values import parse_times
from .toolfields import (
    MICROSOFT_FORMS_FIRST, QUALTRICS_FIELDS, QUALTRICS_LEGACY, QUALTRICS_SYSTEM, QUALTRICS_TAG, derived_parts,
    is_microsoft_forms, is_qualtrics_legacy,
    limesurvey_heading, limesurvey_parts, qualtrics_choice_texts, surveymonkey_parts,
)

TOOLS = SURVEY_TOOLS + GENERIC_TABLES
TOOL_NAMES = {"google-forms": "Google Forms", "microsoft-forms": "Microsoft Forms",
              "qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey", "limesurvey": "LimeSurvey",
              "typeform": "Typeform", "csv": "generic CSV", "xlsx": "generic Excel workbook"}
# Google Forms' first header, "Timestamp", in the languages of its interface (compacted).
TIMESTAMP_NAMES = {"timestamp", "marcatemporal", "horodateur", "zeitstempel", "tijdstempel",
                   "carimbodedatahora", "sygnaturaczasowa", "tidsstempel", "tidstampel", "tidstämpel",
                   "informazionicronologiche", "marcadetemps", "aikaleima", "časovérazítko",
                   "časováznačka", "időbélyeg", "zamandamgası", "dấuthờigian", "отметкавремени",
                   "позначкачасу", "タイムスタンプ", "时间戳", "時間戳記", "타임스탬프", "stempelwaktu",
                   "marcatemporală", "χρονικήσήμανση", "חותמתזמן", "الطابعالزمني"}
# SurveyMonkey's row 2 under a question of one answer, in the languages of its interface.
SURVEYMONKEY_ROW2 = {"response", "openendedresponse", "réponse", "réponseouverte", "antwort", "offeneantwort",
                     "respuesta", "respuestaabierta", "resposta", "respostaaberta", "risposta",
                     "rispostaaperta", "antwoord", "openantwoord"}


@dataclass
class Header:
    """One column's header: every text the tool gave it, and a label for messages."""

    col: int                 # 1-based column number
    line: int                # line of the first header row
    names: tuple[str, ...]   # distinct non-empty texts: ids, question text, combined
    label: str               # what messages and the report show
    code: str = ""           # the tool's own code for the column (Qualtrics ImportId), if any
    part: str | None = None  # SurveyMonkey: 'other' (an Other choice's text) or 'contact'

    @property
    def empty(self) -> bool:
        return not self.names


def compact(text: str) -> str:
    """Letters and digits only, folded: ``'Start Date (UTC)' -> 'startdateutc'``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def detect_tool(table: Table) -> tuple[str, str]:
    """The tool that wrote ``table`` and the signature that showed it."""
    rows = table.rows
    first = rows[0].cells if rows else []
    names = [compact(c) for c in first]
    have = set(names)
    if _importid_row(rows) or {"responseid", "startdate", "enddate"} <= have:
        return "qualtrics", "ImportId header row / ResponseId, StartDate, EndDate columns"
    if is_qualtrics_legacy(first):
        return "qualtrics", "legacy format: first row V1, V2, V3…"
    if {"respondentid", "collectorid"} <= have:
        return "surveymonkey", "'Respondent ID' and 'Collector ID' columns"
    # LimeSurvey's headings are codes, texts, or both ("submitdate. Date submitted").
    codes = {compact(h[0]) for h in map(limesurvey_heading, first) if h} | have
    if codes & {"submitdate", "datesubmitted"} and ({"lastpage", "startlanguage"} & codes):
        return "limesurvey", "'submitdate' with 'lastpage'/'startlanguage' columns"
    if names[:1] == ["id"] and {"starttime", "completiontime"} <= have:
        return "microsoft-forms", "'ID', 'Start time' and 'Completion time' columns"
    if is_microsoft_forms(first, table.container, compact) and _times(rows[1:], (1, 2)):
        return "microsoft-forms", "a workbook of 'ID' first, two date-times, an e-mail column fourth"
    if first[:1] and first[0].strip() == "#" and ({"submitdateutc", "networkid"} & have):
        return "typeform", "'#' first, 'Submit Date (UTC)'/'Network ID' columns"
    if names[:1] and names[0] in TIMESTAMP_NAMES:
        return "google-forms", "'Timestamp' first"
    return generic_tool(table), "no survey tool's signature in the headers: one header row of column names"


def generic_tool(table: Table) -> str:
    """A plain table of one header row, named by its container: ``csv`` or ``xlsx``."""
    return "xlsx" if table.container == "xlsx" else "csv"


def _times(rows: list[Row], columns: tuple[int, ...]) -> bool:
    """Whether every row has a date-time in each of ``columns`` (a layout told by its values)."""
    return bool(rows) and all(parse_times([r.cells[c] if c < len(r.cells) else "" for r in rows])
                              for c in columns)


def _importid_row(rows: list[Row]) -> int:
    """The number (2 or 3) of the row of Qualtrics ImportId JSON, or 0.

    The row whose filled cells are mostly ImportId objects: Qualtrics writes
    one in every column. A label in row 2 or an answer that merely starts
    like one (``{"ImportId"``) is text, and decides nothing.
    """
    for index in (1, 2):
        filled = [c for c in rows[index].cells if c.strip()] if index < len(rows) else []
        if filled and 2 * sum(1 for c in filled if _import_id(c)) > len(filled):
            return index + 1
    return 0


def header_rows(tool: str, table: Table) -> int:
    """How many of the first rows are headers for this tool."""
    rows = table.rows
    if tool == "qualtrics":
        found = _importid_row(rows)
        if found:
            return found
        if is_qualtrics_legacy(rows[0].cells) and len(rows) > 1:
            return 2
        # Without ImportIds a second row is a header when it repeats column labels.
        if len(rows) > 1 and rows[1].cells and compact(rows[1].cells[0]) in {"startdate", "responseid"}:
            return 2
        return 1
    if tool == "surveymonkey":
        # Row 2 leaves the respondent id blank and names the answers; data rows have an id.
        second = rows[1].cells if len(rows) > 1 else []
        if second and not second[0].strip() and any(compact(c) in SURVEYMONKEY_ROW2 for c in second):
            return 2
        return 1
    return 1


def build_headers(tool: str, table: Table, count: int) -> list[Header]:
    """One :class:`Header` per column of the header rows."""
    rows = [r.cells for r in table.rows[:count]]
    if not rows:
        raise InputError(Location(table.display, 1, 1), "the file has no header row")
    width = max(len(r) for r in rows)
    grid = [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]
    if tool == "surveymonkey" and count == 2:
        columns = _surveymonkey_columns(grid)
    elif tool == "qualtrics" and count >= 2:
        columns = _qualtrics_columns(grid)
    elif tool == "limesurvey":
        columns = [_limesurvey_column(cell) for cell in grid[0]]
        parts = limesurvey_parts([code for _, _, code, _ in columns])
        columns = [(texts, label, code, part) for (texts, label, code, _), part in zip(columns, parts)]
    elif tool == "typeform":
        # Typeform writes the text of a question's "Other" choice in a column of that name.
        columns = [([" ".join(c.split()) for c in cells], " ".join(cells[0].split()), "",
                    "other" if compact(cells[0]) == "other" else None) for cells in zip(*grid)]
    else:
        labels = [" ".join(c.split()) for c in grid[0]]
        parts = derived_parts(labels) if tool == "microsoft-forms" else [None] * width
        if tool == "microsoft-forms" and compact(labels[0]) == "id":
            # The first five columns are fixed; their headers are in the exporter's language.
            parts[:5] = MICROSOFT_FORMS_FIRST[:width]
        columns = [([" ".join(c.split()) for c in cells], label, "", part)
                   for cells, label, part in zip(zip(*grid), labels, parts)]
    line = table.rows[0].line
    return [Header(ci + 1, line, tuple(dict.fromkeys(t for t in texts if t)), " ".join(label.split()),
                   code, part)
            for ci, (texts, label, code, part) in enumerate(columns)]


_Column = tuple[list[str], str, str, "str | None"]   # texts, label, code, part


def _surveymonkey_columns(grid: list[list[str]]) -> list[_Column]:
    """Question on row 1 (a grid's title spans its statements), statement or ``Response`` on row 2."""
    tops, subs = grid
    parts = surveymonkey_parts(tops, subs, compact, SURVEYMONKEY_ROW2)
    out, title = [], ""
    for top, sub, part in zip(tops, subs, parts):
        if top:
            title = top
        elif sub:
            top = title  # a grid's title spans its statements
        if sub and compact(sub) not in SURVEYMONKEY_ROW2:
            texts = [f"{top} - {sub}" if top else sub, sub, top]
        else:
            texts = [top]
        out.append((texts, texts[0], "", part))
    return out


def _qualtrics_columns(grid: list[list[str]]) -> list[_Column]:
    """Column name, label (in the exporter's language), and the stable code: ImportId or ``V1``…"""
    legacy = is_qualtrics_legacy(grid[0])
    out = []
    for cells in zip(*grid):
        ident, text = cells[0], cells[1]
        code = _import_id(cells[2]) if len(cells) == 3 else ""
        if legacy:
            code = QUALTRICS_LEGACY.get(ident, "")
        # The code comes first: the catalogues then decide by it whatever language the labels are
        # in, and a system field's label (say "Anfangsdatum") is not evidence at all.
        system = code in QUALTRICS_FIELDS or QUALTRICS_SYSTEM.match(code)
        texts = [_qualtrics_field(code), ident] + ([] if system else [text])
        label = f"{ident} ({text})" if text and text != ident else ident
        embedded = not code and ident and ident == text and not QUALTRICS_TAG.match(ident)
        out.append((texts, label, code, "embedded" if embedded else None))
    others = qualtrics_choice_texts([code or texts[1] for texts, _, code, _ in out])
    return [(texts, label, code, "other" if other else part)
            for (texts, label, code, part), other in zip(out, others)]


def _qualtrics_field(code: str) -> str:
    """A code as the catalogues name it: Qualtrics' ``duration`` is in seconds."""
    return "durationInSeconds" if code == "duration" else code


def _limesurvey_column(cell: str) -> _Column:
    """A code (``AGREE[SQ001]``), a text, or both as ``code. text``."""
    heading = limesurvey_heading(cell)
    if heading is None:
        return [" ".join(cell.split())], cell, cell, None
    code, text = heading
    return [code, text, cell], cell, code, None


def _import_id(cell: str) -> str:
    try:
        value = json.loads(cell)
    except ValueError:
        return ""
    return str(value.get("ImportId", "")) if isinstance(value, dict) else ""


def statement_parts(name: str) -> list[str]:
    """The statement inside a grid header: ``Title [text]`` and ``Title - text``."""
    parts = []
    match = re.search(r"\[([^\[\]]+)\]\s*$", name)
    if match:
        parts.append(match.group(1))
    if " - " in name:
        parts.append(name.rsplit(" - ", 1)[1])
    return parts
