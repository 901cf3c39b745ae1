"""``cxsite import`` on exports as the tools really write them (issue 20).

Two genuine Qualtrics exports (tests/data/genuine-exports/, see SOURCE.md there), and every
shared export rebuilt with the columns its tool adds by itself: each must import and score
exactly like its answers, with every dropped column named in the report and its reason.
"""

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import assert_matches
from test_import import DATA, EID, EXPECTED, engagement_files, failure, make_project, read_rows, run, scores

from cxsite.cli import main

GENUINE = Path(__file__).parent / "data" / "genuine-exports"
AGREE = {"1": "Strongly disagree", "2": "Disagree", "3": "Neither agree nor disagree", "4": "Agree",
         "5": "Strongly agree"}


def csv_bytes(rows: list[list[str]], bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def add_columns(rows: list[list[str]], headers: list[list[str]], value, at: int | None = None) -> None:
    """Insert one column per entry of ``headers`` (one cell a header row) at ``at`` (default: end)."""
    for ri, row in enumerate(rows):
        cells = [h[ri] for h in headers] if ri < len(headers[0]) else [value(ri, k) for k in range(len(headers))]
        where = len(row) if at is None else at
        row[where:where] = cells


def columns_of(rows, count):
    """Transpose the header rows: one list of header cells per column."""
    return [list(c) for c in zip(*rows[:count])]


# --------------------------------------------------------------------------- genuine exports

def genuine_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "assessments").mkdir(parents=True)
    shutil.copy(GENUINE / "qualtrics" / "questionnaire.yml", root / "assessments" / "qualtrics-sample.yml")
    (root / "engagements" / "sample").mkdir(parents=True)
    shutil.copy(GENUINE / "qualtrics" / "engagement.yml", root / "engagements" / "sample" / "engagement.yml")
    return root


@pytest.mark.parametrize("name, dropped", [
    ("sample.csv", ["StartDate (Anfangsdatum)", "Q2 - Topics", "RecipientEmail (E-Mail des Empfängers)",
                    "IPAddress (IP-Adresse)", "LocationLongitude (Längengrad des Standorts)"]),
    ("sample_legacy.csv", ["V2 (ResponseSet)", "V3 (Name)", "V5 (EmailAddress)", "V8 (StartDate)",
                           "LocationAccuracy"]),
])
def test_genuine_qualtrics_exports_import(tmp_path, name, dropped):
    root = genuine_project(tmp_path)
    folder = root / "engagements" / "sample"
    result = run_in(root, GENUINE / "qualtrics" / name, "sample")
    assert result.tool == "qualtrics" and result.detected and (result.rows_read, result.kept) == (1, 1)
    rows = list(csv.DictReader(io.StringIO((folder / "responses.csv").read_text(encoding="utf-8"))))
    assert [(r["mc"], r["free"]) for r in rows] == [("2", "Hello World!")]
    assert len(rows[0]["respondent_id"]) == 12 and "R_2YPOQ602ER1jkf1" not in (folder / "responses.csv").read_text()
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    for label in dropped:
        assert label in result.dropped_metadata + result.dropped_personal
        assert label.replace("(", "").split()[0] in report
    # Every column of the export is accounted for, imported or not.
    header = next(csv.reader(io.StringIO((GENUINE / "qualtrics" / name).read_text(encoding="utf-8-sig"))))
    listed = len(result.columns_mapped) + len(result.dropped_metadata) + len(result.dropped_personal)
    assert listed == len(header)
    assert "130.92.34.66" not in report + (folder / "responses.csv").read_text()


def test_genuine_qualtrics_export_saved_as_xlsx(tmp_path):
    """Qualtrics' Excel download has the same three header rows in a workbook."""
    root = genuine_project(tmp_path)
    book = openpyxl.Workbook()
    text = (GENUINE / "qualtrics" / "sample.csv").read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(text)):
        book.active.append([v or None for v in row])
    book.save(tmp_path / "sample.xlsx")
    result = run_in(root, tmp_path / "sample.xlsx", "sample")
    assert (result.tool, result.kept) == ("qualtrics", 1) and "Q2 - Topics" in result.dropped_metadata


