"""The ``cxsite`` command: a thin shell over the core.

Every :class:`~cxsite.errors.InputError` becomes ``path:line:col: message``
on stderr and exit status 1. MkDocs is imported only by the commands that
build a site, so ``validate`` and ``score`` start quickly.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import sys
from pathlib import Path

from .cli_lifecycle import cmd_diff, cmd_export
from .cli_translate import cmd_translate
from .cli_loop import cmd_new_actions, cmd_norms_build
from .cli_parser import project_root
from .errors import InputError, InputErrors, InternalError
from .places import display_path, inside


MAX_PER_FILE = 50  # problems listed per file; past it a count, so one broken file cannot bury the rest


def cmd_validate(args) -> int:
    """Check the project (or the named files); exit 1 listing every problem, 0 with a summary."""
    try:
        named, project = _validate(args)
    except InputErrors as exc:
        problems = exc.errors
    except InputError as exc:
        problems = [exc]
    else:
        own = [q for q in project.questionnaires.values() if q.source == "project"] if project else []
        if args.format == "json":
            sys.stdout.write(json.dumps({"valid": True, "problems": []}, indent=2) + "\n")
            return 0
        n_q, n_e = len(own), len(project.engagements) if project else 0
        what = ", ".join(named) if named else \
            f"{n_q} questionnaire{'s' * (n_q != 1)}, {n_e} engagement{'s' * (n_e != 1)}"
        print(f"ok: {what}")
        if project is not None:
            _print_awaiting(project, named)
        return 0
    if args.format == "json":
        # Every problem, uncapped: a tool reading this wants them all.
        doc = {"valid": False, "problems": [e.as_dict() for e in problems]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 1
    _print_problems(problems)
    return 1


def _validate(args):
    """The files named on the command line (project-relative) and the loaded project, or ``None``
    when only named files were checked and the problems lay elsewhere."""
    from .load import load_project

    root = project_root(args)
    named = []
    for p in args.paths:
        path = Path(p).resolve()
        if not path.exists():
            raise InputError(p, "no such file or folder", code="not-found")
        shown = inside(path, root)
        if shown is None:
            raise InputError(p, "is not inside the project; pass --project DIR", code="bad-option")
        named.append(shown)
    try:
        return named, load_project(root)
    except InputErrors as exc:
        # Named files: report their problems only (the whole project is still read,
        # since an engagement is checked against its questionnaire).
        mine = [e for e in exc.errors if not named or any(
            e.where.path == n or e.where.path.startswith(n.rstrip("/") + "/") for n in named)]
        if mine:
            raise InputErrors(mine) from None
        return named, None


def _print_problems(problems: list[InputError]) -> None:
    """``path:line:col: message`` lines on stderr, at most :data:`MAX_PER_FILE` per file, then a count."""
    shown: dict[str, int] = {}
    for e in problems:
        shown[e.where.path] = shown.get(e.where.path, 0) + 1
        if shown[e.where.path] <= MAX_PER_FILE:
            print(e, file=sys.stderr)
    for path, n in shown.items():
        if n > MAX_PER_FILE:
            more = n - MAX_PER_FILE
            print(f"… and {more} more problem{'s' * (more != 1)} in {path}", file=sys.stderr)
    n = len(problems)
    print(f"{n} problem{'s' * (n != 1)} found; nothing was built or written.", file=sys.stderr)


def _print_awaiting(project, named: list[str]) -> None:
    """Say which engagements validate only because no response is in yet."""
    for e in project.awaiting():
        folder = e.path.rsplit("/", 1)[0]
        if not named or any(n.rstrip("/") == folder or n.startswith(folder + "/")
                            or folder.startswith(n.rstrip("/") + "/") for n in named):
            print(f"{e.path}: awaiting responses ({e.responses.path} holds its header row only)")


def cmd_score(args) -> int:
    from .load import load_project
    from .lookup import find_engagement
    from .mirror import linked_waves
    from .results import Results

    root = project_root(args)
    project = load_project(root, only=[args.engagement])  # with the earlier waves
    engagement = find_engagement(project, args.engagement)
    results = Results()  # no cache: 'score' writes nothing but its output
    # The change since the previous wave needs that wave's results.
    prev = project.engagements.get(engagement.previous) if engagement.previous else None
    result = results.reported(engagement, prev, *linked_waves(project.engagements, engagement))
    from .provenance import provenance

    # Added here, not in the (cached) results: 'built' is the time of this run.
    result = {**result, "provenance": provenance(engagement)}
    from .outputs import write_output

    write_output(root, args.output, to_json(result) if args.format == "json" else to_csv(result), "results.json")
    return 0


def to_json(result: dict) -> str:
    # NaN and Infinity are not JSON: a reader would choke on them or take them as text.
    # Validation bounds every number they could come from, so this refuses only a bug.
    return json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A cell a spreadsheet shows as text: a string that would start a formula gets a leading ``'``.

    Only strings are touched: they come from the data (ids, segment values)
    and ``=HYPERLINK(…)`` in a segment would otherwise run when the file is
    opened. Numbers cxsite computed stay numbers, so ``-3.5`` is still ``-3.5``.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _SpreadsheetWriter:
    """A ``csv.writer`` whose every string cell passes :func:`spreadsheet_cell`."""

    def __init__(self, out):
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row) -> None:
        self._writer.writerow([spreadsheet_cell(v) for v in row])


def to_csv(result: dict) -> str:
    """One row per figure: level, id, measure, value — easy to pivot in a spreadsheet."""
    out = io.StringIO()
    w = _SpreadsheetWriter(out)
    w.writerow(["level", "id", "segment", "group", "measure", "value"])
    w.writerow(["index", "index", "", "", "score", result["index"]["score"]])
    w.writerow(["index", "index", "", "", "band", result["index"]["band"]])
    for d in result["dimensions"]:
        for m in ("n", "mean", "score", "band", "favorable", "neutral", "unfavorable", "alpha"):
            w.writerow(["dimension", d["id"], "", "", m, d[m]])
        for i in d["items"]:
            for m in ("n", "mean", "favorable", "neutral", "unfavorable", "not_applicable"):
                w.writerow(["item", i["id"], "", "", m, i[m]])
    for o in result["outcomes"]:
        for m in ("n", "mean", "nps", "promoters", "passives", "detractors", "favorable", "ces", "easy"):
            w.writerow(["outcome", o["id"], "", "", m, o[m]])
    for seg, groups in sorted(result["segments"].items()):
        for g in groups:
            if g["suppressed"]:
                w.writerow(["segment", "index", seg, g["value"], "suppressed", True])
                continue
            w.writerow(["segment", "index", seg, g["value"], "n", g["n"]])
            w.writerow(["segment", "index", seg, g["value"], "score", g["index"]])
            for did, d in sorted(g["dimensions"].items()):
                w.writerow(["segment", did, seg, g["value"], "score", d["score"]])
    bench = result.get("benchmark")
    for level, did, placed in ([("index", "index", bench["index"])] + [("dimension", k, v) for k, v in
                               sorted(bench["dimensions"].items())] if bench else []):
        w.writerow([level, did, "", "", "percentile", placed["percentile"]])
    # The staff wave beside its customers and its assessor (null when not linked: no rows).
    for d in (result.get("mirror") or {}).get("dimensions", []):
        for m in ("customer_score", "gap", "p_adjusted", "overrated"):
            w.writerow(["mirror", d["id"], "", "", m, d[m]])
    for d in (result.get("assessor") or {}).get("dimensions", []):
        for m in ("assessor_score", "difference", "outside_staff_ci"):
            w.writerow(["assessor", d["id"], "", "", m, d[m]])
    return out.getvalue()


def cmd_import(args) -> int:
    from .importers import import_export

    root = project_root(args)
    result = import_export(Path(args.source), args.engagement, root, tool=args.tool, encoding=args.encoding,
                           columns_file=Path(args.columns) if args.columns else None, salt=args.salt,
                           dry_run=args.dry_run)
    print(result.summary())
    if result.problems is not None:   # a dry run that found what would stop the import
        raise result.problems
    return 0


def cmd_build(args) -> int:
    from .build import build_site

    root = project_root(args)
    _check_build_options(args)
    if args.leaders:
        return _build_leaders(root, args)
    if args.all_clients:
        from .portfolio import build_all_clients, parse_shard

        shard = parse_shard(args.shard) if args.shard else None
        sites = build_all_clients(root, Path(args.out), jobs=args.jobs or 1, shard=shard, pdf=args.pdf,
                                  offline=args.zip, force=args.force, strict=not args.no_strict,
                                  engine=args.engine)
        for site in sites:
            print(f"{'built' if site.built else 'unchanged'} {site.folder}  ({site.client})")
            if args.zip:
                from .portfolio import zip_path

                print(f"{'wrote' if site.built else 'unchanged'} {zip_path(site.folder)}")
        return 0
    site_dir = Path(args.site_dir) if args.site_dir else root / "site"
    zip_target = None
    if args.zip:
        from .build import check_site_dir, check_zip_target

        # Refused before the build, so a zip that cannot be written replaces no site.
        check_site_dir(root, site_dir)
        named = Path(os.path.abspath(site_dir))  # "." and ".." have no name of their own
        zip_target = site_dir.with_name(named.name + ".zip") if site_dir.name else \
            named.with_name(named.name + ".zip")
        check_zip_target(root, zip_target)
    built = build_site(root, site_dir, client=args.client, engagements=args.engagement or None,
                       strict=not args.no_strict, pdf=args.pdf, offline=args.zip, progress=True,
                       engine=args.engine)
    print(f"built {site_dir}" + (f" with {args.engine}" if args.engine != "mkdocs" else ""))
    from .lookup import given_id

    others = sorted(set(built) - {given_id(name) for name in args.engagement}) if args.engagement else []
    if others:
        # Earlier waves (for the trend) and linked customers' and assessor waves (for the mirror).
        print(f"with the waves they are compared with or shown beside: {', '.join(others)}")
    if args.zip:
        from .build import write_zip

        target = write_zip(site_dir, zip_target)
        print(f"wrote {target} (unzip it and open {site_dir.name}/index.html; no web server needed)")
    return 0


def cmd_render(args) -> int:
    """Write the site's source folder: ``DIR/docs/`` and ``DIR/mkdocs.yml``, without the plugin."""
    from .engines import render_project

    root = project_root(args)
    built = render_project(root, Path(args.out), client=args.client, engagements=args.engagement or None,
                           pdf=args.pdf, offline=args.zip)
    print(f"wrote {args.out} ({len(built)} engagement{'s' * (len(built) != 1)}); build it there with "
          "zensical build, properdocs build or mkdocs build")
    return 0


