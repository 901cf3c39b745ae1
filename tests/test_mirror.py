"""The mirror (staff beside customers) and the assessor beside staff, against an independent implementation.

The reference reads the trio's raw files (CSV, ratings YAML) itself and
computes every figure with scipy: ``scipy.stats.ttest_ind(a, b,
equal_var=False)`` for Welch's p and ``.confidence_interval()`` for the
interval of the difference, ``scipy.stats.t.interval`` for the staff
score's t-interval. Holm is written out below as statsmodels'
``multipletests(method="holm")`` defines it. Figures to 1e-6, p to 1e-9.
"""

from __future__ import annotations

import csv
import json
import math
import shutil

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest import approx
from scipy import stats as sps

from conftest import PROJECTS, copy_project
from cxsite import mirror, stats
from cxsite.load import load_project
from cxsite.pages import build_pages

TRIO = PROJECTS / "trio"
Q = yaml.safe_load((TRIO / "assessments" / "duo.yml").read_text())
DIMS = [(d["id"], [(i["id"], i.get("reverse", False)) for i in d["items"]]) for d in Q["dimensions"]]
LOW, HIGH = 1, 5


@pytest.fixture
def trio(tmp_path):
    return copy_project("trio", tmp_path)


def _rows(path):
    if path.suffix == ".yml":
        return yaml.safe_load(path.read_text())["respondents"]
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def _value(raw, reverse):
    """A valid answer as a number (reflected when reverse-keyed), or None for blank and N/A."""
    raw = str(raw if raw is not None else "").strip()
    if not raw.isdigit():
        return None
    v = int(raw)
    return LOW + HIGH - v if reverse else v


def respondent_means(path):
    """Per dimension, each counted respondent's mean (half rule: at least ceil(k/2) of k items)."""
    out = {}
    for dim, items in DIMS:
        means = []
        for row in _rows(path):
            vals = [v for i, rev in items if (v := _value(row.get(i), rev)) is not None]
            if len(vals) >= math.ceil(len(items) / 2):
                means.append(sum(vals) / len(vals))
        out[dim] = np.array(means)
    return out


def item_means(path):
    out = {}
    for _, items in DIMS:
        for i, rev in items:
            vals = [v for row in _rows(path) if (v := _value(row.get(i), rev)) is not None]
            out[i] = sum(vals) / len(vals)
    return out


def score(mean):
    return 100 * (mean - LOW) / (HIGH - LOW)


def holm(ps):
    """statsmodels multipletests(ps, method="holm")[1], written out."""
    order = np.argsort(ps)
    adjusted, running = np.empty(len(ps)), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        adjusted[i] = running
    return adjusted


def score_json(project, cli, eid="trio-staff"):
    code, out, err = cli("--project", project, "score", eid)
    assert code == 0, err
    return json.loads(out)


def test_mirror_figures_equal_scipys(trio, cli):
    got = score_json(trio, cli)["mirror"]
    staff = respondent_means(trio / "engagements" / "trio-staff" / "responses.csv")
    cust = respondent_means(trio / "engagements" / "trio-customers" / "responses.csv")
    assert got["customers"] == "trio-customers"
    assert [d["id"] for d in got["dimensions"]] == [d for d, _ in DIMS]
    tests = [sps.ttest_ind(staff[d], cust[d], equal_var=False) for d, _ in DIMS]
    adjusted = holm([t.pvalue for t in tests])
    for d, t, adj in zip(got["dimensions"], tests, adjusted):
        a, b = staff[d["id"]], cust[d["id"]]
        assert d["staff_score"] == approx(score(a.mean()), abs=1e-6)
        assert d["customer_score"] == approx(score(b.mean()), abs=1e-6)
        assert d["gap"] == approx(score(a.mean()) - score(b.mean()), abs=1e-6)
        ci = t.confidence_interval(0.95)
        assert d["gap_ci"] == approx([100 * ci.low / (HIGH - LOW), 100 * ci.high / (HIGH - LOW)], abs=1e-6)
        assert d["p_value"] == approx(t.pvalue, abs=1e-9)
        assert d["p_adjusted"] == approx(adj, abs=1e-9)
        assert d["significant"] is bool(adj < 0.05)
        assert d["overrated"] is bool(adj < 0.05 and d["gap"] > 0)
    # The fixture is made so that Holm matters, and has an overrated, an underrated and an unclear dimension.
    assert [d["significant"] for d in got["dimensions"]] == [True, True, False]
    assert [d["overrated"] for d in got["dimensions"]] == [True, False, False]
    assert got["dimensions"][1]["p_adjusted"] != approx(got["dimensions"][1]["p_value"])


