"""Leader reports' figures (issue 22): each leader's line scored, nothing below the threshold or derivable.

The independent computation walks the hierarchy with plain Python sets and
scores each line cell by cell from the CSV; it shares no code with
cxsite.leaders (prefix sums over pre-order ranges).
"""

from __future__ import annotations

import csv
import re
import json
import random
from pathlib import Path

import numpy as np
import pytest
import yaml

from cxsite.cache import key_for
from cxsite.disclosure import decide_nested
from cxsite.leader_pages import views as leader_views
from cxsite.load import load_project
from cxsite.score import score_engagement

HEADER = ["respondent_id", "employee", "team", "a", "b", "c", "d", "e", "nps", "why"]
DIMS = {"d1": "ab", "d2": "cde"}
K = 5


def _organisation(seed: int, size: int) -> list[tuple[str, str]]:
    """(employee, manager) of a seeded organisation four levels deep: a top, directors, managers, staff."""
    rng = random.Random(seed)
    rows = [("p0", "")]
    directors = [f"p{i}" for i in range(1, 5)]
    rows += [(d, "p0") for d in directors]
    managers = [f"p{i}" for i in range(5, 5 + 24)]
    rows += [(m, rng.choice(directors)) for m in managers]
    rows += [(f"p{i}", rng.choice(managers)) for i in range(len(rows), size)]
    rng.shuffle(rows)  # the file's order is not the hierarchy's
    return rows


