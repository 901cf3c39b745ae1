"""Data-quality rules for imported responses: which rows to keep.

The engagement's ``quality:`` rules say, per kind of doubtful response,
``keep`` (counted and listed as flagged) or ``exclude`` (left out of
responses.csv and listed with its source row). Checked in this order, and a
row is excluded for the first rule that excludes it:

- incomplete: the tool's own flags: ``Finished`` false, ``Progress`` under
  100, or a blank completion/submit time;
- duplicates: the same respondent id or e-mail address as an earlier row that
  was kept (so a person who abandoned a first attempt keeps the second one);
- speeders: a duration (the tool's seconds, or end minus start) under
  ``speeder_seconds``;
- straightlining: one and the same answer to every statement answered, with at
  least :data:`STRAIGHTLINE_MIN` statements answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import QUALITY_FORMAT
from .values import number, parse_times

RULES = ("incomplete", "duplicates", "speeders", "straightlining")
# A Finished flag that says no, as tools write it in the languages of their interface.
UNFINISHED = {"false", "0", "no", "n", "f", "falsch", "nein", "faux", "non", "falso", "onwaar", "nee",
              "fałsz", "nie", "falskt", "nej", "usant", "epätosi"}
STRAIGHTLINE_MIN = 5
# The defaults are the engagement format's (model.QUALITY_FORMAT), where 'cxsite schema' and
# the docs read them too: one place to change a rule's default.
DEFAULT_RULES = {name: spec.default for name, spec in QUALITY_FORMAT.fields.items()}


@dataclass
class Record:
    """One data row of the export, converted."""

    line: int
    cells: dict[str, str]                       # id -> text for responses.csv
    answers: dict[str, int | str | None]        # scored id -> parsed answer
    rid: str | None = None                      # the raw respondent id (never written)
    emails: list[str] = field(default_factory=list)  # raw e-mail values (never written)
    signals: dict[str, str] = field(default_factory=dict)  # start/end/... -> raw text


@dataclass
class Finding:
    rule: str
    detail: str


@dataclass
class Decision:
    record: Record
    excluded: Finding | None
    flags: list[Finding]


def rules_of(quality: dict | None) -> dict:
    rules = dict(DEFAULT_RULES)
    rules.update({k: v for k, v in (quality or {}).items() if v is not None})
    return rules


def assess(records: list[Record], quality: dict | None, item_ids: list[str],
           signal_labels: dict[str, str]) -> tuple[list[Decision], list[str]]:
    """Apply the rules to every record; returns decisions and notes for the report."""
    rules = rules_of(quality)
    notes: list[str] = []
    durations = _durations(records, signal_labels, notes)
    seen: dict[tuple[str, str], int] = {}
    decisions = []
    for record, seconds in zip(records, durations):
        findings = []
        incomplete = _incomplete(record)
        if incomplete:
            findings.append(Finding("incomplete", incomplete))
        keys = _keys(record)
        for key in keys:
            if key in seen:
                what = "respondent id" if key[0] == "id" else "e-mail address"
                findings.append(Finding("duplicates", f"same {what} as row {seen[key]}"))
                break
        limit = float(rules["speeder_seconds"])
        if seconds is not None and seconds < limit:
            findings.append(Finding("speeders", f"completed in {seconds:g} s, under {limit:g} s"))
        straight = _straightline(record, item_ids)
        if straight:
            findings.append(Finding("straightlining", straight))
        excluded = next((f for f in findings if rules[f.rule] == "exclude"), None)
        if excluded is None:
            for key in keys:
                seen.setdefault(key, record.line)
        decisions.append(Decision(record, excluded, [] if excluded else findings))
    return decisions, notes


def _incomplete(record: Record) -> str | None:
    s = record.signals
    if "finished" in s and s["finished"].strip().casefold() in UNFINISHED:
        return f"the tool marks it unfinished (Finished = {s['finished'].strip()})"
    if "progress" in s:
        progress = number(s["progress"].rstrip("% "))
        if progress is not None and progress < 100:
            return f"progress {progress:g}%"
    if "submitted" in s and not s["submitted"].strip():
        return "no completion time: not submitted"
    return None


def _keys(record: Record) -> list[tuple[str, str]]:
    keys = []
    if record.rid:
        keys.append(("id", record.rid.strip().casefold()))
    for email in record.emails:
        value = email.strip().casefold()
        if "@" in value:  # "anonymous" and similar placeholders are not addresses
            keys.append(("email", value))
    return keys


def _straightline(record: Record, item_ids: list[str]) -> str | None:
    given = [record.answers.get(i) for i in item_ids]
    points = [v for v in given if isinstance(v, int)]
    if len(points) >= STRAIGHTLINE_MIN and len(set(points)) == 1:
        return f"the same answer ({points[0]}) to all {len(points)} statements answered"
    return None


def _durations(records: list[Record], labels: dict[str, str], notes: list[str]) -> list[float | None]:
    """Seconds each response took, where the export tells; None elsewhere."""
    if not records:
        return []
    if "duration" in labels:
        values = [number(r.signals.get("duration", "")) for r in records]
        notes.append(f"Speed: from the column '{labels['duration']}' (seconds).")
        return values
    end_signal = "end" if "end" in labels else "submitted" if "submitted" in labels else None
    if "start" not in labels or end_signal is None:
        notes.append("Speed: not checked; the export gives no duration and no start and end times.")
        return [None] * len(records)
    parsed = {}
    for signal in ("start", end_signal):
        result = parse_times([r.signals.get(signal, "") for r in records])
        if result is None:
            notes.append(f"Speed: not checked; the times in '{labels[signal]}' are in a format "
                         "cxsite does not read.")
            return [None] * len(records)
        parsed[signal] = result[0]
    notes.append(f"Speed: '{labels[end_signal]}' minus '{labels['start']}'.")
    out: list[float | None] = []
    backwards = []
    for record, start, end in zip(records, parsed["start"], parsed[end_signal]):
        if start is None or end is None:
            out.append(None)
            continue
        seconds = (end - start) / dt.timedelta(seconds=1)
        if seconds < 0:
            backwards.append(record.line)
            out.append(None)
        else:
            out.append(seconds)
    if backwards:
        notes.append(f"{len(backwards)} row(s) end before they start (rows {_rows(backwards)}): "
                     "their duration is unknown, so they were not checked for speed.")
    return out


def _rows(lines: list[int], limit: int = 20) -> str:
    shown = ", ".join(str(n) for n in lines[:limit])
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


def counts(decisions: list[Decision]) -> dict:
    """The machine-readable totals; every rule key present, zeros included."""
    excluded = {rule: 0 for rule in RULES}
    flagged = {rule: 0 for rule in RULES}
    for d in decisions:
        if d.excluded:
            excluded[d.excluded.rule] += 1
        for f in d.flags:
            flagged[f.rule] += 1
    kept = sum(1 for d in decisions if d.excluded is None)
    return {"rows_read": len(decisions), "kept": kept, "excluded": excluded, "flagged": flagged}
