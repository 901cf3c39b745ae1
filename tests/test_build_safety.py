"""Builds and writes that cannot harm the project, and no other client's data in a client's site.

Every refusal is checked three ways: the exact located message, exit 1
without a traceback, and the project's files byte for byte as they were.
"""

import os
import shutil
from pathlib import Path

import pytest


ENG = "engagements/tiny-2026"
PROJECT_DATA = "which holds project data; choose a folder outside the project's data, such as site/"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and link under ``folder``: what a harmful write would change."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = os.readlink(p).encode()
        elif p.is_file():
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


def refused(cli, *args) -> list[str]:
    code, _, err = cli(*args)
    assert code == 1, err
    assert "Traceback" not in err
    return err.splitlines()


def add_engagement(project: Path, eid: str, client: str) -> Path:
    """A second engagement, a copy of tiny-2026 for another client."""
    folder = project / "engagements" / eid
    shutil.copytree(project / ENG, folder)
    eng = folder / "engagement.yml"
    eng.write_text(eng.read_text().replace("client: Tiny Co", f"client: {client}"))
    return folder


# --------------------------------------------------------------------------- site folders and project data

@pytest.mark.parametrize("site_dir, message", [
    (".", f".: the site folder is the project folder, {PROJECT_DATA}"),
    ("..", f"..: the site folder contains the project folder, {PROJECT_DATA}"),
    ("engagements", f"engagements: the site folder is the project's engagements/, {PROJECT_DATA}"),
    (ENG, f"{ENG}: the site folder is inside the project's engagements/, {PROJECT_DATA}"),
    ("engagements/new", f"engagements/new: the site folder is inside the project's engagements/, {PROJECT_DATA}"),
    ("assessments", f"assessments: the site folder is the project's assessments/, {PROJECT_DATA}"),
    ("docs/out", f"docs/out: the site folder is inside the project's docs/, {PROJECT_DATA}"),
    ("site_templates", f"site_templates: the site folder is the project's site_templates, {PROJECT_DATA}"),
    (".git", f".git: the site folder is the project's .git, {PROJECT_DATA}"),
    (".cxsite-cache", f".cxsite-cache: the site folder is the project's .cxsite-cache, {PROJECT_DATA}"),
    ("mkdocs.yml", f"mkdocs.yml: the site folder is the project's mkdocs.yml, {PROJECT_DATA}"),
])
def test_site_folder_on_project_data_is_refused(site_dir, message, tiny, cli, monkeypatch):
    monkeypatch.chdir(tiny)
    before = snapshot(tiny.parent)
    assert refused(cli, "build", "--site-dir", site_dir) == [message]
    assert snapshot(tiny.parent) == before


def test_docs_dir_from_mkdocs_yml_is_project_data(tiny, cli, monkeypatch):
    (tiny / "docs").rename(tiny / "pages")
    config = tiny / "mkdocs.yml"
    config.write_text(config.read_text().replace("docs_dir: docs", "docs_dir: pages"))
    monkeypatch.chdir(tiny)
    assert refused(cli, "build", "--site-dir", "pages") == [
        f"pages: the site folder is the project's pages/, {PROJECT_DATA}"]


def test_link_to_project_data_is_refused(tiny, cli, monkeypatch):
    os.symlink(tiny / "engagements", tiny / "out")
    monkeypatch.chdir(tiny)
    before = snapshot(tiny)
    assert refused(cli, "build", "--site-dir", "out") == [
        f"out: the site folder is the project's engagements/, {PROJECT_DATA}"]
    assert snapshot(tiny) == before


def test_all_clients_out_on_the_project_is_refused(tiny, cli, monkeypatch):
    eng = tiny / ENG / "engagement.yml"
    eng.write_text(eng.read_text().replace("client: Tiny Co", "client: Engagements"))
    monkeypatch.chdir(tiny)
    before = snapshot(tiny)
    assert refused(cli, "build", "--all-clients", "--out", ".") == [
        f".: the --out folder is the project folder, {PROJECT_DATA}"]
    assert refused(cli, "build", "--all-clients", "--out", "engagements/x") == [
        f"engagements/x: the --out folder is inside the project's engagements/, {PROJECT_DATA}"]
    assert snapshot(tiny) == before
    # Beside the project's data, a client called "Engagements" is one more folder.
    code, _, err = cli("build", "--all-clients", "--out", "dist")
    assert code == 0, err
    assert (tiny / "dist" / "engagements" / "index.html").is_file()
    assert snapshot(tiny / "engagements") == {k.split("/", 1)[1]: v for k, v in before.items()
                                              if k.startswith("engagements/")}


