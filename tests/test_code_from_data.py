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

from cxsite.render import DEFAULT_TEMPLATES


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
    from cxsite import render

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

FORMULAS = ['=HYPERLINK(A9,"click")', "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
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
    from cxsite.cli import spreadsheet_cell

    assert spreadsheet_cell("-3.5") == "'-3.5"  # text from the data, however it looks
    assert spreadsheet_cell(-3.5) == -3.5
    assert spreadsheet_cell(None) is None and spreadsheet_cell(True) is True
    assert spreadsheet_cell("a=b") == "a=b" and spreadsheet_cell("") == ""
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_cell(start + "1") == "'" + start + "1"


# --------------------------------------------------------------------------- logos

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10">\n')
CLEAN_SVG = SVG + (
    '  <defs><linearGradient id="g"><stop offset="0" stop-color="#0b4f6c"/></linearGradient></defs>\n'
    '  <style>.a { fill: url(#g); font-family: "Helvetica Neue", sans-serif }</style>\n'
    '  <rect class="a" width="10" height="10" style="stroke: url( \'#g\' )" inkscape:label="bg"/>\n'
    '  <use xlink:href="#g"/><text>Acme &amp; Co</text><!-- a comment -->\n</svg>\n')

HOSTILE_SVGS = {  # name: (content, line the problem is on, words of its message)
    "script": (SVG + "  <script>alert(1)</script>\n</svg>", 2, "<script> element"),
    "script-in-cdata": (SVG + "<rect/>\n<script><![CDATA[alert(1)]]></script></svg>", 3, "<script> element"),
    "xhtml-script": (SVG.replace("<svg ", '<svg xmlns:h="http://www.w3.org/1999/xhtml" ')
                     + "\n<h:script>alert(1)</h:script></svg>", 3, "<script> element"),
    "onload": (SVG + '<g>\n<rect ONLOAD="alert(1)"/></g></svg>', 3, "event handler attribute 'ONLOAD'"),
    "onload-on-root": ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 1, "event handler"),
    "external-image": (SVG + '\n\n<image href="http://x.example/a.png"/></svg>', 4, "'href' refers to"),
    "data-uri": (SVG + '<image xlink:href="data:image/svg+xml;base64,PHN2Zz4="/></svg>', 2, "'href' refers to"),
    "javascript-link": (SVG + '<a xlink:href=" jav&#x09;ascript:alert(1)"><rect/></a></svg>', 2, "'href'"),
    "animated-href": (SVG + '<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
                      2, "changes 'href'"),
    "foreign-object": (SVG + "<foreignObject><p>x</p></foreignObject></svg>", 2, "<foreignObject> element"),
    "css-url": (SVG + "<style>rect { fill: url(https://x.example/p) }</style></svg>", 2, "CSS url("),
    "css-import": (SVG + '<style>@import "https://x.example/s.css";</style></svg>', 2, "@import"),
    "css-escape": (SVG + r'<rect style="fill: \75rl(https://x.example)"/></svg>', 2, "backslash escapes"),
    "css-image-set": (SVG + '<rect style="fill: image-set(\'x.png\' 1x)"/></svg>', 2, "CSS that loads"),
    "stylesheet-pi": ('<?xml-stylesheet href="https://x.example/s.css"?>\n' + SVG + "</svg>", 1,
                      "processing instruction"),
    "doctype": ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SVG + "</svg>", 2, "<!DOCTYPE>"),
    "bare-doctype": ("<!DOCTYPE svg>\n" + SVG + "</svg>", 1, "<!DOCTYPE>"),
    "entity-bomb": ('<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>\n'
                    + SVG + "<text>&b;</text></svg>", 1, "<!ENTITY>"),
    "external-entity": ('<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + SVG + "&x;</svg>", 1,
                        "<!DOCTYPE>"),
    "undeclared-entity": (SVG + "\n<text>&x;</text></svg>", 3, "not well-formed XML"),
    "not-well-formed": (SVG + "<g>\n<rect></g></svg>", 3, "not well-formed XML (mismatched tag)"),
    "truncated": (SVG + "<rect", 2, "not well-formed XML"),
    "html-not-svg": ("<html><body>x</body></html>", 1, "not an SVG image"),
    "empty": ("", 1, "not well-formed XML"),
}


def test_a_plain_svg_logo_passes():
    from cxsite.images import svg_problems

    assert svg_problems(CLEAN_SVG.encode()) == []


@pytest.mark.parametrize("name", sorted(HOSTILE_SVGS))
def test_an_svg_that_can_run_code_or_fetch_is_refused_where_it_does(name):
    from cxsite.images import svg_problems

    content, line, words = HOSTILE_SVGS[name]
    problems = svg_problems(content.encode())
    assert problems, name
    assert any(p.line == line and words in p.message for p in problems), problems


@pytest.mark.parametrize("name", ["script", "entity-bomb", "external-image"])
def test_a_refused_logo_fails_validation_at_brand_logo_and_in_the_file(tiny, cli, name):
    folder = tiny / "engagements" / "tiny-2026"
    (folder / "logo.svg").write_text(HOSTILE_SVGS[name][0])
    with (folder / "engagement.yml").open("a") as f:
        f.write("brand: {logo: logo.svg}\n")
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1 and "Traceback" not in err
    lines = err.splitlines()
    assert any(ln.startswith("engagements/tiny-2026/engagement.yml:10:15: logo 'logo.svg' cannot be published: ")
               and ln.endswith("; export the logo as a plain SVG without scripts, or as PNG") for ln in lines), err
    assert any(ln.startswith(f"engagements/tiny-2026/logo.svg:{HOSTILE_SVGS[name][1]}:") for ln in lines), err


RASTERS = {".png": b"\x89PNG\r\n\x1a\n" + b"\0" * 16, ".jpg": b"\xff\xd8\xff\xe0" + b"\0" * 16,
           ".jpeg": b"\xff\xd8\xff\xdb" + b"\0" * 16, ".webp": b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 8}


@pytest.mark.parametrize("suffix", sorted(RASTERS))
def test_raster_logo_bytes_must_match_its_extension(suffix):
    from cxsite.images import raster_problem

    assert raster_problem(RASTERS[suffix], "logo" + suffix) is None
    for other, data in RASTERS.items():
        if {other, suffix} != {".jpg", ".jpeg"} and other != suffix:
            assert "holds a" in raster_problem(data, "logo" + suffix), (suffix, other)
    assert "is not a" in raster_problem(b"GIF89a" + b"\0" * 16, "logo" + suffix)
    assert "holds an SVG image" in raster_problem(CLEAN_SVG.encode(), "logo" + suffix)
    assert "is not a" in raster_problem(b"RIFF\x10\0\0\0WAVEfmt " + b"\0" * 8, "logo" + suffix) \
        or suffix != ".webp"


def test_an_svg_named_logo_holding_a_png_is_refused(tiny, cli):
    folder = tiny / "engagements" / "tiny-2026"
    (folder / "logo.svg").write_bytes(RASTERS[".png"])
    with (folder / "engagement.yml").open("a") as f:
        f.write("brand: {logo: logo.svg}\n")
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert ("engagements/tiny-2026/engagement.yml:10:15: logo 'logo.svg' is named .svg but holds a PNG image; "
            "rename it to 'logo.png' (or export it as SVG)") in err.splitlines()
