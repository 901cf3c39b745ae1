"""Provenance: what a report was built from, in cxsite score JSON and on the methodology page."""

import hashlib
import json
from importlib import metadata


from cxsite.cache import CACHE_DIR, Cache
from cxsite.load import load_project
from cxsite.pages import build_pages
from cxsite.provenance import provenance
from cxsite.results import Results
from conftest import REPO


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def score_json(cli, project, eid):
    code, out, err = cli("--project", project, "score", eid)
    assert code == 0, err
    return json.loads(out)


def test_score_json_carries_the_issue_s_exact_provenance(tiny, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    p = score_json(cli, tiny, "tiny-2026")["provenance"]
    assert p == {
        "questionnaire": {"id": "tiny", "version": "1.0.0", "source": "project",
                          "sha256": sha(tiny / "assessments" / "tiny.yml"), "catalogue": None},
        "responses_sha256": sha(tiny / "engagements" / "tiny-2026" / "responses.csv"),
        "cxsite_version": metadata.version("cxsite"),
        "mkdocs_version": metadata.version("mkdocs"),
        "material_version": metadata.version("mkdocs-material"),
        "built": "2026-05-28T20:26:40+00:00",
    }


def test_hashes_follow_the_bytes_of_the_files(tiny, cli):
    responses = tiny / "engagements" / "tiny-2026" / "responses.csv"
    before = score_json(cli, tiny, "tiny-2026")["provenance"]
    responses.write_bytes(responses.read_bytes().replace(b"\n", b"\r\n"))  # same answers, other bytes
    after = score_json(cli, tiny, "tiny-2026")["provenance"]
    assert after["responses_sha256"] == sha(responses) != before["responses_sha256"]
    assert after["questionnaire"] == before["questionnaire"]


def test_a_built_in_questionnaire_is_named_so_and_hashed_from_its_packaged_file(tmp_path, cli):
    project = tmp_path / "p"
    assert cli("init", project)[0] == 0
    assert cli("--project", project, "new", "engagement", "acme", "--assessment", "customer-focus",
               "--client", "Acme")[0] == 0
    responses = project / "engagements" / "acme" / "responses.csv"
    header = responses.read_text().strip().split(",")
    rows = [",".join("4" if h[-1].isdigit() and h not in ("nps",) else "" for h in header) for _ in range(6)]
    responses.write_text(responses.read_text() + "\n".join(rows) + "\n")
    p = score_json(cli, project, "acme")["provenance"]
    assert p["questionnaire"]["source"] == "built-in"
    assert p["questionnaire"]["sha256"] == sha(REPO / "assessments" / "customer-focus.yml")


def test_the_methodology_page_shows_it_and_the_build_time_is_not_cached(tiny, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    results = Results(Cache(tiny / CACHE_DIR))
    first = build_pages(load_project(tiny, known=results.known), results=results)
    page = first.pages["engagements/tiny-2026/methodology.md"]
    assert "## Provenance" in page
    assert f"`{sha(tiny / 'assessments' / 'tiny.yml')}`" in page
    assert "2026-05-28T20:26:40" in page
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    results = Results(Cache(tiny / CACHE_DIR))
    project = load_project(tiny, known=results.known)
    assert results.known(project.engagements["tiny-2026"])  # a later build is still a cache hit
    page = build_pages(project, results=results).pages["engagements/tiny-2026/methodology.md"]
    assert "2026-09-21T" in page and "2026-05-28T" not in page


def test_source_date_epoch_that_is_not_a_number_is_a_located_error(tiny, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = cli("--project", tiny, "score", "tiny-2026")
    assert code == 1 and "SOURCE_DATE_EPOCH: expected whole seconds" in err and "Traceback" not in err


def test_a_distribution_that_is_not_installed_is_null(tiny, monkeypatch):
    from cxsite import provenance as module

    real = module.metadata.version

    def fake(name):
        if name == "mkdocs-material":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(module.metadata, "version", fake)
    e = load_project(tiny).engagements["tiny-2026"]
    assert provenance(e)["material_version"] is None