def _project(tiny: Path, seed: int = 7, size: int = 400, include: str = "full-line", levels=(1, 2)) -> tuple:
    folder = tiny / "engagements" / "tiny-2026"
    org = _organisation(seed, size)
    with (folder / "hierarchy.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("employee_id", "manager_id", "name"), *[(e, m, f"Name {e}") for e, m in org]])
    rng = random.Random(seed + 1)
    people = [e for e, _ in org if rng.random() < 0.7] + ["stranger-1", "stranger-2"]
    rows = []
    for r, e in enumerate(people):
        answers = ["" if rng.random() < 0.15 else str(rng.randint(1, 5)) for _ in "abcde"]
        rows.append([f"r{r}", e, rng.choice("XY"), *answers, str(rng.randint(0, 10)), ""])
    with (folder / "responses.csv").open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    yml = (folder / "engagement.yml").read_text().replace("invited: 8", "invited: 600")
    yml = yml.replace("min_group_size: 2", f"min_group_size: {K}")
    (folder / "engagement.yml").write_text(yml + "hierarchy: {file: hierarchy.csv, employee: employee}\n"
                                           f"leaders: {{levels: {list(levels)}, include: {include}}}\n")
    return org, rows


def _line(org, leader: str, include: str) -> set[str]:
    below = {}
    for e, m in org:
        below.setdefault(m, []).append(e)
    if include == "direct":
        return set(below.get(leader, []))
    found, todo = set(), list(below.get(leader, []))
    while todo:
        e = todo.pop()
        found.add(e)
        todo += below.get(e, [])
    return found


def _expected(rows, members: set[str], q, did: str) -> dict:
    scale = next(d.scale for d in q.dimensions if d.id == did)
    reverse = {i.id for i in q.items if i.reverse}
    cols = [HEADER.index(i) for i in DIMS[did]]
    means, fav, total = [], 0, 0
    for row in rows:
        if row[1] not in members:
            continue
        vals = [(6 - int(row[c]) if HEADER[c] in reverse else int(row[c])) for c in cols if row[c]]
        fav += sum(v in scale.favorable for v in vals)
        total += len(vals)
        if 2 * len(vals) >= len(cols):
            means.append(sum(vals) / len(vals))
    mean = sum(means) / len(means)
    return {"n": len(means), "mean": mean, "score": 100 * (mean - 1) / 4, "favorable": fav / total}


@pytest.mark.parametrize("include", ["full-line", "direct"])
def test_every_leader_equals_an_independent_scoring_of_their_line(tiny, include):
    org, rows = _project(tiny, include=include)
    e = load_project(tiny).engagements["tiny-2026"]
    r = score_engagement(e)
    level = {"p0": 0}
    manager = dict(org)
    for emp in manager:
        up, depth = emp, 0
        while manager[up]:
            up, depth = manager[up], depth + 1
        level[emp] = depth
    expected_ids = sorted(p for p in manager if level[p] in (1, 2) and _line(org, p, "direct"))
    assert sorted(x["id"] for x in r["leaders"]) == expected_ids
    shown = [x for x in r["leaders"] if not x["suppressed"]]
    assert len(shown) >= len(r["leaders"]) // 2  # most leaders keep their report
    for x in r["leaders"]:
        members = _line(org, x["id"], include)
        assert x["level"] == level[x["id"]] and x["name"] == f"Name {x['id']}"
        if x["suppressed"]:
            assert x["n"] is None and x["index"] is None and x["dimensions"] == {}
            continue
        assert x["n"] == sum(row[1] in members for row in rows) >= K
        for did, got in x["dimensions"].items():
            if got["withheld"]:
                assert got["score"] is None and got["n"] is None
                continue
            want = _expected(rows, members, e.questionnaire, did)
            assert got["n"] == want["n"] and got["n"] >= K
            for f in ("mean", "score", "favorable"):
                assert got[f] == pytest.approx(want[f], abs=1e-9), (x["id"], did, f)


def _remainders_ok(groups: dict[str, set[str]], k: int) -> bool:
    """Every published group minus the published groups inside it (in no other one) is 0 or >= k people."""
    for g, people in groups.items():
        inside = [h for h, other in groups.items() if h != g and other < people]
        maximal = [h for h in inside if not any(groups[h] < groups[o] for o in inside if o != h)]
        rest = len(people - set().union(*(groups[h] for h in maximal)))
        if 0 < rest < k:
            return False
    return True


@pytest.mark.parametrize("seed", [3, 7, 11, 19, 23, 29])
def test_no_published_group_is_derivable_by_subtraction(tiny, seed):
    org, rows = _project(tiny, seed=seed, size=160, levels=(1, 2, 3))
    r = score_engagement(load_project(tiny).engagements["tiny-2026"])
    answered = {row[1] for row in rows}
    groups = {"(organisation)": answered}
    for x in r["leaders"]:
        if not x["suppressed"]:
            groups[x["id"]] = _line(org, x["id"], "full-line") & answered
    for g in r["segments"]["team"]:  # the departments published beside the lines
        if not g["suppressed"]:
            groups[f"team={g['value']}"] = {row[1] for row in rows if row[2] == g["value"]}
    assert _remainders_ok(groups, K)
    assert any(x["suppressed"] for x in r["leaders"])  # small lines exist at level 3: the rule is exercised


@pytest.mark.parametrize("seed", [5, 13, 31])
def test_the_teams_below_a_leader_are_their_direct_reports_lines_and_nothing_is_derivable(tiny, seed):
    """Directors get reports (level 1); the managers below them are their teams, published beside them."""
    org, rows = _project(tiny, seed=seed, size=220, levels=(1,))
    e = load_project(tiny).engagements["tiny-2026"]
    r, views = leader_views(e)
    below = {}
    for emp, m in org:
        below.setdefault(m, []).append(emp)
    answered = {row[1] for row in rows}
    groups = {"(organisation)": answered}
    teams_seen = 0
    for v in views:
        x = v["leader"]
        if x["suppressed"]:
            assert v["teams"] == []
            continue
        groups[x["id"]] = _line(org, x["id"], "full-line") & answered
        heads = {t["id"] for t in v["teams"]}
        assert heads <= {m for m in below[x["id"]] if m in below}  # direct reports with people of their own
        for t in v["teams"]:
            members = _line(org, t["id"], "full-line")
            groups[t["id"]] = members & answered
            assert t["n"] == len(members & answered) >= K
            for did, got in t["dimensions"].items():
                if not got["withheld"]:
                    want = _expected(rows, members, e.questionnaire, did)
                    assert got["n"] == want["n"] and got["score"] == pytest.approx(want["score"], abs=1e-9)
        teams_seen += len(v["teams"])
    for g in r["segments"]["team"]:
        if not g["suppressed"]:
            groups[f"team={g['value']}"] = {row[1] for row in rows if row[2] == g["value"]}
    assert teams_seen >= 10  # most managers' lines are published as teams
    assert _remainders_ok(groups, K)


def test_an_item_of_a_leader_is_scored_on_their_lines_valid_answers(tiny):
    org, rows = _project(tiny, seed=17, size=300, levels=(1, 2))
    e = load_project(tiny).engagements["tiny-2026"]
    _, views = leader_views(e)
    reverse = {i.id for i in e.questionnaire.items if i.reverse}
    checked = 0
    for v in views:
        x = v["leader"]
        for iid, got in x["items"].items():
            if got["withheld"] or iid == "nps":  # the outcome: test_a_leaders_outcome_is_the_nps_...
                continue
            members = _line(org, x["id"], "full-line")
            vals = [int(row[HEADER.index(iid)]) for row in rows if row[1] in members and row[HEADER.index(iid)]]
            vals = [6 - v if iid in reverse else v for v in vals]
            assert got["n"] == len(vals) >= K
            assert got["mean"] == pytest.approx(sum(vals) / len(vals), abs=1e-12)
            assert got["favorable"] == pytest.approx(sum(v >= 4 for v in vals) / len(vals), abs=1e-12)
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("sizes, parent, shown", [
    ([20, 12, 9], [-1, 0, 1], [True, True, False]),      # 12 - 9 = 3 people: the smaller nested one goes
    ([20, 12, 12], [-1, 0, 1], [True, True, True]),      # remainder 0: nothing new follows
    ([20, 10, 7], [-1, 0, 0], [True, True, False]),      # 20 - 17 = 3 left in the whole: the 7 go
    ([30, 10, 8, 9], [-1, 0, 0, 0], [True, True, False, True]),  # 30 - 27 = 3: the smallest (8) goes; 11 left
    ([30, 12, 6, 5], [-1, 0, 1, 1], [True, True, True, False]),  # 12 - 11 = 1: the 5 go, then 12 - 6 = 6
    ([20, 4, 12], [-1, 0, 0], [True, False, True]),      # rule 1 first: 4 < 5; then 20 - 12 = 8
    ([4, 4], [-1, 0], [False, False]),                   # a whole below the threshold: nothing at all
])
def test_decide_nested(sizes, parent, shown):
    got = decide_nested(np.array(sizes), np.array(parent), K)
    assert got.tolist() == shown
    assert not (np.array(sizes)[got] < K).any()


def test_employee_ids_stay_out_of_the_results(tiny):
    org, rows = _project(tiny)
    r = score_engagement(load_project(tiny).engagements["tiny-2026"])
    text = json.dumps(r)
    leaders = {x["id"] for x in r["leaders"]}
    for row in rows:
        if row[1] not in leaders:
            assert f'"{row[1]}"' not in text
    strangers = [f for f in r["data_quality"] if "not in the hierarchy" in f["problem"]]
    assert [f["row"] for f in strangers] == [len(rows), len(rows) + 1]  # the last two lines of the file


def test_the_hierarchy_file_is_an_input_of_the_cache_key(tiny):
    _project(tiny)
    e = load_project(tiny, responses=False).engagements["tiny-2026"]
    before = key_for(e)
    path = e.folder / "hierarchy.csv"
    path.write_text(path.read_text().replace("Name p1", "Name p1 renamed"))
    assert key_for(e) != before


def test_a_line_that_is_a_department_but_two_is_withheld(tiny):
    """Team X holds a leader's whole line and two people more: X minus the line would be those two;
    another line is two teams and two people: the line minus the teams would be those two."""
    folder = tiny / "engagements" / "tiny-2026"
    org = [("top", ""), ("boss", "top"), ("lead", "top")] + [(f"a{i}", "boss") for i in range(10)] \
        + [(f"b{i}", "lead") for i in range(12)]
    with (folder / "hierarchy.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("employee_id", "manager_id"), *org])
    team = {f"a{i}": "X" for i in range(10)} | {"b0": "X", "b1": "X"} | {f"b{i}": "Z" for i in range(2, 7)}
    rows = [[f"r{i}", e, team.get(e, "Y"), "4", "2", "4", "4", "4", "9", ""] for i, (e, _) in enumerate(org[3:])]
    with (folder / "responses.csv").open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    yml = (folder / "engagement.yml").read_text().replace("invited: 8", "invited: 30")
    (folder / "engagement.yml").write_text(yml.replace("min_group_size: 2", f"min_group_size: {K}")
                                           + "hierarchy: {file: hierarchy.csv, employee: employee}\n")
    r = score_engagement(load_project(tiny).engagements["tiny-2026"])
    x = next(g for g in r["segments"]["team"] if g["value"] == "X")
    assert not x["suppressed"] and x["n"] == 12
    got = {g["id"]: g["suppressed"] for g in r["leaders"]}
    # boss's 10 are X less two; lead's 12 are Y and Z (5 each) and two of X: lead - Y - Z is those two
    assert got == {"boss": True, "lead": True}


def test_every_leader_site_names_only_their_line_and_their_manager(tiny, cli):
    org, rows = _project(tiny, size=160, levels=(1, 2))
    out = tiny.parent / "leaders-out"
    code, stdout, err = cli("--project", tiny, "build", "--leaders", "--out", str(out), "--jobs", "2")
    assert code == 0, err
    r = score_engagement(load_project(tiny).engagements["tiny-2026"])
    manager = dict(org)
    index = list(csv.DictReader((out / "tiny-2026" / "leaders.csv").open()))
    assert [x["employee_id"] for x in index] == [x["id"] for x in r["leaders"]]
    built = [x for x in index if x["report"] == "yes"]
    assert built and len(built) == sum(not x["suppressed"] for x in r["leaders"])
    for x in built:
        site = out / "tiny-2026" / x["folder"]
        slug, digest = x["folder"].rsplit("-", 1)  # the name's slug and a hash: no id, no e-mail address
        assert slug == x["name"].lower().replace(" ", "-") and len(digest) == 10 and "@" not in x["folder"]
        assert (site / "index.html").is_file() and (site / "search" / "search_index.json").is_file()
        allowed = _line(org, x["employee_id"], "full-line") | {x["employee_id"], manager[x["employee_id"]]}
        text = "\n".join(p.read_text(errors="ignore") for p in site.rglob("*") if p.suffix in (".html", ".json", ".xml"))
        for e, _ in org:
            if e not in allowed:
                assert f"Name {e}<" not in text and f"Name {e}\"" not in text and f"Name {e} " not in text, (x, e)
        for e, _ in org:  # no employee id at all, not even the leader's own
            assert f">{e}<" not in text
    again = cli("--project", tiny, "build", "--leaders", "--out", str(out))[1]
    assert "built" not in again.replace("unchanged", "")  # nothing changed: nothing rebuilt


def test_a_leader_who_loses_their_report_loses_their_site(tiny, cli):
    """A rebuild after the line shrank below the threshold removes the site it published before."""
    org, rows = _project(tiny, size=160, levels=(1, 2))
    out = tiny.parent / "leaders-out"
    assert cli("--project", tiny, "build", "--leaders", "--out", str(out))[0] == 0
    index = {x["employee_id"]: x for x in csv.DictReader((out / "tiny-2026" / "leaders.csv").open())}
    leader = next(i for i, x in index.items() if x["report"] == "yes" and x["level"] == "2")
    line = _line(org, leader, "full-line")
    kept = [row for row in rows if row[1] not in line or row[1] == min(line)]  # one of the line answers now
    with (tiny / "engagements" / "tiny-2026" / "responses.csv").open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *kept])
    assert cli("--project", tiny, "build", "--leaders", "--out", str(out))[0] == 0
    assert not (out / "tiny-2026" / index[leader]["folder"]).exists()
    now = {x["employee_id"]: x for x in csv.DictReader((out / "tiny-2026" / "leaders.csv").open())}
    assert now[leader]["report"].startswith("no") and now[leader]["folder"] == ""


