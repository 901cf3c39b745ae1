"""Load and validate a project: questionnaires, engagements and their responses.

Every check that can fail on user input lives here or in :mod:`responses`, and
reports through an :class:`~generator.errors.ErrorCollector`, so ``cxsite
validate`` lists all problems of all files in one run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ErrorCollector, InputError, InputErrors, Location, did_you_mean, one_of
from .model import (
    LOGO_TYPES, ENGAGEMENT_FORMAT, QUALITY_FORMAT, QUESTIONNAIRE_FORMAT, Band, Dimension, Engagement, Item,
    MAX_SCALE_SPAN, OpenQuestion, Questionnaire, Scale,
)
from .schema import INVALID, SLUG_RE, check_document
from .yamlsafe import Doc, load_yaml

if TYPE_CHECKING:
    from .cache import Cache

NPS_POINTS = range(0, 11)
RESERVED_COLUMNS = ("respondent_id",)


@dataclass
class Project:
    root: Path
    questionnaires: dict[tuple[str, str], Questionnaire] = field(default_factory=dict)
    engagements: dict[str, Engagement] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # ids of questionnaires that failed to load
    filtered: bool = False  # only some engagements were kept (one client's site)

    def latest(self, assessment_id: str) -> Questionnaire | None:
        versions = [q for (i, _), q in self.questionnaires.items() if i == assessment_id]
        return max(versions, key=lambda q: q.key) if versions else None

    def clients(self) -> list[str]:
        return sorted({e.client for e in self.engagements.values()})


def display_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- questionnaires

def questionnaire_id_of(path: Path) -> str | None:
    """The id a questionnaire file declares, read leniently, for follow-up messages."""
    try:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"^id:\s*['\"]?([a-z0-9][a-z0-9_-]*)", line)
            if match:
                return match.group(1)
    except OSError:
        pass
    return None


# Questionnaires that loaded without a problem, by path and content: a
# portfolio worker builds many clients from the same few questionnaires, and
# parsing one costs more than a client's engagement files. Frozen objects, so
# sharing them is safe; a changed file has another key.
_LOADED: dict[tuple[str, str, bytes], Questionnaire] = {}


def load_questionnaire(path: Path, root: Path, errors: ErrorCollector) -> Questionnaire | None:
    """Load one questionnaire file; problems go to ``errors``, ``None`` if unusable."""
    display = display_path(path, root)
    try:
        key = (str(path.resolve()), display, hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        key = None
    if key in _LOADED:
        return _LOADED[key]
    try:
        doc = load_yaml(path, display)
    except InputError as exc:
        errors.extend([exc])
        return None
    before = len(errors.errors)
    raw = check_document(QUESTIONNAIRE_FORMAT, doc, errors)
    if raw is INVALID:
        return None
    q = _build_questionnaire(raw, doc, errors)
    if len(errors.errors) > before or q is None:
        return None
    q = dataclasses.replace(q, path_abs=str(path.resolve()))
    if key is not None and len(_LOADED) < 64:
        _LOADED[key] = q
    return q


def _ok(*values) -> bool:
    return all(v is not INVALID for v in values)


def _build_scale(sid: str, raw: dict, doc: Doc, errors: ErrorCollector) -> Scale | None:
    if not isinstance(raw, dict) or not _ok(*raw.values()):
        return None
    at = ("scales", sid)
    points = dict(sorted(raw["points"].items()))
    kind = raw["kind"]
    if kind == "nps":
        off = [p for p in points if p not in NPS_POINTS]
        if off:
            errors.add(doc.at(at + ("points", off[0]), key=True),
                       f"an nps scale runs from 0 to 10; point {off[0]} is outside it")
            return None
        points = {p: points.get(p, str(p)) for p in NPS_POINTS}
        fav_default, unfav_default = [9, 10], list(range(0, 7))
    else:
        lo, hi = min(points), max(points)
        gaps = [p for p in range(lo, hi + 1) if p not in points]
        if gaps:
            errors.add(doc.at(at + ("points",)),
                       f"scale '{sid}' skips point {gaps[0]}; label every whole number "
                       f"from {lo} to {hi} (or use kind: nps for a 0-10 scale)")
            return None
        if hi - lo > MAX_SCALE_SPAN:
            # Answers are stored one byte each (see model.Responses); no rating scale comes close.
            errors.add(doc.at(at + ("points",)),
                       f"scale '{sid}' runs from {lo} to {hi}, {hi - lo + 1} points; a scale has at most "
                       f"{MAX_SCALE_SPAN + 1} (such as 0-100)")
            return None
        ordered = sorted(points)
        fav_default, unfav_default = ordered[-2:], ordered[:2]
    fav = raw["favorable"] if raw["favorable"] is not None else fav_default
    unfav = raw["unfavorable"] if raw["unfavorable"] is not None else unfav_default
    ok = True
    for key, chosen in (("favorable", fav), ("unfavorable", unfav)):
        for i, p in enumerate(chosen):
            if p not in points:
                errors.add(doc.at(at + (key, i)),
                           f"{key} point {p} is not on scale '{sid}' "
                           f"(points {min(points)} to {max(points)})")
                ok = False
    both = sorted(set(fav) & set(unfav))
    if both:
        errors.add(doc.at(at + ("unfavorable",)),
                   f"point {both[0]} is both favorable and unfavorable on scale '{sid}'")
        ok = False
    labels = {v.casefold() for v in points.values()}
    for i, na in enumerate(raw["not_applicable"]):
        if na.casefold() in labels:
            errors.add(doc.at(at + ("not_applicable", i)),
                       f"not-applicable answer '{na}' is also a point label on scale '{sid}'")
            ok = False
    if not ok:
        return None
    return Scale(sid, kind, points, frozenset(fav), frozenset(unfav), tuple(raw["not_applicable"]))


def _build_questionnaire(raw: dict, doc: Doc, errors: ErrorCollector) -> Questionnaire | None:
    scales = {}
    for sid, sraw in (raw["scales"] or {}).items() if isinstance(raw["scales"], dict) else []:
        scale = _build_scale(sid, sraw, doc, errors)
        if scale:
            scales[sid] = scale

    bands: list[Band] = []
    band_raw = raw["bands"] if isinstance(raw["bands"], list) else []
    for i, b in enumerate(band_raw):
        if not isinstance(b, dict) or not _ok(*b.values()):
            continue
        if i == 0 and b["min"] != 0:
            errors.add(doc.at(("bands", 0, "min")), f"the first band must start at 0, not {b['min']}")
        if bands and b["min"] <= bands[-1].min:
            errors.add(doc.at(("bands", i, "min")),
                       f"bands must be in ascending order of min: {b['min']:g} follows {bands[-1].min:g}; "
                       "list bands from the lowest score up")
        if any(x.id == b["id"] for x in bands):
            errors.add(doc.at(("bands", i, "id")), f"duplicate band id '{b['id']}'")
        bands.append(Band(b["id"], b["min"], b["label"], b["summary"]))
    band_ids = [b.id for b in bands]

    seen: dict[str, tuple] = {}

    def claim(kind: str, ident: str, path: tuple) -> None:
        if ident in seen:
            first = doc.at(seen[ident])
            errors.add(doc.at(path), f"duplicate {kind} id '{ident}' (first used at line {first.line}); "
                                     "ids must be unique in a questionnaire")
        else:
            seen[ident] = path

    def scale_of(ref, path: tuple) -> Scale | None:
        if ref is INVALID:
            return None
        if ref not in scales:
            if isinstance(raw["scales"], dict) and ref in raw["scales"]:
                return None  # the scale itself is broken and already reported
            errors.add(doc.at(path), f"unknown scale '{ref}'{did_you_mean(ref, scales)}; "
                                     f"expected one of {one_of(sorted(scales))}")
            return None
        return scales[ref]

    def item_of(r: dict, path: tuple) -> Item | None:
        if not isinstance(r, dict):
            return None
        if r["id"] is not INVALID:
            claim("item", r["id"], path + ("id",))
        scale = scale_of(r["scale"], path + ("scale",))
        if scale is None or not _ok(*r.values()):
            return None
        return Item(r["id"], r["text"], scale, bool(r.get("reverse")), r.get("customer_text"))

    dimensions = []
    dim_raw = raw["dimensions"] if isinstance(raw["dimensions"], list) else []
    dim_ids: dict[str, int] = {}
    for di, d in enumerate(dim_raw):
        if not isinstance(d, dict):
            continue
        at = ("dimensions", di)
        if d["id"] is not INVALID:
            if d["id"] in dim_ids:
                errors.add(doc.at(at + ("id",)), f"duplicate dimension id '{d['id']}'")
            dim_ids[d["id"]] = di
        items = [item_of(r, at + ("items", ii)) for ii, r in enumerate(d["items"] or [])
                 ] if isinstance(d["items"], list) else []
        good = [i for i in items if i]
        scale_ids = sorted({i.scale.id for i in good})
        if len(scale_ids) > 1:
            errors.add(doc.at(at + ("items",)),
                       f"dimension '{d['id']}' mixes scales {one_of(scale_ids)}; all items of a "
                       "dimension must share one scale so their answers can be averaged")
        for key in ("narratives", "actions"):
            if isinstance(d[key], dict):
                for band_id in d[key]:
                    if band_id not in band_ids and bands:
                        errors.add(doc.at(at + (key, band_id), key=True),
                                   f"'{band_id}' is not a band id{did_you_mean(band_id, band_ids)}; "
                                   f"expected one of {one_of(band_ids)}")
        if _ok(*d.values()) and len(good) == len(items):
            dimensions.append(Dimension(
                d["id"], d["title"], d["description"], d["weight"], tuple(good),
                dict(d["narratives"]), {k: tuple(v) for k, v in d["actions"].items()},
            ))
    if dimensions and sum(d.weight for d in dimensions) <= 0:
        errors.add(doc.at(("dimensions",)), "dimension weights add up to 0; give at least one a weight above 0")

    outcomes = []
    for oi, o in enumerate(raw["outcomes"] if isinstance(raw["outcomes"], list) else []):
        item = item_of(o, ("outcomes", oi))
        if item:
            outcomes.append(item)
    opens = []
    for oi, o in enumerate(raw["open_questions"] if isinstance(raw["open_questions"], list) else []):
        if not isinstance(o, dict):
            continue
        if o["id"] is not INVALID:
            claim("open question", o["id"], ("open_questions", oi, "id"))
        if _ok(*o.values()):
            opens.append(OpenQuestion(o["id"], o["text"], o.get("customer_text")))
    for column in RESERVED_COLUMNS:
        if column in seen:
            errors.add(doc.at(seen[column]), f"'{column}' is reserved for the respondent column; rename it")
    if not _ok(raw["id"], raw["version"], raw["title"], raw["summary"], raw["audience"]):
        return None
    return Questionnaire(
        raw["id"], raw["version"], raw["title"], raw["summary"], raw["audience"], scales,
        tuple(bands), tuple(dimensions), tuple(outcomes), tuple(opens), path=doc.file,
    )


# --------------------------------------------------------------------------- engagements

def parse_assessment_ref(ref: str) -> tuple[str, str | None]:
    name, _, version = ref.partition("@")
    return name.strip(), (version.strip() or None)


def load_engagement(folder: Path, project: Project, errors: ErrorCollector) -> Engagement | None:
    root = project.root
    path = folder / "engagement.yml"
    display = display_path(path, root)
    eid = folder.name
    if not SLUG_RE.match(eid):
        errors.add(Location(display_path(folder, root)),
                   f"engagement folder name '{eid}' is not a valid id; use lowercase letters, digits and '-'")
        return None
    real_root = root.resolve()
    if not folder.resolve().is_relative_to(real_root):
        errors.add(Location(display_path(folder, root)),
                   "engagement folder is a link to a place outside the project; copy the data in instead")
        return None
    try:
        doc = load_yaml(path, display)
    except InputError as exc:
        errors.extend([exc])
        return None
    before = len(errors.errors)
    raw = check_document(ENGAGEMENT_FORMAT, doc, errors)
    if raw is INVALID or len(errors.errors) > before:
        return None
    name, version = parse_assessment_ref(raw["assessment"])
    available = sorted({i for i, _ in project.questionnaires})
    questionnaire = None
    if version is None:
        questionnaire = project.latest(name)
    else:
        questionnaire = project.questionnaires.get((name, version))
    if questionnaire is None:
        if any(i == name for i in available):
            have = sorted(v for i, v in project.questionnaires if i == name)
            errors.add(doc.at(("assessment",)),
                       f"questionnaire '{name}' has no version {version}; available: {one_of(have)}")
        elif name in project.broken:
            errors.add(doc.at(("assessment",)),
                       f"questionnaire '{name}' has errors (listed with its file); fix them first")
        else:
            errors.add(doc.at(("assessment",)),
                       f"unknown assessment '{name}'{did_you_mean(name, available)}; "
                       f"expected one of {one_of(available)} (files in assessments/)")
        return None
    responses_file = raw["responses"]
    target = (folder / responses_file)
    if Path(responses_file).is_absolute() or ".." in Path(responses_file).parts:
        errors.add(doc.at(("responses",)),
                   f"responses must name a file inside the engagement folder, not '{responses_file}'")
        return None
    if target.exists() and not target.resolve().is_relative_to(real_root):
        errors.add(doc.at(("responses",)),
                   f"'{responses_file}' links to a place outside the project; copy the file in instead")
        return None
    item_ids = {i.id for i in questionnaire.items} | {o.id for o in questionnaire.outcomes} \
        | {o.id for o in questionnaire.open_questions}
    for si, seg in enumerate(raw["segments"]):
        if seg in item_ids or seg in RESERVED_COLUMNS:
            errors.add(doc.at(("segments", si)),
                       f"segment '{seg}' has the name of a question column; segments must be other columns")
    for header, target in raw["columns"].items():
        if target not in item_ids and target not in raw["segments"] and target not in RESERVED_COLUMNS:
            errors.add(doc.at(("columns", header)),
                       f"column '{header}' is mapped to '{target}', which is no question of "
                       f"'{name}' nor a segment{did_you_mean(target, item_ids | set(raw['segments']))}")
    if len(set(raw["segments"])) != len(raw["segments"]):
        errors.add(doc.at(("segments",)), "a segment is listed twice")
    logo = None
    brand = raw["brand"] or {}
    if brand.get("logo"):
        logo = folder / brand["logo"]
        where = doc.at(("brand", "logo"))
        if Path(brand["logo"]).is_absolute() or ".." in Path(brand["logo"]).parts:
            errors.add(where, "logo must name a file inside the engagement folder")
            logo = None
        elif logo.suffix.lower() not in LOGO_TYPES:
            errors.add(where, f"logo must be an image ({', '.join(LOGO_TYPES)}), not '{logo.name}'")
            logo = None
        elif not logo.is_file():
            errors.add(where, f"logo file '{brand['logo']}' not found in the engagement folder")
            logo = None
        elif not logo.resolve().is_relative_to(real_root):
            errors.add(where, "logo links to a place outside the project; copy the file in instead")
            logo = None
        elif logo.stat().st_size > 2 * 1024 * 1024:
            errors.add(where, "logo is over 2 MB; use a smaller image")
            logo = None
    if raw["previous"] == eid:
        errors.add(doc.at(("previous",)), "an engagement cannot be its own previous wave")
    return Engagement(
        id=eid, folder=folder, path=display, client=raw["client"], title=raw["title"],
        assessment_id=name, assessment_version=version, wave=raw["wave"], date=raw["date"],
        responses_file=responses_file, invited=raw["invited"], segments=tuple(raw["segments"]),
        min_group_size=raw["min_group_size"],
        min_group_size_comments=raw["min_group_size_comments"] or raw["min_group_size"],
        previous=raw["previous"], questionnaire=questionnaire,
        previous_at=doc.at(("previous",)), logo=logo, color=brand.get("color"),
        columns=dict(raw["columns"]), quality=raw["quality"] or QUALITY_FORMAT.check({}, (), None),
    )


def check_previous_links(project: Project, errors: ErrorCollector) -> None:
    """``previous`` must name an earlier engagement of the same client, without cycles."""
    for eid, e in sorted(project.engagements.items()):
        if not e.previous or e.previous == eid:
            continue  # no link, or a self-link, already reported where it was read
        where = e.previous_at or Location(e.path)
        prev = project.engagements.get(e.previous)
        if prev is None:
            errors.add(where, f"previous engagement '{e.previous}' not found"
                              f"{did_you_mean(e.previous, project.engagements)}; "
                              "expected the folder name of an engagement in engagements/")
            continue
        if prev.client != e.client:
            errors.add(where, f"previous engagement '{e.previous}' belongs to client "
                              f"'{prev.client}', not '{e.client}'")
        seen, cur = {eid}, prev
        while cur is not None and cur.previous:
            if cur.previous in seen or cur.previous == eid:
                errors.add(where, f"'previous' links form a cycle through '{cur.id}'; "
                                  "each wave must point to an earlier one")
                break
            seen.add(cur.id)
            cur = project.engagements.get(cur.previous)


# --------------------------------------------------------------------------- project

def find_questionnaire_files(root: Path) -> list[Path]:
    base = root / "assessments"
    return sorted(p for p in base.rglob("*.yml") if p.is_file()) if base.is_dir() else []


def find_engagement_folders(root: Path) -> list[Path]:
    base = root / "engagements"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if (p / "engagement.yml").is_file())


def slugify(text: str) -> str:
    """A client name as a folder name: ``"Acme Ltd." -> "acme-ltd"``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "client"