def run_in(root: Path, source: Path, engagement: str, **kwargs):
    from cxsite.importers import import_export
    kwargs.setdefault("salt", "s")
    return import_export(source, root / "engagements" / engagement, root, **kwargs)


# --------------------------------------------------------------------------- built to each tool's shape

TEXT_IQ = ["Topics", "Parent Topics", "Sentiment Polarity", "Sentiment Score", "Sentiment",
           "Topic Sentiment Label", "Topic Sentiment Score"]
QUALTRICS_ADDED = ["Q_RecaptchaScore", "Q_RelevantIDDuplicate", "Q_RelevantIDDuplicateScore",
                   "Q_RelevantIDFraudScore", "Q_RelevantIDLastStartDate", "Q_TotalDuration",
                   "Q_BallotBoxStuffing"]
# Columns Qualtrics derives from a question: an Other choice's text, a timing question, the
# display order, a scoring category (column name, label, ImportId).
QUALTRICS_DERIVED = [("Q1_4_TEXT", "What is your department? - Other - Text", "QID1_4_TEXT"),
                     ("Q5_First Click", "Timing - First Click", "QID5_FIRST_CLICK"),
                     ("Q5_Last Click", "Timing - Last Click", "QID5_LAST_CLICK"),
                     ("Q5_Page Submit", "Timing - Page Submit", "QID5_PAGE_SUBMIT"),
                     ("Q5_Click Count", "Timing - Click Count", "QID5_CLICK_COUNT"),
                     ("Q2_DO", "How much do you agree with each statement? - Display Order", "QID2_DO"),
                     ("SC0", "Score", "SC_0ezP5yG2Q8hVxYp")]
GERMAN = ["Anfangsdatum", "Enddatum", "Antworttyp", "IP-Adresse", "Aktueller Stand", "Dauer (in Sekunden)",
          "Beendet", "Erfassungsdatum", "Antwort-ID", "Nachname des Empfängers", "Vorname des Empfängers",
          "E-Mail des Empfängers", "Externe Datenreferenz", "Breitengrad des Standorts",
          "Längengrad des Standorts", "Verteilungskanal", "Benutzersprache"]


def qualtrics_current(tmp: Path) -> tuple[Path, list[str]]:
    """Text iQ on the open question, Qualtrics' fraud and timing fields, embedded data, German
    labels, and choice text instead of numbers."""
    rows = read_rows("qualtrics.csv")
    rows[1][:17] = GERMAN
    for row in rows[3:]:
        row[18:24] = [AGREE.get(v, v) for v in row[18:24]]
    iq = [[f"Q4 - {t}", f"What one change would make serving customers easier? - {t}",
           json.dumps({"ImportId": f"QID4_TEXT_eae5a8d0e7fd4bd183e983e5{t.replace(' ', '')}"})] for t in TEXT_IQ]
    system = [[n, n, json.dumps({"ImportId": n})] for n in QUALTRICS_ADDED]
    embedded = [["PanelSource", "PanelSource", json.dumps({"ImportId": "PanelSource"})]]
    derived = [[name, label, json.dumps({"ImportId": code})] for name, label, code in QUALTRICS_DERIVED]
    add_columns(rows, iq + system + embedded + derived, lambda ri, k: "x")
    path = tmp / "q.csv"
    path.write_bytes(csv_bytes(rows, bom=True))
    return path, [f"Q4 - {t} (What one change would make serving customers easier? - {t})" for t in TEXT_IQ] \
        + QUALTRICS_ADDED + ["PanelSource"] + [f"{name} ({label})" for name, label, _ in QUALTRICS_DERIVED]


