"""Load and validate a project: questionnaires, engagements and their responses.

Every check that can fail on user input lives here, in :mod:`questionnaires` or in
:mod:`responses`, and reports through an :class:`~cxsite.errors.ErrorCollector`, so
``cxsite validate`` lists all problems of all files in one run.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import (
    ErrorCollector, InputError, InputErrors, InternalError, Location, did_you_mean, display_path, one_of,
)
from .hierarchy import specs
from .images import check_logo
from .loop import check_loop_files
from .limits import MAX_LOGO_BYTES, MB
from .links import audience_fields, check_links, linked_ids
from .model import (
    ENGAGEMENT_FORMAT, LOGO_TYPES, QUALITY_FORMAT, RESERVED_COLUMNS, Engagement, Questionnaire,
)
from .places import slugify
from .questionnaires import load_questionnaire, questionnaire_id_of
from .resources import missing_packaged, package_folder
from .schema import SLUG_RE, read_document
from .translations import in_language

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass
class Project:
    root: Path
    questionnaires: dict[tuple[str, str], Questionnaire] = field(default_factory=dict)
    engagements: dict[str, Engagement] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # ids of questionnaires that failed to load
    filtered: bool = False  # only some engagements were kept (one client's site)
    # Where each engagement's 'previous', 'invited' and 'benchmark' were written, for the later checks' messages.
    written_at: dict[str, dict[str, Location]] = field(default_factory=dict)

    def latest(self, assessment_id: str) -> Questionnaire | None:
        versions = [q for (i, _), q in self.questionnaires.items() if i == assessment_id]
        return max(versions, key=lambda q: q.key) if versions else None

    def clients(self) -> list[str]:
        return sorted({e.client for e in self.engagements.values()})

    def awaiting(self) -> list[Engagement]:
        """The engagements whose responses file holds its header row only (none are in yet)."""
        return [e for _, e in sorted(self.engagements.items()) if e.responses is not None and not len(e.responses)]


# --------------------------------------------------------------------------- engagements

def parse_assessment_ref(ref: str) -> tuple[str, str | None]:
    name, _, version = ref.partition("@")
    return name.strip(), (version.strip() or None)


NAME_MAX = 255  # bytes in one file or folder name on the file systems cxsite runs on


def usable_file_name(name: str, where: Location, errors: ErrorCollector) -> bool:
    """Whether ``name`` can be a file name at all; a located error when it cannot.

    A longer name makes the operating system refuse even to look for the
    file (ENAMETOOLONG), which is the user's input, not cxsite failing.
    """
    parts = Path(name).parts
    if not parts or any(len(p.encode("utf-8", "surrogatepass")) > NAME_MAX for p in parts) or "\0" in name:
        errors.add(where, f"'{name[:40]}…' cannot be a file name (empty, over {NAME_MAX} bytes, or holding "
                          "a NUL); name the file in the engagement folder")
        return False
    return True


def _own_folder(folder: Path, root: Path, errors: ErrorCollector) -> Path | None:
    """The engagement folder, resolved, if it and its engagement.yml are its own (not links elsewhere).

    A link to another engagement's folder, or an engagement.yml or
    import-quality.json linked from one, would publish that client's data
    as this one's.
    """
    path = folder / "engagement.yml"
    display = display_path(path, root)
    eid = folder.name
    real_root = root.resolve()
    real = folder.resolve()
    if not real.is_relative_to(real_root):
        errors.add(Location(display_path(folder, root)),
                   "engagement folder is a link to a place outside the project; copy the data in instead")
        return None
    if real != (root / "engagements").resolve() / eid:
        errors.add(Location(display_path(folder, root)),
                   f"engagement folder is a link to {display_path(real, real_root)}; "
                   "each engagement needs a folder of its own, copy the data in instead")
        return None
    if not _stays_in(path, real):
        errors.add(Location(display), "engagement.yml links outside this engagement's folder; "
                                      "copy the file in instead")
        return None
    quality = folder / "import-quality.json"
    if (quality.exists() or quality.is_symlink()) and not _stays_in(quality, real):
        errors.add(Location(display_path(quality, root)),
                   "links outside this engagement's folder; remove the link (cxsite import writes this file)")
    return real


def load_engagement(folder: Path, project: Project, errors: ErrorCollector) -> Engagement | None:
    """One engagement folder, checked against the questionnaire it names; None when it cannot be used.

    Every problem found is added to ``errors``; the ones that make the rest
    meaningless (no readable engagement.yml, an unknown questionnaire, a
    responses file outside the folder) stop the checks there.
    """
    read = _read_engagement_file(folder, project.root, errors)
    if read is None:
        return None
    doc, raw, real = read
    name, version = parse_assessment_ref(raw["assessment"])
    questionnaire = in_language(_find_questionnaire(project, name, version, doc.at(("assessment",)), errors),
                                raw["language"], doc, project.root, errors)  # language: its catalogue's texts
    if questionnaire is None or not _own_file_ok(raw["responses"], ("responses",), folder, real, doc, errors):
        return None
    _check_columns(raw, doc, questionnaire, name, errors)
    brand = raw["brand"] or {}
    logo = _checked_logo(brand.get("logo"), folder, real, doc, project.root, errors)
    if raw["previous"] == folder.name:
        errors.add(doc.at(("previous",)), "an engagement cannot be its own previous wave")
    project.written_at[folder.name] = {key: doc.at((key,)) for key in ("previous", "invited", "benchmark", "mirror",
                                                                    "assessor")}
    return Engagement(
        id=folder.name, folder=folder, path=display_path(folder / "engagement.yml", project.root),
        client=raw["client"], title=raw["title"], assessment_id=name, assessment_version=version, wave=raw["wave"], date=raw["date"],
        responses_file=raw["responses"], invited=raw["invited"], segments=tuple(raw["segments"]),
        previous=raw["previous"], benchmark=raw["benchmark"], norms=raw["norms"], language=raw["language"],
        **audience_fields(raw, doc, questionnaire, errors),  # thresholds, wording, links
        logo=logo, color=brand.get("color"),
        columns=dict(raw["columns"]), quality=raw["quality"] or QUALITY_FORMAT.check({}, (), None),
        **specs(raw, doc, questionnaire, folder, errors, lambda name, key: _own_file_ok(name, key, folder, real, doc, errors)),
    )


def _read_engagement_file(folder: Path, root: Path, errors: ErrorCollector):
    """``(document, values, resolved folder)`` of a valid id's own, well-formed engagement.yml, or None."""
    eid = folder.name
    if not SLUG_RE.match(eid):
        errors.add(Location(display_path(folder, root)),
                   f"engagement folder name '{eid}' is not a valid id; use lowercase letters, digits and '-'")
        return None
    real = _own_folder(folder, root, errors)
    if real is None:
        return None
    path = folder / "engagement.yml"
    before = len(errors.errors)
    read = read_document(path, display_path(path, root), ENGAGEMENT_FORMAT, errors)
    if read is None or len(errors.errors) > before:
        return None
    return (*read, real)


