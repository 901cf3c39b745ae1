"""Comparable trends: what two waves asked the same way, and the figures a change may rest on.

A change since the previous wave is honest only between questions asked the
same way. :func:`plan` reads the two waves' questionnaires
(:func:`cxsite.qdiff.compare`) and decides, per dimension, which of its items
are compared: an item is compared when its id, text, scale, keying and place
are the same in both versions (``qdiff`` status ``same``). No change at all is
computed between two questionnaires or two major versions of one
(:meth:`cxsite.qdiff.QDiff.trend_blocker`).

A dimension whose items are all compared changes by its published scores. One
that lost or changed some of its items changes as if it held only the compared
ones: :func:`subset_figures` scores those items alone, the half rule applied
to them, in each wave, from that wave's responses. The index changes only when
every dimension is compared whole, with the same dimensions and weights.

A dimension compared whole needs only each wave's published results (``n``,
``mean`` and ``sd`` of respondent means; the NPS counts), so its change works
as well when the previous wave's results come from the results cache; only a
dimension compared on part of its items needs the waves' responses again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from . import disclosure, qdiff, stats
from .msgids import N_
from .inference import holm_into
from .model import Engagement, Questionnaire
from .score import dimension_rows, group_dimension_stats, usable_rows

# How the report names an item left out of a change, by qdiff status. The results keep
# these English words; the pages show them in their language (N_ marks them for the catalogues).
LEFT_OUT = {"reworded": N_("reworded"), "rekeyed": N_("re-keyed"), "rescaled": N_("rescaled"), "moved": N_("moved"),
            "added": N_("new"), "removed": N_("dropped")}


@dataclass(frozen=True)
class DimensionPlan:
    """How one dimension of the current wave compares with the previous wave."""

    id: str
    compared: tuple[str, ...]              # its items asked the same way in both waves, in order
    not_compared: tuple[tuple[str, str], ...]  # (item id, qdiff status) of either wave's version of it
    reason: str | None                     # why it has no change at all; None when it may have one

    @property
    def whole(self) -> bool:
        """Compared item for item: its published scores of both waves may be compared as they are."""
        return self.reason is None and not self.not_compared


@dataclass(frozen=True)
class Plan:
    """What may be compared between a wave and its previous wave (see :func:`plan`)."""

    blocker: str | None              # why nothing at all is compared; None otherwise
    dimensions: dict[str, DimensionPlan]
    statuses: dict[str, str]         # every scored question of the current wave -> its qdiff status
    index_reason: str | None         # why the index has no change, beyond the dimensions' own


def plan(old: Questionnaire, new: Questionnaire) -> Plan:
    """Which items of ``new``'s dimensions are compared with the wave that answered ``old``.

    Reasons are written for a reader of the report.
    """
    # Waves in two languages ask the same questions: compare the English the translations were made from.
    diff = qdiff.compare(old.english or old, new.english or new)
    blocker = diff.trend_blocker()
    statuses = {c.id: c.status for c in diff.items if c.new_place is not None}
    if blocker:
        dims = {d.id: DimensionPlan(d.id, (), tuple((i.id, "blocked") for i in d.items), blocker)
                for d in new.dimensions}
        return Plan(blocker, dims, {i: "blocked" for i in statuses}, blocker)
    before = {d.id: d for d in old.dimensions}
    dims = {}
    for d in new.dimensions:
        compared = tuple(i.id for i in d.items if statuses[i.id] == "same")
        left = [(i.id, statuses[i.id]) for i in d.items if statuses[i.id] != "same"]
        if d.id in before:
            gone = {c.id: c.status for c in diff.items if c.old_place == d.id and c.new_place != d.id}
            left += sorted(gone.items())
        reason = None
        if d.id not in before:
            reason = N_("this dimension was not in the previous wave's questionnaire")
        elif not compared:
            reason = N_("none of its statements was asked the same way in the previous wave")
        dims[d.id] = DimensionPlan(d.id, compared, tuple(left), reason)
    return Plan(None, dims, statuses, _index_reason(old, new, dims))


def _index_reason(old: Questionnaire, new: Questionnaire, dims: dict[str, DimensionPlan]) -> str | None:
    """Why the index of ``new`` is no longer the index of ``old``, or None."""
    if {d.id for d in old.dimensions} != {d.id for d in new.dimensions}:
        return N_("the questionnaire's dimensions changed")
    weights = {d.id: d.weight for d in old.dimensions}
    if any(weights[d.id] != d.weight for d in new.dimensions):
        return N_("the dimensions' weights in the index changed")
    if not all(p.whole for p in dims.values()):
        return N_("not every dimension was asked the same way in both waves")
    return None


def subset_figures(e: Engagement, dim_id: str, item_ids: tuple[str, ...]) -> dict:
    """The whole engagement's figures of dimension ``dim_id`` on ``item_ids`` alone.

    As :func:`cxsite.score.group_dimension_stats` computes a dimension, over
    the usable respondents, counting a respondent who answered at least half
    of ``item_ids``: ``n``, ``mean`` and ``sd`` of respondent means, ``score``
    on 0-100. Withheld (figures null) when fewer than the engagement's
    ``min_group_size`` are counted, as disclosure control decides for any
    figure of the whole. ``e`` must hold its responses.
    """
    dim = next(d for d in e.questionnaire.dimensions if d.id == dim_id)
    part = replace(dim, items=tuple(i for i in dim.items if i.id in set(item_ids)))
    usable = e.responses.subset(usable_rows(e.responses))
    figures = group_dimension_stats(part, dimension_rows(part, usable), np.zeros(len(usable), dtype=np.intp), 1)[0]
    picked = {f: figures[f] for f in ("n", "mean", "sd", "score")}
    if not disclosure.enough(picked["n"], e.min_group_size):
        return disclosure.withhold(picked, disclosure.DIMENSION_FIGURES)
    return dict(picked, withheld=False)


def with_changes(result: dict, previous: dict | None, plan: Plan | None = None,
                 subsets: Mapping[str, tuple[dict, dict]] | None = None) -> dict:
    """``result`` with the changes since ``previous`` (a new dict): of every dimension, item and outcome,
    and ``trend``, what was compared and the index's change.

    ``plan`` (:func:`cxsite.trends.plan`) says which items the two waves asked
    the same way; None takes every item, dimension and outcome of the same id
    as compared (one questionnaire version). ``subsets``: dimension id ->
    (this wave's, the previous wave's) :func:`cxsite.trends.subset_figures`,
    for each dimension compared on part of its items.

    Dimension: delta of scores, Welch's test of the waves' respondent means,
    Holm over every dimension with a change. NPS outcome: delta and the
    z-test of :func:`cxsite.stats.nps_change_p`. Item: delta of favourable
    shares, untested. A change is null without a previous wave, and where
    either wave's figure is withheld; it has a null delta and a ``reason``
    where the waves did not ask the same thing.
    """
    out = dict(result, dimensions=[dict(d, change=None, items=[dict(i, change=None) for i in d.get("items", [])])
                                   for d in result.get("dimensions", [])],
               outcomes=[dict(o, change=None) for o in result.get("outcomes", [])], trend=None)
    if not previous or previous.get("withheld") or result.get("withheld"):
        return out
    pid = previous["engagement"]["id"]
    plan = plan or _same_items(result)
    before = {d["id"]: d for d in previous["dimensions"]}
    items_before = {i["id"]: i for d in previous["dimensions"] for i in d.get("items", [])}
    changes, p_values = [], []
    for d in out["dimensions"]:
        d["change"] = _dimension_change(d, before.get(d["id"]), plan.dimensions[d["id"]], (subsets or {}).get(d["id"]),
                                        pid)
        if d["change"] and d["change"]["delta"] is not None:
            changes.append(d["change"])
            p_values.append(d["change"]["p_value"])
        for i in d["items"]:
            i["change"] = _item_change(i, items_before.get(i["id"]), plan, pid)
    holm_into(changes, p_values)
    before_o = {o["id"]: o for o in previous.get("outcomes", [])}
    for o in out["outcomes"]:
        o["change"] = _outcome_change(o, before_o.get(o["id"]), plan, pid)
    out["trend"] = _trend(out, previous, plan, pid)
    return out


def _same_items(result: dict) -> Plan:
    """The plan of two waves of one questionnaire version: every question compared as it is."""
    dims = {d["id"]: DimensionPlan(d["id"], tuple(i["id"] for i in d.get("items", [])), (), None)
            for d in result["dimensions"]}
    statuses = {i: "same" for p in dims.values() for i in p.compared}
    statuses.update((o["id"], "same") for o in result.get("outcomes", []))
    return Plan(None, dims, statuses, None)


def _dimension_change(d: dict, b: dict | None, p: DimensionPlan, subset: tuple[dict, dict] | None,
                      pid: str) -> dict | None:
    """One dimension's ``change``; the figures are its published ones, or its compared items' (``subset``)."""
    if b is None and p.reason is None:
        return None
    if d["withheld"] or (b is not None and b["withheld"]):
        return None
    change = {"previous": pid, "previous_score": None, "delta": None, "p_value": None, "p_adjusted": None,
              "significant": False, "items_compared": list(p.compared),
              "items_not_compared": [i for i, _ in p.not_compared],
              "not_compared_reasons": {i: LEFT_OUT.get(s, s) for i, s in p.not_compared}, "reason": p.reason}
    if p.reason is not None:
        return change
    now, then = (d, b) if p.whole else subset
    if now["withheld"] or then["withheld"]:
        change["reason"] = N_("its compared statements were answered by too few people to show a score")
        return change
    if now["score"] is None or then["score"] is None:
        return None
    p_value = stats.welch_p((now["n"], now["mean"], now.get("sd")), (then["n"], then["mean"], then.get("sd")))
    change.update(previous_score=then["score"], delta=now["score"] - then["score"], p_value=p_value)
    return change


def _item_change(i: dict, b: dict | None, plan: Plan, pid: str) -> dict | None:
    """An item's change of favourable share (untested), only between items asked the same way."""
    if b is None or i.get("withheld") or b.get("withheld"):
        return None
    status = plan.statuses.get(i["id"], "same")
    if status != "same":
        return {"previous": pid, "previous_favorable": None, "delta": None,
                "reason": plan.blocker or LEFT_OUT.get(status, status)}
    if i.get("favorable") is None or b.get("favorable") is None:
        return None
    return {"previous": pid, "previous_favorable": b["favorable"], "delta": i["favorable"] - b["favorable"],
            "reason": None}