def qualtrics_legacy(tmp: Path) -> tuple[Path, list[str]]:
    """The legacy layout: V1…V10, then the questions, then location; two header rows."""
    rows = read_rows("qualtrics.csv")
    top = [f"V{i}" for i in range(1, 11)] + rows[0][17:] + ["LocationLatitude", "LocationLongitude",
                                                            "LocationAccuracy"]
    labels = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress", "IPAddress",
              "Status", "StartDate", "EndDate", "Finished"] + rows[1][17:] + top[-3:]
    data = [[r[8], "Default Response Set", "Anonymous", "", "", r[3], "0", r[0], r[1], "1"] + r[17:]
            + [r[13], r[14], "-1"] for r in rows[3:]]
    table = [top, labels] + data
    # Embedded data, which the legacy format writes with its name on both header rows.
    add_columns(table, [["PanelSource", "PanelSource"]], lambda ri, k: "panel-a", at=10)
    legacy_derived = [["Q1_4_TEXT", "What is your department?-Other-Text"], ["Q5_First Click", "Timing-First Click"],
                      ["Q5_Page Submit", "Timing-Page Submit"], ["SC0", "Score"]]
    add_columns(table, legacy_derived, lambda ri, k: "")
    path = tmp / "legacy.csv"
    path.write_bytes(csv_bytes(table))
    return path, ["V2 (ResponseSet)", "V7 (Status)", "V8 (StartDate)", "V9 (EndDate)", "V10 (Finished)",
                  "PanelSource"] + [f"{name} ({label})" for name, label in legacy_derived]


def surveymonkey_rows(other: str = "Other (please specify)") -> tuple[list[list[str]], list[str]]:
    """Custom Data 2, an 'Other (please specify)' column after the department, a contact block."""
    rows = read_rows("surveymonkey.csv")
    add_columns(rows, [["Custom Data 2", ""]], lambda ri, k: "crm-4411", at=9)
    add_columns(rows, [["", other]], lambda ri, k: "Night shift" if ri % 7 == 0 else "", at=11)
    # and the default 'Other (please specify)' row of the grid, after its statements.
    add_columns(rows, [["", "Other (please specify)"]], lambda ri, k: "", at=18)
    contact = ["Name", "Company", "Address", "Address 2", "City/Town", "State/Province", "ZIP/Postal Code",
               "Country", "Email Address", "Phone Number"]
    values = ["Ada Lovelace", "Acme", "1 Main St", "Flat 2", "Leeds", "Yorks", "LS1 1AA", "UK",
              "ada@example.com", "+44 20 7946 0000"]
    add_columns(rows, [["Contact information" if i == 0 else "", c] for i, c in enumerate(contact)],
                lambda ri, k: values[k])
    return rows, ["Custom Data 2", f"What is your department? - {other}",
                  "How much do you agree with each statement? - Other (please specify)"] + \
        [f"Contact information - {c}" for c in contact]


def surveymonkey_csv(tmp: Path) -> tuple[Path, list[str]]:
    rows, dropped = surveymonkey_rows()
    path = tmp / "sm.csv"
    path.write_bytes(csv_bytes(rows))
    return path, dropped


