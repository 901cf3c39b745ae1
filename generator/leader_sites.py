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

A leader whose pages are byte for byte those of the last build (and whose
cxsite, MkDocs and Material are the same) is not built again (a stamp in
``DIR/.cxsite-stamps/``). The changed ones are built in batches by
:func:`cxsite.leader_build.build_batch`, ``--jobs`` worker processes each
keeping the theme loaded, Material's assets hard-linked from one shared
copy in ``DIR/.cxsite-assets/``. Each site also has a print page
(``print/``: its pages in reading order, in neither its navigation nor its
search), from which ``--pdf`` prints ``DIR/<engagement-id>/<folder>.pdf``,
beside the site rather than in it, so that publishing a site never
publishes more than its pages; an unchanged leader's PDF is printed again
only if it is missing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

import yaml

from .build import swap_in
from .errors import InputError
from .leader_build import build_batch, discard, prune_assets, remove_stale
from .leader_pages import pages, views
from .leader_pdf import PRINT_PAGE, check_printing, pdf_path
from .load import load_project
from .pdf import PAGE_OF
from .outputs import (
    PORTFOLIO, SITE, check_replaceable, marked_as, os_problem, protected_paths, refuse_project_data, write_file,
    write_marker,
)
from .places import slugify
from .progress import Progress
from .render import lang_of, make_environment
from .resources import code_digest

STAMPS = ".cxsite-stamps"
_LEADER_PDF = re.compile(r"^[a-z0-9-]+-[0-9a-f]{10}\.pdf$")  # the name folder_name() gives, and .pdf


@dataclass
class LeaderSite:
    engagement: str
    folder: Path
    name: str
    built: bool
    printed: bool = False  # its PDF (``<folder>.pdf``, beside it) printed in this run


def folder_name(eid: str, leader_id: str, name: str | None) -> str:
    """A leader's site folder: their name as a slug and a hash of who they are (never the id itself)."""
    digest = hashlib.sha256(f"{eid}\0{leader_id}".encode()).hexdigest()[:10]
    return f"{slugify(name) if name else 'leader'}-{digest}"


def build_leader_sites(root: Path, out: Path, engagements: list[str] | None = None, jobs: int = 1,
                       shard: tuple[int, int] | None = None, force: bool = False,
                       pdf: bool = False) -> list[LeaderSite]:
    """Every leader's site of every engagement with a hierarchy (or of ``engagements``), in ``out``.

    All or nothing: every changed leader's site (and, with ``pdf``, PDF) is
    built into a staging folder first; only when all are built do they go
    in, with their stamps, the index and the removal of withdrawn sites. A
    failure leaves ``out`` as it was.
    """
    out = Path(os.path.abspath(out))  # MkDocs reads a relative site_dir from the config file's folder
    refuse_project_data(out, protected_paths(root), str(out), "the --out folder")
    check_replaceable(out.resolve(), PORTFOLIO, str(out))
    if pdf:
        check_printing()  # before anything is built
    project = load_project(root, only=engagements)
    chosen = [e for e in sorted(project.engagements.values(), key=lambda e: e.id) if e.hierarchy]
    if not chosen:
        raise InputError("--leaders", "no engagement has a hierarchy; add 'hierarchy:' to engagement.yml")
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_marker(out, PORTFOLIO)
    except OSError as exc:
        raise os_problem(exc, str(out)) from None
    scored = [(e, *views(e)) for e in chosen]
    for e in chosen:
        remove_stale(out / e.id)
    sites: list[LeaderSite] = []
    stamps: dict[str, tuple[Path, str]] = {}
    plan = _plan(root / "site_templates", out, scored, shard, force, pdf, sites, stamps)
    made = _run(plan, _batch_size(scored, shard, jobs, pdf), jobs, str(out))
    _put_in_place(made, stamps)
    for e, _, leader_views in scored:
        _write_index(out / e.id, e.id, leader_views)
        _remove_withdrawn(out, e.id, {folder_name(e.id, v["leader"]["id"], v["leader"]["name"])
                                      for v in leader_views if not v["leader"]["suppressed"]})
    if any(m["assets"] for m in made):
        prune_assets(out, {Path(m["assets"]) for m in made if m["assets"]})
    printed = {m["target"] for m in made if m["pdf"]}
    return [replace(s, printed=str(s.folder) in printed) for s in sites]


