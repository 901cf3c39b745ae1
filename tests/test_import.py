"""``cxsite import``: every shared survey export reproduces the expected scores,
and hostile variants give either the right import or a located error.

The exports in tests/data/survey-exports/ are copies of /work/shared/survey-exports/:
sixty answers to service-pulse.yml, the same rows in every file.
"""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import assert_matches

from cxsite.errors import InputError, InputErrors
from cxsite.importers import import_export
from cxsite.importers.detect import detect_tool
from cxsite.importers.tables import read_table
from cxsite.load import load_project
from cxsite.score import score_engagement

DATA = Path(__file__).parent / "data" / "survey-exports"
EID = "example-co-2026-oct"
EXPECTED = json.loads((DATA / "expected-scores.json").read_text(encoding="utf-8"))
EXPORTS = sorted(p.name for p in DATA.iterdir() if p.suffix in (".csv", ".txt", ".xlsx"))
TOOLS = {
    "excel-semicolon-cp1252.csv": "csv", "excel-unicode.txt": "csv", "google-forms.csv": "google-forms",
    "limesurvey.csv": "limesurvey", "microsoft-forms.xlsx": "microsoft-forms", "qualtrics.csv": "qualtrics",
    "responses.csv": "csv", "surveymonkey.csv": "surveymonkey", "typeform.csv": "typeform",
}
LOCATED = re.compile(r"^\S+:\d+:\d+: \S")


# --------------------------------------------------------------------------- helpers

def make_project(tmp_path: Path, engagement_extra: str = "", responses: str | None = None) -> Path:
    """A project in tmp_path: service-pulse and the shared engagement.yml."""
    root = tmp_path / "project"
    (root / "assessments").mkdir(parents=True)
    shutil.copy(DATA / "service-pulse.yml", root / "assessments" / "service-pulse.yml")
    eng = root / "engagements" / EID
    eng.mkdir(parents=True)
    text = (DATA / "engagement.yml").read_text(encoding="utf-8")
    if responses:
        text = text.replace("responses: responses.csv", f"responses: {responses}")
    (eng / "engagement.yml").write_text(text + engagement_extra, encoding="utf-8")
    return root


def run(root: Path, source: Path, **kwargs):
    kwargs.setdefault("salt", "test-salt")
    return import_export(source, root / "engagements" / EID, root, **kwargs)


def scores(root: Path) -> dict:
    return score_engagement(load_project(root).engagements[EID])




def failure(call) -> list[str]:
    """The messages of the InputError(s) ``call`` raises; any other exception fails the test."""
    with pytest.raises((InputError, InputErrors)) as info:
        call()
    exc = info.value
    return [str(e) for e in exc.errors] if isinstance(exc, InputErrors) else [str(exc)]


def read_rows(name: str) -> list[list[str]]:
    text = (DATA / name).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8",
               newline: str = "\n", prefix: str = "") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    path.write_bytes((prefix + buffer.getvalue()).encode(encoding))
    return path


def extra_args(name: str) -> dict:
    return {"columns_file": DATA / "limesurvey-columns.yml"} if name.startswith("limesurvey") else {}


def engagement_files(root: Path) -> dict[str, bytes]:
    folder = root / "engagements" / EID
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --------------------------------------------------------------------------- every export

@pytest.mark.parametrize("name", EXPORTS)
def test_export_reproduces_expected_scores(tmp_path, name):
    root = make_project(tmp_path)
    result = run(root, DATA / name, **extra_args(name))
    assert (result.rows_read, result.kept) == (60, 60)
    assert result.tool == TOOLS[name] and result.detected
    assert_matches(scores(root), EXPECTED)
    folder = root / "engagements" / EID
    quality = json.loads((folder / "import-quality.json").read_text())
    assert quality["rows_read"] == quality["kept"] + sum(quality["excluded"].values()) == 60
    assert set(quality) == {"rows_read", "kept", "excluded", "flagged"}
    assert "| read | 60 |" in (folder / "import-report.md").read_text(encoding="utf-8")
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_every_shared_export_is_covered():
    assert set(EXPORTS) == set(TOOLS)