def surveymonkey_xlsx(tmp: Path) -> tuple[Path, list[str]]:
    """The xlsx export, from an account in French: 'Réponse' on row 2, the Other choice's own wording."""
    rows, dropped = surveymonkey_rows("Autre (veuillez préciser)")
    french = {"Response": "Réponse", "Open-Ended Response": "Réponse ouverte"}
    rows[1] = [french.get(c, c) for c in rows[1]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([v if v != "" else None for v in row])
    book.save(tmp / "sm.xlsx")
    return tmp / "sm.xlsx", dropped


def google_forms(timestamp: str, email: str, score: str):
    def build(tmp: Path) -> tuple[Path, list[str]]:
        rows = read_rows("google-forms.csv")
        rows[0][0] = timestamp
        add_columns(rows, [[email], [score]], lambda ri, k: [f"p{ri}@example.org", "7 / 10"][k], at=1)
        path = tmp / "g.csv"
        path.write_bytes(csv_bytes(rows))
        return path, [score] + ([timestamp])
    build.__name__ = f"google_forms_{timestamp}"
    return build


def microsoft_forms(tmp: Path) -> tuple[Path, list[str]]:
    """Quiz columns: Total points, Quiz feedback, and Points/Feedback after each question; Last modified time."""
    return _microsoft_forms(tmp, None, ["Total points", "Quiz feedback", "Last modified time"])


def microsoft_forms_german(tmp: Path) -> tuple[Path, list[str]]:
    """Exported from a German interface: the five fixed columns are known by their place."""
    return _microsoft_forms(tmp, ["ID", "Startzeit", "Fertigstellungszeit", "E-Mail", "Name"],
                            ["Gesamtpunktzahl", "Quizfeedback"])


def _microsoft_forms(tmp: Path, first: list[str] | None, quiz: list[str]) -> tuple[Path, list[str]]:
    book = openpyxl.load_workbook(DATA / "microsoft-forms.xlsx")
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    rows[0][:5] = first or rows[0][:5]
    out = []
    for ri, row in enumerate(rows):
        head = row[:5] + (quiz if ri == 0 else [7, "Well done", "10/5/26 9:10:00"][:len(quiz)])
        rest = []
        for ci, cell in enumerate(row[5:]):
            # The prefixes are in the exporter's language: English, then Italian.
            prefix = ("Points", "Feedback") if ci < 3 else ("Punti", "Commenti")
            extra = [f"{prefix[0]} - {cell}", f"{prefix[1]} - {cell}"] if ri == 0 else [1, "ok"]
            rest += [cell] + (extra if ci < 7 else [])
        out.append(head + rest)
    fresh = openpyxl.Workbook()
    for row in out:
        fresh.active.append(row)
    fresh.save(tmp / "m.xlsx")
    return tmp / "m.xlsx", quiz + rows[0][1:3] + [
                            "Points - People in other teams help me get my work done.",
                            "Commenti - We remove steps that make life harder for customers."]


def limesurvey_code_and_text(tmp: Path) -> tuple[Path, list[str]]:
    """'Question code & question text' headings, an [other] text, timings, refurl, ipaddr, dates."""
    rows = read_rows("limesurvey.csv")
    texts = {"id": "Response ID", "submitdate": "Date submitted", "lastpage": "Last page",
             "startlanguage": "Start language", "seed": "Seed", "DEPA": "What is your department?",
             "REC": "How likely are you to recommend this organisation as a place to work?",
             "IMPROVE": "What one change would make serving customers easier?"}
    statements = [c.split(" - ", 1)[1] for c in read_rows("qualtrics.csv")[1][18:24]]
    for i, s in enumerate(statements, 1):
        texts[f"AGREE[SQ00{i}]"] = f"How much do you agree with each statement? [{s}]"
    rows[0] = [f"{code}. {texts[code]}" for code in rows[0]]
    add_columns(rows, [["startdate. Date started"], ["datestamp. Date last action"], ["ipaddr. IP address"],
                       ["refurl. Referrer URL"]], lambda ri, k: ["2026-10-05 09:00:00", "2026-10-05 09:07:40",
                                                                 "192.0.2.1", "https://example.org/"][k], at=5)
    add_columns(rows, [["DEPA[other]. What is your department? [Other]"]], lambda ri, k: "", at=10)
    timing = ["interviewtime. Total time", "groupTime12. Group time: Pulse", "DEPATime. Question time: DEPA",
              "AGREETime. Question time: AGREE"]
    add_columns(rows, [[t] for t in timing], lambda ri, k: "61.5")
    path = tmp / "lime.csv"
    path.write_bytes(csv_bytes(rows))
    return path, ["startdate. Date started", "refurl. Referrer URL", "DEPA[other]. What is your department? [Other]"] \
        + timing


def limesurvey_full_text(tmp: Path) -> tuple[Path, list[str]]:
    """'Full question text' headings, as in the archived test exports of the limonaid R package
    (GPL, not copied): [Other] beside its question, filecount, total, group and question times."""
    rows = read_rows("limesurvey.csv")
    statements = [c.split(" - ", 1)[1] for c in read_rows("qualtrics.csv")[1][18:24]]
    rows[0] = ["Response ID", "Date submitted", "Last page", "Start language", "Seed",
               "What is your department?"] + [f"How much do you agree with each statement? [{t}]" for t in statements] \
        + ["How likely are you to recommend this organisation as a place to work?",
           "What one change would make serving customers easier?"]
    add_columns(rows, [["Date started"], ["Date last action"]], lambda ri, k: "2026-10-05 09:00:00", at=5)
    add_columns(rows, [["What is your department? [Anders]"]], lambda ri, k: "", at=8)
    added = ["filecount - Upload a photo of your desk", "Total time", "Group time: Pulse",
             "Question time: DEPA", "Question time: AGREE"]
    add_columns(rows, [[t] for t in added], lambda ri, k: "3")
    path = tmp / "full.csv"
    path.write_bytes(csv_bytes(rows))
    return path, ["Date started", "Date last action", "What is your department? [Anders]"] + added


def limesurvey_codes(tmp: Path) -> tuple[Path, list[str]]:
    """Code headings with what LimeSurvey adds: dates, ipaddr, refurl, [other], timings after
    interviewtime (a group's, and each question's as <code>Time)."""
    rows = read_rows("limesurvey.csv")
    add_columns(rows, [["startdate"], ["datestamp"], ["ipaddr"], ["refurl"]],
                lambda ri, k: ["2026-10-05 09:00:00", "2026-10-05 09:07:40", "192.0.2.1", ""][k], at=5)
    add_columns(rows, [["DEPA[other]"]], lambda ri, k: "Night shift" if ri % 9 == 0 else "", at=10)
    timing = ["interviewtime", "groupTime1207", "DEPATime", "AGREETime", "RECTime", "IMPROVETime"]
    add_columns(rows, [[t] for t in timing], lambda ri, k: "4.2")
    path = tmp / "codes.csv"
    path.write_bytes(csv_bytes(rows))
    return path, ["startdate", "datestamp", "refurl", "DEPA[other]"] + timing


def limesurvey_sgqa(tmp: Path) -> tuple[Path, list[str]]:
    """SGQA headings (survey X group X question) and their timings; the map names the codes."""
    rows = read_rows("limesurvey.csv")
    codes = {"DEPA": "123456X1X1", "REC": "123456X1X3", "IMPROVE": "123456X1X4"}
    codes |= {f"AGREE[SQ00{i}]": f"123456X1X2SQ00{i}" for i in range(1, 7)}
    rows[0] = [codes.get(c, c) for c in rows[0]]
    timing = ["interviewtime", "123456X1time", "123456X1X1time", "123456X1X2time"]
    add_columns(rows, [[t] for t in timing], lambda ri, k: "12")
    path = tmp / "sgqa.csv"
    path.write_bytes(csv_bytes(rows))
    ids = yaml.safe_load((DATA / "limesurvey-columns.yml").read_text(encoding="utf-8"))["columns"]
    (tmp / "sgqa.yml").write_text("".join(f'"{v}": {ids[k]}\n' for k, v in codes.items()), encoding="utf-8")
    return path, timing


def typeform(tmp: Path) -> tuple[Path, list[str]]:
    """'Other' after a choice, hidden fields, Response Type, Stage Date, Tags, Ending."""
    rows = read_rows("typeform.csv")
    add_columns(rows, [["Other"]], lambda ri, k: "", at=2)
    n = len(rows[0])
    add_columns(rows, [["utm_source"], ["team_code"], ["Response Type"]],
                lambda ri, k: ["newsletter", "t-17", "completed"][k], at=n - 3)
    add_columns(rows, [["Stage Date (UTC)"]], lambda ri, k: "", at=len(rows[0]) - 2)
    add_columns(rows, [["Tags"], ["Ending"]], lambda ri, k: ["", "default"][k])
    path = tmp / "tf.csv"
    path.write_bytes(csv_bytes(rows))
    return path, ["Other", "utm_source", "team_code", "Response Type", "Stage Date (UTC)", "Tags", "Ending"]


VARIANTS = [qualtrics_current, qualtrics_legacy, surveymonkey_csv, surveymonkey_xlsx,
            google_forms("Horodateur", "Adresse e-mail", "Score"),
            google_forms("Zeitstempel", "E-Mail-Adresse", "Punktzahl"),
            google_forms("Marca temporal", "Dirección de correo electrónico", "Puntuación"),
            google_forms("Időbélyeg", "E-mail-cím", "Pontszám"),
            microsoft_forms, microsoft_forms_german, limesurvey_code_and_text, limesurvey_full_text,
            limesurvey_codes, limesurvey_sgqa, typeform]
TOOL_OF = {"qualtrics": "qualtrics", "surveymonkey": "surveymonkey", "google": "google-forms",
           "microsoft": "microsoft-forms", "limesurvey": "limesurvey", "typeform": "typeform"}


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.__name__ for v in VARIANTS])
def test_tool_added_columns_are_dropped_and_named(tmp_path, variant):
    root = make_project(tmp_path)
    source, dropped = variant(tmp_path)
    extra = {"columns_file": tmp_path / "sgqa.yml"} if variant is limesurvey_sgqa else \
        {"columns_file": DATA / "limesurvey-columns.yml"} if variant is limesurvey_codes else {}
    result = run(root, source, **extra)
    assert result.tool == TOOL_OF[variant.__name__.split("_")[0]] and result.detected
    assert (result.rows_read, result.kept) == (60, 60)
    assert_matches(scores(root), EXPECTED)
    folder = root / "engagements" / EID
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    not_imported = report.split("## Columns not imported", 1)[1].split("## Excluded rows")[0]
    for label in dropped:
        assert label in result.dropped_metadata + result.dropped_personal, (label, result.dropped_metadata)
        assert f"| {label.replace('[', chr(92) + '[').replace(']', chr(92) + ']')} |" in not_imported
    written = (folder / "responses.csv").read_text(encoding="utf-8")
    for secret in ("Ada Lovelace", "ada@example.com", "1 Main St", "crm-4411", "p7@example.org",
                   "192.0.2.1", "Night shift", "t-17"):
        assert secret not in written + report


