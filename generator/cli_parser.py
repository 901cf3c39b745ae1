"""The command line's grammar: every subcommand, its options and their help.

:mod:`cxsite.cli` runs the commands; this module only says what each takes.
Every subcommand is named by the ``handler`` it sets (``"build"``,
``"new engagement"``), which ``cli.COMMANDS`` maps to a function.

Global options (``--project``) are accepted before or after the subcommand,
as the README promises: each subcommand takes them too, without a default of
its own, so a value given before the subcommand is not overwritten.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .choices import ENGINES, EXPORT_AUDIENCES, EXPORT_FORMATS, GENERIC, GENERIC_TABLES, SCHEMA_KINDS, SURVEY_TOOLS

PROJECT_HELP = "the project's root folder (default: the current folder); before or after the command"
PDF_NEEDS = ("needs the 'pdf' extra (pip install 'cxsite[pdf]', which brings Playwright) and a "
             "Chromium on the machine (Debian's 'chromium' package, or CXSITE_CHROMIUM)")


def project_root(args: argparse.Namespace) -> Path:
    """The project the command works on: ``--project DIR`` (before or after the command), else the current folder."""
    return Path(args.project).resolve() if args.project else Path.cwd()


def _command(sub, common, name: str, says: str, handler: str | None = None) -> argparse.ArgumentParser:
    """A subcommand taking the global options, named by the ``handler`` it sets (default: its name).

    ``says`` is its line in ``cxsite --help``.
    """
    command = sub.add_parser(name, parents=[common], help=says)
    command.set_defaults(handler=handler or name)
    return command


def _globals() -> argparse.ArgumentParser:
    """The options every subcommand accepts as well as the main command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS, help=PROJECT_HELP)
    return common


def import_source_kind(value: str) -> str:
    """``--from``: a survey tool, or ``generic`` (plain columns; CSV, TSV or XLSX alike).

    ``csv`` and ``xlsx`` were accepted before ``generic`` and still are: they
    named file formats among the tools, though the file's own format is read
    from the file.
    """
    if value in GENERIC_TABLES:
        return GENERIC
    if value not in (*SURVEY_TOOLS, GENERIC):
        raise argparse.ArgumentTypeError(
            f"unknown tool '{value}'; expected one of {', '.join(SURVEY_TOOLS)} or generic")
    return value


def _add_validate_score(sub, common) -> None:
    v = _command(sub, common, "validate", says="check questionnaires, engagements and responses")
    v.add_argument("paths", nargs="*", help="files or engagement folders (default: everything)")
    v.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (default), or json: {valid, problems: [{path, line, col, code, message}]} on stdout")

    s = _command(sub, common, "score", says="print an engagement's results")
    s.add_argument("engagement", metavar="ID|DIR", help="the engagement's id, or its folder")
    s.add_argument("--format", choices=("json", "csv"), default="json",
                   help="json (default; the contract in the README) or csv (one figure a row)")
    s.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def _add_import(sub, common) -> None:
    im = _command(sub, common, "import", says="turn a survey-tool export into an engagement's responses")
    im.add_argument("source", help="the export: CSV, TSV or XLSX (or assessor ratings in YAML)")
    im.add_argument("--engagement", required=True, metavar="ID|DIR", help="the engagement's id, or its folder")
    im.add_argument("--from", dest="tool", type=import_source_kind, metavar="TOOL",
                    help=f"the survey tool that made the export: {', '.join(SURVEY_TOOLS)}, or generic for "
                         "a table of one header row (default: detected from the headers)")
    im.add_argument("--encoding", help="the file's text encoding, e.g. cp1252 (default: detected)")
    im.add_argument("--columns", metavar="FILE",
                    help="YAML map of export headers to question ids, or to ignore to leave a column out")
    im.add_argument("--salt", help="salt for hashing respondent ids (default: random, kept nowhere)")
    im.add_argument("--dry-run", action="store_true",
                    help="write nothing: show what each column would become (matched, dropped as "
                         "metadata, dropped as personal, ignored, unknown); exit 1 if the import would fail")


