"""Translated questionnaires: catalogues written by ``cxsite translate``, checked at their lines,
applied to an engagement with ``language``, and answers and imports in the translation's language."""

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, given, settings, strategies as st

from cxsite.load import load_project
from cxsite.score import score_engagement
from cxsite.translate_po import merged, po_text
from cxsite.translations import entries, read_catalogue

TESTS = Path(__file__).parent
EXPORTS = TESTS / "data" / "survey-exports"
TINY_FR = {"scales.agree5.points.1": "Pas du tout d'accord", "scales.agree5.points.2": "Pas d'accord",
           "scales.agree5.points.3": "Neutre", "scales.agree5.points.4": "D'accord",
           "scales.agree5.points.5": "Tout à fait d'accord", "scales.agree5.not_applicable.0": "Sans objet",
           "dimensions.d1.items.a.text": "Énoncé A."}


def fill(path: Path, translations: dict[str, str] | None = None, fuzzy: bool = False) -> None:
    """Translate every entry of the catalogue at ``path`` as a translator's tool would: the given
    translations, "FR <English>" for the others."""
    catalog = read_po(io.StringIO(path.read_text(encoding="utf-8")))
    for m in catalog:
        if m.id:
            m.string = (translations or {}).get(m.context, f"FR {m.id}")
            if not fuzzy:
                m.flags.discard("fuzzy")
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_previous=True, no_location=True)
    path.write_bytes(out.getvalue())


def french(tiny: Path, cli, translations=TINY_FR) -> Path:
    """tiny with a complete French catalogue and its engagement in French."""
    assert cli("--project", tiny, "translate", "tiny", "--lang", "fr")[0] == 0
    po = tiny / "assessments" / "tiny.fr.po"
    fill(po, translations)
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text(encoding="utf-8") + "language: fr\n", encoding="utf-8")
    return po


def figures(result: dict) -> dict:
    """A result with every text left out: what must not change with the language."""
    if isinstance(result, dict):
        return {k: figures(v) for k, v in result.items() if k not in ("text", "title", "provenance", "band")}
    if isinstance(result, list):
        return [figures(v) for v in result]
    return result


def line_of(po: Path, pattern: str) -> int:
    """The line of the ``msgid`` of the entry whose msgctxt is ``pattern`` (Babel's Message.lineno)."""
    lines = po.read_text(encoding="utf-8").splitlines()
    at = lines.index(f'msgctxt "{pattern}"')
    return next(i for i in range(at, len(lines)) if lines[i].startswith("msgid ")) + 1


# --------------------------------------------------------------------------- the catalogue and its command

def test_entries_follow_the_questionnaire(tiny):
    q = load_project(tiny).questionnaires[("tiny", "1.0.0")]
    got = entries(q)
    contexts = [c for c, _ in got]
    assert contexts[:4] == ["title", "summary", "scales.agree5.points.1", "scales.agree5.points.2"]
    # An NPS scale's unlabelled points are numbers, not texts.
    assert "scales.likely11.points.0" in contexts and "scales.likely11.points.5" not in contexts
    assert ("dimensions.d1.actions.low.0", "Do the first thing.") in got
    assert ("dimensions.d1.narratives.high", "High on one.") in got
    assert contexts[-2:] == ["outcomes.nps.text", "open_questions.why.text"]
    assert len(set(contexts)) == len(contexts)


def test_round_trip_gives_the_translated_questionnaire_and_the_same_scores(tiny, cli):
    english = score_engagement(load_project(tiny).engagements["tiny-2026"])
    french(tiny, cli)
    assert cli("--project", tiny, "validate")[0] == 0
    e = load_project(tiny).engagements["tiny-2026"]
    q = e.questionnaire
    assert q.title == "FR Tiny" and q.language == "fr"
    assert q.dimensions[0].items[0].text == "Énoncé A."
    assert q.dimensions[0].actions["low"] == ("FR Do the first thing.",)
    assert q.bands[1].label == "FR High"
    assert q.scales["agree5"].points[4] == "D'accord" and q.scales["agree5"].not_applicable == ("Sans objet",)
    assert [i.id for i in q.items] == [i.id for i in q.english.items]
    result = score_engagement(e)
    assert result["assessment"]["title"] == "FR Tiny"
    assert result["dimensions"][0]["items"][0]["text"] == "Énoncé A."
    assert figures(result) == figures(english)


