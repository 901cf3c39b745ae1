"""Load and validate questionnaire files into :class:`~cxsite.model.Questionnaire`.

Problems go to an :class:`~cxsite.errors.ErrorCollector` with their file,
line and column, like every other check on user input (see :mod:`load`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

from .errors import ErrorCollector, did_you_mean, display_path, one_of
from .model import (
    MAX_SCALE_SPAN, QUESTIONNAIRE_FORMAT, RESERVED_COLUMNS, Band, Dimension, Item, OpenQuestion,
    Questionnaire, Scale,
)
from .schema import INVALID, read_document
from .yamlsafe import Doc

NPS_POINTS = range(0, 11)


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
    before = len(errors.errors)
    read = read_document(path, display, QUESTIONNAIRE_FORMAT, errors)
    if read is None:
        return None
    doc, raw = read
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
    points = _scale_points(sid, raw, doc, errors)
    if points is None:
        return None
    fav_default, unfav_default = _default_sides(raw["kind"], sorted(points))
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
    ok = _check_labels(sid, points, doc, errors) and ok
    ok = _check_not_applicable(sid, points, raw["not_applicable"], doc, errors) and ok
    if not ok:
        return None
    return Scale(sid, kind=raw["kind"], points=points, favorable=frozenset(fav),
                 unfavorable=frozenset(unfav), not_applicable=tuple(raw["not_applicable"]))


def _default_sides(kind: str, ordered: list[int]) -> tuple[list[int], list[int]]:
    """The favourable and unfavourable points a scale of ``kind`` has unless it names them.

    NPS has its fixed promoter and detractor points. A customer-effort scale
    (CES) is reported as the share who found it easy, which CES reports take
    as every point above the middle (5-7 of 7, 4-5 of 5); the points below
    the middle are the "difficult" ones. Other scales: the top and bottom two.
    """
    if kind == "nps":
        return [9, 10], list(range(0, 7))
    if kind == "ces":
        middle = (ordered[0] + ordered[-1]) / 2
        return [p for p in ordered if p > middle], [p for p in ordered if p < middle]
    return ordered[-2:], ordered[:2]


def _scale_points(sid: str, raw: dict, doc: Doc, errors: ErrorCollector) -> dict[int, str] | None:
    """The scale's points, every one labelled, or ``None`` when they are not a usable scale.

    The span is checked first, from the lowest and highest point alone: a scale
    of points 1 and 10000000000 must be refused before a range of it is built.
    """
    at = ("scales", sid)
    points = dict(sorted(raw["points"].items()))
    lo, hi = min(points), max(points)
    if raw["kind"] == "nps":
        off = [p for p in points if p not in NPS_POINTS]
        if off:
            errors.add(doc.at(at + ("points", off[0]), key=True),
                       f"an nps scale runs from 0 to 10; point {off[0]} is outside it")
            return None
        return {p: points.get(p, str(p)) for p in NPS_POINTS}
    if hi - lo > MAX_SCALE_SPAN:
        # Answers are stored one byte each (see model.Responses); no rating scale comes close.
        errors.add(doc.at(at + ("points",)),
                   f"scale '{sid}' runs from {lo} to {hi}, {hi - lo + 1} points; a scale has at most "
                   f"{MAX_SCALE_SPAN + 1} (such as 0-100)")
        return None
    gaps = [p for p in range(lo, hi + 1) if p not in points]
    if gaps:
        errors.add(doc.at(at + ("points",)),
                   f"scale '{sid}' skips point {gaps[0]}; label every whole number "
                   f"from {lo} to {hi} (or use kind: nps for a 0-10 scale)")
        return None
    return points


def _as_number(text: str) -> float | None:
    """The number an answer ``text`` reads as (see responses.parse_answer), or None."""
    try:
        return float(text)
    except ValueError:
        return None


def _check_labels(sid: str, points: dict[int, str], doc: Doc, errors: ErrorCollector) -> bool:
    """Each label names one point: unique ignoring case, and no number but its own point's.

    Answers are matched to labels ignoring case, and read as numbers before
    labels, so 'Agree' beside 'agree', or a label '5' on point 1, would make
    an answer mean a point other than the one the questionnaire says.
    """
    ok, seen = True, {}
    for p, label in points.items():
        where = doc.at(("scales", sid, "points", p))
        number = _as_number(label)
        if number is not None and number != p:
            errors.add(where, f"label '{label}' of point {p} reads as a number, so an answer "
                              f"'{label}' would not mean point {p}; give point {p} a label in words")
            ok = False
        fold = label.casefold()
        if fold in seen:
            errors.add(where, f"label '{label}' of point {p} is also the label of point {seen[fold]} "
                              f"on scale '{sid}' (labels are compared ignoring case); give each point "
                              "its own label")
            ok = False
        seen.setdefault(fold, p)
    return ok


def _check_not_applicable(sid: str, points: dict[int, str], answers: list[str], doc: Doc,
                          errors: ErrorCollector) -> bool:
    """Not-applicable answers: none a point's number or label (ignoring case), none twice.

    A not-applicable answer is recognised before any point, so ``"0"`` on a
    0-10 scale would silently turn every 0 into "no answer".
    """
    ok, seen = True, {}
    labels = {v.casefold(): p for p, v in points.items()}
    for i, na in enumerate(answers):
        where = doc.at(("scales", sid, "not_applicable", i))
        fold, number = na.casefold(), _as_number(na)
        if fold in seen:
            errors.add(where, f"not-applicable answer '{na}' is listed twice (entries {seen[fold] + 1} "
                              f"and {i + 1}, ignoring case); remove one")
        elif number is not None and number in points:
            errors.add(where, f"not-applicable answer '{na}' is point {int(number)} of scale '{sid}', "
                              f"so every answer {int(number)} would count as no answer; use words "
                              "such as \"Don't know\"")
        elif fold in labels:
            errors.add(where, f"not-applicable answer '{na}' is also a point label on scale '{sid}'; "
                              "use words that are not a point's label, such as \"Don't know\"")
        else:
            seen.setdefault(fold, i)
            continue
        seen.setdefault(fold, i)
        ok = False
    return ok


def _build_questionnaire(raw: dict, doc: Doc, errors: ErrorCollector) -> Questionnaire | None:
    return _Builder(raw, doc, errors).questionnaire()


def _list_of(value) -> list:
    """A list the document gives, or none where it gave something else (already reported)."""
    return value if isinstance(value, list) else []


class _Builder:
    """Builds one questionnaire from its checked document, part by part.

    The parts share what the whole needs: the scales items refer to, the band
    ids narratives name, and every id claimed so far (ids are unique across
    items, outcomes and open questions, since each becomes a column).
    """

    def __init__(self, raw: dict, doc: Doc, errors: ErrorCollector):
        self.raw, self.doc, self.errors = raw, doc, errors
        self.scales: dict[str, Scale] = {}
        self.seen: dict[str, tuple] = {}  # id -> document path where it was first used

    def questionnaire(self) -> Questionnaire | None:
        raw = self.raw
        self.scales = self._scales()
        bands, band_ids = self._bands()
        dimensions = self._dimensions(bands, band_ids)
        outcomes = [self._item(o, ("outcomes", oi)) for oi, o in enumerate(_list_of(raw["outcomes"]))]
        opens = self._open_questions()
        for column in RESERVED_COLUMNS:
            if column in self.seen:
                self.errors.add(self.doc.at(self.seen[column]),
                                f"'{column}' is reserved for the respondent column; rename it")
        if not _ok(raw["id"], raw["version"], raw["title"], raw["summary"], raw["audience"]):
            return None
        return Questionnaire(
            raw["id"], raw["version"], raw["title"], raw["summary"], raw["audience"], self.scales,
            tuple(bands), tuple(dimensions), tuple(o for o in outcomes if o), tuple(opens), path=self.doc.file,
        )

    def _scales(self) -> dict[str, Scale]:
        given = self.raw["scales"] if isinstance(self.raw["scales"], dict) else {}
        built = {sid: _build_scale(sid, sraw, self.doc, self.errors) for sid, sraw in given.items()}
        return {sid: scale for sid, scale in built.items() if scale}

    def _bands(self) -> tuple[list[Band], list[str]]:
        """The usable bands, and the ids of all bands, broken ones too.

        A band with a bad 'min' is one error, not also one per narrative naming it.
        """
        doc, bands = self.doc, []
        band_raw = _list_of(self.raw["bands"])
        for i, b in enumerate(band_raw):
            if not isinstance(b, dict) or not _ok(*b.values()):
                continue
            if i == 0 and b["min"] != 0:
                self.errors.add(doc.at(("bands", 0, "min")), f"the first band must start at 0, not {b['min']}")
            if bands and b["min"] <= bands[-1].min:
                self.errors.add(doc.at(("bands", i, "min")),
                                f"bands must be in ascending order of min: {b['min']:g} follows "
                                f"{bands[-1].min:g}; list bands from the lowest score up")
            if any(x.id == b["id"] for x in bands):
                self.errors.add(doc.at(("bands", i, "id")), f"duplicate band id '{b['id']}'")
            bands.append(Band(b["id"], b["min"], b["label"], b["summary"]))
        ids = dict.fromkeys(b["id"] for b in band_raw if isinstance(b, dict) and isinstance(b["id"], str))
        return bands, list(ids)

    def _claim(self, kind: str, ident: str, path: tuple) -> None:
        if ident in self.seen:
            first = self.doc.at(self.seen[ident])
            self.errors.add(self.doc.at(path), f"duplicate {kind} id '{ident}' (first used at line "
                                               f"{first.line}); ids must be unique in a questionnaire")
        else:
            self.seen[ident] = path

    def _scale_of(self, ref, path: tuple) -> Scale | None:
        if ref is INVALID:
            return None
        if ref not in self.scales:
            if isinstance(self.raw["scales"], dict) and ref in self.raw["scales"]:
                return None  # the scale itself is broken and already reported
            self.errors.add(self.doc.at(path), f"unknown scale '{ref}'{did_you_mean(ref, self.scales)}; "
                                               f"expected one of {one_of(sorted(self.scales))}")
            return None
        return self.scales[ref]

    def _item(self, r: dict, path: tuple) -> Item | None:
        if not isinstance(r, dict):
            return None
        if r["id"] is not INVALID:
            self._claim("item", r["id"], path + ("id",))
        scale = self._scale_of(r["scale"], path + ("scale",))
        if scale is None or not _ok(*r.values()):
            return None
        return Item(r["id"], r["text"], r.get("customer_text"), scale=scale, reverse=bool(r.get("reverse")))

    def _dimensions(self, bands: list[Band], band_ids: list[str]) -> list[Dimension]:
        dimensions, dim_ids = [], set()
        for di, d in enumerate(_list_of(self.raw["dimensions"])):
            if not isinstance(d, dict):
                continue
            if d["id"] is not INVALID:
                if d["id"] in dim_ids:
                    self.errors.add(self.doc.at(("dimensions", di, "id")), f"duplicate dimension id '{d['id']}'")
                dim_ids.add(d["id"])
            dimension = self._dimension(d, ("dimensions", di), band_ids if bands else None)
            if dimension:
                dimensions.append(dimension)
        if dimensions and sum(d.weight for d in dimensions) <= 0:
            self.errors.add(self.doc.at(("dimensions",)),
                            "dimension weights add up to 0; give at least one a weight above 0")
        return dimensions

    def _dimension(self, d: dict, at: tuple, band_ids: list[str] | None) -> Dimension | None:
        """One dimension; ``band_ids`` None when no band is usable (band names are not checked then)."""
        items = [self._item(r, at + ("items", ii)) for ii, r in enumerate(_list_of(d["items"]))]
        good = [i for i in items if i]
        scale_ids = sorted({i.scale.id for i in good})
        if len(scale_ids) > 1:
            self.errors.add(self.doc.at(at + ("items",)),
                            f"dimension '{d['id']}' mixes scales {one_of(scale_ids)}; all items of a "
                            "dimension must share one scale so their answers can be averaged")
        for key in ("narratives", "actions"):
            for band_id in d[key] if isinstance(d[key], dict) and band_ids is not None else ():
                if band_id not in band_ids:
                    self.errors.add(self.doc.at(at + (key, band_id), key=True),
                                    f"'{band_id}' is not a band id{did_you_mean(band_id, band_ids)}; "
                                    f"expected one of {one_of(band_ids)}")
        if not _ok(*d.values()) or len(good) != len(items):
            return None
        return Dimension(d["id"], d["title"], d["description"], d["weight"], tuple(good),
                         dict(d["narratives"]), {k: tuple(v) for k, v in d["actions"].items()})

    def _open_questions(self) -> list[OpenQuestion]:
        opens = []
        for oi, o in enumerate(_list_of(self.raw["open_questions"])):
            if not isinstance(o, dict):
                continue
            if o["id"] is not INVALID:
                self._claim("open question", o["id"], ("open_questions", oi, "id"))
            if _ok(*o.values()):
                opens.append(OpenQuestion(o["id"], o["text"], o.get("customer_text")))
        return opens
