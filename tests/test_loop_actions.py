"""Action plans: validated with located errors, shown on their wave, followed up on the next one."""

import json

import pytest
import yaml

from loop_projects import PLAN, two_waves

from cxsite.actions import dimension_change
from cxsite.load import load_project
from cxsite.pages import build_pages


def _score(cli, root, eid):
    code, out, err = cli("--project", root, "score", eid)
    assert code == 0, err
    return json.loads(out)


def test_a_plan_appears_on_its_wave_and_with_the_change_on_the_next(tiny, cli):
    two_waves(tiny)
    first, second = _score(cli, tiny, "tiny-2026"), _score(cli, tiny, "tiny-2027")
    assert [a["dimension"] for a in first["actions"]["plan"]] == ["d1", "d2"]
    assert first["actions"]["plan"][0]["action"] == "Do the first thing."  # {band: low, number: 1}
    assert first["actions"]["plan"][0]["recommended"] == {"band": "low", "number": 1}
    assert first["actions"]["follow_up"] == [] and first["actions"]["follow_up_of"] is None
    # The next wave: the same actions, each beside its dimension's change as the results give it.
    assert second["actions"]["plan"] == [] and second["actions"]["follow_up_of"] == "tiny-2026"
    follow = {a["dimension"]: a for a in second["actions"]["follow_up"]}
    for d in second["dimensions"]:
        c, shown = d["change"], follow[d["id"]]["change"]
        assert shown["delta"] == c["delta"] and shown["significant"] == c["significant"]
        assert shown["previous_score"] == c["previous_score"] and shown["score"] == d["score"]
        want = ("up" if c["delta"] > 0 else "down") if c["significant"] else "no clear change"
        assert shown["verdict"] == want
    assert follow["d1"]["status"] == "done" and follow["d2"]["status"] == "doing"


def test_the_pages_show_the_plan_and_the_follow_up(tiny):
    two_waves(tiny)
    site = build_pages(load_project(tiny))
    plan, follow = site.pages["engagements/tiny-2026/actions.md"], site.pages["engagements/tiny-2027/actions.md"]
    assert "## After this survey" in plan and "Do the first thing." in plan and "Since" not in plan
    assert "## Since 2026: what was committed to, and what moved" in follow
    assert "Head of Operations" in follow and "| Done |" in follow and "| Under way |" in follow
    assert "[its report](../tiny-2026/index.md)" in follow
    overview = site.pages["engagements/tiny-2027/index.md"]
    assert "[What we committed to](actions.md)" in overview
    # The note's e-mail address is redacted wherever it is shown.
    assert "jane.doe" not in plan + follow and r"Agreed with \[redacted\] in July." in plan
    # The page is in the navigation of both waves, before the methodology.
    waves = [next(iter(w.values())) for w in site.nav[1]["Tiny Co"]]
    for entries in waves:
        names = [next(iter(x)) for x in entries]
        assert names.index("What we committed to") == names.index("Methodology") - 1


def test_no_page_without_a_plan(tiny):
    site = build_pages(load_project(tiny))
    assert "engagements/tiny-2026/actions.md" not in site.pages
    assert "What we committed to" not in site.pages["engagements/tiny-2026/index.md"]


@pytest.mark.parametrize("change, withheld, verdict, reason", [
    ({"delta": 4.0, "previous_score": 50.0, "significant": True, "p_adjusted": 0.01}, False, "up", None),
    ({"delta": -4.0, "previous_score": 50.0, "significant": True, "p_adjusted": 0.01}, False, "down", None),
    ({"delta": 4.0, "previous_score": 50.0, "significant": False, "p_adjusted": 0.3}, False, "no clear change", None),
    # The lead's comparable trends: a change without a delta says why.
    ({"delta": None, "reason": "items changed between the waves"}, False, "unknown", "items changed between the waves"),
    (None, False, "unknown", "the previous wave has no comparable figure (not asked, or withheld for anonymity)"),
    (None, True, "unknown", "this wave's results are withheld: too few people answered"),
])
def test_a_follow_up_reads_the_change_as_given(change, withheld, verdict, reason):
    got = dimension_change({"id": "d1", "score": 54.0, "withheld": False, "change": change}, withheld)
    assert got["verdict"] == verdict and got["reason"] == reason
    if verdict in ("up", "down", "no clear change"):
        assert got["delta"] == change["delta"] and got["score"] == 54.0


