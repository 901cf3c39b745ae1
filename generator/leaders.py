"""Leader reports' figures: each leader's people scored as a group, published as disclosure control allows.

A leader's group is their full line or their direct reports
(:class:`~cxsite.model.LeaderSpec`), placed by each respondent's employee id
in the engagement's :class:`~cxsite.hierarchy.Hierarchy`. Respondents whose
id is not in it count in the organisation and in no leader's line (a
data-quality finding names their rows).

Full lines are ranges of pre-order positions (:mod:`cxsite.hierarchy`), so
every leader's sums come from one sort of the respondents and prefix sums,
and direct groups from one ``bincount``: the cost grows with respondents plus
leaders, not with their product. The groups are nested or disjoint, and
:func:`cxsite.disclosure.decide_nested` decides what of them is published.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import disclosure
from . import score as scoring  # the module: cxsite.score imports this one
from .hierarchy import Hierarchy
from .model import LeaderSpec, Questionnaire, Responses
from .msgids import N_

# A data-quality note of the engagement's methodology page, translated where it is shown.
NOT_IN_HIERARCHY = N_("employee id not in the hierarchy: counted in the organisation, in no leader's line")


@dataclass
class Lines:
    """How respondents fall into the leaders' groups; :meth:`sums` adds a per-respondent figure per group."""

    leaders: np.ndarray     # positions of the groups' owners in the hierarchy, in pre-order
    parent: np.ndarray      # per group (0: the whole, then each owner's): the nearest enclosing group
    is_leader: np.ndarray | None = None  # per owner: a leader (gets a report), or a team's head below one
    order: np.ndarray | None = None   # full line: respondents sorted by position ...
    lo: np.ndarray | None = None      # ... and each leader's range in that order
    hi: np.ndarray | None = None
    group: np.ndarray | None = None   # direct: each respondent's group (0: in none)
    by_group: np.ndarray | None = None  # direct: respondents sorted by group, and where each group starts
    starts: np.ndarray | None = None

    def inside(self, g: int, shown: np.ndarray) -> list[int]:
        """The shown lines lying inside line ``g`` (none for direct reports: they do not nest)."""
        if self.group is not None:
            return []
        lo, hi = self.lo[g - 1], self.hi[g - 1]
        found = np.flatnonzero(shown[1:] & (self.lo >= lo) & (self.hi <= hi)) + 1
        return [int(h) for h in found if h != g]

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Per group, the sum of ``values`` (one per respondent): the whole first, then each leader."""
        values = np.asarray(values, dtype=np.float64)
        if self.group is not None:
            out = np.bincount(self.group, weights=values, minlength=len(self.leaders) + 1)
        else:
            prefix = np.concatenate([[0.0], np.cumsum(values[self.order])])
            out = np.concatenate([[0.0], prefix[self.hi] - prefix[self.lo]])
        out[0] = values.sum()
        return out


def owners(h: Hierarchy, spec: LeaderSpec) -> tuple[np.ndarray, np.ndarray]:
    """The positions of every group's owner, in pre-order, and which of them are leaders.

    A leader's report shows the teams directly below them: the groups of each
    of their direct reports who has people of their own (the same kind of
    group as a leader's, full line or direct reports). Those teams are
    published too, so they are groups for disclosure control like the
    leaders' own; a direct report who is a leader is one group, not two.
    """
    leaders = h.leaders(spec.levels)
    is_leader = np.zeros(len(h.ids), dtype=bool)
    is_leader[leaders] = True
    has_people = h.last > np.arange(len(h.ids))
    team = has_people & ~is_leader & (h.parent >= 0) & is_leader[np.maximum(h.parent, 0)]
    found = np.flatnonzero(is_leader | team)
    return found, is_leader[found]


def place(h: Hierarchy, employees: np.ndarray, spec: LeaderSpec) -> tuple[Lines, np.ndarray]:
    """The groups of ``spec``'s leaders and their teams over respondents with ``employees``; each one's position."""
    position = h.position
    at = np.fromiter((position.get(e, -1) for e in employees), dtype=np.intp, count=len(employees))
    leaders, is_leader = owners(h, spec)
    index = np.zeros(len(h.ids), dtype=np.intp)  # hierarchy position -> its group (0: not an owner)
    index[leaders] = np.arange(1, len(leaders) + 1)
    if spec.include == "direct":
        # Two owners' direct reports never overlap, and hold neither owner: all lie only in the whole.
        manager = np.where(at >= 0, h.parent[np.maximum(at, 0)], -1)
        group = np.where(manager >= 0, index[np.maximum(manager, 0)], 0)
        parent = np.zeros(len(leaders) + 1, dtype=np.intp)
        parent[0] = -1
        return Lines(leaders, parent, is_leader, group=group), at
    inside = np.flatnonzero(at >= 0)
    order = inside[np.argsort(at[inside], kind="stable")]
    sorted_at = at[order]
    lo = np.searchsorted(sorted_at, leaders, side="right")   # after the owner: not in their own line
    hi = np.searchsorted(sorted_at, h.last[leaders], side="right")
    return Lines(leaders, _enclosing(h, leaders, index), is_leader, order=order, lo=lo, hi=hi), at


def _enclosing(h: Hierarchy, leaders: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Per group, the nearest leader above (their line holds this one), or 0, the whole."""
    parent = np.zeros(len(leaders) + 1, dtype=np.intp)
    parent[0] = -1
    for g, p in enumerate(leaders, start=1):
        up = h.parent[p]
        while up >= 0 and not index[up]:
            up = h.parent[up]
        parent[g] = index[up] if up >= 0 else 0
    return parent


def members(lines: Lines, g: int) -> np.ndarray:
    """The respondents (indices) of leader group ``g`` (1-based), in the order of :attr:`Lines.order`."""
    if lines.group is not None:
        if lines.by_group is None:
            lines.by_group = np.argsort(lines.group, kind="stable")
            lines.starts = np.searchsorted(lines.group[lines.by_group], np.arange(len(lines.leaders) + 2))
        return lines.by_group[lines.starts[g]:lines.starts[g + 1]]
    return lines.order[lines.lo[g - 1]:lines.hi[g - 1]]


def with_segments(lines: Lines, usable: Responses, segments: dict, weight: np.ndarray, k: int,
                  shown: np.ndarray) -> np.ndarray:
    """``shown`` less the leader groups that published segment groups would let one subtract down to 1 to k-1.

    The rule of :func:`cxsite.disclosure.decide_nested` over lines and the
    engagement's published segment groups together: for each published line,
    the people in no published group nested in it (a line below, or a
    department that lies wholly within it) must weigh 0 or at least ``k``
    (``weight``: 1 a head, or whether a dimension counts them). Where they do
    not, the smallest line nested in it is withheld, or the line itself when
    only departments are (the segments were published first); until none is.
    """
    shown = shown.copy()
    inside = [(seg.codes == seg.values.index(gr["value"])) for name, groups in segments.items()
              for gr in groups if not gr["suppressed"] for seg in [usable.segments[name]]]
    if not inside:
        return shown
    sizes = lines.sums(weight)
    in_line = [lines.sums(m.astype(np.float64)) for m in inside]  # per line, the group's people inside it
    whole = [int(m.sum()) for m in inside]
    changed = True
    while changed:
        changed = False
        for g in np.flatnonzero(shown[1:]) + 1:
            people = members(lines, g)
            covered = np.zeros(len(people), dtype=bool)
            for m, n_in, n in zip(inside, in_line, whole):
                if n_in[g] == n and n < len(people):
                    covered |= m[people]
            lower = lines.inside(g, shown)
            for h in lower:  # a line below is a range of g's own range (pre-order)
                covered[lines.lo[h - 1] - lines.lo[g - 1]:lines.hi[h - 1] - lines.lo[g - 1]] = True
            rest = float(weight[people][~covered].sum())
            if covered.any() and 0 < rest < k:
                victim = min(lower, key=lambda h: (sizes[h], h)) if lower else g
                shown[victim] = False
                changed = True
        changed |= _within_groups(lines, inside, in_line, weight, k, shown)
    return shown


def _within_groups(lines: Lines, inside: list, in_line: list, weight: np.ndarray, k: int, shown: np.ndarray) -> bool:
    """The same rule inside each published segment group, over the lines lying wholly within it.

    Withholds the smallest such line where the rest of the group weighs 1 to
    k-1; whether it did.
    """
    heads = lines.sums(np.ones(len(weight)))
    for m, n_in in zip(inside, in_line):
        lower = [h for h in np.flatnonzero(shown[1:]) + 1 if n_in[h] == heads[h] and heads[h] > 0]
        if not lower:
            continue
        covered = np.zeros(len(weight), dtype=bool)
        for h in lower:
            covered[members(lines, h)] = True
        rest = float(weight[m & ~covered].sum())
        if 0 < rest < k:
            shown[min(lower, key=lambda h: (heads[h], h))] = False
            return True
    return False


def leader_figures(q: Questionnaire, usable: Responses, spec: LeaderSpec, k: int, segments: dict | None = None
                   ) -> list[dict]:
    """``leaders`` of ``cxsite score``: each leader's group beside nothing of anyone else's.

    Per leader: ``id`` (employee id), ``name``, ``level``, ``n`` usable
    respondents, ``suppressed``, ``index`` and ``dimensions`` {id: {n, mean,
    score, favorable, withheld}} as in a segment's group: ``n`` counted by the
    half rule, ``mean`` of respondent means, ``score`` on 0-100, ``favorable``
    pooled over valid answers. A suppressed leader has no figure at all.
    The teams below them took part in the same decision (:func:`owners`).
    """
    lines, groups = line_figures(q, usable, spec, k, segments)
    return [{key: x[key] for key in LEADER_KEYS} for x, lead in zip(groups, lines.is_leader) if lead]


LEADER_KEYS = ("id", "name", "level", "n", "suppressed", "index", "dimensions")


def line_figures(q: Questionnaire, usable: Responses, spec: LeaderSpec, k: int, segments: dict | None = None
                 ) -> tuple[Lines, list[dict]]:
    """Every group's figures (leaders' and teams', in the order of ``Lines.leaders``), as one decision.

    Each entry is a ``leaders`` entry of :func:`leader_figures` plus
    ``items`` {id: {n, mean, favorable, nps, withheld}}, the statements and
    the outcomes: an item's figures of the group's valid answers to it (``nps``
    for an NPS outcome), published where the answers' counts pass the same
    nested rule as the dimensions'.
    """
    h = usable.hierarchy
    lines, _ = place(h, usable.employees, spec)
    heads = lines.sums(np.ones(len(usable)))
    shown = disclosure.decide_nested(heads.astype(np.int64), lines.parent, k)
    if segments:
        # Withholding a line only merges it into its parent's remainder: decide the tree again after.
        shown = disclosure.decide_nested(heads.astype(np.int64), lines.parent, k,
                                         with_segments(lines, usable, segments, np.ones(len(usable)), k, shown))
    dims = {dim.id: _dimension_sums(dim, lines, usable, k, shown, segments) for dim in q.dimensions}
    items = {i.id: _item_sums(i, lines, usable, k, shown, segments) for i in (*q.items, *q.outcomes)}
    weights = [d.weight for d in q.dimensions]
    out = []
    for g, p in enumerate(lines.leaders, start=1):
        entry = {"id": h.ids[p], "name": h.names[p] or None, "level": int(h.level[p])}
        if not shown[g]:
            out.append({**entry, "n": None, "suppressed": True, "index": None, "dimensions": {}, "items": {}})
            continue
        figures = {d.id: _dimension(d.scale, g, *dims[d.id]) for d in q.dimensions}
        complete = all(f["score"] is not None for f in figures.values())
        index = scoring.weighted_index(list(figures.values()), weights) if complete else None
        out.append({**entry, "n": int(heads[g]), "suppressed": False, "index": index, "dimensions": figures,
                    "items": {i: _item(g, *sums) for i, sums in items.items()}})
    return lines, out


def _allowed(lines: Lines, usable: Responses, counts: list[np.ndarray], k: int, shown: np.ndarray,
             segments: dict | None) -> np.ndarray:
    """Where a figure resting on each of ``counts`` (per respondent: who it counts) may be published."""
    ok = shown
    if segments:
        for c in counts:
            ok = with_segments(lines, usable, segments, c.astype(np.float64), k, ok)
    for c in counts:
        ok = ok & disclosure.decide_nested(lines.sums(c).astype(np.int64), lines.parent, k, ok)
    return ok


def _dimension_sums(dim, lines: Lines, usable: Responses, k: int, shown: np.ndarray, segments) -> tuple:
    rows = scoring.dimension_rows(dim, usable)
    counted = ~np.isnan(rows.means)
    ok = _allowed(lines, usable, [counted, rows.answered > 0], k, shown, segments)
    sums = (lines.sums(counted).astype(np.int64), lines.sums(np.where(counted, rows.means, 0.0)),
            lines.sums(rows.favorable), lines.sums(rows.answered).astype(np.int64))
    return sums, ok


def _item_sums(item, lines: Lines, usable: Responses, k: int, shown: np.ndarray, segments) -> tuple:
    values = scoring.item_values(item, usable.column(item.id))
    valid = ~np.isnan(values)
    ok = _allowed(lines, usable, [valid], k, shown, segments)
    favorable = np.isin(values, sorted(item.scale.favorable))
    sums = [lines.sums(valid).astype(np.int64), lines.sums(np.where(valid, values, 0.0)), lines.sums(favorable)]
    if item.scale.kind == "nps":  # promoters answer 9-10, detractors 0-6, as cxsite.score.outcome_stats
        sums += [lines.sums(valid & (values >= 9)), lines.sums(valid & (values <= 6))]
    return tuple(sums), ok


def _item(g: int, sums: tuple, shown: np.ndarray) -> dict:
    n, total, favorable = (s[g] for s in sums[:3])
    if not shown[g] or not n:
        return {"n": None, "mean": None, "favorable": None, "nps": None, "withheld": True}
    nps = 100.0 * float(sums[3][g] - sums[4][g]) / n if len(sums) > 3 else None
    return {"n": int(n), "mean": float(total / n), "favorable": float(favorable / n), "nps": nps, "withheld": False}


def _dimension(scale, g: int, sums: tuple, shown: np.ndarray) -> dict:
    n, total, favorable, answered = (s[g] for s in sums)
    if not shown[g] or not n:
        return {"n": None, "mean": None, "score": None, "favorable": None, "withheld": True}
    mean = float(total / n)
    return {"n": int(n), "mean": mean, "score": scoring.to_score(mean, scale),
            "favorable": float(favorable / answered) if answered else None, "withheld": False}


def not_placed(usable: Responses) -> list[dict]:
    """Data-quality findings: the rows whose employee id is not in the hierarchy (row numbers only)."""
    position = usable.hierarchy.position
    return [{"row": int(r), "column": None, "value": None, "problem": NOT_IN_HIERARCHY}
            for r, e in zip(usable.rows, usable.employees) if e not in position]
