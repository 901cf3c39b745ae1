"""A site's source folder for any MkDocs-compatible builder, and builds by ProperDocs or Zensical.

``cxsite render --out DIR`` writes ``DIR/docs/`` (the report pages, their
assets and the project's hand-written pages) and ``DIR/mkdocs.yml`` (the
project's configuration with the navigation, stylesheet, script and Markdown
extensions filled in, and without the cxsite plugin): ``zensical build`` or
``properdocs build`` in ``DIR`` then builds the site with no cxsite code
running. What goes in comes from :mod:`cxsite.assembly`, which the MkDocs
plugin calls too, so the two paths make the same site.

``cxsite build --engine properdocs|zensical`` renders into a staging folder
beside the site, runs the engine there in a child process, and swaps the
result in as :func:`cxsite.build.build_site` does for MkDocs.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .assembly import (
    listed_extensions, offline_polyfills, page_extensions, site_files, site_nav, site_scripts,
    site_stylesheets, templates_folder,
)
from .choices import ENGINES
from .errors import InputError
from .outputs import RENDERED, check_replaceable, os_problem, protected_paths, refuse_project_data

# What each engine's Python package and extra are called; mkdocs is a dependency of cxsite itself.
ENGINE_NAMES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}
CONFIG = "mkdocs.yml"
DOCS = "docs"
SITE = "site"  # where a builder run in the rendered folder writes the site (the default of all three)
THEME_DIR = "overrides"  # the project's theme.custom_dir, copied into the rendered folder
# The options a rendered folder sets itself: the project's would name places in the project.
_OWN_KEYS = ("docs_dir", "site_dir", "nav", "extra_css", "extra_javascript", "markdown_extensions", "plugins")
_WARNING = re.compile(r"^\s*(WARNING|ERROR)\b|\bwarning\b", re.IGNORECASE)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def check_engine(engine: str) -> None:
    """Refuse an engine that is not installed, naming the extra that brings it."""
    if engine not in ENGINES:
        raise InputError("--engine", f"unknown engine '{engine}'; choose one of {', '.join(ENGINES)}")
    if importlib.util.find_spec(engine) is None:
        raise InputError("--engine", f"{engine} is not installed; install it with pip install "
                                     f"'cxsite[{engine}]' (the '{engine}' extra), or build with --engine mkdocs")


def check_render_dir(root: Path, out: Path, config_file: Path) -> Path:
    """The resolved output folder of ``cxsite render``, once it is known it may be replaced."""
    shown = str(out)
    refuse_project_data(out, protected_paths(root, config_file), shown, "the output folder",
                        "choose a folder outside the project's data, such as rendered/")
    real = out.resolve()
    check_replaceable(real, RENDERED, shown)
    return real


def write_source(dest: Path, root: Path, raw: dict, options: dict, project, results) -> dict[str, str]:
    """Write a site's source folder into ``dest`` (an empty folder): ``docs/`` and ``mkdocs.yml``.

    Parameters
    ----------
    dest : Path
        The folder to fill; new and empty.
    root : Path
        The project root, which ``mkdocs.yml``'s relative paths start from.
    raw : dict
        The project's ``mkdocs.yml``, read (``!ENV`` resolved).
    options : dict
        cxsite's options for this site (``templates_dir``, ``pdf``, ``offline``).
    project : cxsite.load.Project
        The loaded, validated engagements of this site.
    results : cxsite.results.Results
        Where their results come from.

    Returns
    -------
    dict
        ``{page: language}`` for each page in another language than the
        site's (an engagement's pages): the theme writes the site's in
        ``<html lang>``, :func:`set_page_languages` corrects the built pages.
    """
    from .pages import build_pages, site_language

    docs_dir = root / str(raw.get("docs_dir") or DOCS)
    hand = _hand_written(docs_dir)
    home = hand.pop("index.md", None)
    templates = templates_folder(root, options.get("templates_dir"))
    if not templates.is_absolute():
        templates = root / templates
    offline = bool(options.get("offline"))
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    configured = str(theme.get("language") or "en")
    language = site_language(project, configured)
    site = build_pages(project, templates, pdf=bool(options.get("pdf")), results=results,
                       home_intro=_home_intro(home) if home else None, language=language)
    added = site_files(site, templates, offline, set(hand), docs_dir.name)
    files: dict[str, str | Path] = dict(sorted({**hand, **added}.items()))
    for path, content in files.items():
        target = dest / DOCS / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8", newline="\n")
        else:
            shutil.copyfile(content, target)
    pages = [p for p in hand if p.endswith((".md", ".markdown"))]
    config = rendered_config(raw, site_nav(site, sorted(pages), raw.get("nav")), offline)
    if isinstance(config.get("theme"), dict) and language != configured:
        # A client's own site: the theme's interface in the client's language.
        config["theme"] = {**config["theme"], "language": language}
    custom = (raw.get("theme") or {}).get("custom_dir") if isinstance(raw.get("theme"), dict) else None
    if custom:
        shutil.copytree(root / str(custom), dest / THEME_DIR)
    _write_config(dest / CONFIG, config)
    return {path: lang for path, lang in site.languages.items() if lang != language}


def set_page_languages(site: Path, languages: dict[str, str]) -> None:
    """Give each built page of ``languages`` (``{source page: language}``) its ``<html lang>``.

    A page is built as ``x/index.html`` (directory URLs) or ``x.html``
    (``--zip``); whichever exists is rewritten in place.
    """
    from .i18n import with_lang

    for page, language in sorted(languages.items()):
        stem = page.removesuffix(".md")
        candidates = (site / f"{stem}.html",) if stem.endswith("index") else (site / f"{stem}.html",
                                                                              site / stem / "index.html")
        for built in candidates:
            if built.is_file():
                built.write_text(with_lang(built.read_text(encoding="utf-8"), language), encoding="utf-8")
                break


def _hand_written(docs_dir: Path) -> dict[str, Path]:
    """The project's own files in its docs folder, as MkDocs takes them (no dot-files, no ``templates/``)."""
    if not docs_dir.is_dir():
        return {}
    found = {}
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts) or rel.parts[0] == "templates":
            continue
        found[rel.as_posix()] = path
    return found


