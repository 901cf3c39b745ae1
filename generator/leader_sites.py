"""One site per leader: ``cxsite build --leaders --out DIR``.

Each leader with a report gets ``DIR/<engagement-id>/<folder>/``, a MkDocs
site of its own (its own search index and sitemap) holding their line's
figures beside the organisation's and, where it is a published group, their
manager's line, and the lines of the teams directly below them: nothing of
any other group. The figures are :func:`cxsite.leaders.leader_figures`',
so every group shown passed disclosure control there. The folder is the
leader's name as a slug and a hash, never an employee id or an e-mail
address. ``DIR/<engagement-id>/leaders.csv`` tells the consultant who gets
which folder and who gets no report, and why; it lies outside every site.

A leader whose pages are byte for byte those of the last build is not built
again (a stamp in ``DIR/.cxsite-stamps/``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .leader_pages import pages, views
from .load import load_project
from .outputs import PORTFOLIO, SITE, check_replaceable, marked_as, protected_paths, refuse_project_data, write_marker
from .places import slugify
from .render import make_environment
from .resources import code_digest

STAMPS = ".cxsite-stamps"


@dataclass
class LeaderSite:
    engagement: str
    folder: Path
    name: str
    built: bool


def folder_name(eid: str, leader_id: str, name: str | None) -> str:
    """A leader's site folder: their name as a slug and a hash of who they are (never the id itself)."""
    digest = hashlib.sha256(f"{eid}\0{leader_id}".encode()).hexdigest()[:10]
    return f"{slugify(name) if name else 'leader'}-{digest}"


def _build_one(target: str, files: dict[str, str]) -> None:
    """Write ``files`` into a staging folder, build it with MkDocs and put the site at ``target``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from .build import swap_in

    target_path = Path(target)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".leader-src-", dir=target_path.parent) as src:
        for rel, text in files.items():
            (Path(src) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(src) / rel).write_text(text, encoding="utf-8")
        staging = Path(tempfile.mkdtemp(prefix=f".{target_path.name}.building-", dir=target_path.parent))
        try:
            build(load_config(config_file=str(Path(src) / "mkdocs.yml"), site_dir=str(staging), strict=True))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    swap_in(staging, target_path, str(target_path))


def build_leader_sites(root: Path, out: Path, engagements: list[str] | None = None, jobs: int = 1,
                       shard: tuple[int, int] | None = None, force: bool = False) -> list[LeaderSite]:
    """Every leader's site of every engagement with a hierarchy (or of ``engagements``), in ``out``."""
    out = out.absolute()  # MkDocs reads a relative site_dir against its config's folder, a temporary one
    refuse_project_data(out, protected_paths(root), str(out), "the --out folder")
    check_replaceable(out.resolve(), PORTFOLIO, str(out))
    project = load_project(root, only=engagements)
    chosen = [e for e in sorted(project.engagements.values(), key=lambda e: e.id) if e.hierarchy]
    if not chosen:
        raise InputError("--leaders", "no engagement has a hierarchy; add 'hierarchy:' to engagement.yml")
    env = make_environment(root / "site_templates")
    out.mkdir(parents=True, exist_ok=True)
    write_marker(out, PORTFOLIO)
    todo, done = {}, []
    for e in chosen:
        result, leader_views = views(e)
        _write_index(out / e.id, e.id, leader_views)
        _remove_withdrawn(out, e.id, {folder_name(e.id, v["leader"]["id"], v["leader"]["name"])
                                      for v in leader_views if not v["leader"]["suppressed"]})
        for k, view in enumerate(leader_views):
            x = view["leader"]
            if x["suppressed"] or (shard and k % shard[1] != shard[0] - 1):
                continue
            folder = out / e.id / folder_name(e.id, x["id"], x["name"])
            files = pages(env, e, result, view)
            stamp = hashlib.sha256(code_digest() + repr(sorted(files.items())).encode()).hexdigest()
            changed = force or not _unchanged(out, e.id, folder.name, stamp)
            if changed:
                todo[str(folder)] = (files, out / STAMPS / e.id / folder.name, stamp)
            done.append(LeaderSite(e.id, folder, x["name"] or "", changed))
    _run(todo, jobs)
    return done


def _run(todo: dict, jobs: int) -> None:
    """Build the changed sites, ``jobs`` at once, each stamped as soon as it is in place."""
    def stamped(target: str) -> None:
        _, path, stamp = todo[target]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(stamp, encoding="utf-8")

    if jobs <= 1 or len(todo) <= 1:
        for target, (files, _, _) in todo.items():
            _build_one(target, files)
            stamped(target)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {target: pool.submit(_build_one, target, files) for target, (files, _, _) in todo.items()}
        for target, f in futures.items():
            f.result()
            stamped(target)


def _unchanged(out: Path, eid: str, folder: str, stamp: str) -> bool:
    path = out / STAMPS / eid / folder
    if path.is_file() and path.read_text(encoding="utf-8") == stamp and (out / eid / folder / "index.html").is_file():
        return True
    path.unlink(missing_ok=True)
    return False


def _remove_withdrawn(out: Path, eid: str, keep: set[str]) -> None:
    """Remove the sites of leaders who no longer get a report (fewer people, or now derivable).

    A site left from an earlier build would go on publishing a group that
    disclosure control now withholds. Only folders cxsite marked as a site go.
    """
    folder = out / eid
    if not folder.is_dir():
        return
    for site in sorted(folder.iterdir()):
        if site.is_dir() and not site.is_symlink() and site.name not in keep and marked_as(site) == SITE:
            shutil.rmtree(site)
            (out / STAMPS / eid / site.name).unlink(missing_ok=True)


def _write_index(folder: Path, eid: str, leader_views: list[dict]) -> None:
    """``leaders.csv``: who gets which folder, for the consultant; outside every site, never published."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["employee_id", "name", "level", "respondents", "report", "folder"])
    for view in leader_views:
        x = view["leader"]
        report = "no: too few people, or their figures would follow from others'" if x["suppressed"] else "yes"
        w.writerow([_cell(x["id"]), _cell(x["name"] or ""), x["level"], "" if x["n"] is None else x["n"], report,
                    "" if x["suppressed"] else folder_name(eid, x["id"], x["name"])])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "leaders.csv").write_text(buf.getvalue(), encoding="utf-8")


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading =, +, - or @ is quoted with an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

