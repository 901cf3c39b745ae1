"""The questionnaire and engagement formats, and the objects they load into.

The ``*_FORMAT`` records are the single declaration of each file format: the
validator checks against them and ``cxsite schema`` prints them as JSON Schema.
The dataclasses are what the rest of the generator works with once a file has
passed: cross-references resolved, defaults applied, nothing left to check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from typing import TYPE_CHECKING

from .schema import (
    Bool, Choice, Date, Either, Field, HexColor, ListOf, MapOf, Number, Record, Scalar, SemVer, Slug, Text,
)

if TYPE_CHECKING:
    from .hierarchy import Hierarchy

AUDIENCES = ("staff", "customers", "assessor")
# The languages cxsite ships its own report catalogues for (site_templates/locale/<lang>/);
# an engagement in another language would show English template phrases.
LANGUAGES = ("de", "en", "es", "fr")

# Sane bounds of every number in the formats (schema.Number needs both): far
# beyond any real questionnaire or engagement, and small enough that no sum,
# product or allocation made from them can overflow or exhaust memory.
POINT_LIMIT = 1000              # a scale point; a scale spans at most MAX_SCALE_SPAN of them
MAX_WEIGHT = 1000               # a dimension's weight in the index
MAX_INVITED = 1_000_000_000     # people invited to one survey
MAX_GROUP_SIZE = 10_000         # an anonymity threshold
MAX_SPEEDER_SECONDS = 86_400    # a day
MAX_LEVEL = 100                 # depth of a reporting line
EARLIEST_DATE = dt.date(1990, 1, 1)  # before any survey tool cxsite imports from
LATEST_DATE = dt.date(2100, 12, 31)
POINT = Number(minimum=-POINT_LIMIT, maximum=POINT_LIMIT, integer=True)
SCALE_KINDS = ("likert", "nps", "ces")

SCALE_FORMAT = Record("scale", {
    "kind": Field(Choice(SCALE_KINDS), default="likert",
                  doc="likert: labelled consecutive points; nps: 0-10 likelihood, only end labels needed; "
                      "ces: customer effort, labelled consecutive points, reported as its mean and "
                      "the share who found it easy"),
    "points": Field(MapOf(POINT, Text(), min_items=2), required=True,
                    doc="point value -> label"),
    "favorable": Field(ListOf(POINT, min_items=1),
                       doc="points counted as favourable; default the top two (nps: 9-10; ces: the points above "
                           "the middle, the 'easy' answers)"),
    "unfavorable": Field(ListOf(POINT, min_items=1),
                         doc="points counted as unfavourable; default the bottom two (nps: 0-6; ces: the points "
                             "below the middle)"),
    "not_applicable": Field(ListOf(Text()), default=[],
                            doc="answers that count as no answer and are reported separately"),
})

BAND_FORMAT = Record("band", {
    "id": Field(Slug(), required=True),
    "min": Field(Number(minimum=0, maximum=100), required=True, doc="lowest 0-100 score in the band"),
    "label": Field(Text(), required=True),
    "summary": Field(Text(), required=True, doc="what an organisation in this band looks like"),
})

ITEM_FORMAT = Record("item", {
    "id": Field(Slug(), required=True, doc="column name in responses"),
    "text": Field(Text(), required=True, doc="the statement as staff see it"),
    "scale": Field(Slug(), required=True, doc="a key of 'scales'"),
    "reverse": Field(Bool(), default=False, doc="agreeing is the unfavourable answer"),
    "customer_text": Field(Text(), doc="the same statement as a customer would be asked it"),
})

OUTCOME_FORMAT = Record("outcome", {
    "id": Field(Slug(), required=True),
    "text": Field(Text(), required=True),
    "scale": Field(Slug(), required=True),
    "customer_text": Field(Text()),
})

OPEN_QUESTION_FORMAT = Record("open question", {
    "id": Field(Slug(), required=True),
    "text": Field(Text(), required=True),
    "customer_text": Field(Text()),
})

DIMENSION_FORMAT = Record("dimension", {
    "id": Field(Slug(), required=True),
    "title": Field(Text(), required=True),
    "description": Field(Text(), required=True, doc="what the dimension is, for a client reader"),
    "weight": Field(Number(minimum=0, maximum=MAX_WEIGHT), default=1, doc="weight in the index"),
    "items": Field(ListOf(ITEM_FORMAT, min_items=1), required=True),
    "narratives": Field(MapOf(Slug(), Text()), default={}, doc="band id -> what this score means here"),
    "actions": Field(MapOf(Slug(), ListOf(Text(), min_items=1)), default={},
                     doc="band id -> recommended actions"),
})

QUESTIONNAIRE_FORMAT = Record("questionnaire", {
    "id": Field(Slug(), required=True, doc="unique in assessments/"),
    "version": Field(SemVer(), required=True),
    "title": Field(Text(), required=True),
    "summary": Field(Text(), required=True, doc="one paragraph for the report cover"),
    "audience": Field(Choice(AUDIENCES), required=True),
    "scales": Field(MapOf(Slug(), SCALE_FORMAT, min_items=1), required=True),
    "bands": Field(ListOf(BAND_FORMAT, min_items=1), required=True),
    "dimensions": Field(ListOf(DIMENSION_FORMAT, min_items=1), required=True),
    "outcomes": Field(ListOf(OUTCOME_FORMAT), default=[]),
    "open_questions": Field(ListOf(OPEN_QUESTION_FORMAT), default=[]),
}, doc="A questionnaire in assessments/")

LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".webp")

BRAND_FORMAT = Record("brand", {
    "logo": Field(Text(), doc=f"image file in the engagement folder ({', '.join(LOGO_TYPES)})"),
    "color": Field(HexColor(), doc="the client's primary colour, '#rrggbb'"),
})

QUALITY_ACTIONS = ("keep", "exclude")
NORMS_CHOICES = ("include", "exclude")

QUALITY_FORMAT = Record("quality rules", {
    "incomplete": Field(Choice(QUALITY_ACTIONS), default="exclude",
                        doc="responses the survey tool marks unfinished"),
    "duplicates": Field(Choice(QUALITY_ACTIONS), default="exclude",
                        doc="a respondent seen before (same respondent id): later rows"),
    "straightlining": Field(Choice(QUALITY_ACTIONS), default="keep",
                            doc="the same answer to every scored item"),
    "speeders": Field(Choice(QUALITY_ACTIONS), default="keep",
                      doc="faster than speeder_seconds, where the tool gives a duration"),
    "speeder_seconds": Field(Number(minimum=0, maximum=MAX_SPEEDER_SECONDS), default=60,
                             doc="a response completed in fewer seconds is a speeder"),
})

HIERARCHY_FORMAT = Record("hierarchy", {
    "file": Field(Text(), required=True, doc="CSV in the engagement folder: employee_id, manager_id, name"),
    "employee": Field(Slug(), default="employee_id", doc="the responses column holding each respondent's employee id"),
})

LEADER_INCLUDES = ("full-line", "direct")

LEADERS_FORMAT = Record("leaders", {
    "levels": Field(ListOf(Number(minimum=0, maximum=MAX_LEVEL, integer=True), min_items=1), default=[1],
                    doc="hierarchy levels whose leaders get a report (0 is the top)"),
    "include": Field(Choice(LEADER_INCLUDES), default="full-line",
                     doc="full-line: everyone below the leader; direct: their direct reports"),
})

ENGAGEMENT_FORMAT = Record("engagement", {
    "client": Field(Text(), required=True),
    "title": Field(Text(), required=True),
    "assessment": Field(Text(), required=True, doc="questionnaire id, optionally pinned: id@1.2.0"),
    "wave": Field(Text(), required=True, doc="e.g. '2026 Q3'"),
    "date": Field(Date(EARLIEST_DATE, LATEST_DATE), required=True, doc="when fieldwork closed"),
    "responses": Field(Text(), default="responses.csv", doc="CSV, or YAML for assessor ratings"),
    "invited": Field(Number(minimum=1, maximum=MAX_INVITED, integer=True), doc="people invited, for the response rate"),
    "segments": Field(ListOf(Slug()), default=[], doc="response columns to break results down by"),
    "min_group_size": Field(Number(minimum=1, maximum=MAX_GROUP_SIZE, integer=True), default=5,
                            doc="anonymity threshold, at least 2 (1 only for an assessor wave: the assessor is "
                                "named, not anonymous; default 5, an assessor wave's 1)"),
    "min_group_size_comments": Field(Number(minimum=1, maximum=MAX_GROUP_SIZE, integer=True),
                                     doc="threshold for showing comments; default min_group_size"),
    "previous": Field(Slug(), doc="id of the earlier engagement of this client, for trends"),
    "audience": Field(Choice(AUDIENCES), doc="who answered this wave; default the questionnaire's audience. "
                                             "A customers' wave shows and imports the items by customer_text"),
    "mirror": Field(Slug(), doc="a staff wave's customers' wave (same client and questionnaire), shown beside it"),
    "assessor": Field(Slug(), doc="a staff wave's assessor ratings (same client and questionnaire), shown beside it"),
    "brand": Field(BRAND_FORMAT, doc="client logo and colour for this engagement's pages"),
    "columns": Field(MapOf(Text(), Slug()), default={},
                     doc="for 'cxsite import': export column header -> item, question or segment id"),
    "quality": Field(QUALITY_FORMAT, doc="for 'cxsite import': keep or exclude each kind of doubtful response"),
    "benchmark": Field(Slug(), doc="a norm in the project's benchmarks/<name>.yml: percentiles against it"),
    "norms": Field(Choice(NORMS_CHOICES), default="include",
                   doc="exclude: this engagement takes no part in any norm 'cxsite norms build' makes"),
    "language": Field(Choice(LANGUAGES), default="en",
                      doc="the report's language; a questionnaire in another language than English needs its "
                          "catalogue assessments/<id>.<language>.po"),
    "hierarchy": Field(HIERARCHY_FORMAT, doc="the organisation's reporting lines, for leader reports"),
    "leaders": Field(LEADERS_FORMAT, doc="which leaders get a report of their people (needs 'hierarchy')"),
}, doc="engagements/<id>/engagement.yml")

# --------------------------------------------------------------------------- closing the loop
# An action plan (engagements/<id>/actions.yml) and a norm (benchmarks/<name>.yml).
ACTION_STATUSES = ("planned", "doing", "done", "dropped")
OWNER_KINDS = ("roles", "people")

RECOMMENDED_FORMAT = Record("recommended action", {
    "band": Field(Slug(), required=True, doc="the band whose recommended actions it is one of"),
    "number": Field(Number(minimum=1, maximum=1000, integer=True), required=True,
                    doc="its place in that band's list, from 1"),
})

ACTION_FORMAT = Record("action", {
    "dimension": Field(Slug(), required=True, doc="the questionnaire's dimension the action is meant to move"),
    "action": Field(Either(Text(), RECOMMENDED_FORMAT), required=True,
                    doc="what will be done, or {band, number}: one of the dimension's recommended actions"),
    "owner": Field(Text(), required=True, doc="who answers for it: a role (Head of Operations), not a name"),
    "due": Field(Date(EARLIEST_DATE, LATEST_DATE), required=True, doc="when it is due, YYYY-MM-DD"),
    "status": Field(Choice(ACTION_STATUSES), required=True),
    "note": Field(Text(), doc="progress, in a sentence or two"),
})

ACTIONS_FORMAT = Record("action plan", {
    "owners": Field(Choice(OWNER_KINDS), default="roles",
                    doc="roles (default): an owner that reads as a person's name is refused; "
                        "people: owners are named people, published as written"),
    "actions": Field(ListOf(ACTION_FORMAT, min_items=1), required=True),
}, doc="engagements/<id>/actions.yml: what the client committed to after this wave")

MAX_ORGANISATIONS = 1_000_000
SCORE = Number(minimum=0, maximum=100)

DISTRIBUTION_FORMAT = Record("distribution", {
    "organisations": Field(Number(minimum=1, maximum=MAX_ORGANISATIONS, integer=True), required=True),
    "scores": Field(ListOf(SCORE, min_items=1), required=True,
                    doc="each organisation's score, 0-100, unnamed, in ascending order"),
    "mean": Field(SCORE, doc="for reading; percentiles come from the scores"),
    "sd": Field(Number(minimum=0, maximum=100), doc="sample SD of the scores, for reading"),
    "deciles": Field(ListOf(SCORE), doc="the 10th to 90th percentiles of the scores (linear), for reading"),
})

NORM_SOURCE_FORMAT = Record("norm source", {
    "publisher": Field(Text(), required=True),
    "title": Field(Text(), required=True),
    "year": Field(Number(minimum=1900, maximum=2100, integer=True)),
    "url": Field(Text()),
    "licence": Field(Text()),
})

NORM_PROVENANCE_FORMAT = Record("norm provenance", {
    "organisations": Field(Number(minimum=1, maximum=MAX_ORGANISATIONS, integer=True), required=True),
    "respondents": Field(Number(minimum=0, maximum=MAX_INVITED, integer=True), required=True),
    "fieldwork_from": Field(Date(EARLIEST_DATE, LATEST_DATE), required=True, doc="earliest fieldwork close"),
    "fieldwork_to": Field(Date(EARLIEST_DATE, LATEST_DATE), required=True, doc="latest fieldwork close"),
    "built": Field(Text(), doc="when it was built, ISO 8601 UTC"),
    "inputs_sha256": Field(Text(), doc="SHA-256 over the SHA-256s of the inputs, sorted"),
    "cxsite_version": Field(Text()),
    "synthetic": Field(Bool(), default=False, doc="made from synthetic data, for demonstration"),
    "source": Field(NORM_SOURCE_FORMAT, doc="a norm from outside the practice: who published it"),
    "note": Field(Text()),
})

NORM_FORMAT = Record("benchmark", {
    "questionnaire": Field(Record("questionnaire ref", {
        "id": Field(Slug(), required=True), "version": Field(SemVer(), required=True)}), required=True,
        doc="the questionnaire the norm was built from; engagements of the same id and major version may use it"),
    "provenance": Field(NORM_PROVENANCE_FORMAT, required=True),
    "index": Field(DISTRIBUTION_FORMAT, doc="the index's distribution"),
    "dimensions": Field(MapOf(Slug(), DISTRIBUTION_FORMAT), default={}, doc="dimension id -> distribution"),
}, doc="benchmarks/<name>.yml: a norm, as 'cxsite norms build' writes it, or a published one")

ASSESSOR_RATINGS_FORMAT = Record("assessor ratings", {
    "respondents": Field(ListOf(MapOf(Slug(), Scalar()), min_items=1), required=True),
    "notes": Field(MapOf(Slug(), Text()), default={}, doc="item id -> evidence shown beside the item"),
})


@dataclass(frozen=True)
class Scale:
    id: str
    kind: str
    points: dict[int, str]
    favorable: frozenset[int]
    unfavorable: frozenset[int]
    not_applicable: tuple[str, ...]
    # Other spellings answers may use, each (text, point or NA): a translated scale's English
    # labels and not-applicable answers (cxsite.translations), so either language's answers score the same.
    also: tuple[tuple[str, int | str], ...] = ()

    @property
    def min(self) -> int:
        return min(self.points)

    @property
    def max(self) -> int:
        return max(self.points)

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)

    def label(self, point: int) -> str:
        return self.points.get(point, str(point))


@dataclass(frozen=True)
class Band:
    id: str
    min: float
    label: str
    summary: str


@dataclass(frozen=True)
class Question:
    """What every question has: its id (its column), its text, and the wording customers see."""

    id: str
    text: str
    customer_text: str | None = None


@dataclass(frozen=True, kw_only=True)
class Item(Question):
    """A rated question: a dimension's item or an outcome, answered on a scale."""

    scale: Scale
    reverse: bool = False


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    description: str
    weight: float
    items: tuple[Item, ...]
    narratives: dict[str, str]
    actions: dict[str, tuple[str, ...]]

    @property
    def scale(self) -> Scale:
        return self.items[0].scale