def test_a_leader_site_in_a_relative_out_folder_holds_pages_and_names_are_text(tiny, cli, monkeypatch):
    """--out given relative to the working folder (MkDocs would read it against its own config's folder);
    a leader's name and the client's that are markup come out as text, in the <title> too."""
    org, rows = _project(tiny, size=160, levels=(1,))
    path = tiny / "engagements" / "tiny-2026" / "hierarchy.csv"
    hostile = "</title><script>alert(1)</script>"
    first = next(e for e, m in org if m == "p0")
    text = path.read_text(encoding="utf-8").replace(f"{first},p0,Name {first}\n", f"{first},p0,\"{hostile}\"\n")
    path.write_text(text, encoding="utf-8")
    yml = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    yml.write_text(yml.read_text().replace("client: Tiny Co", "client: \"<img src=x onerror=alert(2)>\""))
    monkeypatch.chdir(tiny.parent)
    code, _, err = cli("--project", tiny, "build", "--leaders", "--out", "leaders-out")
    assert code == 0, err
    index = {x["employee_id"]: x for x in csv.DictReader((tiny.parent / "leaders-out" / "tiny-2026" / "leaders.csv").open())}
    assert index[first]["report"] == "yes"
    sites = [tiny.parent / "leaders-out" / "tiny-2026" / x["folder"] for x in index.values() if x["folder"]]
    for site in sites:
        assert (site / "index.html").is_file() and (site / "search" / "search_index.json").is_file()
        pages = [p for p in site.rglob("*") if p.suffix in (".html", ".json", ".xml") and "assets" not in p.parts]
        for page in pages:
            body = page.read_text(encoding="utf-8")
            assert "<script>alert" not in body and "<img src=x" not in body, page
            assert "fonts.googleapis" not in body, page  # no web font fetched as a report opens
    home = (sites[[x["employee_id"] for x in index.values() if x["folder"]].index(first)] / "index.html").read_text()
    assert "<title>&lt;img src=x onerror=alert(2)&gt;: &lt;/title&gt;&lt;script&gt;" in home


