"""What each export column is: a question, a segment, metadata or personal data.

The order of the checks is the contract (each step only sees the columns the
earlier ones left):

1. personal data by its usual header (``Email``, ``Name``, ``IP Address``,
   location, recipient and external-reference columns): never written, and
   an explicit mapping of one is an error, so no map can leak it;
2. the engagement's ``columns:`` map or ``--columns FILE`` (header -> id, or
   ``ignore``: left out, and listed as ignored in the report);
3. a header that is exactly an id (``hp1``, ``department``, ``respondent_id``);
4. the tool's respondent id (``ResponseId``, ``Respondent ID``, ``#``, ``ID``)
   and metadata (timestamps, progress, durations, language, …) and what the
   tool derives by itself (:mod:`.toolfields`: Text iQ, timings, quiz scores,
   an Other choice's text…), dropped with their reason; a few of them feed
   the quality checks;
5. an item's, outcome's or open question's ``text`` or ``customer_text``
   found in the header once case, punctuation and spacing are ignored, which
   covers ``Grid title [statement]`` and ``Grid title - statement``;
6. personal data by wording (``What is your e-mail address?``);
7. a segment name found as a word in the header (``What is your department?``);
8. Qualtrics embedded data and Typeform hidden fields, named by the survey's
   owner (so asked after the segments), dropped as metadata.

Anything left is a question-like column that fits nothing: an error naming
the closest questions, never a guess. Two columns landing on one id is an
error too.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ErrorCollector, InputError, Location, did_you_mean
from ..places import display_path
from ..model import Engagement, Question, Scale
from ..schema import INVALID, Context, MapOf, Slug, Text
from ..yamlsafe import load_yaml
from .detect import TIMESTAMP_NAMES, Header, compact, statement_parts
from .toolfields import PART_META, left_over, tool_added

# ----------------------------------------------------------------- catalogues (compact names)

EMAIL_NAMES = {"email", "emailaddress", "mail", "recipientemail", "emailaddr", "courriel"}
# Columns holding a person's name: dropped like all personal data, but their values are
# first used to redact those names from the same export's comments (see is_name_column).
NAME_NAMES = {
    "name", "firstname", "lastname", "fullname", "surname", "givenname", "familyname",
    "respondentname", "recipientfirstname", "recipientlastname", "recipientname", "yourname",
    "nom", "prenom", "prénom", "nomcomplet", "vorname", "nachname", "voornaam", "achternaam",
    "apellido", "apellidos", "cognome", "nome",
}
PERSONAL_NAMES = EMAIL_NAMES | NAME_NAMES | {
    "ip", "ipaddr",
    "ipaddress", "locationlatitude", "locationlongitude", "latitude", "longitude",
    "externalreference", "externaldatareference", "externalref", "phone", "phonenumber",
    "telephone", "mobile", "token", "accesscode", "networkid", "locationaccuracy",
}
PERSONAL_PREFIXES = ("recipient", "customdata")
RESPONDENT_ID_NAMES = {"respondentid", "responseid", "id", "recordid", "responsenumber"}
# Localised e-mail headers that do not start or end with "email" (Google Forms' "Dirección de correo").
EMAIL_WORDS = ("correo", "courriel", "epost", "sahkoposti", "sähköposti", "eposta")
# The value 'ignore' in a columns map: the column is left out, and the report says so.
IGNORE = "ignore"
# compact name -> (reason shown in the report, quality signal or None)
METADATA = {
    **{n: ("timestamp", None) for n in (
        *TIMESTAMP_NAMES, "recordeddate", "lastmodifiedtime", "datestamp", "stagedateutc", "datemodified",
        "datecreated", "createddate", "lastactivity", "datelastaction")},
    **{n: ("start time", "start") for n in ("starttime", "startdate", "startdateutc", "datestarted")},
    **{n: ("end time", "end") for n in ("enddate", "endtime")},
    **{n: ("completion time (blank: not submitted)", "submitted") for n in (
        "completiontime", "submitdate", "submitdateutc", "datesubmitted", "submittedat")},
    "progress": ("progress", "progress"),
    "finished": ("finished flag", "finished"),
    "status": ("response status", None),
    "responsetype": ("response status", None),
    "lastpage": ("last page reached", None),
    **{n: ("duration in seconds", "duration") for n in (
        "durationinseconds", "durationseconds", "durationsec", "interviewtime", "totaltime")},
    "duration": ("duration, unit not stated (not used for speeders)", None),
    **{n: ("language", None) for n in ("userlanguage", "startlanguage", "language")},
    **{n: ("survey tool metadata", None) for n in (
        "collectorid", "seed", "distributionchannel", "refurl", "referer", "referrer", "useragent",
        "browser", "device", "operatingsystem", "tags", "surveyid", "formid", "collector",
        "responseset", "referrerurl", "ending", "endingid")},
    # Quiz results (Google Forms, Microsoft Forms, Typeform's calculator), in a few languages.
    **{n: ("quiz scoring", None) for n in (
        "score", "totalscore", "totalpoints", "quizfeedback", "punteggio", "puntuacion", "puntuación",
        "punktzahl", "gesamtpunktzahl", "pontuacao", "pontuação", "wynik", "pisteet", "totaldepoints")},
}
METADATA_PATTERNS = (
    (re.compile(r"^Q_[A-Za-z]"), "Qualtrics system field"),
    (re.compile(r"_NPS_GROUP$", re.I), "Qualtrics NPS group, derived from the answer"),
    (re.compile(r"^(points|feedback)\s*-\s", re.I), "quiz scoring"),
    (re.compile(r"^(grouptime\d+|\d+X\d+X\d+\w*time)$", re.I), "LimeSurvey timing"),
)
MAP_HINT = "under 'columns:' in engagement.yml (or in a --columns FILE)"
PERSONAL_WORDING = re.compile(
    r"\b(e ?mail|ip address|phone|telephone|mobile number|surname|latitude|longitude"
    r"|(your|first|last|full|given|family) name)\b")
NAME_WORDING = re.compile(r"\b(surname|(your|first|last|full|given|family) name)\b")


@dataclass
class Target:
    """An id the responses file can have a column for."""

    id: str
    kind: str                       # item, outcome, open question, segment
    texts: tuple[str, ...] = ()     # text and customer_text
    scale: Scale | None = None


@dataclass
class Column:
    """What one export column became."""

    header: Header
    role: str            # answer, open, segment, respondent_id, email, personal, metadata, empty,
                         # ignored (the map says so), unknown (an error; kept for the dry-run plan)
    target: str | None = None
    how: str = ""        # why: how it was matched, or why it is dropped
    signal: str | None = None  # start, end, submitted, duration, finished, progress


@dataclass
class ColumnsMap:
    """Header text -> id, with where each entry was written (for messages)."""

    entries: dict[str, str] = field(default_factory=dict)
    where: dict[str, Location] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)   # header -> "engagement.yml" or file


def targets_of(engagement: Engagement) -> dict[str, Target]:
    q = engagement.questionnaire
    # A translated questionnaire's headers may be in its language or in English (the source's texts).
    source = {x.id: _texts(x) for x in (*q.english.items, *q.english.outcomes, *q.english.open_questions)} \
        if q.english else {}
    out: dict[str, Target] = {}
    for item in q.items:
        out[item.id] = Target(item.id, "item", _texts(item) + source.get(item.id, ()), item.scale)
    for o in q.outcomes:
        out[o.id] = Target(o.id, "outcome", _texts(o) + source.get(o.id, ()), o.scale)
    for o in q.open_questions:
        out[o.id] = Target(o.id, "open question", _texts(o) + source.get(o.id, ()))
    for s in engagement.segments:
        out[s] = Target(s, "segment", (s.replace("-", " ").replace("_", " "),))
    return out


def _texts(question: Question) -> tuple[str, ...]:
    return tuple(t for t in (question.text, question.customer_text) if t)


def norm(text: str) -> str:
    """Words only, folded: case, punctuation, quotes and spacing do not matter."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def _contains(haystack: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {haystack} "


