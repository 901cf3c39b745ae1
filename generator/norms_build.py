"""``cxsite norms build``: a norm from the portfolio's engagements, written atomically (see :mod:`cxsite.norms`)."""

from __future__ import annotations

import hashlib
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from . import clock
from .errors import ErrorCollector, InputError, InputErrors, display_path
from .model import Engagement, Questionnaire
from .norms import BENCHMARKS, MIN_ORGANISATIONS, load_norm, norm_target
from .provenance import file_sha256, package_version

DECILES = tuple(range(10, 100, 10))


@dataclass
class Gathered:
    """What the organisations' latest waves give a norm, and what was left out (counts only)."""

    index: list[float] = field(default_factory=list)
    dimensions: dict[str, list[float]] = field(default_factory=dict)
    respondents: int = 0
    dates: list = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    excluded: int = 0    # norms: exclude
    withheld: int = 0    # below the anonymity threshold, or awaiting responses

    @property
    def organisations(self) -> int:
        return len(self.dates)


def latest_waves(project, q: Questionnaire) -> list[Engagement]:
    """Each client's latest engagement of questionnaire ``q``'s id and major version, in client order."""
    major = q.version.split(".")[0]
    latest: dict[str, Engagement] = {}
    for e in sorted(project.engagements.values(), key=lambda e: (e.date, e.id)):
        eq = e.questionnaire
        if eq.id == q.id and eq.version.split(".")[0] == major:
            latest[e.client] = e
    return [latest[c] for c in sorted(latest)]


def gather(project, q: Questionnaire) -> Gathered:
    """Score each organisation's latest wave and collect its (unnamed) figures."""
    from .results import Results

    results = Results()  # no cache: the command writes nothing but the norm
    got = Gathered(dimensions={d.id: [] for d in q.dimensions})
    for e in latest_waves(project, q):
        if e.norms == "exclude":
            got.excluded += 1
            continue
        r = results.result(e)
        if r["withheld"] or not r["respondents"]["usable"]:
            got.withheld += 1
            continue
        # An index without one of its dimensions is another measure: it joins no distribution of whole ones.
        if r["index"]["score"] is not None and all(d["score"] is not None for d in r["dimensions"]):
            got.index.append(float(r["index"]["score"]))
        for d in r["dimensions"]:
            if d["id"] in got.dimensions and d["score"] is not None:
                got.dimensions[d["id"]].append(float(d["score"]))
        got.respondents += int(r["respondents"]["usable"])
        got.dates.append(e.date)
        # Hashes of the files' bytes: they identify the inputs without naming them.
        got.hashes += [file_sha256(e.folder / e.responses_file), file_sha256(Path(e.questionnaire.path_abs))]
    return got


def distribution(scores: list[float]) -> dict:
    """Sorted scores with their count, mean, sample SD and deciles (linear interpolation, NumPy's default)."""
    ordered = sorted(scores)
    return {"organisations": len(ordered), "scores": ordered, "mean": statistics.fmean(ordered),
            "sd": statistics.stdev(ordered) if len(ordered) > 1 else 0.0,
            "deciles": [float(v) for v in np.percentile(ordered, DECILES)]}


def norm_document(q: Questionnaire, got: Gathered, synthetic: bool, note: str | None) -> dict:
    """The benchmark file's content (:data:`cxsite.model.NORM_FORMAT`); no client or engagement is named."""
    prov = {"organisations": got.organisations, "respondents": got.respondents,
            "fieldwork_from": min(got.dates), "fieldwork_to": max(got.dates),
            "built": clock.now().isoformat(timespec="seconds"),
            "inputs_sha256": hashlib.sha256("".join(sorted(set(got.hashes))).encode()).hexdigest(),
            "cxsite_version": package_version("cxsite") or "unknown", "synthetic": synthetic}
    if note:
        prov["note"] = note
    doc = {"questionnaire": {"id": q.id, "version": q.version}, "provenance": prov}
    if len(got.index) >= MIN_ORGANISATIONS:
        doc["index"] = distribution(got.index)
    doc["dimensions"] = {k: distribution(v) for k, v in got.dimensions.items() if len(v) >= MIN_ORGANISATIONS}
    return doc


HEADER = ("# A norm built by 'cxsite norms build': each organisation's latest wave, unnamed;\n"
          "# scores sorted so that percentiles are exact. Reviewable in git; do not edit the scores.\n")


def build_norm(root: Path, ref: str, output: str, synthetic: bool = False, note: str | None = None) -> str:
    """Build the norm of questionnaire ``ref`` and write it to ``output``; returns a one-line summary.

    Raises
    ------
    InputErrors
        Fewer than :data:`~cxsite.norms.MIN_ORGANISATIONS` organisations to
        build from, an unknown questionnaire, or an output that is project data.
        Nothing is written then: the old file, if any, stays as it was.
    """
    from .load import load_project
    from .outputs import Protected, protected_paths, refuse_project_data

    target = Path(output)
    # benchmarks/ is project data every other output stays out of; a norm is the one file written there.
    prot = protected_paths(root)
    own = (root / BENCHMARKS).resolve()
    prot = Protected(prot.root, tuple(f for f in prot.folders if f != own), prot.files)
    if target.resolve() == own or target.is_dir():
        raise InputError(output, "is a folder; give the norm's file, e.g. benchmarks/<name>.yml", code="output-refused")
    refuse_project_data(target, prot, output, "the norm", "write it to benchmarks/<name>.yml in the project")
    project = load_project(root)
    q = norm_target(project, ref)
    got = gather(project, q)
    left = f"{got.excluded} left out by 'norms: exclude', {got.withheld} withheld or awaiting responses"
    if got.organisations < MIN_ORGANISATIONS:
        n = got.organisations
        raise InputErrors([InputError(ref, f"only {n} organisation{'s' * (n != 1)} can take part in a norm of "
                                           f"'{q.id}' {q.version.split('.')[0]}.x ({left}); a norm needs at "
                                           f"least {MIN_ORGANISATIONS}, so that no organisation can be told "
                                           "apart", code="norms-too-few")])
    doc = norm_document(q, got, synthetic, note)
    _write_checked(target, HEADER + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), root)
    dims = len(doc["dimensions"])
    return (f"wrote {output}: {got.organisations} organisations, {got.respondents:,} respondents, "
            f"{dims} of {len(q.dimensions)} dimensions ({left})")


def _write_checked(target: Path, text: str, root: Path) -> None:
    """Write the norm beside its target, read it back as a benchmark, and only then rename it into place."""
    from .outputs import write_files

    def check(temps: dict[Path, Path]) -> None:
        errors = ErrorCollector()
        if load_norm(temps[target], root, errors) is None:  # cxsite's own bug: it wrote what it cannot read
            raise InputErrors(errors.errors or [InputError(display_path(target, root), "the norm does not load back")])

    made = not target.parent.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_files({target: text}, check)
    except BaseException:
        if made:  # a failed build leaves no folder it made behind
            target.parent.rmdir()
        raise