def test_translate_again_changes_nothing(tiny, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    po = french(tiny, cli)
    assert cli("--project", tiny, "translate", "tiny", "--lang", "fr")[0] == 0
    once = po.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    code, out, _ = cli("--project", tiny, "translate", "tiny", "--lang", "fr")
    assert code == 0 and out.startswith("up to date: assessments/tiny.fr.po: 29 entries, 0 untranslated")
    assert po.read_bytes() == once


def test_new_catalogue_is_dated_by_the_clock(tiny, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28 20:26 UTC
    assert cli("--project", tiny, "translate", "tiny", "--lang", "de")[0] == 0
    text = (tiny / "assessments" / "tiny.de.po").read_text(encoding="utf-8")
    assert '"POT-Creation-Date: 2026-05-28 20:26+0000\\n"' in text
    assert '"Language: de\\n"' in text and text.startswith("# German translation of questionnaire 'tiny'")


def test_changed_english_marks_exactly_that_entry_fuzzy(tiny, cli):
    po = french(tiny, cli)
    before = {m.context: m for m in read_po(io.StringIO(po.read_text(encoding="utf-8"))) if m.id}
    yml = tiny / "assessments" / "tiny.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("Statement C.", '"Statement C, reworded."'),
                   encoding="utf-8")
    text_d = "      - {id: d, text: Statement D., scale: agree5}"
    yml.write_text(yml.read_text(encoding="utf-8").replace(text_d + "\n", ""), encoding="utf-8")  # d removed
    assert cli("--project", tiny, "translate", "tiny", "--lang", "fr")[0] == 0
    text = po.read_text(encoding="utf-8")
    after = {m.context: m for m in read_po(io.StringIO(text)) if m.id}
    changed = {c for c in after if after[c].fuzzy or after[c].string != before[c].string or after[c].id != before[c].id}
    assert changed == {"dimensions.d2.items.c.text"}
    c = after["dimensions.d2.items.c.text"]
    assert c.id == "Statement C, reworded." and c.string == "FR Statement C." and c.fuzzy
    assert '#| msgid "Statement C."' in text
    assert "dimensions.d2.items.d.text" not in after  # the removed text's entry is dropped
    # The fuzzy entry is an error at its line until a translator reviews it.
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert err.splitlines()[0] == (f"assessments/tiny.fr.po:{line_of(po, 'dimensions.d2.items.c.text')}:1: fuzzy "
                                   "translation of dimensions.d2.items.c.text: review it against the English "
                                   "and remove the 'fuzzy' flag")


@pytest.mark.parametrize("args, message", [
    (["nope", "--lang", "fr"], "nope: unknown questionnaire 'nope'"),
    (["tiny", "--lang", "nl"], "--lang: 'nl' is no language to translate into; expected one of 'de', 'es', 'fr'"),
    (["tiny", "--lang", "en"], "--lang: 'en' is no language to translate into"),
    (["tiny@9.9.9", "--lang", "fr"], "tiny@9.9.9: questionnaire 'tiny' has no version 9.9.9"),
])
def test_translate_refuses_what_it_cannot_translate(tiny, cli, args, message):
    code, out, err = cli("--project", tiny, "translate", *args)
    assert code == 1 and err.startswith(message) and "Traceback" not in err
    assert sorted(p.name for p in (tiny / "assessments").iterdir()) == ["tiny.yml"]


def test_translate_leaves_a_malformed_catalogue_as_it_was(tiny, cli):
    po = tiny / "assessments" / "tiny.fr.po"
    po.write_text('msgctxt "title"\nmsgid "Tiny\nmsgstr ""\n', encoding="utf-8")
    code, _, err = cli("--project", tiny, "translate", "tiny", "--lang", "fr")
    assert code == 1 and err.startswith("assessments/tiny.fr.po:2:1: malformed PO file")
    assert po.read_text(encoding="utf-8") == 'msgctxt "title"\nmsgid "Tiny\nmsgstr ""\n'


# --------------------------------------------------------------------------- validation at the PO line

def test_every_problem_is_reported_at_its_po_line(tiny, cli):
    po = french(tiny, cli)
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "FR Statement B."', 'msgstr ""')
    text = text.replace('msgid "Statement E."', 'msgid "Statement E, as it was."')
    text = text.replace('msgctxt "summary"', '#, fuzzy\nmsgctxt "summary"')
    text = text.replace('msgctxt "open_questions.why.text"', 'msgctxt "open_questions.how.text"')
    po.write_text(text, encoding="utf-8")
    code, out, _ = cli("--project", tiny, "validate", "--format", "json")
    assert code == 1
    problems = json.loads(out)["problems"]
    got = [(p["line"], p["code"]) for p in problems]
    assert got == [(1, "translation-missing"),  # why.text has no entry any more
                   (line_of(po, "summary"), "translation-fuzzy"),
                   (line_of(po, "dimensions.d1.items.b.text"), "translation-missing"),
                   (line_of(po, "dimensions.d2.items.e.text"), "translation-stale"),
                   (line_of(po, "open_questions.how.text"), "translation-unknown-context")]
    assert all(p["path"] == "assessments/tiny.fr.po" for p in problems)


def test_missing_catalogue_is_reported_at_the_language_line(tiny, cli):
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text(encoding="utf-8") + "language: es\n", encoding="utf-8")
    line = len(eng.read_text(encoding="utf-8").splitlines())
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert err.splitlines()[0] == (f"engagements/tiny-2026/engagement.yml:{line}:11: language: es needs the Spanish "
                                   "catalogue of questionnaire 'tiny' 1.0.0, assessments/tiny.es.po, which does "
                                   "not exist; run 'cxsite translate tiny@1.0.0 --lang es' and translate its entries")