def test_contact_block_is_personal(tmp_path):
    root = make_project(tmp_path)
    source, _ = surveymonkey_csv(tmp_path)
    result = run(root, source)
    assert {"Contact information - Company", "Contact information - City/Town",
            "Contact information - Country"} <= set(result.dropped_personal)


# --------------------------------------------------------------------------- labels in any language

SYSTEM_COLUMNS = list(range(17))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Labels that would mean something if they were evidence: an id, a question's text, a segment.
@example(labels=["hp1", "What is your department?"] + ["improve"] * 15)
@example(labels=["How likely are you to recommend this organisation as a place to work?"] * 17)
@example(labels=[""] * 16 + ['{"ImportId"'])  # a label that starts like the row below it (found by hypothesis)
@example(labels=['{"ImportId":"QID9"}'] * 3 + ["Start Date"] * 14)  # some labels even are ImportIds
@given(labels=st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
                       min_size=17, max_size=17))
def test_qualtrics_system_columns_are_known_by_importid_whatever_the_labels(tmp_path_factory, labels):
    """Row 2 is in the exporter's language: no label of a system column changes the import."""
    tmp = tmp_path_factory.mktemp("labels")
    root = make_project(tmp)
    rows = read_rows("qualtrics.csv")
    rows[1][:17] = labels
    path = tmp / "q.csv"
    path.write_bytes(csv_bytes(rows, bom=True))
    run(root, path)
    folder = root / "engagements" / EID
    baseline = tmp / "baseline"
    base_root = make_project(baseline)
    run(base_root, DATA / "qualtrics.csv")
    assert (folder / "responses.csv").read_bytes() == \
        (base_root / "engagements" / EID / "responses.csv").read_bytes()


