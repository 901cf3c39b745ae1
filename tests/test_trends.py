"""Comparable trends (issue 16, part 1): a change rests only on the items both waves asked the same way.

The independent computation below scores the compared items by hand (plain
Python over the CSV cells) and tests with scipy.stats.ttest_ind(equal_var=False),
not with cxsite's scoring.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import pytest
from pytest import approx
from scipy import stats as sps

from cxsite.cache import Cache
from cxsite.load import load_project
from cxsite.pages import build_pages
from cxsite.results import Results
from cxsite.trends import plan

TOL, P_TOL = 1e-6, 1e-9
HEADER = ["respondent_id", "team", "a", "b", "c", "d", "e", "nps", "why"]
REVERSED = {"b"}


def _answers(seed: int, n: int, shift: int) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for r in range(n):
        row = [f"r{r}", rng.choice("XY")]
        for item in "abcde":
            roll = rng.random()
            row.append("" if roll < 0.1 else "N/A" if roll < 0.15 else str(min(5, max(1, rng.randint(1, 5) + shift))))
        row += [str(rng.randint(0, 10)), ""]
        rows.append(row)
    return rows


def _write(folder: Path, rows: list[list[str]]) -> None:
    with (folder / "responses.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *rows])


def _two_versions(root: Path, new_version: str, edit) -> tuple[list, list]:
    """tiny 1.0.0 archived, ``edit`` applied to the current file at ``new_version``, a wave on each."""
    qfile = root / "assessments" / "tiny.yml"
    (root / "assessments" / "archive").mkdir()
    shutil.copy(qfile, root / "assessments" / "archive" / "tiny-1.0.0.yml")
    qfile.write_text(edit(qfile.read_text().replace("version: 1.0.0", f"version: {new_version}")))
    first = root / "engagements" / "tiny-2026"
    second = root / "engagements" / "tiny-2027"
    shutil.copytree(first, second)
    old_rows, new_rows = _answers(1, 40, 0), _answers(2, 45, 1)
    _write(first, old_rows)
    _write(second, new_rows)
    yml = (first / "engagement.yml").read_text().replace("invited: 8", "invited: 60")
    (first / "engagement.yml").write_text(yml)
    (second / "engagement.yml").write_text(
        yml.replace("date: 2026-06-30", "date: 2027-06-30").replace("wave: 2026", "wave: 2027")
        .replace("tiny@1.0.0", f"tiny@{new_version}").replace("title: Tiny baseline", "title: Tiny follow-up")
        + "previous: tiny-2026\n")
    return old_rows, new_rows


def _reworded(text: str) -> str:
    return text.replace("Statement D.", "Statement D reworded to mean something else.")


def _respondent_means(rows: list[list[str]], items: str) -> list[float]:
    """Each respondent's mean over ``items`` (reverse items reflected), counted at half of them answered."""
    means = []
    for row in rows:
        cells = dict(zip(HEADER, row))
        got = [6 - int(cells[i]) if i in REVERSED else int(cells[i]) for i in items if cells[i].isdigit()]
        if got and 2 * len(got) >= len(items):
            means.append(sum(got) / len(got))
    return means


def _dim(result: dict, did: str) -> dict:
    return next(d for d in result["dimensions"] if d["id"] == did)


def test_reworded_item_is_left_out_and_named(tiny):
    old_rows, new_rows = _two_versions(tiny, "1.1.0", _reworded)
    project = load_project(tiny)
    r = Results().reported(project.engagements["tiny-2027"], project.engagements["tiny-2026"])
    d2 = _dim(r, "d2")["change"]
    assert d2["items_compared"] == ["c", "e"] and d2["items_not_compared"] == ["d"]
    assert d2["not_compared_reasons"] == {"d": "reworded"} and d2["reason"] is None
    now, then = _respondent_means(new_rows, "ce"), _respondent_means(old_rows, "ce")
    score = lambda ms: 100 * (sum(ms) / len(ms) - 1) / 4  # noqa: E731 - the 1..5 scale on 0..100
    assert d2["previous_score"] == approx(score(then), abs=TOL)
    assert d2["delta"] == approx(score(now) - score(then), abs=TOL)
    assert d2["p_value"] == approx(sps.ttest_ind(now, then, equal_var=False).pvalue, abs=P_TOL)
    # d1 asked the same way: its published scores are compared, on the same test.
    d1 = _dim(r, "d1")["change"]
    assert d1["items_compared"] == ["a", "b"] and d1["items_not_compared"] == []
    n1, o1 = _respondent_means(new_rows, "ab"), _respondent_means(old_rows, "ab")
    assert d1["delta"] == approx(score(n1) - score(o1), abs=TOL)
    # Holm over the two dimensions with a change.
    ps = sorted([d1["p_value"], d2["p_value"]])
    assert min(d1["p_adjusted"], d2["p_adjusted"]) == approx(min(1, 2 * ps[0]), abs=P_TOL)
    items = {i["id"]: i["change"] for i in _dim(r, "d2")["items"]}
    assert items["d"]["delta"] is None and items["d"]["reason"] == "reworded"
    assert items["c"]["delta"] is not None and items["c"]["reason"] is None
    # Not every dimension compared whole: no index change, and why.
    assert r["trend"]["index"] is None and "not every dimension" in r["trend"]["index_reason"]