def _own_file_ok(name: str, key: tuple, folder: Path, real: Path, doc, errors: ErrorCollector) -> bool:
    """Whether ``name`` (at ``key``: ``responses``, a hierarchy's ``file``) is a usable file inside the
    engagement's own folder (reported if not)."""
    where, what = doc.at(key), ".".join(key)
    if Path(name).is_absolute() or ".." in Path(name).parts:
        errors.add(where, f"{what} must name a file inside the engagement folder, not '{name}'")
        return False
    if not usable_file_name(name, where, errors):
        return False
    target = folder / name
    if target.exists() and not _stays_in(target, real):
        errors.add(where, f"'{name}' links outside this engagement's folder; copy the file in instead")
        return False
    return True


def _check_columns(raw: dict, doc, questionnaire: Questionnaire, name: str, errors: ErrorCollector) -> None:
    """Segments and mapped columns must not clash with, or point past, the questionnaire's columns."""
    item_ids = {i.id for i in questionnaire.items} | {o.id for o in questionnaire.outcomes} \
        | {o.id for o in questionnaire.open_questions}
    for si, seg in enumerate(raw["segments"]):
        if seg in item_ids or seg in RESERVED_COLUMNS:
            errors.add(doc.at(("segments", si)),
                       f"segment '{seg}' has the name of a question column; segments must be other columns")
    allowed = item_ids | set(raw["segments"]) | set(RESERVED_COLUMNS) | {"ignore"}  # ignore: importers.columns.IGNORE
    for header, target in raw["columns"].items():
        if target not in allowed:
            errors.add(doc.at(("columns", header)),
                       f"column '{header}' is mapped to '{target}', which is no question of "
                       f"'{name}', no segment, nor 'ignore' (to leave the column out)"
                       f"{did_you_mean(target, item_ids | set(raw['segments']) | {'ignore'})}")
    if len(set(raw["segments"])) != len(raw["segments"]):
        errors.add(doc.at(("segments",)), "a segment is listed twice")


