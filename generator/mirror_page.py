"""What the "Staff and customers" page of a staff wave shows: its rows, its reading and its dumbbell chart.

The figures are the staff wave's reported ``mirror`` and ``assessor``
(:mod:`cxsite.mirror`); this module only puts them in reading order beside
the questionnaire's two wordings and the assessor's evidence notes. The
linked waves are the staff wave's own client's (checked by
:mod:`cxsite.links`), so nothing of another client can reach the page.
"""

from __future__ import annotations

from . import charts
from .i18n import Lang
from .model import Engagement


NO_GAP = {"staff_score": None, "customer_score": None, "gap": None, "gap_ci": None, "p_value": None,
          "p_adjusted": None, "significant": False, "overrated": False}
NOT_RATED = {"assessor_score": None, "staff_score": None, "difference": None, "outside_staff_ci": None}


def mirror_view(e: Engagement, r: dict, engagements: dict[str, Engagement], bundles: dict[str, dict],
                lang: Lang = charts.EN) -> dict | None:
    """The page's context for staff wave ``e`` (results ``r``), or None when it names no linked wave.

    Parameters
    ----------
    e : Engagement
        The staff wave.
    r : dict
        Its reported results, with ``mirror`` and ``assessor``.
    engagements : dict
        The loaded engagements by id (the linked waves among them).
    bundles : dict
        Every engagement's bundle by id (the assessor's ``notes``).
    lang : cxsite.i18n.Lang
        The page's language, for the chart's words.

    Returns
    -------
    dict or None
        ``customers`` and ``assessor`` (the linked engagements or None), ``dimensions``
        and ``statements`` (rows; the items, largest gap first), ``overrated``,
        ``underrated``, ``disagreements`` (the plain reading), ``customers_withheld`` and ``chart``.
    """
    mirror, rated = r.get("mirror"), r.get("assessor")
    if r.get("withheld") or (mirror is None and rated is None):
        return None
    customers = engagements.get(mirror["customers"]) if mirror else None
    assessor = engagements.get(rated["engagement"]) if rated else None
    notes = bundles.get(assessor.id, {}).get("notes", {}) if assessor else {}
    q = e.questionnaire
    gaps = {d["id"]: d for d in mirror["dimensions"]} if mirror else {}
    beside = {d["id"]: d for d in rated["dimensions"]} if rated else {}
    rows = []
    for d in r["dimensions"]:
        dm = next(x for x in q.dimensions if x.id == d["id"])
        # A dimension the other wave does not show reads as one with every figure null.
        rows.append({"id": d["id"], "title": d["title"], "staff_score": d["score"],
                     "gap": gaps.get(d["id"], NO_GAP), "assessor": beside.get(d["id"], NOT_RATED),
                     "notes": [(i.text, notes[i.id]) for i in dm.items if i.id in notes]})
    view = {"customers": customers, "assessor": assessor, "dimensions": rows,
            "statements": _items(q, customers.questionnaire if customers else q, mirror, gaps) if mirror else [],
            "customers_withheld": bool(mirror) and not mirror["dimensions"],
            "overrated": [x for x in rows if x["gap"]["overrated"]],
            "underrated": [x for x in rows if x["gap"]["significant"] and x["gap"]["gap"] < 0],
            "disagreements": [x for x in rows if x["assessor"]["outside_staff_ci"]]}
    view["chart"] = _chart(e, rows, bool(mirror) and not view["customers_withheld"], lang)
    return view


def _items(q, cq, mirror: dict, gaps: dict) -> list[dict]:
    """Each compared item with both wordings, the largest gap (staff above customers) first.

    The customers' wording is the one their wave was asked (``cq``, worded for
    customers: :func:`cxsite.links.customers_view`), which may be another minor version's.
    """
    where = {i.id: (d, i) for d in q.dimensions for i in d.items}
    asked = {i.id: i.text for i in cq.items}
    out = []
    for entry in mirror["items"]:
        d, item = where[entry["id"]]
        out.append(dict(entry, dimension=d.id, dimension_title=d.title, staff_text=item.text,
                        customer_text=asked.get(entry["id"], item.customer_text or item.text),
                        overrated=bool(gaps.get(d.id, {}).get("overrated")) and (entry["gap"] or 0) > 0))
    # Stable: equal gaps keep the questionnaire's order; an item without a gap goes last.
    return sorted(out, key=lambda i: -i["gap"] if i["gap"] is not None else float("inf"))


def _reading(row: dict, lang: Lang = charts.EN) -> str:
    gap = row["gap"]
    if gap["gap"] is None:
        return ""
    if gap["overrated"]:
        return lang.gettext("staff clearly rate it higher than customers do")
    if gap["significant"]:
        return lang.gettext("staff clearly rate it lower than customers do")
    return lang.gettext("no clear gap")


def _chart(e: Engagement, rows: list[dict], with_customers: bool, lang: Lang = charts.EN):
    """The dumbbell chart of the page, or None when there is nothing to put on it."""
    if not with_customers and all(x["assessor"]["assessor_score"] is None for x in rows):
        return None
    bells = []
    for x in rows:
        gap, rated = x["gap"], x["assessor"]
        ci = gap["gap_ci"]
        bells.append(charts.Dumbbell(x["title"], x["staff_score"], gap["customer_score"],
                                     tuple(ci) if ci else None, rated["assessor_score"], _reading(x, lang)))
    title = lang.gettext("%(client)s: staff and customers, dimension scores 0 to 100") % {"client": e.client}
    return charts.dumbbell_chart(bells, title, "mirror", lang)
