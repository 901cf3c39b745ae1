"""cxsite init and cxsite new: every file written validates as it is, nothing is overwritten."""

import csv
import json
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
import yaml

from cxsite.assembly import PAGE_EXTENSIONS
from cxsite.mkdocs_plugin import add_page_extensions
from cxsite.pages import build_pages
from cxsite.load import load_project

MODELINE = "# yaml-language-server: $schema="
EPOCH_2026_08_14 = "1786708800"  # 2026-08-14 12:00 UTC: a wave of 2026 Q3


@pytest.fixture
def project(tmp_path, cli, monkeypatch):
    """A project made by cxsite init, with one questionnaire and one engagement made by cxsite new."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_08_14)
    root = tmp_path / "practice"
    assert cli("init", root)[0] == 0
    assert cli("--project", root, "new", "questionnaire", "pulse")[0] == 0
    code, out, err = cli("--project", root, "new", "engagement", "acme-2026", "--assessment", "pulse",
                         "--client", "Acme Ltd", "--segments", "team,region")
    assert code == 0, err
    return root


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_init_writes_the_project_files(project):
    for name in ("mkdocs.yml", "assessments", "engagements", "docs/index.md", ".gitignore",
                 ".pre-commit-config.yaml", ".vscode/settings.json", "README.md"):
        assert (project / name).exists(), name
    mkdocs = yaml.safe_load((project / "mkdocs.yml").read_text())
    assert mkdocs["plugins"] == ["search", "cxsite"]
    assert mkdocs["theme"]["font"] is False and mkdocs["theme"]["palette"]
    assert "markdown_extensions" not in mkdocs  # the plugin adds them
    assert {"site/", ".cxsite-cache/"} <= set((project / ".gitignore").read_text().splitlines())
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    assert [h["id"] for r in hooks["repos"] for h in r["hooks"]] == ["cxsite-validate"]


def test_vscode_settings_map_schemas_that_exist(project):
    schemas = json.loads((project / ".vscode" / "settings.json").read_text())["yaml.schemas"]
    assert schemas["./.cxsite/schemas/questionnaire.json"] == ["assessments/*.yml", "assessments/**/*.yml"]
    assert schemas["./.cxsite/schemas/engagement.json"] == ["engagements/*/engagement.yml"]
    for schema in schemas:
        json.loads((project / schema).read_text())


def test_every_yaml_file_written_names_its_schema_and_passes_it(project):
    written = sorted(p for p in project.rglob("*") if p.suffix in (".yml", ".yaml"))
    assert len(written) == 4  # mkdocs, pre-commit, the questionnaire, the engagement
    for path in written:
        first = path.read_text().splitlines()[0]
        assert first.startswith(MODELINE), path
        schema = (path.parent / first[len(MODELINE):]).resolve()
        assert schema.is_relative_to(project / ".cxsite" / "schemas"), path
        data = yaml.safe_load(path.read_text())
        if "date" in data:
            data["date"] = data["date"].isoformat()  # YAML reads a date; JSON has strings
        jsonschema.validate(data, json.loads(schema.read_text()))


def test_everything_written_validates_and_says_awaiting(project, cli):
    code, out, err = cli("--project", project, "validate")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "ok: 1 questionnaire, 1 engagement",
        "engagements/acme-2026/engagement.yml: awaiting responses "
        "(engagements/acme-2026/responses.csv holds its header row only)"]


def test_engagement_gets_the_clock_date_a_wave_and_a_pinned_questionnaire(project):
    doc = yaml.safe_load((project / "engagements" / "acme-2026" / "engagement.yml").read_text())
    assert doc["date"].isoformat() == "2026-08-14"
    assert doc["wave"] == "2026 Q3"
    assert doc["assessment"] == "pulse@1.0.0"
    assert (doc["client"], doc["segments"]) == ("Acme Ltd", ["team", "region"])


def test_responses_hold_exactly_the_header_the_questionnaire_needs(tiny, cli):
    code, _, err = cli("--project", tiny, "new", "engagement", "next-wave", "--assessment", "tiny",
                       "--client", "Tiny Co", "--wave", "2027", "--segments", "team")
    assert code == 0, err
    rows = _header(tiny / "engagements" / "next-wave" / "responses.csv")
    assert rows == [["a", "b", "c", "d", "e", "nps", "why", "team"]]
    assert "wave: \"2027\"" in (tiny / "engagements" / "next-wave" / "engagement.yml").read_text()
    code, out, _ = cli("--project", tiny, "validate")
    assert code == 0 and "engagements/next-wave/engagement.yml: awaiting responses" in out
    assert "tiny-2026" not in out  # an engagement with responses is not awaiting


def test_header_only_responses_validate(tiny, cli):
    """The engagement the scaffolding writes, made by hand: a header row only."""
    path = tiny / "engagements" / "tiny-2026" / "responses.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    code, out, err = cli("--project", tiny, "validate")
    assert (code, err) == (0, "")
    assert "engagements/tiny-2026/engagement.yml: awaiting responses" in out


def test_awaiting_engagement_pages_show_no_figures(project):
    site = build_pages(load_project(project))
    pages = sorted(p for p in site.pages if p.startswith("engagements/acme-2026/"))
    assert pages == ["engagements/acme-2026/index.md", "engagements/acme-2026/print.md"]
    overview = site.pages["engagements/acme-2026/index.md"]
    assert '!!! info "Awaiting responses"' in overview and "engagement is awaiting responses" in overview
    assert "out of 100" not in overview
    assert "| awaiting responses |" in site.pages["index.md"]


@pytest.mark.slow
def test_scaffolded_project_builds_strict_with_only_search_and_cxsite(project, cli):
    code, _, err = cli("--project", project, "build")
    assert code == 0, err
    html = (project / "site" / "engagements" / "acme-2026" / "index.html").read_text()
    # Rendered, not printed as Markdown: the plugin added admonition itself.
    assert '<div class="admonition info">' in html and "!!!" not in html
    assert "Awaiting responses" in html


def test_plugin_adds_the_page_extensions_and_keeps_the_users_choices():
    bare = SimpleNamespace(markdown_extensions=["toc", "tables", "fenced_code"], mdx_configs={})
    add_page_extensions(bare)
    assert set(PAGE_EXTENSIONS) <= set(bare.markdown_extensions)
    assert len(bare.markdown_extensions) == len(set(bare.markdown_extensions))
    assert bare.mdx_configs["toc"] == {"permalink": True}
    # A project that lists its extensions chose its toc: no permalinks added to its headings.
    mine = SimpleNamespace(markdown_extensions=["toc", "tables", "fenced_code", "admonition"], mdx_configs={})
    add_page_extensions(mine)
    assert mine.mdx_configs == {}
    assert mine.markdown_extensions.count("admonition") == 1 and "md_in_html" in mine.markdown_extensions


def test_new_questionnaire_skeleton_validates(tiny, cli):
    code, out, err = cli("--project", tiny, "new", "questionnaire", "my-survey", "--title", 'A "quoted" title')
    assert code == 0, err
    code, out, err = cli("--project", tiny, "validate")
    assert (code, out) == (0, "ok: 2 questionnaires, 1 engagement\n"), err
    q = load_project(tiny).latest("my-survey")
    assert q.title == 'A "quoted" title'
    assert (len(q.scales), len(q.dimensions), len(q.items), len(q.outcomes)) == (1, 1, 2, 1)
    assert len(q.bands) >= 2


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, cli):
    dest = tmp_path / "p"
    dest.mkdir()
    (dest / "mkdocs.yml").write_text("site_name: mine\n")
    code, out, err = cli("init", dest)
    assert code == 1 and "Traceback" not in err
    assert err == (f"{dest}: is not empty; cxsite init writes a project only into a new or empty folder, "
                   "so that nothing is overwritten: name another folder\n")
    assert [p.name for p in dest.iterdir()] == ["mkdocs.yml"]
    assert (dest / "mkdocs.yml").read_text() == "site_name: mine\n"


def test_new_refuses_to_overwrite(tiny, cli):
    before = (tiny / "engagements" / "tiny-2026" / "engagement.yml").read_bytes()
    code, _, err = cli("--project", tiny, "new", "engagement", "tiny-2026", "--assessment", "tiny", "--client", "X")
    assert code == 1
    assert err == ("engagements/tiny-2026: already exists; cxsite never overwrites an engagement: "
                   "choose another id\n")
    assert (tiny / "engagements" / "tiny-2026" / "engagement.yml").read_bytes() == before
    code, _, err = cli("--project", tiny, "new", "questionnaire", "tiny")
    assert code == 1
    assert err == "assessments/tiny.yml: already defines questionnaire 'tiny'; choose another id, or edit that file\n"


@pytest.mark.parametrize("args, message", [
    (["Bad_Id!", "--assessment", "tiny", "--client", "X"],
     "Bad_Id!: is not a valid engagement id; use lowercase letters, digits, '-' and '_', "
     "starting with a letter or digit (e.g. acme-2026-q3)"),
    (["e1", "--assessment", "tinny", "--client", "X"],
     "--assessment: unknown assessment 'tinny' (did you mean 'tiny'?); expected one of"),
    (["e1", "--assessment", "tiny@9.9.9", "--client", "X"],
     "--assessment: questionnaire 'tiny' has no version 9.9.9; available: '1.0.0'"),
    (["e1", "--assessment", "tiny", "--client", "X", "--segments", "team,a"],
     "--segments: 'a' is the name of a question column of 'tiny'; a segment must be a column of its own"),
    (["e1", "--assessment", "tiny", "--client", "X", "--segments", "team,team"],
     "--segments: a segment is listed twice"),
    (["e1", "--assessment", "tiny", "--client", "X", "--segments", "Team Name"],
     "--segments: 'Team Name' is not a valid column name; use lowercase letters, digits, '-' and '_' "
     "(e.g. --segments department,region)"),
    (["e1", "--assessment", "tiny", "--client", "  "], "--client: must be text on one line, not empty"),
    (["e1", "--assessment", "tiny", "--client", "X", "--wave", "a\nb"],
     "--wave: must be text on one line, not empty"),
])
def test_new_engagement_bad_arguments(tiny, cli, args, message):
    code, out, err = cli("--project", tiny, "new", "engagement", *args)
    assert code == 1 and "Traceback" not in err
    assert err.startswith(message), err
    assert sorted(p.name for p in (tiny / "engagements").iterdir()) == ["tiny-2026"]  # nothing written


def test_a_questionnaire_with_problems_is_reported_not_used(tiny, cli):
    (tiny / "assessments" / "other.yml").write_text(
        (tiny / "assessments" / "tiny.yml").read_text().replace("id: tiny", "id: other")
        .replace("bands:\n", "bands:\n  - {id: low, min: 0, label: Low, summary: Low.}\n", 1))
    code, _, err = cli("--project", tiny, "new", "engagement", "e1", "--assessment", "other", "--client", "X")
    assert code == 1 and err.startswith("assessments/other.yml:"), err
    assert not (tiny / "engagements" / "e1").exists()


def test_engagement_the_loader_refuses_is_not_left_behind(tiny, cli, monkeypatch):
    """The loader has the last word: what it refuses is removed again, with its located message."""
    from cxsite import scaffold_files

    monkeypatch.setattr(scaffold_files, "ENGAGEMENT_YML", scaffold_files.ENGAGEMENT_YML + "colour: red\n")
    code, _, err = cli("--project", tiny, "new", "engagement", "e1", "--assessment", "tiny", "--client", "X")
    assert code == 1
    assert err.startswith("engagements/e1/engagement.yml:14:1: unknown key 'colour'"), err
    assert not (tiny / "engagements" / "e1").exists()


@pytest.mark.parametrize("command", [["questionnaire", "q1"],
                                     ["engagement", "e1", "--assessment", "tiny", "--client", "X"]])
def test_new_outside_a_project_is_refused(tmp_path, cli, command):
    code, _, err = cli("--project", tmp_path, "new", *command)
    assert code == 1
    assert err == (f"{tmp_path}: is not a cxsite project (no assessments/ folder); run in a project root, "
                   "pass --project DIR, or make a project with 'cxsite init DIR'\n")
    assert list(tmp_path.iterdir()) == []
