"""Where cxsite may write, and writing there without harm.

Every output cxsite makes (a site, the client sites of a portfolio, a zip, a
``score -o`` file, an import's files) goes through this module, so that:

- no output can replace, land inside, or swallow the project's own data
  (:func:`protected_paths`, :func:`refuse_project_data`);
- a folder is only ever replaced when an earlier build marked it as its own
  (:data:`MARKER`, :func:`check_replaceable`), or when it is recognisably a
  site built by a cxsite from before the marker (see :func:`_legacy_site`);
- files are written to temporary siblings and renamed into place, all or
  none (:func:`write_files`);
- a refusal of the file system is one located line, never a traceback
  (:func:`os_problem`).
"""

from __future__ import annotations

import errno
import functools
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ErrorCollector, InputError, display_path

MARKER = ".cxsite-made"
SITE = "site"
PORTFOLIO = "portfolio"
RENDERED = "rendered"  # cxsite render's folder: a site's source, for any MkDocs-compatible builder
_KINDS = {SITE: "one client's site", PORTFOLIO: "the client sites of --all-clients",
          RENDERED: "a site's source made by cxsite render"}
_MARKER_TEXT = ("cxsite: {kind}\n"
                "This folder was made by cxsite build, and the next build replaces its contents.\n"
                "Keep nothing else here.\n")
# Folders of a project root that hold its data, whatever mkdocs.yml says.
DATA_FOLDERS = ("assessments", "engagements", "docs", "site_templates", ".git", ".cxsite-cache", "benchmarks")
_STAGING = re.compile(r"^\..+\.(building|old)-")


@dataclass(frozen=True)
class Protected:
    """The resolved places of a project that no output may touch."""

    root: Path
    folders: tuple[Path, ...]  # refused as equal, inside or containing
    files: tuple[Path, ...]  # refused as equal or containing


def _config_folders(config_file: Path) -> list[Path]:
    """Folders mkdocs.yml points at (docs_dir, theme.custom_dir, the plugin's dirs)."""
    try:
        text = config_file.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return []
    return _named_folders(str(config_file.parent), text)


@functools.lru_cache(maxsize=8)
def _named_folders(base_dir: str, text: str) -> list[Path]:
    # Cached: every client's build of a portfolio reads the same mkdocs.yml.
    import yaml

    class _Loose(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    # mkdocs.yml carries tags such as !ENV; their values do not name folders we need.
    _Loose.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        doc = yaml.load(text, Loader=_Loose)  # noqa: S506
    except (ValueError, yaml.YAMLError):
        return []
    if not isinstance(doc, dict):
        return []
    named = [doc.get("docs_dir")]
    theme = doc.get("theme")
    if isinstance(theme, dict):
        named.append(theme.get("custom_dir"))
    for plugin in doc.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("cxsite"), dict):
            named += [plugin["cxsite"].get("templates_dir"), plugin["cxsite"].get("project_dir")]
    base = Path(base_dir)
    return [(base / n).resolve() for n in named if isinstance(n, str) and n]


def protected_paths(root: Path, config_file: Path | None = None,
                    engagements: list[Path] | None = None) -> Protected:
    """The project root, its data folders, and every file it reads through a link.

    Files the project reads lie inside its data folders, except where a link
    points elsewhere: the targets of links found there are protected too.
    ``engagements``: look for links inside these engagement folders only (a
    portfolio's client build, whose caller checked the whole portfolio).
    """
    root = root.resolve()
    config_file = (config_file or root / "mkdocs.yml").resolve()
    folders = {(root / name).resolve() for name in DATA_FOLDERS}
    folders.update(_config_folders(config_file))
    files = {config_file, (root / "mkdocs.yml").resolve()}
    only = None if engagements is None else {Path(f).name for f in engagements}
    for path in _links_under(root / "assessments") + _links_under(root / "engagements", only):
        (folders if path.is_dir() else files).add(path.resolve())
    return Protected(root, tuple(sorted(folders)), tuple(sorted(files)))


def _links_under(base: Path, only: set[str] | None = None) -> list[Path]:
    """Every link below ``base``, links not followed; ``only``: enter just these subfolders.

    os.scandir knows an entry's type without a stat, and a client's build of
    a portfolio enters only its own folders: walking every engagement for
    each client would grow a portfolio's build with the square of its size.
    """
    links: list[Path] = []
    todo = [str(base)]
    if only is not None:
        named = [base / name for name in sorted(only)]
        links += [p for p in named if p.is_symlink()]
        todo = [str(p) for p in named if not p.is_symlink()]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_symlink():
                links.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                todo.append(entry.path)
    return links