def _build_leaders(root: Path, args) -> int:
    from .leader_sites import build_leader_sites
    from .portfolio import parse_shard

    sites = build_leader_sites(root, Path(args.out), engagements=args.engagement or None, jobs=args.jobs or 1,
                               shard=parse_shard(args.shard) if args.shard else None, force=args.force,
                               pdf=args.pdf)
    for site in sites:
        print(f"{'built' if site.built else 'unchanged'} {site.folder}"
              + (f"  (printed {site.folder.name}.pdf beside it)" if site.printed else ""))
    print(f"who gets which folder: {Path(args.out)}/<engagement>/leaders.csv (for you, not for publishing)")
    return 0


def _check_build_options(args) -> None:
    """Refuse an option that would do nothing in this combination, rather than ignore it."""
    if args.leaders:
        for flag, given in (("--all-clients", args.all_clients), ("--client", args.client),
                            ("--site-dir", args.site_dir), ("--zip", args.zip),
                            ("--engine", args.engine != "mkdocs")):
            if given:
                raise InputError(flag, "does not go with --leaders, which builds one MkDocs site per leader "
                                       "into --out DIR/<engagement>/; leave it out")
        if not args.out:
            raise InputError("--leaders", "needs --out DIR for the leaders' sites")
        return
    if args.all_clients:
        for flag, given in (("--client", args.client), ("--engagement", args.engagement),
                            ("--site-dir", args.site_dir)):
            if given:
                raise InputError(flag, "does nothing with --all-clients, which builds every client into "
                                       "--out DIR/<client>/; leave it out")
        if not args.out:
            raise InputError("--all-clients", "needs --out DIR for the client sites")
    else:
        for flag, given in (("--out", args.out), ("--jobs", args.jobs is not None),
                            ("--shard", args.shard), ("--force", args.force)):
            if given:
                raise InputError(flag, "goes with --all-clients or --leaders; without them one site is built (into "
                                       "--site-dir); leave it out or add --all-clients")
    if args.jobs is not None and args.jobs < 1:
        raise InputError("--jobs", f"must be 1 or more, not {args.jobs}")


