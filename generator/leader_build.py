"""Many small MkDocs sites in one process, each complete, at a fraction of a full build's cost.

A plain ``mkdocs build`` of a leader's two-page site spends most of its
second or two on work that is the same for every leader: compiling the
Material theme's Jinja templates (a fresh environment each build), listing
the theme's fourteen thousand files to pick its forty-odd static assets,
and copying those assets (2.5 MB a site). :func:`build_site` runs MkDocs'
own build steps (:mod:`mkdocs.commands.build`, whose 1.6.1 is the last 1.x
release, so its internals no longer move) with three changes:

- the theme's Jinja environment is made once per process and theme, so each
  template is compiled once, not once per leader;
- the theme's static files are listed once per process and theme;
- they are hard-linked (copied where a link cannot be made) from one shared
  folder, written once per set of assets (:func:`shared_assets`), so five
  thousand sites hold one copy of Material's assets, not five thousand.

Everything else is the build MkDocs does: every plugin event, strict mode,
each site's own pages, search index, sitemap and 404 page.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .build import MkDocsWarnings

ASSETS = ".cxsite-assets"

_ENVS: dict = {}         # (theme dirs, locale) -> the theme's Jinja environment, for this process
_THEME_FILES: dict = {}  # (theme dirs, static templates) -> [(path, theme dir)] of its static files
_SHARED: dict = {}       # (assets root, those files) -> the shared folder holding them
_KEPT: dict = {}         # "themes" -> MkDocs' list of installed themes, scanned once per process


def link_or_copy(src: str, dest: str) -> None:
    """A hard link from ``dest`` to ``src``; a copy where links cannot be made (another device, a limit)."""
    try:
        os.link(src, dest)
    except FileExistsError:
        os.unlink(dest)
        link_or_copy(src, dest)
    except OSError:  # EXDEV across devices, EMLINK at the file system's link limit, EPERM
        shutil.copyfile(src, dest)


def _linked_file_class():
    from mkdocs.structure.files import File

    class LinkedFile(File):
        """A theme asset put into the site as a hard link to the shared folder's copy."""

        def copy_file(self, dirty: bool = False) -> None:
            os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
            link_or_copy(self.abs_src_path, self.abs_dest_path)

    return LinkedFile


def theme_env(theme):
    """The theme's Jinja environment, made once per process: its compiled templates are kept."""
    key = (tuple(theme.dirs), str(theme.locale))
    if key not in _ENVS:
        _ENVS[key] = type(theme).get_env(theme)
    return _ENVS[key]


def theme_files(env, config) -> list[tuple[str, str]]:
    """The theme's static files as (path, theme folder), found as MkDocs finds them, once per process."""
    from mkdocs.structure.files import Files

    key = (tuple(config.theme.dirs), tuple(config.theme.static_templates))
    if key not in _THEME_FILES:
        found = Files([])
        found.add_files_from_theme(env, config)
        _THEME_FILES[key] = [(f.src_uri, f.src_dir) for f in found]
    return _THEME_FILES[key]