def _clash(target: Path, prot: Protected) -> tuple[str, Path] | None:
    """How ``target`` (resolved) would touch project data: (relation, the data)."""
    if target == prot.root:
        return "is", prot.root
    if prot.root.is_relative_to(target):
        return "contains", prot.root
    for data in (*prot.folders, *prot.files):
        if target == data:
            return "is", data
        if target.is_relative_to(data):
            return "is inside", data
        if data.is_relative_to(target):
            return "contains", data
    return None


def refuse_project_data(target: Path, prot: Protected, shown: str, what: str,
                        todo: str = "choose a folder outside the project's data, such as site/") -> None:
    """Raise an :class:`InputError` when ``target`` is, lies in or holds project data.

    ``shown`` is the path as the user gave it; ``what`` names the output
    (``"the site folder"``, ``"the output file"``).
    """
    found = _clash(target.resolve(), prot)
    if found is None:
        return
    relation, data = found
    name = "the project folder" if data == prot.root else \
        f"the project's {display_path(data, prot.root)}" + ("/" if data.is_dir() else "")
    raise InputError(shown, f"{what} {relation} {name}, which holds project data; {todo}")


def write_marker(folder: Path, kind: str) -> None:
    """Mark ``folder`` as made by cxsite, so a later build may replace it."""
    (folder / MARKER).write_text(_MARKER_TEXT.format(kind=kind), encoding="utf-8")


def marked_as(folder: Path) -> str | None:
    """The kind of output ``folder``'s marker names, or None without one."""
    try:
        first = (folder / MARKER).read_text(encoding="utf-8").split("\n", 1)[0]
    except (OSError, UnicodeDecodeError):
        return None
    return first.removeprefix("cxsite: ") if first.startswith("cxsite: ") else None


def _legacy_site(folder: Path) -> bool:
    """A site built before sites carried a marker: cxsite's own files and no project's.

    Migration: every site an older cxsite built has ``index.html`` and
    ``assets/cxsite.css``; a project (or a copy of one) has ``mkdocs.yml``,
    ``assessments/`` or engagement files, which no built site holds.
    """
    if not ((folder / "index.html").is_file() and (folder / "assets" / "cxsite.css").is_file()):
        return False
    if any((folder / n).exists() for n in ("mkdocs.yml", "assessments", ".git", ".cxsite-cache")):
        return False
    return not any((folder / "engagements").glob("*/engagement.yml"))


def _legacy_portfolio(folder: Path) -> bool:
    """--all-clients output from before the marker: stamps and client sites only."""
    from .portfolio import STAMPS

    if not (folder / STAMPS).is_dir():
        return False
    for entry in folder.iterdir():
        if entry.name in (STAMPS, MARKER) or _STAGING.match(entry.name):
            continue
        if not entry.is_dir() or not (marked_as(entry) == SITE or _legacy_site(entry)):
            return False
    return True


def check_parents(path: Path, shown: str) -> None:
    """Refuse a path below a file: the nearest existing folder above it must be a folder."""
    for parent in Path(os.path.abspath(path)).parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(shown, f"cannot write here: {parent} is a file, not a folder; "
                                        "choose another path")
            return


def check_replaceable(folder: Path, kind: str, shown: str) -> None:
    """Refuse to replace or fill ``folder`` unless it is new, empty or cxsite's own ``kind``."""
    check_parents(folder, shown)
    if not folder.exists():
        if folder.is_symlink():
            raise InputError(shown, "is a link to nothing; remove it or choose another folder")
        return
    if not folder.is_dir():
        raise InputError(shown, "is a file, not a folder; remove it or choose another folder")
    try:
        if not any(folder.iterdir()):
            return
    except OSError as exc:
        raise os_problem(exc, shown) from None
    made = marked_as(folder) or (SITE if _legacy_site(folder) else PORTFOLIO if _legacy_portfolio(folder)
                                 else None)
    if made == kind:
        return
    if made is not None:
        other = _KINDS.get(made, f"cxsite's {made}")
        wanted = {SITE: "a site", PORTFOLIO: "client sites"}.get(kind, _KINDS.get(kind, kind))
        raise InputError(shown, f"holds {other}, not {wanted}; choose another folder")
    raise InputError(shown, "exists and was not made by cxsite; remove it or choose another folder")


_ERRNO_ADVICE = {
    errno.EACCES: ("permission denied", "choose a folder you can write to, or fix its permissions"),
    errno.EPERM: ("permission denied", "choose a folder you can write to, or fix its permissions"),
    errno.EROFS: ("the file system is read-only", "choose a folder on a writable disk"),
    errno.ENOTDIR: ("a part of this path is a file, not a folder", "choose another path"),
    errno.EEXIST: ("a file is in the way", "remove it or choose another path"),
    errno.EISDIR: ("is a folder, not a file", "remove it or choose another path"),
    errno.ENOSPC: ("no space left on the disk", "free some space and try again"),
}


