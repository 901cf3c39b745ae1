"""Action plans: what a client committed to after a wave, and how it stands at the next one.

``engagements/<id>/actions.yml`` (:data:`cxsite.model.ACTIONS_FORMAT`) lists
the actions agreed after that wave's report. Its own report shows them on a
"What we committed to" page; the next wave (the engagement whose
``previous:`` names it) shows each with its status beside the change of its
dimension since, read from ``change`` in that wave's results
(:meth:`cxsite.results.Results.reported`), so that "we did it and it moved"
and "we did it and nothing moved" are both in view.

An owner is a role by default (``owners: roles``): an owner that reads as a
person's name, an e-mail address, a phone number or a street address
(:func:`cxsite.redact.find_spans`) is refused at its line. ``owners: people``
allows named people, published as written; a contact detail is refused
either way. A note is shown with personal data redacted (:func:`cxsite.redact.redact`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import ErrorCollector, Location, did_you_mean, display_path, one_of
from .msgids import N_
from .model import ACTIONS_FORMAT, Dimension, Engagement
from .schema import INVALID, read_document

ACTIONS_FILE = "actions.yml"
# The words each status reads on the pages (translated there: cxsite.i18n.N_ marks them for the catalogues).
STATUS_WORDS = {"planned": N_("Planned"), "doing": N_("Under way"), "done": N_("Done"), "dropped": N_("Dropped")}


@dataclass(frozen=True)
class Action:
    """One committed action, checked against the questionnaire.

    ``recommended`` is ``(band, number)`` when the action is one of the
    dimension's recommended actions, whose text ``text`` then holds.
    """

    dimension: str
    text: str
    recommended: tuple[str, int] | None
    owner: str
    due: dt.date
    status: str
    note: str | None


def load_plan(e: Engagement, root: Path, errors: ErrorCollector) -> tuple[Action, ...]:
    """The actions of ``e``'s ``actions.yml``; ``()`` without one, or when it has problems (reported).

    Parameters
    ----------
    e : Engagement
        Loaded, with its questionnaire.
    root : Path
        The project root, for the paths in messages.
    errors : ErrorCollector
        Gets every problem of the file, each at its line and column.
    """
    path = e.folder / ACTIONS_FILE
    if not (path.exists() or path.is_symlink()):
        return ()
    display = display_path(path, root)
    if not path.resolve().is_relative_to(e.folder.resolve()):
        errors.add(Location(display), "links outside this engagement's folder; copy the file in instead")
        return ()
    before = len(errors.errors)
    read = read_document(path, display, ACTIONS_FORMAT, errors)
    if read is None or read[1]["actions"] is INVALID:
        return ()
    doc, raw = read
    dims = {d.id: d for d in e.questionnaire.dimensions}
    plan = []
    for n, a in enumerate(raw["actions"]):
        if a is INVALID or INVALID in a.values():
            continue  # reported where it failed its own check

        def at(key: str, n: int = n) -> Location:
            return doc.at(("actions", n, key))
        d = dims.get(a["dimension"])
        if d is None:
            errors.add(at("dimension"), f"unknown dimension '{a['dimension']}'{did_you_mean(a['dimension'], dims)}; "
                                        f"expected one of {one_of(dims)} (questionnaire '{e.questionnaire.id}')",
                       code="unknown-dimension")
            continue
        text, ref = _action_text(a["action"], d, at("action"), errors)
        _check_owner(a["owner"], raw["owners"], at("owner"), errors)
        plan.append(Action(d.id, text, ref, a["owner"], a["due"], a["status"], a["note"]))
    return () if len(errors.errors) > before else tuple(plan)


def _action_text(value, d: Dimension, where: Location, errors: ErrorCollector) -> tuple[str, tuple | None]:
    """An action's text: as written, or the recommended action ``{band, number}`` names (checked)."""
    if isinstance(value, str):
        return value, None
    band, number = value["band"], value["number"]
    listed = d.actions.get(band)
    if listed is None:
        errors.add(where, f"dimension '{d.id}' has no recommended actions for band '{band}'"
                          f"{did_you_mean(band, d.actions)}; bands with actions: {one_of(sorted(d.actions)) or 'none'}",
                   code="unknown-recommended-action")
        return "", None
    if number > len(listed):
        errors.add(where, f"dimension '{d.id}' has {len(listed)} recommended action{'s' * (len(listed) != 1)} "
                          f"for band '{band}', so number {number} names none; give "
                          f"{'1' if len(listed) == 1 else f'1 to {len(listed)}'}",
                   code="unknown-recommended-action")
        return "", None
    return listed[number - 1], (band, number)


def _check_owner(owner: str, owners: str, where: Location, errors: ErrorCollector) -> None:
    """Refuse an owner that is a contact detail, or (``owners: roles``) reads as a person's name."""
    from .redact import contact_kind, find_spans

    kind = contact_kind(owner)
    if kind:
        errors.add(where, f"owner '{owner}' holds {kind}, which would be published; give a role "
                          "(e.g. 'Head of Operations')", code="owner-not-a-role")
    elif owners == "roles" and find_spans(owner):
        errors.add(where, f"owner '{owner}' reads as a person's name; give the role that answers for the "
                          "action (e.g. 'Head of Operations'), or write 'owners: people' at the top of "
                          "the file to publish named owners", code="owner-not-a-role")


# --------------------------------------------------------------------------- reported

def plan_json(plan: tuple[Action, ...]) -> list[dict]:
    """The plan as ``cxsite score`` gives it: one entry an action, in the file's order."""
    from .redact import redact

    return [{"dimension": a.dimension, "action": a.text,
             "recommended": {"band": a.recommended[0], "number": a.recommended[1]} if a.recommended else None,
             "owner": a.owner, "due": a.due.isoformat(), "status": a.status,
             "note": redact(a.note) if a.note else None} for a in plan]


