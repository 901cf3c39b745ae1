"""Comparing questionnaire versions (qdiff) and the version rules cxsite validate holds them to."""

import dataclasses
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxsite.errors import ErrorCollector
from cxsite.qdiff import bump_between, compare
from cxsite.questionnaires import load_questionnaire
from conftest import PROJECTS

TINY = PROJECTS / "tiny" / "assessments" / "tiny.yml"


def load(path, root):
    errors = ErrorCollector()
    q = load_questionnaire(path, root, errors)
    assert q is not None, errors.errors
    return q


@pytest.fixture
def base():
    return load(TINY, TINY.parent.parent)


def variant(tmp_path, name, *subs, version="2.0.0"):
    text = TINY.read_text().replace("version: 1.0.0", f"version: {version}")
    for a, b in subs:
        assert a in text
        text = text.replace(a, b, 1)
    path = tmp_path / f"{name}.yml"
    path.write_text(text)
    return load(path, tmp_path)


def test_a_questionnaire_compared_with_itself_is_all_same(base):
    d = compare(base, base)
    assert d.bump == "none"
    assert d.comparable_items() == ["a", "b", "c", "d", "e", "nps"]
    assert not d.other


@pytest.mark.parametrize("subs, status, bump", [
    ((("text: Statement A.", "text: Statement A again."),), "reworded", "minor"),
    ((("{id: c, text: Statement C., scale: agree5}", "{id: c, text: Statement C., scale: agree5, customer_text: X}"),),
     "reworded", "minor"),
    ((("scale: agree5, reverse: true}", "scale: agree5}"),), "rekeyed", "major"),
    ((("3: Neutral", "3: Neither"),), "rescaled", "major"),
    ((("      - {id: c, text: Statement C., scale: agree5}\n", ""),
      ("      - {id: b, text", "      - {id: c, text: Statement C., scale: agree5}\n      - {id: b, text")), "moved", "major"),
])
def test_each_kind_of_item_change_and_its_bump(base, tmp_path, subs, status, bump):
    d = compare(base, variant(tmp_path, "v", *subs))
    changed = [c for c in d.items if c.status != "same"]
    assert changed and all(c.status == status for c in changed)
    assert d.bump == bump
    assert not set(d.comparable_items()) & {c.id for c in changed}


def test_added_and_removed_items(base, tmp_path):
    new = variant(tmp_path, "v", ("{id: e, text: Statement E., scale: agree5}", "{id: f, text: Statement F., scale: agree5}"))
    d = compare(base, new)
    assert d.with_status("added") == ["f"] and d.with_status("removed") == ["e"]
    assert d.bump == "major"
    assert compare(new, new).bump == "none"


def test_a_renamed_scale_of_the_same_content_is_no_change(base, tmp_path):
    new = variant(tmp_path, "v", ("  agree5:\n", "  agree:\n"), *[("scale: agree5", "scale: agree")] * 5)
    assert compare(base, new).with_status("same") == ["a", "b", "c", "d", "e", "nps"]


@pytest.mark.parametrize("subs, what, bump", [
    ((("{id: high, min: 50,", "{id: high, min: 55,"),), "band-limits", "major"),
    ((("weight: 3", "weight: 1"),), "dimension-weight", "major"),
    ((("High on one.", "Higher on one."),), "narrative-text", "patch"),
    ((("summary: A fixture questionnaire.", "summary: Another."),), "summary", "patch"),
    ((("{id: why, text: \"Why?\"}", "{id: why, text: \"Why so?\"}"),), "open-question-reworded", "minor"),
])
def test_changes_beside_the_items(base, tmp_path, subs, what, bump):
    d = compare(base, variant(tmp_path, "v", *subs))
    assert [o.what for o in d.other] == [what]
    assert d.bump == bump


def test_two_questionnaires_are_never_comparable(base):
    other = dataclasses.replace(base, id="other")
    d = compare(base, other)
    assert d.bump == "major" and d.comparable_items() == []
    assert d.trend_blocker() == "different questionnaires ('tiny' and 'other')"


