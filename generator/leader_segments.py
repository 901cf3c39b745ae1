"""The engagement's segments within each leader's line: "Frontline" of your line, beside the organisation's.

A line's segment groups cross two families of published groups, the lines
and the organisation's segment groups, so the nested rule of
:func:`cxsite.disclosure.decide_nested` no longer covers them: a line's
"Frontline" group and another line's "Manager" group may together give away
what neither does alone. They are decided by the general search of
:mod:`cxsite.disclosure` instead (:func:`~cxsite.disclosure.decide_more`),
over atoms that are a respondent's smallest published line crossed with their
value in every segment, with every line and organisation group already
published held fixed.

That search grows with the number of groups times atoms; above
:data:`MAX_CELLS` (some 40 leaders with two segments) the
breakdowns are left out of the leaders' reports rather than published
unchecked, and the reports say so.
"""

from __future__ import annotations

import numpy as np

from . import disclosure
from . import score as scoring
from .leaders import Lines, members
from .model import Questionnaire, Responses

MAX_CELLS = 150_000  # groups x atoms of the search: some 40 leaders with two segments of three values


def line_breakdowns(q: Questionnaire, usable: Responses, lines: Lines, groups: list[dict], segments: dict, k: int
                    ) -> dict[int, dict[str, list[dict]]] | None:
    """Per published leader group (1-based), each segment's groups within it: ``{value, n, index, dimensions}``.

    ``dimensions`` maps a dimension id to its score, or None where that
    figure is withheld. None when the check would be too large (see the
    module docstring); an empty mapping for a line with no group to show.
    """
    names = sorted(segments)
    published = np.array([False] + [not x["suppressed"] for x in groups])
    if not names or not published[1:].any():
        return {}
    tree = _tree_atoms(lines, published, len(usable))
    codes = [usable.segments[s].codes.astype(np.int64) for s in names]
    widths = [max(len(usable.segments[s].values), 1) for s in names]
    cell = np.ravel_multi_index(codes, widths) if len(usable) else np.zeros(0, dtype=np.int64)
    keys, atom = np.unique(tree * int(np.prod(widths)) + cell, return_inverse=True)
    atom = atom.reshape(-1)
    atom_tree, atom_cell = keys // int(np.prod(widths)), np.stack(np.unravel_index(keys % int(np.prod(widths)), widths))
    rows, fixed, extra, labels = _groups(lines, published, names, usable, segments, atom_tree, atom_cell)
    if rows.shape[0] * rows.shape[1] > MAX_CELLS:
        return None
    heads = np.bincount(atom, minlength=len(keys))
    shown = disclosure.decide_more(rows, heads, k, fixed, extra)
    scores = {}
    for dim in q.dimensions:
        dim_rows = scoring.dimension_rows(dim, usable)
        counted = ~np.isnan(dim_rows.means)
        ok = shown.copy()
        published_dim = fixed & _dimension_published(labels, groups, segments, dim.id, fixed)
        for contributes in (counted, dim_rows.answered > 0):
            counts = np.bincount(atom[contributes], minlength=len(keys))
            if not np.array_equal(counts, heads):  # the same contributors as the heads': the same decision
                ok &= disclosure.decide_more(rows, counts, k, published_dim, shown)
        n = rows.astype(np.int64) @ np.bincount(atom[counted], minlength=len(keys))
        total = rows.astype(np.float64) @ np.bincount(atom[counted], weights=dim_rows.means[counted],
                                                      minlength=len(keys))
        scores[dim.id] = [scoring.to_score(float(total[g] / n[g]), dim.scale) if ok[g] and n[g] else None
                          for g in range(len(labels))]
    return _entries(q, labels, shown, heads, rows, scores)


def _tree_atoms(lines: Lines, published: np.ndarray, n: int) -> np.ndarray:
    """Each respondent's smallest published line (0: in none): lines in pre-order, so the deeper one is set last."""
    tree = np.zeros(n, dtype=np.int64)
    for g in np.flatnonzero(published[1:]) + 1:
        tree[members(lines, int(g))] = g
    return tree


def _groups(lines: Lines, published: np.ndarray, names: list[str], usable: Responses, segments: dict,
            atom_tree: np.ndarray, atom_cell: np.ndarray) -> tuple:
    """The membership matrix over atoms: the whole, the organisation's groups, the lines, and the lines' groups."""
    rows, kinds, labels = [np.ones(len(atom_tree), dtype=bool)], [True], [("", 0, "")]  # kinds: fixed or not
    for col, s in enumerate(names):
        values = usable.segments[s].values
        for entry in segments[s]:
            if not entry["suppressed"]:
                rows.append(atom_cell[col] == values.index(entry["value"]))
                kinds.append(True)
                labels.append((s, 0, entry["value"]))
    inside = {}
    for g in np.flatnonzero(published[1:]) + 1:
        if lines.group is not None:
            inside[g] = atom_tree == g
        else:
            t = np.maximum(atom_tree, 1) - 1
            inside[g] = (atom_tree > 0) & (lines.lo[t] >= lines.lo[g - 1]) & (lines.hi[t] <= lines.hi[g - 1])
        rows.append(inside[g])
        kinds.append(True)
        labels.append(("", int(g), ""))
    for g, within in inside.items():
        if not lines.is_leader[g - 1]:
            continue  # a team's line is shown whole, in its leader's heatmap
        for col, s in enumerate(names):
            for v, value in enumerate(usable.segments[s].values):
                group = within & (atom_cell[col] == v)
                if group.any():
                    rows.append(group)
                    kinds.append(False)
                    labels.append((s, int(g), value))
    fixed = np.array(kinds)
    return np.array(rows, dtype=bool), fixed, ~fixed, labels


def _dimension_published(labels: list, groups: list[dict], segments: dict, dim_id: str, fixed: np.ndarray
                         ) -> np.ndarray:
    """Among the fixed groups, those whose figures of ``dim_id`` are published (the whole's always stand)."""
    out = fixed.copy()
    by_value = {(s, x["value"]): x for s, entries in segments.items() for x in entries}
    for r, (s, g, value) in enumerate(labels):
        if not fixed[r] or (not s and not g):
            continue
        entry = groups[g - 1]["dimensions"] if g else by_value[(s, value)]["dimensions"]
        figure = entry.get(dim_id) or {}
        out[r] = figure.get("score") is not None
    return out


def _entries(q: Questionnaire, labels: list, shown: np.ndarray, heads: np.ndarray, rows: np.ndarray,
             scores: dict) -> dict[int, dict[str, list[dict]]]:
    n = rows.astype(np.int64) @ heads
    weights = [d.weight for d in q.dimensions]
    out: dict[int, dict[str, list[dict]]] = {}
    for r, (s, g, value) in enumerate(labels):
        if not shown[r]:
            continue
        dims = {d: scores[d][r] for d in scores}
        complete = all(v is not None for v in dims.values())
        index = scoring.weighted_index([{"score": v} for v in dims.values()], weights) if complete else None
        out.setdefault(g, {}).setdefault(s, []).append({"value": value, "n": int(n[r]), "index": index,
                                                        "dimensions": dims})
    for by_segment in out.values():
        for entries in by_segment.values():
            entries.sort(key=lambda x: x["value"])
    return out