def cmd_serve(args) -> int:
    from mkdocs.commands.serve import serve

    from .build import merged_plugins

    root = project_root(args)
    config_file = root / "mkdocs.yml"
    # A preview of one client (or engagement) renders only its pages on every
    # reload: the plugin's options, merged with mkdocs.yml's as for cxsite build.
    plugins, _ = merged_plugins(config_file, {"client": args.client, "engagements": args.engagement,
                                              "show_errors": True})
    # MkDocs' own command line sets up its log; called as a library it prints
    # nothing below a warning, so the address, each rebuild and its time would
    # go unseen.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    log = logging.getLogger("mkdocs")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        serve(str(config_file), open_in_browser=False, livereload=True, dev_addr=args.dev_addr,
              plugins=plugins)
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
    return 0


def cmd_schema(args) -> int:
    from .scaffold import schema_text

    sys.stdout.write(schema_text(args.kind))
    return 0


def _report_written(paths: list[Path], root: Path, then: str) -> None:
    for path in paths:
        print(f"wrote {display_path(path, root)}")
    print(then)


def cmd_init(args) -> int:
    from .scaffold import init_project

    dest = Path(args.dir)
    written = init_project(dest, name=args.name)
    _report_written(written, dest.resolve(), f"next: cd {args.dir} && cxsite new engagement ID "
                                             "--assessment A --client NAME")
    return 0


