"""The new figures of ``cxsite score`` on the example engagements, and what privacy leaves of them.

Reference values: the respondent means and answers of the example engagements
were exported and recomputed in a scratch environment with statsmodels 0.15.0
(DescrStatsW.tconfint_mean, proportion_confint(method="wilson"),
multipletests(method="holm"), OLS), scipy 1.17.1 (ttest_ind(equal_var=False)
on the raw respondent means), pingouin 0.7.0 (cronbach_alpha, listwise) with
mpmath's incomplete beta for the unrounded Feldt ends, and relative weights by
an independent formulation: the SVD of the standardised predictors (their
closest orthonormal counterparts, Johnson 2000), with least squares for the
two regressions.
"""

import numpy as np
import pytest
from pytest import approx

from conftest import REPO
from cxsite.inference import vs_rest
from cxsite.trends import with_changes
from cxsite.load import load_project
from cxsite.model import Responses, Segment
from cxsite.score import published_figures, score_dimensions, score_engagement

TOL, P_TOL = 1e-9, 1e-12


@pytest.fixture(scope="module")
def waves():
    project = load_project(REPO, only=["northwind-2026-q3"])
    now = score_engagement(project.engagements["northwind-2026-q3"])
    before = score_engagement(project.engagements["northwind-2025-q4"])
    return with_changes(now, before)


def dim(result, did):
    return next(d for d in result["dimensions"] if d["id"] == did)


def test_score_interval(waves):
    assert dim(waves, "shared-purpose")["ci"] == approx([52.86424105545981, 59.75224639973734], abs=TOL)
    assert dim(waves, "speaking-up")["ci"] == approx([37.668213292788565, 44.54952864269529], abs=TOL)


def test_alpha_interval(waves):
    d = dim(waves, "shared-purpose")
    assert d["alpha"] == approx(0.8992865687344503, abs=TOL)
    assert d["alpha_ci"] == approx([0.8711452728648583, 0.9228368563888588], abs=TOL)
    assert d["alpha_ci"] == approx([0.871, 0.923], abs=5e-4)  # pingouin's own, rounded


def test_favourable_interval(waves):
    items = dim(waves, "shared-purpose")["items"]
    assert items[0]["favorable_ci"] == approx([0.3312426322902611, 0.47293646729406147], abs=TOL)
    assert items[1]["favorable_ci"] == approx([0.37953123677780143, 0.5254125043876955], abs=TOL)


@pytest.mark.parametrize("did, p, p_adjusted", [
    ("shared-purpose", 1.0290417222545614e-05, 4.1161668890182454e-05),
    ("internal-service", 5.400921593309995e-12, 4.320737274647996e-11),
    ("quality-of-work", 0.001041690257060668, 0.002083380514121336),
    ("removing-hassle", 0.00018528024561089739, 0.0005558407368326921),
    ("alignment", 3.4710705017647138e-06, 1.735535250882357e-05),
    ("leadership-example", 3.628986929111661e-11, 2.540290850378163e-10),
    ("emotional-commitment", 0.026739409131017914, 0.026739409131017914),
    ("speaking-up", 6.200424622586197e-07, 3.7202547735517182e-06),
])
def test_change_since_the_previous_wave(waves, did, p, p_adjusted):
    change = dim(waves, did)["change"]
    assert change["previous"] == "northwind-2025-q4"
    assert change["p_value"] == approx(p, abs=P_TOL)
    assert change["p_adjusted"] == approx(p_adjusted, abs=P_TOL)
    assert change["significant"] is (p_adjusted < 0.05)
    assert change["delta"] == approx(dim(waves, did)["score"] - change["previous_score"], abs=TOL)


def test_nps_interval_and_change(waves):
    enps = next(o for o in waves["outcomes"] if o["id"] == "enps")
    assert enps["nps"] == approx(-9.62566844919786, abs=TOL)
    assert enps["nps_ci"] == approx([-21.496047735223744, 2.2447108368280233], abs=TOL)
    assert enps["change"]["delta"] == approx(33.07096076428529, abs=TOL)
    assert enps["change"]["p_value"] == approx(4.815564344006415e-05, abs=P_TOL)
    assert enps["change"]["previous"] == "northwind-2025-q4"
    recommend = next(o for o in waves["outcomes"] if o["id"] == "recommend")
    assert recommend["nps_ci"] is None and recommend["change"] is None  # not an NPS scale


