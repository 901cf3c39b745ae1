"""Scoring: items, dimensions, index, reliability, NPS, segments with anonymity.

Every function is pure: answer codes and questionnaire in, plain numbers out.
The work is vectorised with NumPy over the column-wise answers of
:class:`cxsite.model.Responses`, so a 100,000 x 60 engagement scores in a
fraction of a second. The definitions are the ones stated on each report's
methodology page; the figures were checked against hand computations on small
fixtures (``tests/test_score.py``), against independently computed results
for the shared survey-export data (``expected-scores.json``), against the
earlier pure-Python implementation (every figure of the example engagements
identical, Cronbach's alpha to within 1e-15, its sums being pairwise) and
against the bare NumPy reference of ``bench/``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import disclosure, inference, leaders
from .disclosure import Decision, Universe
from .msgids import N_
from .stats import alpha_interval, nps_interval, wilson_interval
from .definitions import cronbach_alpha, respondent_dimension_means  # noqa: F401 (the definitions)
from .model import NA_CODE, OFFSET, Dimension, Engagement, Item, Questionnaire, Responses, Scale

SCHEMA_VERSION = 1

def reflect(value: int, scale: Scale) -> int:
    """Reflect a reverse-keyed answer onto the scale.

    .. math:: v' = \\min + \\max - v

    so that on every item a higher value is the more favourable one.
    """
    return scale.min + scale.max - value


def item_values(item: Item, codes: np.ndarray) -> np.ndarray:
    """One item's answers as numbers, reverse-keyed ones reflected (:func:`reflect`).

    Parameters
    ----------
    item : Item
    codes : ndarray of uint8
        The item's answer codes, one per respondent.

    Returns
    -------
    ndarray of float64
        The (reflected) scale point, NaN where the answer is blank or not applicable.
    """
    scale = item.scale
    points = np.arange(scale.min, scale.max + 1, dtype=np.float64)
    lookup = np.full(256, np.nan)  # code -> value: one gather instead of arithmetic and masking
    lookup[OFFSET:OFFSET + len(points)] = points[::-1] if item.reverse else points
    return lookup[codes]


def point_counts(item: Item, codes: np.ndarray) -> np.ndarray:
    """How many respondents gave each point, lowest point first, reverse-keyed items reflected."""
    span = item.scale.max - item.scale.min + 1
    counts = np.bincount(codes, minlength=OFFSET + span)[OFFSET:OFFSET + span]
    return counts[::-1] if item.reverse else counts


def item_stats(item: Item, codes: np.ndarray) -> dict:
    """Descriptive statistics of one item.

    Parameters
    ----------
    item : Item
    codes : ndarray of uint8
        The item's answer codes over the respondents scored.

    Returns
    -------
    dict
        ``n`` valid answers; ``mean`` of the (reflected) points; ``favorable``,
        ``neutral``, ``unfavorable`` as shares of the ``n`` valid answers,
        where favourable is a point in the scale's favourable set,
        unfavourable in its unfavourable set and neutral in neither;
        ``not_applicable`` count; ``counts`` of each point (every point,
        zeros included); ``favorable_ci`` the Wilson interval of the
        favourable share. With no valid answer, mean, shares and interval are None.
    """
    scale = item.scale
    counts = point_counts(item, codes)
    points = range(scale.min, scale.max + 1)
    n = int(counts.sum())
    fav = sum(int(c) for p, c in zip(points, counts) if p in scale.favorable)
    unfav = sum(int(c) for p, c in zip(points, counts) if p in scale.unfavorable)
    return {
        "id": item.id,
        "text": item.text,
        "n": n,
        # The sum of whole points is exact, so this is the mean to the last digit.
        "mean": sum(p * int(c) for p, c in zip(points, counts)) / n if n else None,
        "favorable": fav / n if n else None,
        "favorable_ci": wilson_interval(fav, n),
        "neutral": (n - fav - unfav) / n if n else None,
        "unfavorable": unfav / n if n else None,
        "not_applicable": int(np.count_nonzero(codes == NA_CODE)),
        "counts": {str(p): int(c) for p, c in zip(points, counts)},
    }


def to_score(mean: float | None, scale: Scale) -> float | None:
    """Put a mean on the 0-100 range: ``100 * (mean - min) / (max - min)``."""
    if mean is None:
        return None
    return 100.0 * (mean - scale.min) / (scale.max - scale.min)


@dataclass
class DimensionRows:
    """One dimension, per respondent: what group statistics are summed from."""

    means: np.ndarray        # respondent_dimension_means; NaN where not counted
    answered: np.ndarray     # valid answers to the dimension's items
    favorable: np.ndarray    # of which favourable
    unfavorable: np.ndarray  # of which unfavourable
    alpha: float | None      # over these respondents
    complete: int            # respondents with a valid answer to every item: alpha's cases


_FIELD = 16  # bits per packed count (see _packed)
_FIELDS_MAX = (1 << _FIELD) - 1


def _packed(item: Item, scale: Scale, low: int) -> np.ndarray:
    """Answer code -> one uint64 of four 16-bit counts: valid, favourable, unfavourable, point above ``low``.

    Summed over up to ``_FIELDS_MAX // span`` items, no field carries into the
    next, so one gather and one addition per item count all four at once.
    """
    values = item_values(item, np.arange(256, dtype=np.uint8))
    valid = ~np.isnan(values)
    above = np.where(valid, values - low, 0).astype(np.uint64)
    fields = (valid, np.isin(values, sorted(scale.favorable)), np.isin(values, sorted(scale.unfavorable)), above)
    return sum((f.astype(np.uint64) << np.uint64(_FIELD * j) for j, f in enumerate(fields)), np.zeros(256, np.uint64))


def dimension_rows(dim: Dimension, responses: Responses) -> DimensionRows:
    """Per-respondent figures of a dimension over the respondents of ``responses``.

    Counted from each item's one-byte codes in integers (:func:`_packed`): a
    respondent's sum of whole points is exact either way, so the means are
    those of :func:`respondent_dimension_means` to the last digit (and alpha
    that of :func:`cronbach_alpha` to rounding), without a float column per item.
    """
    n, k = len(responses), len(dim.items)
    low = min((i.scale.min for i in dim.items), default=0)
    span = max(max((i.scale.max - low for i in dim.items), default=1), 1)
    per_pass = max(_FIELDS_MAX // span, 1)  # so that no 16-bit field overflows
    passes = [_packed_total(dim, responses, low, dim.items[start:start + per_pass])
              for start in range(0, k, per_pass)]
    # Each field's count as a 16-bit number (the cast keeps a field's low 16 bits), in integers
    # until the sums; one pass (a dimension of up to 16,000 items) needs no wider sum.
    answered, favorable, unfavorable = (_field(passes, j, np.uint16) for j in range(3))
    sums = _field(passes, 3, np.int64) + np.int64(low) * answered  # whole points: exact
    counted = answered >= max(math.ceil(k / 2), 1)
    means = np.full(n, np.nan)
    means[counted] = sums[counted] / answered[counted]
    complete = answered == k
    alpha = None
    if k >= 2:
        alpha = _alpha_of_codes(dim.items, responses, complete, sums[complete])
    return DimensionRows(means, answered, favorable, unfavorable, alpha, int(np.count_nonzero(complete)))


def _packed_total(dim: Dimension, responses: Responses, low: int, items) -> np.ndarray:
    total = np.zeros(len(responses), dtype=np.uint64)
    for item in items:
        total += _packed(item, dim.scale, low)[responses.column(item.id)]
    return total


def _field(passes: list[np.ndarray], j: int, dtype) -> np.ndarray:
    """Field ``j`` of the packed totals, summed over the passes, as ``dtype``."""
    shift = np.uint64(_FIELD * j)
    if len(passes) == 1 and dtype == np.uint16:
        return (passes[0] >> shift).astype(np.uint16)  # the cast keeps the field's 16 bits
    return sum((((p >> shift) & np.uint64((1 << _FIELD) - 1)).astype(np.int64) for p in passes),
               np.zeros(len(passes[0]), np.int64)).astype(dtype)


def _alpha_of_codes(items, responses: Responses, complete: np.ndarray, total: np.ndarray) -> float | None:
    """:func:`cronbach_alpha` of the complete rows, each item's variance from the counts of its codes.

    A complete row's item values are whole (reflected) points, so an item's
    variance over those rows follows from how many gave each point: no float
    column per item. The figure equals :func:`cronbach_alpha`'s to rounding.
    """
    k, m = len(items), len(total)
    if k < 2 or m < 3:
        return None
    item_vars = 0.0
    for item in items:
        values = item_values(item, np.arange(256, dtype=np.uint8))
        counts = np.bincount(responses.column(item.id)[complete], minlength=256)
        given = ~np.isnan(values) & (counts > 0)
        v, c = values[given], counts[given].astype(np.float64)
        mean = (c @ v) / m
        item_vars += float(c @ (v - mean) ** 2) / (m - 1)
    total_var = float(total.astype(np.float64).var(ddof=1))
    if total_var == 0:
        return None
    return k / (k - 1) * (1 - item_vars / total_var)


def group_dimension_stats(dim: Dimension, rows: DimensionRows, groups: np.ndarray, count: int) -> list[dict]:
    """A dimension's statistics for each of ``count`` groups (``groups``: each respondent's group).

    ``n`` respondents counted (see :func:`respondent_dimension_means`);
    ``mean`` the mean of their means; ``score`` that mean on 0-100
    (:func:`to_score`); favourable / neutral / unfavourable pooled over all
    valid answers to the dimension's items; ``sd`` the sample SD of the
    respondent means (None below two), for intervals and tests. The sums run
    in respondent order, one group at a time (``np.bincount``), so the whole
    and its groups are computed the same way.
    """
    counted = ~np.isnan(rows.means)
    means = rows.means[counted]
    # The whole (one group): every respondent's group is 0, no gather needed.
    where = np.zeros(len(means), dtype=np.intp) if count == 1 else groups[counted]
    n = np.bincount(where, minlength=count)
    sums = np.bincount(where, weights=means, minlength=count)
    # Squares about each group's own mean (a second pass): exact where the sum of squares is not.
    centre = np.divide(sums, n, out=np.zeros(count), where=n > 0)
    squares = np.bincount(where, weights=(means - (centre[0] if count == 1 else centre[where])) ** 2,
                          minlength=count)
    if count == 1:  # sums of whole numbers: exact in any order
        total, fav, unfav = ([int(a.sum(dtype=np.int64))] for a in (rows.answered, rows.favorable, rows.unfavorable))
    else:
        total, fav, unfav = (np.bincount(groups, weights=a, minlength=count)
                             for a in (rows.answered, rows.favorable, rows.unfavorable))
    out = []
    for g in range(count):
        mean = float(sums[g] / n[g]) if n[g] else None
        t = int(total[g])
        out.append({
            "id": dim.id,
            "title": dim.title,
            "n": int(n[g]),
            "mean": mean,
            "sd": math.sqrt(squares[g] / (n[g] - 1)) if n[g] > 1 else None,
            "score": to_score(mean, dim.scale),
            "band": None,
            "favorable": int(fav[g]) / t if t else None,
            "neutral": (t - int(fav[g]) - int(unfav[g])) / t if t else None,
            "unfavorable": int(unfav[g]) / t if t else None,
        })
    return out


def weighted_index(dims: Sequence[dict], weights: Sequence[float]) -> float | None:
    """Weighted mean of dimension scores: ``sum(w_d * score_d) / sum(w_d)``.

    Dimensions without a score (nobody counted) are left out of both sums.
    """
    pairs = [(d["score"], w) for d, w in zip(dims, weights) if d["score"] is not None]
    total_weight = sum(w for _, w in pairs)
    if not pairs or total_weight == 0:
        return None
    return sum(s * w for s, w in pairs) / total_weight


def outcome_stats(item: Item, codes: np.ndarray) -> dict:
    """An outcome item: its item statistics, NPS where the scale is ``nps``, CES where ``ces``.

    .. math:: \\text{NPS} = 100 \\cdot \\frac{\\text{promoters} - \\text{detractors}}{n}

    with promoters answering 9-10, passives 7-8 and detractors 0-6 (counts);
    ``nps_ci`` its interval (:func:`cxsite.stats.nps_interval`).
    """
    stats = item_stats(item, codes)
    stats["kind"] = item.scale.kind
    stats["score"] = to_score(stats["mean"], item.scale)
    if item.scale.kind == "nps":
        counts = {int(p): c for p, c in stats["counts"].items()}
        n = stats["n"]
        promoters = sum(c for p, c in counts.items() if p >= 9)
        detractors = sum(c for p, c in counts.items() if p <= 6)
        stats.update(
            promoters=promoters, passives=n - promoters - detractors, detractors=detractors,
            nps=100.0 * (promoters - detractors) / n if n else None,
            nps_ci=nps_interval(promoters, detractors, n),
        )
    else:
        stats.update(promoters=None, passives=None, detractors=None, nps=None, nps_ci=None)
    # A customer-effort score is read as CES reports give it: the mean on the
    # scale's own points and the share of "easy" (favourable) answers.
    ces = item.scale.kind == "ces"
    stats.update(ces=stats["mean"] if ces else None, easy=stats["favorable"] if ces else None)
    stats["change"] = None  # set against the previous wave by cxsite.trends.with_changes
    return stats


def usable_rows(responses: Responses) -> np.ndarray:
    """A respondent is usable with at least one valid answer to a scored item or outcome."""
    usable = np.zeros(len(responses), dtype=bool)
    for codes in responses.answers.values():
        usable |= codes >= OFFSET
    return usable


def _index_and_bands(q: Questionnaire, dims: list[dict]) -> dict:
    """Bands of ``dims`` and the weighted index over them (weights by dimension id)."""
    for d in dims:
        band = q.band_for(d["score"])
        d["band"] = band.id if band else None
    weights = {dm.id: dm.weight for dm in q.dimensions}
    index = weighted_index(dims, [weights[d["id"]] for d in dims])
    band = q.band_for(index)
    return {"score": index, "band": band.id if band else None}


def score_dimensions(q: Questionnaire, responses: Responses, segments: Sequence[str] = (),
                     u: Universe | None = None, keep: dict | None = None
                     ) -> tuple[list[dict], dict[str, list[list[dict]]], dict[str, tuple[np.ndarray, ...]]]:
    """Every dimension over the respondents of ``responses``, and over each group of ``segments``.

    One dimension at a time: its per-respondent figures (:func:`dimension_rows`)
    are summed for the whole and for the groups of every segment, then
    dropped, so memory holds one dimension's worth at most (and, when
    ``keep`` is a dict, its respondent means, by dimension id, for key drivers).

    Returns
    -------
    whole : list of dict
        Per dimension: :func:`group_dimension_stats` of everyone, with ``alpha``,
        ``complete`` (alpha's cases) and ``items`` (:func:`item_stats`).
    by_segment : dict
        Segment -> per dimension, the list of its groups' statistics (group
        ``g`` is ``responses.segments[segment].values[g]``).
    contributors : dict
        Dimension id -> per-atom counts of ``u`` (:meth:`Universe.counts`) of
        its counted respondents and of those with any valid answer, for
        disclosure control; empty without ``u``.
    """
    everyone = np.zeros(len(responses), dtype=np.intp)
    whole, by_segment, contributors = [], {s: [] for s in segments}, {}
    for dim in q.dimensions:
        rows = dimension_rows(dim, responses)
        d = group_dimension_stats(dim, rows, everyone, 1)[0]
        d["alpha"] = rows.alpha
        d["complete"] = rows.complete
        d["ci"] = inference.score_interval(d["n"], d["mean"], d["sd"], dim.scale)
        d["alpha_ci"] = alpha_interval(rows.alpha, rows.complete, len(dim.items))
        d["change"] = None  # set against the previous wave by cxsite.trends.with_changes
        d["items"] = [item_stats(i, responses.column(i.id)) for i in dim.items]
        whole.append(d)
        for s in segments:
            seg = responses.segments[s]
            by_segment[s].append(group_dimension_stats(dim, rows, seg.codes, len(seg.values)))
        if keep is not None:
            keep[dim.id] = rows.means
        if u is not None:
            contributors[dim.id] = (u.counts(~np.isnan(rows.means)), u.counts(rows.answered > 0))
    return whole, by_segment, contributors


def engagement_universe(responses: Responses, segments: Sequence[str]) -> Universe:
    """The whole and the groups of ``segments`` over ``responses``, for :mod:`disclosure`."""
    return disclosure.universe({s: responses.segments[s].codes for s in segments},
                               {s: responses.segments[s].values for s in segments}, len(responses))


def segment_groups(q: Questionnaire, responses: Responses, segment: str, decision: Decision,
                   per_dim: list[list[dict]], index_dims: Sequence[str]) -> list[dict]:
    """Each value of a segment, with what ``decision`` allows of it.

    A group the decision withholds keeps its name and nothing else (no
    count, no score); in a group it shows, a dimension it withholds has null
    figures and ``withheld`` true. A group's index is the weighted mean of its
    scores on ``index_dims`` (the dimensions in the whole's index), shown only
    when every one of them is shown for the group: with one missing, the
    others and the index would give it away.
    """
    seg = responses.segments[segment]
    sizes = np.bincount(seg.codes, minlength=len(seg.values))
    groups = []
    for value in sorted(v for g, v in enumerate(seg.values) if sizes[g]):
        key = (segment, value)
        if not decision.group(key):
            groups.append({"value": value, "n": None, "suppressed": True, "index": None, "dimensions": {}})
            continue
        g = seg.values.index(value)
        dims = {}
        for stats in per_dim:
            d = {k: stats[g][k] for k in ("n", "mean", "score", "favorable")}
            shown = decision.dimension(key, stats[g]["id"])
            dims[stats[g]["id"]] = dict(d, withheld=False) if shown else disclosure.withhold(d, d)
        complete = all(not dims[i]["withheld"] for i in index_dims)
        index = _index_and_bands(q, [dict(stats[g]) for stats in per_dim if stats[g]["id"] in index_dims]
                                 )["score"] if complete else None
        groups.append({"value": value, "n": int(sizes[g]), "suppressed": False, "index": index,
                       "dimensions": dims})
    return groups


def data_quality(q: Questionnaire, responses: Responses, usable: np.ndarray) -> list[dict]:
    """Rows worth a second look; kept in the results, listed for the consultant."""
    items = q.items
    straight = np.zeros(len(responses), dtype=bool)
    if len(items) >= 5:
        # The same point (as given, before reflection) to every scored item.
        first = responses.column(items[0].id).astype(np.int16) + items[0].scale.min
        straight = usable & (first >= items[0].scale.min + OFFSET)
        for i in items[1:]:
            col = responses.column(i.id)
            straight &= (col >= OFFSET) & (col.astype(np.int16) + i.scale.min == first)
    # Row numbers and what was found, never the answers themselves: the
    # results are published, and one respondent's answer is not a figure.
    problems = []
    for r in np.flatnonzero(~usable | straight):
        problem = (N_("no valid answer to any scored question: not counted") if not usable[r]
                   else N_("straight-lining: the same answer to every item (kept)"))
        # 'column' and 'value' stay in the contract (schema 1), always null.
        problems.append({"row": int(responses.rows[r]), "column": None, "value": None, "problem": problem})
    return problems


def score_engagement(e: Engagement, statistics: bool = True) -> dict:
    """All results of one engagement, in the documented JSON shape (schema 1).

    ``statistics`` false leaves out the group tests (``vs_rest`` null) and the
    key drivers (``drivers`` empty), for the benchmark that measures their cost.
    """
    q = e.questionnaire
    responses = e.responses
    usable_mask = usable_rows(responses)
    n_usable = int(usable_mask.sum())
    result = {
        "schema": SCHEMA_VERSION,
        "engagement": {"id": e.id, "client": e.client, "title": e.title, "wave": e.wave,
                       "date": e.date.isoformat()},
        "assessment": {"id": q.id, "version": q.version, "title": q.title, "source": q.source},
        "min_group_size": e.min_group_size,
    }
    if n_usable < e.min_group_size:
        # Too few to report without identifying people: no figure at all.
        result.update(
            withheld=True,
            respondents={"rows": None, "usable": None, "invited": e.invited, "response_rate": None},
            index={"score": None, "band": None}, dimensions=[], outcomes=[], segments={},
            drivers=[], leaders=[], data_quality=[],
        )
        return result
    usable = responses.subset(usable_mask)
    result.update(
        withheld=False,
        respondents={
            "rows": len(responses), "usable": n_usable, "invited": e.invited,
            "response_rate": n_usable / e.invited if e.invited else None,
        },
        **(figures := published_figures(q, usable, e.segments, e.min_group_size, statistics)),
        leaders=leaders.leader_figures(q, usable, e.leaders, e.min_group_size, figures["segments"])
        if usable.hierarchy else [],
        data_quality=sorted(data_quality(q, responses, usable_mask) + (leaders.not_placed(usable) if usable.hierarchy
                                                                      else []), key=lambda f: f["row"]),
    )
    return result


def published_figures(q: Questionnaire, usable: Responses, segments: Sequence[str], k: int,
                      statistics: bool = True) -> dict:
    """``index``, ``dimensions``, ``outcomes`` and ``segments`` of the usable respondents,
    as disclosure control (:func:`cxsite.disclosure.decide_engagement`, threshold ``k``) allows."""
    u = engagement_universe(usable, segments)
    means: dict[str, np.ndarray] = {}
    dims, by_segment, contributors = score_dimensions(q, usable, segments, u, keep=means)
    decision = disclosure.decide_engagement(u, k, contributors)
    dims = [_published_dimension(d, decision) for d in dims]
    index_dims = [d["id"] for d in dims if not d["withheld"]]
    groups = {s: segment_groups(q, usable, s, decision, by_segment[s], index_dims) for s in segments}
    inference.vs_rest(groups, by_segment, dims, q, usable, k if statistics else None)
    return {
        "index": _index_and_bands(q, [d for d in dims if not d["withheld"]]),
        "dimensions": dims,
        "outcomes": [_published(outcome_stats(o, usable.column(o.id)), decision, disclosure.OUTCOME_FIGURES)
                     for o in q.outcomes],
        "segments": groups,
        "drivers": inference.key_drivers(q, usable, means, k) if statistics else [],
    }


def _published(stats: dict, decision: Decision, figures: Sequence[str]) -> dict:
    """An item or outcome of the whole, withheld when 1 to k-1 people answered it (none: nothing to hide)."""
    if stats["n"] == 0 or decision.enough(stats["n"]):
        return dict(stats, withheld=False)
    return disclosure.withhold(stats, figures)


def _published_dimension(d: dict, decision: Decision) -> dict:
    """A dimension of the whole as the decision allows: its figures, alpha and items each on their own n."""
    complete = d.pop("complete")
    items = [_published(i, decision, disclosure.ITEM_FIGURES) for i in d["items"]]
    if not decision.dimension(disclosure.WHOLE, d["id"]):
        return dict(disclosure.withhold(d, disclosure.DIMENSION_FIGURES), items=items)
    shown = decision.enough(complete)
    return dict(d, alpha=d["alpha"] if shown else None, alpha_ci=d["alpha_ci"] if shown else None,
                items=items, withheld=False)
