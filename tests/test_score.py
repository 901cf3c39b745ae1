"""Each scoring definition against figures computed by hand on tests/projects/tiny.

tiny: agree5 items a, b (reverse) in d1; c, d, e in d2 (weight 3); nps outcome;
five rows, r5 answers nothing. Reflected b: r1 1->5, r2 2->4, r3 N/A, r4 4->2.
"""

import json

import numpy as np
import pytest

from conftest import assert_matches

from cxsite.load import load_project
from cxsite.model import Responses, Segment
from cxsite.score import (
    cronbach_alpha, reflect, published_figures, respondent_dimension_means, score_dimensions, score_engagement, usable_rows,
)

approx = pytest.approx


@pytest.fixture
def result(tiny):
    return score_engagement(load_project(tiny).engagements["tiny-2026"])


def dim(result, did):
    return next(d for d in result["dimensions"] if d["id"] == did)


def item(result, iid):
    return next(i for d in result["dimensions"] for i in d["items"] if i["id"] == iid)


def test_reverse_items_are_reflected(tiny, result):
    q = load_project(tiny).engagements["tiny-2026"].questionnaire
    assert reflect(1, q.scales["agree5"]) == 5 and reflect(4, q.scales["agree5"]) == 2
    b = item(result, "b")  # raw 1, 2, N/A, 4 -> 5, 4, 2
    assert b["counts"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    assert b["mean"] == approx(11 / 3)


def test_item_statistics(result):
    a = item(result, "a")  # 5, 4, 2, "Agree"=4
    assert (a["n"], a["mean"]) == (4, approx(3.75))
    assert (a["favorable"], a["neutral"], a["unfavorable"]) == (approx(0.75), approx(0), approx(0.25))
    assert a["counts"] == {"1": 0, "2": 1, "3": 0, "4": 2, "5": 1}
    b = item(result, "b")
    assert (b["n"], b["not_applicable"]) == (3, 1)
    assert b["favorable"] == approx(2 / 3)


def test_dimension_counts_respondents_with_half_the_items(result):
    d1 = dim(result, "d1")  # k=2, need 1: means 5, 4, 2, 3
    assert (d1["n"], d1["mean"], d1["score"]) == (4, approx(3.5), approx(62.5))
    d2 = dim(result, "d2")  # k=3, need 2: r2 (one answer) not counted; means 4, 5, 5/3
    assert (d2["n"], d2["mean"], d2["score"]) == (3, approx(32 / 9), approx(100 * (32 / 9 - 1) / 4))


def test_dimension_shares_pool_all_valid_answers(result):
    d1 = dim(result, "d1")  # a: 5,4,2,4  b: 5,4,2 -> fav 5, unfav 2 of 7
    assert (d1["favorable"], d1["neutral"], d1["unfavorable"]) == (approx(5 / 7), approx(0), approx(2 / 7))
    d2 = dim(result, "d2")  # 4,3,5,2 | 4,5,2 | 5,1 -> fav 5, neutral 1, unfav 3 of 9
    assert (d2["favorable"], d2["neutral"], d2["unfavorable"]) == (approx(5 / 9), approx(1 / 9), approx(3 / 9))


def test_index_is_weighted_mean_and_bands(result):
    expected = (62.5 * 1 + 100 * (32 / 9 - 1) / 4 * 3) / 4
    assert result["index"] == {"score": approx(expected), "band": "high"}
    assert dim(result, "d1")["band"] == "high"


def test_cronbach_alpha_listwise(result):
    # d1 listwise rows (5,5) (4,4) (4,2): var a = 1/3, var b = 7/3, var sum = 4
    assert dim(result, "d1")["alpha"] == approx(2 * (1 - (1 / 3 + 7 / 3) / 4))
    assert dim(result, "d2")["alpha"] is None  # only two complete rows


def _table(*columns):
    """Item columns (None for no valid answer) as the arrays of values scoring takes."""
    return [np.array([np.nan if v is None else v for v in col], dtype=float) for col in columns]


def test_cronbach_alpha_edge_cases():
    assert cronbach_alpha(_table([1, 2, 3])) is None  # one item
    assert cronbach_alpha(_table([3, 3, 3], [3, 3, 3])) is None  # no variance
    assert cronbach_alpha(_table([1, 2, None], [2, 2, None], [1, 3, 3])) is None  # two complete rows
    # pingouin 0.7.0: pingouin.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4],
    # "c": [1, 3, 3, 5]})) gives 0.9333333333333333 (with the Feldt interval [0.56, 0.995]).
    cols = [[1, 2, 3, 4], [2, 2, 4, 4], [1, 3, 3, 5]]
    assert cronbach_alpha(_table(*cols)) == approx(0.9333333333333333, abs=1e-12)


def _counted(means):
    return [m for m in means.tolist() if m == m]


def test_half_rule_rounds_up():
    # Columns are items. k = 3 needs 2 answers: the first person gave 1, the second 2.
    assert _counted(respondent_dimension_means(_table([5, 4], [None, 2], [None, None]))) == [3]
    # k = 4 needs 2.
    assert _counted(respondent_dimension_means(_table([5], [3], [None], [None]))) == [4]
    assert _counted(respondent_dimension_means(_table([None], [None]))) == []
    # k = 1 needs 1.
    assert _counted(respondent_dimension_means(_table([2, None, 4]))) == [2, 4]


def test_nps_outcome(result):
    o = result["outcomes"][0]  # 10, 9, 6, 7
    assert (o["promoters"], o["passives"], o["detractors"], o["n"]) == (2, 1, 1, 4)
    assert o["nps"] == approx(25.0) and o["mean"] == approx(8.0)


def test_response_rate_counts_usable_respondents(result):
    assert result["respondents"] == {"rows": 5, "usable": 4, "invited": 8, "response_rate": approx(0.5)}
    assert result["data_quality"][0]["row"] == 6


def test_segments_scored_like_the_whole(tiny):
    """The unpublished group figures, before disclosure control: computed as for the whole."""
    e = load_project(tiny).engagements["tiny-2026"]
    usable = e.responses.subset(usable_rows(e.responses))
    _, by_segment, _ = score_dimensions(e.questionnaire, usable, ["team"])
    x = usable.segments["team"].values.index("X")
    d1, d2 = (stats[x] for stats in by_segment["team"])
    assert d1["score"] == approx(87.5)  # r1 5, r2 4
    assert (d2["n"], d2["mean"], d2["score"], d2["favorable"]) == (1, approx(4), approx(75), approx(2 / 3))


def test_a_group_figure_resting_on_one_person_is_withheld(result):
    """X passes the threshold (2) on its head count, but d2 counts one of them: d2 and X's index go."""
    x, y = result["segments"]["team"]
    assert (x["value"], x["n"], x["suppressed"]) == ("X", 2, False)
    # vs_rest: X's respondent means (5, 4) against Y's (2, 3); p from scipy 1.17.1
    # stats.ttest_ind([5, 4], [2, 3], equal_var=False), Holm over X and Y (statsmodels multipletests).
    assert x["dimensions"]["d1"] == {"n": 2, "mean": approx(4.5), "score": approx(87.5),
                                     "favorable": approx(1.0), "withheld": False,
                                     "vs_rest": {"delta": approx(50.0), "p_value": approx(0.10557280900008414, abs=1e-12),
                                                 "p_adjusted": approx(0.21114561800016828, abs=1e-12),
                                                 "significant": False}}
    assert x["dimensions"]["d2"] == {"n": None, "mean": None, "score": None, "favorable": None, "withheld": True,
                                     "vs_rest": None}
    assert x["index"] is None  # with d2 withheld, the index and d1 would give d2 away
    assert y["value"] == "Y"


def _people(groups: dict[str, int]) -> Responses:
    """Everyone answering a=4, b=2 (codes: point - 1 + 2), in teams of the given sizes."""
    n = sum(groups.values())
    team = np.repeat(np.arange(len(groups)), list(groups.values()))
    answers = {i: np.full(n, code, dtype=np.uint8) for i, code in zip("abcde", (5, 3, 0, 0, 0))}
    answers["nps"] = np.zeros(n, dtype=np.uint8)
    return Responses("r.csv", answers, np.arange(n) + 2, {"team": Segment(team, list(groups))}, {})


@pytest.mark.parametrize("sizes, hidden", [
    ({"A": 6, "B": 7, "C": 8}, set()),
    ({"A": 2, "B": 7, "C": 8}, {"A", "B"}),          # one small: next smallest goes too
    ({"A": 2, "B": 3, "C": 8}, {"A", "B"}),          # two small: enough already
    ({"A": 2, "B": 9}, {"A", "B"}),                  # B = whole - A
    ({"A": 2, "B": 7, "C": 7}, {"A", "B"}),          # tie on the next smallest: by name
])
def test_segment_suppression(tiny, sizes, hidden):
    q = load_project(tiny).engagements["tiny-2026"].questionnaire
    groups = published_figures(q, _people(sizes), ["team"], 5)["segments"]["team"]
    assert {g["value"] for g in groups if g["suppressed"]} == hidden
    for g in groups:
        if g["suppressed"]:
            assert g == {"value": g["value"], "n": None, "suppressed": True, "index": None, "dimensions": {}}


def test_too_few_respondents_withholds_everything(tiny):
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text().replace("min_group_size: 2", "min_group_size: 5"))
    r = score_engagement(load_project(tiny).engagements["tiny-2026"])
    assert r["withheld"] is True
    text = json.dumps(r)
    assert '"usable": null' in text and r["dimensions"] == [] and r["segments"] == {}


