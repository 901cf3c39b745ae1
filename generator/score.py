"""Scoring: items, dimensions, index, reliability, NPS, segments with anonymity.

Every function is pure: respondents and questionnaire in, plain numbers out.
The definitions are the ones stated on each report's methodology page; the
figures were checked against hand computations on small fixtures
(``tests/test_score.py``) and against independently computed results for the
shared survey-export data (``expected-scores.json``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .model import NA, NOT_STATED, Dimension, Engagement, Item, Questionnaire, Respondent, Scale

SCHEMA_VERSION = 1
Answer = int | str | None


def reflect(value: int, scale: Scale) -> int:
    """Reflect a reverse-keyed answer onto the scale.

    .. math:: v' = \\min + \\max - v

    so that on every item a higher value is the more favourable one.
    """
    return scale.min + scale.max - value


def prepared_answers(item: Item, respondents: Sequence[Respondent]) -> list[Answer]:
    """The answers to one item in respondent order, reverse-keyed ones reflected."""
    out: list[Answer] = []
    for r in respondents:
        v = r.answers.get(item.id)
        if isinstance(v, int) and item.reverse:
            v = reflect(v, item.scale)
        out.append(v)
    return out


def item_stats(item: Item, answers: Sequence[Answer]) -> dict:
    """Descriptive statistics of one item.

    Parameters
    ----------
    item : Item
    answers : sequence of int, ``NA`` or None
        Reflected answers (see :func:`prepared_answers`).

    Returns
    -------
    dict
        ``n`` valid answers; ``mean``; ``favorable``, ``neutral``,
        ``unfavorable`` as shares of the ``n`` valid answers, where favourable
        is a point in the scale's favourable set, unfavourable in its
        unfavourable set and neutral in neither; ``not_applicable`` count;
        ``counts`` of each point (every point, zeros included).
        With no valid answer, mean and shares are None.
    """
    scale = item.scale
    valid = [v for v in answers if isinstance(v, int)]
    n = len(valid)
    counts = {str(p): 0 for p in scale.values}
    for v in valid:
        counts[str(v)] += 1
    fav = sum(1 for v in valid if v in scale.favorable)
    unfav = sum(1 for v in valid if v in scale.unfavorable)
    return {
        "id": item.id,
        "text": item.text,
        "n": n,
        "mean": sum(valid) / n if n else None,
        "favorable": fav / n if n else None,
        "neutral": (n - fav - unfav) / n if n else None,
        "unfavorable": unfav / n if n else None,
        "not_applicable": sum(1 for v in answers if v == NA),
        "counts": counts,
    }


def to_score(mean: float | None, scale: Scale) -> float | None:
    """Put a mean on the 0-100 range: ``100 * (mean - min) / (max - min)``."""
    if mean is None:
        return None
    return 100.0 * (mean - scale.min) / (scale.max - scale.min)


def respondent_dimension_means(columns: Sequence[Sequence[Answer]]) -> list[float]:
    """Each respondent's mean over a dimension's items, where it counts.

    A respondent counts when they gave valid answers to at least
    ``ceil(k / 2)`` of the dimension's ``k`` items; the mean is over their
    valid answers only.
    """
    k = len(columns)
    need = math.ceil(k / 2)
    means = []
    for row in zip(*columns):
        valid = [v for v in row if isinstance(v, int)]
        if valid and len(valid) >= need:
            means.append(sum(valid) / len(valid))
    return means


def cronbach_alpha(columns: Sequence[Sequence[Answer]]) -> float | None:
    """Cronbach's alpha of a dimension, listwise.

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i s^2_i}{s^2_{\\text{sum}}}\\right)

    with :math:`s^2` the sample variance (denominator ``m - 1``) over the
    ``m`` respondents who gave a valid answer to all ``k`` items.

    Returns None when ``k < 2``, ``m < 3`` or the summed scores do not vary.
    Checked against ``pingouin.cronbach_alpha`` (listwise) on the fixtures of
    ``tests/test_score.py``.
    """
    k = len(columns)
    if k < 2:
        return None
    rows = [row for row in zip(*columns) if all(isinstance(v, int) for v in row)]
    m = len(rows)
    if m < 3:
        return None
    item_vars = sum(_sample_var([row[i] for row in rows]) for i in range(k))
    total_var = _sample_var([sum(row) for row in rows])
    if total_var == 0:
        return None
    return k / (k - 1) * (1 - item_vars / total_var)


def _sample_var(values: Sequence[float]) -> float:
    m = len(values)
    mean = sum(values) / m
    return sum((v - mean) ** 2 for v in values) / (m - 1)


def dimension_stats(dim: Dimension, respondents: Sequence[Respondent], items: bool = True) -> dict:
    """Score one dimension.

    ``n`` respondents counted (see :func:`respondent_dimension_means`);
    ``mean`` the mean of their means; ``score`` that mean on 0-100
    (:func:`to_score`); favourable / neutral / unfavourable pooled over all
    valid answers to the dimension's items; ``alpha`` from
    :func:`cronbach_alpha`.
    """
    columns = [prepared_answers(i, respondents) for i in dim.items]
    means = respondent_dimension_means(columns)
    mean = sum(means) / len(means) if means else None
    scale = dim.scale
    pooled = [v for col in columns for v in col if isinstance(v, int)]
    fav = sum(1 for v in pooled if v in scale.favorable)
    unfav = sum(1 for v in pooled if v in scale.unfavorable)
    total = len(pooled)
    result = {
        "id": dim.id,
        "title": dim.title,
        "n": len(means),
        "mean": mean,
        "score": to_score(mean, scale),
        "band": None,
        "favorable": fav / total if total else None,
        "neutral": (total - fav - unfav) / total if total else None,
        "unfavorable": unfav / total if total else None,
    }
    if items:
        result["alpha"] = cronbach_alpha(columns)
        result["items"] = [item_stats(i, c) for i, c in zip(dim.items, columns)]
    return result


def weighted_index(dims: Sequence[dict], weights: Sequence[float]) -> float | None:
    """Weighted mean of dimension scores: ``sum(w_d * score_d) / sum(w_d)``.

    Dimensions without a score (nobody counted) are left out of both sums.
    """
    pairs = [(d["score"], w) for d, w in zip(dims, weights) if d["score"] is not None]
    total_weight = sum(w for _, w in pairs)
    if not pairs or total_weight == 0:
        return None
    return sum(s * w for s, w in pairs) / total_weight


def outcome_stats(item: Item, answers: Sequence[Answer]) -> dict:
    """An outcome item: its item statistics, and NPS where the scale is ``nps``.

    .. math:: \\text{NPS} = 100 \\cdot \\frac{\\text{promoters} - \\text{detractors}}{n}

    with promoters answering 9-10, passives 7-8 and detractors 0-6 (counts).
    """
    stats = item_stats(item, answers)
    stats["kind"] = item.scale.kind
    stats["score"] = to_score(stats["mean"], item.scale)
    valid = [v for v in answers if isinstance(v, int)]
    if item.scale.kind == "nps":
        n = len(valid)
        promoters = sum(1 for v in valid if v >= 9)
        detractors = sum(1 for v in valid if v <= 6)
        stats.update(
            promoters=promoters, passives=n - promoters - detractors, detractors=detractors,
            nps=100.0 * (promoters - detractors) / n if n else None,
        )
    else:
        stats.update(promoters=None, passives=None, detractors=None, nps=None)
    return stats


def is_usable(r: Respondent, q: Questionnaire) -> bool:
    """A respondent is usable with at least one valid answer to a scored item or outcome."""
    return any(isinstance(r.answers.get(i.id), int) for i in (*q.items, *q.outcomes))


def score_group(q: Questionnaire, respondents: Sequence[Respondent], items: bool = True) -> dict:
    """Dimensions and index of one group of respondents (the whole, or a segment)."""
    dims = [dimension_stats(d, respondents, items=items) for d in q.dimensions]
    for d in dims:
        band = q.band_for(d["score"])
        d["band"] = band.id if band else None
    index = weighted_index(dims, [d.weight for d in q.dimensions])
    band = q.band_for(index)
    return {"index": {"score": index, "band": band.id if band else None}, "dimensions": dims}


def segment_groups(q: Questionnaire, segment: str, respondents: Sequence[Respondent],
                   min_group_size: int) -> list[dict]:
    """Score each value of a segment, suppressing groups too small to report.

    A group with fewer than ``min_group_size`` usable respondents is
    suppressed: it keeps its name and nothing else (no count, no score). When
    exactly one group is suppressed, the next smallest is suppressed with it,
    so the hidden group cannot be recovered by subtracting the others from the
    whole.
    """
    by_value: dict[str, list[Respondent]] = {}
    for r in respondents:
        by_value.setdefault(r.segments.get(segment) or NOT_STATED, []).append(r)
    sizes = {v: len(rs) for v, rs in by_value.items()}
    hidden = {v for v, n in sizes.items() if n < min_group_size}
    if len(hidden) == 1:
        shown = sorted((n, v) for v, n in sizes.items() if v not in hidden)
        if shown:
            hidden.add(shown[0][1])
    groups = []
    for value in sorted(by_value):
        if value in hidden:
            groups.append({"value": value, "n": None, "suppressed": True, "index": None, "dimensions": {}})
            continue
        scored = score_group(q, by_value[value], items=False)
        groups.append({
            "value": value,
            "n": sizes[value],
            "suppressed": False,
            "index": scored["index"]["score"],
            "dimensions": {d["id"]: {k: d[k] for k in ("n", "mean", "score", "favorable")}
                           for d in scored["dimensions"]},
        })
    return groups


def data_quality(q: Questionnaire, respondents: Sequence[Respondent]) -> list[dict]:
    """Rows worth a second look; kept in the results, listed for the consultant."""
    problems = []
    scored = [i.id for i in q.items]
    for r in respondents:
        if not is_usable(r, q):
            problems.append({"row": r.row, "column": None, "value": None,
                             "problem": "no valid answer to any scored question: not counted"})
            continue
        given = [r.answers.get(i) for i in scored]
        if len(scored) >= 5 and all(isinstance(v, int) for v in given) and len(set(given)) == 1:
            problems.append({"row": r.row, "column": None, "value": str(given[0]),
                             "problem": "straight-lining: the same answer to every item (kept)"})
    return problems


def score_engagement(e: Engagement) -> dict:
    """All results of one engagement, in the documented JSON shape (schema 1)."""
    q = e.questionnaire
    all_rows = e.responses.respondents
    usable = [r for r in all_rows if is_usable(r, q)]
    result = {
        "schema": SCHEMA_VERSION,
        "engagement": {"id": e.id, "client": e.client, "title": e.title, "wave": e.wave,
                       "date": e.date.isoformat()},
        "assessment": {"id": q.id, "version": q.version, "title": q.title},
        "min_group_size": e.min_group_size,
    }
    if len(usable) < e.min_group_size:
        # Too few to report without identifying people: no figure at all.
        result.update(
            withheld=True,
            respondents={"rows": None, "usable": None, "invited": e.invited, "response_rate": None},
            index={"score": None, "band": None}, dimensions=[], outcomes=[], segments={},
            data_quality=[],
        )
        return result
    whole = score_group(q, usable)
    result.update(
        withheld=False,
        respondents={
            "rows": len(all_rows), "usable": len(usable), "invited": e.invited,
            "response_rate": len(usable) / e.invited if e.invited else None,
        },
        index=whole["index"],
        dimensions=whole["dimensions"],
        outcomes=[outcome_stats(o, prepared_answers(o, usable)) for o in q.outcomes],
        segments={s: segment_groups(q, s, usable, e.min_group_size) for s in e.segments},
        data_quality=data_quality(q, all_rows),
    )
    return result
