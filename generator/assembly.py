"""What a site is made of besides its pages: assets, navigation, and the settings the pages need.

:func:`cxsite.pages.build_pages` says what the report pages hold; this
module says how they become a site's source folder, whatever builds it. The
MkDocs plugin (``on_config``, ``on_files``) and ``cxsite render`` (a folder
any MkDocs-compatible builder reads) both call these functions, so the two
paths cannot drift apart: the same Markdown extensions, stylesheet and
scripts, the same assets under the same names, the same navigation, the same
refusals of a hand-written page that would clash with a generated one.

Everything here is a pure function of its arguments: no MkDocs object is read
or written.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, InternalError
from .pages import Site
from .render import DEFAULT_TEMPLATES
from .resources import missing_packaged

CSS = "assets/cxsite.css"
JS = "assets/cxsite.js"
SHIM = "assets/iframe-worker-shim.js"
ASSETS = "assets"

# The Markdown the generated pages are written in (site_templates/): tables,
# admonitions (!!!), attribute lists ({: .cx-links }), Markdown inside HTML
# (<div markdown>), collapsible blocks (???), and fenced blocks inside them.
PAGE_EXTENSIONS = ("tables", "admonition", "attr_list", "md_in_html", "pymdownx.details",
                   "pymdownx.superfences")
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")  # mkdocs.config.defaults.MkDocsConfig


def page_extensions(names: list[str], configs: dict, chose: bool) -> tuple[list[str], dict]:
    """The Markdown extensions and their options, completed with those the pages need.

    Parameters
    ----------
    names : list of str
        The extensions a site lists already, in order (MkDocs' built-ins first).
    configs : dict
        Their options, ``{name: {option: value}}``.
    chose : bool
        Whether the project listed extensions of its own. One that did keeps
        its choice of toc options; one that did not also gets heading permalinks.

    Returns
    -------
    names : list of str
        ``names`` followed by every page extension it lacked; a new list.
    configs : dict
        ``configs``, with toc's permalinks where the project chose nothing; a new dict.
    """
    names = list(names) + [name for name in PAGE_EXTENSIONS if name not in names]
    configs = dict(configs)
    if not chose and "toc" not in configs:
        configs["toc"] = {"permalink": True}
    return names, configs


def listed_extensions(raw) -> tuple[list[str], dict, bool]:
    """A ``markdown_extensions`` setting as written in mkdocs.yml, read as MkDocs reads it.

    Parameters
    ----------
    raw : list, dict or None
        Names, one-key mappings ``{name: options}``, or one mapping of names to options.

    Returns
    -------
    names, configs, chose
        MkDocs' built-ins followed by the project's names (each once), their
        options, and whether the project listed any (see :func:`page_extensions`).
    """
    entries = [{k: v} for k, v in raw.items()] if isinstance(raw, dict) else list(raw or [])
    names, configs = list(MKDOCS_BUILTIN_EXTENSIONS), {}
    for entry in entries:
        name, options = (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None))
        if name not in names:
            names.append(name)
        if options:
            configs[name] = options
    return names, configs, bool(entries)


def site_stylesheets(extra_css: list) -> list:
    """``extra_css`` with cxsite's stylesheet, added once."""
    return list(extra_css) + ([CSS] if CSS not in [str(s) for s in extra_css] else [])


def site_scripts(extra_javascript: list) -> list:
    """``extra_javascript`` with cxsite's script, added once."""
    return list(extra_javascript) + ([JS] if JS not in [str(s) for s in extra_javascript] else [])


def templates_folder(root: Path, configured: str | None = None) -> Path:
    """The project's template folder: the plugin's ``templates_dir`` if set, else ``<project>/site_templates``."""
    return Path(configured or root / "site_templates")


def asset_source(templates: Path, name: str) -> Path:
    """The project's ``site_templates/NAME`` if it has one, else the packaged file.

    Raises
    ------
    InternalError
        The packaged file is missing: the installation is incomplete.
    """
    own = templates / name
    if own.is_file():
        return own
    packaged = DEFAULT_TEMPLATES / name
    if not packaged.is_file():
        raise InternalError(missing_packaged(packaged))
    return packaged


def asset_names(templates: Path, offline: bool) -> list[str]:
    """The site's assets: the packaged ones, and any other file of the project's ``assets/``.

    A project's file of the same name shadows the packaged one, like a
    theme's ``custom_dir``. ``offline``: the site is for file://, and ships
    the search shim Material would otherwise fetch from a CDN.
    """
    names = {CSS, JS} | ({SHIM} if offline else set())
    own = templates / ASSETS
    if own.is_dir() and templates.resolve() != DEFAULT_TEMPLATES:
        names |= {p.relative_to(templates).as_posix() for p in own.rglob("*") if p.is_file()}
    return sorted(names)


def site_files(site: Site, templates: Path, offline: bool, hand_written: set[str],
               docs_name: str = "docs") -> dict[str, str | Path]:
    """Every file cxsite adds to the site's source: ``{path: Markdown}`` or ``{path: file to copy}``.

    Parameters
    ----------
    site : Site
        The generated pages and the engagements' assets (logos).
    templates : Path
        The project's templates folder (its assets shadow the packaged ones).
    offline : bool
        The site is for file:// (see :func:`asset_names`).
    hand_written : set of str
        The paths of the files already in the docs folder.
    docs_name : str
        The docs folder's name, for the messages.

    Raises
    ------
    InputError
        A hand-written file has the path of a generated page or asset.
    """
    files: dict[str, str | Path] = {}
    for path, content in {**site.pages, **site.downloads}.items():  # downloads: the questionnaires' exports
        if path in hand_written:
            raise InputError(f"{docs_name}/{path}", "clashes with a generated page; rename it")
        files[path] = content
    files.update(site.assets)
    for name in asset_names(templates, offline):
        if name in hand_written:
            raise InputError(f"{docs_name}/{name}", f"clashes with cxsite's {name}; rename it, or move it "
                                                    f"to {templates.name}/{name} to replace cxsite's")
        files[name] = asset_source(templates, name)
    return dict(sorted(files.items()))


def site_nav(site: Site, hand_written_pages: list[str], nav: list | None) -> list:
    """The site's navigation: the project's own if it wrote one, else the reports, then its pages (sorted)."""
    if nav is not None:
        return nav
    return site.nav + sorted(hand_written_pages)


def offline_polyfills(polyfills: list) -> list:
    """Material's ``extra.polyfills`` for a file:// site: the search shim shipped, not fetched.

    Material's offline plugin would load this shim from a CDN unless a
    polyfill named iframe-worker is already listed: ship our copy instead
    (and drop the CDN's, should an offline plugin listed before us have added it).
    """
    return [p for p in polyfills if "iframe-worker" not in str(p)] + [SHIM]