def _checked_logo(name: str | None, folder: Path, real: Path, doc, root: Path,
                  errors: ErrorCollector) -> Path | None:
    """The ``brand.logo`` file, if it is a safe image of at most 2 MB in the engagement's folder (reported if not)."""
    if not name:
        return None
    logo = folder / name
    where = doc.at(("brand", "logo"))
    if Path(name).is_absolute() or ".." in Path(name).parts:
        errors.add(where, "logo must name a file inside the engagement folder")
    elif not usable_file_name(name, where, errors):
        pass
    elif logo.suffix.lower() not in LOGO_TYPES:
        errors.add(where, f"logo must be an image ({', '.join(LOGO_TYPES)}), not '{logo.name}'")
    elif not logo.is_file():
        errors.add(where, f"logo file '{name}' not found in the engagement folder")
    elif not _stays_in(logo, real):
        errors.add(where, f"'{name}' links outside this engagement's folder; copy the file in instead")
    elif logo.stat().st_size > MAX_LOGO_BYTES:
        errors.add(where, f"logo is over {MAX_LOGO_BYTES // MB} MB; use a smaller image")
    elif check_logo(logo, where, display_path(logo, root), errors):  # else it could run code (images.py)
        return logo
    return None


def _find_questionnaire(project: Project, name: str, version: str | None, where: Location,
                        errors: ErrorCollector) -> Questionnaire | None:
    """The questionnaire an engagement's ``assessment: NAME[@VERSION]`` names, or ``None`` (reported)."""
    questionnaire = project.latest(name) if version is None else project.questionnaires.get((name, version))
    if questionnaire is not None:
        return questionnaire
    if any(i == name for i, _ in project.questionnaires):
        have = sorted(v for i, v in project.questionnaires if i == name)
        errors.add(where, f"questionnaire '{name}' has no version {version}; available: {one_of(have)}",
                   code="unknown-version")
    elif name in project.broken:
        errors.add(where, f"questionnaire '{name}' has errors (listed with its file); fix them first",
                   code="questionnaire-broken")
    else:
        errors.add(where, f"unknown assessment '{name}'{did_you_mean(name, {i for i, _ in project.questionnaires})}; "
                          f"expected {_available(project)}", code="unknown-assessment")
    return None


def _available(project: Project) -> str:
    """The questionnaires an engagement may name, the project's own and the built-in ones, for messages."""
    own = sorted({q.id for q in project.questionnaires.values() if q.source == PROJECT})
    built_in = sorted({q.id for q in project.questionnaires.values() if q.source == BUILT_IN} - set(own))
    parts = [f"one of {one_of(own)} (files in assessments/)"] if own else []
    if built_in:
        parts.append(f"{'' if own else 'one of '}the built-in {one_of(built_in)}")
    return " or ".join(parts) or "a questionnaire in assessments/"