def shared_assets(root: Path, found: list[tuple[str, str]]) -> Path:
    """The one folder under ``root/.cxsite-assets/`` holding these theme files, written if it is not there.

    Named by a digest of the files' paths and bytes: a new Material release
    gets a folder of its own, and sites linked to the old one keep theirs
    (a hard link is the file itself, whatever happens to the shared name).
    Written under a temporary name and renamed, so two workers racing to
    write it leave one complete folder.
    """
    key = (str(root), tuple(found))
    if key in _SHARED and _SHARED[key].is_dir():
        return _SHARED[key]
    h = hashlib.sha256()
    for rel, folder in sorted(found):
        h.update(rel.encode() + b"\0" + hashlib.sha256(Path(folder, rel).read_bytes()).digest())
    target = _SHARED[key] = root / ASSETS / h.hexdigest()[:16]
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    for rel, folder in found:
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(folder, rel), staging / rel)
    try:
        staging.chmod(0o755)
        staging.rename(target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another worker put it there first
        if not target.is_dir():
            raise
    return target


def prune_assets(root: Path, keep: set[Path]) -> None:
    """Remove shared asset folders no build of this run used: sites linked to them keep their files."""
    folder = root / ASSETS
    for old in sorted(folder.iterdir()) if folder.is_dir() else ():
        # A dot-name is a folder being written, perhaps by another shard's run on this machine.
        if old.is_dir() and old not in keep and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


def _load_config(config_file: Path, site_dir: Path):
    """MkDocs' ``load_config``, without listing every installed package's entry points for each site.

    Loading a theme clears MkDocs' cache of the installed themes, so each
    config load scanned every package's metadata again (50 ms a site); the
    themes installed do not change during a build, so the scan is kept.
    """
    from mkdocs import utils
    from mkdocs.config import load_config

    listed = utils.get_themes
    if "themes" not in _KEPT:
        _KEPT["themes"] = functools.lru_cache(maxsize=None)(listed.__wrapped__)
        _KEPT["themes"].cache_clear = lambda: None  # what Theme calls on every load
    utils.get_themes = _KEPT["themes"]
    try:
        return load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
    finally:
        utils.get_themes = listed


def build_site(config_file: Path, site_dir: Path, assets_root: Path) -> Path:
    """Build the MkDocs site of ``config_file`` into ``site_dir``, as ``mkdocs build --strict`` would.

    Returns the shared assets folder its theme files are linked from.
    """
    from mkdocs import utils
    from mkdocs.exceptions import Abort

    config = _load_config(config_file, site_dir)
    # Material's search plugin asks the theme for an environment too (to translate its settings).
    config.theme.get_env = lambda: theme_env(config.theme)
    warned = MkDocsWarnings()
    logging.getLogger("mkdocs").addHandler(warned)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        shared = _build_steps(config, assets_root)
        if warned.messages:
            raise Abort("; ".join(warned.messages[:5]) + " (warnings, and the build is strict)")
        return shared
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(warned)


def _build_steps(config, assets_root: Path) -> Path:
    """MkDocs 1.6.1's build (:func:`mkdocs.commands.build.build`) from its files to its post_build event."""
    from mkdocs.commands import build as mk
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    included = InclusionLevel.is_included
    files = get_files(config)
    env = theme_env(config.theme)
    found = theme_files(env, config)
    shared = shared_assets(assets_root, found)
    linked = _linked_file_class()
    for rel, _ in found:
        if files.get_file_from_path(rel) is None:  # a docs file of the same path wins, as in MkDocs
            files.append(linked(rel, str(shared), config.site_dir, config.use_directory_urls))
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
    for file in files.documentation_pages(inclusion=included):
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
        mk._populate_page(file.page, config, files, False)
    env = config.plugins.on_env(env, config=config, files=files)
    files.copy_static_files(dirty=False, inclusion=included)
    for template in config.theme.static_templates:
        mk._build_theme_template(template, env, files, config, nav)
    for template in config.extra_templates:
        mk._build_extra_template(template, files, config, nav)
    pages = files.documentation_pages(inclusion=included)
    for file in pages:
        mk._build_page(file.page, config, pages, nav, env, False, excluded=file.inclusion.is_excluded())
    for file in pages:
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    config.plugins.on_post_build(config=config)
    return shared


def build_batch(items: list[dict], out: str) -> list[dict]:
    """Build a batch of leaders' sites, each into a staging folder beside its target, and print their PDFs.

    Each item is ``{"target": folder, "files": {path: text} or None, "label":
    PDF title or None}``: ``files`` None means the site is there already and
    only its PDF is missing. Returns per item ``{"target", "staging", "pdf"}``
    (``staging`` and ``pdf`` None where nothing was made); nothing is put in
    place here. If any item fails, everything this batch made is removed.
    One call per worker process builds many leaders, so the theme is loaded
    once, and the PDFs of the batch share one Chromium.
    """
    made: list[dict] = []
    try:
        for item in items:
            target = Path(item["target"])
            staging, assets = _stage(target, item["files"], Path(out)) if item["files"] is not None else (None, None)
            made.append({"target": str(target), "staging": staging and str(staging), "assets": assets and str(assets),
                         "pdf": None})
        printing = [(Path(m["staging"] or m["target"]), Path(m["target"]), item["label"], item["page_of"])
                    for m, item in zip(made, items) if item["label"] is not None]
        if printing:
            from .leader_pdf import pdf_path, print_sites

            temps = iter(print_sites(Path(out), [(site, pdf_path(t), label, page_of)
                                                 for site, t, label, page_of in printing]))
            for m, item in zip(made, items):
                if item["label"] is not None:
                    m["pdf"] = str(next(temps))
    except BaseException:
        discard(made)
        raise
    return made


def remove_stale(folder: Path) -> None:
    """Remove what builds that were killed left in ``folder``: staging sites, sources, PDFs (their process is gone)."""
    from .build import _alive

    for stale in sorted(folder.glob(".*.building-*")) if folder.is_dir() else ():
        try:
            pid = int(stale.name.split(".building-", 1)[1].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(stale, ignore_errors=True) if stale.is_dir() else stale.unlink(missing_ok=True)


def discard(made: list[dict]) -> None:
    """Remove the staging folders and temporary PDFs of a run that does not go in."""
    for m in made:
        if m.get("staging"):
            shutil.rmtree(m["staging"], ignore_errors=True)
        if m.get("pdf"):
            Path(m["pdf"]).unlink(missing_ok=True)


def _stage(target: Path, files: dict[str, str], out: Path) -> tuple[Path, Path]:
    """Write the site's sources to a temporary folder and build them into a staging folder beside ``target``.

    Returns the staging folder and the shared assets folder it links to.
    """
    from mkdocs.exceptions import MkDocsException

    from .errors import InputError
    from .outputs import os_problem

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent))
    try:
        with tempfile.TemporaryDirectory(prefix=f".leader-src.building-{os.getpid()}-", dir=target.parent) as src:
            for rel, text in files.items():
                (Path(src) / rel).parent.mkdir(parents=True, exist_ok=True)
                (Path(src) / rel).write_text(text, encoding="utf-8")
            assets = build_site(Path(src) / "mkdocs.yml", staging, out)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise os_problem(exc, str(target)) from None
    except MkDocsException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(str(target), f"MkDocs could not build this leader's site: {exc}; "
                                      "fix the leader templates (site_templates/leader*.md.j2) and build again") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, assets
