"""What an import writes: responses.csv, import-report.md, import-quality.json.

Respondent ids are written as ``sha256(salt + id)``, the first
:data:`ID_HEX` hex digits: the same id gives the same hash within an import
(and across imports given the same salt), so duplicates can still be found,
but the tool's id cannot be read back. Without a given salt a random one is
drawn and kept nowhere, so hashes of two imports cannot be linked.

All files are written to temporary files beside their targets, checked, and
only then renamed over the old ones: a failed import changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

from ..outputs import write_files
from .columns import Column
from .quality import RULES, Decision

ID_HEX = 12
_REPORT_ESCAPES = {"\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "[": "\\[",
                   "]": "\\]", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(text: object) -> str:
    """Export text on one line of the report, unable to break a table or open a tag or link.

    Lighter than :func:`cxsite.render.md_escape` so the report stays
    readable as plain text in a review.
    """
    return "".join(_REPORT_ESCAPES.get(ch, ch) for ch in " ".join(str(text).split()))


def hashed_ids(decisions: list[Decision], salt: str) -> dict[int, str]:
    """Source line -> hashed respondent id, for the kept rows that have one.

    A repeated id (duplicates kept by the rules) gets ``-2``, ``-3``… so the
    file still loads, and the shared prefix still shows the repeat.
    """
    out: dict[int, str] = {}
    used: dict[str, int] = {}
    for d in decisions:
        rid = d.record.rid
        if d.excluded or not rid:
            continue
        digest = hashlib.sha256((salt + "\x1f" + rid.strip().casefold()).encode("utf-8")).hexdigest()
        short = digest[:ID_HEX]
        used[short] = used.get(short, 0) + 1
        out[d.record.line] = short if used[short] == 1 else f"{short}-{used[short]}"
    return out


def responses_csv(header: list[str], decisions: list[Decision], ids: dict[int, str]) -> str:
    """The project's own responses format, kept rows in source order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for d in decisions:
        if d.excluded:
            continue
        cells = dict(d.record.cells)
        cells["respondent_id"] = ids.get(d.record.line, "")
        # A lone CR is not quoted by the csv module when lines end in LF; every
        # line break becomes LF so an open answer stays one quoted field.
        writer.writerow([cells.get(column, "").replace("\r\n", "\n").replace("\r", "\n")
                         for column in header])
    return buffer.getvalue()


def quality_json(totals: dict) -> str:
    return json.dumps(totals, indent=2, sort_keys=True) + "\n"


def report_md(*, engagement_id: str, source_name: str, facts: list[tuple[str, str]],
              totals: dict, columns: list[Column], rules: dict, decisions: list[Decision],
              notes: list[str], unused_map: list[str], salt_given: bool, has_ids: bool,
              blank_rows: int) -> str:
    """A reviewer's account of the import: what came in, what was left out and why."""
    e = md_escape
    lines = [f"# Import report: {e(engagement_id)}", "",
             f"Imported from `{source_name.replace('`', '')}` by `cxsite import`.", ""]
    lines += [f"- **{label}**: {value}" for label, value in facts]
    lines += ["", "## Counts", "", "| rows | number |", "|---|---:|",
              f"| read | {totals['rows_read']} |", f"| kept in responses | {totals['kept']} |"]
    lines += [f"| excluded: {rule} | {totals['excluded'][rule]} |" for rule in RULES]
    lines += [f"| kept but flagged: {rule} | {totals['flagged'][rule]} |" for rule in RULES]
    lines += ["", f"Kept plus excluded is the rows read ({totals['rows_read']}). "
                  f"Blank lines skipped (no value at all): {blank_rows}.", ""]
    lines += ["## Quality rules", "", "| rule | action |", "|---|---|"]
    lines += [f"| {rule} | {rules[rule]} |" for rule in RULES]
    lines += [f"| speeder_seconds | {rules['speeder_seconds']:g} |", ""]
    imported = [c for c in columns if c.role in ("answer", "open", "segment", "respondent_id")]
    dropped = [c for c in columns if c not in imported]
    lines += ["## Columns imported", ""]
    if imported:
        lines += ["| column | header | written as | matched by |", "|---:|---|---|---|"]
        lines += [f"| {c.header.col} | {e(c.header.label)} | `{c.target}` | {e(c.how)} |" for c in imported]
    else:
        lines.append("None: the file is copied as it is.")
    lines += ["", "## Columns not imported", ""]
    if dropped:
        lines += ["| column | header | why |", "|---:|---|---|"]
        lines += [f"| {c.header.col} | {e(c.header.label) or '(no header)'} | {e(c.how)} |" for c in dropped]
    else:
        lines.append("None.")
    if unused_map:
        lines += ["", "Entries of the columns map that match no column of this export: "
                  + ", ".join(e(k) for k in unused_map) + "."]
    lines += ["", "## Excluded rows", ""]
    lines += _row_table([(d.record.line, d.excluded.rule, d.excluded.detail)
                         for d in decisions if d.excluded])
    lines += ["", "## Flagged rows (kept)", ""]
    lines += _row_table([(d.record.line, f.rule, f.detail) for d in decisions for f in d.flags])
    lines += ["", "## Respondent ids", ""]
    if has_ids:
        lines.append(f"Written as the first {ID_HEX} hex digits of SHA-256 of a salt and the "
                     "tool's id, so repeats show but the id cannot be read back. The salt was "
                     + ("given to the import and is not stored here." if salt_given else
                        "drawn at random and stored nowhere: hashes of another import will differ."))
    else:
        lines.append("The export has no respondent id; responses.csv has no respondent_id column.")
    lines += ["", "Personal data (e-mail, names, IP address, location, recipient and external "
                  "references) is never written to responses.csv or to this report.", ""]
    if notes:
        lines += ["## Notes", ""] + [f"- {e(n)}" for n in notes] + [""]
    return "\n".join(lines)