# --------------------------------------------------------------------------- only cxsite's own folders are replaced

def test_foreign_folder_is_refused_and_kept(tiny, tmp_path, cli):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    assert refused(cli, "--project", tiny, "build", "--site-dir", out) == [
        f"{out}: exists and was not made by cxsite; remove it or choose another folder"]
    assert snapshot(out) == {"thesis.tex": b"years of work"}


def test_empty_and_own_folders_are_replaced(tiny, tmp_path, cli):
    out = tmp_path / "out"
    out.mkdir()
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    assert (out / ".cxsite-made").read_text().startswith("cxsite: site\n")
    (out / "stale.html").write_text("from the last build")
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    assert not (out / "stale.html").exists()


def test_site_built_before_the_marker_is_replaced(tiny, tmp_path, cli):
    """Migration: sites of an older cxsite carry no marker but are recognisably sites."""
    out = tmp_path / "site"
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    (out / ".cxsite-made").unlink()
    # Recognised as a site, it is not mistaken for --all-clients output either.
    assert refused(cli, "--project", tiny, "build", "--all-clients", "--out", out) == [
        f"{out}: holds one client's site, not client sites; choose another folder"]
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    assert (out / ".cxsite-made").is_file()


@pytest.mark.parametrize("project_file", ["mkdocs.yml", "assessments/tiny.yml", "engagements/x/engagement.yml"])
def test_a_site_lookalike_holding_project_files_is_not_replaced(project_file, tiny, tmp_path, cli):
    out = tmp_path / "site"
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    (out / ".cxsite-made").unlink()
    (out / project_file).parent.mkdir(parents=True, exist_ok=True)
    (out / project_file).write_text("data")
    before = snapshot(out)
    assert refused(cli, "--project", tiny, "build", "--site-dir", out) == [
        f"{out}: exists and was not made by cxsite; remove it or choose another folder"]
    assert snapshot(out) == before


def test_a_file_where_the_site_folder_goes(tiny, tmp_path, cli):
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    assert refused(cli, "--project", tiny, "build", "--site-dir", target) == [
        f"{target}: is a file, not a folder; remove it or choose another folder"]
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("flag", ["--site-dir", "--out"])
@pytest.mark.parametrize("below, message", [
    ("", "is a file, not a folder; remove it or choose another folder"),
    ("site", "cannot write here: {blocker} is a file, not a folder; choose another path"),
    ("sub/site", "cannot write here: {blocker} is a file, not a folder; choose another path"),
])
def test_parent_is_a_file(flag, below, message, tiny, tmp_path, cli):
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    target = blocker / below if below else blocker
    build = ("build", "--all-clients") if flag == "--out" else ("build",)
    assert refused(cli, "--project", tiny, *build, flag, target) == [
        f"{target}: {message.format(blocker=blocker)}"]
    assert blocker.read_text() == "x"


def test_permission_denied_is_a_message(tiny, tmp_path, cli, monkeypatch):
    import tempfile

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkdtemp", deny)
    target = tmp_path / "site"
    assert refused(cli, "--project", tiny, "build", "--site-dir", target) == [
        f"{target}: cannot write here: permission denied; choose a folder you can write to, "
        "or fix its permissions"]


def test_failed_swap_puts_the_old_site_back(tiny, tmp_path, cli, monkeypatch):
    out = tmp_path / "site"
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    before = snapshot(out)
    real = Path.rename

    def refuse_staging(self, target):
        if ".building-" in self.name:
            raise OSError(28, "No space left on device", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", refuse_staging)
    assert refused(cli, "--project", tiny, "build", "--site-dir", out) == [
        f"{out}: cannot write here: no space left on the disk; free some space and try again"]
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "tiny"]