# ----------------------------------------------------------------- the columns map

def load_columns_map(engagement: Engagement, engagement_doc, columns_file: Path | None,
                     targets: dict[str, Target], project_root: Path) -> ColumnsMap:
    """The engagement's ``columns:`` overlaid with ``--columns FILE`` (the file wins).

    The file is YAML: either a mapping of header -> id, or one with a
    ``columns:`` key holding it (the engagement's own shape).
    """
    errors = ErrorCollector()
    result = ColumnsMap()
    sources = [(engagement.columns, engagement_doc, ("columns",), engagement.path)]
    if columns_file is not None:
        display = display_path(columns_file, project_root)
        if not columns_file.is_file():
            raise InputError("--columns", f"columns file '{columns_file}' not found")
        doc = load_yaml(columns_file, display)
        base: tuple = ("columns",) if isinstance(doc.value, dict) and set(doc.value) == {"columns"} else ()
        value = doc.value["columns"] if base else doc.value
        checked = MapOf(Text(), Slug()).check(value, base, Context(doc, errors))
        sources.append((checked if checked is not INVALID else {}, doc, base, display))
    for mapping, doc, base, display in sources:
        for header, target in (mapping or {}).items():
            where = doc.at(base + (header,)) if doc is not None else Location(display)
            if target not in targets and target not in ("respondent_id", IGNORE):
                errors.add(where, f"columns: '{header}' maps to '{target}', which is not an item, "
                                  "outcome or open question of the questionnaire, a segment of the "
                                  f"engagement, respondent_id or {IGNORE}"
                                  f"{did_you_mean(target, [*targets, IGNORE])}")
                continue
            result.entries[str(header).strip()] = target
            result.where[str(header).strip()] = where
            result.source[str(header).strip()] = display
    errors.raise_if_any()
    return result