def _add_build(sub, common) -> None:
    b = _command(sub, common, "build", says="build the report site")
    b.add_argument("--site-dir", metavar="DIR", help="output folder (default: site/); not with --all-clients")
    b.add_argument("--client", help="build only this client's engagements (name or slug)")
    b.add_argument("--engagement", action="append", metavar="ID",
                   help="build only this engagement (repeatable); its earlier waves (for the trend) and its "
                        "customers' and assessor waves (for the mirror) are built too, and named when the build ends")
    b.add_argument("--no-strict", action="store_true", help="do not treat MkDocs warnings as errors")
    b.add_argument("--pdf", action="store_true", help="also print one PDF per engagement (with --leaders: per leader, <folder>.pdf beside "
                        f"their site); {PDF_NEEDS}")
    b.add_argument("--all-clients", action="store_true", help="one site per client, in --out DIR/<client>/")
    b.add_argument("--leaders", action="store_true",
                   help="one site per leader of each engagement with a hierarchy, in --out DIR/<engagement>/ "
                        "(with --pdf, a PDF per leader too)")
    b.add_argument("--out", metavar="DIR", help="with --all-clients: where the client sites go")
    b.add_argument("--jobs", type=int, metavar="N", help="with --all-clients or --leaders: build N clients (leaders) at once (default 1)")
    b.add_argument("--shard", metavar="I/N", help="with --all-clients or --leaders: build only slice I of N (1-based)")
    b.add_argument("--force", action="store_true",
                   help="with --all-clients: rebuild every client, even those whose inputs did not change")
    b.add_argument("--zip", action="store_true",
                   help="build for opening from disk (file://) and write SITE_DIR.zip beside the site "
                        "(with --all-clients, <client>.zip beside each client's site)")
    b.add_argument("--engine", choices=ENGINES, default="mkdocs",
                   help="what builds the site: mkdocs (default, through the cxsite plugin), or properdocs or "
                        "zensical building the folder 'cxsite render' makes; each but mkdocs is an optional "
                        "extra (pip install 'cxsite[zensical]')")


def _add_render(sub, common) -> None:
    r = _command(sub, common, "render",
                 says="write the site's source (docs/ and mkdocs.yml) for any MkDocs-compatible builder")
    r.add_argument("--out", required=True, metavar="DIR",
                   help="the folder to write: DIR/docs/ and DIR/mkdocs.yml (replaced if cxsite made it)")
    r.add_argument("--client", help="only this client's engagements (name or slug)")
    r.add_argument("--engagement", action="append", metavar="ID",
                   help="only this engagement (repeatable); its earlier waves (for the trend) and its "
                        "customers' and assessor waves (for the mirror) come too")
    r.add_argument("--pdf", action="store_true",
                   help="link each overview to its PDF (engagements/<id>/<id>.pdf, which cxsite build --pdf prints)")
    r.add_argument("--zip", action="store_true",
                   help="a site for opening from disk (file://): the offline plugin, and the search shim shipped")


def _add_serve_schema(sub, common) -> None:
    sv = _command(sub, common, "serve",
                        says="live preview; rebuilds when a questionnaire or response changes")
    sv.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                    help="where to serve the preview (default: 127.0.0.1:8000)")
    sv.add_argument("--client", metavar="NAME", help="preview only this client's engagements")
    sv.add_argument("--engagement", action="append", metavar="ID", help="preview only this engagement (repeatable)")

    sc = _command(sub, common, "schema", says="print the JSON Schema of a file format")
    sc.add_argument("kind", choices=SCHEMA_KINDS,
                    help="the format: questionnaire (assessments/*.yml), engagement (engagement.yml) or "
                         "ratings (assessor ratings)")