def test_all_clients_refuses_foreign_out_and_client_folders(tiny, tmp_path, cli):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "report.docx").write_text("mine")
    assert refused(cli, "--project", tiny, "build", "--all-clients", "--out", out) == [
        f"{out}: exists and was not made by cxsite; remove it or choose another folder"]
    (out / "report.docx").unlink()
    assert cli("--project", tiny, "build", "--all-clients", "--out", out)[0] == 0
    assert (out / ".cxsite-made").read_text().startswith("cxsite: portfolio\n")
    shutil.rmtree(out / "tiny-co")
    (out / "tiny-co").mkdir()
    (out / "tiny-co" / "notes.md").write_text("mine")
    before = snapshot(out)
    assert refused(cli, "--project", tiny, "build", "--all-clients", "--out", out, "--force") == [
        f"{out}/tiny-co: exists and was not made by cxsite; remove it or choose another folder",
        "1 problem found; nothing was built or written."]
    assert snapshot(out) == before
    shutil.rmtree(out / "tiny-co")
    assert cli("--project", tiny, "build", "--all-clients", "--out", out)[0] == 0
    # Client sites and a single site do not stand in for each other.
    assert refused(cli, "--project", tiny, "build", "--site-dir", out) == [
        f"{out}: holds the client sites of --all-clients, not a site; choose another folder"]
    (out / ".cxsite-made").unlink()  # an --out folder of an older cxsite: stamps and sites
    assert cli("--project", tiny, "build", "--all-clients", "--out", out, "--force")[0] == 0


def test_zip_target_is_checked_before_the_build(tiny, tmp_path, cli):
    out = tmp_path / "site"
    (tmp_path / "site.zip").mkdir()
    assert refused(cli, "--project", tiny, "build", "--zip", "--site-dir", out) == [
        f"{tmp_path / 'site.zip'}: is a folder, where the site's zip is written; move it away "
        "or choose another --site-dir"]
    assert not out.exists()
    (tmp_path / "site.zip").rmdir()
    (tmp_path / "site.zip").write_text("not a zip")
    assert refused(cli, "--project", tiny, "build", "--zip", "--site-dir", out) == [
        f"{tmp_path / 'site.zip'}: exists and is not a zip cxsite made; remove it or choose another --site-dir"]
    assert (tmp_path / "site.zip").read_text() == "not a zip"


def test_zip_leaves_the_marker_out(tiny, tmp_path, cli):
    import zipfile

    out = tmp_path / "site"
    code, _, err = cli("--project", tiny, "build", "--zip", "--site-dir", out)
    assert code == 0, err
    names = zipfile.ZipFile(tmp_path / "site.zip").namelist()
    assert "site/index.html" in names and not [n for n in names if ".cxsite-made" in n]
    assert (out / ".cxsite-made").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.zip", "tiny"]


# --------------------------------------------------------------------------- score -o


def test_score_output_through_a_link_to_project_data(tiny, tmp_path, cli):
    os.symlink(tiny / ENG / "responses.csv", tmp_path / "results.json")
    before = snapshot(tiny)
    lines = refused(cli, "--project", tiny, "score", "tiny-2026", "-o", tmp_path / "results.json")
    assert lines[0].startswith(f"{tmp_path / 'results.json'}: the output file is inside the project's engagements/")
    assert snapshot(tiny) == before

@pytest.mark.parametrize("target", ["assessments/tiny.yml", f"{ENG}/engagement.yml", f"{ENG}/responses.csv",
                                    f"{ENG}/logo.png", "mkdocs.yml", "docs/results.json"])
def test_score_output_never_overwrites_project_data(target, tiny, cli, monkeypatch):
    (tiny / ENG / "logo.png").write_bytes(b"\x89PNG")
    monkeypatch.chdir(tiny)
    before = snapshot(tiny)
    lines = refused(cli, "score", "tiny-2026", "-o", target)
    assert len(lines) == 1 and lines[0].startswith(f"{target}: the output file is")
    assert lines[0].endswith("which holds project data; write the results outside the project's "
                             "data, such as results.json")
    assert snapshot(tiny) == before


def test_score_output_problems_are_messages(tiny, tmp_path, cli):
    (tmp_path / "blocker").write_text("x")
    (tmp_path / "folder").mkdir()
    assert refused(cli, "--project", tiny, "score", "tiny-2026", "-o", tmp_path / "blocker" / "r.json") == [
        f"{tmp_path / 'blocker' / 'r.json'}: cannot write here: {tmp_path / 'blocker'} is a file, not a folder; "
        "choose another path"]
    assert refused(cli, "--project", tiny, "score", "tiny-2026", "-o", tmp_path / "folder") == [
        f"{tmp_path / 'folder'}: is a folder, not a file; choose a file name"]