def test_matches_independent_figures_for_shared_exports(pulse):
    """expected-scores.json was computed independently of this code."""
    expected = json.loads((pulse / "expected-scores.json").read_text())
    got = score_engagement(load_project(pulse).engagements["example-co-2026-oct"])
    assert_matches(got, expected)



@pytest.fixture
def tiny_q(tiny):
    return load_project(tiny).engagements["tiny-2026"].questionnaire


@pytest.mark.parametrize("fields_max", [None, 4])  # None: one pass; 4: a pass per item of agree5 (span 4)
@pytest.mark.parametrize("seed", range(6))
def test_counted_dimension_rows_equal_the_definitions(tiny_q, seed, fields_max, monkeypatch):
    """dimension_rows counts in packed integers; its means, counts and alpha equal the float definitions."""
    from cxsite import score
    from cxsite.model import BLANK, NA_CODE

    if fields_max:
        monkeypatch.setattr(score, "_FIELDS_MAX", fields_max)  # several passes, summed as wider integers
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 60))
    codes = [BLANK, NA_CODE, 2, 3, 4, 5, 6]
    weights = rng.dirichlet(np.ones(len(codes)) * (0.3 if seed % 2 else 3.0))
    answers = {i: rng.choice(codes, size=n, p=weights).astype(np.uint8) for i in "abcde"}
    answers["nps"] = np.full(n, 2, np.uint8)
    responses = Responses("r.csv", answers, np.arange(n) + 2, {}, {})
    for d in tiny_q.dimensions:
        rows = score.dimension_rows(d, responses)
        values = [score.item_values(i, answers[i.id]) for i in d.items]
        expected = respondent_dimension_means(values)
        assert np.array_equal(rows.means, expected, equal_nan=True)
        valid = np.sum([~np.isnan(v) for v in values], axis=0)
        assert rows.answered.tolist() == valid.tolist()
        favourable = np.sum([np.isin(v, sorted(d.scale.favorable)) for v in values], axis=0)
        assert rows.favorable.tolist() == favourable.tolist()
        alpha = cronbach_alpha(values)
        assert (rows.alpha is None) == (alpha is None)
        if alpha is not None:
            assert rows.alpha == approx(alpha, rel=1e-12, abs=1e-12)