# --------------------------------------------------------------------------- columns: ignore

def _with_unknown(tmp: Path) -> Path:
    rows = read_rows("typeform.csv")
    add_columns(rows, [["Which canteen do you prefer?"]], lambda ri, k: "North", at=2)
    path = tmp / "t.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def test_unknown_column_says_how_to_ignore_it(tmp_path):
    root = make_project(tmp_path)
    errors = failure(lambda: run(root, _with_unknown(tmp_path)))
    assert any(e.endswith("map it to an id, or leave it out with \"Which canteen do you prefer?\": ignore, "
                          "under 'columns:' in engagement.yml (or in a --columns FILE).") for e in errors), errors


@pytest.mark.parametrize("where", ["engagement", "file"])
def test_ignored_column_is_left_out_and_reported(tmp_path, where):
    entry = '  "Which canteen do you prefer?": ignore\n'
    root = make_project(tmp_path, "columns:\n" + entry if where == "engagement" else "")
    kwargs = {}
    if where == "file":
        (tmp_path / "cols.yml").write_text(entry.strip() + "\n", encoding="utf-8")
        kwargs["columns_file"] = tmp_path / "cols.yml"
    result = run(root, _with_unknown(tmp_path), **kwargs)
    assert result.ignored == ["Which canteen do you prefer?"] and result.kept == 60
    assert_matches(scores(root), EXPECTED)
    report = (root / "engagements" / EID / "import-report.md").read_text(encoding="utf-8")
    assert "| 3 | Which canteen do you prefer? | ignored: columns map" in report
    assert "North" not in (root / "engagements" / EID / "responses.csv").read_text(encoding="utf-8")


