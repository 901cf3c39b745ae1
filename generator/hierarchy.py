"""An organisation's reporting lines: the hierarchy file, and which people are each leader's.

``hierarchy.csv`` has a row per employee: ``employee_id``, ``manager_id``
(blank for the one person at the top) and an optional ``name`` for a leader's
report cover. It is checked as a whole, every problem located by line and
column: a blank or repeated employee id, a manager who is not in the file,
no top or more than one, a reporting cycle.

Levels count down from the top (level 0). A leader's *full line* is everyone
below them (not themselves); their *direct* people are those who report to
them. Employees are numbered in pre-order (a manager before everyone below,
each one's subordinates in file order), so a full line is one contiguous
range of positions, ``first[l] < pos <= last[l]``: grouping 500,000 people
into thousands of lines is a sort and prefix sums, not a set per leader.

Employee ids place respondents in lines; none is ever published (a leader's
own id is the consultant's handle in ``cxsite score``, never on a page).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from .errors import ErrorCollector, InputError, InputErrors, Location, did_you_mean, one_of
from .limits import MAX_CSV_BYTES, check_size
from .model import LEADERS_FORMAT, RESERVED_COLUMNS, HierarchySpec, LeaderSpec, Questionnaire
from .yamlsafe import check_utf8, file_chunks

COLUMNS = ("employee_id", "manager_id", "name")
REQUIRED = COLUMNS[:2]


@dataclass(frozen=True)
class Hierarchy:
    """The reporting lines, employees numbered in pre-order (see the module docstring)."""

    ids: tuple[str, ...]          # employee id at each position
    names: tuple[str, ...]        # '' when the file gives none
    parent: np.ndarray            # intp: the manager's position, -1 for the top
    level: np.ndarray             # intp: 0 at the top
    last: np.ndarray              # intp: the last position below each one (itself when nobody is)

    @cached_property
    def position(self) -> dict[str, int]:
        return {eid: p for p, eid in enumerate(self.ids)}

    def leaders(self, levels: tuple[int, ...]) -> np.ndarray:
        """The positions, in order, of the people at ``levels`` who have anyone reporting to them."""
        has_people = self.last > np.arange(len(self.ids))
        return np.flatnonzero(np.isin(self.level, levels) & has_people)


def specs(raw: dict, doc, q: Questionnaire, folder: Path, errors: ErrorCollector, file_ok) -> dict:
    """``hierarchy`` and ``leaders`` of an engagement file, checked, as :class:`~cxsite.model.Engagement` fields.

    ``file_ok(name, key)`` checks a file named at ``key`` lies in the
    engagement's ``folder``; a file that does not is never read (the
    employee column is still known, so the responses' checks stay true). The employee column may be no other column: a
    segment's values are published, an employee id never is.
    """
    given, lead = raw.get("hierarchy"), raw.get("leaders")
    if lead and not given:
        errors.add(doc.at(("leaders",), key=True), "'leaders' needs the reporting lines: add 'hierarchy: "
                                                   "{file: hierarchy.csv}' to engagement.yml, or remove 'leaders'")
    if not given:
        return {}
    column = given["employee"]
    readable = file_ok(given["file"], ("hierarchy", "file"))
    if readable and not (folder / given["file"]).is_file():
        errors.add(doc.at(("hierarchy", "file")), f"hierarchy file '{given['file']}' not found in the engagement "
                                                  "folder; add it, or correct hierarchy.file")
        readable = False
    others = {i.id for i in (*q.items, *q.outcomes, *q.open_questions)} | set(RESERVED_COLUMNS)
    if column in others or column in raw["segments"]:
        what = "a segment, whose values are published" if column in raw["segments"] else "a question or respondent_id"
        errors.add(doc.at(("hierarchy", "employee")), f"the employee column '{column}' is also {what}; "
                                                      "name the column that holds only employee ids")
    lead = lead or LEADERS_FORMAT.check({}, (), None)
    return {"hierarchy": HierarchySpec(given["file"], column, readable),
            "leaders": LeaderSpec(tuple(sorted(set(lead["levels"]))), lead["include"])}


def read_hierarchy(path: Path, display: str) -> Hierarchy:
    """Read and check ``path``; raises :class:`InputErrors` naming every problem found."""
    check_size(path, display, MAX_CSV_BYTES)
    check_utf8(file_chunks(path), display, csv=True)
    errors = ErrorCollector()
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream, strict=True)
        try:
            header = [h.strip() for h in next(reader, [])]
            columns = _columns(header, display, errors)
            errors.raise_if_any()
            rows = _rows(reader, columns, display, errors)
        except csv.Error as exc:
            raise InputError(Location(display, reader.line_num, 1), f"CSV error: {exc}; check the quoting") from None
    errors.raise_if_any()
    return _ordered(rows, display, columns)



def _columns(header: list[str], display: str, errors: ErrorCollector) -> dict[str, int]:
    """Column name -> position, each known column once; unknown and missing ones are reported."""
    if not any(header):
        errors.add(Location(display, 1, 1), "the file has no header row; expected the columns "
                                            f"{one_of(COLUMNS)} (name is optional)")
        return {}
    found: dict[str, int] = {}
    for ci, name in enumerate(header):
        if name not in COLUMNS:
            errors.add(Location(display, 1, ci + 1), f"unknown column '{name}' in the hierarchy"
                                                     f"{did_you_mean(name, COLUMNS)}; expected {one_of(COLUMNS)}: "
                                                     "remove it or rename it")
        elif name in found:
            errors.add(Location(display, 1, ci + 1), f"column '{name}' appears twice (also column {found[name] + 1})")
        else:
            found[name] = ci
    for name in REQUIRED:
        if name not in found:
            errors.add(Location(display, 1, 1), f"missing column '{name}': the hierarchy needs "
                                                "employee_id and manager_id (blank for the top)")
    return found


def _rows(reader, columns: dict[str, int], display: str, errors: ErrorCollector) -> list[tuple[int, str, str, str]]:
    """``(line, employee, manager, name)`` of each row, blank and repeated employee ids reported."""
    width = max(columns.values()) + 1
    ie, im, iname = columns["employee_id"], columns["manager_id"], columns.get("name")
    rows, first = [], {}
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) < width:
            errors.add(Location(display, line, 1), f"row has {len(fields)} fields but the header has at "
                                                   f"least {width}; check for a missing separator")
            continue
        eid, mid = fields[ie].strip(), fields[im].strip()
        if not eid:
            errors.add(Location(display, line, ie + 1), "employee_id is blank; every row names one employee")
            continue
        if eid in first:
            errors.add(Location(display, line, ie + 1), f"employee_id '{eid}' repeats line {first[eid]}; "
                                                        "each employee appears once")
            continue
        first[eid] = line
        rows.append((line, eid, mid, fields[iname].strip() if iname is not None else ""))
    if not rows and not errors:
        errors.add(Location(display, 1, 1), "the file has no rows; give one row per employee")
    return rows


def _ordered(rows: list[tuple[int, str, str, str]], display: str, columns: dict[str, int]) -> Hierarchy:
    """The rows as a :class:`Hierarchy`, after the checks that need them all (managers, top, cycles)."""
    errors = ErrorCollector()
    known = {eid: i for i, (_, eid, _, _) in enumerate(rows)}
    manager = np.full(len(rows), -1, dtype=np.intp)
    tops = []
    for i, (line, eid, mid, _) in enumerate(rows):
        if not mid:
            tops.append(i)
        elif mid not in known:
            errors.add(Location(display, line, columns["manager_id"] + 1),
                       f"manager_id '{mid}' of employee '{eid}' is not an employee_id of this file; "
                       "add a row for them, or leave it blank for the top")
        else:
            manager[i] = known[mid]
    for extra in tops[1:]:
        errors.add(Location(display, rows[extra][0], columns["manager_id"] + 1),
                   f"employee '{rows[extra][1]}' has no manager, and neither has '{rows[tops[0]][1]}' (line "
                   f"{rows[tops[0]][0]}): a hierarchy has one top; give one of them a manager")
    if not tops:
        errors.add(Location(display, 1, 1), "no employee has a blank manager_id: a hierarchy needs one top")
    errors.raise_if_any()
    order = _preorder(manager, tops[0])
    if len(order) < len(rows):
        raise InputErrors([_cycle(rows, manager, set(order), display, columns)])
    return _numbered(rows, manager, order)


def _preorder(manager: np.ndarray, top: int) -> list[int]:
    """The rows reachable from ``top``, a manager before their people, each one's people in file order."""
    children: list[list[int]] = [[] for _ in range(len(manager))]
    for i in np.flatnonzero(manager >= 0):
        children[manager[i]].append(int(i))
    order, stack = [], [top]
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(reversed(children[i]))
    return order


