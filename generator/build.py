"""Build the site through MkDocs, atomically.

MkDocs writes into a fresh folder beside the target; only when the build has
succeeded is that folder swapped in, so a failed or interrupted build leaves
the last good site where it was.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .errors import InputError, InputErrors, Location
from .load import load_project
from .outputs import (
    MARKER, SITE, check_replaceable, os_problem, protected_paths, refuse_project_data, write_marker,
)


class MkDocsWarnings(logging.Handler):
    """MkDocs' warnings during one build: strict mode fails on any, and the error names them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(root: Path, site_dir: Path, client: str | None = None,
               engagements: list[str] | None = None, strict: bool = True,
               config_file: Path | None = None, pdf: bool = False,
               offline: bool = False, folders: list[Path] | None = None,
               progress: bool = False, engine: str = "mkdocs") -> list[str]:
    """Validate the project, then build it with MkDocs (or ``engine``) into ``site_dir`` (and print PDFs).

    Returns the ids of the engagements built, sorted: those asked for, the
    earlier waves their trends need and the waves they are shown beside.

    ``client``, ``engagements``, ``pdf`` and ``offline`` are the plugin's
    options: given here, they override the same options in ``mkdocs.yml``;
    left out, the user's stay (see :func:`merged_plugins`).
    ``folders``: only these engagement folders (see :func:`load_project`).
    ``progress``: a bar over the pages MkDocs renders, on a terminal, for
    builds of more than a few engagements.
    ``engine``: ``mkdocs`` (through the plugin), or ``properdocs`` or
    ``zensical`` building the folder ``cxsite render`` makes (see :mod:`cxsite.engines`).
    """
    from .buildcontext import build_context
    from .cache import CACHE_DIR, Cache
    from .results import Results

    config_file = config_file or root / "mkdocs.yml"
    shown = str(site_dir)
    site_dir = check_site_dir(root, site_dir, config_file, folders)
    if engine != "mkdocs":
        from .engines import check_engine

        check_engine(engine)  # before the project is read: the fix is an install, not an edit
    plugins, options = merged_plugins(config_file, {"client": client, "engagements": engagements,
                                                    "pdf": pdf, "offline": offline})
    # Fail on bad input before MkDocs starts, with the project's own messages.
    results = Results(Cache(root / CACHE_DIR))
    project = load_project(root, only=options.get("engagements") or None, client=options.get("client"),
                           known=results.known, folders=folders)
    if engine != "mkdocs":
        from .engines import engine_build

        staging = engine_build(engine, root, site_dir, shown, config_file, strict, options, project, results)
        return _finish(staging, site_dir, shown, root, project, options)
    bar = None
    if progress:
        from .progress import A_FEW, Progress

        bar = Progress(0, "rendering pages", show=len(project.engagements) > A_FEW)
    with build_context(root, project=project, results=results, progress=bar) as context:
        staging = _mkdocs_build(config_file, site_dir, shown, strict, plugins, context)
    return _finish(staging, site_dir, shown, root, project, options)


def _finish(staging: Path, site_dir: Path, shown: str, root: Path, project, options: dict) -> list[str]:
    """Print the PDFs from the staged site if asked, swap it in, prune the cache; the ids built."""
    from .cache import CACHE_DIR, Cache

    if options.get("pdf"):
        from .assembly import templates_folder
        from .i18n import lang_for
        from .pdf import PAGE_OF, print_pdfs

        templates = templates_folder(root, options.get("templates_dir"))
        try:
            print_pdfs(staging, [(e.id, f"{e.client} · {e.title} · {e.wave}",
                                  lang_for(e.language, templates).gettext(PAGE_OF))
                                 for e in sorted(project.engagements.values(), key=lambda e: e.id)])
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    swap_in(staging, site_dir, shown)
    Cache(root / CACHE_DIR).prune()
    return sorted(project.engagements)