@pytest.mark.parametrize("version, blocked", [("1.0.0", False), ("1.4.2", False), ("2.0.0", True), ("0.9.0", True)])
def test_a_major_version_difference_blocks_every_trend(base, version, blocked):
    d = compare(base, dataclasses.replace(base, version=version))
    assert d.comparable_items() == ["a", "b", "c", "d", "e", "nps"]  # the items alone are the same
    assert (d.trend_blocker() is not None) == blocked


versions = st.tuples(*[st.integers(0, 30)] * 3).map(lambda t: ".".join(map(str, t)))


@settings(max_examples=200, deadline=None)
@given(versions, versions)
def test_bump_between_is_the_first_part_that_grew(a, b):
    ta, tb = (tuple(map(int, v.split("."))) for v in (a, b))
    bump = bump_between(a, b)
    if tb < ta:
        assert bump is None
    elif tb == ta:
        assert bump == "none"
    else:
        first = next(i for i in range(3) if ta[i] != tb[i])
        assert bump == ("major", "minor", "patch")[first]


# ------------------------------------------------------------------ validate against the archive

def archive(project, version="1.0.0"):
    folder = project / "assessments" / "archive"
    folder.mkdir(exist_ok=True)
    text = (project / "assessments" / "tiny.yml").read_text()
    (folder / f"tiny-{version}.yml").write_text(re.sub(r"(?m)^version: .*$", f"version: {version}", text))


def edit(project, *subs):
    path = project / "assessments" / "tiny.yml"
    text = path.read_text()
    for a, b in subs:
        assert a in text
        text = text.replace(a, b, 1)
    path.write_text(text)


@pytest.mark.parametrize("version", ["2.0.0", "3.1.4"])
def test_a_major_bump_allows_every_change(tiny, cli, version):
    archive(tiny)
    edit(tiny, ("version: 1.0.0", f"version: {version}"), ("scale: agree5, reverse: true}", "scale: agree5}"),
         ("{id: high, min: 50,", "{id: high, min: 60,"), ("text: Statement A.", "text: Statement A2."))
    assert cli("--project", tiny, "validate")[0] == 0


def test_a_minor_bump_allows_a_rewording_and_an_added_item(tiny, cli):
    archive(tiny)
    edit(tiny, ("version: 1.0.0", "version: 1.1.0"), ("text: Statement A.", "text: Statement A2."),
         ("      - {id: e, text: Statement E., scale: agree5}\n",
          "      - {id: e, text: Statement E., scale: agree5}\n      - {id: f, text: F., scale: agree5}\n"))
    code, out, err = cli("--project", tiny, "validate")
    assert code == 0, err


def test_the_newest_archived_version_is_the_one_compared(tiny, cli):
    """An older archive allowing the change does not hide what the newest one refuses."""
    archive(tiny, "1.0.0")  # the version the engagement pins
    edit(tiny, ("version: 1.0.0", "version: 1.1.0"))
    archive(tiny, "1.1.0")
    edit(tiny, ("version: 1.1.0", "version: 1.1.1"), ("text: Statement A.", "text: Statement A2."))
    code, _, err = cli("--project", tiny, "validate", "--format", "json")
    code, out, _ = cli("--project", tiny, "validate", "--format", "json")
    problems = json.loads(out)["problems"]
    assert code == 1
    assert [(p["code"], p["line"]) for p in problems] == [("version-item-reworded", 22)]
    assert "since version 1.1.0 (assessments/archive/tiny-1.1.0.yml)" in problems[0]["message"]
    assert "to 1.2.0 or later, not 1.1.1" in problems[0]["message"]


def test_no_archive_no_rule(tiny, cli):
    edit(tiny, ("version: 1.0.0", "version: 1.0.1"), ("text: Statement A.", "text: Statement A2."))
    # The engagement pins 1.0.0, which is gone: that is its own (located) problem, not a version rule.
    code, _, err = cli("--project", tiny, "validate")
    assert "reworded" not in err
