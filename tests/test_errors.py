"""The error family: one root, a stable code per kind of problem, JSON output,
a cap per file, and internal failures as one paragraph with exit status 2."""

import json
import re

import pytest

from test_bad_inputs import CASES, VALIDATE_NAMES, overlay
from cxsite.codes import CODES, FALLBACK, KNOWN, code_for
from cxsite.errors import CxsiteError, ErrorCollector, InputError, InputErrors, InternalError, Location

RESPONSES = "engagements/tiny-2026/responses.csv"


def _json(cli, *args):
    code, out, err = cli(*args, "--format", "json")
    return code, json.loads(out), err


def test_one_root_for_the_family():
    for cls in (InputError, InputErrors, InternalError):
        assert issubclass(cls, CxsiteError)
    assert InternalError("x").exit_status == 2 and CxsiteError.exit_status == 1


def test_the_table_of_codes_is_kebab_case_unique_and_documented():
    codes = [c.code for c in CODES]
    assert len(codes) == len(set(codes))
    for c in CODES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c.code), c.code
        assert c.meaning and re.compile(c.pattern)


def test_the_codes_table_is_read_in_order_and_a_malformed_line_is_refused():
    from cxsite.codes import TABLE, parse_table

    rows = parse_table("# a comment\n\nfirst\tfile is (empty|blank)\tnothing in it\nsecond\t.*\tanything\n")
    assert [tuple(r) for r in rows] == [("first", "file is (empty|blank)", "nothing in it"),
                                        ("second", ".*", "anything")]
    with pytest.raises(ValueError, match=r"codes.tsv:2: expected code, pattern and meaning"):
        parse_table("# header\nno-pattern\tonly two fields\n")
    # The shipped table: every code once, the fallback and 'internal' not among them.
    assert CODES == parse_table(TABLE.read_text(encoding="utf-8")) and len(CODES) >= 50
    assert {FALLBACK, "internal"}.isdisjoint(c.code for c in CODES)


def test_a_code_given_at_the_call_site_wins_over_the_derived_one():
    errors = ErrorCollector()
    errors.add(Location("f.yml", 1, 1), "unknown key 'x'")
    errors.add(Location("f.yml", 2, 1), "unknown key 'y'", code="yaml-syntax")
    assert [e.code for e in errors.errors] == ["unknown-key", "yaml-syntax"]
    assert code_for("something no pattern knows") == FALLBACK


@pytest.mark.parametrize("name", VALIDATE_NAMES)
def test_every_problem_of_the_corpus_has_a_specific_code(name, tiny, cli):
    overlay(CASES / name, tiny)
    code, doc, _ = _json(cli, "--project", tiny, "validate")
    assert code == 1 and doc["valid"] is False and doc["problems"]
    for p in doc["problems"]:
        assert set(p) == {"path", "line", "col", "code", "message"}
        assert p["code"] in KNOWN and p["code"] != FALLBACK, p


@pytest.mark.parametrize("name, code", [
    ("yaml-syntax", "yaml-syntax"), ("unknown-key", "unknown-key"), ("missing-key", "missing-key"),
    ("csv-not-utf8", "not-utf8"), ("questionnaire-utf16", "not-utf8"), ("csv-value-4.5", "value-off-scale"),
    ("csv-nps-off-scale", "value-off-scale"), ("engagement-unknown-assessment", "unknown-assessment"),
    ("engagement-unknown-version", "unknown-version"), ("duplicate-key", "duplicate-key"),
    ("csv-unknown-column", "unknown-column"), ("csv-missing-column", "missing-column"),
    ("svg-logo-script", "logo-invalid"), ("weight-infinite", "number-out-of-range"),
    ("wrong-type-weight", "wrong-type"), ("engagement-previous-later", "previous-invalid"),
])
def test_codes_of_known_kinds(name, code, tiny, cli):
    overlay(CASES / name, tiny)
    _, doc, _ = _json(cli, "--project", tiny, "validate")
    assert code in {p["code"] for p in doc["problems"]}, doc["problems"]


def test_json_lists_located_problems(tiny, cli):
    overlay(CASES / "csv-value-4.5", tiny)
    code, doc, err = _json(cli, "--project", tiny, "validate")
    assert (code, err) == (1, "")
    assert doc == {"valid": False, "problems": [{
        "path": RESPONSES, "line": 4, "col": 3, "code": "value-off-scale",
        "message": "column 'a': '4.5' is not a point on scale 'agree5': expected a whole number from 1 to 5"}]}


def test_json_of_a_valid_project(tiny, cli):
    assert _json(cli, "--project", tiny, "validate")[:2] == (0, {"valid": True, "problems": []})


def test_json_of_an_error_outside_the_project(tiny, cli):
    code, doc, _ = _json(cli, "--project", tiny, "validate", tiny / "nowhere.yml")
    assert code == 1 and doc["problems"][0]["code"] == "not-found"


