"""The MkDocs adapter: generated report pages in, live reload on data changes.

All the work happens in the core (:func:`cxsite.load.load_project`,
:class:`cxsite.results.Results`, :func:`cxsite.pages.build_pages`); this only hands the pages to MkDocs as
``File.generated`` and tells ``mkdocs serve`` which folders to watch.

It is steered by its options (``client``, ``engagements``, ``pdf``,
``offline``, ...), which ``cxsite build`` and ``cxsite serve`` merge with
those the user wrote in ``mkdocs.yml``, and by the scoped
:mod:`cxsite.buildcontext` for the objects that are not configuration.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jinja2 import BytecodeCache
from markupsafe import Markup, escape

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import buildcontext
from .assembly import (
    CSS, asset_source, listed_extensions, offline_polyfills, page_extensions,
    site_files, site_nav, site_scripts, site_stylesheets, templates_folder,
)
from .cache import CACHE_DIR, Cache
from .errors import CxsiteError
from .i18n import with_lang
from .load import load_project
from .pages import build_pages, site_language
from .problems_page import problems_markdown
from .results import Results

log = logging.getLogger("mkdocs.plugins.cxsite")

class CxsiteConfig(Config):
    project_dir = c.Optional(c.Dir(exists=True))  # default: the folder of mkdocs.yml
    templates_dir = c.Optional(c.Dir(exists=True))  # default: <project>/site_templates
    client = c.Optional(c.Type(str))  # build only this client's engagements
    engagements = c.ListOfItems(c.Type(str), default=[])  # or only these (ids)
    pdf = c.Type(bool, default=False)  # link each overview to its PDF (cxsite build --pdf makes them)
    offline = c.Type(bool, default=False)  # a site for file:// (cxsite build --zip), as Material's offline plugin
    show_errors = c.Type(bool, default=False)  # cxsite serve: a page of the project's problems, not a failed build


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
    chose = list(names) != list(listed_extensions(None)[0])
    names[:], configs = page_extensions(names, config.mdx_configs, chose)
    config.mdx_configs.update(configs)


def _take_home_intro(files: Files) -> str | None:
    """A hand-written ``docs/index.md``, taken out of the files: it opens the generated home page."""
    from mkdocs.utils.meta import get_data

    home = files.get_file_from_path("index.md")
    if home is None or home.generated_by is not None:
        return None
    files.remove(home)
    body, _ = get_data(Path(home.abs_src_path).read_text(encoding="utf-8-sig"))
    return body


class CxsitePlugin(BasePlugin[CxsiteConfig]):
    def on_config(self, config):
        add_page_extensions(config)
        root = Path(self.config.project_dir or Path(config.config_file_path).parent)
        self.root = root.resolve()
        # cxsite build's loaded project and progress bar, if this build is one of its own.
        self.context = buildcontext.current(self.root)
        self.templates = templates_folder(self.root, self.config.templates_dir)
        config.extra_css[:] = site_stylesheets(config.extra_css)
        config.extra_javascript[:] = site_scripts(config.extra_javascript)
        self.offline = self._set_up_offline(config)
        self._problems = False  # this build shows the problems page (show_errors) instead of the report
        self._languages: dict[str, str] = {}  # page -> its engagement's language, where not the theme's
        return config

    def _set_up_offline(self, config) -> bool:
        """Whether the site is for file://: our ``offline`` option, or Material's plugin enabled.

        With our option and no enabled Material offline plugin in mkdocs.yml,
        this plugin runs one of its own, so ``cxsite build --zip`` needs
        nothing in the user's mkdocs.yml.
        """
        theirs = config.plugins.get("material/offline") or config.plugins.get("offline")
        enabled = theirs is not None and theirs.config.enabled
        self._offline_plugin = None
        if not (enabled or self.config.offline):
            return False
        config.extra["polyfills"] = offline_polyfills(config.extra.get("polyfills", []))
        if not enabled:
            from material.plugins.offline.plugin import OfflinePlugin

            self._offline_plugin = OfflinePlugin()
            self._offline_plugin.load_config({"enabled": True})
            self._offline_plugin.on_config(config)  # no directory URLs, so links work from disk
            log.debug("offline: a site for file://, through Material's offline plugin")
        return True

    def _project(self) -> tuple:
        """The project and its results: those ``cxsite build`` loaded, else read here (``mkdocs build``)."""
        context = self.context
        if context is not None and context.project is not None:
            return context.project, context.results
        results = Results(Cache(self.root / CACHE_DIR))
        return load_project(self.root, only=self.config.engagements or None, client=self.config.client,
                            known=results.known), results

    def on_files(self, files: Files, config) -> Files:
        context = self.context
        try:
            project, results = self._project()
            configured = config.theme["language"] if "language" in config.theme else "en"
            language = site_language(project, configured)
            site = build_pages(project, self.templates, pdf=self.config.pdf, results=results,
                               home_intro=_take_home_intro(files), language=language)
        except CxsiteError as exc:
            if context is not None:
                context.failure = exc  # MkDocs keeps only "Aborted": the caller reports this one
            if self.config.show_errors:
                return self._problems_site(files, config, exc)
            raise PluginError(f"cxsite: the project has errors:\n{exc}") from None
        hand_written = sorted(f.src_uri for f in files.documentation_pages())
        try:
            added = site_files(site, self.templates, self.offline, {f.src_uri for f in files},
                               Path(config.docs_dir).name)
        except CxsiteError as exc:
            raise PluginError(f"cxsite: {exc}") from None
        for path, content in added.items():
            if isinstance(content, str):
                files.append(File.generated(config, path, content=content))
            else:
                files.append(File.generated(config, path, abs_src_path=str(content)))
        # The report pages only exist from here on, so the navigation is ours to give.
        config.nav = site_nav(site, hand_written, config.nav)
        # A client's own site: Material's interface in the client's language. A site of
        # several clients keeps the configured one, and each page says its own (on_post_page).
        config.theme["language"] = language
        self._languages = {path: lang for path, lang in site.languages.items() if lang != language}
        if context is not None and context.progress is not None:
            context.progress.restart(len(files.documentation_pages()))
        return files

    def _problems_site(self, files: Files, config, exc: CxsiteError) -> Files:
        """The site as one page of the project's problems (``show_errors``: the live preview).

        The hand-written pages go too: they link to report pages this build
        does not have. The theme's own files stay, so the page looks like the site.
        """
        log.error("cxsite: the project has errors:\n%s", exc)
        for page in list(files.documentation_pages()):
            files.remove(page)
        files.append(File.generated(config, "index.md", content=problems_markdown(exc)))
        files.append(File.generated(config, CSS, abs_src_path=str(asset_source(self.templates, CSS))))
        config.nav = ["index.md"]
        self._problems = True
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
        if self.context is not None and self.context.progress is not None:
            self.context.progress.step(page.file.src_uri)
        if page.file.src_uri in self._languages:
            output = with_lang(output, self._languages[page.file.src_uri])
        # Material's search dialog has no accessible name (axe: aria-dialog-name).
        return output.replace('<div class="md-search" data-md-component="search" role="dialog">',
                              '<div class="md-search" data-md-component="search" role="dialog" '
                              'aria-label="Search">', 1)

    @event_priority(-100)  # after the search plugin has written its index, as Material's own
    def on_post_build(self, *, config) -> None:
        if self._problems:
            # The browser may be on any report page, which this build does not
            # have: the server answers it with 404.html, so that is the problems page too.
            # Its links are relative to the site's root, so it names the root as its base.
            site = Path(config.site_dir)
            html = (site / "index.html").read_text(encoding="utf-8")
            base = escape(config.site_url or "/")
            (site / "404.html").write_text(html.replace("<head>", f'<head><base href="{base}">', 1),
                                           encoding="utf-8")
        if self._offline_plugin is not None:
            self._offline_plugin.on_post_build(config=config)  # the search index, inlined for file://

    def on_serve(self, server, config, builder):
        for folder in ("assessments", "engagements", "benchmarks"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        if self.templates.is_dir():
            server.watch(str(self.templates))
        return server