def test_ignoring_a_personal_column_is_no_error(tmp_path):
    root = make_project(tmp_path, 'columns:\n  "Network ID": ignore\n')
    result = run(root, DATA / "typeform.csv")
    assert "Network ID" in result.dropped_personal


def test_ignore_misspelt_is_located(tmp_path):
    (tmp_path / "cols.yml").write_text('"Network ID": ignor\n', encoding="utf-8")
    root = make_project(tmp_path)
    errors = failure(lambda: run(root, DATA / "typeform.csv", columns_file=tmp_path / "cols.yml"))
    assert errors == [f"{tmp_path}/cols.yml:1:15: columns: 'Network ID' maps to 'ignor', which is not an "
                      "item, outcome or open question of the questionnaire, a segment of the engagement, "
                      "respondent_id or ignore (did you mean 'ignore'?)"]


# --------------------------------------------------------------------------- --dry-run

def cli(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    import contextlib
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_dry_run_shows_the_plan_and_writes_nothing(tmp_path):
    root = make_project(tmp_path, 'columns:\n  "Q4 - Topics": ignore\n')
    source, _ = qualtrics_current(tmp_path)
    before = engagement_files(root)
    code, out, err = cli("--project", root, "import", source, "--engagement", EID, "--dry-run")
    assert (code, err) == (0, "")
    assert engagement_files(root) == before
    sections = [line.split(" (")[0] for line in out.splitlines() if not line.startswith(" ")][1:]
    assert sections == ["matched", "dropped as metadata", "dropped as personal", "ignored", "unknown",
                        "the import would keep 60 of 60 rows"]
    assert "ignored (1):\n  column 27 Q4 - Topics (What one change" in out
    assert "  column 18 Q1 (What is your department?) -> department: segment name in the header" in out
    assert "  column 12 RecipientEmail (E-Mail des Empfängers): personal data (e-mail address)" in out
    assert "unknown (0): none" in out


def test_dry_run_lists_unknown_columns_and_fails(tmp_path):
    root = make_project(tmp_path)
    before = engagement_files(root)
    code, out, err = cli("--project", root, "import", _with_unknown(tmp_path), "--engagement", EID, "--dry-run")
    assert code == 1 and "Traceback" not in err
    assert "unknown (1):\n  column 3 Which canteen do you prefer?: matches no question or segment" in out
    assert "the import would fail: 1 problem, listed below" in out
    assert err.splitlines()[0].startswith(f"{tmp_path}/t.csv:1:3: column 3 'Which canteen do you prefer?' matches no item")
    assert engagement_files(root) == before


@pytest.mark.parametrize("flag", ["False", "0", "Falsch", "Faux", "Falso"])
def test_unfinished_in_the_exporters_language_is_incomplete(tmp_path, flag):
    rows = read_rows("qualtrics.csv")
    rows[5][6] = flag
    path = tmp_path / "q.csv"
    path.write_bytes(csv_bytes(rows, bom=True))
    result = run(make_project(tmp_path), path)
    assert (result.kept, result.excluded["incomplete"]) == (59, 1)


ADDED_QUALTRICS = [[f"Q4 - {t}", f"Q4 - {t}", json.dumps({"ImportId": f"QID4_TEXT_{t.replace(' ', '')}"})]
                   for t in TEXT_IQ] + [[n, n, json.dumps({"ImportId": n})] for n in QUALTRICS_ADDED] \
    + [[n, label, json.dumps({"ImportId": code})] for n, label, code in QUALTRICS_DERIVED] \
    + [["Region_Code", "Region_Code", json.dumps({"ImportId": "Region_Code"})]]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.tuples(st.sampled_from(ADDED_QUALTRICS), st.integers(0, 26)), max_size=8,
                      unique_by=lambda p: p[0][0]))