def dimension_change(d: dict | None, withheld: bool) -> dict:
    """The change of one dimension since the previous wave, in the words of a follow-up.

    Parameters
    ----------
    d : dict or None
        The dimension in this wave's reported results (``None``: not in this wave).
    withheld : bool
        This wave's results are withheld as a whole.

    Returns
    -------
    dict
        ``{verdict, delta, previous_score, score, p_adjusted, significant, reason}``;
        ``verdict`` is ``"up"``, ``"down"``, ``"no clear change"`` or ``"unknown"``
        (then ``reason`` says why there is no change to show).
    """
    out = {"verdict": "unknown", "delta": None, "previous_score": None, "score": None, "p_adjusted": None,
           "significant": None, "reason": None}
    if withheld:
        return {**out, "reason": N_("this wave's results are withheld: too few people answered")}
    if d is None:
        return {**out, "reason": N_("the dimension is not in this wave's questionnaire")}
    change = d.get("change")
    if not change or change.get("delta") is None:
        why = (change or {}).get("reason") or (N_("the dimension is withheld for anonymity in this wave") if d.get("withheld")
                                               else N_("the previous wave has no comparable figure (not asked, or "
                                                       "withheld for anonymity)"))
        return {**out, "score": d.get("score"), "reason": why}
    significant = bool(change.get("significant"))
    verdict = ("up" if change["delta"] > 0 else "down") if significant else "no clear change"
    return {**out, "verdict": verdict, "delta": change["delta"], "previous_score": change.get("previous_score"),
            "score": d.get("score"), "p_adjusted": change.get("p_adjusted"), "significant": significant}


def follow_up_json(plan: tuple[Action, ...], result: dict) -> list[dict]:
    """The previous wave's plan, each action with the change of its dimension in ``result`` (this wave)."""
    dims = {d["id"]: d for d in result["dimensions"]}
    return [dict(entry, change=dimension_change(dims.get(entry["dimension"]), bool(result.get("withheld"))))
            for entry in plan_json(plan)]


def actions_json(e: Engagement, previous: Engagement | None, result: dict) -> dict:
    """``actions`` of ``cxsite score``: ``{plan, follow_up, follow_up_of}`` (lists empty when absent)."""
    follow = previous.plan if previous is not None else ()
    return {"plan": plan_json(e.plan), "follow_up": follow_up_json(follow, result) if follow else [],
            "follow_up_of": previous.id if follow else None}


# --------------------------------------------------------------------------- cxsite new actions

PLACEHOLDER_OWNER = "Role to be agreed"
DUE_AFTER_DAYS = 91  # a quarter: the "next quarter" the overview's recommended actions speak of


def plan_text(e: Engagement, result: dict, today: dt.date, modeline: str) -> str:
    """An ``actions.yml`` for ``e``: the recommended actions of its two lowest-scoring dimensions, to edit.

    Each action is written as a reference to the questionnaire's list
    (``{band, number}``), its text in a comment beside it; a dimension whose
    band recommends nothing gets one action to describe.
    """
    from .scaffold import yaml_text

    dims = {d.id: d for d in e.questionnaire.dimensions}
    scored = sorted((d for d in result["dimensions"] if d["score"] is not None), key=lambda d: (d["score"], d["id"]))
    lines = [modeline.rstrip("\n"),
             f"# What {e.client} committed to after this wave ({e.wave}): edit, then run cxsite validate.",
             "# Pre-filled with the recommended actions of the two lowest-scoring dimensions.",
             "# owner: a role, not a person's name; status: planned | doing | done | dropped.",
             "owners: roles", "actions:"]
    due = (today + dt.timedelta(days=DUE_AFTER_DAYS)).isoformat()
    for d in scored[:2]:
        listed = dims[d["id"]].actions.get(d["band"], ())
        refs = [(f"{{band: {d['band']}, number: {n}}}", text) for n, text in enumerate(listed, start=1)] \
            or [(yaml_text("Describe what will be done"), "no recommended action for this band")]
        for ref, text in refs:
            lines += [f"  - dimension: {d['id']}   # scored {d['score']:.0f}", f"    action: {ref}",
                      f"    # {' '.join(text.split())}", f"    owner: {yaml_text(PLACEHOLDER_OWNER)}",
                      f"    due: {due}", "    status: planned"]
    return "\n".join(lines) + "\n"


def new_plan(root: Path, eid: str) -> list[Path]:
    """Write ``engagements/<eid>/actions.yml`` (:func:`plan_text`); refused if a plan exists or no figure does."""
    from . import clock
    from .errors import InputError
    from .load import load_project
    from .lookup import find_engagement
    from .results import Results
    from .scaffold import _create, _remove, modeline, write_schemas

    project = load_project(root, only=[eid])
    e = find_engagement(project, eid)
    path = e.folder / ACTIONS_FILE
    shown = display_path(path, root)
    if path.exists() or path.is_symlink():
        raise InputError(shown, "already exists; cxsite never overwrites an action plan: edit it, or remove it "
                                "and run the command again", code="output-refused")
    result = Results().result(e)
    if result["withheld"] or not result["respondents"]["usable"]:
        raise InputError(e.path, "has no published results (withheld or awaiting responses), so no weakest "
                                 f"dimensions to plan from; write {ACTIONS_FILE} by hand", code="no-results")
    written = _create({path: plan_text(e, result, clock.now().date(), modeline(path, root, "actions"))}, root)
    try:
        load_project(root, only=[e.id], responses=False)  # read back as validate would
    except BaseException:
        _remove(written)
        raise
    return written + write_schemas(root)