def test_the_example_organisation_is_seeded_four_levels_deep_and_most_leaders_get_a_report(tmp_path):
    """python -m cxsite.synth writes the committed example organisation again, byte for byte."""
    import shutil

    from cxsite.synth_org import EXAMPLE_ORG, write_organisation

    repo = Path(__file__).resolve().parent.parent
    shutil.copytree(repo / "assessments", tmp_path / "assessments")
    written = write_organisation(tmp_path)
    committed = repo / "engagements" / EXAMPLE_ORG.engagement
    for path in written:
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name
    e = load_project(repo).engagements[EXAMPLE_ORG.engagement]
    assert sorted(set(e.responses.hierarchy.level.tolist())) == [0, 1, 2, 3] and 200 <= len(e.responses.hierarchy.ids)
    r = score_engagement(e)
    shown = [x for x in r["leaders"] if not x["suppressed"]]
    assert len(shown) >= 0.7 * len(r["leaders"]) and any(x["suppressed"] for x in r["leaders"])


def _derivable_small_set(groups: list[set], k: int) -> set | None:
    """A set of 1 to k-1 people that a sum of published groups (with signs) gives, or None.

    Independent of cxsite.disclosure: atoms are the people sharing one
    membership signature; the row space comes from scipy.linalg.orth; every
    union of small atoms totalling under k is tried."""
    import itertools

    from scipy.linalg import orth

    people = sorted(set().union(*groups))
    signature = {}
    for p in people:
        signature.setdefault(tuple(p in g for g in groups), []).append(p)
    atoms = list(signature.values())
    matrix = np.array([[p in g for g in groups] for p in (a[0] for a in atoms)], dtype=float)  # atoms x groups
    basis = orth(matrix)  # the groups' span over atoms, orthonormal columns
    small = [i for i, a in enumerate(atoms) if len(a) < k]
    for size in range(1, k):
        for combo in itertools.combinations(small, size):
            if sum(len(atoms[i]) for i in combo) >= k:
                continue
            x = np.zeros(len(atoms))
            x[list(combo)] = 1
            if abs(np.linalg.norm(basis.T @ x) ** 2 - size) < 1e-7:
                return set().union(*(atoms[i] for i in combo))
    return None