def test_an_unused_catalogue_is_not_checked(tiny, cli):
    (tiny / "assessments" / "tiny.de.po").write_text("this is no PO file\n", encoding="utf-8")
    assert cli("--project", tiny, "validate")[0] == 0


def test_a_translated_label_may_not_be_another_answer(tiny, cli):
    # "Agree" is the English label of point 4: as point 3's translation every "Agree" would mean two things.
    po = french(tiny, cli, {**TINY_FR, "scales.agree5.points.3": "agree"})
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert err.splitlines()[0].startswith(f"assessments/tiny.fr.po:{line_of(po, 'scales.agree5.points.3')}:1: "
                                          "translation 'agree' of scales.agree5.points.3 would also read as")


# --------------------------------------------------------------------------- answers and imports

def _relabelled(path: Path, labels: dict[str, str]) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    scored = [i for i, h in enumerate(rows[0]) if h in "abcde"]
    for row in rows[1:]:
        for i in scored:
            row[i] = labels.get(row[i], row[i])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def test_answers_in_french_labels_score_as_the_english_labels(tiny, cli, tmp_path):
    french(tiny, cli)
    english = shutil.copytree(tiny, tmp_path / "english")
    points = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
    _relabelled(english / "engagements/tiny-2026/responses.csv",
                {k: ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"][v - 1]
                 for k, v in points.items()})
    _relabelled(tiny / "engagements/tiny-2026/responses.csv",
                {k: TINY_FR[f"scales.agree5.points.{v}"].upper() for k, v in points.items()})
    fr = (tiny / "engagements/tiny-2026/responses.csv").read_text(encoding="utf-8")
    assert "TOUT À FAIT D'ACCORD" in fr and "Strongly" in (english / "engagements/tiny-2026/responses.csv").read_text()
    assert figures(score_engagement(load_project(tiny).engagements["tiny-2026"])) == \
        figures(score_engagement(load_project(english).engagements["tiny-2026"]))


