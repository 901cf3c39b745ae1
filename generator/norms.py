"""Open norms: the distribution of a questionnaire's scores across the practice's organisations.

``cxsite norms build ID[@VERSION] -o benchmarks/<name>.yml`` takes one data
point per organisation (client): its latest wave of that questionnaire (any
version of the same major). That wave contributes nothing when it says
``norms: exclude`` or when its results are withheld (below its anonymity
threshold) or not in yet; the organisation is then left out, not
represented by an older wave. Each dimension's and the index's scores are
kept unnamed and sorted, so that a percentile is exact; mean, SD and
deciles are there for reading. The provenance names no client and no
engagement. Fewer than :data:`MIN_ORGANISATIONS` organisations are refused,
for the whole norm and for any one dimension (left out of the norm).

An engagement naming ``benchmark: <name>`` is placed against
``benchmarks/<name>.yml``: percentile = 100 × (organisations below + ½ ×
organisations equal) / N, which is ``scipy.stats.percentileofscore(kind="mean")``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import ErrorCollector, InputError, InputErrors, Location, did_you_mean, display_path, one_of
from .model import NORM_FORMAT, Engagement, Questionnaire
from .schema import read_document

BENCHMARKS = "benchmarks"
MIN_ORGANISATIONS = 5  # fewer, and one organisation's scores could be told from the others'


@dataclass(frozen=True)
class Norm:
    """A benchmark file, checked: scores sorted, at least :data:`MIN_ORGANISATIONS` in each distribution."""

    name: str
    path: str
    questionnaire_id: str
    questionnaire_version: str
    provenance: dict
    index: tuple[float, ...] | None
    dimensions: dict[str, tuple[float, ...]]

    @property
    def major(self) -> str:
        return self.questionnaire_version.split(".")[0]


def percentile(scores: tuple[float, ...] | list[float], x: float) -> float:
    """100 × (scores below ``x`` + ½ × scores equal to it) / N, for ascending ``scores``."""
    below = bisect.bisect_left(scores, x)
    equal = bisect.bisect_right(scores, x) - below
    return 100.0 * (below + 0.5 * equal) / len(scores)


# --------------------------------------------------------------------------- reading

def load_norm(path: Path, root: Path, errors: ErrorCollector) -> Norm | None:
    """``benchmarks/<name>.yml`` checked; None when it has problems (each reported at its line)."""
    display = display_path(path, root)
    before = len(errors.errors)
    read = read_document(path, display, NORM_FORMAT, errors)
    if read is None or len(errors.errors) > before:
        return None
    doc, raw = read
    prov = raw["provenance"]
    if prov["fieldwork_from"] > prov["fieldwork_to"]:
        errors.add(doc.at(("provenance", "fieldwork_to")), "fieldwork_to is before fieldwork_from; "
                                                           "give the span of fieldwork dates in order")
    dims = {k: _distribution(v, ("dimensions", k), prov, doc, errors) for k, v in raw["dimensions"].items()}
    index = _distribution(raw["index"], ("index",), prov, doc, errors) if raw["index"] else None
    if len(errors.errors) > before:
        return None
    return Norm(path.stem, display, raw["questionnaire"]["id"], raw["questionnaire"]["version"], prov, index, dims)


def _distribution(dist: dict, at: tuple, prov: dict, doc, errors: ErrorCollector) -> tuple[float, ...]:
    """One distribution's scores, after the checks that make its percentiles exact and anonymous."""
    scores = dist["scores"]
    if any(a > b for a, b in zip(scores, scores[1:])):
        errors.add(doc.at(at + ("scores",)), "scores must be in ascending order (each organisation's score, "
                                             "unnamed); 'cxsite norms build' writes them so", code="norm-invalid")
    if len(scores) != dist["organisations"]:
        errors.add(doc.at(at + ("organisations",)), f"organisations is {dist['organisations']}, but {len(scores)} "
                                                    "scores are listed; give one score per organisation",
                   code="norm-invalid")
    if len(scores) < MIN_ORGANISATIONS or len(scores) > prov["organisations"]:
        errors.add(doc.at(at + ("scores",)), f"{len(scores)} scores: a distribution needs at least "
                                             f"{MIN_ORGANISATIONS}, so that no organisation can be told apart, and "
                                             f"at most the norm's {prov['organisations']} organisations",
                   code="norm-invalid")
    return tuple(float(s) for s in scores)


def benchmark_files(root: Path) -> dict[str, Path]:
    """The project's benchmarks by name: ``benchmarks/<name>.yml``."""
    base = root / BENCHMARKS
    return {p.stem: p for p in sorted(base.glob("*.yml")) if p.is_file()} if base.is_dir() else {}


