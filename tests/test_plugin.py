"""The MkDocs adapter, driven without a build."""

from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
import pytest


class FakeServer:
    def __init__(self):
        self.watched = []

    def watch(self, path, recursive=True):
        self.watched.append(path)


def _config(root):
    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    return cfg.plugins.on_config(cfg), cfg.plugins["cxsite"]


def test_serve_watches_the_inputs(tiny):
    (tiny / "site_templates").mkdir()
    cfg, plugin = _config(tiny)
    server = FakeServer()
    plugin.on_serve(server, cfg, builder=None)
    assert server.watched == [str(tiny / "assessments"), str(tiny / "engagements"), str(tiny / "site_templates")]


def test_files_are_generated_with_a_nav(tiny):
    cfg, plugin = _config(tiny)
    files = plugin.on_files(Files([]), cfg)
    paths = sorted(f.src_uri for f in files)
    assert "engagements/tiny-2026/index.md" in paths and "assets/cxsite.css" in paths
    assert all(f.generated_by for f in files)
    assert cfg.nav[0] == {"Home": "index.md"}
    assert "assets/cxsite.css" in cfg.extra_css


def test_a_hand_written_docs_index_opens_the_generated_home_page(tiny):
    """docs/index.md is the practice's introduction: its text, then the list of reports; no clash."""
    from mkdocs.structure.files import File

    (tiny / "docs" / "index.md").write_text("---\ntitle: Welcome\n---\n# Our practice\n\nRead us first.\n")
    cfg, plugin = _config(tiny)
    files = Files([File("index.md", str(tiny / "docs"), str(tiny / "site"), False)])
    out = plugin.on_files(files, cfg)
    home = next(f for f in out if f.src_uri == "index.md")
    text = home.content_string
    assert "# Our practice" in text and "Read us first." in text and "title: Welcome" not in text
    assert "Tiny Co" in text and "# Assessment reports" not in text
    assert [f.src_uri for f in out].count("index.md") == 1


def test_bad_input_becomes_a_plugin_error(tiny):
    q = tiny / "assessments" / "tiny.yml"
    q.write_text(q.read_text().replace("audience: staff", "audience: nobody"))
    cfg, plugin = _config(tiny)
    with pytest.raises(PluginError, match="assessments/tiny.yml:6:11: expected one of"):
        plugin.on_files(Files([]), cfg)


def test_client_option_limits_the_pages(tiny):
    cfg, plugin = _config(tiny)
    plugin.config.client = "tiny-co"
    assert any(f.src_uri.startswith("engagements/tiny-2026/") for f in plugin.on_files(Files([]), cfg))
    plugin.config.client = "Someone Else"
    with pytest.raises(PluginError, match="no engagement has client 'Someone Else'"):
        plugin.on_files(Files([]), cfg)


def _served(cli, monkeypatch, *args):
    """The keyword arguments ``cxsite serve ARGS`` hands to MkDocs' serve (which is not started)."""
    import mkdocs.commands.serve

    seen = {}
    monkeypatch.setattr(mkdocs.commands.serve, "serve", lambda config_file, **kw: seen.update(kw, file=config_file))
    code, _, err = cli(*args)
    assert code == 0, err
    return seen


def test_serve_selection_limits_the_pages(tmp_path, monkeypatch, cli):
    from conftest import copy_project

    root = copy_project("twoclients", tmp_path)
    kwargs = _served(cli, monkeypatch, "--project", root, "serve", "--client", "Zebracorn Holdings")
    # What MkDocs' serve does with them on every rebuild:
    cfg = load_config(kwargs.pop("file"), plugins=kwargs["plugins"])
    cfg.plugins.on_startup(command="serve", dirty=False)
    cfg = cfg.plugins.on_config(cfg)
    paths = {f.src_uri for f in cfg.plugins["cxsite"].on_files(Files([]), cfg)}
    assert "engagements/zebra-2026/index.md" in paths
    assert not any(p.startswith("engagements/tiny-2026/") for p in paths)


def _with_templates_dir(root):
    """mkdocs.yml giving the plugin a templates folder of its own, whose overview says so."""
    (root / "practice").mkdir()
    (root / "practice" / "overview.md.j2").write_text(
        '{% extends "default:overview.md.j2" %}{% block summary %}PRACTICE SUMMARY{% endblock %}\n')
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - cxsite\n", "  - cxsite:\n      templates_dir: practice\n"))


def test_command_line_options_merge_with_mkdocs_yml(tiny, tmp_path, cli):
    _with_templates_dir(tiny)
    out = tmp_path / "out"
    code, _, err = cli("--project", tiny, "build", "--client", "Tiny Co", "--site-dir", out)
    assert code == 0, err
    assert "PRACTICE SUMMARY" in (out / "engagements" / "tiny-2026" / "index.html").read_text()


def test_merged_plugins_override_only_the_keys_given(tiny):
    from cxsite.build import merged_plugins

    _with_templates_dir(tiny)
    plugins, options = merged_plugins(tiny / "mkdocs.yml", {"client": "Tiny Co", "engagements": None,
                                                             "pdf": False, "offline": True})
    assert plugins == {"search": {}, "cxsite": {"templates_dir": "practice", "client": "Tiny Co", "offline": True}}
    assert options == {"templates_dir": "practice", "client": "Tiny Co", "offline": True}