# ----------------------------------------------------------------- classification

def classify(headers: list[Header], targets: dict[str, Target], columns_map: ColumnsMap,
             display: str, questionnaire_id: str, tool: str) -> tuple[list[Column], list[str], ErrorCollector]:
    """Decide every column; returns the columns, unused map entries and the errors."""
    decide = _Classifier(targets, columns_map, display, questionnaire_id, tool)
    columns = [decide.column(h) for h in headers]
    ids = [c for c in columns if c.role == "respondent_id"]
    for extra in ids[1:]:  # one respondent id: the first such column
        extra.role, extra.target = "metadata", None
        extra.how = f"another id column (column {ids[0].header.col} is the respondent id)"
    _check_duplicates(columns, display, decide.errors)
    unused = sorted(k for k in columns_map.entries if k not in decide.used_map)
    return columns, unused, decide.errors


class _Classifier:
    """Decides one export column at a time; the first kind of evidence that knows it wins.

    In order: no header; personal data by the header's name (never imported,
    whatever the map says); the columns map; a header that is an id; the tool's
    metadata; a question's text; personal data by its wording; a segment's name;
    the tool's fields named by the survey's owner. A column nothing knows is an
    error naming what it could be mapped to, and a column of role ``unknown``.
    """

    def __init__(self, targets: dict[str, Target], columns_map: ColumnsMap, display: str,
                 questionnaire_id: str, tool: str):
        self.targets, self.map, self.display = targets, columns_map, display
        self.questionnaire_id, self.tool = questionnaire_id, tool
        self.map_norm = {norm(k): k for k in columns_map.entries}
        self.used_map: set[str] = set()
        self.errors = ErrorCollector()

    def column(self, h: Header) -> Column:
        """The column ``h`` is; role ``unknown`` when it is a problem (then in :attr:`errors`)."""
        if h.empty:
            return Column(h, "empty", how="no header")
        key = _map_key(h, self.map, self.map_norm)
        if key is not None:
            self.used_map.add(key)
        personal = _personal_by_name(h)
        if personal:
            return self._personal(h, personal, key)
        if key is not None:
            return _to_target(h, self.map.entries[key], self.targets, f"columns map ({self.map.source[key]})")
        exact = [n for n in h.names if n.casefold() in self.targets or n.casefold() == "respondent_id"]
        if exact:
            return _to_target(h, exact[0].casefold(), self.targets, "header is the id")
        meta = _metadata(h, self.tool)
        if meta is not None:
            reason, signal = meta
            if reason == "respondent id":
                return Column(h, "respondent_id", "respondent_id",
                              how="the tool's respondent id, written salted and hashed")
            return Column(h, "metadata", how=reason, signal=signal)
        return self._by_wording(h)

    def _personal(self, h: Header, personal: str, key: str | None) -> Column:
        # Ignoring a personal column asks for what happens anyway: no error, no leak.
        if key is not None and self.map.entries[key] != IGNORE:
            self.errors.add(Location(self.display, h.line, h.col),
                            f"column {h.col} '{h.label}' holds personal data ({personal}) and is "
                            f"never imported, but columns: maps it to '{self.map.entries[key]}' "
                            f"({self.map.where[key]}); remove that entry")
        role = "email" if personal == "e-mail address" else "personal"
        return Column(h, role, how=f"personal data ({personal}): never written")

    def _by_wording(self, h: Header) -> Column:
        """By what the header says: a question's text, personal data asked for, a segment's name."""
        at = Location(self.display, h.line, h.col)
        found, ambiguous = _by_text(h, self.targets)
        if found:
            return _to_target(h, found, self.targets, "question text in the header")
        if ambiguous:
            self.errors.add(at, f"column {h.col} '{h.label}' contains the text of several questions "
                                f"({', '.join(repr(a) for a in ambiguous)}); map it to one {MAP_HINT}")
            return Column(h, "unknown", how=f"the text of several questions: {', '.join(ambiguous)}")
        if any(PERSONAL_WORDING.search(norm(n)) for n in h.names):
            return Column(h, "email" if re.search(r"\be ?mail\b", norm(h.label)) else "personal",
                          how="personal data (asked by name, e-mail, phone or address): never written")
        segments = sorted({t.id for t in self.targets.values() if t.kind == "segment"
                           for n in h.names if _contains(norm(n), norm(t.texts[0]))})
        if len(segments) == 1:
            return Column(h, "segment", segments[0], how="segment name in the header")
        if len(segments) > 1:
            self.errors.add(at, f"column {h.col} '{h.label}' names several segments "
                                f"({', '.join(segments)}); map it to one {MAP_HINT}")
            return Column(h, "unknown", how=f"names several segments: {', '.join(segments)}")
        added = left_over(self.tool, h.names, h.code, h.part)
        if added:
            return Column(h, "metadata", how=added)
        self.errors.add(at, _unmapped_message(h, self.targets, self.questionnaire_id, self.tool))
        return Column(h, "unknown", how=f"matches no question or segment: map it to an id, or "
                                        f"ignore it ({map_entry(h)}) {MAP_HINT}")