@pytest.mark.parametrize("name", EXPORTS)
def test_tool_detection_from_headers(name):
    table = read_table(DATA / name, name)
    assert detect_tool(table)[0] == TOOLS[name]


def test_from_overrides_detection(tmp_path):
    root = make_project(tmp_path)
    result = run(root, DATA / "typeform.csv", tool="typeform")
    assert not result.detected and result.kept == 60
    assert failure(lambda: run(root, DATA / "typeform.csv", tool="typefrom")) == [
        "--from: unknown tool 'typefrom' (did you mean 'typeform'?); expected one of 'google-forms', "
        "'microsoft-forms', 'qualtrics', 'surveymonkey', 'limesurvey', 'typeform', 'csv', 'xlsx'"]


def test_limesurvey_needs_its_columns_map(tmp_path):
    root = make_project(tmp_path)
    errors = failure(lambda: run(root, DATA / "limesurvey.csv"))
    assert any("limesurvey.csv:1:7: column 7 'AGREE[SQ001]' matches no item" in e
               and "LimeSurvey question codes carry no question text" in e for e in errors)
    # The engagement's own columns: map does the same as --columns.
    mapping = (DATA / "limesurvey-columns.yml").read_text(encoding="utf-8")
    assert mapping.startswith("columns:\n")  # the engagement's own shape
    root2 = make_project(tmp_path / "b", mapping)
    run(root2, DATA / "limesurvey.csv")
    assert_matches(scores(root2), EXPECTED)


def test_columns_file_with_unknown_id_is_located(tmp_path):
    root = make_project(tmp_path)
    bad = tmp_path / "cols.yml"
    bad.write_text("DEPA: department\nAGREE[SQ001]: hp9\n", encoding="utf-8")
    errors = failure(lambda: run(root, DATA / "limesurvey.csv", columns_file=bad))
    assert len(errors) == 1 and ":2:15: columns: 'AGREE[SQ001]' maps to 'hp9'" in errors[0]
    assert "(did you mean 'hp" in errors[0]


# --------------------------------------------------------------------------- hostile variants

def _bom(tmp):
    return write_rows(tmp / "g.csv", read_rows("google-forms.csv"), prefix="\ufeff")


def _latin1(tmp):
    return write_rows(tmp / "t.csv", read_rows("typeform.csv"), encoding="latin-1")


def _cp1252_curly(tmp):
    rows = [[c.replace("Don't", "Don\u2019t") for c in r] for r in read_rows("google-forms.csv")]
    return write_rows(tmp / "g.csv", rows, delimiter=";", encoding="cp1252", newline="\r\n")


def _semicolons(tmp):
    return write_rows(tmp / "g.csv", read_rows("google-forms.csv"), delimiter=";")


def _tabs_crlf(tmp):
    return write_rows(tmp / "s.tsv", read_rows("surveymonkey.csv"), delimiter="\t", newline="\r\n")


def _utf16_no_bom(tmp):
    return write_rows(tmp / "q.csv", read_rows("qualtrics.csv"), encoding="utf-16-le")


def _sep_line(tmp):
    data = (DATA / "excel-semicolon-cp1252.csv").read_bytes()
    (tmp / "x.csv").write_bytes(b"sep=;\r\n" + data)
    return tmp / "x.csv"


def _trailing_blanks(tmp):
    rows = [r + [""] for r in read_rows("typeform.csv")] + [[""] * 14, []]
    return write_rows(tmp / "t.csv", rows)


def _labels_with_points(tmp):
    rows = read_rows("google-forms.csv")
    names = {"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4,
             "Strongly agree": 5}
    rows = [rows[0]] + [[f"{names[c]} - {c.upper()}" if c in names else c for c in r] for r in rows[1:]]
    return write_rows(tmp / "g.csv", rows)


def _email_filled(tmp):
    rows = read_rows("google-forms.csv")
    rows = [rows[0][:1] + ["Email Address"] + rows[0][1:]] + [
        r[:1] + [f"person{i}@example.org"] + r[1:] for i, r in enumerate(rows[1:])]
    return write_rows(tmp / "g.csv", rows)