def test_mirror_items_equal_the_raw_means(trio, cli):
    got = score_json(trio, cli)["mirror"]["items"]
    staff = item_means(trio / "engagements" / "trio-staff" / "responses.csv")
    cust = item_means(trio / "engagements" / "trio-customers" / "responses.csv")
    assert [i["id"] for i in got] == [i for _, items in DIMS for i, _ in items]
    for i in got:
        assert i["staff_mean"] == approx(staff[i["id"]], abs=1e-6)
        assert i["customer_mean"] == approx(cust[i["id"]], abs=1e-6)
        assert i["gap"] == approx(staff[i["id"]] - cust[i["id"]], abs=1e-6)


def test_assessor_beside_staff_equals_the_raw_figures(trio, cli):
    result = score_json(trio, cli)
    got = result["assessor"]
    staff = respondent_means(trio / "engagements" / "trio-staff" / "responses.csv")
    rated = respondent_means(trio / "engagements" / "trio-assessor" / "ratings.yml")
    assert got["engagement"] == "trio-assessor"
    outside = []
    for d in got["dimensions"]:
        a = staff[d["id"]]
        low, high = sps.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=a.std(ddof=1) / math.sqrt(len(a)))
        mine, theirs = score(a.mean()), score(rated[d["id"]].mean())
        assert d["staff_score"] == approx(mine, abs=1e-6)
        assert d["assessor_score"] == approx(theirs, abs=1e-6)
        assert d["difference"] == approx(theirs - mine, abs=1e-6)
        assert d["outside_staff_ci"] is bool(not score(low) <= theirs <= score(high))
        outside.append(d["outside_staff_ci"])
    assert True in outside and False in outside  # the fixture has both cases
    assert score_json(trio, cli, "trio-assessor")["min_group_size"] == 1  # named, not anonymous


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1, 5), min_size=2, max_size=30), st.lists(st.floats(1, 5), min_size=2, max_size=30))
def test_welch_interval_is_scipys(a, b):
    a, b = np.array(a), np.array(b)
    got = stats.welch_interval((len(a), a.mean(), a.std(ddof=1)), (len(b), b.mean(), b.std(ddof=1)))
    if a.std() < 1e-9 or b.std() < 1e-9:
        return  # scipy's degrees of freedom lose all precision with (almost) no spread
    ci = sps.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert got == approx([ci.low, ci.high], abs=1e-9)


def test_welch_interval_needs_two_values_and_some_spread():
    assert stats.welch_interval((1, 3.0, 0.0), (5, 2.0, 1.0)) is None
    assert stats.welch_interval((4, 3.0, 0.0), (5, 2.0, 0.0)) is None


def test_unlinked_waves_give_null(tiny, cli):
    result = score_json(tiny, cli, "tiny-2026")
    assert result["mirror"] is None and result["assessor"] is None


def test_customers_wave_below_its_own_threshold_gives_no_customer_figure(trio, cli):
    eng = trio / "engagements" / "trio-customers" / "engagement.yml"
    eng.write_text(eng.read_text().replace("min_group_size: 4", "min_group_size: 19"))  # 18 customers answered
    result = score_json(trio, cli)
    assert result["mirror"] == {"customers": "trio-customers", "dimensions": [], "items": []}
    page = _mirror_page(trio)
    assert "Fewer than 19 customers gave a usable answer" in page
    assert "| [Care](dimensions/care.md) | 73 | – | **–** | – | – | – | 50 ◆ |" in page  # staff 73; customers, gap, interval: nothing
    assert "The statements, both ways" not in page and "customers 34" not in page