@pytest.mark.parametrize("seed", [2, 8, 21])
def test_segments_within_lines_are_scored_and_nothing_follows_from_all_published_groups(tiny, seed):
    org, rows = _project(tiny, seed=seed, size=240, levels=(1,))
    e = load_project(tiny).engagements["tiny-2026"]
    r, views = leader_views(e)
    usable = [row for row in rows if any(row[HEADER.index(i)] for i in "abcde")]
    assert r["respondents"]["usable"] == len(usable)
    everyone = {row[1] for row in usable}
    team = {row[1]: row[2] for row in usable}
    groups = [everyone]
    groups += [{p for p in everyone if team[p] == g["value"]} for g in r["segments"]["team"] if not g["suppressed"]]
    broken_down = 0
    for v in views:
        x = v["leader"]
        if x["suppressed"]:
            continue
        line = _line(org, x["id"], "full-line") & everyone
        groups.append(line)
        groups += [_line(org, t["id"], "full-line") & everyone for t in v["teams"]]
        for g in (v["segments"] or {}).get("team", []):
            members = {p for p in line if team[p] == g["value"]}
            groups.append(members)
            assert g["n"] == len(members) >= K
            for did, score in g["dimensions"].items():
                if score is not None:
                    assert score == pytest.approx(_expected(rows, members, e.questionnaire, did)["score"], abs=1e-9)
            broken_down += 1
    assert broken_down >= 2  # the rule leaves some lines' departments to show
    assert _derivable_small_set(groups, K) is None