def _ragged_short(tmp):
    rows = read_rows("google-forms.csv")
    del rows[5][3]
    return write_rows(tmp / "g.csv", rows)


def _ragged_long(tmp):
    rows = read_rows("typeform.csv")
    rows[3].append("surprise")
    return write_rows(tmp / "t.csv", rows)


def _unknown_question(tmp):
    rows = read_rows("typeform.csv")
    rows = [r[:9] + [v] + r[9:] for r, v in zip(rows, ["How is the canteen food?"] + ["4"] * 60)]
    return write_rows(tmp / "t.csv", rows)


def _reworded_statement(tmp):
    rows = read_rows("google-forms.csv")
    rows[0][2] = rows[0][2].replace("get my work done", "get my job done")
    return write_rows(tmp / "g.csv", rows)


def _label_off_scale(tmp):
    rows = read_rows("google-forms.csv")
    rows[7][4] = "Agreee"
    return write_rows(tmp / "g.csv", rows)


def _number_off_scale(tmp):
    rows = read_rows("qualtrics.csv")
    rows[10][18] = "6"
    return write_rows(tmp / "q.csv", rows)


def _unclosed_quote(tmp):
    text = (DATA / "typeform.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    text[20] = text[20].replace(",", ',"', 1)  # opens a quote that is never closed
    (tmp / "t.csv").write_text("".join(text), encoding="utf-8")
    return tmp / "t.csv"


def _two_columns_one_item(tmp):
    rows = read_rows("typeform.csv")
    rows = [r[:3] + [r[2]] + r[3:] for r in rows]
    return write_rows(tmp / "t.csv", rows)


def _unnamed_column_with_values(tmp):
    rows = read_rows("typeform.csv")
    rows = [r + [""] for r in rows]
    rows[30][-1] = "stray"
    return write_rows(tmp / "t.csv", rows)


def _email_in_segment(tmp):
    rows = read_rows("typeform.csv")
    rows[12][1] = "someone@example.org"
    return write_rows(tmp / "t.csv", rows)


def _header_only(tmp):
    return write_rows(tmp / "t.csv", read_rows("typeform.csv")[:1])


def _empty(tmp):
    (tmp / "t.csv").write_bytes(b"\r\n \n")
    return tmp / "t.csv"


def _binary(tmp):
    (tmp / "b.csv").write_bytes(bytes(range(256)) * 40)
    return tmp / "b.csv"


def _broken_xlsx(tmp):
    data = (DATA / "microsoft-forms.xlsx").read_bytes()
    (tmp / "m.xlsx").write_bytes(data[: len(data) // 2])
    return tmp / "m.xlsx"


def _missing_item(tmp):
    rows = read_rows("typeform.csv")
    return write_rows(tmp / "t.csv", [r[:4] + r[5:] for r in rows])


# (variant, expected error lines' start or None for a correct import)
HOSTILE = [
    (_bom, None),
    (_latin1, None),
    (_cp1252_curly, None),
    (_semicolons, None),
    (_tabs_crlf, None),
    (_utf16_no_bom, None),
    (_sep_line, None),
    (_trailing_blanks, None),
    (_labels_with_points, None),
    (_email_filled, None),
    (_ragged_short, "g.csv:6:9: row has 9 fields but the header has 10"),
    (_ragged_long, "t.csv:4:14: row has 14 fields but the header has 13"),
    (_unknown_question, "t.csv:1:10: column 10 'How is the canteen food?' matches no item"),
    (_reworded_statement, "g.csv:1:3: column 3 'How much do you agree with each statement? [People in "
                          "other teams help me get my job done.]' matches no item, outcome or open "
                          "question of 'service-pulse' and no segment of the engagement; closest: 'hp1'"),
    (_label_off_scale, "g.csv:8:5: column 'How much do you agree with each statement? [Internal "
                       "requests get lost between departments.]' (hp3): 'Agreee' is not an answer on "
                       "scale 'agree5' (did you mean 'Agree'?)"),
    (_number_off_scale, "q.csv:11:19: column 'Q2_1 (How much do you agree with each statement? - "
                        "People in other teams help me get my work done.)' (hp1): '6' is not a point "
                        "on scale 'agree5': expected a whole number from 1 to 5"),
    (_unclosed_quote, "t.csv:21:1: CSV error in the record starting here"),
    (_two_columns_one_item, "t.csv:1:4: columns 3 'People in other teams help me get my work done.' "
                            "and 4 'People in other teams help me get my work done.' both map to 'hp1'"),
    (_unnamed_column_with_values, "t.csv:31:14: column 14 has no header but holds a value here"),
    (_email_in_segment, "t.csv:13:2: column 'What is your department?' is segment 'department' but "
                        "holds an e-mail address"),
    (_header_only, "t.csv:1:1: the file has a header but no responses"),
    (_empty, "t.csv:1:1: file is empty"),
    (_binary, "b.csv:1:1: file contains zero bytes"),
    (_broken_xlsx, "m.xlsx:1:1: cannot read this workbook"),
    (_missing_item, "t.csv:1:1: no column of the export is item 'hp3'"),
]


@pytest.mark.parametrize("variant, expected", HOSTILE, ids=[v.__name__.strip("_") for v, _ in HOSTILE])
def test_hostile_variant(tmp_path, variant, expected):
    root = make_project(tmp_path)
    existing = (DATA / "responses.csv").read_bytes()
    (root / "engagements" / EID / "responses.csv").write_bytes(existing)
    before = engagement_files(root)
    source = variant(tmp_path)
    if expected is None:
        result = run(root, source)
        assert result.rows_read == result.kept == 60
        assert_matches(scores(root), EXPECTED)
        return
    errors = failure(lambda: run(root, source))
    shown = [e.replace(str(tmp_path) + "/", "") for e in errors]
    assert any(e.startswith(expected) for e in shown), shown
    assert all(LOCATED.match(e) or e.startswith(("--", "t.csv: …")) for e in shown), shown
    assert engagement_files(root) == before  # nothing written, nothing left behind


def test_mixed_encodings_are_refused(tmp_path):
    data = (DATA / "typeform.csv").read_bytes().replace(b"Support", b"S\xfcpport", 1)
    (tmp_path / "t.csv").write_bytes(data)
    root = make_project(tmp_path)
    errors = failure(lambda: run(root, tmp_path / "t.csv"))
    assert errors[0].endswith("t.csv:3:19: byte 0xfc is not UTF-8, but line 2 holds UTF-8 text: the "
                              "file mixes encodings; save it again as UTF-8 (or pass --encoding cp1252 "
                              "if it is all Windows-1252)")


def test_line_breaks_in_open_answers_survive(tmp_path):
    rows = read_rows("typeform.csv")
    rows[1][9], rows[2][9], rows[3][9] = "one\rtwo", "three\r\nfour", "five\nsix"
    root = make_project(tmp_path)
    run(root, write_rows(tmp_path / "t.csv", rows, newline="\r\n"))  # CRLF: the csv module quotes a CR
    comments = load_project(root).engagements[EID].responses.comments["improve"]
    assert comments[:3] == ["one\ntwo", "three\nfour", "five\nsix"]


def test_latin1_fallback_is_reported(tmp_path):
    root = make_project(tmp_path)
    result = run(root, _latin1(tmp_path))
    assert result.encoding == "Windows-1252"
    report = (root / "engagements" / EID / "import-report.md").read_text(encoding="utf-8")
    assert "not UTF-8 (first at line 2, column 25); read as Windows-1252" in report


def test_given_encoding_is_used_or_located(tmp_path):
    root = make_project(tmp_path)
    source = _latin1(tmp_path)
    assert run(root, source, encoding="latin-1").kept == 60
    errors = failure(lambda: run(root, source, encoding="utf-8"))
    assert errors[0].endswith("t.csv:2:25: byte 0xce cannot be read as utf-8; leave out --encoding to "
                              "detect the encoding, or give the right one")
    assert failure(lambda: run(root, source, encoding="klingon"))[0].startswith("--encoding: unknown")


# --------------------------------------------------------------------------- personal data

def test_personal_values_never_reach_the_output(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(DATA / "microsoft-forms.xlsx")
    sheet = book.active
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 4).value = f"jane.roe{row}@client.example"
        sheet.cell(row, 5).value = f"Jane Roe{row}"
    source = tmp_path / "forms.xlsx"
    book.save(source)
    root = make_project(tmp_path)
    result = run(root, source)
    assert result.kept == 60 and result.dropped_personal == ["Email", "Name"]
    assert_matches(scores(root), EXPECTED)
    for name, data in engagement_files(root).items():
        text = data.decode("utf-8")
        assert "jane.roe" not in text.casefold() and "@client.example" not in text, name


@pytest.mark.parametrize("name", EXPORTS)
def test_shared_exports_leak_no_personal_column(tmp_path, name):
    root = make_project(tmp_path)
    run(root, DATA / name, **extra_args(name))
    written = (root / "engagements" / EID / "responses.csv").read_text(encoding="utf-8")
    for needle in ("203.0.113.", "198.51.100.", "anonymous", "51.5", "R_f2a752e6b438", "P000",
                   "114000000000", "4720771f8ca81811"):
        assert needle not in written


def test_mapping_a_personal_column_is_refused(tmp_path):
    root = make_project(tmp_path, "columns:\n  Email: department\n")
    errors = failure(lambda: run(root, DATA / "microsoft-forms.xlsx"))
    assert any(":1:4: column 4 'Email' holds personal data (e-mail address) and is never imported, "
               "but columns: maps it to 'department'" in e for e in errors)


def test_respondent_ids_are_salted_hashes(tmp_path):
    root = make_project(tmp_path)
    out = root / "engagements" / EID / "responses.csv"
    run(root, DATA / "responses.csv", salt="one")
    first = out.read_bytes()
    run(root, DATA / "responses.csv", salt="one")
    assert out.read_bytes() == first  # deterministic with a given salt
    ids = [r["respondent_id"] for r in csv.DictReader(io.StringIO(first.decode()))]
    assert len(set(ids)) == 60 and all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)
    run(root, DATA / "responses.csv", salt="two")
    assert out.read_bytes() != first
    run(root, DATA / "responses.csv", salt=None)  # random salt, stored nowhere
    text = "".join(p.read_text(encoding="utf-8") for p in (root / "engagements" / EID).iterdir())
    assert "salt" not in (root / "engagements" / EID / "import-quality.json").read_text()
    assert "drawn at random and stored nowhere" in text


# --------------------------------------------------------------------------- quality rules

def _qualtrics_with_problems(tmp_path: Path) -> Path:
    rows = read_rows("qualtrics.csv")
    rows[4][4], rows[4][6] = "50", "False"           # line 5: incomplete
    rows[9][8] = rows[5][8]                          # line 10: same ResponseId as line 6
    rows[12][5] = "20"                               # line 13: a speeder
    rows[14][18:24] = ["4"] * 6                      # line 15: straight-lining
    return write_rows(tmp_path / "q.csv", rows)


def test_quality_rules_default(tmp_path):
    root = make_project(tmp_path)
    result = run(root, _qualtrics_with_problems(tmp_path))
    assert result.excluded == {"incomplete": 1, "duplicates": 1, "speeders": 0, "straightlining": 0}
    assert result.flagged == {"incomplete": 0, "duplicates": 0, "speeders": 1, "straightlining": 1}
    assert result.rows_read == 60 and result.kept == 58
    folder = root / "engagements" / EID
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    assert "| 5 | incomplete | the tool marks it unfinished (Finished = False) |" in report
    assert "| 10 | duplicates | same respondent id as row 6 |" in report
    assert "| 13 | speeders | completed in 20 s, under 60 s |" in report
    assert "| 15 | straightlining | the same answer (4) to all 6 statements answered |" in report
    quality = json.loads((folder / "import-quality.json").read_text())
    assert quality["kept"] + sum(quality["excluded"].values()) == quality["rows_read"] == 60
    assert scores(root)["respondents"]["rows"] == 58


def test_quality_defaults_are_the_engagement_formats(tmp_path):
    """An import without 'quality:' applies the rules an engagement's format gives by default."""
    from cxsite.importers.quality import rules_of

    engagement = load_project(make_project(tmp_path), responses=False).engagements[EID]
    assert rules_of(None) == rules_of({}) == engagement.quality
    assert engagement.quality["speeder_seconds"] == 60 and engagement.quality["incomplete"] == "exclude"


def test_quality_rules_from_the_engagement(tmp_path):
    root = make_project(tmp_path, "quality:\n  incomplete: keep\n  duplicates: keep\n"
                                  "  speeders: exclude\n  speeder_seconds: 30\n  straightlining: exclude\n")
    result = run(root, _qualtrics_with_problems(tmp_path))
    assert result.excluded == {"incomplete": 0, "duplicates": 0, "speeders": 1, "straightlining": 1}
    assert result.flagged == {"incomplete": 1, "duplicates": 1, "speeders": 0, "straightlining": 0}
    ids = [r["respondent_id"] for r in csv.DictReader(
        (root / "engagements" / EID / "responses.csv").open(encoding="utf-8"))]
    repeated = [i for i in ids if i.endswith("-2")]
    assert len(repeated) == 1 and repeated[0][:-2] in ids  # kept duplicate still shows, file still loads
    assert scores(root)["respondents"]["rows"] == 58


def test_duplicate_email_and_placeholders(tmp_path):
    rows = read_rows("google-forms.csv")
    rows = [rows[0][:1] + ["Email Address"] + rows[0][1:]] + [
        r[:1] + [["anonymous", "A@x.org", "", "a@x.org "][i % 4]] + r[1:] for i, r in enumerate(rows[1:])]
    root = make_project(tmp_path)
    result = run(root, write_rows(tmp_path / "g.csv", rows))
    assert result.excluded["duplicates"] == 29  # every "a@x.org" after line 3; "anonymous" is no address
    assert result.kept == 31


def test_failed_import_leaves_existing_files_untouched(tmp_path):
    root = make_project(tmp_path)
    run(root, DATA / "typeform.csv")
    before = engagement_files(root)
    failure(lambda: run(root, _label_off_scale(tmp_path)))
    assert engagement_files(root) == before


# --------------------------------------------------------------------------- assessor ratings

RATINGS = """respondents:
  - {hp1: 4, hp2: Agree, hp3: 2, ea1: 5, ea2: "Don't know", ea3: 1, enps: 9}
  - {hp1: 3, hp2: 3, hp3: 3, ea1: 4, ea2: 4, ea3: 2, enps: 7}
notes:
  hp1: Seen in two workshops.
"""


def test_ratings_yaml_is_checked_and_copied(tmp_path):
    root = make_project(tmp_path, responses="ratings.yml")
    (root / "engagements" / EID / "engagement.yml").write_text(
        (root / "engagements" / EID / "engagement.yml").read_text().replace("segments: [department]\n", ""))
    source = tmp_path / "workshop.yml"
    source.write_text(RATINGS, encoding="utf-8")
    result = run(root, source)
    assert (result.rows_read, result.kept) == (2, 2)
    assert (root / "engagements" / EID / "ratings.yml").read_text(encoding="utf-8") == RATINGS
    assert load_project(root).engagements[EID].responses.notes == {"hp1": "Seen in two workshops."}
    source.write_text(RATINGS.replace("hp2: 3,", "hp2: 7,"), encoding="utf-8")
    errors = failure(lambda: run(root, source))
    assert errors[0].endswith("workshop.yml:3:19: column 'hp2': '7' is not a point on scale 'agree5': "
                              "expected a whole number from 1 to 5")
    assert (root / "engagements" / EID / "ratings.yml").read_text(encoding="utf-8") == RATINGS


def test_ratings_need_a_yaml_responses_file(tmp_path):
    root = make_project(tmp_path)
    source = tmp_path / "workshop.yml"
    source.write_text(RATINGS, encoding="utf-8")
    errors = failure(lambda: run(root, source))
    assert errors == [f"engagements/{EID}/engagement.yml:6:12: 'workshop.yml' holds assessor ratings "
                      "(YAML) but responses: names 'responses.csv'; set responses: ratings.yml in "
                      "engagement.yml"]


def test_unknown_engagement(tmp_path):
    root = make_project(tmp_path)
    errors = failure(lambda: import_export(DATA / "typeform.csv", root / "engagements" / "example-co",
                                           root))
    assert "no engagement 'example-co' (did you mean 'example-co-2026-oct'?)" in errors[0]


# --------------------------------------------------------------------------- fuzzing

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_edits = st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["insert", "delete", "replace"]),
                            st.sampled_from([b",", b";", b"\t", b'"', b"\n", b"\r", b"\x00", b"\xff",
                                             b"\xe9", b"Agree", b"", b"=", b"@x.org", b"\xef\xbb\xbf"])),
                  min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["typeform.csv", "qualtrics.csv", "surveymonkey.csv", "excel-unicode.txt"]),
       edits=_edits)