def test_customers_withheld_dimension_gives_nothing_of_it(trio, cli):
    # One customer rates speed only: with a threshold of 2, only 1 respondent answered s1 alone.
    csvfile = trio / "engagements" / "trio-customers" / "responses.csv"
    lines = csvfile.read_text().splitlines()
    header = lines[0].split(",")
    keep = {"c1", "c2", "c3", "why"}
    blanked = [",".join(v if h in keep else "" for h, v in zip(header, line.split(","))) for line in lines[1:]]
    csvfile.write_text("\n".join([lines[0], *blanked[:-1], lines[-1]]) + "\n")
    eng = trio / "engagements" / "trio-customers" / "engagement.yml"
    eng.write_text(eng.read_text().replace("min_group_size: 4", "min_group_size: 2"))
    mirror = score_json(trio, cli)["mirror"]
    speed = next(d for d in mirror["dimensions"] if d["id"] == "speed")
    assert speed["customer_score"] is None and speed["gap"] is None and speed["p_value"] is None
    assert speed["staff_score"] is not None and speed["overrated"] is False
    s1 = next(i for i in mirror["items"] if i["id"] == "s1")
    assert s1["customer_mean"] is None and s1["gap"] is None


def test_a_withheld_figure_takes_part_in_nothing():
    """Whatever a withheld entry still carries, the mirror and the assessor's comparison use none of it."""
    def dim(withheld, score=60.0):
        return {"id": "care", "withheld": withheld, "n": 10, "mean": 3.4, "sd": 0.8, "score": score, "ci": [50.0, 70.0],
                "items": [{"id": "c1", "withheld": withheld, "mean": 3.5}]}

    q = load_project(TRIO, responses=False).engagements["trio-staff"].questionnaire
    staff = {"dimensions": [dim(False)]}
    other = {"engagement": {"id": "x"}, "dimensions": [dim(True, 20.0)]}
    got = mirror.mirror(staff, other, q, q)
    assert got["dimensions"][0]["customer_score"] is None and got["dimensions"][0]["gap"] is None
    assert got["dimensions"][0]["p_value"] is None and got["dimensions"][0]["gap_ci"] is None
    assert got["items"] == [{"id": "c1", "staff_mean": 3.5, "customer_mean": None, "gap": None}]
    rated = mirror.beside_assessor(staff, other)["dimensions"][0]
    assert rated["assessor_score"] is None and rated["difference"] is None and rated["outside_staff_ci"] is None


def _site(project, client=None):
    loaded = load_project(project, client=client)
    return build_pages(loaded)


def _mirror_page(project, eid="trio-staff"):
    return _site(project).pages[f"engagements/{eid}/mirror.md"]


def test_mirror_page_shows_both_wordings_and_the_dumbbell_chart(trio):
    page = _mirror_page(trio)
    assert "We listen to customers." in page and "They listen to me." in page
    assert page.count('<svg class="cx-chart cx-dumbbell-mirror"') == 1
    assert "| [Care](dimensions/care.md) | 73 | 34 | **+39** | +27 to +51 | < 0.001 | overrated | 50 ◆ |" in page
    assert "| [Honesty](dimensions/honesty.md) | 51 | 47 | **+3** | −10 to +16 | 0.615 | no clear gap | 50 |" in page
    assert "| [Speed](dimensions/speed.md) | 41 | 75 | **−34** | −46 to −22 | < 0.001 | underrated | 88 ◆ |" in page
    assert "**Where Trio Co overrates itself:** Care (gap +39)." in page
    assert "**Where it underrates itself:** Speed (gap −34)." in page
    assert "**Where the assessor disagrees with staff:** Care (assessor 50, staff 73), Speed (assessor 88, staff 41)." in page
    assert "Care: staff 73, customers 34, gap +39, assessor 50 (95 % interval of the gap +27 to +51)" in page
    assert "<title" in page and "<desc" in page  # the chart has a text alternative
    # The assessor's evidence is escaped, not markup.
    assert "&lt;b&gt;scripts&lt;/b&gt;" in page and "<b>scripts</b>" not in page
    # The largest overrated item comes first in its list.
    overrated = page.split("overrates itself", 1)[1]
    assert overrated.index("We ignore complaints.") < overrated.index("We listen to customers.") \
        < overrated.index("We call customers back.")


