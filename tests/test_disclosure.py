"""Disclosure control, checked from the outside.

The property test generates engagements with several crossed (and nested)
segments and blank answers, takes what :func:`published_figures` publishes,
rebuilds each published figure's set of contributors here from the raw
answers, and then tries every combination of those sets with coefficients
-1, 0 and +1 (sums and differences of counts and totals): none may single out
a set of 1 to k-1 people. The check is brute force over the people, so it
shares nothing with the module's atom-and-family reasoning.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cxsite import disclosure
from cxsite.load import load_project
from cxsite.model import OFFSET, Responses, Segment
from cxsite.score import published_figures


@pytest.fixture(scope="module")
def questionnaire(tmp_path_factory):
    from conftest import copy_project

    root = copy_project("tiny", tmp_path_factory.mktemp("q"))
    return load_project(root).engagements["tiny-2026"].questionnaire


@st.composite
def engagements(draw):
    """People in 1-3 crossed segments (one possibly nested in another), answering with blanks."""
    n = draw(st.integers(4, 36))
    k = draw(st.integers(2, 5))
    segments: dict[str, np.ndarray] = {}
    for s in range(draw(st.integers(1, 3))):
        width = draw(st.integers(1, 4))
        segments[f"s{s}"] = np.array(draw(st.lists(st.integers(0, width - 1), min_size=n, max_size=n)))
    if draw(st.booleans()):
        # A division made of the teams of s0: nested groups.
        first = segments["s0"]
        mapping = draw(st.lists(st.integers(0, 1), min_size=4, max_size=4))
        segments["division"] = np.array([mapping[t] for t in first])
    # Per respondent and item: blank (0) or a point; item 'a' always answered, so all are usable.
    answers = {}
    for item in ("a", "b", "c", "d", "e"):
        given_ = draw(st.lists(st.integers(0 if item != "a" else OFFSET, OFFSET + 4), min_size=n, max_size=n))
        answers[item] = np.array([v if v != 1 else 0 for v in given_], dtype=np.uint8)
    answers["nps"] = np.zeros(n, dtype=np.uint8)
    segs = {}
    for name, codes in segments.items():
        values = sorted(set(codes.tolist()))
        segs[name] = Segment(np.array([values.index(c) for c in codes], dtype=np.intp), [f"v{v}" for v in values])
    return Responses("r.csv", answers, np.arange(n) + 2, segs, {}), k


def _contributors(q, r: Responses) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per dimension, who is counted (half its items answered) and who answered any of it."""
    out = {}
    for d in q.dimensions:
        valid = sum((r.column(i.id) >= OFFSET).astype(int) for i in d.items)
        out[d.id] = (valid >= max(math.ceil(len(d.items) / 2), 1), valid >= 1)
    return out


def published_sets(q, r: Responses, result: dict) -> dict[str, list[np.ndarray]]:
    """Each figure family's published sets of people, as boolean vectors over the respondents."""
    n = len(r)
    members = {("", ""): np.ones(n, dtype=bool)}
    for s, seg in r.segments.items():
        for g, value in enumerate(seg.values):
            members[(s, value)] = seg.codes == g
    shown = {("", ""): {d["id"]: not d["withheld"] for d in result["dimensions"]}}
    for s, groups in result["segments"].items():
        for g in groups:
            if not g["suppressed"]:
                shown[(s, g["value"])] = {i: not v["withheld"] for i, v in g["dimensions"].items()}
    families: dict[str, list[np.ndarray]] = {"people": [members[key] for key in shown]}
    for did, (counted, answered) in _contributors(q, r).items():
        keys = [key for key, dims in shown.items() if dims[did]]
        families[f"{did} counted"] = [members[key] & counted for key in keys]
        families[f"{did} answered"] = [members[key] & answered for key in keys]
    return families


def _smallest_derivable(sets: list[np.ndarray], k: int) -> tuple | None:
    """A -1/0/+1 combination of ``sets`` equal to a set of 1..k-1 people, if any."""
    unique = {s.tobytes(): s for s in sets}
    if not unique:
        return None
    matrix = np.array(list(unique.values()), dtype=np.int16).reshape(len(unique), -1)
    coefficients = np.array(list(itertools.product((-1, 0, 1), repeat=len(matrix))), dtype=np.int16)
    combos = coefficients @ matrix
    indicator = ((combos == 0) | (combos == 1)).all(axis=1)
    size = combos.sum(axis=1)
    bad = np.flatnonzero(indicator & (size > 0) & (size < k))
    return (coefficients[bad[0]].tolist(), int(size[bad[0]])) if len(bad) else None


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(engagements())
def test_no_published_figures_combine_into_a_small_set(questionnaire, case):
    r, k = case
    assume(len(r) >= k)  # below the threshold score_engagement publishes nothing at all
    result = published_figures(questionnaire, r, sorted(r.segments), k)
    for family, sets in published_sets(questionnaire, r, result).items():
        for s in sets:
            assert s.sum() >= k, f"{family}: a published figure rests on {s.sum()} < {k} people"
        if len({s.tobytes() for s in sets}) <= 9:  # 3^9 combinations; larger cases are rare
            found = _smallest_derivable(sets, k)
            assert found is None, f"{family}: coefficients {found[0]} single out {found[1]} people (k={k})"