def _add_lifecycle(sub, common) -> None:
    """``diff`` and ``export``: questionnaire versions compared, and questionnaires for fielding."""
    d = _command(sub, common, "diff",
                       says="what changed between two questionnaire versions, and the bump it needs")
    d.add_argument("old", metavar="ID@A", help="questionnaire id and version, e.g. service-culture@1.0.0")
    d.add_argument("new", metavar="ID@B", help="the other version (ID alone: the newest)")
    d.add_argument("--format", choices=("text", "json"), default="text",
                   help="text (default), or json: {from, to, bump, version_bump, allowed, added, removed, "
                        "reworded, rekeyed, rescaled, moved, compared, items, bands, other}")

    e = _command(sub, common, "export",
                       says="a questionnaire in a survey tool's import format, for fielding")
    e.add_argument("questionnaire", metavar="ID[@VERSION]", help="questionnaire id, optionally pinned")
    e.add_argument("--to", required=True, choices=EXPORT_FORMATS,
                   help="the format: surveyjs (JSON), qualtrics-txt (Advanced Format TXT) or csv-template "
                        "(the responses header cxsite import expects)")
    e.add_argument("--audience", choices=EXPORT_AUDIENCES,
                   help="whose wording: staff (text) or customers (customer_text); default: the questionnaire's")
    e.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")


def _add_scaffold(sub, common) -> None:
    """``init`` and ``new engagement|questionnaire``: files a consultant starts from."""
    i = _command(sub, common, "init", says="write a new project into an empty folder")
    i.add_argument("dir", metavar="DIR", help="the new project's folder (new or empty)")
    i.add_argument("--name", help="the site's name (default: from the folder's name)")

    n = sub.add_parser("new", parents=[common], help="write a new engagement, questionnaire or action plan that validates")
    kinds = n.add_subparsers(dest="kind", required=True, metavar="KIND")
    e = _command(kinds, common, "engagement", handler="new engagement",
                 says="engagements/ID/engagement.yml and a header-only responses.csv")
    e.add_argument("id", metavar="ID", help="the engagement's id and folder name, e.g. acme-2026-q3")
    e.add_argument("--assessment", required=True, metavar="A", help="questionnaire id, or id@version")
    e.add_argument("--client", required=True, metavar="NAME", help="the client's name")
    e.add_argument("--wave", metavar="W", help="e.g. '2026 Q3' (default: the quarter of today's date)")
    e.add_argument("--title", help="the report's title (default: the questionnaire's)")
    e.add_argument("--segments", metavar="A,B", help="response columns to break results down by")
    q = _command(kinds, common, "questionnaire", handler="new questionnaire",
                 says="assessments/ID.yml, a skeleton to edit")
    q.add_argument("id", metavar="ID", help="the questionnaire's id")
    q.add_argument("--title", help="its title (default: from the id)")
    from .cli_loop import add_loop_commands

    add_loop_commands(sub, common, kinds, _command)  # new actions, norms build
    from .cli_translate import add_translate_command

    add_translate_command(sub, common, _command)


def build_parser(handlers: list[str]) -> argparse.ArgumentParser:
    """The ``cxsite`` parser; ``handlers`` are the commands the caller can run (checked here)."""
    p = argparse.ArgumentParser(prog="cxsite", description="Culture and customer-experience assessment reports.")
    p.add_argument("--project", metavar="DIR", default=None, help=PROJECT_HELP)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _globals()
    for add in (_add_validate_score, _add_import, _add_build, _add_render, _add_serve_schema, _add_lifecycle,
                _add_scaffold):
        add(sub, common)
    named = sorted(_handlers(p))
    if named != sorted(handlers):  # a subcommand without a function, or a function never offered
        raise RuntimeError(f"cxsite's commands and parser disagree: {named} against {sorted(handlers)}")
    return p


def _handlers(parser: argparse.ArgumentParser) -> set[str]:
    """Every ``handler`` the parser's subcommands set, nested ones included."""
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found |= _handlers(child)
    if parser.get_default("handler"):
        found.add(parser.get_default("handler"))
    return found
