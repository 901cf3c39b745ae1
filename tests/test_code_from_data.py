"""No code from data: nothing in a project folder is ever executed.

A project folder is handed from consultant to consultant, so everything in it
is data: a crafted compiled-template cache, a logo with a script, a cell that
a spreadsheet would evaluate. Each test here plants such a thing and shows it
stays inert.
"""

import csv
import io
import sys
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from generator.render import DEFAULT_TEMPLATES


def plant_crafted_template_cache(folder: Path, marker: Path) -> int:
    """Write the Jinja bytecode cache an older cxsite kept in ``.cxsite-cache/templates``,
    each entry's code replaced by code that creates ``marker``.

    The entries carry the real keys and source checksums, so a build that
    still read this folder would load and run them. Returns how many were written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    cache = FileSystemBytecodeCache(str(folder))
    env = Environment(loader=FileSystemLoader(str(DEFAULT_TEMPLATES)), bytecode_cache=cache)
    payload = compile(f"open({str(marker)!r}, 'w').write('pwned')", "<crafted>", "exec")
    count = 0
    for name in env.list_templates(extensions=["j2"]):
        source, filename, _ = env.loader.get_source(env, name)
        bucket = Bucket(env, cache.get_cache_key(name, filename), cache.get_source_checksum(source))
        bucket.code = payload
        cache.dump_bytecode(bucket)
        count += 1
    return count


# Files opened under a watched folder, recorded by a process-wide audit hook
# (hooks cannot be removed, so it records only while a test sets WATCHED).
WATCHED: list[str] = []
OPENED: list[str] = []


def _record_opens(event, args):
    if event == "open" and WATCHED and isinstance(args[0], (str, Path)) \
            and str(args[0]).startswith(WATCHED[0]):
        OPENED.append(str(args[0]))


sys.addaudithook(_record_opens)


def test_a_crafted_template_cache_in_the_project_is_never_read(tiny, tmp_path, cli):
    from generator import render

    marker = tmp_path / "pwned"
    planted = tiny / ".cxsite-cache" / "templates"
    assert plant_crafted_template_cache(planted, marker) > 5
    render._environment.cache_clear()  # a fresh process's start: nothing compiled yet
    WATCHED.append(str(planted.resolve()))
    try:
        code, _, err = cli("--project", tiny, "build", "--site-dir", tmp_path / "site")
    finally:
        WATCHED.clear()
    assert code == 0, err
    assert not marker.exists()
    assert OPENED == []
    assert "Tiny Co" in (tmp_path / "site" / "engagements" / "tiny-2026" / "index.html").read_text()


def test_a_build_leaves_no_compiled_code_in_the_project(tiny, tmp_path, cli):
    assert cli("--project", tiny, "build", "--site-dir", tmp_path / "site")[0] == 0
    leftovers = [p for p in tiny.rglob("*") if p.is_file() and (p.suffix in (".cache", ".pyc", ".pickle")
                                                                 or p.name.startswith("__jinja2_"))]
    assert leftovers == []


# --------------------------------------------------------------------------- CSV for spreadsheets

FORMULAS = ['=HYPERLINK("https://evil.example","click")', "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "+1+1", "\tTAB", "\r=1+1"]


@pytest.mark.parametrize("hostile", FORMULAS)
def test_score_csv_has_no_live_formula(tiny, cli, hostile):
    responses = tiny / "engagements" / "tiny-2026" / "responses.csv"
    rows = list(csv.reader(io.StringIO(responses.read_text())))
    for row in rows[1:]:
        if row[1] == "X":
            row[1] = hostile  # a segment value: free text from the responses
        if row[0] == "r1":
            row[7] = "1"  # a detractor more than promoters: a negative NPS
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    responses.write_text(out.getvalue())
    code, text, err = cli("--project", tiny, "score", "tiny-2026", "--format", "csv")
    assert code == 0, err
    table = list(csv.reader(io.StringIO(text)))
    groups = {row[3] for row in table[1:] if row[0] == "segment"}
    read = hostile.strip()  # as the responses reader keeps it
    assert ("'" + read if read[:1] in "=+-@" else read) in groups, groups
    nps = [row[5] for row in table if row[2:5] == ["", "", "nps"]]
    assert nps == ["-25.0"]  # a computed negative stays a plain number
    for row in table:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            if cell.startswith("-"):
                float(cell)  # only numbers may start with a minus


def test_spreadsheet_cell_touches_only_strings():
    from generator.cli import spreadsheet_cell

    assert spreadsheet_cell("-3.5") == "'-3.5"  # text from the data, however it looks
    assert spreadsheet_cell(-3.5) == -3.5
    assert spreadsheet_cell(None) is None and spreadsheet_cell(True) is True
    assert spreadsheet_cell("a=b") == "a=b" and spreadsheet_cell("") == ""
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_cell(start + "1") == "'" + start + "1"
