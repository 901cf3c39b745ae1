"""Customer effort (``kind: ces``): the easy share and mean, as CES reports give them.

The tiny project gets a seven-point effort outcome; answers 7, 6, 4, 2 (r5 none):
easy = 5-7 (2 of 4), hard = 1-3 (1 of 4), mean 19/4.
"""

import json

import pytest
import yaml

from cxsite.load import load_project
from cxsite.score import score_engagement

EASY7 = {"kind": "ces", "points": {i: f"p{i}" for i in range(1, 8)}}


def _add_effort(tiny, answers):
    q_path = tiny / "assessments" / "tiny.yml"
    q = yaml.safe_load(q_path.read_text())
    q["scales"]["easy7"] = EASY7
    q["outcomes"].append({"id": "effort", "text": "It was easy to get what I needed.", "scale": "easy7"})
    q_path.write_text(yaml.safe_dump(q, sort_keys=False))
    rows = (tiny / "engagements" / "tiny-2026" / "responses.csv").read_text().splitlines()
    answers = ["effort", *answers]
    (tiny / "engagements" / "tiny-2026" / "responses.csv").write_text(
        "\n".join(f"{r},{a}" for r, a in zip(rows, answers)) + "\n")
    return tiny


@pytest.fixture
def ces_project(tiny):
    return _add_effort(tiny, ["7", "6", "4", "2", ""])


def _outcome(result, oid):
    return next(o for o in result["outcomes"] if o["id"] == oid)


def test_ces_defaults_count_the_points_above_the_middle_as_easy(ces_project):
    scale = load_project(ces_project).engagements["tiny-2026"].questionnaire.scales["easy7"]
    assert scale.kind == "ces"
    assert sorted(scale.favorable) == [5, 6, 7] and sorted(scale.unfavorable) == [1, 2, 3]


def test_ces_outcome_reports_mean_and_easy_share(ces_project):
    o = _outcome(score_engagement(load_project(ces_project).engagements["tiny-2026"]), "effort")
    assert o["kind"] == "ces" and o["n"] == 4
    assert o["ces"] == pytest.approx(19 / 4) and o["easy"] == pytest.approx(0.5)
    assert o["unfavorable"] == pytest.approx(0.25)
    assert o["nps"] is None


def test_other_outcomes_have_no_ces(ces_project):
    o = _outcome(score_engagement(load_project(ces_project).engagements["tiny-2026"]), "nps")
    assert o["ces"] is None and o["easy"] is None


def test_ces_withheld_below_threshold(tiny):
    project = _add_effort(tiny, ["7", "6", "", "", ""])  # 2 answers, threshold 3, 4 usable
    e = project / "engagements" / "tiny-2026" / "engagement.yml"
    e.write_text(e.read_text().replace("min_group_size: 2", "min_group_size: 3"))
    o = _outcome(score_engagement(load_project(project).engagements["tiny-2026"]), "effort")
    assert o["withheld"] and o["ces"] is None and o["easy"] is None


def test_ces_reads_as_ces_on_the_overview(ces_project, cli):
    code, out, err = cli("--project", str(ces_project), "build")
    assert code == 0, err
    page = next((ces_project / "site").glob("engagements/tiny-2026/index.html")).read_text()
    assert "Customer effort score" in page and "found it easy" in page
    code, out, _ = cli("--project", str(ces_project), "score", "tiny-2026")
    assert json.loads(out)["outcomes"][-1]["easy"] == pytest.approx(0.5)