def cmd_new_engagement(args) -> int:
    from .scaffold import new_engagement

    root = project_root(args)
    segments = [s.strip() for s in args.segments.split(",") if s.strip()] if args.segments else []
    written = new_engagement(root, args.id, args.assessment, args.client, wave=args.wave,
                             segments=segments, title=args.title)
    _report_written(written, root, f"{args.id}: awaiting responses; put them in "
                                   f"engagements/{args.id}/responses.csv or run cxsite import")
    return 0


def cmd_new_questionnaire(args) -> int:
    from .scaffold import new_questionnaire

    root = project_root(args)
    written = new_questionnaire(root, args.id, title=args.title)
    _report_written(written, root, "edit it, then run cxsite validate")
    return 0


COMMANDS = {"validate": cmd_validate, "score": cmd_score, "import": cmd_import, "build": cmd_build,
            "render": cmd_render,
            "serve": cmd_serve, "schema": cmd_schema, "init": cmd_init,
            "new engagement": cmd_new_engagement, "new questionnaire": cmd_new_questionnaire,
            "diff": cmd_diff, "export": cmd_export, "new actions": cmd_new_actions, "norms build": cmd_norms_build,
            "translate": cmd_translate}


def parser() -> argparse.ArgumentParser:
    """The command line's grammar (:mod:`cxsite.cli_parser`), its commands run by this module."""
    from .cli_parser import build_parser

    return build_parser(sorted(COMMANDS))


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 1 bad input, 2 cxsite itself failed).

    Nothing reaches the user as a traceback: input problems are listed with
    their places, and a failure that is not the input's (a packaged file
    missing, an unreadable asset, an OSError the code did not expect) is one
    paragraph naming what failed.
    """
    args = parser().parse_args(argv)
    try:
        if args.project and not Path(args.project).is_dir():
            raise InputError(args.project, "--project: no such folder", code="not-found")
        return COMMANDS[args.handler](args)
    except InputErrors as exc:
        _print_problems(exc.errors)
        return 1
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 1
    except InternalError as exc:
        print(f"cxsite failed: {exc.message}", file=sys.stderr)
        return InternalError.exit_status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # Jinja's TemplateNotFound is one too: a packaged template missing
        print(f"cxsite failed: {internal_message(exc)}", file=sys.stderr)
        return InternalError.exit_status


def _is_missing_template(exc: Exception) -> bool:
    from jinja2 import TemplateNotFound

    return isinstance(exc, TemplateNotFound)


def _is_packaged(path: Path) -> bool:
    """Whether ``path`` is one of cxsite's own files (code, templates, assets, built-in questionnaires)."""
    from .resources import package_folder

    folders = [Path(__file__).resolve().parent] + [package_folder(n) for n in ("site_templates", "assessments")]
    return any(Path(os.path.abspath(path)).is_relative_to(f) for f in folders)


def internal_message(exc: BaseException) -> str:
    """One paragraph for a failure that is not the user's input: what failed, where, what to do."""
    from .resources import missing_packaged

    if _is_missing_template(exc):
        from .render import DEFAULT_TEMPLATES

        return missing_packaged(DEFAULT_TEMPLATES / str(exc.name))
    name = getattr(exc, "filename", None)
    if isinstance(exc, FileNotFoundError) and name and _is_packaged(Path(str(name))):
        return missing_packaged(Path(str(name)))
    what = f"{name}: " if name else ""
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return (f"{what}{reason} ({type(exc).__name__}). This is not a problem in your input; check that "
            "the file or folder is readable and the disk is not full, then run the command again. "
            "If it persists, report it with the command you ran.")
