"""A project's site_templates/ shadows the packaged templates and assets, like Material's custom_dir."""

import pytest

from cxsite.load import load_project
from cxsite.pages import build_pages

OVERVIEW = "engagements/tiny-2026/index.md"


def _template(root, name, text):
    path = root / "site_templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _pages(root):
    return build_pages(load_project(root), root / "site_templates").pages


def test_extending_the_default_overrides_one_block(tiny):
    _template(tiny, "overview.md.j2", '{% extends "default:overview.md.j2" %}\n'
                                      '{% block summary %}Our own summary for {{ e.client }}.\n{% endblock %}\n')
    overview = _pages(tiny)[OVERVIEW]
    assert "Our own summary for Tiny Co." in overview
    assert "## Summary" not in overview  # the block replaced
    assert "## Dimensions at a glance" in overview and "### What to do next" in overview  # the rest kept


def test_a_block_can_keep_the_default_with_super(tiny):
    _template(tiny, "overview.md.j2", '{% extends "default:overview.md.j2" %}\n'
                                      '{% block actions %}Practice note.\n\n{{ super() }}{% endblock %}\n')
    overview = _pages(tiny)[OVERVIEW]
    assert overview.index("Practice note.") < overview.index("### What to do next")


def test_including_the_default_shows_both(tiny):
    _template(tiny, "overview.md.j2", 'PRACTICE BANNER\n\n{% include "default:overview.md.j2" %}\n')
    overview = _pages(tiny)[OVERVIEW]
    assert overview.startswith("PRACTICE BANNER\n")
    assert "# Tiny Co: Tiny baseline" in overview


def test_unshadowed_pages_stay_the_packaged_ones(tiny, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # the methodology page names its build time
    before = _pages(tiny)
    _template(tiny, "overview.md.j2", '{% extends "default:overview.md.j2" %}{% block links %}{% endblock %}')
    after = _pages(tiny)
    assert after["engagements/tiny-2026/methodology.md"] == before["engagements/tiny-2026/methodology.md"]
    assert after[OVERVIEW] != before[OVERVIEW]


def test_a_shadowed_macro_reaches_the_packaged_pages(tiny):
    _template(tiny, "_macros.md.j2", "{% macro band_badge(band, q) %}BADGE{% endmacro %}")
    assert "BADGE" in _pages(tiny)[OVERVIEW]


def test_print_sections_leave_out_links_by_flag_not_by_wording(tiny):
    pages = _pages(tiny)
    printed = pages["engagements/tiny-2026/print.md"]
    assert "[Back to the overview]" in pages["engagements/tiny-2026/dimensions/d1.md"]
    assert "[Back to the overview]" not in printed and 'class="cx-cover"' not in printed
    # A project's own text that reads like the link is its content, and printed as such.
    _template(tiny, "overview.md.j2", '{% extends "default:overview.md.j2" %}\n'
                                      '{% block links %}[Back to the overview](x.md) is ours.\n{% endblock %}\n')
    assert "[Back to the overview](x.md) is ours." in _pages(tiny)["engagements/tiny-2026/print.md"]


def test_shadowed_assets_reach_the_built_site(tiny, tmp_path, cli):
    _template(tiny, "assets/cxsite.css", "/* practice stylesheet */\n")
    _template(tiny, "assets/cxsite.js", "/* practice script */\n")
    _template(tiny, "assets/practice-logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    out = tmp_path / "site"
    code, _, err = cli("--project", tiny, "build", "--site-dir", out)
    assert code == 0, err
    assert (out / "assets" / "cxsite.css").read_text() == "/* practice stylesheet */\n"
    assert (out / "assets" / "cxsite.js").read_text() == "/* practice script */\n"
    assert (out / "assets" / "practice-logo.svg").is_file()


def test_unshadowed_assets_are_the_packaged_ones(tiny, tmp_path, cli):
    from cxsite.render import DEFAULT_TEMPLATES

    out = tmp_path / "site"
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    for name in ("cxsite.css", "cxsite.js"):
        assert (out / "assets" / name).read_bytes() == (DEFAULT_TEMPLATES / "assets" / name).read_bytes()


@pytest.mark.parametrize("text, expected", [
    ('# Ours\n\n{% include "default:overveiw.md.j2" %}\n',
     "site_templates/overview.md.j2:3:13: there is no packaged template 'overveiw.md.j2' to build on; after "
     "'default:' name one of "),
    ('{% extends "default:nope.md.j2" %}\n',
     "site_templates/overview.md.j2:1:13: there is no packaged template 'nope.md.j2' to build on; after "
     "'default:' name one of "),
    ('\n{% include "partial.md.j2" %}\n',
     "site_templates/overview.md.j2:2:13: template 'partial.md.j2' not found in the project's site_templates/ "
     "nor among the packaged templates; correct the name, or add the file to site_templates/"),
    ('{% extends "default:overview.md.j2" %}\n{% block summary %}\n{% endblok %}\n',
     "site_templates/overview.md.j2:3:1: Encountered unknown tag 'endblok'."),
])
def test_a_bad_template_gives_a_located_message(tiny, tmp_path, cli, text, expected):
    _template(tiny, "overview.md.j2", text)
    code, out, err = cli("--project", tiny, "build", "--site-dir", tmp_path / "site")
    assert code == 1
    assert "Traceback" not in err
    assert any(line.startswith(expected) for line in err.splitlines()), err
    assert "MkDocs build failed" not in err  # the template's own message, not MkDocs' "Aborted"
    assert not (tmp_path / "site").exists()  # nothing built


def test_a_template_error_at_render_time_is_located(tiny, tmp_path, cli):
    _template(tiny, "overview.md.j2", '{% extends "default:overview.md.j2" %}\n'
                                      '{% block summary %}\n{{ no_such_thing.x }}\n{% endblock %}\n')
    code, _, err = cli("--project", tiny, "build", "--site-dir", tmp_path / "site")
    assert code == 1 and "Traceback" not in err and "MkDocs build failed" not in err
    assert ("site_templates/overview.md.j2:3:1: 'no_such_thing' is undefined; see the packaged "
            "'default:overview.md.j2' for what a page's template is given") in err.splitlines(), err


def test_a_missing_packaged_template_names_the_installation(tiny, monkeypatch):
    from cxsite import render
    from cxsite.errors import InternalError

    monkeypatch.setattr(render, "DEFAULT_TEMPLATES", tiny / "nowhere")
    render._environment.cache_clear()
    try:
        with pytest.raises(InternalError, match="packaged file .*home.md.j2 is missing: the installation is incomplete"):
            build_pages(load_project(tiny))
    finally:
        render._environment.cache_clear()
