"""The shipped questionnaires and example engagements, held to their own rules."""

import re
from pathlib import Path

import pytest
import yaml

from cxsite.errors import ErrorCollector
from cxsite.load import load_project
from cxsite.questionnaires import load_questionnaire

REPO = Path(__file__).parent.parent
FILES = sorted((REPO / "assessments").glob("*.yml"))
BRIEF = REPO.parent / "shared" / "domain-brief.md"


@pytest.fixture(scope="module", params=[f.stem for f in FILES] or ["(none)"])
def q(request):
    errors = ErrorCollector()
    loaded = load_questionnaire(REPO / "assessments" / f"{request.param}.yml", REPO, errors)
    assert not errors.errors, [str(e) for e in errors.errors]
    return loaded


def test_both_assessments_are_shipped():
    assert {f.stem for f in FILES} >= {"service-culture", "customer-focus"}


def test_every_dimension_has_narrative_and_actions_for_every_band(q):
    for d in q.dimensions:
        for b in q.bands:
            assert d.narratives.get(b.id), (d.id, b.id)
            assert 2 <= len(d.actions.get(b.id, ())) <= 4, (d.id, b.id)


def test_shape(q):
    assert 7 <= len(q.dimensions) <= 9
    assert all(4 <= len(d.items) <= 6 for d in q.dimensions)
    assert len(q.bands) >= 3 and all(len(b.summary.split()) >= 20 for b in q.bands)
    assert all(len(d.description.split()) >= 12 for d in q.dimensions)
    assert 2 <= len(q.open_questions) <= 3


def test_reverse_keyed_share(q):
    items = q.items
    share = sum(i.reverse for i in items) / len(items)
    assert 0.15 <= share <= 0.35, share
    assert all(any(i.reverse for i in d.items) for d in q.dimensions)


def test_ids_unique_and_slugs(q):
    ids = [d.id for d in q.dimensions] + [i.id for i in q.items] + [o.id for o in q.outcomes] \
        + [o.id for o in q.open_questions]
    assert len(ids) == len(set(ids))


def test_one_agreement_scale_with_dont_know(q):
    scales = {i.scale.id for i in q.items}
    assert len(scales) == 1
    scale = q.items[0].scale
    assert scale.max - scale.min == 4 and any("know" in na.lower() for na in scale.not_applicable)


def test_customer_focus_items_say_how_customers_are_asked():
    errors = ErrorCollector()
    q = load_questionnaire(REPO / "assessments" / "customer-focus.yml", REPO, errors)
    assert all(i.customer_text for i in q.items)
    assert {o.scale.kind for o in q.outcomes} == {"nps", "ces"}  # NPS and Customer Effort, each read as such


def test_service_culture_outcomes():
    errors = ErrorCollector()
    q = load_questionnaire(REPO / "assessments" / "service-culture.yml", REPO, errors)
    assert "nps" in {o.scale.kind for o in q.outcomes}
    assert len(q.outcomes) >= 2


def test_ids_are_stable():
    """Released ids must not change meaning: the ids of 1.x are frozen here."""
    frozen = REPO / "tests" / "data" / "released-ids.yml"
    released = yaml.safe_load(frozen.read_text())
    for qid, ids in released.items():
        errors = ErrorCollector()
        q = load_questionnaire(REPO / "assessments" / f"{qid}.yml", REPO, errors)
        now = {i.id: i.reverse for i in q.items}
        for item_id, reverse in ids.items():
            assert item_id in now, f"{qid}: released item {item_id} is gone (a major version change)"
            assert now[item_id] == reverse, f"{qid}: item {item_id} was re-keyed (a major version change)"


def test_example_project_validates(cli):
    code, out, err = cli("--project", REPO, "validate")
    assert code == 0, err


def test_every_questionnaire_has_an_example_engagement():
    project = load_project(REPO)
    used = {e.questionnaire.id for e in project.engagements.values()}
    assert used >= {q.id for q in project.questionnaires.values()}
    for e in project.engagements.values():
        if e.audience == "assessor":
            continue  # one named consultant's ratings, shown beside a staff wave
        assert len(e.responses) >= 150
        if e.hierarchy:  # reporting lines are its departments: its segments cut across them
            assert set(e.segments) >= {"role", "region"}
            continue
        assert set(e.segments) >= ({"department", "region"} if e.audience == "staff" else {"region"})


@pytest.mark.skipif(not BRIEF.is_file(), reason="the domain brief is in ../shared, beside the repository")
def test_no_sentence_of_the_brief_is_copied():
    """No run of eight words of the brief appears in a questionnaire."""
    ours = " " + " ".join(re.findall(r"[a-z']+", " ".join(p.read_text() for p in FILES).lower())) + " "
    words = re.findall(r"[a-z']+", BRIEF.read_text().lower())
    copied = {" ".join(words[i:i + 8]) for i in range(len(words) - 7)
              if f" {' '.join(words[i:i + 8])} " in ours}
    assert copied == set()


def test_example_comments_do_not_repeat():
    """Each example comment is written by one person: a report full of identical answers reads as fake."""
    import csv

    for folder in sorted((REPO / "engagements").iterdir()):
        if not (folder / "responses.csv").is_file():
            continue  # assessor ratings (YAML): notes, no comments
        with (folder / "responses.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for column in ("obstacles", "leaders", "praise", "hassle", "improve-one", "keep-doing"):
            answers = [r[column] for r in rows if r.get(column)]
            assert len(answers) == len(set(answers)), (folder.name, column)