def _map_key(h: Header, columns_map: ColumnsMap, map_norm: dict[str, str]) -> str | None:
    for name in h.names:
        if name in columns_map.entries:
            return name
    for name in h.names:
        if norm(name) in map_norm:
            return map_norm[norm(name)]
    return None


def _personal_by_name(h: Header) -> str | None:
    if h.part == "contact":
        return "contact details"
    if h.part in ("email", "name"):   # by position (Microsoft Forms), whatever the header's language
        return "e-mail address" if h.part == "email" else "name, contact or reference of a person"
    for name in h.names:
        c = compact(name)
        if c in EMAIL_NAMES or (c.endswith("email") and len(c) <= 20) or (
                c.startswith("email") and len(c) <= 20) or any(w in c for w in EMAIL_WORDS):
            return "e-mail address"
        if c in PERSONAL_NAMES or c.startswith(PERSONAL_PREFIXES):
            if c in ("ip", "ipaddr", "ipaddress"):
                return "IP address"
            if c in ("locationlatitude", "locationlongitude", "latitude", "longitude", "locationaccuracy"):
                return "location"
            if c == "networkid":
                return "network id, derived from the IP address"
            return "name, contact or reference of a person"
    return None


def is_name_column(c: Column) -> bool:
    """Whether a dropped personal column holds people's names (first, last, full name…)."""
    return c.role == "personal" and (c.header.part == "name" or any(
        compact(n) in NAME_NAMES or NAME_WORDING.search(norm(n)) for n in c.header.names))


def _metadata(h: Header, tool: str) -> tuple[str, str | None] | None:
    if h.part in PART_META:
        return PART_META[h.part]
    added = tool_added(tool, h.names, h.code if tool == "qualtrics" else "")
    if added:
        return added, None
    for name in h.names:
        c = compact(name)
        if name.strip() == "#" or c in RESPONDENT_ID_NAMES:
            return "respondent id", None
        if c in METADATA:
            return METADATA[c]
        for pattern, reason in METADATA_PATTERNS:
            if pattern.search(name):
                return reason, None
    return None


def _to_target(h: Header, target: str, targets: dict[str, Target], how: str) -> Column:
    if target == IGNORE:
        return Column(h, "ignored", how=f"ignored: {how} says '{IGNORE}'")
    if target == "respondent_id":
        return Column(h, "respondent_id", "respondent_id", how=how + "; written salted and hashed")
    kind = targets[target].kind
    role = {"item": "answer", "outcome": "answer", "open question": "open", "segment": "segment"}[kind]
    return Column(h, role, target, how=how)


