"""The benchmark's parts, small: its data is valid and its NumPy reference agrees with cxsite.

The reference restates every scoring definition in whole-matrix NumPy,
apart from cxsite.score, so agreement here is a second check of the
scorer as much as of the benchmark.
"""

import numpy as np

from bench import reference
from bench.portfolio import BIG_ID, make_big, make_portfolio, new_project
from cxsite.load import load_project
from cxsite.score import score_engagement


def test_reference_agrees_with_cxsite_on_the_big_engagement_shape(tmp_path):
    root = new_project(tmp_path / "big")
    big = make_big(root, respondents=3000, seed=7)
    e = load_project(root).engagements[BIG_ID]
    result = score_engagement(e)
    expected = reference.score(big["answers"], big["questionnaire"], big["segments"], e.min_group_size)
    assert reference.differences(expected, result) == []
    assert result["respondents"]["usable"] == 3000 - 3  # three rows answer nothing
    board = next(g for g in result["segments"]["department"] if g["value"] == "Board")
    assert board["suppressed"]  # the group below the threshold


def test_reference_notices_a_wrong_figure(tmp_path):
    root = new_project(tmp_path / "big")
    big = make_big(root, respondents=500, seed=3)
    e = load_project(root).engagements[BIG_ID]
    result = score_engagement(e)
    result["dimensions"][2]["score"] += 1e-6
    expected = reference.score(big["answers"], big["questionnaire"], big["segments"], e.min_group_size)
    assert [d.split(":")[0] for d in reference.differences(expected, result)] == ["dim02.score"]


def test_portfolio_is_seeded_and_valid(tmp_path):
    a = make_portfolio(tmp_path / "a", 4, seed=11)
    b = make_portfolio(tmp_path / "b", 4, seed=11)
    project = load_project(a)
    assert sorted(project.engagements) == ["client-0000-w1", "client-0000-w2", "client-0001-w1", "client-0001-w2"]
    assert project.engagements["client-0000-w2"].previous == "client-0000-w1"
    for eid in project.engagements:
        same = [(x / "engagements" / eid / "responses.csv").read_bytes() for x in (a, b)]
        assert same[0] == same[1]
    assert np.unique([len(e.responses) for e in project.engagements.values()]).size > 1


def test_leader_benchmark_organisation_is_valid_and_sized(tmp_path):
    """The leader benchmark's project loads, and has about the leaders it was asked for at levels 1-3."""
    from bench.leaders import ID, PLAIN, write_project

    root = write_project(tmp_path / "org", 3000, 120)
    project = load_project(root)
    r = score_engagement(project.engagements[ID], statistics=False)
    assert 100 <= len(r["leaders"]) <= 125 and {x["level"] for x in r["leaders"]} == {1, 2, 3}
    plain = score_engagement(project.engagements[PLAIN], statistics=False)
    assert plain["dimensions"] == r["dimensions"]  # the same answers, with and without the hierarchy


def test_only_one_part_keeps_the_others_results_and_says_when_each_was_measured(tmp_path, monkeypatch):
    """``--only statistics``: the statistics measured anew, the rest as bench/results.json had them."""
    import json
    import shutil

    from bench import run

    shutil.copy(run.HERE / "results.json", tmp_path / "results.json")
    earlier = json.loads((tmp_path / "results.json").read_text())
    monkeypatch.setattr(run, "HERE", tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4102444800")  # 2100-01-01: a day no earlier part was measured
    monkeypatch.setattr(run, "measure_statistics", lambda root, rounds: {
        "pages": 3, "with_s": 1.1, "without_s": 1.0, "statistics_ratio": 1.1})
    for name in ("measure_scoring", "measure_memory", "measure_portfolios"):
        monkeypatch.setattr(run, name, lambda *a, **k: (_ for _ in ()).throw(AssertionError("measured")))
    assert run.main(["--only", "statistics"]) == 0
    now = json.loads((tmp_path / "results.json").read_text())
    assert now["statistics_ratio"] == 1.1 and now["scoring"] == earlier["scoring"]
    assert now["portfolios"] == earlier["portfolios"] and now["generation_ratio"] == earlier["generation_ratio"]
    assert now["dates"]["statistics"].startswith("2100-01-01") and not now["dates"]["scoring"].startswith("2100")
    assert "statistics 2100-01-01" in (tmp_path / "results.md").read_text()