@dataclass(frozen=True)
class OpenQuestion(Question):
    """A question answered in words: its answers are comments."""


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: str
    summary: str
    audience: str
    scales: dict[str, Scale]
    bands: tuple[Band, ...]
    dimensions: tuple[Dimension, ...]
    outcomes: tuple[Item, ...]
    open_questions: tuple[OpenQuestion, ...]
    path: str = ""          # as shown in messages
    path_abs: str = ""      # for hashing its bytes
    source: str = "project"  # "project" (its assessments/) or "built-in" (shipped with cxsite)
    # A translated questionnaire (cxsite.translations): its language, its catalogue's file, and the
    # English questionnaire it was made from (what trends compare, what imports match as well).
    language: str = "en"
    catalogue_abs: str = ""
    english: "Questionnaire | None" = None

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for d in self.dimensions for i in d.items)

    @property
    def key(self) -> tuple[str, tuple[int, ...]]:
        return self.id, tuple(int(p) for p in self.version.split("."))

    def band_level(self, band_id: str | None) -> int:
        """A band's colour step, 0 (lowest) to 3 (highest), whatever the number of bands."""
        ids = [b.id for b in self.bands]
        if band_id not in ids:
            return 0
        return ids.index(band_id) * 3 // max(len(ids) - 1, 1)

    def band_for(self, score: float | None) -> Band | None:
        """The last band whose ``min`` is at most ``score``."""
        if score is None:
            return None
        chosen = None
        for band in self.bands:
            if band.min <= score:
                chosen = band
        return chosen


