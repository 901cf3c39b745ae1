"""Scaffolding: a new project (``cxsite init``), engagement and questionnaire (``cxsite new``).

Every file written here passes ``cxsite validate`` as it is, and is
checked so before the command reports success: an engagement or a
questionnaire is read back through the loader, and removed again if it
does not load. Nothing that exists is overwritten: files are created with
``open(..., "x")``, so a refusal cannot race with another writer.

Every YAML file written starts with a ``# yaml-language-server: $schema=``
line naming, by a relative path, the JSON Schema that ``init`` (and
``new``, in a project made before) keeps in ``.cxsite/schemas/``: an editor
with the YAML language server then checks the file as it is typed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

from . import clock, scaffold_files
from .choices import SCHEMA_KINDS
from .errors import ErrorCollector, InputError, InputErrors, did_you_mean, display_path, one_of
from .lookup import engagement_folder
from .model import RESERVED_COLUMNS, Questionnaire
from .schema import SLUG_RE

SCHEMA_DIR = Path(".cxsite") / "schemas"
#: The file formats of ``cxsite schema KIND``.
FORMATS = SCHEMA_KINDS


def schema_document(kind: str) -> dict:
    """The JSON Schema of one file format: cxsite's own, or a project file it writes.

    Parameters
    ----------
    kind : str
        One of :data:`FORMATS`, or ``mkdocs`` / ``pre-commit-config`` (the two
        YAML files ``init`` writes that are not cxsite formats).
    """
    if kind in scaffold_files.OTHER_SCHEMAS:
        return scaffold_files.OTHER_SCHEMAS[kind]
    from .model import ACTIONS_FORMAT, ASSESSOR_RATINGS_FORMAT, ENGAGEMENT_FORMAT, NORM_FORMAT, QUESTIONNAIRE_FORMAT

    formats = {"questionnaire": QUESTIONNAIRE_FORMAT, "engagement": ENGAGEMENT_FORMAT,
               "ratings": ASSESSOR_RATINGS_FORMAT, "actions": ACTIONS_FORMAT, "benchmark": NORM_FORMAT}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"cxsite {kind}", **formats[kind].json_schema()}


def schema_text(kind: str) -> str:
    """:func:`schema_document` as the JSON text ``cxsite schema`` prints and ``init`` writes."""
    return json.dumps(schema_document(kind), indent=2) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write (or bring up to date) every schema under ``root/.cxsite/schemas/``.

    They describe the installed cxsite, so a newer version rewrites them;
    they are cxsite's files, never a user's, and only changed ones are written.

    Returns
    -------
    list of Path
        The files written.
    """
    written = []
    for kind in (*FORMATS, *scaffold_files.OTHER_SCHEMAS):
        path = root / SCHEMA_DIR / f"{kind}.json"
        text = schema_text(kind)
        try:
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(display_path(path, root), f"cannot write the schema: {exc.strerror}; "
                                                       "check the folder's permissions") from None
        written.append(path)
    return written


def modeline(path: Path, root: Path, kind: str) -> str:
    """The first line of a YAML file at ``path``: its schema, relative to the file's folder."""
    schema = os.path.relpath(root / SCHEMA_DIR / f"{kind}.json", path.parent)
    return f"# yaml-language-server: $schema={Path(schema).as_posix()}\n"