# The column plan's categories, in the order shown, and the column roles each holds.
PLAN = (("matched", ("answer", "open", "segment", "respondent_id")),
        ("dropped as metadata", ("metadata", "empty")),
        ("dropped as personal", ("personal", "email")),
        ("ignored", ("ignored",)),
        ("unknown", ("unknown",)))


def column_plan(source_name: str, facts: list[tuple[str, str]], columns: list[Column],
                unused_map: list[str], totals: dict | None, problems: int) -> str:
    """``cxsite import --dry-run``: what each column would become, grouped, for the terminal."""
    p = _plain
    out = [f"column plan for {p(source_name)} (dry run: nothing written)"]
    out += [f"  {label}: {p(value)}" for label, value in facts]
    for title, roles in PLAN:
        chosen = [c for c in columns if c.role in roles]
        out.append(f"{title} ({len(chosen)}){':' if chosen else ': none'}")
        for c in chosen:
            to = f" -> {c.target}" if c.target else ""
            out.append(f"  column {c.header.col} {p(c.header.label) or '(no header)'}{to}: {p(c.how)}")
    if unused_map:
        out.append("columns map entries matching no column: " + ", ".join(p(k) for k in unused_map))
    if problems:
        out.append(f"the import would fail: {problems} problem{'s' * (problems != 1)}, listed below")
    elif totals is not None:
        ex = ", ".join(f"{k} {v}" for k, v in totals["excluded"].items() if v)
        out.append(f"the import would keep {totals['kept']} of {totals['rows_read']} rows "
                   f"(excluded: {ex or 'none'})")
    return "\n".join(out)


def _plain(text: object) -> str:
    """Export text on one terminal line: no control character can move the cursor or recolour."""
    return "".join(ch if ch.isprintable() else "?" for ch in " ".join(str(text).split()))


def _row_table(rows: list[tuple[int, str, str]]) -> list[str]:
    if not rows:
        return ["None."]
    out = ["| source row | rule | detail |", "|---:|---|---|"]
    out += [f"| {line} | {rule} | {md_escape(detail)} |" for line, rule, detail in rows]
    return out


def write_atomically(files: dict[Path, str | bytes], check: Callable[[dict[Path, Path]], None]) -> None:
    """Write every file to a temporary sibling, ``check`` them, then rename all.

    Nothing is renamed unless every file was written and the check passed; a
    rename that fails part way puts the renamed files back
    (:func:`cxsite.outputs.write_files`).
    """
    write_files(files, check)