def test_score_output_is_written_atomically(tiny, tmp_path, cli, monkeypatch):
    target = tmp_path / "results.json"
    target.write_text("old results")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert refused(cli, "--project", tiny, "score", "tiny-2026", "-o", target) == [
        f"{target}: cannot write here: no space left on the disk; free some space and try again"]
    assert target.read_text() == "old results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json", "tiny"]
    monkeypatch.undo()
    assert cli("--project", tiny, "score", "tiny-2026", "-o", target)[0] == 0
    assert target.read_text().startswith("{")


# --------------------------------------------------------------------------- import: all files or none

def _imported(tmp_path):
    from test_import import DATA, make_project, run

    root = make_project(tmp_path)
    run(root, DATA / "typeform.csv")
    return root, _files(root)


def _files(root):
    """The engagement's files, byte for byte (any temporary file left would show)."""
    from test_import import EID

    return snapshot(root / "engagements" / EID)


def _reimport(root):
    from test_import import DATA, failure, run

    return failure(lambda: run(root, DATA / "google-forms.csv"))


def test_import_refuses_a_folder_where_a_file_goes(tmp_path):
    from test_import import EID

    root, before = _imported(tmp_path)
    folder = root / "engagements" / EID
    (folder / "import-report.md").unlink()
    (folder / "import-report.md").mkdir()
    del before["import-report.md"]
    assert _reimport(root) == [f"engagements/{EID}/import-report.md: is a folder where a file is written; "
                               "move the folder away and try again"]
    assert _files(root) == before


def test_import_refuses_a_link_out_of_the_engagement(tmp_path):
    from test_import import EID

    root, before = _imported(tmp_path)
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("someone else's notes")
    report = root / "engagements" / EID / "import-report.md"
    report.unlink()
    os.symlink(elsewhere, report)
    responses = _files(root)["responses.csv"]
    assert _reimport(root) == [f"engagements/{EID}/import-report.md: links outside this engagement's folder; "
                               "remove the link and try again"]
    assert elsewhere.read_text() == "someone else's notes"
    assert _files(root)["responses.csv"] == responses == before["responses.csv"]