def os_problem(exc: OSError, shown: str) -> InputError:
    """A file system refusal as one ``path: what is wrong, what to do`` line."""
    what, todo = _ERRNO_ADVICE.get(exc.errno, (exc.strerror or str(exc), "check the path and try again"))
    return InputError(shown, f"cannot write here: {what}; {todo}")


def write_file(target: Path, content: str | bytes, shown: str) -> None:
    """Write one file atomically: a temporary sibling, then a rename."""
    check_parents(target, shown)
    if target.is_dir():
        raise InputError(shown, "is a folder, not a file; choose a file name")
    try:
        write_files({target: content})
    except OSError as exc:
        raise os_problem(exc, shown) from None


def check_targets(files, within: Path, root: Path) -> None:
    """Refuse, before anything is written, any target that could not be replaced cleanly.

    A target must not be a folder, nor lie (through a link) outside ``within``,
    and it and its folder must be writable. Every problem is listed at once.
    """
    errors = ErrorCollector()
    inside = within.resolve()
    for target in files:
        shown = display_path(target, root)
        if target.is_dir():
            errors.add(shown, "is a folder where a file is written; move the folder away and try again")
        elif not target.parent.resolve().is_relative_to(inside) or (
                target.is_symlink() and not target.resolve().is_relative_to(inside)):
            errors.add(shown, "links outside this engagement's folder; remove the link and try again")
        elif not os.access(target.parent, os.W_OK | os.X_OK):
            errors.add(shown, "its folder is not writable; fix the folder's permissions and try again")
        elif target.exists() and not os.access(target, os.W_OK):
            errors.add(shown, "is read-only; make it writable (chmod u+w) and try again")
    errors.raise_if_any()


def write_output(root: Path, output: str | None, text: str, example: str) -> None:
    """A command's result: to ``output`` (``-o FILE``) if given, else to standard output.

    The file may not be project data: ``-o`` beside a questionnaire or a
    responses file must not become one of them. ``example`` names a file
    the message suggests instead (``results.json``).
    """
    if not output:
        sys.stdout.write(text)
        return
    refuse_project_data(Path(output), protected_paths(root), output, "the output file",
                        f"write the results outside the project's data, such as {example}")
    write_file(Path(output), text, output)


def write_files(files: dict[Path, str | bytes],
                check: Callable[[dict[Path, Path]], None] | None = None) -> None:
    """Write every file to a temporary sibling, ``check`` them, then rename all into place.

    Nothing is renamed unless every file was written and the check passed. If
    a rename fails part way, the files already renamed are put back as they
    were, so the targets end either all new or all old. Temporary files never
    outlive the call.
    """
    temps: dict[Path, Path] = {}
    try:
        for target, content in files.items():
            temps[target] = _write_temp(target, content)
        if check is not None:
            check(temps)
        _rename_all(temps)
    finally:
        for temp in temps.values():
            if temp.exists():
                temp.unlink()


def _write_temp(target: Path, content: str | bytes) -> Path:
    # The temporary file keeps the suffix: a check reads it back by its type (.csv, .yml).
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # Keep the old file's mode: mkstemp makes the file private.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _rename_all(temps: dict[Path, Path]) -> None:
    """Rename each temporary file over its target, undoing them all if one fails."""
    backups: dict[Path, Path | None] = {}
    try:
        for target in temps:
            backups[target] = _backup(target)
        done = []
        try:
            for target, temp in temps.items():
                os.replace(temp, target)
                done.append(target)
        except BaseException:
            for target in reversed(done):
                _restore(target, backups[target])
                backups[target] = None
            raise
    finally:
        for old in backups.values():
            if old is not None and (old.exists() or old.is_symlink()):
                old.unlink()


def _restore(target: Path, old: Path | None) -> None:
    """Put ``target`` back as it was before the renames: its backup, or no file at all."""
    if old is None:
        target.unlink(missing_ok=True)
        return
    try:
        os.rename(old, target)  # overwrites on POSIX; not os.replace, whose failure brought us here
    except OSError:
        shutil.copyfile(old, target)
        old.unlink()


def _backup(target: Path) -> Path | None:
    """A second name for the current file (a hard link: instant, no copy), or None if absent."""
    if not (target.exists() or target.is_symlink()):
        return None
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")
    os.close(fd)
    os.unlink(name)
    try:
        os.link(target, name, follow_symlinks=False)
    except OSError:
        shutil.copy2(target, name, follow_symlinks=False)  # a file system without hard links
    return Path(name)
