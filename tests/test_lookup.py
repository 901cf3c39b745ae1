"""An engagement named on the command line: by its id or by its folder, one rule for every command."""

import shutil

import pytest

from cxsite.errors import InputError
from cxsite.load import load_project
from cxsite.lookup import engagement_folder, find_engagement

EID = "tiny-2026"


@pytest.fixture
def project(tiny):
    return load_project(tiny, responses=False)


def test_by_id_by_folder_and_by_relative_folder(project, tiny, monkeypatch):
    folder = engagement_folder(tiny, EID)
    assert find_engagement(project, EID).id == EID
    assert find_engagement(project, folder).id == EID
    monkeypatch.chdir(tiny)
    assert find_engagement(project, f"engagements/{EID}").id == EID
    monkeypatch.chdir(folder)
    assert find_engagement(project, ".").id == EID


def test_unknown_id_names_the_closest(project):
    with pytest.raises(InputError) as exc:
        find_engagement(project, "tiny-2062")
    assert str(exc.value) == (f"tiny-2062: no engagement 'tiny-2062' (did you mean '{EID}'?); "
                              f"expected one of '{EID}'")


def test_a_folder_of_another_project_is_refused(project, tmp_path):
    other = tmp_path / "other" / "engagements" / EID
    shutil.copytree(engagement_folder(project.root, EID), other)
    with pytest.raises(InputError, match="this folder is not the project's engagement 'tiny-2026'"):
        find_engagement(project, other)


def test_score_and_import_refuse_another_projects_folder(tiny, tmp_path, cli):
    other = tmp_path / "other" / EID
    shutil.copytree(engagement_folder(tiny, EID), other)
    for args in (["score", other], ["import", tiny / "nothing.csv", "--engagement", other]):
        code, out, err = cli("--project", tiny, *args)
        assert code == 1 and out == "" and "Traceback" not in err
        assert f"{other}: this folder is not the project's engagement '{EID}'" in err
