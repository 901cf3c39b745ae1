"""Data printed inside raw HTML (cover lines) reads on the page exactly as written.

Markdown leaves a raw HTML block alone, so a Markdown escape there would show
its backslash ("\\(phase 2\\)"); such data is HTML-escaped instead.
"""

import html
import re

import markdown
import pytest

from cxsite.load import load_project
from cxsite.pages import build_pages
from test_hostile_text import EXTENSIONS

COVER = re.compile(r'<p class="cx-(?:cover|print-client|print-title|print-meta)">(.*?)</p>', re.S)
TEXTS = ["Phase (2)", "a*b*c_d_", "R&D <team> [x](y)", "back\\slash `tick` #1", "50% + 3 = 1.5!"]


@pytest.mark.parametrize("text", TEXTS)
def test_cover_lines_show_the_text_as_written(tiny, text):
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    eng.write_text(eng.read_text().replace("title: Tiny baseline", f'title: "{quoted}"')
                   .replace("wave: 2026", f'wave: "W {quoted}"').replace("client: Tiny Co", f'client: "C {quoted}"'))
    site = build_pages(load_project(tiny))
    covers = []
    for page in site.pages.values():
        body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
        covers += [html.unescape(c) for c in COVER.findall(markdown.markdown(body, extensions=EXTENSIONS))]
    assert len(covers) >= 5  # overview, dimensions, segments, methodology, comments, print
    assert all("\\" not in c or "\\" in text for c in covers), covers
    lines = [c for c in covers if text in c]
    assert lines, covers
    assert any(f"C {text} · {text} · W {text}" in c for c in covers), covers