TRANSLATED = TESTS / "data" / "translated"
# The French the fixture export and catalogue use (tests/data/translated/, written by _french_google_export).
PULSE_FR = {
    "dimensions.helping.items.hp1.text": "Les autres équipes m’aident à faire mon travail.",
    "dimensions.helping.items.hp2.text": "Quand je demande de l’aide à un collègue, je l’obtiens le jour même.",
    "dimensions.helping.items.hp3.text": "Les demandes internes se perdent entre les services.",
    "dimensions.ease.items.ea1.text": "Nous supprimons les étapes qui compliquent la vie des clients.",
    "dimensions.ease.items.ea2.text": "Les clients ont rarement besoin de se répéter auprès de nous.",
    "dimensions.ease.items.ea3.text": "Nos processus font passer notre confort avant celui du client.",
    "outcomes.enps.text": "Quelle est la probabilité que vous recommandiez cette organisation comme employeur ?",
    "open_questions.improve.text": "Quel changement faciliterait le plus le service aux clients ?",
    "scales.agree5.points.1": "Pas du tout d’accord", "scales.agree5.points.2": "Plutôt pas d’accord",
    "scales.agree5.points.3": "Ni d’accord ni pas d’accord", "scales.agree5.points.4": "Plutôt d’accord",
    "scales.agree5.points.5": "Tout à fait d’accord", "scales.agree5.not_applicable.0": "Je ne sais pas",
}
GRID_FR = "Dans quelle mesure êtes-vous d’accord avec chacune de ces affirmations ?"


def _pulse(tmp_path: Path, name: str, french: bool) -> Path:
    """The shared service-pulse project; in French: language fr, the fixture catalogue, the form's own
    department question mapped (a French header names no segment by its id)."""
    root = tmp_path / name
    (root / "assessments").mkdir(parents=True)
    shutil.copy(EXPORTS / "service-pulse.yml", root / "assessments")
    eng = root / "engagements" / "example-co-2026-oct"
    eng.mkdir(parents=True)
    extra = "language: fr\ncolumns:\n  \"Quel est votre service ?\": department\n" if french else ""
    (eng / "engagement.yml").write_text((EXPORTS / "engagement.yml").read_text(encoding="utf-8") + extra, "utf-8")
    if french:
        shutil.copy(TRANSLATED / "service-pulse.fr.po", root / "assessments")
    return root


def _french_google_export(path: Path) -> Path:
    """The shared English Google Forms export as a French form gives it: French headers (the statements
    inside the grid's), French labels, the localised timestamp column."""
    rows = list(csv.reader(io.StringIO((EXPORTS / "google-forms.csv").read_text(encoding="utf-8-sig"))))
    q = {x["id"]: x for d in yaml.safe_load((EXPORTS / "service-pulse.yml").read_text(encoding="utf-8"))["dimensions"]
         for x in d["items"]}
    english = {q[c.split(".")[3]]["text"]: t for c, t in PULSE_FR.items() if ".items." in c}
    labels = {"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4, "Strongly agree": 5}
    labels = {en: PULSE_FR[f"scales.agree5.points.{p}"] for en, p in labels.items()}
    labels["Don't know"] = PULSE_FR["scales.agree5.not_applicable.0"]
    header = []
    for h in rows[0]:
        grid = re.match(r"^How much do you agree with each statement\? \[(.*)\]$", h)
        header.append(f"{GRID_FR} [{english[grid.group(1)]}]" if grid else {
            "Timestamp": "Horodateur", "What is your department?": "Quel est votre service ?",
            "How likely are you to recommend this organisation as a place to work?": PULSE_FR["outcomes.enps.text"],
            "What one change would make serving customers easier?": PULSE_FR["open_questions.improve.text"]}[h])
    body = [[labels.get(c, c) for c in r] for r in rows[1:]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *body])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_the_french_fixture_is_the_english_export_in_french(tmp_path):
    assert _french_google_export(tmp_path / "fr.csv").read_bytes() == (TRANSLATED / "google-forms-fr.csv").read_bytes()
    text = (TRANSLATED / "google-forms-fr.csv").read_text(encoding="utf-8")
    assert "How much" not in text and "Strongly" not in text and "Plutôt d’accord" in text


