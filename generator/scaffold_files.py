"""The text of the files :mod:`cxsite.scaffold` writes.

Kept apart from the logic so that the wording of a skeleton can change
without touching what checks and writes it. Values from the user arrive
here already quoted for YAML (:func:`cxsite.scaffold.yaml_text`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from . import __version__

# Schemas of the two YAML files init writes that are no cxsite format, so that
# their first line, like every other, names a schema file in the project. Kept
# loose (unknown keys allowed): MkDocs and pre-commit own those formats.
OTHER_SCHEMAS = {
    "mkdocs": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "mkdocs.yml of a cxsite project",
        "description": "The settings a project chooses; Material's full schema is "
                       "https://squidfunk.github.io/mkdocs-material/schema.json",
        "type": "object", "required": ["site_name"],
        "properties": {
            "site_name": {"type": "string", "minLength": 1, "description": "the site's title"},
            "theme": {"type": "object", "required": ["name"],
                      "properties": {"name": {"const": "material"}, "font": {"const": False}}},
            "plugins": {"type": ["array", "object"], "description": "search and cxsite at least"},
        },
    },
    "pre-commit-config": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": ".pre-commit-config.yaml",
        "description": "pre-commit's configuration; see https://pre-commit.com",
        "type": "object", "required": ["repos"],
        "properties": {"repos": {"type": "array", "items": {"type": "object", "required": ["repo"]}}},
    },
}

MKDOCS_YML = """\
# The report site. cxsite's plugin generates the report pages and adds the
# Markdown extensions they need: choose the site's name and colours here.
site_name: {site_name}
theme:
  name: material
  font: false               # system fonts: a report page asks no third party for anything
  palette:                  # primary and accent: any colour name of Material's palette
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle: {{icon: material/weather-night, name: Switch to dark mode}}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: indigo
      toggle: {{icon: material/weather-sunny, name: Switch to light mode}}
plugins:
  - search
  - cxsite
"""

PRE_COMMIT = """\
# Checks every questionnaire, engagement and response file before a commit
# (pip install pre-commit && pre-commit install). The hook is cxsite's own
# 'cxsite-validate' (.pre-commit-hooks.yaml in cxsite's repository), run here
# from the cxsite release this project was made with.
repos:
  - repo: local
    hooks:
      - id: cxsite-validate
        name: cxsite validate
        entry: cxsite validate
        language: python
        additional_dependencies: ["cxsite=={version}"]
        pass_filenames: false
        files: ^(assessments|engagements)/.*\\.(ya?ml|csv)$
"""

GITIGNORE = """\
# Built sites and the scoring cache: made again by every build.
site/
site.zip
.cxsite-cache/
"""

PROJECT_README = """\
# {site_name}

