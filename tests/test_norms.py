"""Open norms: built from each organisation's latest wave, anonymous, refused below five, exact percentiles."""

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import percentileofscore

from loop_projects import add_engagement, uniform_rows

from cxsite.norms import describe, load_norm, percentile
from cxsite.errors import ErrorCollector

# Organisation -> (engagement id, fieldwork date, level 1-5 answered to every item, extra engagement.yml).
ORGS = {
    "Org Alpha": [("alpha-2026", "2026-03-10", 2, "")],
    "Org Bravo": [("bravo-2026", "2026-04-01", 3, "")],
    "Org Charlie": [("charlie-2026", "2026-05-20", 4, "")],
    # Two waves: the latest (level 1) is its data point, not the earlier one.
    "Org Delta": [("delta-2025", "2025-06-30", 5, ""), ("delta-2026", "2026-02-28", 1, "previous: delta-2025\n")],
    "Org Echo": [("echo-2026", "2026-06-15", 3, "")],       # ties with Bravo
    "Org Foxtrot": [("foxtrot-2026", "2026-01-31", 5, "norms: exclude\n")],
}


@pytest.fixture
def portfolio(tiny):
    """The tiny project (Tiny Co) and six more organisations, one left out, plus one withheld."""
    for client, waves in ORGS.items():
        for eid, date, level, extra in waves:
            previous = extra.split(": ")[1].strip() if extra.startswith("previous") else None
            add_engagement(tiny, eid, client, date, uniform_rows(level), previous=previous,
                           extra="" if previous else extra)
    add_engagement(tiny, "golf-2026", "Org Golf", "2026-05-01", uniform_rows(4), min_group_size=10)  # withheld
    return tiny


def _build(cli, root, *extra):
    return cli("--project", root, "norms", "build", "tiny", "-o", root / "benchmarks" / "tiny-norm.yml", *extra)


def _scores(cli, root, eid):
    code, out, err = cli("--project", root, "score", eid)
    assert code == 0, err
    return json.loads(out)