def _stays_in(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, is inside ``folder`` (resolved): the one engagement it belongs to."""
    return path.resolve().is_relative_to(folder)


def check_previous_links(project: Project, errors: ErrorCollector) -> None:
    """``previous`` must name an earlier engagement of the same client, without cycles."""
    for eid, e in sorted(project.engagements.items()):
        if not e.previous or e.previous == eid:
            continue  # no link, or a self-link, already reported where it was read
        where = project.written_at.get(eid, {}).get("previous") or Location(e.path)
        prev = project.engagements.get(e.previous)
        if prev is None:
            errors.add(where, f"previous engagement '{e.previous}' not found"
                              f"{did_you_mean(e.previous, project.engagements)}; "
                              "expected the folder name of an engagement in engagements/")
            continue
        if prev.client != e.client:
            errors.add(where, f"previous engagement '{e.previous}' belongs to client "
                              f"'{prev.client}', not '{e.client}'")
        if prev.date >= e.date:
            # Trends read "since the previous wave": a later one would point every change the wrong way.
            errors.add(where, f"previous engagement '{e.previous}' closed on {prev.date.isoformat()}, "
                              f"{'the same day as' if prev.date == e.date else 'after'} this one "
                              f"({e.date.isoformat()}); 'previous' must name an earlier wave")
        seen, cur = {eid}, prev
        while cur is not None and cur.previous:
            if cur.previous in seen or cur.previous == eid:
                errors.add(where, f"'previous' links form a cycle through '{cur.id}'; "
                                  "each wave must point to an earlier one")
                break
            seen.add(cur.id)
            cur = project.engagements.get(cur.previous)


def check_invited(e: Engagement, where: Location | None, errors: ErrorCollector) -> None:
    """``invited`` must be at least the usable respondents, or the response rate is over 100 %.

    Parameters
    ----------
    e : Engagement
        Loaded with its responses (otherwise nothing is checked).
    where : Location or None
        Where ``invited`` was written (:attr:`Project.written_at`); the engagement file if unknown.
    errors : ErrorCollector
        Gets the problem, if any.
    """
    from .score import usable_rows

    if e.invited is None or e.responses is None:
        return
    usable = int(usable_rows(e.responses).sum())
    if usable > e.invited:
        errors.add(where or Location(e.path),
                   f"invited: {e.invited} is fewer than the {usable} usable respondents in "
                   f"{e.responses.path} (a response rate of {100 * usable / e.invited:.0f}%); "
                   f"give the number of people invited, at least {usable}, or leave 'invited' out")


# --------------------------------------------------------------------------- project

PROJECT, BUILT_IN = "project", "built-in"  # where a questionnaire came from (Questionnaire.source)
# What marks a project root: any one of these. A practice's project may have no
# assessments/ of its own (it uses the built-in questionnaires).
ROOT_MARKERS = ("mkdocs.yml", "engagements", "assessments")


def find_questionnaire_files(root: Path) -> list[Path]:
    """The project's own questionnaire files (``assessments/``, its archive folders included)."""
    base = root / "assessments"
    return sorted(p for p in base.rglob("*.yml") if p.is_file()) if base.is_dir() else []


def builtin_questionnaire_files() -> list[Path]:
    """The questionnaires shipped with cxsite, older versions in their archive included."""
    base = package_folder("assessments")
    if not base.is_dir():
        raise InternalError(missing_packaged(base))
    return find_questionnaire_files(base.parent)


def _load_questionnaires(project: Project, errors: ErrorCollector) -> None:
    """The project's questionnaires, then the built-in ones it does not define itself.

    A project file of the same id and version wins over the built-in one; when
    the project is cxsite's own repository its files are the built-in ones,
    and each is read once.
    """
    root = project.root
    own = find_questionnaire_files(root)
    for path in own:
        q = load_questionnaire(path, root, errors)
        if q is None:
            project.broken.add(questionnaire_id_of(path) or path.stem)
            continue
        if q.key in {x.key for x in project.questionnaires.values()}:
            other = project.questionnaires[(q.id, q.version)]
            errors.add(Location(q.path, 1, 1),
                       f"questionnaire '{q.id}' version {q.version} is also defined in {other.path}",
                       code="duplicate-questionnaire")
            continue
        project.questionnaires[(q.id, q.version)] = q
    seen = {p.resolve() for p in own}
    for path in builtin_questionnaire_files():
        if path.resolve() in seen:
            continue
        q = _load_builtin(path, root)
        project.questionnaires.setdefault((q.id, q.version), q)
    from .versions import check_versions

    check_versions(list(project.questionnaires.values()), errors)


def _load_builtin(path: Path, root: Path) -> Questionnaire:
    """One packaged questionnaire; a problem in it is cxsite's, not the user's (:class:`InternalError`)."""
    own_errors = ErrorCollector()
    q = load_questionnaire(path, root, own_errors)
    if q is None:
        first = own_errors.errors[0] if own_errors.errors else "it could not be read"
        raise InternalError(f"cxsite's built-in questionnaire {path} does not load ({first}): the "
                            "installation is damaged. Reinstall cxsite (pip install --force-reinstall "
                            "cxsite), or from a clone run 'pip install -e .' in the repository.")
    return dataclasses.replace(q, source=BUILT_IN)


def find_engagement_folders(root: Path) -> list[Path]:
    base = root / "engagements"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if (p / "engagement.yml").is_file())