def _home_intro(path: Path) -> str:
    """A hand-written ``docs/index.md`` without its front matter: it opens the generated home page."""
    from mkdocs.utils.meta import get_data

    body, _ = get_data(path.read_text(encoding="utf-8-sig"))
    return body


def rendered_config(raw: dict, nav: list, offline: bool) -> dict:
    """The project's configuration for a builder run in the rendered folder.

    Its keys in their order, with the docs and site folders, the navigation,
    cxsite's stylesheet and script and the Markdown extensions the pages need
    filled in, the cxsite plugin left out (nothing of cxsite runs in that
    build), and the theme's ``custom_dir`` pointing at its copy.
    """
    names, configs, chose = listed_extensions(raw.get("markdown_extensions"))
    names, configs = page_extensions(names, configs, chose)
    plugins = raw.get("plugins", ["search"])  # MkDocs' own default
    if isinstance(plugins, dict):
        plugins = [{name: opts} for name, opts in plugins.items()]
    plugins = [p for p in plugins if _plugin_name(p) != "cxsite"]
    if offline and not any(_plugin_name(p) in ("offline", "material/offline") for p in plugins):
        plugins.append("offline")  # Material's (and Zensical's): links and search that work from file://
    own = {"docs_dir": DOCS, "site_dir": SITE, "nav": inert_titles(nav),
           "extra_css": site_stylesheets(raw.get("extra_css") or []),
           "extra_javascript": site_scripts(raw.get("extra_javascript") or []),
           "markdown_extensions": [{n: configs[n]} if configs.get(n) else n for n in names],
           "plugins": plugins}
    config = {key: value for key, value in raw.items() if key not in _OWN_KEYS and key != "INHERIT"}
    if isinstance(config.get("theme"), dict) and config["theme"].get("custom_dir"):
        config["theme"] = {**config["theme"], "custom_dir": THEME_DIR}
    if offline:
        extra = dict(config.get("extra") or {})
        extra["polyfills"] = offline_polyfills(extra.get("polyfills", []))
        config["extra"] = extra
    return {**config, **own}


def inert_titles(nav):
    """The navigation with every ``<`` and ``>`` of a title as its full-width look-alike.

    Nav titles are HTML text (cxsite escaped the data in them), and themes
    print ``page.title | striptags`` in ``<title>``: Jinja's filter unescapes
    as it strips, so ``&lt;/title&gt;&lt;script&gt;`` from a dimension's
    title came out as live markup in the page head. Under MkDocs the plugin
    replaces the filter; a rendered folder is built with no cxsite code
    running, so the titles themselves must hold nothing that unescapes to a
    tag. Only ``&lt;``/``&gt;`` can (``&amp;`` unescapes to a harmless ``&``).
    """
    if isinstance(nav, list):
        return [inert_titles(entry) for entry in nav]
    if isinstance(nav, dict):
        return {_inert(title): inert_titles(value) for title, value in nav.items()}
    return nav


def _inert(title):
    return title.replace("&lt;", "\uff1c").replace("&gt;", "\uff1e") if isinstance(title, str) else title


def _plugin_name(entry) -> str | None:
    return next(iter(entry)) if isinstance(entry, dict) else entry