def test_a_lines_groups_are_columns_and_the_dimensions_rows(tiny):
    """The groups table of a leader's page: a column for each group of the line and, beside it, the same
    group in the organisation; a row for people, the index and each dimension (a title is never a column
    heading, which printed it letter by letter)."""
    from cxsite.leader_pages import pages
    from cxsite.render import make_environment

    _project(tiny, seed=8, size=240, levels=(1,))
    e = load_project(tiny).engagements["tiny-2026"]
    result, views = leader_views(e)
    env = make_environment(tiny / "site_templates")
    titles = [d.title for d in e.questionnaire.dimensions]
    checked = 0
    for v in views:
        groups = (v["segments"] or {}).get("team", [])
        if v["leader"]["suppressed"] or not groups:
            continue
        files = pages(env, e, result, v)
        text = files["docs/index.md"]
        # Many groups set their headings sideways in a <div class="cx-wide" markdown>: the site reads it.
        assert "md_in_html" in yaml.safe_load(files["mkdocs.yml"])["markdown_extensions"]
        table = [line for line in text.split("### By team", 1)[1].split("\n## ", 1)[0].splitlines()
                 if line.startswith("|")]
        header = [c.strip() for c in table[0].strip("|").split("|")]
        assert header[0] == "Dimension" and not set(titles) & set(header)
        assert [h for h in header if h.endswith("(your line)")] == [f"{g['value']} (your line)" for g in groups]
        assert [row.split("|")[1].strip() for row in table[2:]] == ["People", "Index", *titles]
        assert all(row.count("|") == table[0].count("|") for row in table)  # every row has every column
        checked += 1
    assert checked >= 2


