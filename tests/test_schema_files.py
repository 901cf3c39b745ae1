"""Editors and hooks: the JSON Schemas agree with cxsite validate, and the pre-commit hook is shipped.

check-jsonschema is what an editor's YAML language server and a CI job
would run on these files; a schema that passed a file cxsite refuses, or
refused one it accepts, would make the editor lie.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

CHECK = Path(sys.executable).with_name("check-jsonschema")
QUESTIONNAIRES = sorted((REPO / "assessments").rglob("*.yml"))  # the library and its archive
ENGAGEMENTS = sorted((REPO / "engagements").glob("*/engagement.yml"))


@pytest.fixture
def schema(tmp_path, cli):
    """The file of ``cxsite schema KIND``'s output."""

    def write(kind: str) -> Path:
        code, out, _ = cli("schema", kind)
        assert code == 0
        path = tmp_path / f"{kind}.json"
        path.write_text(out)
        return path

    return write


def check_jsonschema(schema_file: Path, *files: Path) -> subprocess.CompletedProcess:
    if not CHECK.exists():
        pytest.fail(f"{CHECK} is missing: install the test extra (make .venv/.installed)")
    return subprocess.run([str(CHECK), "--schemafile", str(schema_file), *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def test_repository_questionnaires_pass_the_schema(schema):
    assert len(QUESTIONNAIRES) >= 2
    done = check_jsonschema(schema("questionnaire"), *QUESTIONNAIRES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_repository_engagements_pass_the_schema(schema):
    assert ENGAGEMENTS
    done = check_jsonschema(schema("engagement"), *ENGAGEMENTS)
    assert done.returncode == 0, done.stdout + done.stderr


def _plant(text: str, where: str, key: str) -> str:
    """``text`` with ``key: planted`` added at the top level, or as the first key of the first dimension."""
    if where == "top":
        return text + f"{key}: planted\n"
    return re.sub(r"(\n  - id: [\w-]+\n)", rf"\1    {key}: planted\n", text, count=1)


@pytest.mark.parametrize("where", ["top", "dimension"])
def test_unknown_key_in_a_questionnaire_is_refused_by_both(tiny, schema, cli, where):
    path = tiny / "assessments" / "service-culture.yml"
    text = (REPO / "assessments" / "service-culture.yml").read_text()
    planted = _plant(text, where, "colour")
    assert planted != text
    path.write_text(planted)
    done = check_jsonschema(schema("questionnaire"), path)
    assert done.returncode == 1 and "colour" in done.stdout, done.stdout
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    line = planted.splitlines().index(next(x for x in planted.splitlines() if "colour: planted" in x)) + 1
    assert re.search(rf"^assessments/service-culture\.yml:{line}:\d+: unknown key 'colour'", err, re.M), err


def test_unknown_key_in_an_engagement_is_refused_by_both(tiny, schema, cli):
    path = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    path.write_text(path.read_text() + "colour: red\n")
    done = check_jsonschema(schema("engagement"), path)
    assert done.returncode == 1 and "colour" in done.stdout, done.stdout
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert "engagements/tiny-2026/engagement.yml:10:1: unknown key 'colour'" in err


def _hook(config: dict) -> dict:
    (hook,) = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "cxsite-validate"]
    return hook


def test_pre_commit_hook_is_shipped_and_used_here():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == \
        ("cxsite-validate", "cxsite validate", "python", False)
    files = re.compile(hook["files"])
    for name in ("assessments/service-culture.yml", "assessments/archive/x.yml",
                 "engagements/a/engagement.yml", "engagements/a/responses.csv"):
        assert files.search(name), name
    for name in ("docs/reading.md", "generator/cli.py", "mkdocs.yml"):
        assert not files.search(name), name
    own = _hook(yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text()))
    assert own["files"] == hook["files"] and own["pass_filenames"] is False
    assert own["entry"].endswith("cxsite validate")


def test_scaffolded_pre_commit_config_uses_the_hook(tmp_path, cli):
    assert cli("init", tmp_path / "p")[0] == 0
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    mine = _hook(yaml.safe_load((tmp_path / "p" / ".pre-commit-config.yaml").read_text()))
    assert {k: mine[k] for k in ("entry", "language", "pass_filenames", "files")} == \
        {k: hook[k] for k in ("entry", "language", "pass_filenames", "files")}


def test_repository_plans_and_norms_pass_their_schemas(schema):
    plans = sorted((REPO / "engagements").glob("*/actions.yml"))
    norms = sorted((REPO / "benchmarks").glob("*.yml"))
    assert plans and norms
    for kind, files in (("actions", plans), ("benchmark", norms)):
        done = check_jsonschema(schema(kind), *files)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_plan_the_validator_refuses_the_schema_refuses_too(schema, tmp_path):
    bad = tmp_path / "actions.yml"
    bad.write_text("actions:\n  - {dimension: d1, action: Do it., owner: Ops, due: 2026-01-01, status: started}\n")
    assert check_jsonschema(schema("actions"), bad).returncode == 1
    bad.write_text("actions:\n  - {dimension: d1, action: {band: low}, owner: Ops, due: 2026-01-01, status: done}\n")
    assert check_jsonschema(schema("actions"), bad).returncode == 1
    bad.write_text("actions:\n  - {dimension: d1, action: {band: low, number: 1}, owner: Ops, due: 2026-01-01, "
                   "status: done}\n")
    assert check_jsonschema(schema("actions"), bad).returncode == 0
