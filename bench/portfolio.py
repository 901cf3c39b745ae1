"""Seeded synthetic portfolios: clients x waves x respondents, and one engagement of 100,000 x 60.

Everything is drawn from seeded generators, so the same seed writes the same
bytes. Portfolio engagements come from :func:`cxsite.synth.generate` (the
example data's generator); the big engagement is drawn with NumPy, because
six million answers one ``random.random()`` at a time would take minutes.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import yaml

from cxsite.errors import ErrorCollector, InputErrors
from cxsite.questionnaires import load_questionnaire
from cxsite.synth import COMMENTS, Spec, generate

REPO = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ("service-culture", "customer-focus")
DEPARTMENTS = ("Customer Support", "Operations", "Sales", "Finance", "IT", "Facilities", "Legal")
REGIONS = {"North": 0.45, "South": 0.35, "Head office": 0.15}


def new_project(root: Path) -> Path:
    """An empty project with the repository's questionnaires, hand-written pages and mkdocs.yml."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "assessments", root / "assessments")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _questionnaire(root: Path, qid: str):
    errors = ErrorCollector()
    q = load_questionnaire(root / "assessments" / f"{qid}.yml", root, errors)
    if q is None:
        raise InputErrors(errors.errors)
    return q


def make_portfolio(root: Path, engagements: int, seed: int = 2026) -> Path:
    """A project of ``engagements`` engagements: clients of two waves each (the second
    linked to the first for trends), alternating questionnaires, 30-150 respondents."""
    new_project(root)
    rng = random.Random(seed)
    comments = yaml.safe_load(COMMENTS.read_text(encoding="utf-8"))
    questionnaires = {qid: _questionnaire(root, qid) for qid in QUESTIONNAIRES}
    for n in range(engagements):
        client, wave = divmod(n, 2)
        qid = QUESTIONNAIRES[client % 2]
        eid = f"client-{client:04d}-w{wave + 1}"
        folder = root / "engagements" / eid
        folder.mkdir(parents=True)
        previous = f"previous: client-{client:04d}-w1\n" if wave else ""
        folder.joinpath("engagement.yml").write_text(
            f"client: Client {client:04d}\ntitle: Staff survey\nassessment: {qid}\n"
            f"wave: {2025 + wave} Q3\ndate: {2025 + wave}-09-30\nresponses: responses.csv\n"
            f"segments: [department, region]\n{previous}", encoding="utf-8")
        total = rng.randint(30, 150)
        depts = rng.sample(DEPARTMENTS, 5)
        sizes = {d: max(1, int(total * w)) for d, w in zip(depts, (0.35, 0.25, 0.2, 0.15, 0.05))}
        spec = Spec(eid, qid, seed * 100_000 + n, sizes, REGIONS,
                    profile=tuple(rng.uniform(-0.6, 0.6) for _ in range(8)), level=rng.uniform(-0.4, 0.3))
        folder.joinpath("responses.csv").write_text(generate(questionnaires[qid], spec, comments), encoding="utf-8")
    return root


BIG_ID = "big-2026"
BIG_QUESTIONNAIRE = "bench-60"


def _bench_questionnaire() -> dict:
    """60 items in 10 dimensions (a quarter reverse-keyed) and an NPS outcome."""
    agree = {1: "Strongly disagree", 2: "Disagree", 3: "Neither agree nor disagree", 4: "Agree",
             5: "Strongly agree"}
    bands = [{"id": "low", "min": 0, "label": "Low", "summary": "Below the middle of the scale."},
             {"id": "mid", "min": 50, "label": "Middle", "summary": "Around the middle."},
             {"id": "high", "min": 75, "label": "High", "summary": "Well above the middle."}]
    dims = []
    for d in range(10):
        items = [{"id": f"q{d:02d}{k}", "text": f"Benchmark statement {d}.{k}.", "scale": "agree5",
                  **({"reverse": True} if (d * 6 + k) % 4 == 3 else {})} for k in range(6)]
        dims.append({"id": f"dim{d:02d}", "title": f"Dimension {d}", "description": "A benchmark dimension.",
                     "items": items, "narratives": {b["id"]: "Benchmark narrative." for b in bands},
                     "actions": {b["id"]: ["A benchmark action."] for b in bands}})
    return {"id": BIG_QUESTIONNAIRE, "version": "1.0.0", "title": "Benchmark questionnaire",
            "summary": "Sixty statements for the benchmark.", "audience": "staff",
            "scales": {"agree5": {"points": agree, "not_applicable": ["Don't know"]},
                       "likely11": {"kind": "nps", "points": {0: "Not at all likely", 10: "Extremely likely"}}},
            "bands": bands, "dimensions": dims,
            "outcomes": [{"id": "nps", "text": "Would you recommend us?", "scale": "likely11"}]}


# The big engagement's answer matrix: raw points, BLANK = -1, NA = -2.
BLANK, NA = -1, -2


def make_big(root: Path, respondents: int = 100_000, seed: int = 2026) -> dict:
    """Write the big engagement into ``root``; return its raw matrix and segments for the reference."""
    rng = np.random.default_rng(seed)
    (root / "assessments" / f"{BIG_QUESTIONNAIRE}.yml").write_text(
        yaml.safe_dump(_bench_questionnaire(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    q = _questionnaire(root, BIG_QUESTIONNAIRE)
    items = list(q.items)
    latent = rng.normal(0, 0.8, respondents)
    answers = np.empty((respondents, len(items) + 1), dtype=np.int8)
    for j, item in enumerate(items):
        points = np.clip(np.rint(3 + 1.2 * (latent + rng.normal(0, 0.8, respondents))), 1, 5).astype(np.int8)
        answers[:, j] = 6 - points if item.reverse else points
    answers[:, -1] = np.clip(np.rint(7 + 2 * latent + rng.normal(0, 1.4, respondents)), 0, 10)
    draw = rng.random(answers.shape)
    answers[draw < 0.02] = BLANK
    answers[:, :-1][(draw[:, :-1] >= 0.02) & (draw[:, :-1] < 0.03)] = NA
    answers[rng.choice(respondents, 3, replace=False)] = BLANK  # rows nobody can score
    # Departments of very different sizes, one below the anonymity threshold.
    dept_names = [f"Department {c}" for c in "ABCDEFG"] + ["Board"]
    share = np.array([0.3, 0.2, 0.15, 0.12, 0.1, 0.08, 0.05 - 3 / respondents, 3 / respondents])
    dept = rng.choice(len(dept_names), respondents, p=share / share.sum())
    region_names = ["North", "South", "East", "West"]
    region = rng.choice(len(region_names), respondents, p=[0.4, 0.3, 0.2, 0.1])
    text = {BLANK: "", NA: "Don't know", **{p: str(p) for p in range(11)}}
    header = ["respondent_id", "department", "region"] + [i.id for i in items] + ["nps"]
    folder = root / "engagements" / BIG_ID
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "responses.csv", "w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for r in range(respondents):
            cells = [text[v] for v in answers[r].tolist()]
            out.write(f"R{r + 1:06d},{dept_names[dept[r]]},{region_names[region[r]]},{','.join(cells)}\n")
    folder.joinpath("engagement.yml").write_text(
        f"client: Big Employer\ntitle: All-staff survey\nassessment: {BIG_QUESTIONNAIRE}\nwave: 2026\n"
        "date: 2026-06-30\nresponses: responses.csv\nsegments: [department, region]\nmin_group_size: 5\n",
        encoding="utf-8")
    return {"answers": answers, "questionnaire": q,
            "segments": {"department": (dept, dept_names), "region": (region, region_names)},
            "csv": folder / "responses.csv"}