def _cycle(rows, manager: np.ndarray, reached: set[int], display: str, columns: dict[str, int]) -> InputError:
    """The error for the first row (in file order) that never leads up to the top."""
    start = min(i for i in range(len(rows)) if i not in reached)
    seen: list[int] = []
    i = start
    while i not in seen:
        seen.append(i)
        i = int(manager[i])
    loop = seen[seen.index(i):]
    names = " → ".join(rows[j][1] for j in loop + [i])
    first = min(loop)
    return InputError(Location(display, rows[first][0], columns["manager_id"] + 1),
                      f"reporting cycle: {names}; every line of managers must lead up to the top: "
                      "correct one of these manager_ids")


def _numbered(rows, manager: np.ndarray, order: list[int]) -> Hierarchy:
    """Renumber the rows in pre-order; levels and the end of each one's range follow in one pass each."""
    position = np.empty(len(rows), dtype=np.intp)
    position[order] = np.arange(len(order))
    parent = np.where(manager[order] >= 0, position[manager[order]], -1)
    level = np.zeros(len(order), dtype=np.intp)
    for p in range(1, len(order)):  # a manager comes before their people
        level[p] = level[parent[p]] + 1
    last = np.arange(len(order), dtype=np.intp)
    for p in range(len(order) - 1, 0, -1):  # the last position below a manager is the largest of theirs
        if last[p] > last[parent[p]]:
            last[parent[p]] = last[p]
    return Hierarchy(tuple(rows[i][1] for i in order), tuple(rows[i][3] for i in order), parent, level, last)


def read_for(e, root: Path) -> Hierarchy | None:
    """The hierarchy file of engagement ``e`` (with ``hierarchy:``), read and checked; None when
    engagement.yml named one that may not be read (reported when that was loaded)."""
    from .places import display_path

    if not e.hierarchy.readable:
        return None
    path = e.folder / e.hierarchy.file
    return read_hierarchy(path, display_path(path, root))
