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


def test_serve_selection_limits_the_pages(tmp_path, monkeypatch):
    from conftest import copy_project

    from cxsite.mkdocs_plugin import CxsitePlugin

    root = copy_project("twoclients", tmp_path)
    monkeypatch.setattr(CxsitePlugin, "selection", {"client": "Zebracorn Holdings", "engagements": None})
    cfg, plugin = _config(root)
    paths = {f.src_uri for f in plugin.on_files(Files([]), cfg)}
    assert "engagements/zebra-2026/index.md" in paths
    assert not any(p.startswith("engagements/tiny-2026/") for p in paths)