def test_a_norm_takes_each_organisations_latest_wave_and_names_none(portfolio, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    code, out, err = _build(cli, portfolio)
    assert code == 0, err
    assert "6 organisations" in out and "1 left out by 'norms: exclude', 1 withheld" in out
    path = portfolio / "benchmarks" / "tiny-norm.yml"
    text = path.read_text(encoding="utf-8")
    for eid in ["tiny-2026", "golf-2026"] + [e for waves in ORGS.values() for e, *_ in waves]:
        assert eid not in text
    for client in ["Tiny Co", "Org Golf", *ORGS, "Alpha", "Delta"]:
        assert client.lower() not in text.lower()
    doc = yaml.safe_load(text)
    latest = ["tiny-2026", "alpha-2026", "bravo-2026", "charlie-2026", "delta-2026", "echo-2026"]
    results = [_scores(cli, portfolio, eid) for eid in latest]
    assert doc["index"]["scores"] == sorted(r["index"]["score"] for r in results)
    assert doc["dimensions"]["d1"]["scores"] == sorted(r["dimensions"][0]["score"] for r in results)
    assert doc["dimensions"]["d1"]["scores"][:2] == [0.0, 25.0]   # Delta's latest (level 1), then Alpha
    prov = doc["provenance"]
    assert prov["organisations"] == 6 and prov["respondents"] == sum(r["respondents"]["usable"] for r in results)
    assert str(prov["fieldwork_from"]) == "2026-02-28" and str(prov["fieldwork_to"]) == "2026-06-30"
    assert prov["built"] == "2026-05-28T20:26:40+00:00" and prov["synthetic"] is False
    assert doc["questionnaire"] == {"id": "tiny", "version": "1.0.0"}
    # Built again from the same inputs at the same time: the same bytes.
    assert _build(cli, portfolio)[0] == 0 and path.read_text(encoding="utf-8") == text


def test_percentiles_equal_an_independent_computation(portfolio, cli):
    assert _build(cli, portfolio, "--synthetic")[0] == 0
    norm = yaml.safe_load((portfolio / "benchmarks" / "tiny-norm.yml").read_text(encoding="utf-8"))
    eng = portfolio / "engagements" / "bravo-2026" / "engagement.yml"
    eng.write_text(eng.read_text() + "benchmark: tiny-norm\n")
    r = _scores(cli, portfolio, "bravo-2026")
    b = r["benchmark"]
    assert b["name"] == "tiny-norm" and b["provenance"]["organisations"] == 6
    assert b["description"].startswith("6 organisations, ") and b["description"].endswith("; synthetic")
    # scipy.stats.percentileofscore(kind="mean") is exactly 100 x (below + half of equal) / N.
    assert b["index"]["percentile"] == pytest.approx(
        percentileofscore(norm["index"]["scores"], r["index"]["score"], kind="mean"))
    for d in r["dimensions"]:
        assert b["dimensions"][d["id"]]["percentile"] == pytest.approx(
            percentileofscore(norm["dimensions"][d["id"]]["scores"], d["score"], kind="mean"))
    # Bravo (50) ties with Echo: of 6, two below (0, 25), two equal -> (2 + 1) / 6.
    assert b["index"]["percentile"] == pytest.approx(50.0)


def test_fewer_than_five_organisations_are_refused_and_the_old_norm_kept(portfolio, cli):
    assert _build(cli, portfolio)[0] == 0
    path = portfolio / "benchmarks" / "tiny-norm.yml"
    before = path.read_bytes()
    for eid in ("alpha-2026", "bravo-2026"):
        eng = portfolio / "engagements" / eid / "engagement.yml"
        eng.write_text(eng.read_text() + "norms: exclude\n")
    code, _, err = _build(cli, portfolio)
    assert code == 1 and "Traceback" not in err
    assert "tiny: only 4 organisations can take part in a norm of 'tiny' 1.x (3 left out by 'norms: exclude'" in err
    assert path.read_bytes() == before


def test_a_refused_first_build_makes_no_folder(tiny, cli):
    code, _, err = _build(cli, tiny)
    assert code == 1 and "only 1 organisation can take part" in err
    assert not (tiny / "benchmarks").exists()


def test_the_norm_is_not_written_over_project_data(portfolio, cli):
    target = portfolio / "engagements" / "alpha-2026" / "norm.yml"
    code, _, err = cli("--project", portfolio, "norms", "build", "tiny", "-o", target)
    assert code == 1 and not target.exists()


def test_percentile_literal_values():
    # Pinned against scipy.stats.percentileofscore(a, x, kind="mean") (SciPy 1.17.1).
    assert percentile([10, 20, 20, 30], 20) == 50.0
    assert percentile([1, 2, 3, 4], 3) == 62.5
    assert percentile([1, 2, 3, 4, 5], 0) == 0.0 and percentile([1, 2, 3, 4, 5], 9) == 100.0
    assert percentile([5, 5, 5, 5, 5], 5) == 50.0
    assert percentile([10, 20, 30, 40, 50], 35) == 60.0


scores = st.floats(min_value=0, max_value=100, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(scores, min_size=1, max_size=40), scores, st.booleans())
def test_percentile_is_scipys_mean_kind(values, x, pick):
    if pick:
        x = values[len(values) // 2]  # a score of the norm itself: ties count half
    got = percentile(sorted(values), x)
    assert got == pytest.approx(percentileofscore(values, x, kind="mean"), abs=1e-9)
    assert 0.0 <= got <= 100.0


EXTERNAL = """questionnaire: {id: tiny, version: 1.0.0}
provenance:
  organisations: 5
  respondents: 1200
  fieldwork_from: 2025-01-15
  fieldwork_to: 2025-01-31
  source: {publisher: Example Institute, title: Tiny norms 2025, year: 2025}
index: {organisations: 5, scores: [20, 40, 60, 80, 90]}
"""


def test_a_published_norm_carries_its_own_provenance(tiny, cli):
    (tiny / "benchmarks").mkdir()
    (tiny / "benchmarks" / "published.yml").write_text(EXTERNAL, encoding="utf-8")
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text() + "benchmark: published\n")
    b = _scores(cli, tiny, "tiny-2026")["benchmark"]
    assert b["description"] == ("5 organisations, 1,200 respondents, fieldwork January 2025; "
                                "published by Example Institute: Tiny norms 2025 (2025)")
    assert b["dimensions"]["d1"] == {"percentile": None, "organisations": None}  # no distribution given
    assert b["index"]["organisations"] == 5 and b["index"]["percentile"] is not None


def test_a_withheld_engagement_gets_no_percentile(tiny, cli):
    (tiny / "benchmarks").mkdir()
    (tiny / "benchmarks" / "published.yml").write_text(EXTERNAL, encoding="utf-8")
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text().replace("min_group_size: 2", "min_group_size: 40") + "benchmark: published\n")
    b = _scores(cli, tiny, "tiny-2026")["benchmark"]
    assert b["index"]["percentile"] is None and b["segments"] == {}


def test_suppressed_groups_have_no_percentile(tiny, cli):
    (tiny / "benchmarks").mkdir()
    (tiny / "benchmarks" / "published.yml").write_text(EXTERNAL, encoding="utf-8")
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text() + "benchmark: published\n")
    with (tiny / "engagements" / "tiny-2026" / "responses.csv").open("a") as f:
        f.write("r6,W,3,3,3,3,3,5,\n")  # a team of one: suppressed
    r = _scores(cli, tiny, "tiny-2026")
    shown = {g["value"] for g in r["segments"]["team"] if not g["suppressed"]}
    assert set(r["benchmark"]["segments"]["team"]) == shown and shown != {g["value"] for g in r["segments"]["team"]}


