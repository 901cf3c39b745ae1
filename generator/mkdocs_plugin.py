"""The MkDocs adapter: generated report pages in, live reload on data changes.

All the work happens in the core (:func:`cxsite.load.load_project`,
:func:`cxsite.pages.build_pages`); this only hands the pages to MkDocs as
``File.generated`` and tells ``mkdocs serve`` which folders to watch.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import BytecodeCache
from markupsafe import Markup, escape

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .cache import CACHE_DIR, Cache
from .errors import InputError, InputErrors
from .load import load_project
from .pages import build_pages
from .render import DEFAULT_TEMPLATES

CSS = "assets/cxsite.css"
JS = "assets/cxsite.js"
SHIM = "assets/iframe-worker-shim.js"

# The Markdown the generated pages are written in (site_templates/): tables,
# admonitions (!!!), attribute lists ({: .cx-links }), Markdown inside HTML
# (<div markdown>), collapsible blocks (???), and fenced blocks inside them.
PAGE_EXTENSIONS = ("tables", "admonition", "attr_list", "md_in_html", "pymdownx.details",
                   "pymdownx.superfences")
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")  # mkdocs.config.defaults.MkDocsConfig


class CxsiteConfig(Config):
    project_dir = c.Optional(c.Dir(exists=True))  # default: the folder of mkdocs.yml
    templates_dir = c.Optional(c.Dir(exists=True))  # default: <project>/site_templates
    client = c.Optional(c.Type(str))  # build only this client's engagements
    engagements = c.ListOfItems(c.Type(str), default=[])  # or only these (ids)
    pdf = c.Type(bool, default=False)  # link each overview to its PDF (cxsite build --pdf makes them)


class _CompiledTemplates(BytecodeCache):
    """Compiled theme templates kept in memory for the next build in this process.

    MkDocs makes a new Jinja2 environment for every build, so a portfolio
    worker compiled Material's templates again for each client: about a
    fifth of a client's build. Jinja checks each entry against the
    template's source, so an edited template is compiled afresh.
    """

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


def striptags_escaped(value) -> Markup:
    """Jinja's ``striptags`` whose result is still escaped HTML text.

    MkDocs' titles are HTML (entities kept), and Material prints
    ``page.title | striptags`` in ``<title>``; Jinja's filter unescapes as it
    strips, so a title cxsite escaped (``&lt;/title&gt;&lt;script&gt;``) came
    out of it as live markup in the page head. The result is Markup, so a
    ``| e`` after it does not escape it twice.
    """
    text = value.__html__() if hasattr(value, "__html__") else str(value)
    return escape(Markup(text).striptags())


def add_page_extensions(config) -> None:
    """Add the Markdown extensions the generated pages need to ``config``, if missing.

    A project's ``mkdocs.yml`` then needs only ``plugins: [search, cxsite]``:
    without these, an admonition or a card grid would be printed as its raw
    Markdown, with no warning even under ``--strict``. A project that lists
    no ``markdown_extensions`` of its own also gets heading permalinks (toc);
    one that lists them keeps its own choice of toc options.

    Parameters
    ----------
    config : mkdocs.config.defaults.MkDocsConfig
        The validated configuration ``on_config`` receives; changed in place.
    """
    names = config.markdown_extensions
    # MkDocs lists its built-ins whatever the user writes; anything beyond them
    # is the user's own list. (Config.user_configs would say so, but MkDocs 1.6
    # deprecates it.)
    chose = list(names) != list(MKDOCS_BUILTIN_EXTENSIONS)
    names.extend([name for name in PAGE_EXTENSIONS if name not in names])
    if not chose and "toc" not in config.mdx_configs:
        config.mdx_configs["toc"] = {"permalink": True}  # options only: toc itself is listed already


class CxsitePlugin(BasePlugin[CxsiteConfig]):
    # Set by cxsite build, which has loaded and validated the project already;
    # under plain mkdocs build or serve the plugin loads it itself.
    preloaded = None
    # Set by cxsite serve --client/--engagement, in the same process: mkdocs
    # serve takes no plugin options from its caller.
    selection: dict | None = None
    # Set by cxsite build: a progress bar stepped once per rendered page.
    progress = None

    def on_config(self, config):
        add_page_extensions(config)
        if self.selection:
            self.config.client = self.selection.get("client") or self.config.client
            self.config.engagements = list(self.selection.get("engagements") or self.config.engagements)
        root = Path(self.config.project_dir or Path(config.config_file_path).parent)
        self.root = root.resolve()
        self.templates = Path(self.config.templates_dir or self.root / "site_templates")
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        if JS not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(JS)
        offline = config.plugins.get("material/offline") or config.plugins.get("offline")
        self.offline = bool(offline is not None and offline.config.enabled)
        if self.offline:
            # Material's offline plugin would load this shim from a CDN unless a
            # polyfill named iframe-worker is already listed: ship our copy instead.
            config.extra["polyfills"] = [*config.extra.get("polyfills", []), SHIM]
        return config

    def on_files(self, files: Files, config) -> Files:
        try:
            cache = Cache(self.root / CACHE_DIR)
            project = self.preloaded or load_project(
                self.root, only=self.config.engagements or None, client=self.config.client, cache=cache)
            site = build_pages(project, self.templates, pdf=self.config.pdf, cache=cache)
        except (InputError, InputErrors) as exc:
            raise PluginError(f"cxsite: the project has errors:\n{exc}") from None
        hand_written = sorted(f.src_uri for f in files.documentation_pages())
        for path, content in site.pages.items():
            if files.get_file_from_path(path):
                raise PluginError(f"cxsite: docs/{path} clashes with a generated page; rename it")
            files.append(File.generated(config, path, content=content))
        for path, source in site.assets.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        css = (self.templates / CSS) if (self.templates / CSS).is_file() else DEFAULT_TEMPLATES / CSS
        files.append(File.generated(config, CSS, abs_src_path=str(css)))
        files.append(File.generated(config, JS, abs_src_path=str(DEFAULT_TEMPLATES / JS)))
        if self.offline:
            files.append(File.generated(config, SHIM, abs_src_path=str(DEFAULT_TEMPLATES / SHIM)))
        if config.nav is None:
            # The report pages only exist from here on, so the navigation is ours to give.
            config.nav = site.nav + hand_written
        if self.progress is not None:
            self.progress.restart(len(files.documentation_pages()))
        return files

    def on_env(self, env, config, files):
        env.bytecode_cache = COMPILED
        env.filters["striptags"] = striptags_escaped
        return env

    def on_page_content(self, html: str, page, config, files) -> str:
        # A page title is HTML text already (cxsite escaped the data it holds):
        # marked so, Material's `page.title | e` (the footer's aria-label) does
        # not escape it a second time, which made "&lt;b&gt;" read "&amp;lt;b&amp;gt;".
        if isinstance(page.title, str) and not isinstance(page.title, Markup):
            page.title = Markup(page.title)
        return html

    def on_post_page(self, output: str, page, config) -> str:
        if self.progress is not None:
            self.progress.step(page.file.src_uri)
        # Material's search dialog has no accessible name (axe: aria-dialog-name).
        return output.replace('<div class="md-search" data-md-component="search" role="dialog">',
                              '<div class="md-search" data-md-component="search" role="dialog" '
                              'aria-label="Search">', 1)

    def on_serve(self, server, config, builder):
        for folder in ("assessments", "engagements"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        if self.templates.is_dir():
            server.watch(str(self.templates))
        return server