def _write_config(path: Path, config: dict) -> None:
    import yaml

    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text("# Made by cxsite render: the project's mkdocs.yml, completed for any MkDocs-compatible\n"
                    "# builder (mkdocs, properdocs, zensical build). Made again on each render; edit the\n"
                    "# project's own mkdocs.yml instead.\n" + text, encoding="utf-8", newline="\n")


def engine_messages(output: str) -> list[str]:
    """What an engine said, for a person: no colour codes, no progress lines, no Python traceback.

    Zensical ends a strict build that found a problem with a traceback of its
    own after its located message; the message is what to act on.
    """
    kept, in_traceback = [], False
    for line in _ANSI.sub("", output).splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
            continue
        if in_traceback:
            in_traceback = line[:1].isspace()  # the frames are indented; the exception's line ends them
            continue
        if line.strip() and not line.lstrip().startswith(("INFO", "Build started", "Build finished")):
            kept.append(line.rstrip())
    return kept


def run_engine(engine: str, source: Path, strict: bool, shown: str) -> Path:
    """Build the rendered folder ``source`` with ``engine`` in a child process; returns the built site.

    The child's output is read: under ``strict`` a warning fails the build,
    as it does for MkDocs, even where the engine itself would go on.
    """
    cmd = [sys.executable, "-m", engine, "build", "-f", str(source / CONFIG)] + (["--strict"] if strict else [])
    try:
        done = subprocess.run(cmd, cwd=source, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
                              stdin=subprocess.DEVNULL, check=False)
    except OSError as exc:
        raise os_problem(exc, shown) from None
    lines = engine_messages(done.stdout + "\n" + done.stderr)
    warnings = [line for line in lines if _WARNING.search(line)]
    if done.returncode != 0 or (strict and warnings) or not (source / SITE / "index.html").is_file():
        detail = "\n".join(lines[-12:])
        raise InputError(shown, f"{ENGINE_NAMES[engine]} build failed (exit status {done.returncode}); "
                                "correct what it says, or build with --no-strict"
                         + (f"\n{detail}" if detail else ""))
    return source / SITE


def engine_build(engine: str, root: Path, site_dir: Path, shown: str, config_file: Path, strict: bool,
                 options: dict, project, results) -> Path:
    """Render the site's source into a staging folder and build it there with ``engine``.

    Returns the built site in a staging folder beside ``site_dir`` (named
    like MkDocs' staging, so a killed build's leftovers are cleared by the
    next one); the source folder is removed whatever happens.
    """
    from .build import make_staging, read_config

    raw = read_config(config_file)
    if raw is None:
        raise InputError(str(config_file), "no mkdocs.yml here; run in a project root or pass --project")
    source = make_staging(site_dir, shown)
    try:
        staging = make_staging(site_dir, shown)
        try:
            languages = write_source(source, root, raw, options, project, results)
            built = run_engine(engine, source, strict, str(config_file))
            set_page_languages(built, languages)
            staging.rmdir()
            built.rename(staging)  # same folder, same file system: one rename
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    except OSError as exc:
        if exc.filename and Path(exc.filename).resolve().is_relative_to(site_dir.parent):
            raise os_problem(exc, shown) from None
        raise
    finally:
        shutil.rmtree(source, ignore_errors=True)
    return staging


def render_project(root: Path, out: Path, client: str | None = None, engagements: list[str] | None = None,
                   pdf: bool = False, offline: bool = False) -> list[str]:
    """``cxsite render``: validate the project, then write its site's source into ``out``, atomically.

    ``out`` is refused if it is project data or a folder cxsite did not
    make; it is replaced only once the new folder is complete. Returns the
    ids of the engagements rendered, sorted (with the earlier waves their
    trends need), as :func:`cxsite.build.build_site` does.
    """
    from .build import make_staging, merged_plugins, read_config, swap_in
    from .cache import CACHE_DIR, Cache
    from .load import load_project
    from .results import Results

    config_file = root / CONFIG
    shown = str(out)
    out = check_render_dir(root, out, config_file)
    raw = read_config(config_file)
    if raw is None:
        raise InputError(str(config_file), "no mkdocs.yml here; run in a project root or pass --project")
    _, options = merged_plugins(config_file, {"client": client, "engagements": engagements, "pdf": pdf,
                                              "offline": offline})
    results = Results(Cache(root / CACHE_DIR))
    project = load_project(root, only=options.get("engagements") or None, client=options.get("client"),
                           known=results.known)
    staging = make_staging(out, shown)
    try:
        write_source(staging, root, raw, options, project, results)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if exc.filename and Path(exc.filename).resolve().is_relative_to(staging):
            raise os_problem(exc, shown) from None
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, out, shown, RENDERED)
    return sorted(project.engagements)
