"""cxsite init and cxsite new: every file written validates as it is, nothing is overwritten."""

from types import SimpleNamespace

from cxsite.load import load_project
from cxsite.mkdocs_plugin import PAGE_EXTENSIONS, add_page_extensions
from cxsite.pages import build_pages


def _header_only(tiny):
    path = tiny / "engagements" / "tiny-2026" / "responses.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")


def test_header_only_responses_validate(tiny, cli):
    """An engagement awaiting its responses: a header row only."""
    _header_only(tiny)
    code, out, err = cli("--project", tiny, "validate")
    assert (code, err) == (0, "")
    assert "engagements/tiny-2026/engagement.yml: awaiting responses" in out


def test_awaiting_engagement_pages_show_no_figures(tiny):
    _header_only(tiny)
    site = build_pages(load_project(tiny))
    pages = sorted(p for p in site.pages if p.startswith("engagements/tiny-2026/"))
    assert pages == ["engagements/tiny-2026/index.md", "engagements/tiny-2026/print.md"]
    overview = site.pages["engagements/tiny-2026/index.md"]
    assert '!!! info "Awaiting responses"' in overview
    assert "out of 100" not in overview
    assert "| awaiting responses |" in site.pages["index.md"]


def test_plugin_adds_the_page_extensions_and_keeps_the_users_choices():
    bare = SimpleNamespace(markdown_extensions=["toc", "tables", "fenced_code"], mdx_configs={},
                           user_configs=[{"site_name": "x", "plugins": ["search", "cxsite"]}])
    add_page_extensions(bare)
    assert set(PAGE_EXTENSIONS) <= set(bare.markdown_extensions)
    assert len(bare.markdown_extensions) == len(set(bare.markdown_extensions))
    assert bare.mdx_configs["toc"] == {"permalink": True}
    # A project that lists its extensions chose its toc: no permalinks added to its headings.
    mine = SimpleNamespace(markdown_extensions=["toc", "tables", "fenced_code", "admonition"], mdx_configs={},
                           user_configs=[{"markdown_extensions": ["admonition"]}])
    add_page_extensions(mine)
    assert mine.mdx_configs == {}
    assert mine.markdown_extensions.count("admonition") == 1 and "md_in_html" in mine.markdown_extensions