def test_describe_reads_like_the_issue(tmp_path):
    text = EXTERNAL.replace("organisations: 5\n  respondents: 1200", "organisations: 30\n  respondents: 2411") \
        .replace("2025-01-31", "2026-06-30").replace("2025-01-15", "2025-03-01").replace(
            "  source: {publisher: Example Institute, title: Tiny norms 2025, year: 2025}\n", "  synthetic: true\n")
    (tmp_path / "n.yml").write_text(text, encoding="utf-8")
    norm = load_norm(tmp_path / "n.yml", tmp_path, ErrorCollector())
    assert describe(norm) == "30 organisations, 2,411 respondents, fieldwork March 2025 to June 2026; synthetic"


def test_benchmarks_are_project_data_only_a_norm_is_written_into(portfolio, cli):
    assert _build(cli, portfolio)[0] == 0
    (portfolio / "benchmarks" / "README.md").write_text("# a norm\n", encoding="utf-8")
    code, _, err = cli("--project", portfolio, "score", "alpha-2026", "-o", portfolio / "benchmarks" / "r.json")
    assert code == 1 and "the project's benchmarks/, which holds project data" in err
    code, _, err = cli("--project", portfolio, "build", "--site-dir", portfolio / "benchmarks")
    assert code == 1 and "which holds project data" in err
    code, _, err = cli("--project", portfolio, "norms", "build", "tiny", "-o", portfolio / "benchmarks")
    assert code == 1 and "is a folder; give the norm's file" in err
    assert (portfolio / "benchmarks" / "README.md").read_text(encoding="utf-8") == "# a norm\n"


def test_csv_gives_the_percentiles(tiny, cli):
    (tiny / "benchmarks").mkdir()
    (tiny / "benchmarks" / "published.yml").write_text(EXTERNAL, encoding="utf-8")
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text() + "benchmark: published\n")
    b = _scores(cli, tiny, "tiny-2026")["benchmark"]
    code, out, _ = cli("--project", tiny, "score", "tiny-2026", "--format", "csv")
    rows = [r for r in out.splitlines() if ",percentile," in r]
    assert rows == [f"index,index,,,percentile,{b['index']['percentile']}", "dimension,d1,,,percentile,",
                    "dimension,d2,,,percentile,"]


def test_a_norm_of_another_major_version_is_refused(tiny, cli):
    (tiny / "benchmarks").mkdir()
    (tiny / "benchmarks" / "next.yml").write_text(EXTERNAL.replace("version: 1.0.0", "version: 2.0.0"))
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text() + "benchmark: next\n")
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1 and ("engagement.yml:10:12: benchmark 'next' is a norm of 'tiny' 2.0.0, not of 'tiny' 1.x "
                          "that this engagement uses") in err


def test_an_unknown_questionnaire_or_version_is_refused(portfolio, cli):
    for ref, says in (("tinny", "no questionnaire 'tinny' (did you mean 'tiny'?)"), ("tiny@9.0.0", "no questionnaire 'tiny@9.0.0'")):
        code, _, err = cli("--project", portfolio, "norms", "build", ref, "-o", portfolio / "benchmarks" / "x.yml")
        assert code == 1 and says in err
    assert not (portfolio / "benchmarks").exists()


def test_a_dimension_fewer_than_five_organisations_scored_is_left_out(portfolio, cli):
    # Two organisations answer nothing of d1 (c, d, e only): d1 has 4 organisations, d2 six.
    for eid in ("alpha-2026", "bravo-2026"):
        path = portfolio / "engagements" / eid / "responses.csv"
        lines = path.read_text().splitlines()
        path.write_text("\n".join([lines[0]] + [",".join(c if i not in (2, 3) else "" for i, c in
                                                         enumerate(row.split(","))) for row in lines[1:]]) + "\n")
    assert _build(cli, portfolio)[0] == 0
    doc = yaml.safe_load((portfolio / "benchmarks" / "tiny-norm.yml").read_text(encoding="utf-8"))
    assert set(doc["dimensions"]) == {"d2"} and doc["dimensions"]["d2"]["organisations"] == 6
    # Their index lacks d1: another measure, so the index has 4 whole ones, too few for a distribution.
    assert "index" not in doc
    eng = portfolio / "engagements" / "alpha-2026" / "engagement.yml"
    eng.write_text(eng.read_text() + "benchmark: tiny-norm\n")
    b = _scores(cli, portfolio, "alpha-2026")["benchmark"]
    assert b["index"] == {"percentile": None, "organisations": None} and b["dimensions"]["d1"]["percentile"] is None
    assert b["dimensions"]["d2"]["percentile"] is not None


def test_an_index_without_one_of_its_dimensions_gets_no_percentile(tiny, cli):
    (tiny / "benchmarks").mkdir()
    (tiny / "benchmarks" / "published.yml").write_text(EXTERNAL, encoding="utf-8")
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text() + "benchmark: published\n")
    path = tiny / "engagements" / "tiny-2026" / "responses.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0]] + [",".join(c if i not in (2, 3) else "" for i, c in
                                                     enumerate(row.split(","))) for row in lines[1:]]) + "\n")
    r = _scores(cli, tiny, "tiny-2026")
    assert r["index"]["score"] is not None and r["dimensions"][0]["score"] is None
    assert r["benchmark"]["index"]["percentile"] is None
