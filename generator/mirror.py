"""The mirror: a staff wave's results beside its customers' wave and its assessor's ratings.

Everything here is computed from each wave's *published* results (``n``,
``mean`` and ``sd`` of the respondent means per dimension, item means), so it
works as well from the results cache, and a figure either wave withheld under
its own ``min_group_size`` takes part in nothing
(:func:`cxsite.disclosure.published`). The definitions, also on the
methodology page:

- per dimension: ``gap`` = staff score - customer score (score points);
  ``gap_ci`` Welch's 95 % interval of the difference of the two waves'
  respondent means, mapped to 0-100; ``p_value`` Welch's two-sided test;
  ``p_adjusted`` Holm over the dimensions tested; ``significant``
  (adjusted p < 0.05); ``overrated`` (significant and gap > 0);
- per item: staff mean, customer mean and ``gap`` = staff - customer, on the scale;
- beside the assessor: ``difference`` = assessor score - staff score, and
  ``outside_staff_ci``, the assessor's score outside the staff score's 95 % t-interval.
"""

from __future__ import annotations

from . import stats
from .disclosure import published
from .model import Engagement, Questionnaire
from .qdiff import scale_content


def with_links(result: dict, e: Engagement, customers: tuple[Engagement, dict] | None,
               assessor: tuple[Engagement, dict] | None) -> dict:
    """``result`` (of staff wave ``e``) with ``mirror`` and ``assessor``, each null when not linked (a new dict).

    Parameters
    ----------
    result : dict
        ``e``'s results as reported (:meth:`cxsite.results.Results.reported`).
    e : Engagement
        The staff wave.
    customers, assessor : (Engagement, dict) or None
        The linked wave and its results.
    """
    out = dict(result, mirror=None, assessor=None)
    if customers is not None:
        other, theirs = customers
        out["mirror"] = mirror(result, theirs, e.questionnaire, other.questionnaire)
    if assessor is not None:
        out["assessor"] = beside_assessor(result, assessor[1])
    return out


def _points_to_score(q: Questionnaire) -> dict[str, float]:
    """Per dimension, what one point of its scale is in score points (0-100)."""
    return {d.id: 100.0 / (d.scale.max - d.scale.min) for d in q.dimensions}


def mirror(staff: dict, customers: dict, q: Questionnaire, cq: Questionnaire) -> dict:
    """The ``mirror`` of the JSON contract: staff against customers per dimension and item.

    ``q`` and ``cq`` are the staff and customers' questionnaires (versions of
    one questionnaire); dimensions are compared by id, items only where both
    ask them on the same scale, keyed the same way, in the same dimension.
    """
    theirs = {d["id"]: d for d in customers.get("dimensions", [])}
    per_point = _points_to_score(q)
    dims, p_values = [], []
    for d in staff.get("dimensions", []):
        c = theirs.get(d["id"])
        if c is None:
            continue
        mine, other = (d["score"] if published(d, "score") else None), (c["score"] if published(c, "score") else None)
        entry = {"id": d["id"], "staff_score": mine, "customer_score": other,
                 "gap": None if mine is None or other is None else mine - other,
                 "gap_ci": None, "p_value": None}
        if entry["gap"] is not None:
            a, b = (d["n"], d["mean"], d.get("sd")), (c["n"], c["mean"], c.get("sd"))
            ci = stats.welch_interval(a, b)
            entry["gap_ci"] = None if ci is None else [x * per_point[d["id"]] for x in ci]
            entry["p_value"] = stats.welch_p(a, b)
        dims.append(entry)
        p_values.append(entry["p_value"])
    for entry, adjusted in zip(dims, stats.holm(p_values)):
        entry["p_adjusted"] = adjusted
        entry["significant"] = adjusted is not None and adjusted < stats.ALPHA
        entry["overrated"] = entry["significant"] and entry["gap"] > 0
    return {"customers": customers["engagement"]["id"], "dimensions": dims, "items": _items(staff, customers, q, cq)}


def _items(staff: dict, customers: dict, q: Questionnaire, cq: Questionnaire) -> list[dict]:
    """Per item both waves ask alike (:func:`comparable_items`): the two means and their gap, on the scale."""
    theirs = {i["id"]: i for d in customers.get("dimensions", []) for i in d["items"]}
    alike = comparable_items(q, cq)
    out = []
    for d in staff.get("dimensions", []):
        for i in d["items"]:
            c = theirs.get(i["id"])
            if c is None or i["id"] not in alike:
                continue
            mine, other = (i["mean"] if published(i, "mean") else None), (c["mean"] if published(c, "mean") else None)
            out.append({"id": i["id"], "staff_mean": mine, "customer_mean": other,
                        "gap": None if mine is None or other is None else mine - other})
    return out


def comparable_items(q: Questionnaire, cq: Questionnaire) -> set[str]:
    """The ids of the items ``q`` and ``cq`` ask alike: same dimension, scale and keying (wording aside).

    The wording differs by design (staff and customers are asked it their
    own way); a scale, keying or place that differs makes the means different measures.
    """
    def places(x: Questionnaire) -> dict:
        return {i.id: (d.id, scale_content(i.scale), i.reverse) for d in x.dimensions for i in d.items}

    mine, theirs = places(q), places(cq)
    return {i for i, place in mine.items() if theirs.get(i) == place}


def beside_assessor(staff: dict, assessor: dict) -> dict:
    """The ``assessor`` of the JSON contract: the assessor's score per dimension beside the staff score."""
    theirs = {d["id"]: d for d in assessor.get("dimensions", [])}
    dims = []
    for d in staff.get("dimensions", []):
        a = theirs.get(d["id"])
        if a is None:
            continue
        rated = a["score"] if published(a, "score") else None
        mine = d["score"] if published(d, "score") else None
        ci = d.get("ci") if mine is not None else None
        dims.append({"id": d["id"], "assessor_score": rated, "staff_score": mine,
                     "difference": None if rated is None or mine is None else rated - mine,
                     "outside_staff_ci": None if rated is None or not ci else not ci[0] <= rated <= ci[1]})
    return {"engagement": assessor["engagement"]["id"], "dimensions": dims}


def linked_waves(engagements: dict[str, Engagement], e: Engagement) -> tuple[Engagement | None, Engagement | None]:
    """``e``'s customers' wave and assessor wave among ``engagements`` (None where not linked or not loaded)."""
    return (engagements.get(e.mirror) if e.mirror else None,
            engagements.get(e.assessor) if e.assessor else None)
