"""The version rules of the maintainers' guide, held by ``cxsite validate``.

A questionnaire in ``assessments/`` is compared with the newest archived
version of the same id (``assessments/archive/<id>-<version>.yml``), and a
change bigger than its version bump is refused at the changed item's line in
the current file, naming the bump it needs (``assessments/README.md``,
"Changing a questionnaire"). Without this, a version 2 that reworded an item
to the opposite meaning under a patch bump would be trended against the old
wave as if nothing had changed.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

from .errors import ErrorCollector, InputError, InputErrors, Location, did_you_mean, one_of
from .model import QUESTIONNAIRE_FORMAT, Questionnaire
from .qdiff import (
    OUTCOMES, ItemChange, OtherChange, QDiff, bump_between, bump_rank, compare, scored_places, version_tuple,
)
from .questionnaires import load_questionnaire
from .schema import read_document

ARCHIVE = PurePosixPath("assessments/archive")
# What each kind of change is called in a refusal, and its stable problem code (codes.py).
ITEM_WORDS = {
    "removed": ("was removed", "version-item-removed"),
    "moved": ("moved between dimensions", "version-item-moved"),
    "rescaled": ("has another scale", "version-item-rescaled"),
    "rekeyed": ("was re-keyed (its reverse flag flipped)", "version-item-rekeyed"),
    "reworded": ("was reworded", "version-item-reworded"),
    "added": ("was added", "version-item-added"),
}


def is_archived(q: Questionnaire) -> bool:
    """Whether ``q`` is a project file in ``assessments/archive/``."""
    return PurePosixPath(q.path).is_relative_to(ARCHIVE)


def next_version(version: str, bump: str) -> str:
    """The smallest version after ``version`` with a ``bump`` (patch, minor, major) bump."""
    major, minor, patch = version_tuple(version)
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0"}.get(bump, f"{major}.{minor}.{patch + 1}")


def check_versions(questionnaires: list[Questionnaire], errors: ErrorCollector) -> None:
    """Refuse every change of a current questionnaire that its version bump does not allow.

    Parameters
    ----------
    questionnaires
        The project's own questionnaires that loaded (built-in ones are cxsite's
        and checked by its own tests).
    errors
        Gets one located problem per refused change.
    """
    own = [q for q in questionnaires if q.source == "project"]
    archived = [q for q in own if is_archived(q)]
    for a in archived:
        expected = f"{a.id}-{a.version}.yml"
        doc = positions(a) if PurePosixPath(a.path).name != expected else None
        if doc is not None:
            # The guide names archives so; one named otherwise is easily taken for another version.
            errors.add(doc.at(("version",)), f"an archived questionnaire is named <id>-<version>.yml: this one "
                                             f"declares id '{a.id}' version {a.version}, so rename it to "
                                             f"{expected}", code="archive-misnamed")
    for q in sorted((q for q in own if not is_archived(q)), key=lambda q: q.path):
        older = [a for a in archived if a.id == q.id]
        if not older:
            continue
        newest = max(older, key=lambda a: a.key)
        doc = positions(q)
        if doc is None:
            continue
        if newest.key[1] >= q.key[1]:
            errors.add(doc.at(("version",)),
                       f"version {q.version} is not above the archived version {newest.version} "
                       f"({newest.path}); give the current file a higher version than its archive",
                       code="version-not-newer")
            continue
        _refuse(compare(newest, q), doc, errors)
        _refuse_reused_ids(q, newest, older, doc, errors)


def _refuse_reused_ids(q: Questionnaire, newest: Questionnaire, older: list[Questionnaire], doc,
                       errors: ErrorCollector) -> None:
    """An item id retired before the newest archive, back with another meaning, is refused at any bump.

    Response files and earlier reports refer to ids (the guide: "never reuse a
    retired one"); compared only with the newest archive, it would pass as added.
    """
    current, latest = scored_places(q), scored_places(newest)
    for old in sorted(older, key=lambda a: a.key, reverse=True):
        changes = None
        for iid, (place, item) in scored_places(old).items():
            if iid not in current or iid in latest:
                continue
            changes = changes or {c.id: c for c in compare(old, q).items}
            mine = changes[iid]
            if mine.status != "same":
                errors.add(doc.at(_item_path(doc, iid) + ("id",)),
                           f"item '{iid}' reuses the id of an item retired after version {old.version} "
                           f"({old.path}), with another meaning ({', '.join(mine.changes)}); an id never "
                           "changes its meaning once released: give this item a new id",
                           code="retired-id-reused")
            latest = dict(latest, **{iid: (place, item)})  # reported once, against its last version


def positions(q: Questionnaire):
    """The current file's positions (it loaded a moment ago, so it reads again without a problem)."""
    read = read_document(Path(q.path_abs), q.path, QUESTIONNAIRE_FORMAT, ErrorCollector())
    return read[0] if read else None


def _refuse(diff: QDiff, doc, errors: ErrorCollector) -> None:
    old, new = diff.old, diff.new
    given = bump_between(old.version, new.version)
    since = f"since version {old.version} ({old.path})"
    before = scored_places(old)
    for change in diff.items:
        if bump_rank(change.bump) <= bump_rank(given):
            continue
        words, code = ITEM_WORDS[change.status]
        if change.status == "moved":
            words = f"moved from {_place(change.old_place)} to {_place(change.new_place)}"
        hint = " (a statement whose meaning changed needs a new id instead)" if change.status == "reworded" else ""
        old_item = before.get(change.id)
        old_text = old_item[1].text if old_item else None
        errors.add(_item_at(change, doc, old_text), f"item '{change.id}' {words} {since}: that needs a {change.bump} "
                                          f"version bump, to {next_version(old.version, change.bump)} or later, "
                                          f"not {new.version}{hint}", code=code)
    for change in diff.other:
        if bump_rank(change.bump) <= bump_rank(given):
            continue
        code = "version-bands-moved" if change.what == "band-limits" else "version-change"
        errors.add(_other_at(change, doc), f"{change.detail}, changed {since}: that needs a {change.bump} version bump, "
                                           f"to {next_version(old.version, change.bump)} or later, not "
                                           f"{new.version}", code=code)


def _place(place: str | None) -> str:
    return "the outcomes" if place == OUTCOMES else f"dimension '{place}'"


def question_at(doc, question_id: str) -> Location:
    """The line of a question (item, outcome or open question) ``question_id`` in ``doc``."""
    path = _item_path(doc, question_id)
    if path is None:
        opens = [o.get("id") if isinstance(o, dict) else None for o in doc.value.get("open_questions") or []]
        path = ("open_questions", opens.index(question_id)) if question_id in opens else ()
    return doc.at(path + ("id",))


def _item_path(doc, item_id: str) -> tuple | None:
    """Where item (or outcome) ``item_id`` is in the current file's document."""
    value = doc.value
    for di, d in enumerate(value.get("dimensions") or []):
        for ii, item in enumerate(d.get("items") or [] if isinstance(d, dict) else []):
            if isinstance(item, dict) and item.get("id") == item_id:
                return ("dimensions", di, "items", ii)
    for oi, o in enumerate(value.get("outcomes") or []):
        if isinstance(o, dict) and o.get("id") == item_id:
            return ("outcomes", oi)
    return None


def _dimension_path(doc, dim_id: str | None) -> tuple | None:
    for di, d in enumerate(doc.value.get("dimensions") or []):
        if isinstance(d, dict) and d.get("id") == dim_id:
            return ("dimensions", di)
    return None


def _item_at(change: ItemChange, doc, old_text: str | None) -> Location:
    """The line of the changed item; a removed one, where it was: its old dimension's items."""
    path = _item_path(doc, change.id)
    if path is None:
        if change.old_place == OUTCOMES:
            return doc.at(("outcomes",), key=True) if "outcomes" in doc.value else doc.at(("version",))
        dim = _dimension_path(doc, change.old_place)
        return doc.at(dim + ("items",), key=True) if dim else doc.at(("dimensions",), key=True)
    item = doc.value[path[0]][path[1]] if path[0] == "outcomes" else \
        doc.value["dimensions"][path[1]]["items"][path[3]]
    key = {"rescaled": "scale", "rekeyed": "reverse", "reworded": "text"}.get(change.status, "id")
    if change.status == "reworded" and old_text == item.get("text"):
        key = "customer_text"  # only the customer version changed: point at it
    return doc.at(path + (key,)) if key in item else doc.at(path + ("id",))


def _other_at(change: OtherChange, doc) -> Location:
    value = doc.value
    if change.what in ("band-limits", "band-renamed"):
        ids = [b.get("id") for b in value.get("bands") or [] if isinstance(b, dict)]
        if change.where not in ids:
            return doc.at(("bands",), key=True)
        return doc.at(("bands", ids.index(change.where), "min" if change.what == "band-limits" else "id"))
    if change.what.startswith("open-question"):
        ids = [o.get("id") for o in value.get("open_questions") or [] if isinstance(o, dict)]
        if change.where in ids:
            return doc.at(("open_questions", ids.index(change.where), "id"))
        return doc.at(("open_questions",), key=True) if "open_questions" in value else doc.at(("version",))
    if change.what == "audience":
        return doc.at(("audience",))
    dim = _dimension_path(doc, change.where)
    if dim is None:
        return doc.at(("dimensions",), key=True)
    if change.what == "dimension-weight":
        return doc.at(dim + ("weight",)) if "weight" in value["dimensions"][dim[1]] else doc.at(dim + ("id",))
    if change.what == "narrative-added":
        return doc.at(dim + ("narratives",), key=True)
    return doc.at(dim + ("id",))


# --------------------------------------------------------------------------- ID@VERSION on the command line

def known_questionnaires(root: Path) -> tuple[dict[tuple[str, str], Questionnaire], dict[str, list]]:
    """Every questionnaire ``cxsite diff`` and ``cxsite export`` may name: the project's, archives
    included, then the built-in ones it does not define itself.

    Returns the loaded ones by (id, version), and the problems of each project
    file that did not load, by the id it declares: they are reported only when
    that id is asked for, so one broken file does not block the export of another.
    """
    from .load import BUILT_IN, builtin_questionnaire_files, find_questionnaire_files
    from .questionnaires import questionnaire_id_of

    found: dict[tuple[str, str], Questionnaire] = {}
    broken: dict[str, list] = {}
    for path in find_questionnaire_files(root):
        errors = ErrorCollector()
        q = load_questionnaire(path, root, errors)
        if q is None:
            broken.setdefault(questionnaire_id_of(path) or path.stem, []).extend(errors.errors)
        else:
            found.setdefault((q.id, q.version), q)
    for path in builtin_questionnaire_files():
        q = load_questionnaire(path, root, ErrorCollector())
        if q is not None and (q.id, q.version) not in found:
            found[(q.id, q.version)] = dataclasses.replace(q, source=BUILT_IN)
    return found, broken


def resolve(root: Path, ref: str, where: str) -> Questionnaire:
    """The questionnaire ``ref`` (``ID`` for the newest version, or ``ID@VERSION``) names.

    Raises
    ------
    InputError, InputErrors
        An unknown id or version (naming those there are), or the id's file does not load.
    """
    name, _, version = ref.partition("@")
    found, broken = known_questionnaires(root)
    have = sorted((v for i, v in found if i == name), key=version_tuple)
    if name in broken and (not have or (version and (name, version) not in found)):
        raise InputErrors(broken[name])  # the file asked for may be the one that does not load
    if not have:
        ids = {i for i, _ in found}
        raise InputError(where, f"unknown questionnaire '{name}'{did_you_mean(name, ids)}; expected one of "
                                f"{one_of(sorted(ids))} (files in assessments/ and the built-in ones)",
                         code="unknown-assessment")
    if not version:
        return found[(name, have[-1])]
    if (name, version) not in found:
        raise InputError(where, f"questionnaire '{name}' has no version {version}; available: {one_of(have)}",
                         code="unknown-version")
    return found[(name, version)]