@dataclass
class Engagement:
    id: str
    folder: Path
    path: str
    client: str
    title: str
    assessment_id: str
    assessment_version: str | None
    wave: str
    date: dt.date
    responses_file: str
    invited: int | None
    segments: tuple[str, ...]
    min_group_size: int
    min_group_size_comments: int
    previous: str | None
    questionnaire: Questionnaire | None = None
    responses: "Responses | None" = None
    logo: Path | None = None
    color: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    quality: dict = field(default_factory=dict)
    benchmark: str | None = None     # the name of a norm in benchmarks/
    norms: str = "include"           # "exclude": left out of every norm
    plan: tuple = ()                 # the actions committed to after this wave (cxsite.actions.Action)
    norm: "object | None" = None     # the benchmark, loaded (cxsite.norms.Norm)
    audience: str = "staff"     # who answered: staff, customers or assessor (cxsite.links)
    mirror: str | None = None   # a staff wave's customers' wave
    assessor: str | None = None  # a staff wave's assessor ratings
    hierarchy: "HierarchySpec | None" = None
    leaders: "LeaderSpec | None" = None
    language: str = "en"        # the report's language (LANGUAGES), its texts and number and date formats


@dataclass(frozen=True)
class HierarchySpec:
    """``hierarchy:`` of an engagement: its reporting-lines file and the responses column naming each employee."""

    file: str
    employee: str
    readable: bool = True   # false when engagement.yml named a file that may not be read (reported)