def test_mangled_exports_never_crash(tmp_path_factory, name, edits):
    """Any byte-level damage gives a correct import or located errors, never a traceback."""
    tmp = tmp_path_factory.mktemp("fuzz")
    root = make_project(tmp)
    data = bytearray((DATA / name).read_bytes())
    for where, what, chunk in edits:
        at = int(where * len(data))
        if what == "insert":
            data[at:at] = chunk
        elif what == "delete":
            del data[at:at + 3]
        else:
            data[at:at + len(chunk)] = chunk
    source = tmp / name
    source.write_bytes(bytes(data))
    try:
        result = run(root, source)
    except (InputError, InputErrors) as exc:
        messages = exc.errors if isinstance(exc, InputErrors) else [exc]
        assert all(m.message and "cxsite bug" not in m.message for m in messages)
        assert not (root / "engagements" / EID / "responses.csv").exists()
        return
    assert result.kept + sum(result.excluded.values()) == result.rows_read
    load_project(root)  # what was written loads


def test_nothing_left_after_the_rules_is_an_error(tmp_path):
    rows = read_rows("qualtrics.csv")
    for row in rows[3:]:
        row[6] = "False"
    root = make_project(tmp_path)
    errors = failure(lambda: run(root, write_rows(tmp_path / "q.csv", rows)))
    assert errors[0].endswith("q.csv:1:1: every one of the 60 responses is excluded by the quality rules "
                              "(incomplete 60); nothing to import: check the export, or set the rules to "
                              "keep under 'quality:' in engagement.yml")