def test_a_dimension_gone_from_the_next_wave_says_so():
    assert dimension_change(None, False)["reason"] == "the dimension is not in this wave's questionnaire"


def test_named_owners_need_owners_people(tiny, cli):
    plan = tiny / "engagements" / "tiny-2026" / "actions.yml"
    plan.write_text(PLAN.replace("Head of Operations", "Jane Smith"), encoding="utf-8")
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1 and "engagements/tiny-2026/actions.yml:5:12: owner 'Jane Smith' reads as a person's name" in err
    plan.write_text(PLAN.replace("Head of Operations", "Jane Smith").replace("owners: roles", "owners: people"),
                    encoding="utf-8")
    assert cli("--project", tiny, "validate")[0] == 0
    # A contact detail is refused whatever the file says.
    plan.write_text(PLAN.replace("Head of Operations", "ops@example.com").replace("owners: roles", "owners: people"),
                    encoding="utf-8")
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1 and "owner 'ops@example.com' holds an e-mail address" in err


def test_new_actions_prefills_the_two_weakest_dimensions_and_never_overwrites(tiny, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    code, out, err = cli("--project", tiny, "new", "actions", "tiny-2026")
    assert code == 0, err and "wrote engagements/tiny-2026/actions.yml" in out
    path = tiny / "engagements" / "tiny-2026" / "actions.yml"
    text = path.read_text(encoding="utf-8")
    plan = yaml.safe_load(text)
    scores = {d["id"]: d["score"] for d in _score(cli, tiny, "tiny-2026")["dimensions"]}
    weakest = sorted(scores, key=lambda k: (scores[k], k))[:2]
    assert [a["dimension"] for a in plan["actions"]] == weakest  # d1's high band has one action, d2's none
    assert plan["actions"][0]["action"] == {"band": "high", "number": 1}
    assert all(a["status"] == "planned" and str(a["due"]) == "2026-08-27" for a in plan["actions"])
    assert text.startswith("# yaml-language-server: $schema=../../.cxsite/schemas/actions.json\n")
    assert cli("--project", tiny, "validate")[0] == 0
    path.write_text(text + "# edited\n", encoding="utf-8")
    code, _, err = cli("--project", tiny, "new", "actions", "tiny-2026")
    assert code == 1 and "engagements/tiny-2026/actions.yml: already exists; cxsite never overwrites" in err
    assert path.read_text(encoding="utf-8") == text + "# edited\n"


def test_new_actions_refuses_a_wave_without_results(tiny, cli):
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text().replace("min_group_size: 2", "min_group_size: 50"))
    code, _, err = cli("--project", tiny, "new", "actions", "tiny-2026")
    assert code == 1 and "has no published results" in err
    assert not (tiny / "engagements" / "tiny-2026" / "actions.yml").exists()


def test_the_schemas_describe_the_new_formats(cli):
    for kind, key in (("actions", "actions"), ("benchmark", "provenance")):
        code, out, _ = cli("schema", kind)
        assert code == 0 and key in json.loads(out)["properties"]
    code, out, _ = cli("schema", "actions")
    action = json.loads(out)["properties"]["actions"]["items"]["properties"]
    assert action["status"]["enum"] == ["planned", "doing", "done", "dropped"]
    assert len(action["action"]["oneOf"]) == 2


def test_text_from_a_plan_is_escaped_where_it_lands(tiny):
    hostile = PLAN.replace("Publish the team's response times.", '"<script>alert(1)</script> | **loud** [x](javascript:y)"') \
        .replace("owner: Team leads", "owner: \"Team <b>leads</b> | ops\"")
    two_waves(tiny)
    (tiny / "engagements" / "tiny-2026" / "actions.yml").write_text(hostile, encoding="utf-8")
    site = build_pages(load_project(tiny))
    for path in ("engagements/tiny-2026/actions.md", "engagements/tiny-2027/actions.md"):
        page = site.pages[path]
        assert "<script>" not in page and "<b>" not in page and "](javascript:" not in page
        assert "&lt;script&gt;" in page and r"\|" in page