The assessment reports of the practice, built with [cxsite](https://pypi.org/project/cxsite/).

| folder | holds |
|---|---|
| `assessments/` | the practice's questionnaires (`cxsite new questionnaire ID`); cxsite's built-in ones need no file |
| `engagements/<id>/` | one client engagement: `engagement.yml`, `responses.csv`, `actions.yml` (`cxsite new actions ID`) |
| `benchmarks/` | norms a report may name (`benchmark: <name>`), built with `cxsite norms build ID -o benchmarks/<name>.yml` |
| `docs/` | hand-written pages of the site |
| `.cxsite/schemas/` | JSON Schemas of the files, for editors (written by cxsite; do not edit) |

```sh
pip install cxsite
cxsite new engagement acme-2026-q3 --assessment service-culture --client "Acme Ltd" --segments department
cxsite import export.csv --engagement acme-2026-q3   # a survey tool's export becomes responses.csv
cxsite validate                                      # every problem, with its file, line and column
cxsite build                                         # the site, in site/
cxsite build --client "Acme Ltd" --zip               # one client's site, to hand over
```

An engagement whose `responses.csv` holds only its header row is "awaiting responses": it
validates, and its report says so until the answers are in.

Client responses are confidential: keep this repository private.
"""

ABOUT_MD = """\
# Assessment reports

Each report sets out where an organisation stands on one of our questionnaires, what its people
said, and what its leaders can do next. No figure rests on fewer people than the engagement's
anonymity threshold. This text opens the home page, and the list of reports follows it: edit it,
or add other pages beside it in `docs/`.
"""

ASSESSMENTS_README = """\
The practice's own questionnaires, one YAML file each (`cxsite new questionnaire ID` writes a skeleton).
"""

VSCODE_SETTINGS = {
    "yaml.schemas": {
        "./.cxsite/schemas/questionnaire.json": ["assessments/*.yml", "assessments/**/*.yml"],
        "./.cxsite/schemas/engagement.json": ["engagements/*/engagement.yml"],
        "./.cxsite/schemas/ratings.json": ["engagements/*/ratings.yml"],
        "./.cxsite/schemas/actions.json": ["engagements/*/actions.yml"],
        "./.cxsite/schemas/benchmark.json": ["benchmarks/*.yml"],
        "./.cxsite/schemas/mkdocs.json": ["mkdocs.yml"],
    },
    # MkDocs and Material accept these tags; without them the editor marks them as errors.
    "yaml.customTags": ["!ENV scalar", "!ENV sequence", "!relative scalar"],
}

VSCODE_EXTENSIONS = {"recommendations": ["redhat.vscode-yaml"]}


def project_files(root: Path, site_name: str, modeline: Callable[[Path, Path, str], str]) -> dict[Path, str]:
    """Every file of a new project but the schemas: path -> text."""
    from .scaffold import yaml_text

    mkdocs = root / "mkdocs.yml"
    pre_commit = root / ".pre-commit-config.yaml"
    return {
        mkdocs: modeline(mkdocs, root, "mkdocs") + MKDOCS_YML.format(site_name=yaml_text(site_name)),
        pre_commit: modeline(pre_commit, root, "pre-commit-config") + PRE_COMMIT.format(version=__version__),
        root / ".gitignore": GITIGNORE,
        root / "README.md": PROJECT_README.format(site_name=site_name),
        # The home page's introduction: the generated list of reports follows it.
        root / "docs" / "index.md": ABOUT_MD,
        root / "assessments" / "README.md": ASSESSMENTS_README,
        root / "engagements" / ".gitkeep": "",
        root / ".vscode" / "settings.json": json.dumps(VSCODE_SETTINGS, indent=2) + "\n",
        root / ".vscode" / "extensions.json": json.dumps(VSCODE_EXTENSIONS, indent=2) + "\n",
    }


QUESTIONNAIRE_YML = """\
# A skeleton written by 'cxsite new questionnaire': replace the statements and
# texts with your own, then add dimensions. 'cxsite validate' checks it.
id: {qid}
version: 1.0.0
title: {title}
summary: What this questionnaire measures and for whom, in one paragraph for the report cover.
audience: staff
scales:
  agree5:
    points: {{1: Strongly disagree, 2: Disagree, 3: Neither agree nor disagree, 4: Agree, 5: Strongly agree}}
    not_applicable: [N/A]
bands:                      # from 0 up; each band starts where the one before it ends
  - {{id: developing, min: 0, label: Developing, summary: The practices are not yet in place.}}
  - {{id: established, min: 60, label: Established, summary: The practices are in place and consistent.}}
dimensions:
  - id: first-dimension
    title: First dimension
    description: What this dimension is about, for a reader of the report.
    items:
      - {{id: item-1, text: A first statement people agree or disagree with., scale: agree5}}
      - {{id: item-2, text: A second statement of the same dimension., scale: agree5}}
    narratives:
      developing: What a developing score means here.
      established: What an established score means here.
    actions:
      developing: [A first step to take.]
      established: [What to keep doing.]
outcomes:
  - {{id: overall, text: Overall I would recommend this organisation., scale: agree5}}
"""

ENGAGEMENT_YML = """\
# Written by 'cxsite new engagement'. Put the answers in responses.csv (one row per
# respondent, under the header row) or use 'cxsite import'; until then the
# engagement validates and its report says "awaiting responses".
client: {client}
title: {title}
assessment: {assessment}
wave: {wave}
date: {date}            # when fieldwork closed: change it when it does
responses: responses.csv
segments: {segments}
min_group_size: 5           # anonymity threshold: no figure rests on fewer people
# invited: 120              # people invited, for the response rate
"""


def questionnaire_yaml(qid: str, title: str) -> str:
    return QUESTIONNAIRE_YML.format(qid=qid, title=title)


def engagement_yaml(**values: str) -> str:
    return ENGAGEMENT_YML.format(**values)
