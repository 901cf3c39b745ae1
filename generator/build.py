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

from .errors import InputError, InputErrors
from .load import load_project
from .outputs import (
    MARKER, SITE, check_replaceable, os_problem, protected_paths, refuse_project_data, write_marker,
)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(root: Path, site_dir: Path, client: str | None = None,
               engagements: list[str] | None = None, strict: bool = True,
               config_file: Path | None = None, pdf: bool = False,
               offline: bool = False, folders: list[Path] | None = None,
               progress: bool = False) -> None:
    """Validate the project, then build it with MkDocs into ``site_dir`` (and print PDFs).

    ``folders``: only these engagement folders (see :func:`load_project`).
    ``progress``: a bar over the pages MkDocs renders, on a terminal, for
    builds of more than a few engagements.
    """
    # Fail on bad input before MkDocs starts, with the project's own messages.
    from .cache import CACHE_DIR, Cache

    config_file = config_file or root / "mkdocs.yml"
    shown = str(site_dir)
    site_dir = check_site_dir(root, site_dir, config_file, folders)
    project = load_project(root, only=engagements, client=client, cache=Cache(root / CACHE_DIR),
                           folders=folders)

    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    if not config_file.is_file():
        raise InputError(str(config_file), "no mkdocs.yml here; run in a project root or pass --project")
    staging = _make_staging(site_dir, shown)
    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        cfg = _mkdocs_config(config_file, staging, strict, offline)
        plugin = cfg.plugins.get("cxsite")
        if plugin is not None:
            plugin.config.client = client
            plugin.config.engagements = list(engagements or [])
            plugin.config.pdf = pdf
            plugin.preloaded = project  # validated above: the plugin need not read it again
            if progress:
                from .progress import A_FEW, Progress

                plugin.progress = Progress(0, "rendering pages", show=len(project.engagements) > A_FEW)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except (Abort, ConfigurationError, PluginError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
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
    if pdf:
        from .pdf import print_pdfs

        try:
            print_pdfs(staging, [(e.id, f"{e.client} · {e.title} · {e.wave}")
                                 for e in sorted(project.engagements.values(), key=lambda e: e.id)])
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    _swap_in(staging, site_dir, shown)
    Cache(root / CACHE_DIR).prune()


def _mkdocs_config(config_file: Path, staging: Path, strict: bool, offline: bool):
    """MkDocs' configuration, writing into ``staging``; ``offline``: a site for file://."""
    from mkdocs.config import load_config

    overrides = {"use_directory_urls": False} if offline else {}
    if offline:
        # Material's offline plugin reads this through !ENV in mkdocs.yml.
        os.environ["CXSITE_OFFLINE"] = "true"
    try:
        return load_config(str(config_file), site_dir=str(staging), strict=strict, **overrides)
    finally:
        os.environ.pop("CXSITE_OFFLINE", None)


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


def _make_staging(site_dir: Path, shown: str) -> Path:
    """A fresh folder beside the site for MkDocs to write into."""
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


def _swap_in(staging: Path, site_dir: Path, shown: str) -> None:
    """Put the new site in place of the old in two renames; the old is removed after."""
    old = None
    try:
        # Checked again: a folder may have appeared there while MkDocs was building.
        check_replaceable(site_dir, SITE, shown)
        write_marker(staging, SITE)
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