def test_french_google_forms_export_imports_and_scores_as_the_english_one(tmp_path, cli):
    english = _pulse(tmp_path, "en", False)
    assert cli("--project", english, "import", EXPORTS / "google-forms.csv", "--engagement",
               "example-co-2026-oct", "--salt", "s")[0] == 0
    fr = _pulse(tmp_path, "fr", True)
    code, out, err = cli("--project", fr, "import", TRANSLATED / "google-forms-fr.csv", "--engagement",
                         "example-co-2026-oct", "--salt", "s")
    assert code == 0, err
    assert cli("--project", fr, "validate")[0] == 0  # the fixture catalogue is complete
    a = score_engagement(load_project(fr).engagements["example-co-2026-oct"])
    b = score_engagement(load_project(english).engagements["example-co-2026-oct"])
    assert figures(a) == figures(b)
    assert a["dimensions"][0]["items"][0]["text"] == PULSE_FR["dimensions.helping.items.hp1.text"]
    # The English export still imports into the French engagement: both languages match.
    assert cli("--project", fr, "import", EXPORTS / "google-forms.csv", "--engagement", "example-co-2026-oct",
               "--salt", "s")[0] == 0
    assert figures(score_engagement(load_project(fr).engagements["example-co-2026-oct"])) == figures(b)


# --------------------------------------------------------------------------- property

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80).filter(str.strip)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_filled_catalogue_reads_back_the_same(tiny_questionnaire, data):
    q = tiny_questionnaire
    contexts = [c for c, _ in entries(q)]
    chosen = {c: data.draw(TEXT, label=c) for c in contexts if data.draw(st.booleans())}
    rows = [(c, msgid, chosen.get(c, ""), False, None) for c, msgid, *_ in merged(q, "fr", [])]
    text = po_text(q, "fr", rows, None, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    messages, problems = read_catalogue(text, "x.po")
    assert problems == []
    assert {m.context: m.string for m in messages} == {c: chosen.get(c, "") for c in contexts}
    assert [m.context for m in messages] == contexts
    again, _ = read_catalogue(po_text(q, "fr", merged(q, "fr", messages), None,
                                      dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)), "x.po")
    assert again == messages


@pytest.fixture
def tiny_questionnaire(tiny):
    return load_project(tiny).questionnaires[("tiny", "1.0.0")]


def test_the_command_offers_every_language_but_english():
    from cxsite.choices import TRANSLATABLE
    from cxsite.model import LANGUAGES

    assert TRANSLATABLE == tuple(x for x in LANGUAGES if x != "en")


def test_the_catalogue_is_in_the_provenance_and_the_cache_key(tiny, cli):
    import hashlib

    from cxsite.cache import key_for

    po = french(tiny, cli)
    code, out, _ = cli("--project", tiny, "score", "tiny-2026")
    assert code == 0
    assert json.loads(out)["provenance"]["questionnaire"]["catalogue"] == {
        "language": "fr", "sha256": hashlib.sha256(po.read_bytes()).hexdigest()}
    before = key_for(load_project(tiny).engagements["tiny-2026"])
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "FR Tiny"', 'msgstr "Minuscule"'), encoding="utf-8")
    e = load_project(tiny).engagements["tiny-2026"]
    assert key_for(e) != before  # a cached result of the old wording is not reused
    code, out, _ = cli("--project", tiny, "score", "tiny-2026")
    assert json.loads(out)["assessment"]["title"] == "Minuscule"


def test_a_french_wave_is_compared_with_the_english_wave_before_it(loop, cli):
    """Trends compare the English the translation was made from: the same questions in two languages."""
    followed = [e for e in load_project(loop).engagements.values() if e.previous]
    assert followed
    e = followed[0]
    english = json.loads(cli("--project", loop, "score", e.id)[1])
    assert cli("--project", loop, "translate", e.assessment_id, "--lang", "fr")[0] == 0
    po = next((loop / "assessments").rglob("*.fr.po"))
    fill(po)
    (e.folder / "engagement.yml").write_text((e.folder / "engagement.yml").read_text(encoding="utf-8")
                                             + "language: fr\n", encoding="utf-8")
    french_result = json.loads(cli("--project", loop, "score", e.id)[1])
    assert french_result["dimensions"][0]["title"].startswith("FR ")
    changes = [d["change"] for d in french_result["dimensions"]]
    assert all(c is not None and c["delta"] is not None for c in changes)
    assert changes == [d["change"] for d in english["dimensions"]]