def _many_bad_values(project, n):
    path = project / RESPONSES
    lines = path.read_text().splitlines()
    header, row = lines[0], lines[1].split(",")
    col = header.split(",").index("a")
    rows = []
    for i in range(n):
        bad = list(row)
        bad[col] = "9"
        if "respondent_id" in header:
            bad[header.split(",").index("respondent_id")] = f"x{i}"
        rows.append(",".join(bad))
    path.write_text("\n".join([header] + rows) + "\n")


def test_at_most_50_problems_per_file_then_a_count(tiny, cli):
    _many_bad_values(tiny, 57)
    code, _, err = cli("--project", tiny, "validate")
    lines = err.splitlines()
    assert code == 1
    assert sum(line.startswith(RESPONSES + ":") for line in lines) == 50
    assert f"… and 7 more problems in {RESPONSES}" in lines
    assert lines[-1] == "57 problems found; nothing was built or written."
    # The JSON is for tools: every problem.
    assert len(_json(cli, "--project", tiny, "validate")[1]["problems"]) == 57


def test_exactly_50_problems_are_all_listed(tiny, cli):
    _many_bad_values(tiny, 50)
    err = cli("--project", tiny, "validate")[2]
    assert "more problem" not in err and err.splitlines()[-1].startswith("50 problems found")


def _one_paragraph(err):
    assert "Traceback" not in err
    assert err.startswith("cxsite failed: ") and len(err.strip().splitlines()) == 1


def test_a_missing_packaged_template_is_an_internal_error(tiny, tmp_path, monkeypatch, cli):
    import cxsite.render as render

    empty = tmp_path / "templates"
    empty.mkdir()
    monkeypatch.setattr(render, "DEFAULT_TEMPLATES", empty)
    render._environment.cache_clear()
    try:
        code, _, err = cli("--project", tiny, "build", "--site-dir", tmp_path / "out")
    finally:
        render._environment.cache_clear()
    assert code == 2
    _one_paragraph(err)
    assert f"cxsite's packaged file {empty}/" in err and "is missing" in err
    assert not (tmp_path / "out").exists()


def test_an_unexpected_os_error_is_an_internal_error(tiny, monkeypatch, cli):
    import cxsite.load as load

    def unreadable(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/somewhere/assets/cxsite.css")

    monkeypatch.setattr(load, "load_project", unreadable)
    code, _, err = cli("--project", tiny, "validate")
    assert code == 2
    _one_paragraph(err)
    assert "/somewhere/assets/cxsite.css: Permission denied (PermissionError)" in err


def test_a_missing_packaged_file_names_it(tiny, monkeypatch, cli):
    import cxsite.load as load
    from cxsite.resources import package_folder

    gone = package_folder("site_templates") / "assets" / "gone.css"

    def missing(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", str(gone))

    monkeypatch.setattr(load, "load_project", missing)
    code, _, err = cli("--project", tiny, "validate")
    assert code == 2
    _one_paragraph(err)
    assert f"cxsite's packaged file {gone} is missing" in err


@pytest.mark.parametrize("message, code", [
    ("cannot read file: Permission denied", "unreadable-file"),
    ("the file ends in the middle of a UTF-8 character (cut off?); re-save the file as UTF-8", "not-utf8"),
    ("file contains zero bytes: it is binary, not text", "binary-file"),
    ("file holds no YAML document", "empty-file"),
    ("'<<' merges only mappings", "yaml-syntax"),
    ("'a' is given twice in this mapping", "duplicate-key"),
    ("'respondent_id' is reserved for the respondent column; rename it", "reserved-id"),
    ("column 3 has no name in the header row", "unnamed-column"),
    ("rating is missing item 'sp1'; rate every item", "missing-column"),
    ("note for unknown item 'sp9'", "unknown-column"),
    ("column 4 'Email' holds personal data (e-mail) and is never imported", "personal-data"),
    ("every one of the 12 responses is excluded by the quality rules", "all-excluded"),
    ("column 3 'Don't know yet' matches no item, outcome or open question of 'pulse'", "column-ambiguous"),
    ("is read-only; make it writable (chmod u+w) and try again", "output-refused"),
    ("exists and was not made by cxsite; remove it or choose another folder", "output-refused"),
    ("MkDocs build failed: Aborted with 1 warning", "mkdocs-build"),
    ("clients 'Acme' and 'ACME' share the folder name 'acme'; rename one", "client-slug-clash"),
    ("no mkdocs.yml here; run in a project root or pass --project DIR", "no-project"),
    ("responses file 'r.csv' not found in the engagement folder", "not-found"),
    ("this is a legacy Excel (.xls) file; open it in Excel and save it as .xlsx", "unsupported-file"),
])
def test_messages_outside_the_corpus_get_their_codes(message, code):
    assert code_for(message) == code