def test_customers_wave_pages_use_the_customers_wording(trio):
    site = _site(trio)
    page = site.pages["engagements/trio-customers/dimensions/care.md"]
    assert "They listen to me." in page and "We listen to customers." not in page
    assert "engagements/trio-customers/mirror.md" not in site.pages  # the mirror is the staff wave's page


def test_no_other_clients_data_on_the_mirror_page(trio):
    other = trio / "engagements" / "rival-customers"
    shutil.copytree(trio / "engagements" / "trio-customers", other)
    (other / "engagement.yml").write_text((other / "engagement.yml").read_text()
                                          .replace("Trio Co", "Rival plc").replace("Customer survey", "Rival survey"))
    site = _site(trio, client="Trio Co")
    assert not any("rival" in p for p in site.pages)
    assert not any("Rival" in text for text in site.pages.values())


def test_overview_links_the_mirror(trio):
    page = _site(trio).pages["engagements/trio-staff/index.md"]
    focus = page.split("**Where to focus**", 1)[1].split("</div>", 1)[0]
    assert "Customers rate **Care** clearly lower than staff do ([staff and customers](mirror.md))" in focus
    summary = page.split("## Summary", 1)[1].split("<div", 1)[0]
    assert "staff rate **Care** clearly higher than customers do" in summary
    assert "[Staff and customers](mirror.md)" in page.split("{: .cx-links }")[0].rsplit("\n", 2)[-2]


def test_a_linked_engagement_builds_with_its_mirror(trio, cli):
    loaded = load_project(trio, only=["trio-staff"])
    assert sorted(loaded.engagements) == ["trio-assessor", "trio-customers", "trio-staff"]


def test_import_matches_the_customers_wording(trio, cli):
    export = trio / "export.csv"
    export.write_text("They listen to me.,They ignore my complaints.,They call me back.,They answer me within a "
                      "day.,They fix my problems at once.,They explain their prices to me.,They admit their "
                      "mistakes to me.,What should they change?\n4,2,4,3,3,4,4,\n2,4,2,3,3,2,2,\n")
    code, _, err = cli("--project", trio, "import", export, "--engagement", "trio-customers", "--from", "generic")
    assert code == 0, err
    assert (trio / "engagements" / "trio-customers" / "responses.csv").read_text().startswith("c1,c2,c3,")


def test_import_into_a_customers_wave_refuses_the_staff_wording(trio, cli):
    export = trio / "export.csv"
    export.write_text("We listen to customers.,We ignore complaints.,We call customers back.,We answer within a "
                      "day.,We fix problems at once.,We explain our prices.,We admit our mistakes.,"
                      "What should we change?\n4,2,4,3,3,4,4,\n")
    before = (trio / "engagements" / "trio-customers" / "responses.csv").read_bytes()
    code, _, err = cli("--project", trio, "import", export, "--engagement", "trio-customers", "--from", "generic")
    assert code == 1 and "Traceback" not in err
    assert "'We listen to customers.' matches no item" in err
    assert (trio / "engagements" / "trio-customers" / "responses.csv").read_bytes() == before


def test_score_csv_has_the_mirror_rows(trio, cli):
    code, out, err = cli("--project", trio, "score", "trio-staff", "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(out.splitlines()))
    assert ["mirror", "care", "", "", "overrated", "True"] in rows
    assert ["mirror", "speed", "", "", "overrated", "False"] in rows
    assert ["assessor", "honesty", "", "", "outside_staff_ci", "False"] in rows
    gap = next(r for r in rows if r[:2] == ["mirror", "care"] and r[4] == "gap")
    assert float(gap[5]) == approx(score_json(trio, cli)["mirror"]["dimensions"][0]["gap"], abs=1e-9)


def test_a_question_without_customer_wording_is_put_to_customers_as_written(trio, cli):
    q = trio / "assessments" / "duo.yml"
    q.write_text(q.read_text().replace(', customer_text: "What should they change?"', ""))
    assert cli("--project", trio, "validate")[0] == 0
    customers = load_project(trio).engagements["trio-customers"].questionnaire
    assert customers.open_questions[0].text == "What should we change?"
    assert customers.items[0].text == "They listen to me."
