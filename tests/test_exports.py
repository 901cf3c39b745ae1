"""cxsite export: SurveyJS JSON, Qualtrics Advanced Format TXT, the CSV template.

The SurveyJS export is loaded by the survey-core npm package (pinned in
tests/package.json and package-lock.json, installed by 'make test'), and each
export makes a round trip: answers given to the exported wording, written the
way the tool exports them, come back through cxsite import and score like
the source.
"""

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cxsite.exports import export_text
from cxsite.load import load_project
from cxsite.model import NA
from cxsite.responses import parse_answer
from cxsite.scaffold import response_header
from conftest import missing

TESTS = Path(__file__).parent
CHECK = TESTS / "surveyjs_check.js"
SURVEY_CORE = TESTS / "node_modules" / "survey-core"
BUILT_IN = ["service-culture", "customer-focus"]


@pytest.fixture(scope="session")
def node():
    path = shutil.which("node")
    if not path:
        pytest.skip("Node.js is not installed: the SurveyJS export is not loaded by survey-core")
    if not SURVEY_CORE.is_dir():
        missing("survey-core is not installed: run 'make test', which installs it with npm")
    return path


def surveyjs(node, tmp_path, text, answers=None):
    """What survey-core makes of an exported survey (see surveyjs_check.js)."""
    survey = tmp_path / "survey.json"
    survey.write_text(text, encoding="utf-8")
    args = [node, str(CHECK), str(survey)]
    if answers is not None:
        (tmp_path / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
        args.append(str(tmp_path / "answers.json"))
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def questionnaire(root, ref):
    from cxsite.versions import resolve

    return resolve(root, ref, ref)


@pytest.mark.parametrize("ref", ["tiny", *BUILT_IN])
def test_survey_core_loads_every_item_as_a_question_named_by_its_id(node, tiny, tmp_path, ref):
    q = questionnaire(tiny, ref)
    got = surveyjs(node, tmp_path, export_text(q, "surveyjs"))
    assert got["jsonErrors"] == []
    assert got["pages"][:len(q.dimensions)] == [d.id for d in q.dimensions]  # a page per dimension
    questions = {x["name"]: x for x in got["questions"]}
    assert len(questions) == len(got["questions"])
    for d in q.dimensions:
        for i in d.items:
            assert questions[i.id]["type"] == "rating" and questions[i.id]["page"] == d.id
            assert questions[i.id]["title"] == i.text
            assert questions[i.id]["choices"] == [*i.scale.points, *i.scale.not_applicable]
    for o in q.outcomes:
        assert questions[o.id]["choices"] == [*o.scale.points, *o.scale.not_applicable]
    for o in q.open_questions:
        assert questions[o.id]["type"] == "comment"
    assert set(questions) == {x.id for x in (*q.items, *q.outcomes, *q.open_questions)}


def test_customers_are_asked_the_customer_wording(node, tiny, tmp_path):
    q = questionnaire(tiny, "customer-focus")
    got = surveyjs(node, tmp_path, export_text(q, "surveyjs", "customers"))
    titles = {x["name"]: x["title"] for x in got["questions"]}
    assert all(titles[i.id] == i.customer_text for i in (*q.items, *q.outcomes, *q.open_questions))


# ------------------------------------------------------------------ round trips through cxsite import

def source_rows(project):
    """The tiny engagement's responses as (header, rows), the truth the round trips must reproduce."""
    with (project / "engagements" / "tiny-2026" / "responses.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def answer_points(q, header, row):
    """One respondent's answers: item id -> point (int), NA, or None; open and segment text as given."""
    scored = {i.id: i for i in (*q.items, *q.outcomes)}
    out = {}
    for column, cell in zip(header, row):
        if column in scored:
            value = parse_answer(scored[column].scale, cell)
            out[column] = scored[column].scale.not_applicable[0] if value == NA else value
        elif cell:
            out[column] = cell
    return out


def score(cli, project):
    code, out, err = cli("--project", project, "score", "tiny-2026")
    assert code == 0, err
    doc = json.loads(out)
    return {k: doc[k] for k in ("index", "dimensions", "outcomes", "segments")}


def import_and_score(cli, project, export_path):
    code, out, err = cli("--project", project, "import", export_path, "--engagement", "tiny-2026")
    assert code == 0, err
    return score(cli, project)


def test_surveyjs_round_trip_scores_like_the_source(node, tiny, tmp_path, cli):
    expected = score(cli, tiny)
    q = load_project(tiny).engagements["tiny-2026"].questionnaire
    header, rows = source_rows(tiny)
    asked = {x.id for x in (*q.items, *q.outcomes, *q.open_questions)}
    answers = [{k: v for k, v in answer_points(q, header, row).items() if v is not None and k in asked}
               for row in rows]
    results = surveyjs(node, tmp_path, export_text(q, "surveyjs"), answers)["results"]
    # The segment is the engagement's own question, added to the survey when it is fielded.
    for data, row in zip(results, rows):
        data["team"] = row[header.index("team")]
    # SurveyJS results are {name: value}; exported as CSV, one column per question name.
    names = [n for n in header if n != "respondent_id"]
    export = tmp_path / "surveyjs-results.csv"
    with export.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(names)
        for data in results:
            w.writerow(["" if data.get(n) is None else data[n] for n in names])
    assert import_and_score(cli, tiny, export) == expected


def parse_advanced_format(text):
    """The matrices, single-answer and essay questions of a Qualtrics Advanced Format TXT file."""
    lines = text.split("\n")
    assert lines[0] == "[[AdvancedFormat]]"
    questions, current, part = [], None, None
    for line in lines[1:]:
        if line.startswith("[[Question:"):
            current = {"type": line[11:-2], "id": None, "text": None, "choices": [], "answers": []}
            questions.append(current)
            part = "text"
        elif line.startswith("[[ID:"):
            current["id"] = line[5:-2]
        elif line in ("[[Choices]]", "[[Answers]]"):
            part = line[2:-2].lower()
        elif line.startswith("[[Block:") or not line:
            part = None if not line else part
        elif current is not None and part == "text":
            current["text"] = line
        elif current is not None and part:
            current[part].append(line)
    return questions


def test_qualtrics_round_trip_scores_like_the_source(tiny, tmp_path, cli):
    import html

    expected = score(cli, tiny)
    q = load_project(tiny).engagements["tiny-2026"].questionnaire
    questions = parse_advanced_format(export_text(q, "qualtrics-txt"))
    header, rows = source_rows(tiny)
    # Qualtrics' CSV export: ids, then "question - statement" text, then ImportIds; choice text as answers.
    columns = [("ResponseId", "Response ID", "_recordId", None), ("team", "team", "QID_team", ("team", None))]
    for k, qq in enumerate(questions, start=1):
        if qq["type"] == "Matrix":
            items = [i for d in q.dimensions if d.id == qq["id"] for i in d.items]
            for n, (item, statement) in enumerate(zip(items, qq["choices"]), start=1):
                columns.append((f"Q{k}_{n}", html.unescape(f"{qq['text']} - {statement}"), f"QID{k}_{n}",
                                (item.id, qq["answers"])))
        else:
            columns.append((f"Q{k}", html.unescape(qq["text"]), f"QID{k}",
                            (qq["id"], qq["choices"] if qq["type"].startswith("MC") else None)))
    export = tmp_path / "qualtrics.csv"
    with export.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        for row_of_header in range(3):
            w.writerow([c[row_of_header] if row_of_header < 2 else json.dumps({"ImportId": c[2]}) for c in columns])
        for r, row in enumerate(rows, start=1):
            points = answer_points(q, header, row)
            out = [f"R_{r}"]
            for _, _, _, (qid, choices) in columns[1:]:
                value = points.get(qid)
                scale = {i.id: i.scale for i in (*q.items, *q.outcomes)}.get(qid)
                if value is None:
                    out.append("")
                elif choices is None:
                    out.append(value)
                else:  # the choice's text, as Qualtrics exports it by default
                    out.append(html.unescape(choices[list(scale.points).index(value)] if isinstance(value, int)
                                             else choices[len(scale.points) + scale.not_applicable.index(value)]))
            w.writerow(out)
    assert import_and_score(cli, tiny, export) == expected


@pytest.mark.parametrize("ref", ["tiny", *BUILT_IN])
def test_qualtrics_holds_every_item_in_a_matrix_block_per_dimension(tiny, ref):
    q = questionnaire(tiny, ref)
    text = export_text(q, "qualtrics-txt")
    questions = parse_advanced_format(text)
    matrices = [x for x in questions if x["type"] == "Matrix"]
    assert [m["id"] for m in matrices] == [d.id for d in q.dimensions]
    assert text.count("[[Block:") == len(q.dimensions) + 1
    for m, d in zip(matrices, q.dimensions):
        assert m["choices"] == [i.text for i in d.items]
        assert m["answers"] == [d.scale.label(p) for p in d.scale.points] + list(d.scale.not_applicable)
    assert [x["id"] for x in questions if x["type"] != "Matrix"] == [o.id for o in (*q.outcomes, *q.open_questions)]


def test_qualtrics_text_cannot_open_a_tag_or_carry_html(tiny):
    path = tiny / "assessments" / "tiny.yml"
    path.write_text(path.read_text().replace("text: Statement A.", 'text: "A <b>&\\n[[Block:x]] line"'))
    q = load_project(tiny).latest("tiny")
    text = export_text(q, "qualtrics-txt")
    assert "A &lt;b&gt;&amp; [ [Block:x] ] line" in text.split("\n")
    assert text.count("[[Block:") == 3


def test_the_csv_template_is_the_header_the_responses_loader_takes(tiny, cli):
    q = load_project(tiny).latest("tiny")
    code, out, _ = cli("--project", tiny, "export", "tiny@1.0.0", "--to", "csv-template")
    assert code == 0 and next(csv.reader(io.StringIO(out))) == response_header(q, [])
    eng = tiny / "engagements" / "tiny-2026"
    (eng / "engagement.yml").write_text((eng / "engagement.yml").read_text().replace("segments: [team]\n", ""))
    (eng / "responses.csv").write_text(out)
    code, out, err = cli("--project", tiny, "validate")
    assert code == 0, err
    assert "awaiting responses" in out


def test_export_writes_a_file_and_refuses_project_data(tiny, tmp_path, cli):
    target = tmp_path / "out" / "survey.json"
    target.parent.mkdir()
    assert cli("--project", tiny, "export", "tiny", "--to", "surveyjs", "-o", target)[0] == 0
    assert json.loads(target.read_text())["pages"][0]["name"] == "d1"
    code, _, err = cli("--project", tiny, "export", "tiny", "--to", "surveyjs", "-o", tiny / "assessments" / "x.json")
    assert code == 1 and "holds project data" in err and not (tiny / "assessments" / "x.json").exists()


def test_customers_wording_needs_customer_text_at_each_question(tiny, cli):
    code, out, err = cli("--project", tiny, "export", "tiny", "--to", "qualtrics-txt", "--audience", "customers")
    assert code == 1 and out == ""
    assert "assessments/tiny.yml:22:14: question 'a' has no customer_text" in err


def test_a_customers_questionnaire_has_no_staff_wording(tiny, cli):
    path = tiny / "assessments" / "tiny.yml"
    path.write_text(path.read_text().replace("audience: staff", "audience: customers"))
    code, out, _ = cli("--project", tiny, "export", "tiny", "--to", "surveyjs")
    assert code == 0 and json.loads(out)["pages"][0]["elements"][0]["title"] == "Statement A."
    code, out, err = cli("--project", tiny, "export", "tiny", "--to", "surveyjs", "--audience", "staff")
    assert code == 1 and out == "" and "is answered by customers and has no staff wording" in err


def test_an_unknown_questionnaire(tiny, cli):
    code, _, err = cli("--project", tiny, "export", "tiny@3.0.0", "--to", "surveyjs")
    assert code == 1 and "questionnaire 'tiny' has no version 3.0.0" in err and "Traceback" not in err


# ------------------------------------------------------------------ the questionnaire page offers them

def test_the_questionnaire_page_links_every_export_generated_into_the_site(tiny):
    from cxsite.pages import build_pages

    q = load_project(tiny).latest("tiny")
    site = build_pages(load_project(tiny))
    page = site.pages["questionnaires/tiny.md"]
    for fmt, suffix in (("surveyjs", "surveyjs.json"), ("qualtrics-txt", "qualtrics.txt"),
                        ("csv-template", "responses-template.csv")):
        assert site.downloads[f"questionnaires/tiny-1.0.0.{suffix}"] == export_text(q, fmt)
        assert f"](tiny-1.0.0.{suffix})" in page


def test_customer_wordings_are_offered_where_every_question_has_one(tiny):
    from cxsite.pages import build_pages

    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    # An engagement of customer-focus (header-only responses) puts its page on the site.
    other = tiny / "engagements" / "cf-2026"
    other.mkdir()
    (other / "engagement.yml").write_text(eng.read_text().replace("assessment: tiny@1.0.0", "assessment: customer-focus")
                                          .replace("segments: [team]\n", ""))
    q = questionnaire(tiny, "customer-focus")
    (other / "responses.csv").write_text(",".join(response_header(q, [])) + "\n")
    site = build_pages(load_project(tiny))
    assert site.downloads[f"questionnaires/customer-focus-{q.version}-customers.surveyjs.json"] == \
        export_text(q, "surveyjs", "customers")
    assert not any("tiny-1.0.0-customers" in p for p in site.downloads)  # tiny has no customer_text


def test_a_built_site_serves_the_exports_at_the_page_s_links(tiny, tmp_path, cli):
    site = tmp_path / "site"
    code, _, err = cli("--project", tiny, "build", "--site-dir", site)
    assert code == 0, err
    html = (site / "questionnaires" / "tiny" / "index.html").read_text(encoding="utf-8")
    for suffix in ("surveyjs.json", "qualtrics.txt", "responses-template.csv"):
        assert f'href="../tiny-1.0.0.{suffix}"' in html
        assert (site / "questionnaires" / f"tiny-1.0.0.{suffix}").is_file()