@pytest.mark.parametrize("denied, message", [
    ("file", "is read-only; make it writable (chmod u+w) and try again"),
    ("folder", "its folder is not writable; fix the folder's permissions and try again"),
])
def test_import_refuses_read_only_targets(denied, message, tmp_path, monkeypatch):
    from test_import import EID

    root, before = _imported(tmp_path)
    real = os.access
    # Tests run as root, which permission bits do not stop: os.access stands in for them.
    blocked = root / "engagements" / EID / ("import-report.md" if denied == "file" else "")

    def access(path, mode, **kwargs):
        return False if Path(path) == blocked else real(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    lines = _reimport(root)
    assert lines[0].endswith(message) and len(lines) == (1 if denied == "file" else 3)
    assert _files(root) == before


@pytest.mark.parametrize("step", ["write", "rename"])
def test_import_failing_part_way_changes_nothing(step, tmp_path, monkeypatch):
    """The third file fails: the first two must not have replaced the old ones."""
    from cxsite import outputs

    root, before = _imported(tmp_path)
    calls = []
    real = outputs._write_temp if step == "write" else os.replace

    def flaky(*args):
        calls.append(args)
        if len(calls) >= 3:  # and every later call: undoing must not need the call that failed
            raise OSError(28, "No space left on device", str(args[-1]))
        return real(*args)

    if step == "write":
        monkeypatch.setattr(outputs, "_write_temp", flaky)
    else:
        monkeypatch.setattr(os, "replace", flaky)
    lines = _reimport(root)
    assert len(lines) == 1 and "cannot write the import: No space left on device" in lines[0]
    assert _files(root) == before  # byte for byte, and no temporary file left


# --------------------------------------------------------------------------- clients sharing a slug

@pytest.fixture
def acmes(tiny):
    add_engagement(tiny, "acme-2026", "Acme Ltd")
    add_engagement(tiny, "acme-dot-2026", "ACME Ltd.")
    return tiny


def test_slug_of_two_clients_is_refused(acmes, tmp_path, cli):
    out = tmp_path / "site"
    assert refused(cli, "--project", acmes, "build", "--client", "acme-ltd", "--site-dir", out) == [
        "--client: 'acme-ltd' is the slug of 2 clients: 'ACME Ltd.', 'Acme Ltd'; give the client's full name "
        "instead", "1 problem found; nothing was built or written."]
    assert not out.exists()


def test_exact_name_selects_only_that_client(acmes, tmp_path, cli):
    out = tmp_path / "site"
    code, _, err = cli("--project", acmes, "build", "--client", "Acme Ltd", "--site-dir", out)
    assert code == 0, err
    assert (out / "engagements" / "acme-2026" / "index.html").is_file()
    assert not (out / "engagements" / "acme-dot-2026").exists()
    assert "ACME Ltd." not in (out / "search" / "search_index.json").read_text()


@pytest.mark.parametrize("shard", ["1/2", "2/2"])
def test_all_clients_refuses_a_shared_slug_in_every_shard(shard, acmes, tmp_path, cli):
    out = tmp_path / "dist"
    assert refused(cli, "--project", acmes, "build", "--all-clients", "--out", out, "--shard", shard) == [
        "--all-clients: clients 'ACME Ltd.' and 'Acme Ltd' share the folder name 'acme-ltd'; "
        "rename one in its engagement.yml"]
    assert not out.exists()


# --------------------------------------------------------------------------- each engagement reads only its own folder

def _link(link: Path, target: str) -> None:
    link.unlink(missing_ok=True)
    os.symlink(target, link)


def test_responses_linked_into_another_engagement(tiny, tmp_path, cli):
    add_engagement(tiny, "other-2026", "Other Co")
    _link(tiny / ENG / "linked.csv", "../other-2026/responses.csv")
    eng = tiny / ENG / "engagement.yml"
    eng.write_text(eng.read_text().replace("responses: responses.csv", "responses: linked.csv"))
    message = (f"{ENG}/engagement.yml:6:12: 'linked.csv' links outside this engagement's folder; "
               "copy the file in instead")
    assert message in refused(cli, "--project", tiny, "validate")
    assert message in refused(cli, "--project", tiny, "build", "--client", "Tiny Co", "--site-dir", tmp_path / "s")
    assert not (tmp_path / "s").exists()


def test_logo_linked_into_another_engagement(tiny, cli):
    other = add_engagement(tiny, "other-2026", "Other Co")
    (other / "logo.png").write_bytes(b"\x89PNG other client's logo")
    _link(tiny / ENG / "logo.png", "../other-2026/logo.png")
    eng = tiny / ENG / "engagement.yml"
    eng.write_text(eng.read_text() + "brand: {logo: logo.png}\n")
    assert refused(cli, "--project", tiny, "validate") == [
        f"{ENG}/engagement.yml:10:15: 'logo.png' links outside this engagement's folder; copy the file in instead",
        "1 problem found; nothing was built or written."]


@pytest.mark.parametrize("name, message", [
    ("engagement.yml", f"{ENG}/engagement.yml: engagement.yml links outside this engagement's folder; "
                       "copy the file in instead"),
    ("import-quality.json", f"{ENG}/import-quality.json: links outside this engagement's folder; "
                            "remove the link (cxsite import writes this file)"),
])
def test_engagement_files_linked_elsewhere(name, message, tiny, cli):
    other = add_engagement(tiny, "other-2026", "Other Co")
    (other / "import-quality.json").write_text("{}")
    (tiny / "linked.yml").write_text((tiny / ENG / "engagement.yml").read_text())
    _link(tiny / ENG / name, "../other-2026/import-quality.json" if name != "engagement.yml" else "../../linked.yml")
    assert message in refused(cli, "--project", tiny, "validate")


def test_engagement_folder_linked_to_another_engagement(tiny, cli):
    os.symlink("tiny-2026", tiny / "engagements" / "copy-2026")
    assert refused(cli, "--project", tiny, "validate") == [
        "engagements/copy-2026: engagement folder is a link to engagements/tiny-2026; each engagement "
        "needs a folder of its own, copy the data in instead", "1 problem found; nothing was built or written."]