@pytest.mark.parametrize("group, did, delta, p, p_adjusted", [
    ("Customer Support", "alignment", 8.994873311643502, 0.03148450221293552, 0.850081559749259),
    ("Customer Support", "leadership-example", 11.686877649610572, 0.0011471967619786992, 0.036710296383318373),
    ("IT", "leadership-example", -3.75, 0.47524092392273565, 1.0),
    ("Operations", "alignment", -5.549242424242422, 0.13766698490726365, 1.0),
])
def test_group_against_the_rest(waves, group, did, delta, p, p_adjusted):
    g = next(g for g in waves["segments"]["department"] if g["value"] == group)
    test = g["dimensions"][did]["vs_rest"]
    assert test["delta"] == approx(delta, abs=TOL)
    assert test["p_value"] == approx(p, abs=P_TOL)
    assert test["p_adjusted"] == approx(p_adjusted, abs=P_TOL)
    assert test["significant"] is (p_adjusted < 0.05)


@pytest.mark.parametrize("outcome, r2, first_three", [
    ("enps", 0.664119742867683, [0.1011415011378133, 0.060978842700026306, 0.12831173369856091]),
    ("recommend", 0.671358691985467, [0.09283210491509039, 0.06389005077374052, 0.07250370613865674]),
])
def test_key_drivers(waves, outcome, r2, first_three):
    entry = next(d for d in waves["drivers"] if d["outcome"] == outcome)
    assert (entry["method"], entry["n"]) == ("relative-weights", 185)
    assert entry["r2"] == approx(r2, abs=TOL)
    assert [w["raw"] for w in entry["weights"][:3]] == approx(first_three, abs=TOL)
    assert [w["dimension"] for w in entry["weights"]] == [d["id"] for d in waves["dimensions"]]
    for w in entry["weights"]:
        assert w["share"] == approx(w["raw"] / entry["r2"], abs=TOL)
        assert w["ci"][0] <= w["share"] <= w["ci"][1]


def test_no_previous_wave_no_change():
    project = load_project(REPO, only=["harbourline-2026-q2"])
    r = with_changes(score_engagement(project.engagements["harbourline-2026-q2"]), None)
    assert all(d["change"] is None for d in r["dimensions"])
    assert all(o["change"] is None for o in r["outcomes"])


# ---- privacy -------------------------------------------------------------------------------

def _people(groups: dict[str, int], seed: int = 0) -> Responses:
    """Varied answers to the tiny questionnaire (a-e, nps), in teams of the given sizes."""
    rng = np.random.default_rng(seed)
    n = sum(groups.values())
    team = np.repeat(np.arange(len(groups)), list(groups.values()))
    answers = {i: rng.integers(2, 7, size=n).astype(np.uint8) for i in "abcde"}
    answers["nps"] = rng.integers(2, 13, size=n).astype(np.uint8)
    return Responses("r.csv", answers, np.arange(n) + 2, {"team": Segment(team, list(groups))}, {})


@pytest.fixture
def tiny_q(tiny):
    return load_project(tiny).engagements["tiny-2026"].questionnaire


def test_suppressed_groups_get_no_test(tiny_q):
    groups = published_figures(tiny_q, _people({"A": 2, "B": 7, "C": 8}), ["team"], 5)["segments"]["team"]
    by = {g["value"]: g for g in groups}
    assert by["A"]["suppressed"] and by["B"]["suppressed"]
    assert "vs_rest" not in str(by["A"]) and "vs_rest" not in str(by["B"])
    assert all(d["vs_rest"] is not None for d in by["C"]["dimensions"].values())