def _plan(templates: Path, out: Path, scored: list, shard, force: bool, pdf: bool, sites: list, stamps: dict):
    """Each leader's work, one item at a time (see :func:`cxsite.leader_build.build_batch`).

    Renders each leader's pages in their engagement's language (one
    environment per language, cached by :func:`make_environment`) and compares their stamp with the last
    build's: an unchanged site is left as it is (and, with ``pdf``, printed
    only if its PDF is missing or older than the site). Fills ``sites`` and
    ``stamps`` as it goes.
    """
    # Whatever builds the pages: cxsite's code (read once, not once a leader), MkDocs and Material.
    shared = code_digest() + "".join(f"{d}={metadata.version(d)}\0" for d in ("mkdocs", "mkdocs-material")).encode()
    for e, result, leader_views in scored:
        env = make_environment(templates, e.language)
        _ = lang_of(env).gettext
        for k, view in enumerate(leader_views):
            x = view["leader"]
            if x["suppressed"] or (shard and k % shard[1] != shard[0] - 1):
                continue
            folder = out / e.id / folder_name(e.id, x["id"], x["name"])
            files = site_files(env, e, result, view)
            stamp = hashlib.sha256(shared + repr(sorted(files.items())).encode()).hexdigest()
            stamp_file = out / STAMPS / e.id / folder.name
            changed = force or not _unchanged(out, e.id, folder.name, stamp)
            reprint = pdf and (changed or not _pdf_fresh(folder, stamp_file, stamp))
            stamps[str(folder)] = (stamp_file, stamp)
            sites.append(LeaderSite(e.id, folder, x["name"] or "", changed))
            if changed or reprint:
                who = x["name"] or _("a leader")
                label = f"{e.client} · {e.title} · {who}" if reprint else None
                yield {"target": str(folder), "files": files if changed else None, "label": label,
                       "page_of": _(PAGE_OF)}


