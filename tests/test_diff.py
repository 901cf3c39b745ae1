"""cxsite diff ID@A ID@B: what changed between two versions and the bump it needs."""

import json
import shutil

import pytest


def two_versions(project, *subs, version="2.0.0"):
    """Archive tiny 1.0.0 and make the current file ``version`` with ``subs`` applied."""
    folder = project / "assessments" / "archive"
    folder.mkdir()
    shutil.copy(project / "assessments" / "tiny.yml", folder / "tiny-1.0.0.yml")
    path = project / "assessments" / "tiny.yml"
    text = path.read_text().replace("version: 1.0.0", f"version: {version}")
    for a, b in subs:
        assert a in text
        text = text.replace(a, b, 1)
    path.write_text(text)


CHANGES = (("text: Statement A.", "text: Statement A the opposite."),
           ("scale: agree5, reverse: true}", "scale: agree5}"),
           ("      - {id: e, text: Statement E., scale: agree5}\n", "      - {id: f, text: F., scale: agree5}\n"),
           ("{id: high, min: 50,", "{id: high, min: 60,"),
           ("points: {0: Not likely, 10: Very likely}", "points: {0: Unlikely, 10: Very likely}"))


def test_json_names_every_change_and_the_bump(tiny, cli):
    two_versions(tiny, *CHANGES)
    code, out, err = cli("--project", tiny, "diff", "tiny@1.0.0", "tiny@2.0.0", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert {k: doc[k] for k in ("added", "removed", "reworded", "rekeyed", "rescaled", "moved", "compared")} == {
        "added": ["f"], "removed": ["e"], "reworded": ["a"], "rekeyed": ["b"], "rescaled": ["nps"], "moved": [],
        "compared": ["c", "d"]}
    assert doc["bump"] == "major" and doc["version_bump"] == "major" and doc["allowed"] is True
    assert [b["what"] for b in doc["bands"]] == ["band-limits"]
    assert doc["from"] == {"id": "tiny", "version": "1.0.0", "source": "project",
                           "path": "assessments/archive/tiny-1.0.0.yml"}
    assert doc["to"]["path"] == "assessments/tiny.yml"


def test_text_says_which_bump_and_whether_the_versions_allow_it(tiny, cli):
    two_versions(tiny, ("text: Statement A.", "text: Statement A2."), version="1.0.1")
    # The project refuses this version (validate); diff still says what changed and why.
    code, out, _ = cli("--project", tiny, "diff", "tiny@1.0.0", "tiny@1.0.1")
    assert code == 0
    assert "reworded: a\n" in out
    assert out.rstrip().endswith("needs: a minor version bump; the versions differ by patch, which does not allow it")


def test_moved_items_show_both_places(tiny, cli):
    two_versions(tiny, ("      - {id: c, text: Statement C., scale: agree5}\n", ""),
                 ("      - {id: b, text", "      - {id: c, text: Statement C., scale: agree5}\n      - {id: b, text"))
    code, out, _ = cli("--project", tiny, "diff", "tiny@1.0.0", "tiny")
    assert "moved: c (d2 -> d1)\n" in out and "needs: a major version bump" in out


def test_the_same_version_twice_is_no_change(tiny, cli):
    code, out, _ = cli("--project", tiny, "diff", "tiny@1.0.0", "tiny@1.0.0")
    assert code == 0 and "no change\n" in out and "needs: no version bump" in out


def test_built_in_versions_and_two_different_questionnaires(tiny, cli):
    code, out, _ = cli("--project", tiny, "diff", "service-culture", "customer-focus", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["from"]["source"] == "built-in"
    assert doc["same_questionnaire"] is False and doc["bump"] == "major" and doc["compared"] == []


@pytest.mark.parametrize("args, message", [
    (("tiny@9.9.9", "tiny"), "tiny@9.9.9: questionnaire 'tiny' has no version 9.9.9; available: '1.0.0'"),
    (("tinny@1.0.0", "tiny"), "tinny@1.0.0: unknown questionnaire 'tinny' (did you mean 'tiny'?)"),
])
def test_an_unknown_id_or_version_is_a_clear_message(tiny, cli, args, message):
    code, out, err = cli("--project", tiny, "diff", *args)
    assert code == 1 and out == "" and "Traceback" not in err
    assert err.startswith(message)


def test_a_broken_questionnaire_asked_for_gives_its_located_problems(tiny, cli):
    path = tiny / "assessments" / "tiny.yml"
    path.write_text(path.read_text().replace("scale: agree5, reverse: true}", "scale: agree6, reverse: true}"))
    code, _, err = cli("--project", tiny, "diff", "tiny@1.0.0", "tiny")
    assert code == 1 and "assessments/tiny.yml:23:" in err and "unknown scale 'agree6'" in err
    # Another questionnaire is still there to compare.
    assert cli("--project", tiny, "diff", "service-culture", "service-culture")[0] == 0


# Every item of dimension d2 (a dimension's items share one scale) moves to the scale easy5.
D2_TO_EASY5 = tuple((f"{{id: {i}, text: Statement {i.upper()}., scale: agree5}}",
                     f"{{id: {i}, text: Statement {i.upper()}., scale: easy5}}") for i in "cde")


def test_a_likert_question_read_as_ces_is_a_minor_change(tiny, cli):
    """Same points and sides, reported as a customer-effort score: still comparable, a minor bump."""
    easy = ("  easy5:\n    kind: ces\n    points: {1: Strongly disagree, 2: Disagree, 3: Neutral, 4: Agree, "
            "5: Strongly agree}\n    not_applicable: [N/A]\n")
    two_versions(tiny, ("  likely11:\n", easy + "  likely11:\n"), *D2_TO_EASY5, version="1.1.0")
    code, out, err = cli("--project", tiny, "diff", "tiny@1.0.0", "tiny@1.1.0", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["rescaled"] == [] and {"c", "d", "e"} <= set(doc["compared"])
    assert [o["what"] for o in doc["other"]] == ["scale-kind"] * 3 and doc["bump"] == "minor"
    assert cli("--project", tiny, "validate")[0] == 0
    two_versions_patch = tiny / "assessments" / "tiny.yml"
    two_versions_patch.write_text(two_versions_patch.read_text().replace("version: 1.1.0", "version: 1.0.1"))
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1 and "needs a minor version bump" in err


def test_a_ces_scale_with_other_sides_is_rescaled(tiny, cli):
    easy = ("  easy5:\n    kind: ces\n    points: {1: Strongly disagree, 2: Disagree, 3: Neutral, 4: Agree, "
            "5: Strongly agree}\n    favorable: [5]\n")
    two_versions(tiny, ("  likely11:\n", easy + "  likely11:\n"), *D2_TO_EASY5)
    doc = json.loads(cli("--project", tiny, "diff", "tiny@1.0.0", "tiny@2.0.0", "--format", "json")[1])
    assert doc["rescaled"] == ["c", "d", "e"]