def _by_text(h: Header, targets: dict[str, Target]) -> tuple[str | None, list[str]]:
    """The one question whose text the header holds, or the ambiguous candidates."""
    names = [norm(n) for n in h.names]
    hits: dict[str, str] = {}   # id -> the longest of its texts found
    for t in targets.values():
        if t.kind == "segment":
            continue
        for text in t.texts:
            nt = norm(text)
            if any(_contains(n, nt) for n in names) and len(nt) > len(hits.get(t.id, "")):
                hits[t.id] = nt
    if not hits:
        return None, []
    if len(hits) == 1:
        return next(iter(hits)), []
    exact = [i for i, nt in hits.items() if nt in names]
    if len(exact) == 1:
        return exact[0], []
    # One text holding all the others is the specific one ("X" inside "X with Y").
    widest = [i for i, nt in hits.items() if all(_contains(nt, other) for other in hits.values())]
    if len(widest) == 1:
        return widest[0], []
    return None, sorted(hits)


def _check_duplicates(columns: list[Column], display: str, errors: ErrorCollector) -> None:
    by_target: dict[str, list[Column]] = {}
    for c in columns:
        if c.target and c.role != "respondent_id":
            by_target.setdefault(c.target, []).append(c)
    for target, cols in sorted(by_target.items()):
        if len(cols) > 1:
            listed = " and ".join(f"{c.header.col} '{c.header.label}'" for c in cols)
            first = cols[0].header
            errors.add(Location(display, first.line, cols[1].header.col),
                       f"columns {listed} both map to '{target}'; delete one from the export, or "
                       f"map each to its own id {MAP_HINT}")


def _unmapped_message(h: Header, targets: dict[str, Target], questionnaire_id: str, tool: str) -> str:
    close = closest(h, targets)
    hint = ""
    if tool == "limesurvey" or any(re.fullmatch(r"[A-Za-z0-9_]+\[[A-Za-z0-9_]+\]", n) for n in h.names):
        hint = (" LimeSurvey question codes carry no question text: give the code -> id mapping "
                f"{MAP_HINT}.")
    near = ("; closest: " + ", ".join(f"'{t.id}' ({_short(t.texts[0] if t.texts else t.id)})"
                                      for t in close)) if close else "; no question is close to it"
    return (f"column {h.col} '{h.label}' matches no item, outcome or open question of "
            f"'{questionnaire_id}' and no segment of the engagement{near}; map it to an id, or "
            f"leave it out with {map_entry(h)}, {MAP_HINT}." + hint)


def map_entry(h: Header) -> str:
    """The ``columns:`` line that ignores ``h``, keyed by the header's first row as written."""
    name = h.names[1] if h.code and len(h.names) > 1 and h.names[0] == h.code else h.names[0]
    return f"{json.dumps(name, ensure_ascii=False)}: {IGNORE}"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest(h: Header, targets: dict[str, Target], n: int = 3) -> list[Target]:
    """The questions most like a header, by difflib ratio on the folded texts."""
    variants = {norm(p) for name in h.names for p in [name, *statement_parts(name)] if norm(p)}
    scored = []
    for t in targets.values():
        options = [norm(x) for x in (*t.texts, t.id) if norm(x)]
        best = max((difflib.SequenceMatcher(None, v, o).ratio() for v in variants for o in options),
                   default=0.0)
        if best >= 0.3:
            scored.append((-best, t.id, t))
    return [t for _, _, t in sorted(scored)[:n]]


def missing_targets(columns: list[Column], targets: dict[str, Target], display: str,
                    line: int) -> list[InputError]:
    """Every item, outcome and segment needs a column (open questions may be absent)."""
    have = {c.target for c in columns if c.target}
    out = []
    for t in targets.values():
        if t.kind in ("item", "outcome", "segment") and t.id not in have:
            about = f" (\"{_short(t.texts[0])}\")" if t.kind != "segment" else ""
            out.append(InputError(Location(display, line, 1),
                                  f"no column of the export is {t.kind} '{t.id}'{about}; map the "
                                  f"export's column to '{t.id}' {MAP_HINT}, or check that this is "
                                  "the right questionnaire"))
    return out
