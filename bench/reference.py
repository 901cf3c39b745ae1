"""The scoring definitions once more, in bare NumPy, to time cxsite's scorer against.

Written from the methodology page, not from :mod:`cxsite.score`: items
reflected where reverse-keyed; a respondent counts in a dimension with valid
answers to at least half its items (rounded up); dimension score
``100 (mean - min) / (max - min)`` of the respondents' means; favourable
shares pooled over valid answers; Cronbach's alpha over complete rows;
the index as the weighted mean of dimension scores; NPS; and groups scored
the same way, suppressed below the threshold (with the next smallest when
only one is). It works on a whole matrix at once, the fastest plain NumPy
way, with none of cxsite's checks, messages or output shape.
"""

from __future__ import annotations

import math

import numpy as np


def score(answers: np.ndarray, q, segments: dict, min_group_size: int) -> dict:
    """``answers``: respondents x (items..., nps) int8, -1 blank, -2 not applicable."""
    items = list(q.items)
    k = len(items)
    usable = (answers >= 0).any(axis=1)
    a = answers[usable]
    x = np.asfortranarray(a[:, :k], dtype=np.float64)  # column-major: every column contiguous
    x[x < 0] = np.nan
    reverse = np.array([i.reverse for i in items])
    lo, hi = items[0].scale.min, items[0].scale.max
    x[:, reverse] = lo + hi - x[:, reverse]
    valid = ~np.isnan(x)
    fav_points = sorted(items[0].scale.favorable)
    fav = np.isin(x, fav_points)
    n_item = valid.sum(axis=0)
    item_mean = np.where(valid, x, 0).sum(axis=0) / n_item
    out = {"usable": int(usable.sum()),
           "items": {i.id: {"n": int(n_item[j]), "mean": float(item_mean[j]),
                            "favorable": float(fav[:, j].sum() / n_item[j])} for j, i in enumerate(items)},
           "dimensions": {}}
    start, means_by_dim = 0, {}
    for d in q.dimensions:
        cols = slice(start, start + len(d.items))
        start += len(d.items)
        xd, vd = x[:, cols], valid[:, cols]
        answered = vd.sum(axis=1)
        counted = answered >= math.ceil(len(d.items) / 2)
        means = np.where(counted, np.where(vd, xd, 0).sum(axis=1) / np.maximum(answered, 1), np.nan)
        means_by_dim[d.id] = (means, fav[:, cols].sum(axis=1), answered)
        complete = xd[vd.all(axis=1)]
        alpha = len(d.items) / (len(d.items) - 1) * (
            1 - complete.var(axis=0, ddof=1).sum() / complete.sum(axis=1).var(ddof=1))
        mean = float(means[counted].mean())
        out["dimensions"][d.id] = {"n": int(counted.sum()), "mean": mean, "score": 100 * (mean - lo) / (hi - lo),
                                   "favorable": float(fav[:, cols].sum() / vd.sum()), "alpha": float(alpha)}
    weights = np.array([d.weight for d in q.dimensions])
    scores = np.array([out["dimensions"][d.id]["score"] for d in q.dimensions])
    out["index"] = float((weights * scores).sum() / weights.sum())
    nps = a[:, k]
    nps = nps[nps >= 0]
    out["nps"] = float(100 * ((nps >= 9).sum() - (nps <= 6).sum()) / len(nps))
    out["segments"] = {}
    for name, (codes, values) in segments.items():
        codes = codes[usable]
        sizes = np.bincount(codes, minlength=len(values))
        small = [g for g in range(len(values)) if 0 < sizes[g] < min_group_size]
        if len(small) == 1:
            small.append(min((g for g in range(len(values)) if sizes[g] >= min_group_size),
                             key=lambda g: (sizes[g], values[g])))
        group_scores = {}
        for d in q.dimensions:
            means = means_by_dim[d.id][0]
            ok = ~np.isnan(means)
            group_mean = (np.bincount(codes[ok], weights=means[ok], minlength=len(values))
                          / np.maximum(np.bincount(codes[ok], minlength=len(values)), 1))
            group_scores[d.id] = 100 * (group_mean - lo) / (hi - lo)
        groups = {}
        for g, value in enumerate(values):
            if sizes[g] == 0:
                continue
            if g in small:
                groups[value] = None
                continue
            dims = {d.id: group_scores[d.id][g] for d in q.dimensions}
            groups[value] = {"n": int(sizes[g]), "index": float(
                (weights * np.array([dims[d.id] for d in q.dimensions])).sum() / weights.sum()),
                "dimensions": {did: float(v) for did, v in dims.items()}}
        out["segments"][name] = groups
    return out


def differences(ref: dict, result: dict, tolerance: float = 1e-9) -> list[str]:
    """Where cxsite's results (``score_engagement``) differ from the reference's."""
    found = []

    def check(what, a, b):
        if a is None or b is None or abs(a - b) > tolerance * max(1.0, abs(a)):
            found.append(f"{what}: reference {a}, cxsite {b}")

    check("usable", ref["usable"], result["respondents"]["usable"])
    check("index", ref["index"], result["index"]["score"])
    for d in result["dimensions"]:
        r = ref["dimensions"][d["id"]]
        for key in ("n", "mean", "score", "favorable", "alpha"):
            check(f"{d['id']}.{key}", r[key], d[key])
        for i in d["items"]:
            for key in ("n", "mean", "favorable"):
                check(f"{i['id']}.{key}", ref["items"][i["id"]][key], i[key])
    check("nps", ref["nps"], result["outcomes"][0]["nps"])
    for name, groups in result["segments"].items():
        for g in groups:
            r = ref["segments"][name][g["value"]]
            if g["suppressed"] or r is None:
                if not (g["suppressed"] and r is None):
                    found.append(f"{name}={g['value']}: suppressed differs")
                continue
            check(f"{name}={g['value']}.index", r["index"], g["index"])
            for did, dim in g["dimensions"].items():
                check(f"{name}={g['value']}.{did}", r["dimensions"][did], dim["score"])
    return found
