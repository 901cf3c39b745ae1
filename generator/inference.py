"""The intervals and tests of an engagement's results, put where the JSON contract says.

:mod:`cxsite.stats` and :mod:`cxsite.drivers` compute; this module decides
which figures they are computed from and where they land, reading only what
disclosure control (:mod:`cxsite.disclosure`) already published — a group or
figure it withheld gets no interval, test or difference either. Changes
since the previous wave are :mod:`cxsite.trends`'.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import drivers, stats
from .model import Dimension, Questionnaire, Responses, Scale


def _scale_points(mean: float, scale: Scale) -> float:
    return 100.0 * (mean - scale.min) / (scale.max - scale.min)


def score_interval(n: int, mean: float | None, sd: float | None, scale: Scale) -> list[float] | None:
    """The t-interval of a dimension's mean of respondent means, on the 0-100 score range."""
    ci = stats.mean_interval(n, mean, sd)
    return None if ci is None else [_scale_points(ci[0], scale), _scale_points(ci[1], scale)]


def _rest(whole: dict, group: dict) -> tuple[int, float | None, float | None]:
    """``(n, mean, sd)`` of the whole's counted respondents outside ``group`` (both ``(n, mean, sd)``).

    From the sums of squares about each mean: the whole's is the rest's and
    the group's plus each one's distance to the whole's mean, weighted by its n.
    """
    n, ng = whole["n"], group["n"]
    nr = n - ng
    if nr < 1:
        return nr, None, None
    mr = (n * whole["mean"] - ng * group["mean"]) / nr
    ss = (n - 1) * whole["sd"] ** 2 if n > 1 else 0.0
    ssg = (ng - 1) * group["sd"] ** 2 if ng > 1 else 0.0
    ssr = ss - ssg - ng * (group["mean"] - whole["mean"]) ** 2 - nr * (mr - whole["mean"]) ** 2
    return nr, mr, (max(ssr, 0.0) / (nr - 1)) ** 0.5 if nr > 1 else None


def vs_rest(segments: dict, by_segment: dict, whole: Sequence[dict], q: Questionnaire,
            usable: Responses, k: int | None) -> None:
    """Add ``vs_rest`` to each shown dimension of each shown group of ``segments`` (in place).

    Welch's test of the group's respondent means against the rest's, Holm
    over every (group, dimension) test of a segment. Null where the group's
    or the whole's figure is withheld, or the rest holds fewer than ``k``
    respondents (a difference against a small rest would disclose it).
    ``segments`` and ``whole`` are as disclosure control published them
    (:func:`cxsite.score.segment_groups`); ``by_segment`` the unpublished
    group statistics (:func:`cxsite.score.score_dimensions`) the tests need.
    ``k`` None: every ``vs_rest`` null (no test made).
    """
    scales = {d.id: d.scale for d in q.dimensions}
    whole_by_id = {d["id"]: d for d in whole}
    for name, groups in segments.items():
        values = usable.segments[name].values
        raw_by_id = {per_group[0]["id"]: per_group for per_group in by_segment[name]}
        tests = []  # (entry, p)
        for group in groups:
            for dim_id, entry in group["dimensions"].items():
                entry["vs_rest"] = None
                w = whole_by_id[dim_id]
                if k is None or entry["withheld"] or w["withheld"]:
                    continue
                raw = raw_by_id[dim_id][values.index(group["value"])]
                nr, mr, sr = _rest(w, raw)
                if nr < k or mr is None:
                    continue
                p = stats.welch_p((raw["n"], raw["mean"], raw["sd"]), (nr, mr, sr))
                entry["vs_rest"] = {"delta": raw["score"] - _scale_points(mr, scales[dim_id]), "p_value": p}
                tests.append((entry["vs_rest"], p))
        holm_into([t for t, _ in tests], [p for _, p in tests])


def holm_into(entries: list[dict], p_values: list[float | None]) -> None:
    """``p_adjusted`` (Holm over ``p_values``) and ``significant`` into each entry."""
    for entry, adj in zip(entries, stats.holm(p_values)):
        entry["p_adjusted"] = adj
        entry["significant"] = adj is not None and adj < stats.ALPHA


def key_drivers(q: Questionnaire, usable: Responses, means: dict[str, np.ndarray], k: int) -> list[dict]:
    """One ``drivers`` entry per outcome (:func:`cxsite.drivers.key_drivers_shared`), in questionnaire order.

    Respondents counted in every dimension with a valid answer to the
    outcome; predictors their dimension means, the outcome its value.
    Outcomes answered by exactly the same respondents (the usual case) are
    analysed together, sharing the bootstrap's work.
    """
    from .score import item_values

    dims: list[Dimension] = list(q.dimensions)
    x = np.column_stack([means[d.id] for d in dims]) if dims else np.empty((len(usable), 0))
    counted = ~np.isnan(x).any(axis=1)
    values = {o.id: item_values(o, usable.column(o.id)) for o in q.outcomes}
    together: dict[bytes, list[str]] = {}
    for o in q.outcomes:
        together.setdefault(np.packbits(counted & ~np.isnan(values[o.id])).tobytes(), []).append(o.id)
    found = {}
    for ids in together.values():
        rows = counted & ~np.isnan(values[ids[0]])
        y = np.column_stack([values[i][rows] for i in ids])
        found.update(zip(ids, drivers.key_drivers_shared(ids, [d.id for d in dims], x[rows], y, k)))
    return [found[o.id] for o in q.outcomes]
