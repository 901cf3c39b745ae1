"""A portfolio at load: 200 engagements, one of them 10,000 respondents (slow)."""

import csv
import io
import math
import shutil

import pytest

from conftest import REPO
from generator.errors import ErrorCollector
from generator.load import load_project
from generator.questionnaires import load_questionnaire
from generator.pages import build_pages
from generator.synth import Spec, generate

pytestmark = pytest.mark.slow


def independent_index(q, text: str) -> float:
    """The index straight from the CSV text, written apart from generator.score."""
    rows = list(csv.DictReader(io.StringIO(text)))
    labels = {na.casefold() for na in q.items[0].scale.not_applicable}
    total = weight = 0.0
    for d in q.dimensions:
        lo, hi = d.scale.min, d.scale.max
        means = []
        for row in rows:
            vals = []
            for item in d.items:
                raw = row[item.id].strip()
                if not raw or raw.casefold() in labels:
                    continue
                v = int(raw)
                vals.append(lo + hi - v if item.reverse else v)
            if vals and len(vals) >= math.ceil(len(d.items) / 2):
                means.append(sum(vals) / len(vals))
        score = 100 * (sum(means) / len(means) - lo) / (hi - lo)
        total += d.weight * score
        weight += d.weight
    return total / weight


def test_two_hundred_engagements_and_ten_thousand_respondents(tmp_path):
    root = tmp_path / "portfolio"
    (root / "assessments").mkdir(parents=True)
    shutil.copy(REPO / "assessments" / "service-culture.yml", root / "assessments")
    q = load_questionnaire(root / "assessments" / "service-culture.yml", root, ErrorCollector())
    big_text = ""
    for k in range(200):
        eid = f"client{k % 40:02d}-wave{k // 40}"
        folder = root / "engagements" / eid
        folder.mkdir(parents=True)
        n = 10_000 if k == 0 else 30
        depts = {"Operations": n // 2, "Sales": n - n // 2 - 4, "Legal": 4}
        text = generate(q, Spec(eid, "service-culture", k, depts, {"North": 0.5, "South": 0.5}))
        (folder / "responses.csv").write_text(text)
        (folder / "engagement.yml").write_text(
            f"client: Client {k % 40:02d}\ntitle: Wave {k // 40}\nassessment: service-culture\n"
            f"wave: W{k // 40}\ndate: 2026-01-{1 + k // 40:02d}\nsegments: [department, region]\n")
        if k == 0:
            big_text = text
    project = load_project(root)
    assert len(project.engagements) == 200
    site = build_pages(project)
    assert len(site.pages) > 200 * 10
    big = site.results["client00-wave0"]
    assert big["respondents"]["rows"] == 10_000
    assert big["index"]["score"] == pytest.approx(independent_index(q, big_text), rel=1e-12)
    legal = [g for g in big["segments"]["department"] if g["value"] == "Legal"][0]
    assert legal["suppressed"] and legal["n"] is None
    for r in site.results.values():
        for d in r["dimensions"]:
            assert 0 <= d["score"] <= 100
            for i in d["items"]:
                assert sum(i["counts"].values()) == i["n"]