def test_tool_added_columns_anywhere_change_nothing(tmp_path_factory, picks):
    """Wherever Qualtrics puts the columns it adds, responses.csv is the same as without them."""
    tmp = tmp_path_factory.mktemp("added")
    rows = read_rows("qualtrics.csv")
    for header, at in picks:
        add_columns(rows, [header], lambda ri, k: "7", at=at)
    path = tmp / "q.csv"
    path.write_bytes(csv_bytes(rows, bom=True))
    root = make_project(tmp)
    result = run(root, path)
    assert len(result.dropped_metadata) == 9 + len(picks)
    baseline = make_project(tmp / "baseline")
    run(baseline, DATA / "qualtrics.csv")
    assert (root / "engagements" / EID / "responses.csv").read_bytes() == \
        (baseline / "engagements" / EID / "responses.csv").read_bytes()


def test_a_plain_workbook_shaped_like_microsoft_forms_is_not_taken_for_it(tmp_path):
    """ID first and an e-mail fourth, but no date-times in columns 2 and 3: a plain table."""
    from cxsite.importers.detect import detect_tool
    from cxsite.importers.tables import read_table
    book = openpyxl.Workbook()
    book.active.append(["ID", "department", "team", "E-Mail", "Name", "hp1"])
    book.active.append([1, "Sales", "North", "a@example.org", "A", 4])
    book.save(tmp_path / "plain.xlsx")
    assert detect_tool(read_table(tmp_path / "plain.xlsx", "plain.xlsx"))[0] == "xlsx"
    book.active.append([2, "10/5/26 9:00:00", "10/5/26 9:04:00", "b@example.org", "B", 4])
    book.active["B2"], book.active["C2"] = "10/5/26 9:00:00", "10/5/26 9:05:00"
    book.save(tmp_path / "forms.xlsx")
    assert detect_tool(read_table(tmp_path / "forms.xlsx", "forms.xlsx"))[0] == "microsoft-forms"


def test_dry_run_plan_cannot_drive_the_terminal(tmp_path):
    """Header text from the export reaches the terminal with no control character left."""
    rows = read_rows("typeform.csv")
    add_columns(rows, [["Canteen\x1b[2J\x1b]0;owned\x07 choice"]], lambda ri, k: "North", at=2)
    path = tmp_path / "t.csv"
    path.write_bytes(csv_bytes(rows))
    root = make_project(tmp_path, 'columns:\n  "Canteen\\e[2J\\e]0;owned\\a choice": ignore\n')
    code, out, _ = cli("--project", root, "import", path, "--engagement", EID, "--dry-run")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "  column 3 Canteen?[2J?]0;owned? choice: ignored" in out
