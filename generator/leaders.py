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

NOT_IN_HIERARCHY = "employee id not in the hierarchy: counted in the organisation, in no leader's line"


@dataclass
class Lines:
    """How respondents fall into the leaders' groups; :meth:`sums` adds a per-respondent figure per group."""

    leaders: np.ndarray     # positions of the leaders in the hierarchy, in pre-order
    parent: np.ndarray      # per group (0: the whole, then each leader): the nearest enclosing group
    order: np.ndarray | None = None   # full line: respondents sorted by position ...
    lo: np.ndarray | None = None      # ... and each leader's range in that order
    hi: np.ndarray | None = None
    group: np.ndarray | None = None   # direct: each respondent's group (0: in none)

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


def place(h: Hierarchy, employees: np.ndarray, spec: LeaderSpec) -> tuple[Lines, np.ndarray]:
    """The leaders' groups of ``spec`` over respondents with ``employees``; and each one's position (-1: none)."""
    position = h.position
    at = np.fromiter((position.get(e, -1) for e in employees), dtype=np.intp, count=len(employees))
    leaders = h.leaders(spec.levels)
    index = np.zeros(len(h.ids), dtype=np.intp)  # hierarchy position -> its group (0: not a leader)
    index[leaders] = np.arange(1, len(leaders) + 1)
    if spec.include == "direct":
        # Two leaders' direct reports never overlap, and hold neither leader: all lie only in the whole.
        manager = np.where(at >= 0, h.parent[np.maximum(at, 0)], -1)
        group = np.where(manager >= 0, index[np.maximum(manager, 0)], 0)
        parent = np.zeros(len(leaders) + 1, dtype=np.intp)
        parent[0] = -1
        return Lines(leaders, parent, group=group), at
    inside = np.flatnonzero(at >= 0)
    order = inside[np.argsort(at[inside], kind="stable")]
    sorted_at = at[order]
    lo = np.searchsorted(sorted_at, leaders, side="right")   # after the leader: not in their own line
    hi = np.searchsorted(sorted_at, h.last[leaders], side="right")
    return Lines(leaders, _enclosing(h, leaders, index), order=order, lo=lo, hi=hi), at


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


def leader_figures(q: Questionnaire, usable: Responses, spec: LeaderSpec, k: int) -> list[dict]:
    """``leaders`` of ``cxsite score``: each leader's group beside nothing of anyone else's.

    Per leader: ``id`` (employee id), ``name``, ``level``, ``n`` usable
    respondents, ``suppressed``, ``index`` and ``dimensions`` {id: {n, mean,
    score, favorable, withheld}} as in a segment's group: ``n`` counted by the
    half rule, ``mean`` of respondent means, ``score`` on 0-100, ``favorable``
    pooled over valid answers. A suppressed leader has no figure at all.
    """
    h = usable.hierarchy
    lines, _ = place(h, usable.employees, spec)
    heads = lines.sums(np.ones(len(usable)))
    shown = disclosure.decide_nested(heads.astype(np.int64), lines.parent, k)
    dims, shown_dims = {}, {}
    for dim in q.dimensions:
        rows = scoring.dimension_rows(dim, usable)
        counted = ~np.isnan(rows.means)
        n = lines.sums(counted).astype(np.int64)
        answered = lines.sums(rows.answered).astype(np.int64)
        ok = disclosure.decide_nested(n, lines.parent, k, shown) & disclosure.decide_nested(answered, lines.parent, k, shown)
        dims[dim.id] = (n, lines.sums(np.where(counted, rows.means, 0.0)), lines.sums(rows.favorable), answered)
        shown_dims[dim.id] = ok
    weights = [d.weight for d in q.dimensions]
    out = []
    for g, p in enumerate(lines.leaders, start=1):
        entry = {"id": h.ids[p], "name": h.names[p] or None, "level": int(h.level[p])}
        if not shown[g]:
            out.append({**entry, "n": None, "suppressed": True, "index": None, "dimensions": {}})
            continue
        figures = {did: _dimension(q, did, g, dims[did], shown_dims[did][g]) for did in dims}
        complete = all(f["score"] is not None for f in figures.values())
        index = scoring.weighted_index(list(figures.values()), weights) if complete else None
        out.append({**entry, "n": int(heads[g]), "suppressed": False, "index": index, "dimensions": figures})
    return out


def _dimension(q: Questionnaire, did: str, g: int, sums: tuple, shown: bool) -> dict:
    n, total, favorable, answered = (s[g] for s in sums)
    if not shown or not n:
        return {"n": None, "mean": None, "score": None, "favorable": None, "withheld": True}
    mean = float(total / n)
    scale = next(d.scale for d in q.dimensions if d.id == did)
    return {"n": int(n), "mean": mean, "score": scoring.to_score(mean, scale),
            "favorable": float(favorable / answered) if answered else None, "withheld": False}


def not_placed(usable: Responses) -> list[dict]:
    """Data-quality findings: the rows whose employee id is not in the hierarchy (row numbers only)."""
    position = usable.hierarchy.position
    return [{"row": int(r), "column": None, "value": None, "problem": NOT_IN_HIERARCHY}
            for r, e in zip(usable.rows, usable.employees) if e not in position]
