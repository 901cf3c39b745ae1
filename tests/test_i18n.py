"""The report in the engagement's language: cxsite's own catalogues, the locale's figures and dates, <html lang>."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from conftest import copy_project
from cxsite.catalogues import POT, extract, pot_text
from cxsite.errors import InputErrors
from cxsite.i18n import LOCALE_DIR, Lang, catalogue_path, lang_for, placeholders, with_lang
from cxsite.load import load_project
from cxsite.model import LANGUAGES
from cxsite.pages import build_pages

TRANSLATED = sorted(set(LANGUAGES) - {"en"})
GOLDEN = Path(__file__).parent / "golden"
NBSP = "\u00a0"


def catalogue(language: str):
    with catalogue_path(LOCALE_DIR, language).open("rb") as fh:
        return read_po(fh)


def forms(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def with_language(project: Path, language: str) -> Path:
    """Every engagement of ``project`` in ``language``, with a complete catalogue of its questionnaire.

    The questionnaire's texts read "FR <English>" (test_translations' fill): this file
    checks cxsite's own strings, not the questionnaire's.
    """
    from test_translations import fill

    from cxsite.cli import main

    if language != "en":
        for q in sorted(project.glob("assessments/*.yml")):
            assert main(["--project", str(project), "translate", q.stem, "--lang", language]) == 0
            fill(q.with_name(f"{q.stem}.{language}.po"))
    for path in sorted(project.glob("engagements/*/engagement.yml")):
        path.write_text(path.read_text(encoding="utf-8") + f"language: {language}\n", encoding="utf-8")
    return project


def english_phrases(language: str, among: set[str] | None = None) -> set[str]:
    """The English phrases of cxsite's msgids (or of those ``among``) that ``language`` translates differently.

    Each msgid is cut at its placeholders, Markdown and punctuation; a
    piece of two or more words of three letters or more is a phrase that
    must not appear on a page in ``language``.
    """
    cut = re.compile(r"%\([a-z_]+\)[sd]|%%|\*\*?|`[^`]*`|\]\([^)]*\)|[\[\]()▲▼◀▶◆·–−:;,.\"]")
    phrases = set()
    for m in catalogue(language):
        if not m.id or set(forms(m.id)) & set(forms(m.string)):
            continue
        if among is not None and forms(m.id)[0] not in among:
            continue
        for msgid in forms(m.id):
            for piece in cut.split(msgid):
                piece = " ".join(piece.split())
                if len([w for w in piece.split() if re.fullmatch(r"[A-Za-z]{3,}", w)]) >= 2:
                    phrases.add(piece)
    return phrases


def found(phrases: set[str], text: str) -> list[str]:
    text = " ".join(text.split())
    return sorted(p for p in phrases if re.search(r"(?<![\w’'])" + re.escape(p) + r"(?![\w’'])", text))


# ---------------------------------------------------------------------------- the catalogues


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_with_its_placeholders(language):
    template = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(POT.open("rb")) if m.id}
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue(language) if m.id}
    assert set(translated) == set(template), "run make messages, then translate the new strings"
    for key, m in translated.items():
        assert not m.fuzzy, key
        wanted = set().union(*(placeholders(i) for i in forms(m.id)))
        for text in forms(m.string):
            assert text.strip(), f"{language}: no translation of {key!r}"
            assert placeholders(text) == wanted, f"{language}: placeholders of {key!r}"
            assert text.count("%%") == sum(i.count("%%") for i in forms(m.id)) // len(forms(m.id)), key


def test_plural_forms_follow_the_language():
    """French counts 0 and 1 in the singular; German and Spanish only 1 (each catalogue's Plural-Forms)."""
    for language, zero in [("fr", "0 commentaire."), ("de", "0 Kommentare."), ("es", "0 comentarios.")]:
        lang = lang_for(language)
        assert lang.ngettext("%(num)d comment.", "%(num)d comments.", 0) % {"num": 0} == zero
        assert not catalogue(language).fuzzy


def test_the_committed_template_is_current():
    """A new English string without its translations fails here (make messages writes it)."""
    assert pot_text(extract()) == POT.read_bytes()


def test_french_typography():
    """A non-breaking space before : ; ? ! % and inside « », as French sets them; no bare quotes."""
    for m in catalogue("fr"):
        if not m.id:
            continue
        for text in forms(m.string):
            prose = re.sub(r"`[^`]*`|\]\([^)]*\)|%\([a-z_]+\)[sd]", "x", text)
            assert not re.search(r"[^\s\u00a0\u202f][:;?!%](?=[\s*]|$)", prose.replace("%%", "%")), text
            assert not re.search(r"[ ][:;?!%]|« | »|\"", prose), text


# ---------------------------------------------------------------------------- figures and dates


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_a_percentage_has_the_same_digits_in_every_language(share):
    english = Lang("en").percent(share)
    assert Lang("fr").percent(share) == english.replace("%", f"{NBSP}%")
    assert Lang("de").percent(share) == english.replace("%", f"{NBSP}%")


def test_figures_follow_the_locale():
    fr = lang_for("fr")
    assert fr.percent(0.532, 1) == f"53,2{NBSP}%"
    assert fr.fixed(3.256, 2) == "3,26"
    assert lang_for("en").percent(0.532, 1) == "53.2%"
    import datetime as dt

    day = dt.date(2026, 9, 25)
    assert fr.date(day) == "25 septembre 2026"
    assert lang_for("de").date(day) == "25. September 2026"
    assert lang_for("es").date(day) == "25 de septiembre de 2026"
    assert lang_for("en").date(day) == "25 September 2026"


def test_a_reason_formatted_from_a_msgid_is_translated_back():
    fr = lang_for("fr")
    reason = ("fewer than 50 respondents answered the outcome and every dimension "
              "(at least 50 and 10 per dimension are needed for stable weights)")
    assert fr.translated(reason).startswith("moins de 50 répondants")
    assert fr.translated("reworded") == "reformulée"
    assert fr.translated("a reason no catalogue has") == "a reason no catalogue has"


def test_the_pdf_footer_numbers_pages_in_the_reports_language():
    from cxsite.pdf import PAGE_OF, footer

    numbers = '<span class="pageNumber"></span>', '<span class="totalPages"></span>'
    fr = footer("Acme <&> Co", lang_for("fr").gettext(PAGE_OF))
    assert "Page {} sur {}".format(*numbers) in fr and "Acme &lt;&amp;&gt; Co" in fr
    assert "Seite {} von {}".format(*numbers) in footer("x", lang_for("de").gettext(PAGE_OF))
    # A project's translation that does not format gives the English numbers, not a failed print.
    assert "Page {} of {}".format(*numbers) in footer("x", "Page %(page)s de %(total)s")
    assert "&lt;b&gt;" in footer("x", "<b>%(page)s</b> %(pages)s")  # a translation is text too


def test_html_lang_is_replaced_once():
    page = '<!doctype html>\n<html lang="en" class="no-js"><body><code>&lt;html lang="en"</code><html lang="en"'
    out = with_lang(page, "fr")
    assert out.startswith('<!doctype html>\n<html lang="fr" class="no-js">')
    assert out.count('lang="en"') == 2  # only the document's own tag changes
    assert with_lang("<p>no document tag</p>", "fr") == "<p>no document tag</p>"


# ---------------------------------------------------------------------------- the pages


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    """The loop project (trend, actions, benchmark) with every engagement in French, and its pages."""
    project = with_language(copy_project("loop", tmp_path_factory.mktemp("fr")), "fr")
    return project, build_pages(load_project(project))


def test_french_pages_have_no_english_ui_phrase(french):
    _, site = french
    phrases = english_phrases("fr")
    assert len(phrases) > 300
    pages = {p: t for p, t in site.pages.items() if site.languages.get(p) == "fr"}
    assert len(pages) > 10
    for path, text in pages.items():
        assert found(phrases, text) == [], path


def test_french_pages_show_french_figures_and_dates(french):
    _, site = french
    overview = site.pages["engagements/tiny-2026/index.md"]
    assert "terrain clos le 30 juin 2026" in overview
    assert re.search(rf"^# Tiny Co{NBSP}: \S", overview, re.M)  # French typography in the heading too
    assert re.search(rf"\d+{NBSP}% favorables", overview)
    assert not re.search(r"\d%", overview.split("<svg")[0])
    dimension = site.pages["engagements/tiny-2026/dimensions/d1.md"]
    assert re.search(r"\| \d,\d\d \|", dimension)  # the mean, with a decimal comma
    assert "## Calcul des chiffres" in site.pages["engagements/tiny-2026/methodology.md"]
    # A link to a translated heading takes the heading's French anchor (the heading: "Fiabilité des chiffres").
    assert "(methodology.md#fiabilite-des-chiffres)" in site.pages["engagements/tiny-2027/index.md"]


def test_french_scores_equal_english_ones(french, tmp_path):
    project, site = french
    english = build_pages(load_project(copy_project("loop", tmp_path)))
    # The figures, not the texts: the questionnaire's texts are translated.
    assert sorted(site.results) == sorted(english.results)
    for eid, result in site.results.items():
        assert numbers(result) == numbers(english.results[eid]), eid
        assert len(numbers(result)) > 50


def numbers(value, path: str = "") -> dict:
    """Every number of a result by its path (counts, scores, shares, intervals, p-values)."""
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in numbers(item, f"{path}.{key}").items()}
    if isinstance(value, list):
        return {k: v for i, item in enumerate(value) for k, v in numbers(item, f"{path}[{i}]").items()}
    return {path: value} if isinstance(value, (int, float)) and not isinstance(value, bool) else {}