def test_serve_keeps_the_users_plugin_options(tiny, monkeypatch, cli):
    _with_templates_dir(tiny)
    kwargs = _served(cli, monkeypatch, "--project", tiny, "serve", "--engagement", "tiny-2026")
    assert kwargs["plugins"]["cxsite"] == {"templates_dir": "practice", "engagements": ["tiny-2026"],
                                           "show_errors": True}
    assert list(kwargs["plugins"]) == ["search", "cxsite"]  # the user's order kept


def test_serve_plugins_survive_being_read_twice(tiny):
    """mkdocs serve reads its arguments again for each rebuild; the first read must not spend them."""
    from mkdocs.config import load_config

    from cxsite.build import merged_plugins

    plugins = merged_plugins(tiny / "mkdocs.yml", {"show_errors": True})[0]
    for _ in range(2):
        config = load_config(str(tiny / "mkdocs.yml"), plugins=plugins)
        assert config.plugins["cxsite"].config.show_errors is True


def test_a_project_without_the_plugin_listed_gets_it(tiny):
    from cxsite.build import merged_plugins

    cfg = tiny / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - cxsite\n", ""))
    assert merged_plugins(cfg, {"pdf": True})[0] == {"search": {}, "cxsite": {"pdf": True}}


def test_a_plugin_named_twice_stays_a_list_for_mkdocs_to_judge(tiny):
    from cxsite.build import merged_plugins

    cfg = tiny / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - search\n", "  - search\n  - search\n"))
    assert merged_plugins(cfg, {})[0] == ["search", "search", {"cxsite": {}}]


def test_zip_needs_no_env_in_mkdocs_yml(tiny, tmp_path, cli):
    import zipfile

    assert "!ENV" not in (tiny / "mkdocs.yml").read_text()
    out = tmp_path / "out" / "report"
    code, _, err = cli("--project", tiny, "build", "--zip", "--site-dir", out)
    assert code == 0, err
    assert (out / "engagements" / "tiny-2026" / "methodology.html").is_file()  # no directory URLs
    assert (out / "search" / "search_index.js").is_file()  # the index inlined for file://
    assert (out / "assets" / "iframe-worker-shim.js").is_file()
    assert "unpkg.com" not in (out / "index.html").read_text()
    names = zipfile.ZipFile(tmp_path / "out" / "report.zip").namelist()
    assert "report/search/search_index.js" in names


def test_zip_works_with_the_old_env_line_too(tiny, tmp_path, cli):
    """A project that kept mkdocs.yml's old offline entry (disabled unless CXSITE_OFFLINE is set)."""
    cfg = tiny / "mkdocs.yml"
    cfg.write_text(cfg.read_text().replace("  - cxsite\n", "  - cxsite\n  - offline:\n"
                                           "      enabled: !ENV [CXSITE_OFFLINE, false]\n"))
    out = tmp_path / "site"
    code, _, err = cli("--project", tiny, "build", "--zip", "--site-dir", out)
    assert code == 0, err
    assert (out / "search" / "search_index.js").is_file()
    assert "unpkg.com" not in (out / "index.html").read_text()


def test_a_plain_build_is_not_offline(tiny, tmp_path, cli):
    out = tmp_path / "site"
    assert cli("--project", tiny, "build", "--site-dir", out)[0] == 0
    assert (out / "engagements" / "tiny-2026" / "index.html").is_file()
    assert not (out / "search" / "search_index.js").exists()
    assert (out / "engagements" / "tiny-2026" / "methodology" / "index.html").is_file()  # directory URLs


def _assignments_to_plugin_attributes(source: str) -> list[str]:
    """Every attribute assigned in ``source`` (``=``, ``+=``, ``setattr``) on anything named like a plugin.

    ``plugin.preloaded = …``, ``CxsitePlugin.selection = …`` and
    ``cfg.plugins["cxsite"].config.pdf = …`` all count: the plugin is steered
    by its merged options and the build context only.
    """
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        found += [ast.unparse(t) for t in targets
                  if isinstance(t, ast.Attribute) and "plugin" in ast.unparse(t.value).lower()]
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr":
            found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize("module", ["build.py", "cli.py", "portfolio.py"])
def test_nothing_sets_the_plugin_from_outside(module):
    from cxsite.resources import package_folder

    source = (package_folder("site_templates").parent / "generator" / module).read_text()
    assert _assignments_to_plugin_attributes(source) == []
    assert "os.environ[" not in source and "CXSITE_OFFLINE" not in source


def test_the_attribute_check_finds_an_assignment():
    assert _assignments_to_plugin_attributes("plugin.preloaded = p\nCxsitePlugin.selection = {}\n") == [
        "plugin.preloaded", "CxsitePlugin.selection"]
    assert _assignments_to_plugin_attributes("cfg.plugins['cxsite'].config.pdf = True\nself.x = 1\n") == [
        "cfg.plugins['cxsite'].config.pdf"]


def test_the_plugin_logs_under_mkdocs_plugins():
    from cxsite import mkdocs_plugin

    assert mkdocs_plugin.log.name == "mkdocs.plugins.cxsite"