def test_unwritable_folder_is_a_message(tmp_path, monkeypatch):
    from cxsite import outputs

    root = make_project(tmp_path)
    run(root, DATA / "typeform.csv")
    before = engagement_files(root)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(root / "engagements" / EID / "x.tmp"))

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refuse)
    errors = failure(lambda: run(root, DATA / "google-forms.csv"))
    assert errors == [f"engagements/{EID}/x.tmp: cannot write the import: Permission denied; check the "
                      "folder's permissions and free space"]
    assert engagement_files(root) == before


@pytest.mark.parametrize("container", ["csv", "xlsx"])
def test_from_generic_names_the_table_by_its_container(tmp_path, container):
    """``--from generic`` is a plain table of one header row; the importer names it csv or xlsx itself."""
    import csv

    from openpyxl import Workbook

    source = DATA / "excel-semicolon-cp1252.csv"
    if container == "xlsx":  # the same table saved as a workbook
        book = Workbook()
        for row in csv.reader(source.read_text(encoding="cp1252").splitlines(), delimiter=";"):
            book.active.append(row)
        source = tmp_path / "export.xlsx"
        book.save(source)
    root = make_project(tmp_path / "p")
    result = run(root, source, tool="generic")
    assert result.tool == container and not result.detected
    assert_matches(scores(root), EXPECTED)