@dataclass(frozen=True)
class LeaderSpec:
    """``leaders:`` of an engagement: the levels whose leaders get a report, and who counts as their people."""

    levels: tuple[int, ...]
    include: str


NA = "NA"  # an answer given as not applicable
NOT_STATED = "Not stated"  # the group of respondents who left a segment blank

# Answer codes: every answer is one byte, so 100,000 respondents x 60 items
# take 6 MB. A point p of a scale is stored as p - scale.min + OFFSET.
BLANK = 0       # no answer
NA_CODE = 1     # not applicable
OFFSET = 2
MAX_SCALE_SPAN = 100  # points min..max with max - min <= 100 fit a byte with room to spare
# Response-file columns with a meaning of their own: no item, segment or open question may take their id.
RESERVED_COLUMNS = ("respondent_id",)


@dataclass
class Segment:
    """A segment column: each respondent's group as an index into ``values``."""

    codes: np.ndarray        # intp, one per respondent
    values: list[str]        # in order of first appearance; blank is NOT_STATED


@dataclass
class Responses:
    """One engagement's responses, held column-wise.

    ``answers[item_id][r]`` is respondent ``r``'s answer to an item or
    outcome as an answer code (``BLANK``, ``NA_CODE``, or a point offset by
    ``OFFSET``), as given: reverse-keyed items are reflected when scored, not
    here. Each column is one contiguous array, so scoring reads it at memory speed.
    """

    path: str
    answers: dict[str, np.ndarray]        # item or outcome id -> uint8 codes, questionnaire order
    rows: np.ndarray                      # intp: each respondent's line in the file, for messages
    segments: dict[str, Segment]
    comments: dict[str, list[str]]        # open question id -> the non-blank answers, in file order
    notes: dict[str, str] = field(default_factory=dict)
    quality: list[dict] = field(default_factory=list)
    # Each respondent's employee id (object array; '' when blank), with a hierarchy only:
    # read to place people in reporting lines, never published.
    employees: np.ndarray | None = None
    hierarchy: "Hierarchy | None" = None   # the reporting lines the employees are placed in
    # With a hierarchy: per open question, the employee id of each comment's writer ('' when blank),
    # in the order of ``comments``, so a leader's report can show their own line's comments.
    comment_writers: dict[str, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, item_id: str) -> np.ndarray:
        return self.answers[item_id]

    def subset(self, keep: np.ndarray) -> "Responses":
        """The respondents where ``keep`` is true (comments and notes are not per respondent)."""
        if keep.all():
            return self
        return Responses(self.path, {k: c[keep] for k, c in self.answers.items()}, self.rows[keep],
                         {k: Segment(s.codes[keep], s.values) for k, s in self.segments.items()},
                         self.comments, self.notes, self.quality,
                         None if self.employees is None else self.employees[keep], self.hierarchy,
                         self.comment_writers)
