"""What changed between two versions of a questionnaire, and the version bump it needs.

A pure comparison of two loaded :class:`~cxsite.model.Questionnaire` objects,
with no file or project access: ``cxsite diff`` prints it, ``cxsite
validate`` holds a questionnaire to it against its newest archived version
(:mod:`cxsite.versions`), and a trend between two waves can ask
:meth:`QDiff.comparable_items` which items may be compared at all.

Every scored question (a dimension's item or an outcome) gets one status:

``same``
    id, text (and ``customer_text``), scale, keying and place all unchanged;
``reworded``
    its text or ``customer_text`` changed (minor: the guide asks for a minor
    bump and says trends show only the items asked both times);
``rekeyed``
    ``reverse`` flipped (major);
``rescaled``
    its scale's points, labels, favourable, unfavourable or not-applicable
    answers changed (major); a scale renamed with the same content is not a change;
``moved``
    it now belongs to another dimension, or became an outcome or the other way
    round (major);
``added`` (minor) or ``removed`` (major).

One item may carry several changes (``changes``); its ``status`` is the one
needing the largest bump. The bump levels follow the maintainers' guide
(``assessments/README.md``): patch, minor, major.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .msgids import N_
from .model import Item, Questionnaire, Scale

BUMPS = ("none", "patch", "minor", "major")
OUTCOMES = "outcomes"  # the place of an outcome, beside the dimension ids
# What each kind of change needs (assessments/README.md, "Changing a questionnaire").
ITEM_BUMP = {"same": "none", "reworded": "minor", "added": "minor", "rekeyed": "major", "rescaled": "major",
             "moved": "major", "removed": "major"}
ITEM_CHANGES = ("removed", "moved", "rescaled", "rekeyed", "reworded", "added")  # largest bump first


def bump_rank(bump: str) -> int:
    """The order of a bump level: none < patch < minor < major."""
    return BUMPS.index(bump)


def larger(a: str, b: str) -> str:
    """The larger of two bump levels."""
    return a if bump_rank(a) >= bump_rank(b) else b


def version_tuple(version: str) -> tuple[int, int, int]:
    """``"1.2.0"`` as ``(1, 2, 0)``; versions are validated as semantic versions before this."""
    major, minor, patch = (int(p) for p in version.split("."))
    return major, minor, patch


def bump_between(old: str, new: str) -> str | None:
    """The bump from version ``old`` to ``new`` (``none`` when equal), or ``None`` when ``new`` is lower."""
    a, b = version_tuple(old), version_tuple(new)
    if b < a:
        return None
    for level, i in (("major", 0), ("minor", 1), ("patch", 2)):
        if b[i] != a[i]:
            return level
    return "none"


@dataclass(frozen=True)
class ItemChange:
    """One scored question in either version: its status, every change it has, and its two places."""

    id: str
    status: str                  # see the module docstring
    changes: tuple[str, ...]     # every change found, largest bump first; () when same
    old_place: str | None        # dimension id, or "outcomes"; None when added
    new_place: str | None        # None when removed

    @property
    def bump(self) -> str:
        return ITEM_BUMP[self.status]


@dataclass(frozen=True)
class OtherChange:
    """A change outside the scored questions: bands, dimensions, the cover text, open questions."""

    what: str        # e.g. "band-limits", "dimension-weight", "narrative-added"
    where: str       # the band, dimension or question id, or "questionnaire"
    bump: str
    detail: str      # one sentence for a reader

    def as_dict(self) -> dict:
        return {"what": self.what, "where": self.where, "bump": self.bump, "detail": self.detail}


@dataclass(frozen=True)
class QDiff:
    """The comparison of questionnaire ``old`` with ``new`` (see :func:`compare`)."""

    old: Questionnaire
    new: Questionnaire
    items: tuple[ItemChange, ...]
    other: tuple[OtherChange, ...] = field(default=())

    @property
    def same_questionnaire(self) -> bool:
        return self.old.id == self.new.id

    @property
    def bump(self) -> str:
        """The smallest version bump that allows every change (``major`` between two questionnaires)."""
        if not self.same_questionnaire:
            return "major"
        level = "none"
        for change in (*self.items, *self.other):
            level = larger(level, change.bump)
        return level

    def with_status(self, status: str) -> list[str]:
        """The ids of the items whose status is ``status``, in the new version's order (removed: the old's)."""
        return [c.id for c in self.items if c.status == status]

    def with_change(self, kind: str) -> list[str]:
        """The ids of the items having change ``kind`` among their changes (``added``, ``reworded``, …)."""
        return [c.id for c in self.items if kind in c.changes]

    def trend_blocker(self) -> str | None:
        """Why no change at all may be computed between waves of these versions, or ``None``.

        Two questionnaires, or two major versions of one, are different measures
        (the guide: "scores are no longer comparable with earlier waves"),
        whatever items they happen to share.
        """
        # %-formatted from marked msgids: the pages show the reason in their language (cxsite.i18n).
        if not self.same_questionnaire:
            return N_("different questionnaires ('%(old)s' and '%(new)s')") % {"old": self.old.id, "new": self.new.id}
        if version_tuple(self.old.version)[0] != version_tuple(self.new.version)[0]:
            return N_("a major version difference (%(old)s and %(new)s)") % {"old": self.old.version,
                                                                             "new": self.new.version}
        return None

    def comparable_items(self) -> list[str]:
        """The items asked the same way in both versions: same id, text, scale, keying and place."""
        return self.with_status("same") if self.same_questionnaire else []


# Kinds that score the same answers the same way and differ only in how the
# report reads them: a Likert outcome becoming a customer-effort score keeps
# its results comparable (a minor change, see _kind_changes).
SAME_SCORING = {"ces": "likert"}


def scale_content(scale: Scale) -> tuple:
    """What a scale means, its id aside: two scales of equal content are the same scale."""
    kind = SAME_SCORING.get(scale.kind, scale.kind)
    return (kind, tuple(sorted(scale.points.items())), tuple(sorted(scale.favorable)),
            tuple(sorted(scale.unfavorable)), tuple(na.casefold() for na in scale.not_applicable))


def scored_places(q: Questionnaire) -> dict[str, tuple[str, Item]]:
    """Every scored question by id: its place (dimension id or ``outcomes``) and the item, in order."""
    places = {i.id: (d.id, i) for d in q.dimensions for i in d.items}
    places.update((o.id, (OUTCOMES, o)) for o in q.outcomes)
    return places


def _item_change(iid: str, old: tuple[str, Item] | None, new: tuple[str, Item] | None) -> ItemChange:
    if old is None:
        return ItemChange(iid, "added", ("added",), None, new[0])
    if new is None:
        return ItemChange(iid, "removed", ("removed",), old[0], None)
    (old_place, a), (new_place, b) = old, new
    found = set()
    if old_place != new_place:
        found.add("moved")
    if scale_content(a.scale) != scale_content(b.scale):
        found.add("rescaled")
    if a.reverse != b.reverse:
        found.add("rekeyed")
    if a.text != b.text or a.customer_text != b.customer_text:
        found.add("reworded")
    changes = tuple(c for c in ITEM_CHANGES if c in found)
    return ItemChange(iid, changes[0] if changes else "same", changes, old_place, new_place)


def compare(old: Questionnaire, new: Questionnaire) -> QDiff:
    """Compare two versions of a questionnaire, item by item and part by part.

    Parameters
    ----------
    old, new
        Two loaded questionnaires, usually two versions of one id.

    Returns
    -------
    QDiff
        One :class:`ItemChange` per scored question of either version (the new
        version's order, then the removed ones in the old order), and the
        changes elsewhere (:class:`OtherChange`), each with the bump it needs.
    """
    before, after = scored_places(old), scored_places(new)
    items = [_item_change(iid, before.get(iid), after[iid]) for iid in after]
    items += [_item_change(iid, before[iid], None) for iid in before if iid not in after]
    return QDiff(old, new, tuple(items), tuple(other_changes(old, new)))


def other_changes(old: Questionnaire, new: Questionnaire) -> list[OtherChange]:
    """The changes outside the scored questions, each with its bump (see the guide's table)."""
    found = []
    if old.audience != new.audience:
        found.append(OtherChange("audience", "questionnaire", "major",
                                 f"answered by {new.audience}, was {old.audience}"))
    for key in ("title", "summary"):
        if getattr(old, key) != getattr(new, key):
            found.append(OtherChange(key, "questionnaire", "patch", f"the questionnaire's {key} changed"))
    found += _band_changes(old, new)
    found += _dimension_changes(old, new)
    found += _open_question_changes(old, new)
    found += _kind_changes(old, new)
    return found


def _kind_changes(old: Questionnaire, new: Questionnaire) -> list[OtherChange]:
    """A question now reported as another kind of the same scoring (likert and ces): minor."""
    before, after = scored_places(old), scored_places(new)
    return [OtherChange("scale-kind", iid, "minor",
                        f"question '{iid}' is reported as {b.scale.kind}, was {before[iid][1].scale.kind}")
            for iid, (_, b) in after.items()
            if iid in before and before[iid][1].scale.kind != b.scale.kind
            and scale_content(before[iid][1].scale) == scale_content(b.scale)]


def _band_changes(old: Questionnaire, new: Questionnaire) -> list[OtherChange]:
    """Band limits moved (major: every band is a range of scores), renamed (minor), reworded (patch)."""
    limits = lambda q: [b.min for b in q.bands]  # noqa: E731
    if limits(old) != limits(new):
        shown = lambda q: ", ".join(f"{b.id} {b.min:g}" for b in q.bands)  # noqa: E731
        moved = [b.id for i, b in enumerate(new.bands) if i >= len(old.bands) or old.bands[i].min != b.min]
        return [OtherChange("band-limits", moved[0] if moved else "bands", "major",
                            f"band limits moved: {shown(new)} (was {shown(old)})")]
    found = []
    for a, b in zip(old.bands, new.bands):
        if a.id != b.id:
            found.append(OtherChange("band-renamed", b.id, "minor", f"band '{a.id}' is now '{b.id}'"))
        if (a.label, a.summary) != (b.label, b.summary):
            found.append(OtherChange("band-text", b.id, "patch", f"band '{b.id}': label or summary reworded"))
    return found


def _dimension_changes(old: Questionnaire, new: Questionnaire) -> list[OtherChange]:
    before = {d.id: d for d in old.dimensions}
    after = {d.id: d for d in new.dimensions}
    found = [OtherChange("dimension-added", d, "minor", f"dimension '{d}' added") for d in after if d not in before]
    found += [OtherChange("dimension-removed", d, "major", f"dimension '{d}' removed")
              for d in before if d not in after]
    for did in (d for d in after if d in before):
        a, b = before[did], after[did]
        if a.weight != b.weight:
            # The index is a weighted mean: another weight makes it another measure.
            found.append(OtherChange("dimension-weight", did, "major",
                                     f"dimension '{did}': weight {b.weight:g} in the index, was {a.weight:g}"))
        if (a.title, a.description) != (b.title, b.description):
            found.append(OtherChange("dimension-text", did, "patch", f"dimension '{did}': title or description"
                                                                     " reworded"))
        new_bands = sorted(set(b.narratives) - set(a.narratives))
        if new_bands:
            found.append(OtherChange("narrative-added", did, "minor",
                                     f"dimension '{did}': new narrative for band {', '.join(new_bands)}"))
        # A narrative reworded or dropped, or actions changed: what a reader is told, not a figure.
        if any(b.narratives.get(k) != v for k, v in a.narratives.items()) or a.actions != b.actions:
            found.append(OtherChange("narrative-text", did, "patch", f"dimension '{did}': narratives or "
                                                                     "actions reworded"))
        kept = [i.id for i in a.items if i.id in {j.id for j in b.items}]
        if kept != [j.id for j in b.items if j.id in set(kept)]:
            found.append(OtherChange("items-reordered", did, "patch", f"dimension '{did}': items reordered"))
    return found


def _open_question_changes(old: Questionnaire, new: Questionnaire) -> list[OtherChange]:
    """Open questions are not scored: adding, removing or rewording one changes no figure (minor)."""
    before = {o.id: o for o in old.open_questions}
    after = {o.id: o for o in new.open_questions}
    found = []
    for oid in sorted(before.keys() | after.keys()):
        a, b = before.get(oid), after.get(oid)
        if a is None or b is None:
            what = "added" if a is None else "removed"
            found.append(OtherChange(f"open-question-{what}", oid, "minor", f"open question '{oid}' {what}"))
        elif (a.text, a.customer_text) != (b.text, b.customer_text):
            found.append(OtherChange("open-question-reworded", oid, "minor", f"open question '{oid}' reworded"))
    return found


# --------------------------------------------------------------------------- cxsite diff

LISTED = (("added", "added"), ("removed", "removed"), ("reworded", "reworded"), ("rekeyed", "re-keyed"),
          ("rescaled", "rescaled"), ("moved", "moved"))


def _side(q: Questionnaire) -> dict:
    return {"id": q.id, "version": q.version, "source": q.source, "path": q.path}


def as_dict(diff: QDiff) -> dict:
    """``cxsite diff --format json``: see README "Comparing questionnaire versions" for the keys.

    ``from``/``to`` ({id, version, source, path}); ``same_questionnaire``;
    ``bump`` the change needs (none, patch, minor, major); ``version_bump``
    between the two versions (null when ``to`` is the lower); ``allowed``
    (the version bump covers the change); one id list per kind of item change
    (``added``, ``removed``, ``reworded``, ``rekeyed``, ``rescaled``,
    ``moved``; an item may be in several); ``compared`` (items the same in
    both); ``items`` [{id, status, changes, from, to, bump}] for every changed
    item, ``from``/``to`` its dimension id or "outcomes"; ``bands`` and
    ``other`` [{what, where, bump, detail}].
    """
    version_bump = bump_between(diff.old.version, diff.new.version) if diff.same_questionnaire else None
    doc = {
        "from": _side(diff.old), "to": _side(diff.new), "same_questionnaire": diff.same_questionnaire,
        "bump": diff.bump, "version_bump": version_bump,
        "allowed": version_bump is not None and bump_rank(version_bump) >= bump_rank(diff.bump),
    }
    doc.update({key: diff.with_change(key) for key, _ in LISTED})
    doc["compared"] = diff.comparable_items()
    doc["items"] = [{"id": c.id, "status": c.status, "changes": list(c.changes), "from": c.old_place,
                     "to": c.new_place, "bump": c.bump} for c in diff.items if c.status != "same"]
    doc["bands"] = [o.as_dict() for o in diff.other if o.what.startswith("band")]
    doc["other"] = [o.as_dict() for o in diff.other if not o.what.startswith("band")]
    return doc


def as_text(diff: QDiff) -> str:
    """``cxsite diff`` for a reader: one line per kind of change, then the bump it needs."""
    doc = as_dict(diff)
    a, b = doc["from"], doc["to"]
    lines = [f"{a['id']} {a['version']} ({a['source']}: {a['path']}) -> {b['id']} {b['version']} "
             f"({b['source']}: {b['path']})"]
    if not diff.same_questionnaire:
        lines.append("different questionnaires: no item is compared between them")
    places = {c["id"]: c for c in doc["items"]}
    for key, label in LISTED:
        if doc[key]:
            shown = [f"{i} ({places[i]['from']} -> {places[i]['to']})" if key == "moved" else i for i in doc[key]]
            lines.append(f"{label}: {', '.join(shown)}")
    for o in doc["bands"] + doc["other"]:
        lines.append(f"{o['bump']}: {o['detail']}")
    if doc["bump"] == "none":
        lines.append("no change")
    lines.append(f"compared in trends: {', '.join(doc['compared']) or 'none'}")
    given = doc["version_bump"]
    verdict = "" if given is None else (f"; the versions differ by {given}, which "
                                        f"{'allows' if doc['allowed'] else 'does not allow'} it")
    needs = "no version bump" if doc["bump"] == "none" else f"a {doc['bump']} version bump"
    lines.append(f"needs: {needs}{verdict}")
    return "\n".join(lines) + "\n"
