"""A portfolio at load: 200 engagements, one of them 10,000 respondents (slow)."""

import csv
import io
import math
import shutil

import pytest

from conftest import REPO
from cxsite.errors import ErrorCollector
from cxsite.load import load_project
from cxsite.questionnaires import load_questionnaire
from cxsite.pages import build_pages
from cxsite.synth import Spec, generate

pytestmark = pytest.mark.slow


def independent_index(q, text: str) -> float:
    """The index straight from the CSV text, written apart from cxsite.score."""
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


# --------------------------------------------------------------------------- formats as written

def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_text_fields_keep_the_text_as_written(tiny, cli):
    """YAML reads 2026.10 as the float 2026.1 and yes as true; a text field keeps what was typed."""
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    _edit(eng, "wave: 2026", "wave: 2026.10")
    _edit(eng, "client: Tiny Co", "client: yes")
    _edit(eng, "title: Tiny baseline", "title: 2026-6-3")
    q = tiny / "assessments" / "tiny.yml"
    _edit(q, "3: Neutral", "3: 1e3")  # text to YAML 1.1, and not a number a label may be: refused
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1 and "label '1e3' of point 3 reads as a number" in err
    _edit(q, "3: 1e3", "3: off")  # YAML 1.1's false
    e = load_project(tiny).engagements["tiny-2026"]
    assert (e.wave, e.client, e.title) == ("2026.10", "yes", "2026-6-3")
    assert e.questionnaire.scales["agree5"].points[3] == "off"
    code, out, _ = cli("--project", tiny, "score", "tiny-2026")
    assert code == 0 and '"wave": "2026.10"' in out


def test_an_earlier_previous_wave_and_invited_equal_to_respondents_pass(tiny, cli):
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    prev = tiny / "engagements" / "tiny-2025"
    shutil.copytree(eng.parent, prev)
    _edit(prev / "engagement.yml", "date: 2026-06-30", "date: 2026-06-29")
    _edit(eng, "min_group_size: 2", "min_group_size: 2\nprevious: tiny-2025")
    _edit(eng, "invited: 8", "invited: 4")  # r5 answered nothing: 4 usable of 5 rows
    assert cli("--project", tiny, "validate")[0] == 0
    _edit(prev / "engagement.yml", "date: 2026-06-29", "date: 2026-06-30")
    _edit(eng, "invited: 4", "invited: 3")
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert "engagement.yml:7:10: invited: 3 is fewer than the 4 usable respondents" in err
    assert "engagement.yml:10:11: previous engagement 'tiny-2025' closed on 2026-06-30, the same day" in err


def test_every_number_in_the_formats_is_bounded_in_the_json_schema(cli):
    import json

    def numbers(schema, path=""):
        if isinstance(schema, dict):
            if schema.get("type") in ("number", "integer"):
                yield path, schema
            for k, v in schema.items():
                yield from numbers(v, f"{path}/{k}")
        elif isinstance(schema, list):
            for v in schema:
                yield from numbers(v, path)

    found = 0
    for kind in ("questionnaire", "engagement"):
        code, out, _ = cli("schema", kind)
        assert code == 0
        for path, schema in numbers(json.loads(out)):
            found += 1
            assert math.isfinite(schema["minimum"]) and math.isfinite(schema["maximum"]), path
    assert found >= 8  # favorable, unfavorable, band min, weight, speeder_seconds, invited, 2 thresholds


def test_results_json_never_holds_nan():
    from cxsite.cli import to_json

    with pytest.raises(ValueError):
        to_json({"mean": float("nan")})
