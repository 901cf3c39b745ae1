"""The command line's grammar: help on every option, global options anywhere, no silent no-ops."""

import argparse
import shutil

import pytest

from cxsite.cli import COMMANDS, parser


def _parsers(p: argparse.ArgumentParser, name: str = "cxsite"):
    """Every (command name, parser) of the command line, nested subcommands included."""
    yield name, p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for sub, child in action.choices.items():
                assert helps.get(sub), f"{name} {sub}: the subcommand has no help text"
                yield from _parsers(child, f"{name} {sub}")


def test_every_option_and_argument_has_help_text():
    seen = 0
    for name, p in _parsers(parser()):
        for action in p._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            assert action.help and action.help.strip(), f"{name}: {action.option_strings or action.dest}"
            seen += 1
    assert seen > 40


@pytest.mark.parametrize("command", sorted({c.split()[0] for c in COMMANDS}))
def test_every_subcommand_help_prints(command, cli, capsys):
    with pytest.raises(SystemExit) as done:
        cli(command, "--help")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "--project" in out and f"usage: cxsite {command}" in out


@pytest.mark.parametrize("where", ["before", "after"])
def test_project_before_or_after_the_subcommand(tiny, cli, where, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not a project: only --project can find it
    args = ["--project", str(tiny), "validate"] if where == "before" else ["validate", "--project", str(tiny)]
    code, out, err = cli(*args)
    assert code == 0, err
    assert out.startswith("ok:")


def test_project_after_the_subcommand_wins_over_before(tiny, tmp_path, cli):
    code, out, err = cli("--project", str(tmp_path / "nowhere"), "validate", "--project", str(tiny))
    assert code == 0, err


def test_project_after_a_nested_subcommand(tiny, cli):
    code, _, err = cli("new", "questionnaire", "pulse-check", "--project", str(tiny))
    assert code == 0, err
    assert (tiny / "assessments" / "pulse-check.yml").is_file()


@pytest.mark.parametrize("args, flag", [
    (["build", "--jobs", "2"], "--jobs"),
    (["build", "--out", "x"], "--out"),
    (["build", "--shard", "1/2"], "--shard"),
    (["build", "--force"], "--force"),
    (["build", "--all-clients", "--out", "x", "--site-dir", "y"], "--site-dir"),
    (["build", "--all-clients", "--out", "x", "--client", "Tiny Co"], "--client"),
    (["build", "--all-clients", "--out", "x", "--engagement", "tiny-2026"], "--engagement"),
    (["build", "--all-clients"], "--all-clients"),
    (["build", "--all-clients", "--out", "x", "--jobs", "0"], "--jobs"),
])
def test_an_option_that_would_do_nothing_is_refused(tiny, cli, args, flag):
    before = sorted(p.name for p in tiny.iterdir())
    code, out, err = cli("--project", str(tiny), *args)
    assert code == 1 and err.startswith(f"{flag}: "), err
    assert sorted(p.name for p in tiny.iterdir()) == before  # nothing built


def test_pdf_help_names_what_it_needs(cli, capsys):
    with pytest.raises(SystemExit):
        cli("build", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert "cxsite[pdf]" in out and "Chromium" in out


def test_build_of_one_engagement_names_the_earlier_waves_it_builds(tiny, cli):
    later = tiny / "engagements" / "tiny-2027"
    shutil.copytree(tiny / "engagements" / "tiny-2026", later)
    yml = later / "engagement.yml"
    yml.write_text(yml.read_text().replace("wave: 2026", "wave: 2027").replace("2026-06-30", "2027-06-30")
                   + "previous: tiny-2026\n")
    code, out, err = cli("--project", str(tiny), "build", "--engagement", "tiny-2027")
    assert code == 0, err
    assert "with the waves they are compared with or shown beside: tiny-2026" in out
    code, out, err = cli("--project", str(tiny), "build", "--engagement", "tiny-2026")
    assert code == 0 and "shown beside" not in out
    # Named by its folder, the engagement is still the one asked for, not one "shown beside" it.
    code, out, err = cli("--project", str(tiny), "build", "--engagement", str(tiny / "engagements" / "tiny-2026"))
    assert code == 0 and "shown beside" not in out, out


@pytest.mark.parametrize("given, expected", [("generic", "generic"), ("csv", "generic"), ("xlsx", "generic"),
                                             ("qualtrics", "qualtrics")])
def test_from_takes_tools_and_generic(given, expected):
    args = parser().parse_args(["import", "export.csv", "--engagement", "e", "--from", given])
    assert args.tool == expected


def test_from_refuses_an_unknown_tool(cli, capsys):
    with pytest.raises(SystemExit) as done:
        cli("import", "export.csv", "--engagement", "e", "--from", "excel")
    assert done.value.code == 2
    assert "unknown tool 'excel'" in capsys.readouterr().err


def test_the_grammar_loads_none_of_the_core():
    """``cxsite --help`` builds the parser only: no NumPy, no loader, no importer (cxsite.choices)."""
    import subprocess
    import sys

    code = ("import sys; from cxsite.cli import parser; parser(); "
            "heavy = sorted(m for m in ('numpy', 'cxsite.model', 'cxsite.importers', 'cxsite.exports', "
            "'cxsite.engines') if m in sys.modules); print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