def _batch_size(scored: list, shard, jobs: int, pdf: bool) -> int:
    """Leaders per batch: a few batches per worker, so the work spreads; larger with ``pdf`` (one Chromium a batch)."""
    leaders = sum(not v["leader"]["suppressed"] for _, _, vs in scored for v in vs)
    share = -(-leaders // ((shard[1] if shard else 1) * max(jobs, 1) * 4))
    return max(1, min(64 if pdf else 32, share))


def _run(plan, size: int, jobs: int, out: str) -> list[dict]:
    """Hand the plan's items to ``jobs`` workers in batches; returns what they made, or raises having removed it.

    One worker thread when ``jobs`` is 1 (Playwright's synchronous API wants
    a thread without an asyncio loop), worker processes otherwise. The plan
    is rendered here while the workers build the batches already handed out.
    """
    pool = ThreadPoolExecutor(1) if jobs <= 1 else ProcessPoolExecutor(jobs)
    futures: list = []
    batch: list[dict] = []
    made: list[dict] = []
    bar = Progress(0, "building leader sites")

    def stop_on_failure(f) -> None:
        if not f.cancelled() and f.exception() is not None:
            for other in futures:  # the batches not started yet would be thrown away
                other.cancel()

    def submit(items: list[dict]) -> None:
        failed = next((f for f in futures if f.done() and not f.cancelled() and f.exception()), None)
        if failed is not None:
            failed.result()  # raises: once a batch has failed, no more are handed out
        futures.append(pool.submit(build_batch, items, out))
        futures[-1].add_done_callback(stop_on_failure)

    try:
        for item in plan:
            batch.append(item)
            if len(batch) == size:
                submit(batch)
                batch = []
        if batch:
            submit(batch)
        bar.restart(len(futures))
        for f in futures:
            made += f.result()
            bar.step()
    except BaseException:
        for f in futures:
            f.cancel()
        for f in futures:
            if not f.cancelled() and f.exception() is None:
                discard(f.result())
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return made


def _put_in_place(made: list[dict], stamps: dict[str, tuple[Path, str]]) -> None:
    """Swap every staged site and PDF into place, each with its stamp; a site rebuilt without its PDF loses the old one.

    The sites replaced are moved aside and removed together at the end, a
    few at a time: removing thousands of old sites one after another took
    longer than building them.
    """
    old: list[Path] = []
    try:
        for k, m in enumerate(made):
            target, aside = Path(m["target"]), None
            stamp_file, stamp = stamps[m["target"]]
            try:
                if m["staging"]:
                    aside = _move_aside(target)
                    swap_in(Path(m["staging"]), target, str(target))
                    old += [aside] if aside else []
                    stamp_file.parent.mkdir(parents=True, exist_ok=True)
                    stamp_file.write_text(stamp, encoding="utf-8")
                    if not m["pdf"]:  # printed from the site it replaces: it would say what the site no longer does
                        pdf_path(target).unlink(missing_ok=True)
                        _pdf_stamp(stamp_file).unlink(missing_ok=True)
                if m["pdf"]:
                    os.replace(m["pdf"], pdf_path(target))
                    _pdf_stamp(stamp_file).write_text(stamp, encoding="utf-8")
            except BaseException as exc:
                if aside and aside not in old and not target.exists():
                    aside.rename(target)  # the new site could not go in: the old one goes back
                discard(made[k:])
                if isinstance(exc, OSError):
                    raise os_problem(exc, str(target)) from None
                raise
    finally:
        with ThreadPoolExecutor(4) as pool:  # removing files waits on the disk, not on Python
            list(pool.map(lambda p: shutil.rmtree(p, ignore_errors=True), old))


def _move_aside(target: Path) -> Path | None:
    """Rename the site at ``target`` (if cxsite made one there) to a name a killed run's next build removes."""
    if not target.exists():
        return None
    check_replaceable(target, SITE, str(target))
    aside = target.with_name(f".{target.name}.building-{os.getpid()}-old")
    shutil.rmtree(aside, ignore_errors=True)
    target.rename(aside)
    return aside


def _pdf_stamp(stamp_file: Path) -> Path:
    return stamp_file.with_name(stamp_file.name + ".pdf")


def _pdf_fresh(folder: Path, stamp_file: Path, stamp: str) -> bool:
    """Whether the leader's PDF was printed from the site of this stamp."""
    path = _pdf_stamp(stamp_file)
    return pdf_path(folder).is_file() and path.is_file() and path.read_text(encoding="utf-8") == stamp


def site_files(env, e, result: dict, view: dict) -> dict[str, str]:
    """Every source file of one leader's site, in ``env``'s language: :func:`cxsite.leader_pages.pages` and the print page."""
    return with_print_page(pages(env, e, result, view), lang_of(env).gettext("Your report, to print"))


def with_print_page(files: dict[str, str], title: str = "Your report, to print") -> dict[str, str]:
    """A leader's site with ``docs/print.md``: its pages on one page, in reading order, for the PDF.

    ``title`` is the page's title, in the site's language. Left out of the navigation and of the search index (the same text is on
    the report's own pages), as the engagement's print page is.
    """
    # libyaml where it is there: pure-Python YAML cost more than rendering the pages, 5,000 times over.
    config = yaml.load(files["mkdocs.yml"], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    body = "\n\n".join(_without_front_matter(files[p]) for p in _reading_order(files, config.get("nav") or []))
    if "not_in_nav" in config:
        config["not_in_nav"] = f"{config['not_in_nav']}\n{PRINT_PAGE}"
        text = yaml.safe_dump(config, sort_keys=True, allow_unicode=True)
    else:
        text = files["mkdocs.yml"].rstrip("\n") + f"\nnot_in_nav: {PRINT_PAGE}\n"
    # A title of its own: taken from the first heading, it would carry the leader's name into
    # <title>, where Material's striptags unescapes it (these sites run no cxsite plugin to stop it).
    head = "---\n" + yaml.safe_dump({"title": title, "search": {"exclude": True}}, allow_unicode=True, sort_keys=False) + "---\n"
    return {**files, f"docs/{PRINT_PAGE}": head + body, "mkdocs.yml": text}


def _without_front_matter(text: str) -> str:
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        return text[4:].split("\n---\n", 1)[1]
    return text


def _reading_order(files: dict[str, str], nav: list) -> list[str]:
    """The site's pages as its nav lists them (the print page follows the nav, not the alphabet)."""
    listed = [f"docs/{v}" for entry in nav for v in (entry.values() if isinstance(entry, dict) else [entry])
              if isinstance(v, str)]
    return [p for p in listed if p in files] + sorted(p for p in files if p.startswith("docs/") and p.endswith(".md")
                                                   and p not in listed and p != f"docs/{PRINT_PAGE}")


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
        elif site.is_file() and _LEADER_PDF.match(site.name) and site.name[:-4] not in keep:
            site.unlink()  # the PDF of a withdrawn report says what its site no longer may
            _pdf_stamp(out / STAMPS / eid / site.name[:-4]).unlink(missing_ok=True)


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
    index = folder / "leaders.csv"
    if index.is_file() and index.read_text(encoding="utf-8") == buf.getvalue():
        return  # an unchanged run writes nothing
    write_file(index, buf.getvalue(), str(index))


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run: a leading =, +, - or @ is quoted with an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