def load_project(root: Path, only: list[str] | None = None, responses: bool = True,
                 client: str | None = None, known: "Callable[[Engagement], bool] | None" = None,
                 folders: list[Path] | None = None) -> Project:
    """Load every questionnaire and engagement (or the engagements in ``only``,
    or those of one ``client``, given by name or slug, or in ``folders``).

    ``folders`` spares a portfolio build from reading every engagement of the
    practice for each client: the caller has validated the whole once, and
    names the folders of one client (previous waves included).

    ``known`` (:meth:`cxsite.results.Results.known`) says which engagements
    have their results already: their responses are not read again.

    Raises :class:`InputErrors` listing every problem found.
    """
    root = root.resolve()
    _require_project_root(root)
    project = Project(root)
    errors = ErrorCollector()
    _load_questionnaires(project, errors)
    if folders is None:
        folders = find_engagement_folders(root)
    else:
        project.filtered = True
    for folder in folders:
        e = load_engagement(folder, project, errors)
        if e:
            project.engagements[e.id] = e
    check_previous_links(project, errors)
    check_loop_files(project, errors)  # action plans and benchmarks (cxsite.loop)
    check_links(project, errors)
    if not errors:
        _keep_selected(project, client, only)
    if responses:
        _read_responses(project, known, errors)
    errors.raise_if_any()
    return project


def _require_project_root(root: Path) -> None:
    """Refuse a folder with none of :data:`ROOT_MARKERS`: it is no project."""
    if not any((root / marker).exists() for marker in ROOT_MARKERS):
        raise InputErrors([InputError(str(root), "no cxsite project here (no mkdocs.yml, engagements/ or "
                                                 "assessments/); run in a project root or pass --project DIR",
                                      code="no-project")])


def _keep_selected(project: Project, client: str | None, only: list[str] | None) -> None:
    """Keep the engagements of ``client``, then those named in ``only`` and their previous waves."""
    if client is not None:
        names = {e.client for e in project.engagements.values()}
        match = _match_client(client, names)
        if not match:
            raise InputErrors([InputError("--client", f"no engagement has client '{client}'"
                                          f"{did_you_mean(client, names)}; clients: {one_of(sorted(names))}")])
        project.engagements = {k: v for k, v in project.engagements.items() if v.client in match}
        project.filtered = True
    if only:
        keep = {select_engagement(project, name) for name in only}
        keep |= {p for k in keep | linked_ids(project, keep) for p in (k, *_previous_chain(project, k))}
        project.engagements = {k: v for k, v in project.engagements.items() if k in keep}
        project.filtered = True


def _read_responses(project: Project, known: "Callable[[Engagement], bool] | None",
                    errors: ErrorCollector) -> None:
    """Read and check the responses of every kept engagement whose results are not ``known``."""
    from .responses import load_responses

    for e in project.engagements.values():
        if known is not None and known(e):
            continue
        try:
            e.responses = load_responses(e, project.root)
        except InputErrors as exc:
            errors.extend(exc.errors)
        except InputError as exc:
            errors.extend([exc])
        else:
            check_invited(e, project.written_at.get(e.id, {}).get("invited"), errors)


def _match_client(client: str, names: set[str]) -> list[str]:
    """The one client ``client`` names: exactly by name, else by slug if only one name has it.

    Two names can share a slug ("Acme Ltd", "ACME Ltd."); a slug naming both
    is refused rather than building two clients into one site.
    """
    if client in names:
        return [client]
    match = sorted(n for n in names if slugify(n) == client)
    if len(match) > 1:
        raise InputErrors([InputError("--client", f"'{client}' is the slug of {len(match)} clients: "
                                      f"{one_of(match)}; give the client's full name instead")])
    return match


def _previous_chain(project: Project, eid: str) -> list[str]:
    chain, cur = [], project.engagements.get(eid)
    while cur and cur.previous and cur.previous not in chain and cur.previous in project.engagements:
        chain.append(cur.previous)
        cur = project.engagements[cur.previous]
    return chain


def select_engagement(project: Project, name: str) -> str:
    """The id of an engagement given as its id or its folder (:func:`lookup.find_engagement`)."""
    from .lookup import find_engagement

    try:
        return find_engagement(project, name).id
    except InputError as exc:
        raise InputErrors([exc]) from None