def attach_benchmark(e: Engagement, norms: dict[str, Norm | None], where: Location, errors: ErrorCollector) -> None:
    """Give ``e`` the norm its ``benchmark:`` names, if it is one for its questionnaire (reported if not)."""
    if e.benchmark not in norms:
        errors.add(where, f"unknown benchmark '{e.benchmark}'{did_you_mean(e.benchmark, norms)}; expected the "
                          f"name of a file in {BENCHMARKS}/ ({one_of(sorted(norms)) or 'there is none'}), or "
                          "build one with 'cxsite norms build'", code="unknown-benchmark")
        return
    norm = norms[e.benchmark]
    if norm is None:
        errors.add(where, f"benchmark '{e.benchmark}' has errors (listed with its file); fix them first",
                   code="benchmark-broken")
        return
    q = e.questionnaire
    if norm.questionnaire_id != q.id or norm.major != q.version.split(".")[0]:
        errors.add(where, f"benchmark '{e.benchmark}' is a norm of '{norm.questionnaire_id}' "
                          f"{norm.questionnaire_version}, not of '{q.id}' {q.version.split('.')[0]}.x that this "
                          "engagement uses; name a norm of the same questionnaire and major version",
                   code="benchmark-mismatch")
        return
    e.norm = norm


# --------------------------------------------------------------------------- reported

def describe(norm: Norm) -> str:
    """The norm's provenance in plain words: "30 organisations, 2,411 respondents, fieldwork March 2025 to June 2026"."""
    p = norm.provenance
    n, r = p["organisations"], p["respondents"]
    start, end = (d.strftime("%B %Y") for d in (p["fieldwork_from"], p["fieldwork_to"]))
    text = (f"{n:,} organisation{'s' * (n != 1)}, {r:,} respondent{'s' * (r != 1)}, "
            f"fieldwork {start}" + (f" to {end}" if end != start else ""))
    if p["synthetic"]:
        text += "; synthetic"
    source = p.get("source")
    if source:
        text += f"; published by {source['publisher']}: {source['title']}"
        text += f" ({source['year']})" if source.get("year") else ""
    return text


def provenance_json(norm: Norm) -> dict:
    """The norm's provenance as JSON: dates as ISO text, the questionnaire it was built from."""
    prov = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in norm.provenance.items()}
    return {**prov, "questionnaire": {"id": norm.questionnaire_id, "version": norm.questionnaire_version}}


def _placed(dist: tuple[float, ...] | None, score: float | None) -> dict:
    return {"percentile": None if dist is None or score is None else percentile(dist, score),
            "organisations": len(dist) if dist else None}


def benchmark_json(e: Engagement, result: dict) -> dict | None:
    """``benchmark`` of ``cxsite score``: ``{name, provenance, description, dimensions, index, segments}``.

    Percentiles of the figures ``result`` publishes only: a withheld figure
    (or a withheld engagement) has a null percentile, a suppressed group none.
    """
    norm = e.norm
    if norm is None:
        return None
    withheld = bool(result.get("withheld"))
    dims = {d["id"]: d for d in result["dimensions"]}

    def place(did: str | None, score: float | None) -> dict:
        dist = norm.index if did is None else norm.dimensions.get(did)
        return _placed(dist, None if withheld else score)
    segments = {name: {g["value"]: {"index": place(None, g["index"])["percentile"],
                                    "dimensions": {k: place(k, v["score"])["percentile"]
                                                   for k, v in sorted(g["dimensions"].items())}}
                       for g in groups if not g["suppressed"]}
                for name, groups in sorted(result.get("segments", {}).items())}
    return {"name": e.benchmark, "provenance": provenance_json(norm), "description": describe(norm),
            "dimensions": {k: place(k, d["score"]) for k, d in sorted(dims.items())},
            # An index computed without a withheld dimension is not comparable with whole ones.
            "index": place(None, result["index"]["score"] if all(d["score"] is not None for d in dims.values()) else None),
            "segments": {} if withheld else segments}


def norm_target(project, ref: str) -> Questionnaire:
    """The questionnaire ``ID[@VERSION]`` names in the project; an unknown one is refused."""
    from .load import parse_assessment_ref

    qid, version = parse_assessment_ref(ref)
    q = project.latest(qid) if version is None else project.questionnaires.get((qid, version))
    if q is None:
        known = sorted({i for i, _ in project.questionnaires})
        raise InputErrors([InputError(ref, f"no questionnaire '{ref}'{did_you_mean(qid, known)}; expected one "
                                           f"of {one_of(known)}, optionally @VERSION", code="not-found")])
    return q