def _outcome_change(o: dict, b: dict | None, plan: Plan, pid: str) -> dict | None:
    """An NPS outcome's change, only between waves that asked it the same way."""
    if b is None or o["withheld"] or b["withheld"] or o.get("nps") is None or b.get("nps") is None:
        return None
    status = plan.statuses.get(o["id"], "same")
    if status != "same":
        return {"previous": pid, "previous_nps": None, "delta": None, "p_value": None,
                "reason": plan.blocker or LEFT_OUT.get(status, status)}
    p = stats.nps_change_p((o["promoters"], o["detractors"], o["n"]), (b["promoters"], b["detractors"], b["n"]))
    return {"previous": pid, "previous_nps": b["nps"], "delta": o["nps"] - b["nps"], "p_value": p, "reason": None}


def _trend(out: dict, previous: dict, plan: Plan, pid: str) -> dict:
    """What was compared with ``previous``, and the index's change when it is the same index in both waves."""
    reason = plan.index_reason
    withheld = {d["id"] for d in out["dimensions"] if d["withheld"]}
    if reason is None and withheld != {d["id"] for d in previous["dimensions"] if d["withheld"]}:
        # An index left without a withheld dimension in one wave is not the other wave's measure.
        reason = N_("a dimension's score is withheld in one wave only")
    now, then = out.get("index", {}).get("score"), previous.get("index", {}).get("score")
    if reason is None and (now is None or then is None):
        reason = N_("no index in one of the waves")
    index = None if reason else {"previous_score": then, "delta": now - then}
    return {"previous": pid, "reason": plan.blocker, "index": index, "index_reason": reason}
