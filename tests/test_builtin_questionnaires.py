"""Built-in questionnaires: a project without assessments/ of its own uses the ones cxsite ships."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from cxsite.cache import key_for
from cxsite.load import load_project
from cxsite.pages import build_pages

ENGAGEMENT = "engagements/practice-2026/engagement.yml"


@pytest.fixture
def builtin(tmp_path) -> Path:
    """A writable copy of the mini-project that has no assessments/ folder."""
    project = copy_project("builtin", tmp_path)
    assert not (project / "assessments").exists()
    return project


def _assessment(project: Path, ref: str) -> None:
    eng = project / ENGAGEMENT
    eng.write_text(eng.read_text().replace("assessment: service-culture", f"assessment: {ref}"))


def test_a_project_without_assessments_validates(builtin, cli):
    code, out, err = cli("--project", builtin, "validate")
    assert (code, err) == (0, "")
    assert out == "ok: 0 questionnaires, 1 engagement\n"


@pytest.mark.parametrize("ref", ["service-culture", "service-culture@1.0.0"])
def test_score_names_the_built_in_source(builtin, cli, ref):
    _assessment(builtin, ref)
    code, out, _ = cli("--project", builtin, "score", "practice-2026")
    assert code == 0
    assert json.loads(out)["assessment"] == {"id": "service-culture", "version": "1.0.0",
                                             "title": "Service Culture", "source": "built-in"}


def test_a_project_file_of_the_same_id_and_version_wins(builtin, cli):
    (builtin / "assessments").mkdir()
    own = builtin / "assessments" / "service-culture.yml"
    own.write_text((REPO / "assessments" / "service-culture.yml").read_text()
                   .replace("title: Service Culture\n", "title: Our Service Culture\n", 1))
    code, out, err = cli("--project", builtin, "score", "practice-2026")
    assert code == 0, err
    assessment = json.loads(out)["assessment"]
    assert (assessment["title"], assessment["source"]) == ("Our Service Culture", "project")


def test_unknown_assessment_lists_the_built_in_ones(builtin, cli):
    _assessment(builtin, "service-cultur")
    code, _, err = cli("--project", builtin, "validate")
    assert code == 1
    assert (f"{ENGAGEMENT}:3:13: unknown assessment 'service-cultur' (did you mean 'service-culture'?); "
            "expected one of the built-in 'customer-focus', 'service-culture'") in err.splitlines()


def test_unknown_version_lists_the_built_in_versions(builtin, cli):
    _assessment(builtin, "service-culture@9.0.0")
    code, _, err = cli("--project", builtin, "validate")
    assert code == 1
    assert f"{ENGAGEMENT}:3:13: questionnaire 'service-culture' has no version 9.0.0; available: '1.0.0'" in err


def test_methodology_page_says_which_questionnaire_was_used(builtin, tmp_path):
    pages = build_pages(load_project(builtin)).pages
    assert "the\nversion built into cxsite." in pages["engagements/practice-2026/methodology.md"]
    # Built-in questionnaires no engagement uses are not listed in the project's site.
    assert "questionnaires/customer-focus.md" not in pages
    (builtin / "assessments").mkdir()
    shutil.copy(REPO / "assessments" / "service-culture.yml", builtin / "assessments")
    pages = build_pages(load_project(builtin)).pages
    assert "as kept in this project's `assessments/`." in pages["engagements/practice-2026/methodology.md"]


def test_the_tool_repository_reads_each_file_once(monkeypatch):
    """In cxsite's own repository its assessments/ are the built-in library: each file is read once."""
    import cxsite.load as load

    read = []
    real = load.load_questionnaire
    monkeypatch.setattr(load, "load_questionnaire", lambda path, *a: read.append(path) or real(path, *a))
    project = load_project(REPO, responses=False)
    assert len(read) == len(set(read))
    assert {q.source for q in project.questionnaires.values()} == {"project"}
    files = sorted((REPO / "assessments").rglob("*.yml"))
    assert len(project.questionnaires) == len(files)


def test_the_cache_key_tells_a_project_copy_from_the_built_in(builtin):
    built_in = load_project(builtin, responses=False).engagements["practice-2026"]
    (builtin / "assessments").mkdir()
    shutil.copy(REPO / "assessments" / "service-culture.yml", builtin / "assessments")
    own = load_project(builtin, responses=False).engagements["practice-2026"]
    assert own.questionnaire.source == "project"
    assert key_for(own) != key_for(built_in)  # the same bytes, but the results name another source


def test_portfolio_stamp_covers_the_built_in_questionnaires(builtin, tmp_path, monkeypatch):
    import cxsite.portfolio as portfolio

    library = tmp_path / "pkg" / "assessments"
    shutil.copytree(REPO / "assessments", library)
    monkeypatch.setattr(portfolio, "package_folder", lambda name: library)
    before = portfolio.shared_inputs(builtin, pdf=False, offline=False)
    q = library / "service-culture.yml"
    q.write_text(q.read_text() + "\n# changed\n")
    assert portfolio.shared_inputs(builtin, pdf=False, offline=False) != before


def test_a_broken_built_in_library_is_an_internal_error(builtin, tmp_path, monkeypatch, cli):
    import cxsite.load as load

    library = tmp_path / "pkg" / "assessments"
    library.mkdir(parents=True)
    (library / "service-culture.yml").write_text("id: service-culture\nversion: [\n")
    monkeypatch.setattr(load, "package_folder", lambda name: library)
    code, _, err = cli("--project", builtin, "validate")
    assert code == 2
    assert err.startswith(f"cxsite failed: cxsite's built-in questionnaire {library / 'service-culture.yml'} "
                          "does not load")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_missing_built_in_library_is_an_internal_error(builtin, tmp_path, monkeypatch, cli):
    import cxsite.load as load

    monkeypatch.setattr(load, "package_folder", lambda name: tmp_path / "gone" / "assessments")
    code, _, err = cli("--project", builtin, "validate")
    assert code == 2
    assert "cxsite's packaged file" in err and "gone/assessments is missing" in err


def test_any_one_marker_makes_a_project_root(tmp_path, cli):
    (tmp_path / "engagements").mkdir()
    assert cli("--project", tmp_path, "validate")[:2] == (0, "ok: 0 questionnaires, 0 engagements\n")