def test_same_version_compares_everything_and_the_index(tiny):
    _two_versions(tiny, "1.0.1", lambda t: t.replace("title: Tiny\n", "title: Tiny (typo fixed)\n"))
    project = load_project(tiny)
    r = Results().reported(project.engagements["tiny-2027"], project.engagements["tiny-2026"])
    before = Results().result(project.engagements["tiny-2026"])
    assert r["trend"]["index"]["delta"] == approx(r["index"]["score"] - before["index"]["score"], abs=TOL)
    assert all(not d["change"]["items_not_compared"] for d in r["dimensions"])


@pytest.mark.parametrize("version, edit, reason", [
    ("2.0.0", lambda t: t, "a major version difference (1.0.0 and 2.0.0)"),
    ("1.1.0", lambda t: t.replace("Statement A.", "A new A.").replace("Statement B.", "A new B."),
     "none of its statements was asked the same way in the previous wave"),
])
def test_no_change_with_the_reason(tiny, version, edit, reason):
    _two_versions(tiny, version, edit)
    project = load_project(tiny)
    r = Results().reported(project.engagements["tiny-2027"], project.engagements["tiny-2026"])
    d1 = _dim(r, "d1")["change"]
    assert d1["delta"] is None and d1["previous_score"] is None and d1["reason"] == reason
    assert d1["p_value"] is None and d1["significant"] is False
    assert r["trend"]["index"] is None


def test_another_questionnaire_is_never_compared(tiny):
    """Two questionnaires sharing dimension and item ids are still two measures."""
    from cxsite.model import Questionnaire  # noqa: F401 - the plan reads only ids and versions
    project = load_project(tiny)
    q = project.engagements["tiny-2026"].questionnaire
    from dataclasses import replace
    other = replace(q, id="other")
    p = plan(other, q)
    assert p.blocker == "different questionnaires ('other' and 'tiny')"
    assert all(d.reason == p.blocker and not d.compared for d in p.dimensions.values())


def test_moved_and_removed_items_are_named_on_both_sides(tiny):
    # Major bump: 'e' leaves d2 for d1 (moved), and 'c' is removed. Compared as a minor version would
    # be rejected by the version rules, so the plan is asked directly.
    project = load_project(tiny)
    old = project.engagements["tiny-2026"].questionnaire
    from dataclasses import replace
    d1, d2 = old.dimensions
    e = d2.items[2]
    new = replace(old, dimensions=(replace(d1, items=(*d1.items, e)), replace(d2, items=(d2.items[1],))))
    p = plan(old, new)
    assert p.dimensions["d1"].compared == ("a", "b") and p.dimensions["d1"].not_compared == (("e", "moved"),)
    assert p.dimensions["d2"].compared == ("d",)
    assert dict(p.dimensions["d2"].not_compared) == {"c": "removed", "e": "moved"}
    assert p.index_reason == "not every dimension was asked the same way in both waves"


def test_weights_changed_means_no_index_change(tiny):
    project = load_project(tiny)
    old = project.engagements["tiny-2026"].questionnaire
    from dataclasses import replace
    new = replace(old, dimensions=(old.dimensions[0], replace(old.dimensions[1], weight=1.0)))
    assert plan(old, new).index_reason == "the dimensions' weights in the index changed"


def test_compared_items_answered_by_too_few_give_no_score(tiny):
    old_rows, new_rows = _two_versions(tiny, "1.1.0", lambda t: t.replace("Statement B.", "Statement B anew."))
    for row in new_rows[1:]:  # only one respondent of the new wave answers 'a', the one item compared
        row[2] = ""
    _write(tiny / "engagements" / "tiny-2027", new_rows)
    project = load_project(tiny)
    r = Results().reported(project.engagements["tiny-2027"], project.engagements["tiny-2026"])
    d1 = _dim(r, "d1")
    assert not d1["withheld"]  # b keeps d1 published ...
    assert d1["change"]["delta"] is None and d1["change"]["previous_score"] is None  # ... its change is not
    assert "too few people" in d1["change"]["reason"] and d1["change"]["items_compared"] == ["a"]


def test_the_cache_gives_the_same_change(tiny):
    """A rebuild reads both waves from the cache and their responses not at all, and changes nothing."""
    _two_versions(tiny, "1.1.0", _reworded)
    first = Results(Cache(tiny / ".cache"))
    project = load_project(tiny, known=first.known)
    want = first.reported(project.engagements["tiny-2027"], project.engagements["tiny-2026"])
    again = Results(Cache(tiny / ".cache"))
    project = load_project(tiny, known=again.known)
    assert all(e.responses is None for e in project.engagements.values())
    got = again.reported(project.engagements["tiny-2027"], project.engagements["tiny-2026"])
    assert got == want
    assert all(e.responses is None for e in project.engagements.values())  # the subset came from the cache


def test_the_report_says_what_was_compared(tiny):
    _two_versions(tiny, "1.1.0", _reworded)
    site = build_pages(load_project(tiny))
    page = site.pages["engagements/tiny-2027/dimensions/d2.md"]
    assert "2 of 3\n    statements compared" in page and "left out:\n\n    - *reworded:*" in page
    assert "- *reworded:* Statement D reworded to mean something else." in page
    assert "| not compared |" in page  # the reworded statement's own change
    overview = site.pages["engagements/tiny-2027/index.md"]
    assert "(2 of 3 statements)" in overview
    assert "No change of the index since 2027" not in overview and "No change of the index since 2026" in overview
    assert "not every dimension was asked the same way in both waves" in overview
