import json


def test_validate_clean_project(tiny, cli):
    code, out, err = cli("--project", tiny, "validate")
    assert (code, err) == (0, "")
    assert out == "ok: 1 questionnaire, 1 engagement\n"


def test_validate_runs_in_the_current_folder(tiny, cli, monkeypatch):
    monkeypatch.chdir(tiny)
    assert cli("validate")[0] == 0


def test_validate_outside_a_project(tmp_path, cli):
    code, _, err = cli("--project", tmp_path, "validate")
    assert code == 1 and "no cxsite project here (no mkdocs.yml, engagements/ or assessments/)" in err


def test_validate_reports_every_problem_at_once(tiny, cli):
    q = tiny / "assessments" / "tiny.yml"
    q.write_text(q.read_text().replace("audience: staff", "audience: staf").replace("weight: 3", "weight: x"))
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert "assessments/tiny.yml:6:11: expected one of" in err
    assert "assessments/tiny.yml:31:13: expected a number" in err
    assert err.rstrip().endswith("problems found; nothing was built or written.")


def test_score_json_is_the_documented_contract(tiny, cli):
    code, out, _ = cli("--project", tiny, "score", "tiny-2026")
    assert code == 0
    r = json.loads(out)
    assert r["schema"] == 1
    assert set(r) >= {"engagement", "assessment", "respondents", "index", "dimensions",
                      "outcomes", "segments", "data_quality"}
    assert r["engagement"] == {"id": "tiny-2026", "client": "Tiny Co", "title": "Tiny baseline",
                               "wave": "2026", "date": "2026-06-30"}
    assert r["assessment"] == {"id": "tiny", "version": "1.0.0", "title": "Tiny", "source": "project"}
    assert set(r["dimensions"][0]) >= {"id", "title", "n", "mean", "score", "band", "favorable",
                                       "neutral", "unfavorable", "alpha", "items"}
    assert set(r["dimensions"][0]["items"][0]) >= {"id", "text", "n", "mean", "favorable", "neutral",
                                                   "unfavorable", "not_applicable", "counts"}
    assert set(r["outcomes"][0]) >= {"id", "kind", "n", "mean", "nps", "promoters", "passives", "detractors"}


def test_score_by_folder_and_to_file(tiny, cli, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = cli("--project", tiny, "score", tiny / "engagements" / "tiny-2026", "-o", target)
    assert (code, out) == (0, "")
    assert json.loads(target.read_text())["index"]["band"] == "high"


def test_score_csv(tiny, cli):
    code, out, _ = cli("--project", tiny, "score", "tiny-2026", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "level,id,segment,group,measure,value"
    assert "dimension,d1,,,score,62.5" in lines
    assert "outcome,nps,,,,nps,25.0".replace(",,,,", ",,,") in lines


def test_score_unknown_engagement(tiny, cli):
    code, _, err = cli("--project", tiny, "score", "tiny-2062")
    assert code == 1
    assert "no engagement 'tiny-2062' (did you mean 'tiny-2026'?)" in err


def test_schema_command_describes_the_format(cli):
    code, out, _ = cli("schema", "questionnaire")
    schema = json.loads(out)
    assert code == 0 and schema["additionalProperties"] is False
    assert schema["properties"]["audience"]["enum"] == ["staff", "customers", "assessor"]
    assert "dimensions" in schema["required"]


def test_python_dash_m_entry_point():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "cxsite", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "validate" in done.stdout


def test_validate_named_paths_reports_only_those(tiny, cli):
    eng = tiny / "engagements" / "tiny-2026" / "responses.csv"
    eng.write_text(eng.read_text().replace("r3,Y,2,", "r3,Y,9,"))
    code, out, _ = cli("--project", tiny, "validate", tiny / "assessments" / "tiny.yml")
    assert (code, out) == (0, "ok: assessments/tiny.yml\n")
    code, _, err = cli("--project", tiny, "validate", tiny / "engagements" / "tiny-2026")
    assert code == 1 and "responses.csv:4:3: column 'a': '9' is not a point" in err


def test_validate_named_path_must_exist(tiny, cli):
    code, _, err = cli("--project", tiny, "validate", tiny / "nothing.yml")
    assert code == 1 and "no such file or folder" in err


def test_import_command_end_to_end(pulse, cli):
    """The survey-tool import through the CLI, then the counts on the methodology page."""
    from pathlib import Path

    from cxsite.load import load_project
    from cxsite.pages import build_pages

    export = Path(__file__).parent / "data" / "survey-exports" / "google-forms.csv"
    code, out, err = cli("--project", pulse, "import", export, "--engagement", "example-co-2026-oct")
    assert code == 0, err
    assert "Google Forms, detected" in out and "60 rows read, 60 kept" in out
    folder = pulse / "engagements" / "example-co-2026-oct"
    assert (folder / "import-report.md").is_file()
    methodology = build_pages(load_project(pulse)).pages["engagements/example-co-2026-oct/methodology.md"]
    assert "60 rows were read and 60 kept" in methodology


def test_import_error_is_located_and_changes_nothing(pulse, cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Timestamp,People in other teams help me get my work done.,Shoe size\n"
                   "2026-10-01 10:00,Agreee,42\n")
    before = (pulse / "engagements" / "example-co-2026-oct" / "responses.csv").read_bytes()
    code, _, err = cli("--project", pulse, "import", bad, "--engagement", "example-co-2026-oct")
    assert code == 1 and "Traceback" not in err
    assert "bad.csv:1:3" in err or "bad.csv:2:2" in err
    assert (pulse / "engagements" / "example-co-2026-oct" / "responses.csv").read_bytes() == before


def test_an_edited_questionnaire_is_read_again_in_the_same_process(tiny, cli):
    q = tiny / "assessments" / "tiny.yml"
    assert cli("--project", tiny, "validate")[0] == 0
    q.write_text(q.read_text().replace("audience: staff", "audience: nobody"))
    for _ in range(2):  # a broken questionnaire is never remembered as good
        code, _, err = cli("--project", tiny, "validate")
        assert code == 1 and "assessments/tiny.yml:6:11" in err
    q.write_text(q.read_text().replace("audience: nobody", "audience: staff").replace("title: Tiny", "title: Tinier"))
    code, out, _ = cli("--project", tiny, "score", "tiny-2026")
    assert code == 0 and '"title": "Tinier"' in out


def test_serve_shows_where_it_serves_and_each_rebuild(tiny, cli, monkeypatch):
    import logging

    import mkdocs.commands.serve

    def fake_serve(config_file, **options):
        # What MkDocs logs while serving: it must reach the user's terminal.
        logging.getLogger("mkdocs.commands.serve").info("Serving on http://%s/", options["dev_addr"])
        logging.getLogger("mkdocs.commands.build").info("Documentation built in 0.42 seconds")

    monkeypatch.setattr(mkdocs.commands.serve, "serve", fake_serve)
    code, _, err = cli("--project", tiny, "serve", "--dev-addr", "127.0.0.1:8123")
    assert code == 0
    assert "Serving on http://127.0.0.1:8123/" in err and "built in 0.42 seconds" in err
    assert not logging.getLogger("mkdocs").handlers  # nothing left behind for later commands