def _groups(sizes_by_segment: dict[str, list[int]]) -> Responses:
    """Everyone answering every item, in segments whose groups are laid out in order."""
    n = sum(next(iter(sizes_by_segment.values())))
    answers = {i: np.full(n, OFFSET + 3, dtype=np.uint8) for i in "abcde"}
    answers["nps"] = np.zeros(n, dtype=np.uint8)
    segs = {}
    for name, sizes in sizes_by_segment.items():
        assert sum(sizes) == n
        segs[name] = Segment(np.repeat(np.arange(len(sizes)), sizes), [f"{name}{i}" for i in range(len(sizes))])
    return Responses("r.csv", answers, np.arange(n) + 2, segs, {})


def _suppressed(result: dict) -> set[str]:
    return {g["value"] for groups in result["segments"].values() for g in groups if g["suppressed"]}


def test_two_groups_of_one_are_hidden_with_a_third(questionnaire):
    """Two suppressed groups of 1: the whole minus the rest would give their two answers."""
    result = published_figures(questionnaire, _groups({"team": [1, 1, 6, 7]}), ["team"], 5)
    assert _suppressed(result) == {"team0", "team1", "team2"}


def test_a_team_nested_in_a_division_is_not_a_difference_away(questionnaire):
    """Division A = team0 + team1 (6 + 2): A minus team0 would be team1's two people."""
    r = _groups({"team": [6, 2, 6, 6], "division": [8, 12]})
    result = published_figures(questionnaire, r, ["division", "team"], 5)
    assert "team1" in _suppressed(result) and "team0" in _suppressed(result)
    assert not {"division0", "division1"} & _suppressed(result)


def test_a_division_made_of_two_shown_teams_leaves_no_small_rest(questionnaire):
    """Teams 6 + 6 + 2 inside a division of 14, the 2 in a third segment's group: withheld."""
    r = _groups({"team": [6, 6, 2, 6], "division": [14, 6]})
    result = published_figures(questionnaire, r, ["division", "team"], 5)
    shown = {g["value"]: g["n"] for g in result["segments"]["team"] if not g["suppressed"]}
    division0 = next(g for g in result["segments"]["division"] if g["value"] == "division0")
    if not division0["suppressed"]:
        inside = [v for v in shown if v in ("team0", "team1", "team2")]
        left = 14 - sum(shown[v] for v in inside)
        assert left == 0 or left >= 5


def test_a_dimension_answered_by_one_of_thirteen_is_withheld(questionnaire):
    """13 people, only one of whom answered two of d2's three items: d2 is withheld for the whole."""
    r = _groups({"team": [13]})
    for item in "cde":
        r.answers[item][:] = 0
    r.answers["c"][0] = r.answers["d"][0] = OFFSET + 4
    result = published_figures(questionnaire, r, [], 5)
    d2 = next(d for d in result["dimensions"] if d["id"] == "d2")
    assert d2["withheld"] and d2["score"] is None and d2["n"] is None
    c, d, e = d2["items"]
    assert c["withheld"] and d["withheld"] and c["counts"] is None and c["mean"] is None  # one answer each
    assert not e["withheld"] and e["n"] == 0 and e["mean"] is None  # nobody answered: nothing to hide
    # The index leaves d2 out: otherwise index and d1 would give d2's score away.
    d1 = next(d for d in result["dimensions"] if d["id"] == "d1")
    assert result["index"]["score"] == pytest.approx(d1["score"])


def test_the_whole_is_never_withheld_by_subtraction():
    u = disclosure.universe({"s": np.array([0] * 6 + [1] * 2)}, {"s": ["a", "b"]}, 8)
    shown = disclosure.decide(u, u.counts(), 5)
    assert dict(zip(u.keys, shown.tolist())) == {("", ""): True, ("s", "a"): False, ("s", "b"): False}


def _crossed(cells: list[int]) -> disclosure.Universe:
    """Two crossed segments of two groups each; ``cells`` sizes of (a0 b0, a0 b1, a1 b0, a1 b1)."""
    a = np.repeat([0, 0, 1, 1], cells)
    b = np.repeat([0, 1, 0, 1], cells)
    return disclosure.universe({"a": a, "b": b}, {"a": ["a0", "a1"], "b": ["b0", "b1"]}, sum(cells))


def test_fully_crossed_groups_of_five_are_all_shown():
    """Cells 2, 3, 3, 2: every group has 5, and no cell follows from the four groups and the whole."""
    u = _crossed([2, 3, 3, 2])
    assert disclosure.decide(u, u.counts(), 5).all()


def test_an_empty_cell_makes_the_opposite_cell_derivable():
    """a0 + b0 - whole = a0b0 when a1b1 is empty: a0b0 (2 people) must not follow."""
    u = _crossed([2, 4, 4, 0])
    shown = disclosure.decide(u, u.counts(), 5)
    rows = u.member[shown][:, u.counts() > 0]
    assert disclosure.small_derivable_set(rows, u.counts()[u.counts() > 0], 5) is None
    assert not shown.all()


def test_an_exhausted_search_withholds_rather_than_publishes(monkeypatch):
    """Past the search budget the module withholds a group: over-suppression, never a leak."""
    u = _crossed([2, 3, 3, 2])
    monkeypatch.setattr(disclosure, "SEARCH_BUDGET", 0)
    assert not disclosure.decide(u, u.counts(), 5).all()


@pytest.mark.slow
def test_an_engagement_below_the_threshold_with_segments_builds(tmp_path):
    """Withheld results link to no page that is not made (groups, comments): the strict build passes."""
    from conftest import copy_project

    from cxsite.build import build_site

    root = copy_project("tiny", tmp_path)
    eng = root / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text().replace("min_group_size: 2", "min_group_size: 5"))
    build_site(root, tmp_path / "site")
    overview = (tmp_path / "site" / "engagements" / "tiny-2026" / "index.html").read_text()
    assert "Results withheld" in overview and "segments.html" not in overview