def test_withheld_group_dimension_gets_no_test(tiny_q):
    r = _people({"A": 6, "B": 7, "C": 8})
    r.answers["a"][:6] = 0  # A: nobody answers d1's first item ...
    r.answers["b"][:5] = 0  # ... and only one answers the second: d1 rests on one person in A
    groups = published_figures(tiny_q, r, ["team"], 5)["segments"]["team"]
    a = next(g for g in groups if g["value"] == "A")
    assert a["dimensions"]["d1"]["withheld"] and a["dimensions"]["d1"]["vs_rest"] is None


def test_small_rest_gets_no_test(tiny_q):
    """A group against a rest of fewer than min_group_size would publish the rest's score."""
    r = _people({"A": 6, "B": 7, "C": 8})
    published = published_figures(tiny_q, r, ["team"], 5)
    _, by_segment, _ = score_dimensions(tiny_q, r, ["team"])
    segments = published["segments"]
    vs_rest(segments, by_segment, published["dimensions"], tiny_q, r, 14)  # rests: A 15, B 14, C 13
    got = {g["value"]: g["dimensions"]["d1"]["vs_rest"] is not None for g in segments["team"]}
    assert got == {"A": True, "B": True, "C": False}


def test_withheld_figures_get_no_change():
    def result(withheld: bool, nps_withheld: bool = False) -> dict:
        # The figures are left in on purpose: "withheld" alone must stop a change.
        d = {"id": "d1", "n": 30, "mean": 3.0, "sd": 1.0, "score": 50.0, "withheld": withheld}
        o = {"id": "o", "n": 30, "nps": 10.0, "promoters": 10, "detractors": 7, "withheld": nps_withheld}
        return {"withheld": False, "engagement": {"id": "e"}, "dimensions": [d], "outcomes": [o]}
    assert with_changes(result(False), result(True))["dimensions"][0]["change"] is None
    assert with_changes(result(True), result(False))["dimensions"][0]["change"] is None
    assert with_changes(result(False), result(False))["dimensions"][0]["change"]["delta"] == 0
    assert with_changes(result(False), result(False, True))["outcomes"][0]["change"] is None
    assert with_changes(result(False, True), result(False))["outcomes"][0]["change"] is None


# ---- the report ----------------------------------------------------------------------------

def test_only_clear_changes_are_marked(tiny):
    """A second wave with the same answers: every change is 0, none is clear, none gets an arrow."""
    import shutil

    from cxsite.pages import build_pages

    first = tiny / "engagements" / "tiny-2026"
    second = tiny / "engagements" / "tiny-2027"
    shutil.copytree(first, second)
    yml = (first / "engagement.yml").read_text()
    (second / "engagement.yml").write_text(yml.replace("date: 2026-06-30", "date: 2027-06-30")
                                           .replace("wave: 2026", "wave: 2027") + "previous: tiny-2026\n")
    site = build_pages(load_project(tiny))
    overview = site.pages["engagements/tiny-2027/index.md"]
    table = overview[overview.index("| Dimension |"):overview.index("Scores run from")]
    assert table.count("no clear change") == 2 and "▲" not in table and "▼" not in table
    page = site.pages["engagements/tiny-2027/dimensions/d1.md"]
    assert "no clear change since 2026 (+0 points, within what chance would explain)" in page
    r = site.results["tiny-2027"]
    assert all(d["change"]["p_value"] in (None, 1.0) and d["change"]["significant"] is False
               for d in r["dimensions"] if d["change"])


def test_alpha_interval_goes_with_alpha(tiny_q):
    """Alpha over 4 complete cases exists but rests on fewer than 5 people: alpha and its interval go."""
    r = _people({"A": 12})
    r.answers["e"][4:] = 0  # only the first 4 answer every statement of d2 (c, d, e); all are counted
    d2 = next(d for d in published_figures(tiny_q, r, [], 5)["dimensions"] if d["id"] == "d2")
    assert not d2["withheld"] and d2["alpha"] is None and d2["alpha_ci"] is None
    d2 = next(d for d in published_figures(tiny_q, r, [], 4)["dimensions"] if d["id"] == "d2")
    assert d2["alpha"] is not None and d2["alpha_ci"] is not None