def load_project(root: Path, only: list[str] | None = None, responses: bool = True,
                 client: str | None = None, cache: "Cache | None" = None,
                 folders: list[Path] | None = None) -> Project:
    """Load every questionnaire and engagement (or the engagements in ``only``,
    or those of one ``client``, given by name or slug, or in ``folders``).

    ``folders`` spares a portfolio build from reading every engagement of the
    practice for each client: the caller has validated the whole once, and
    names the folders of one client (previous waves included).

    With a ``cache``, an engagement whose inputs were scored before is not
    read again: its cached results are attached instead (``e.cached``).

    Raises :class:`InputErrors` listing every problem found.
    """
    from .responses import load_responses

    root = root.resolve()
    project = Project(root)
    errors = ErrorCollector()
    if not (root / "assessments").is_dir():
        raise InputErrors([InputError(str(root), "no assessments/ folder here; run in a project root "
                                                 "or pass --project DIR")])
    for path in find_questionnaire_files(root):
        q = load_questionnaire(path, root, errors)
        if q is None:
            project.broken.add(questionnaire_id_of(path) or path.stem)
            continue
        if q.key in {x.key for x in project.questionnaires.values()}:
            other = project.questionnaires[(q.id, q.version)]
            errors.add(Location(q.path, 1, 1),
                       f"questionnaire '{q.id}' version {q.version} is also defined in {other.path}")
            continue
        project.questionnaires[(q.id, q.version)] = q
    if folders is None:
        folders = find_engagement_folders(root)
    else:
        project.filtered = True
    for folder in folders:
        e = load_engagement(folder, project, errors)
        if e:
            project.engagements[e.id] = e
    check_previous_links(project, errors)
    if client is not None and not errors:
        names = {e.client for e in project.engagements.values()}
        match = [n for n in names if client in (n, slugify(n))]
        if not match:
            raise InputErrors([InputError("--client", f"no engagement has client '{client}'"
                                          f"{did_you_mean(client, names)}; clients: {one_of(sorted(names))}")])
        project.engagements = {k: v for k, v in project.engagements.items() if v.client in match}
        project.filtered = True
    if only and not errors:
        keep = {select_engagement(project, name, root) for name in only}
        keep |= {p for k in keep for p in _previous_chain(project, k)}
        project.engagements = {k: v for k, v in project.engagements.items() if k in keep}
        project.filtered = True
    if responses:
        for e in project.engagements.values():
            if cache is not None:
                from .cache import key_for

                e.cache_key = key_for(e)
                e.cached = cache.get(e.cache_key)
                if e.cached is not None:
                    continue
            try:
                e.responses = load_responses(e, root)
            except InputErrors as exc:
                errors.extend(exc.errors)
            except InputError as exc:
                errors.extend([exc])
    errors.raise_if_any()
    return project


def _previous_chain(project: Project, eid: str) -> list[str]:
    chain, cur = [], project.engagements.get(eid)
    while cur and cur.previous and cur.previous not in chain and cur.previous in project.engagements:
        chain.append(cur.previous)
        cur = project.engagements[cur.previous]
    return chain


def select_engagement(project: Project, name: str, root: Path) -> str:
    """Resolve an engagement given as its id or its folder."""
    candidate = Path(name)
    if candidate.exists() and candidate.is_dir():
        name = candidate.resolve().name
    if name not in project.engagements:
        raise InputErrors([InputError(
            name, f"no engagement '{name}'{did_you_mean(name, project.engagements)}; "
                  f"expected one of {one_of(sorted(project.engagements))}")])
    return name