def test_a_leaders_outcome_is_the_nps_of_their_lines_answers(tiny):
    org, rows = _project(tiny, seed=4, size=300, levels=(1, 2))
    _, views = leader_views(load_project(tiny).engagements["tiny-2026"])
    checked = 0
    for v in views:
        x = v["leader"]
        if x["suppressed"] or x["items"]["nps"]["withheld"]:
            continue
        answers = [int(row[HEADER.index("nps")]) for row in rows if row[1] in _line(org, x["id"], "full-line")]
        want = 100 * (sum(a >= 9 for a in answers) - sum(a <= 6 for a in answers)) / len(answers)
        assert x["items"]["nps"]["n"] == len(answers) and x["items"]["nps"]["nps"] == pytest.approx(want, abs=1e-12)
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("include", ["full-line", "direct"])
def test_a_leaders_comments_are_their_lines_and_no_few_peoples_follow(tiny, include):
    org, rows = _project(tiny, seed=9, size=260, levels=(1, 2), include=include)
    for i, row in enumerate(rows):
        row[-1] = f"Comment number {i} from the line." if i % 3 == 0 else ""
    with (tiny / "engagements" / "tiny-2026" / "responses.csv").open("w", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    e = load_project(tiny).engagements["tiny-2026"]
    _, views = leader_views(e)
    everyone = {row[1] for row in rows}
    commenting = {"(organisation)": everyone}
    for v in views:
        x = v["leader"]
        if v["comments"] is None:
            continue
        members = _line(org, x["id"], include)
        want = sorted(row[-1] for row in rows if row[1] in members and row[-1])
        assert v["comments"]["why"] == sorted(want, key=lambda t: (t.casefold(), t))
        assert len(members & everyone) >= e.min_group_size_comments
        commenting[x["id"]] = members & everyone
    assert len(commenting) > 5
    assert _remainders_ok(commenting, e.min_group_size_comments)


@pytest.mark.parametrize("include", ["full-line", "direct"])
def test_a_leaders_pages_say_what_their_line_is_and_what_stands_beside_it(tiny, include):
    """The cover and the method page describe the line as the engagement counts it (full line or direct
    reports), and name what it is compared with: the manager's line where there is one, and the organisation."""
    from cxsite.leader_pages import pages
    from cxsite.render import make_environment
    _project(tiny, seed=9, size=260, levels=(1, 2), include=include)
    e = load_project(tiny).engagements["tiny-2026"]
    result, views = leader_views(e)
    env = make_environment(tiny / "site_templates")
    shown = [v for v in views if not v["leader"]["suppressed"]]
    with_manager = [v for v in shown if v["manager"]]
    without = [v for v in shown if not v["manager"]]
    assert with_manager and without
    direct = include == "direct"
    for v in shown:
        files = pages(env, e, result, v)
        cover = " ".join(files["docs/index.md"].split())
        method = " ".join(files["docs/method.md"].split())
        assert ("report to you directly." in cover) == direct
        assert ("directly or through others." in cover) == (not direct)
        assert ("not the people who report to them" in method) == direct
        assert re.search(r"(directly|through others)\. Beside it (are|is) ", cover), cover  # one sentence after another
        if v["manager"]:
            assert "Beside it are the line of" in cover and "and the whole organisation." in cover
        else:
            assert "Beside it is the whole organisation." in cover and "through others and" not in cover