def _mkdocs_build(config_file: Path, site_dir: Path, shown: str, strict: bool, plugins: dict | list | None,
                  context) -> Path:
    """Run MkDocs into a fresh staging folder beside ``site_dir``; returns that folder."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    if not config_file.is_file():
        raise InputError(str(config_file), "no mkdocs.yml here; run in a project root or pass --project")
    staging = make_staging(site_dir, shown)
    handler = MkDocsWarnings()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        cfg = load_config(str(config_file), site_dir=str(staging), strict=strict, plugins=plugins)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, ConfigurationError, PluginError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if context.failure is not None:
            raise context.failure from None  # the plugin's own located messages
        detail = "\n".join(handler.messages[-10:])
        raise InputError(str(config_file), f"MkDocs build failed: {exc}"
                                           + (f"\n{detail}" if detail else "")) from None
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if exc.filename and Path(exc.filename).resolve().is_relative_to(staging):
            raise os_problem(exc, shown) from None  # writing the new site failed
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        log.removeHandler(handler)
    return staging


def merged_plugins(config_file: Path, given: dict) -> tuple[dict | list | None, dict]:
    """The user's ``plugins:`` of ``config_file``, with the options ``given`` set on cxsite's.

    Only the options given (not None, not False, not empty) replace the
    user's; every other option the user wrote stays, so ``templates_dir`` in
    mkdocs.yml survives ``cxsite build --client X``. A project whose
    mkdocs.yml does not list the plugin gets it. The list goes to MkDocs as
    the ``plugins`` setting, which replaces the file's, so nothing else is lost.

    Returns
    -------
    plugins : dict, list or None
        For ``load_config(plugins=...)``: ``{name: options}`` in the user's
        order (a list only where a plugin is named twice, which no mapping
        can hold); None without a readable config file (MkDocs says why).
    options : dict
        cxsite's options as the build will see them: the user's, overridden by ``given``.
    """
    given = {k: v for k, v in given.items() if v not in (None, False, [], ())}
    if isinstance(given.get("engagements"), (list, tuple)):
        given["engagements"] = list(given["engagements"])
    raw = read_config(config_file)
    if raw is None:
        return None, given
    entries = raw.get("plugins", ["search"])  # MkDocs' own default
    if isinstance(entries, dict):
        entries = [{name: opts} for name, opts in entries.items()]
    if not isinstance(entries, list):
        return None, given  # not MkDocs' shape: load_config reports it
    plugins, options = [], None
    for entry in entries:
        # An entry is a name, or a one-key mapping of a name to its options.
        if entry == "cxsite" and options is None:
            options = dict(given)
            entry = {"cxsite": options}
        elif isinstance(entry, dict) and list(entry) == ["cxsite"] and options is None:
            theirs = entry["cxsite"] if isinstance(entry["cxsite"], dict) else {}
            options = {**theirs, **given}
            entry = {"cxsite": options}
        plugins.append(entry)
    if options is None:
        options = dict(given)
        plugins.append({"cxsite": options})
    return _as_mapping(plugins), dict(options)


def _as_mapping(plugins: list) -> dict | list:
    """The plugin list as ``{name: options}``, a form MkDocs can read any number of times.

    MkDocs takes a list entry ``{name: options}`` apart with ``popitem()``, so
    a list it has read once is spent: ``mkdocs serve``, which loads the
    configuration again with the same arguments for every rebuild, failed
    each rebuild with "Invalid Plugins configuration". A mapping is read
    without being changed. A list naming a plugin twice, or holding an entry
    that is not a name or a one-key mapping, stays a list for MkDocs to judge.
    """
    if not all(isinstance(p, str) or (isinstance(p, dict) and len(p) == 1) for p in plugins):
        return plugins
    names = [p if isinstance(p, str) else next(iter(p)) for p in plugins]
    if len(set(names)) != len(names):
        return plugins
    return {name: ({} if isinstance(p, str) else p[name]) for name, p in zip(names, plugins)}


def read_config(config_file: Path) -> dict | None:
    """``config_file`` read as MkDocs reads it (``!ENV``, ``!relative``, ``INHERIT``), or None."""
    import yaml
    from mkdocs.utils import yaml_load

    try:
        with open(config_file, "rb") as f:
            raw = yaml_load(f)
    except OSError:
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(str(config_file), mark.line + 1, mark.column + 1) if mark else Location(str(config_file))
        raise InputError(where, f"is not valid YAML ({getattr(exc, 'problem', None) or exc}); "
                                "correct mkdocs.yml") from None
    return raw if isinstance(raw, dict) else None


def check_site_dir(root: Path, site_dir: Path, config_file: Path | None = None,
                   folders: list[Path] | None = None) -> Path:
    """The resolved site folder, once it is known that a build may replace it.

    Refused: a folder that is, lies in, or holds project data, and an existing
    folder that cxsite did not make (see :func:`cxsite.outputs.check_replaceable`).
    ``folders``: the engagement folders of a portfolio's client build.
    """
    shown = str(site_dir)
    refuse_project_data(site_dir, protected_paths(root, config_file, folders), shown, "the site folder")
    real = site_dir.resolve()
    check_replaceable(real, SITE, shown)
    return real


def check_zip_target(root: Path, target: Path) -> None:
    """Refuse a zip target that is project data, a folder, or a file that is no zip."""
    import zipfile

    shown = str(target)
    refuse_project_data(target, protected_paths(root), shown, "the zip file",
                        "choose another --site-dir, outside the project's data")
    if target.is_dir():
        raise InputError(shown, "is a folder, where the site's zip is written; move it away "
                                "or choose another --site-dir")
    if target.exists() and not zipfile.is_zipfile(target):
        raise InputError(shown, "exists and is not a zip cxsite made; remove it or choose another --site-dir")


def make_staging(site_dir: Path, shown: str) -> Path:
    """A fresh folder beside the site for MkDocs to write into (stale ones of killed builds removed)."""
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(site_dir)
        return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-{os.getpid()}-", dir=site_dir.parent))
    except OSError as exc:
        raise os_problem(exc, shown) from None


def write_zip(site_dir: Path, target: Path) -> Path:
    """Zip a built site reproducibly: sorted entries, one timestamp (SOURCE_DATE_EPOCH)."""
    import zipfile

    from .clock import now

    stamp = max(now(), dt.datetime(1980, 1, 2, tzinfo=dt.timezone.utc)).timetuple()[:6]
    partial = None
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
        os.close(fd)
        partial = Path(name)
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            # The marker tells a later build the folder is its own; unzipped elsewhere it means nothing.
            for path in sorted(p for p in site_dir.rglob("*") if p.is_file() and p.name != MARKER):
                info = zipfile.ZipInfo(str(Path(site_dir.name) / path.relative_to(site_dir)), stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
        partial.chmod(0o644)  # mkstemp makes it private; a zip to hand over is not
        partial.replace(target)
    except OSError as exc:
        raise os_problem(exc, str(target)) from None
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
    return target


def _remove_stale_staging(site_dir: Path) -> None:
    """Remove the half-built folders of builds that were killed (their process is gone)."""
    for stale in site_dir.parent.glob(f".{site_dir.name}.building-*"):
        try:
            pid = int(stale.name.split("building-", 1)[1].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _alive(pid):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(staging: Path, site_dir: Path, shown: str, kind: str = SITE) -> None:
    """Put the new folder in place of the old in two renames; the old is removed after.

    ``kind``: what the folder holds (:data:`cxsite.outputs.SITE`, or
    ``RENDERED`` for ``cxsite render``), written into its marker.
    """
    old = None
    try:
        # Checked again: a folder may have appeared there while MkDocs was building.
        check_replaceable(site_dir, kind, shown)
        write_marker(staging, kind)
        staging.chmod(0o755)  # mkdtemp makes it private; a published site is not
        if site_dir.exists():
            old = site_dir.with_name(f".{site_dir.name}.old-{staging.name.rsplit('-', 1)[-1]}")
            site_dir.rename(old)
        staging.rename(site_dir)
    except OSError as exc:
        if old is not None and not site_dir.exists():
            old.rename(site_dir)  # the new site could not go in: the old one goes back
        shutil.rmtree(staging, ignore_errors=True)
        raise os_problem(exc, shown) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["build_site", "check_site_dir", "check_zip_target", "write_zip", "InputErrors"]