def test_the_french_example_is_complete_and_typeset_in_french():
    """The example's catalogue: every entry translated, none fuzzy, French typography throughout."""
    from cxsite.translations import check

    repo = TESTS.parent
    project = load_project(repo)
    french_waves = [e for e in project.engagements.values() if e.language == "fr"]
    assert [e.id for e in french_waves] == ["rhone-energies-2026-q1"]
    q = french_waves[0].questionnaire
    assert q.language == "fr" and q.title == "Culture de service"
    po = repo / "assessments" / "service-culture.fr.po"
    messages, problems = read_catalogue(po.read_text(encoding="utf-8"), "po")
    got, problems = check(q.english, messages, "po", "fr")
    english = dict(entries(q.english))
    assert problems == [] and len(got) == len(english)
    for ctxt, text in got.items():
        assert "'" not in text and '"' not in text, ctxt  # typographic apostrophes and « guillemets »
        assert not re.search(r"[^\u202f\u00a0][;?!:»]", text), ctxt  # a no-break space before ; ? ! : »
        assert not re.search(r"«[^\u00a0\u202f]", text), ctxt
        assert text != english[ctxt], ctxt  # nothing left in English


def test_a_catalogue_of_the_issue_s_paths_alone_is_complete(tiny, cli):
    """An outcome's customers' wording has an entry of its own, but a catalogue without it is complete:
    customers are then asked the translated text, never the English."""
    yml = tiny / "assessments" / "tiny.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        '{id: nps, text: "Would you recommend us?",', '{id: nps, text: "Would you recommend us?", '
        'customer_text: "Would you recommend them?",'), encoding="utf-8")
    po = french(tiny, cli)
    assert 'msgctxt "outcomes.nps.customer_text"' in po.read_text(encoding="utf-8")
    q = load_project(tiny).engagements["tiny-2026"].questionnaire
    assert q.outcomes[0].customer_text == "FR Would you recommend them?"
    lines = po.read_text(encoding="utf-8").split("\n")
    at = lines.index('msgctxt "outcomes.nps.customer_text"')
    po.write_text("\n".join(lines[:at] + lines[at + 4:]), encoding="utf-8")
    assert cli("--project", tiny, "validate")[0] == 0
    q = load_project(tiny).engagements["tiny-2026"].questionnaire
    assert q.outcomes[0].customer_text is None and q.outcomes[0].text == "FR Would you recommend us?"


def test_a_built_in_questionnaire_is_translated_in_the_project(tmp_path, cli):
    """A practice translates a built-in questionnaire into its own assessments/, never into cxsite's files;
    the packaged French catalogue is where a new one starts from."""
    from cxsite.resources import package_folder

    root = tmp_path / "practice"
    (root / "engagements").mkdir(parents=True)
    packaged = sorted(p.name for p in package_folder("assessments").iterdir())
    code, out, err = cli("--project", root, "translate", "service-culture", "--lang", "fr")
    assert code == 0, err
    po = root / "assessments" / "service-culture.fr.po"
    assert out.startswith("wrote assessments/service-culture.fr.po: 196 entries, 0 untranslated, 0 fuzzy")
    assert 'msgstr "Culture de service"' in po.read_text(encoding="utf-8")
    assert sorted(p.name for p in package_folder("assessments").iterdir()) == packaged
    assert cli("--project", root, "translate", "customer-focus", "--lang", "es")[1].startswith(
        "wrote assessments/customer-focus.es.po: 250 entries, 250 untranslated")


@pytest.mark.parametrize("raw, expected", [
    ("D'accord", (4, "4")), ("d’ACCORD", (4, "4")), ("Agree", (4, "4")), ("4 - Agree", (4, "4")),
    ("Tout à fait d'accord (5)", (5, "5")), ("N/A", ("NA", "Sans objet")), ("sans objet", ("NA", "Sans objet")),
])
def test_an_import_reads_answers_in_either_language(tiny, cli, raw, expected):
    from cxsite.importers.values import answer

    french(tiny, cli)
    scale = load_project(tiny).engagements["tiny-2026"].questionnaire.scales["agree5"]
    assert answer(scale, raw) == expected


def test_an_import_refuses_a_label_of_another_point(tiny, cli):
    from cxsite.importers.values import answer

    french(tiny, cli)
    scale = load_project(tiny).engagements["tiny-2026"].questionnaire.scales["agree5"]
    with pytest.raises(ValueError):
        answer(scale, "3 - Agree")  # number and label disagree: never a guess