@pytest.mark.parametrize("language, summary, date", [
    ("de", "## Zusammenfassung", "Feldphase beendet am 30. Juni 2026"),
    ("es", "## Resumen", "trabajo de campo cerrado el 30 de junio de 2026"),
])
def test_german_and_spanish_overview(tmp_path, language, summary, date):
    site = build_pages(load_project(with_language(copy_project("tiny", tmp_path), language)))
    overview = site.pages["engagements/tiny-2026/index.md"]
    assert summary in overview and date in overview
    assert found(english_phrases(language), overview) == []


def test_english_pages_are_unchanged_when_the_language_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # the golden pages' clock (test_pages)
    site = build_pages(load_project(with_language(copy_project("tiny", tmp_path), "en")))
    for path, text in site.pages.items():
        assert text == (GOLDEN / "tiny" / path).read_text(encoding="utf-8"), path


def test_a_project_catalogue_overrides_an_entry(tmp_path):
    project = with_language(copy_project("tiny", tmp_path), "fr")
    own = project / "site_templates" / "locale" / "fr" / "LC_MESSAGES"
    own.mkdir(parents=True)
    (own / "cxsite.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                   'msgid "Summary"\nmsgstr "L’essentiel du cabinet"\n', encoding="utf-8")
    site = build_pages(load_project(project), project / "site_templates")
    overview = site.pages["engagements/tiny-2026/index.md"]
    assert "## L’essentiel du cabinet" in overview
    assert "## Les dimensions en un coup d’œil" in overview  # the packaged entries still apply


@pytest.mark.parametrize("body, line, expected", [
    ('msgid "Summary"\nmsgstr "Résumé %(x)s"\n', 4, "uses %(x)s, which its msgid does not give"),
    ('msgid "Sumary"\nmsgstr "Résumé"\n', 4, "is not one of cxsite's strings"),
    ('msgid "Summary"\nmsgtsr "Résumé"\n', 5, "Unknown or misformatted keyword; correct the catalogue"),
])
def test_a_bad_project_catalogue_is_located(tmp_path, body, line, expected):
    project = with_language(copy_project("tiny", tmp_path), "fr")
    own = project / "site_templates" / "locale" / "fr" / "LC_MESSAGES"
    own.mkdir(parents=True)
    (own / "cxsite.po").write_text('msgid ""\nmsgstr ""\n\n' + body, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        build_pages(load_project(project), project / "site_templates")
    text = str(caught.value)
    assert f"site_templates/locale/fr/LC_MESSAGES/cxsite.po:{line}:" in text, text
    assert expected in text


# ---------------------------------------------------------------------------- built sites: <html lang>


def html_lang(page: Path) -> str:
    return re.search(r'<html lang="([^"]*)"', page.read_text(encoding="utf-8")).group(1)


@pytest.mark.slow
def test_built_site_sets_lang_per_page(tmp_path, cli):
    project = with_language(copy_project("tiny", tmp_path), "fr")
    code, _, err = cli("--project", project, "build", "--site-dir", tmp_path / "site")
    assert code == 0, err
    site = tmp_path / "site"
    report = sorted((site / "engagements").rglob("*.html"))
    assert report and all(html_lang(p) == "fr" for p in report)
    assert html_lang(site / "index.html") == "en"  # outside any engagement: the theme's language
    code, _, err = cli("--project", project, "build", "--client", "Tiny Co", "--site-dir", tmp_path / "client")
    assert code == 0, err
    pages = sorted((tmp_path / "client").rglob("*.html"))
    assert pages and all(html_lang(p) == "fr" for p in pages)
    assert "Rechercher" in (tmp_path / "client" / "index.html").read_text(encoding="utf-8")  # Material in French



@pytest.mark.slow
@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_other_engines_carry_the_same_lang(engine, tmp_path, cli):
    project = with_language(copy_project("tiny", tmp_path), "de")
    code, _, err = cli("--project", project, "build", "--engine", engine, "--site-dir", tmp_path / "site")
    assert code == 0, err
    site = tmp_path / "site"
    report = sorted((site / "engagements").rglob("*.html"))
    assert report and all(html_lang(p) == "de" for p in report), [(p, html_lang(p)) for p in report]
    assert html_lang(site / "index.html") == "en"
    code, _, err = cli("--project", project, "render", "--client", "Tiny Co", "--out", tmp_path / "rendered")
    assert code == 0, err
    assert "language: de" in (tmp_path / "rendered" / "mkdocs.yml").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- leader reports (cxsite build --leaders)


def leader_msgids() -> set[str]:
    """The msgids of the leader reports, as extracted: their templates' and the Python's that writes their sites."""
    ours = ("site_templates/leader", "generator/leader")
    return {forms(m.id)[0] for m in extract() if m.id and any(path.startswith(ours) for path, _ in m.locations)}


def leader_site_files(project: Path) -> list[dict[str, str]]:
    """Every reported leader's site sources (Markdown, mkdocs.yml, the print page) as the build renders them."""
    from cxsite.leader_pages import views
    from cxsite.leader_sites import site_files
    from cxsite.render import make_environment

    e = load_project(project).engagements["tiny-2026"]
    result, leaders = views(e)
    env = make_environment(project / "site_templates", e.language)
    return [{p: t for p, t in site_files(env, e, result, v).items() if not p.endswith(".css")}
            for v in leaders if not v["leader"]["suppressed"]]


def leader_project(folder: Path) -> Path:
    """tiny with test_leaders' seeded organisation four levels deep (leaders at levels 1 and 2)."""
    from test_leaders import _project

    project = copy_project("tiny", folder)
    _project(project, size=160, levels=(1, 2))
    return project


def theme_language(files: dict[str, str]) -> str:
    import yaml

    return yaml.safe_load(files["mkdocs.yml"])["theme"]["language"]


@pytest.fixture(scope="module")
def french_leaders(tmp_path_factory):
    """The leaders' site sources in English, then in French, and the French sites built."""
    from cxsite.cli import main

    project = leader_project(tmp_path_factory.mktemp("leaders-fr"))
    english = leader_site_files(project)
    with_language(project, "fr")
    out = project.parent / "leaders-out"
    assert main(["--project", str(project), "build", "--leaders", "--out", str(out)]) == 0
    return project, out, english, leader_site_files(project)


def test_french_leader_pages_have_no_english_ui_phrase(french_leaders):
    _, _, english, french = french_leaders
    ours = english_phrases("fr", leader_msgids())
    assert len(ours) > 40
    # The check sees English where it is: the same leaders' English pages show most of the leader phrases.
    shown = {p for files in english for text in files.values() for p in found(ours, text)}
    assert len(shown) > 30, sorted(ours - shown)
    assert {theme_language(files) for files in english} == {"en"}
    assert all("title: Your report, to print\n" in files["docs/print.md"] for files in english)
    everything = english_phrases("fr")
    assert len(french) == len(english) > 3
    for files in french:
        assert theme_language(files) == "fr"
        assert "title: Votre rapport, à imprimer\n" in files["docs/print.md"]
        for path, text in files.items():
            assert found(everything, text) == [], path


def test_french_leader_pages_show_french_texts_and_figures(french_leaders):
    project, _, english, french = french_leaders
    texts = [i.text for i in load_project(project).engagements["tiny-2026"].questionnaire.items]
    assert texts and all(t.startswith("FR ") for t in texts)  # the engagement's translated questionnaire
    charts = 0
    for files in french:
        page = files["docs/index.md"]
        words = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)  # the page's words, not the chart's
        for text in texts:
            assert text in page and words.count(text[3:]) == words.count(text), text
        assert re.search(rf"\*\*\d+{NBSP}%\*\*", words) and not re.search(r"\d%", words)
        if "<svg" in page:  # the heatmap of the teams below: its title, its rows
            charts += 1
            assert "Scores par dimension de votre périmètre" in page and "Équipe de Name " in page
            assert "Your line" not in page and "Team of" not in page
    assert charts and any("<svg" in files["docs/index.md"] for files in english)


def test_french_leader_sites_carry_lang_and_materials_french(french_leaders):
    _, out, _, french = french_leaders
    sites = sorted(p for p in (out / "tiny-2026").iterdir() if p.is_dir())
    assert len(sites) == len(french)
    for site in sites:
        pages = sorted(site.rglob("*.html"))
        assert len(pages) >= 4 and all(html_lang(p) == "fr" for p in pages), site
        home = (site / "index.html").read_text(encoding="utf-8")
        assert "Rechercher" in home and ">Votre rapport<" in home.replace("\n", "").replace("  ", "")
        assert "<title>Votre rapport, à imprimer" in (site / "print" / "index.html").read_text(encoding="utf-8")


def test_german_leader_pages(tmp_path):
    project = with_language(leader_project(tmp_path), "de")
    phrases = english_phrases("de")
    sites = leader_site_files(project)
    assert sites
    for files in sites:
        assert theme_language(files) == "de" and "- Ihr Bericht: index.md" in files["mkdocs.yml"]
        assert "## Aussage für Aussage" in files["docs/index.md"]
        for path, text in files.items():
            assert found(phrases, text) == [], path


def test_a_respondent_outside_the_hierarchy_is_noted_in_french(french_leaders):
    """The data-quality note of issue 22 (two respondents in no leader's line) on the French methodology page."""
    project = french_leaders[0]
    page = build_pages(load_project(project)).pages["engagements/tiny-2026/methodology.md"]
    assert page.count("identifiant d’employé absent de la hiérarchie") == 2
    assert "not in the hierarchy" not in page