def yaml_text(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (JSON's string syntax is YAML's)."""
    # U+2028/U+2029 are line breaks to YAML though not to JSON: escape them too.
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _create(files: dict[Path, str], root: Path) -> list[Path]:
    """Create each of ``files`` (path -> text); refuse before writing any if one exists.

    A failure part-way removes what this call created, so a refused or
    failed command leaves the project as it was.
    """
    for path in files:
        if path.exists() or path.is_symlink():
            raise InputError(display_path(path, root), "already exists; cxsite never overwrites a file: "
                                                       "choose another id, or edit the file itself")
    made: list[Path] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as stream:
                made.append(path)
                stream.write(text)
    except OSError as exc:
        _remove(made)
        raise InputError(display_path(Path(exc.filename or path), root),
                         f"cannot write: {exc.strerror}; nothing was written") from None
    return made


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _check_id(value: str, what: str) -> None:
    if not SLUG_RE.match(value):
        raise InputError(value, f"is not a valid {what} id; use lowercase letters, digits, '-' and '_', "
                                "starting with a letter or digit (e.g. acme-2026-q3)")


def _require_project(root: Path) -> None:
    """``new`` adds to a project; in any other folder it would start a stray one."""
    if not (root / "assessments").is_dir():
        raise InputError(str(root), "is not a cxsite project (no assessments/ folder); run in a project "
                                    "root, pass --project DIR, or make a project with 'cxsite init DIR'")


# --------------------------------------------------------------------------- init

def init_project(dest: Path, name: str | None = None) -> list[Path]:
    """Write a new project into ``dest``, a new or empty folder.

    Parameters
    ----------
    dest : Path
        The project folder; created if missing, refused if it holds anything.
    name : str, optional
        The site's name (``site_name``); by default from the folder's name.

    Returns
    -------
    list of Path
        Every file written.
    """
    shown = str(dest)
    if dest.exists() and not dest.is_dir():
        raise InputError(shown, "is a file; cxsite init needs a new or empty folder")
    if dest.is_dir() and any(dest.iterdir()):
        raise InputError(shown, "is not empty; cxsite init writes a project only into a new or empty "
                                "folder, so that nothing is overwritten: name another folder")
    made_dir = not dest.exists()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        root = dest.resolve()
        site_name = name or dest.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() \
            or "Assessment reports"
        files = scaffold_files.project_files(root, site_name, modeline)
        written = _create(files, root)
        written += write_schemas(root)
    except OSError as exc:
        raise InputError(shown, f"cannot create the project: {exc.strerror}") from None
    except BaseException:
        if made_dir:
            shutil.rmtree(dest, ignore_errors=True)
        raise
    return written


# --------------------------------------------------------------------------- questionnaires

def _questionnaire_files(root: Path) -> list[Path]:
    from .load import find_questionnaire_files
    from .resources import package_folder

    own = find_questionnaire_files(root)
    # The built-in library is read after the project's own (issue 13, item 2).
    builtin = package_folder("assessments")
    extra = sorted(builtin.rglob("*.yml")) if builtin.is_dir() and builtin != root / "assessments" else []
    return own + extra


def find_questionnaire(root: Path, ref: str) -> Questionnaire:
    """The questionnaire ``ref`` names (``id`` for the newest version, or ``id@1.2.0``).

    The project's ``assessments/`` come first, then the built-in library.
    A file with problems is reported with them; others are not read.
    """
    from .load import parse_assessment_ref
    from .questionnaires import load_questionnaire, questionnaire_id_of

    name, version = parse_assessment_ref(ref)
    files = _questionnaire_files(root)
    errors = ErrorCollector()
    found = [q for p in files if questionnaire_id_of(p) == name
             if (q := load_questionnaire(p, root, errors)) is not None]
    matching = [q for q in found if version is None or q.version == version]
    if matching:
        return max(matching, key=lambda q: q.key)
    errors.raise_if_any()  # the file of that id does not load: its problems say why
    if found:
        raise InputError("--assessment", f"questionnaire '{name}' has no version {version}; "
                                         f"available: {one_of(sorted(q.version for q in found))}")
    known = sorted({i for p in files if (i := questionnaire_id_of(p))})
    raise InputError("--assessment", f"unknown assessment '{name}'{did_you_mean(name, known)}; expected one of "
                                     f"{one_of(known) or 'none: there is no questionnaire in assessments/'}"
                                     " (add one with 'cxsite new questionnaire ID')")


def new_questionnaire(root: Path, qid: str, title: str | None = None) -> list[Path]:
    """Write ``assessments/<qid>.yml``, a skeleton questionnaire that validates.

    Refused when the file, or another questionnaire of the same id, exists.
    """
    from .questionnaires import load_questionnaire, questionnaire_id_of
    from .load import find_questionnaire_files

    _require_project(root)
    _check_id(qid, "questionnaire")
    for path in find_questionnaire_files(root):
        if questionnaire_id_of(path) == qid:
            raise InputError(display_path(path, root), f"already defines questionnaire '{qid}'; "
                                                       "choose another id, or edit that file")
    path = root / "assessments" / f"{qid}.yml"
    text = modeline(path, root, "questionnaire") + scaffold_files.questionnaire_yaml(
        qid, yaml_text(title or qid.replace("-", " ").replace("_", " ").capitalize()))
    written = _create({path: text}, root)
    errors = ErrorCollector()
    if load_questionnaire(path, root, errors) is None:
        _remove(written)  # a skeleton that does not load is a bug: never leave it behind
        raise InputErrors(errors.errors or [InputError(display_path(path, root), "does not load")])
    return written + write_schemas(root)


# --------------------------------------------------------------------------- engagements

def default_wave(date) -> str:
    """The wave an engagement closing on ``date`` is in, as the examples name them: ``2026 Q3``."""
    return f"{date.year} Q{(date.month - 1) // 3 + 1}"


def response_header(q: Questionnaire, segments: list[str]) -> list[str]:
    """Exactly the columns a responses file of ``q`` needs: items, outcomes, open questions, segments."""
    return [*(i.id for i in q.items), *(o.id for o in q.outcomes), *(o.id for o in q.open_questions),
            *segments]


def _check_segments(q: Questionnaire, segments: list[str]) -> None:
    taken = set(response_header(q, [])) | set(RESERVED_COLUMNS)
    for s in segments:
        if not SLUG_RE.match(s):
            raise InputError("--segments", f"'{s}' is not a valid column name; use lowercase letters, "
                                           "digits, '-' and '_' (e.g. --segments department,region)")
        if s in taken:
            raise InputError("--segments", f"'{s}' is the name of a question column of '{q.id}'; "
                                           "a segment must be a column of its own")
    if len(set(segments)) != len(segments):
        raise InputError("--segments", "a segment is listed twice")


def new_engagement(root: Path, eid: str, assessment: str, client: str, wave: str | None = None,
                   segments: list[str] | None = None, title: str | None = None) -> list[Path]:
    """Write ``engagements/<eid>/engagement.yml`` and a header-only ``responses.csv``.

    Parameters
    ----------
    root : Path
        The project root.
    eid : str
        The engagement's id, its folder's name.
    assessment : str
        The questionnaire, ``id`` or ``id@version``; written pinned to the version found.
    client : str
        The client's name.
    wave : str, optional
        By default the quarter of today's date (:mod:`cxsite.clock`).
    segments : list of str, optional
        Response columns to break the results down by.
    title : str, optional
        By default the questionnaire's title.

    Returns
    -------
    list of Path
        The files written. Both are read back through the loader; on any
        problem they are removed and the problem raised.
    """
    _require_project(root)
    _check_id(eid, "engagement")
    segments = list(segments or [])
    for what, value in (("--client", client), ("--wave", wave), ("--title", title)):
        if value is not None and (not value.strip() or any(ord(ch) < 32 for ch in value)):
            raise InputError(what, "must be text on one line, not empty")
    folder = engagement_folder(root, eid)
    if folder.exists() or folder.is_symlink():
        raise InputError(display_path(folder, root), "already exists; cxsite never overwrites an engagement: "
                                                     "choose another id")
    q = find_questionnaire(root, assessment)
    _check_segments(q, segments)
    today = clock.now().date()
    yml = folder / "engagement.yml"
    text = modeline(yml, root, "engagement") + scaffold_files.engagement_yaml(
        client=yaml_text(client.strip()), title=yaml_text((title or q.title).strip()),
        assessment=f"{q.id}@{q.version}", wave=yaml_text((wave or default_wave(today)).strip()),
        date=today.isoformat(), segments=json.dumps(segments))
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(response_header(q, segments))
    written = _create({yml: text, folder / "responses.csv": header.getvalue()}, root)
    try:
        _check_written(root, folder)
    except BaseException:
        _remove(written)
        folder.rmdir()
        raise
    return written + write_schemas(root)


def _check_written(root: Path, folder: Path) -> None:
    """Load the new engagement as ``cxsite validate`` would; raise its own problems only.

    Problems of other files are theirs to fix and are reported by validate;
    they must not stop a consultant from adding an engagement.
    """
    from .load import load_project

    try:
        load_project(root, folders=[folder])
    except InputErrors as exc:
        base = display_path(folder, root) + "/"
        mine = [e for e in exc.errors if e.where.path.startswith(base)]
        if mine:
            raise InputErrors(mine) from None
