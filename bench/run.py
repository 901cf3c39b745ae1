"""``make bench``: measure cxsite against plain MkDocs and bare NumPy, side by side in one run.

Measures, on this machine, in this process unless said otherwise:

1. **scoring**: ``score_engagement`` of 100,000 respondents x 60 items (plus
   NPS and two segments) against :func:`bench.reference.score` on the same
   answers, best of 3 each, interleaved; the two must agree to 1e-9. The CSV's
   reading and validation (``load_responses``) is timed too, and reported apart.
2. **memory**: in a fresh process, the peak of ``tracemalloc`` (NumPy's
   buffers included) while reading and scoring that engagement (without the
   statistics, as for 1.), over the CSV's size; pyarrow parses into a pool
   of its own, which tracemalloc does not see, so that pool's peak is shown
   beside it, and so is the growth of the peak RSS (another fresh process,
   untraced), and the traced peak of scoring with the statistics in a third.
3. **generation**: loading, validating, scoring and rendering the Markdown
   and charts of one client's site (two waves), with no cached result, against
   a plain ``mkdocs build`` of exactly the pages it generated (same theme and
   config, without the cxsite plugin). The headline has the page templates
   compiled already (as every build after a process's first: they are kept
   in memory); the first build of a process, compiling them, is shown
   beside it, and so is a 10-engagement portfolio in one site.
4. **growth**: ``cxsite build --all-clients --jobs 2`` from cold for
   portfolios of 10, 100 and 1,000 engagements (two waves a client).
5. **incremental**: the 100-engagement portfolio built again after one
   answer of one engagement changed, against its full build.
6. **statistics**: generating the example site (this repository's
   ``engagements/``) with the statistics (group tests, key drivers and their
   bootstrap) against without them, 15 pairs interleaved, the median of their ratios; and the
   bootstrap of the 100,000-respondent engagement's key drivers (1,000
   resamples) on its own. The scoring measure above leaves them out
   (``score_engagement(statistics=False)``), so it stays comparable with the
   bare NumPy reference, which has none; its cost is shown beside it.
7. **engines**: the same one-client site built by ``cxsite build --engine``
   mkdocs, properdocs and zensical, one after the other, best of two each
   (an engine that is not installed is left out of the row).

Prints a table; writes ``bench/results.json`` and ``bench/results.md``
(``--quick``: small sizes, ``bench/results-quick.*``, never the real ones).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from statistics import median as statistics_median
from pathlib import Path

from bench import reference
from bench.portfolio import BIG_ID, make_big, make_portfolio, new_project

HERE = Path(__file__).resolve().parent
PARTS = ("scoring", "portfolios", "statistics")  # each measured side by side within itself
TARGETS = {"generation_ratio": 0.15, "growth_1000_over_100": 11, "scoring_ratio": 3,
           "peak_memory_over_csv": 3, "incremental_ratio": 0.2, "statistics_ratio": 1.2, "bootstrap_s": 2}


def _cold() -> None:
    """Forget what this process compiled or parsed, so every measure starts from cold."""
    from cxsite import questionnaires, render

    render._environment.cache_clear()
    questionnaires._LOADED.clear()
    try:
        from cxsite.mkdocs_plugin import COMPILED
        COMPILED.store.clear()
    except ImportError:
        pass


def measure_scoring(root: Path, respondents: int, seed: int) -> dict:
    from cxsite.load import load_project
    from cxsite.responses import load_responses
    from cxsite.score import score_engagement

    big = make_big(root, respondents, seed)
    project = load_project(root, responses=False)
    e = project.engagements[BIG_ID]
    start = time.perf_counter()
    e.responses = load_responses(e, project.root)
    load_time = time.perf_counter() - start
    ours, ref, full = [], [], []
    for _ in range(3):
        start = time.perf_counter()
        result = score_engagement(e, statistics=False)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        score_engagement(e)
        full.append(time.perf_counter() - start)
        start = time.perf_counter()
        expected = reference.score(big["answers"], big["questionnaire"], big["segments"], e.min_group_size)
        ref.append(time.perf_counter() - start)
    wrong = reference.differences(expected, result)
    if wrong:
        raise SystemExit("cxsite and the NumPy reference disagree:\n" + "\n".join(wrong[:20]))
    return {"respondents": len(big["answers"]), "items": len(big["questionnaire"].items),
            "csv_bytes": big["csv"].stat().st_size, "load_s": load_time, "score_s": min(ours),
            "reference_s": min(ref), "scoring_ratio": min(ours) / min(ref),
            "load_over_reference": load_time / min(ref), "score_with_statistics_s": min(full),
            **_bootstrap(e)}


def _bootstrap(e) -> dict:
    """The key drivers' bootstrap of the big engagement's first outcome, alone: best of 3."""
    import numpy as np

    from cxsite import drivers
    from cxsite.score import dimension_rows, item_values, usable_rows

    usable = e.responses.subset(usable_rows(e.responses))
    x = np.column_stack([dimension_rows(d, usable).means for d in e.questionnaire.dimensions])
    o = e.questionnaire.outcomes[0]
    y = item_values(o, usable.column(o.id))
    rows = ~np.isnan(x).any(axis=1) & ~np.isnan(y)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        drivers.bootstrap_shares(x[rows], y[rows], drivers.RESAMPLES, seed=1)
        times.append(time.perf_counter() - start)
    return {"bootstrap_s": min(times), "bootstrap_n": int(rows.sum()), "bootstrap_dimensions": x.shape[1],
            "bootstrap_resamples": drivers.RESAMPLES}


def measure_statistics(root: Path, rounds: int = 5) -> dict:
    """Generating the example site's pages with and without the statistics, ``rounds`` pairs, interleaved.

    The ratio is the median of each pair's ratio (with / without); the best
    time of each is reported beside it.
    """
    import functools

    from cxsite import pages, results, score
    from cxsite.load import load_project

    with_stats, without = [], []
    pages.build_pages(load_project(root))  # templates compiled, as in every build but a process's first
    try:
        for _ in range(rounds):
            for statistics, times in ((True, with_stats), (False, without)):
                # cxsite.results scores every engagement the pages show (Results.bundle).
                results.score_engagement = functools.partial(score.score_engagement, statistics=statistics)
                start = time.perf_counter()
                site = pages.build_pages(load_project(root))
                times.append(time.perf_counter() - start)
                # A patch that missed would time the statistics twice and report a ratio of 1.
                assert statistics == any(r.get("drivers") for r in site.results.values()), statistics
    finally:
        results.score_engagement = score.score_engagement
    # The median of each round's ratio: on this shared machine a whole round runs fast or slow
    # together, and the two minima, taken from different rounds, moved the ratio by 0.3 from run to run.
    ratios = sorted(w / wo for w, wo in zip(with_stats, without))
    return {"pages": len(site.pages), "with_s": min(with_stats), "without_s": min(without),
            "statistics_ratio": statistics_median(ratios), "ratios": ratios}


def _memory_child(root: str, traced: bool, statistics: bool = False) -> None:
    import tracemalloc

    from cxsite.load import load_project
    from cxsite.responses import load_responses
    from cxsite.score import score_engagement

    project = load_project(Path(root), responses=False)
    e = project.engagements[BIG_ID]
    base_rss = _status("VmRSS")
    if traced:
        tracemalloc.start()
    e.responses = load_responses(e, project.root)
    score_engagement(e, statistics=statistics)
    if traced:
        # pyarrow allocates from its own pool (mimalloc), which tracemalloc does not see: its peak, beside.
        import pyarrow

        print(json.dumps({"peak_traced_bytes": tracemalloc.get_traced_memory()[1],
                          "peak_arrow_bytes": max(pyarrow.default_memory_pool().max_memory() or 0, 0)}))
    else:  # apart: tracemalloc's own bookkeeping would count in the RSS
        print(json.dumps({"peak_rss_growth_bytes": _status("VmHWM") - base_rss}))


def _status(field: str) -> int:
    """A memory figure of this process from /proc (getrusage's peak is inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def measure_memory(root: Path, csv_bytes: int) -> dict:
    got = {}
    for mode in ("traced", "rss", "stats"):
        done = subprocess.run([sys.executable, "-m", "bench.run", "--memory-child", str(root), "--memory-mode", mode],
                              capture_output=True, text=True, check=True, cwd=HERE.parent)
        found = json.loads(done.stdout.strip().splitlines()[-1])
        if mode == "stats":
            found = {"peak_traced_with_statistics_bytes": found["peak_traced_bytes"]}
        got.update(found)
    got["peak_memory_over_csv"] = got["peak_traced_bytes"] / csv_bytes
    got["rss_growth_over_csv"] = got["peak_rss_growth_bytes"] / csv_bytes
    return got


def _generation_vs_mkdocs(root: Path, work: Path, client: str | None) -> dict:
    """Generate one site's pages from cold, then build exactly those with plain MkDocs."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from cxsite.build import read_config
    from cxsite.engines import write_source
    from cxsite.load import load_project
    from cxsite.pages import build_pages

    from cxsite import questionnaires

    _cold()
    start = time.perf_counter()
    project = load_project(root, client=client)
    site = build_pages(project, root / "site_templates")
    first = time.perf_counter() - start
    # Again with every input read, validated and scored anew, the templates
    # compiled already: as every build after a process's first (compiled
    # templates are kept in memory only, never in the project folder).
    questionnaires._LOADED.clear()
    start = time.perf_counter()
    project = load_project(root, client=client)
    site = build_pages(project, root / "site_templates")
    generation = time.perf_counter() - start
    plain = work / "plain"
    shutil.rmtree(plain, ignore_errors=True)
    plain.mkdir(parents=True)
    # The folder cxsite render writes (the same pages, assets and config, without the plugin).
    write_source(plain, root, read_config(root / "mkdocs.yml"), {}, project, None)
    _cold()
    start = time.perf_counter()
    cfg = load_config(str(plain / "mkdocs.yml"), site_dir=str(plain / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    build(cfg)
    mkdocs_time = time.perf_counter() - start
    return {"pages": len(site.pages), "generation_s": generation, "generation_first_s": first,
            "mkdocs_s": mkdocs_time, "ratio": generation / mkdocs_time, "first_ratio": first / mkdocs_time}


def measure_engines(root: Path, work: Path, client: str | None) -> dict:
    """One client's site built by each installed engine, side by side: best of two, interleaved."""
    import importlib.util

    from cxsite.build import build_site
    from cxsite.engines import ENGINES

    engines = [e for e in ENGINES if importlib.util.find_spec(e) is not None]
    times: dict[str, list[float]] = {e: [] for e in engines}
    for _ in range(2):
        for engine in engines:
            _cold()
            out = work / f"engine-{engine}"
            start = time.perf_counter()
            build_site(root, out, client=client, engine=engine)
            times[engine].append(time.perf_counter() - start)
    pages = sum(1 for _ in (work / f"engine-{engines[0]}").rglob("*.html")) if engines else 0
    for engine in engines:
        shutil.rmtree(work / f"engine-{engine}", ignore_errors=True)
    return {"html_pages": pages, "best_s": {e: min(t) for e, t in times.items()}, "all_s": times}


def _build_all(root: Path, out: Path, jobs: int) -> float:
    from cxsite.portfolio import build_all_clients

    start = time.perf_counter()
    build_all_clients(root, out, jobs=jobs)
    return time.perf_counter() - start


def measure_portfolios(work: Path, sizes: tuple[int, ...], jobs: int, seed: int) -> dict:
    out = {"jobs": jobs, "builds": {}}
    for n in sizes:
        root = make_portfolio(work / f"portfolio-{n}", n, seed)
        if n == sizes[0]:
            out["generation_one_client"] = _generation_vs_mkdocs(root, work, "Client 0000")
            out["generation_portfolio_one_site"] = _generation_vs_mkdocs(root, work, None)
            out["engines_one_client"] = measure_engines(root, work, "Client 0000")
        _cold()
        full = _build_all(root, work / f"sites-{n}", jobs)
        out["builds"][str(n)] = {"engagements": n, "clients": n // 2, "full_s": full}
        if n == sizes[1]:
            target = root / "engagements" / f"client-{n // 4:04d}-w2" / "responses.csv"
            lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
            cells = lines[5].split(",")
            cells[2] = "4" if cells[2] != "4" else "3"  # one answer of one respondent
            lines[5] = ",".join(cells)
            target.write_text("".join(lines), encoding="utf-8")
            out["incremental_s"] = _build_all(root, work / f"sites-{n}", jobs)
            out["incremental_full_s"] = full
        shutil.rmtree(work / f"sites-{n}", ignore_errors=True)
    return out


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    mem = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    versions = {d: metadata.version(d) for d in ("mkdocs", "mkdocs-material", "numpy", "jinja2", "pyyaml")}
    for d in ("properdocs", "zensical"):
        try:
            versions[d] = metadata.version(d)
        except metadata.PackageNotFoundError:
            versions[d] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem / 2**30, 1),
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}", **versions}


def table(r: dict) -> str:
    s, p = r["scoring"], r["portfolios"]
    g1, gp = p["generation_one_client"], p["generation_portfolio_one_site"]
    b = p["builds"]
    small, mid, big = sorted(b, key=int)
    rows = [
        ("generation / plain mkdocs build, one client's site "
         f"({g1['pages']} pages)", f"{g1['generation_s']:.2f} s / {g1['mkdocs_s']:.2f} s = {r['generation_ratio']:.3f}",
         "generation_ratio"),
        ("the same, compiling the templates too (a process's first build, no cache)",
         f"{g1['generation_first_s']:.2f} s / {g1['mkdocs_s']:.2f} s = {g1['first_ratio']:.3f}", None),
        (f"the same, {small} engagements in one site ({gp['pages']} pages)",
         f"{gp['generation_s']:.2f} s / {gp['mkdocs_s']:.2f} s = {gp['ratio']:.3f}", None),
        (f"--all-clients --jobs {p['jobs']}: {small} / {mid} / {big} engagements",
         f"{b[small]['full_s']:.1f} s / {b[mid]['full_s']:.1f} s / {b[big]['full_s']:.1f} s", None),
        (f"growth, {big} over {mid} engagements", f"{r['growth_1000_over_100']:.2f}", "growth_1000_over_100"),
        (f"scoring {s['respondents']:,} x {s['items']}: cxsite / bare NumPy",
         f"{s['score_s']:.3f} s / {s['reference_s']:.3f} s = {r['scoring_ratio']:.2f}", "scoring_ratio"),
        ("reading and validating that CSV", f"{s['load_s']:.2f} s ({s['csv_bytes'] / 1e6:.1f} MB)", None),
        ("peak memory (traced) / CSV size",
         f"{r['memory']['peak_traced_bytes'] / 1e6:.1f} MB / {s['csv_bytes'] / 1e6:.1f} MB = "
         f"{r['peak_memory_over_csv']:.2f} (RSS grew {r['memory']['peak_rss_growth_bytes'] / 1e6:.0f} MB"
         + _arrow(r['memory']) + ")",
         "peak_memory_over_csv"),
        ("the same, scoring with the statistics (the bootstrap's products and resample counts)",
         f"{r['memory']['peak_traced_with_statistics_bytes'] / 1e6:.1f} MB / {s['csv_bytes'] / 1e6:.1f} MB = "
         f"{r['memory']['peak_traced_with_statistics_bytes'] / s['csv_bytes']:.2f}", None),
        *_engine_rows(p),
        (f"incremental rebuild / full build, {mid} engagements",
         f"{p['incremental_s']:.2f} s / {p['incremental_full_s']:.1f} s = {r['incremental_ratio']:.3f}",
         "incremental_ratio"),
        (f"example site with statistics / without ({r['statistics']['pages']} pages)",
         f"best {r['statistics']['with_s']:.3f} s / {r['statistics']['without_s']:.3f} s; "
         f"median of {len(r['statistics'].get('ratios', [])) or 'the'} paired ratios {r['statistics_ratio']:.2f}",
         "statistics_ratio"),
        (f"key drivers' bootstrap, {s['bootstrap_n']:,} respondents x {s['bootstrap_dimensions']} dimensions, "
         f"{s['bootstrap_resamples']:,} resamples", f"{s['bootstrap_s']:.2f} s", "bootstrap_s"),
        (f"scoring that engagement with the statistics (group tests, drivers of every outcome)",
         f"{s['score_with_statistics_s']:.2f} s", None),
    ]
    lines = ["| measure | result | target | |", "|---|---|---|---|"]
    for what, value, key in rows:
        if key:
            met = r[key] <= TARGETS[key]
            unit = " s" if key.endswith("_s") else ""
            lines.append(f"| {what} | {value} | ≤ {TARGETS[key]}{unit} | {'met' if met else 'MISSED'} |")
        else:
            lines.append(f"| {what} | {value} | | |")
    m = r["machine"]
    dates = r.get("dates", {})
    if len({d[:10] for d in dates.values()}) > 1:  # parts measured on other days (--only)
        lines += ["", "Measured: " + ", ".join(f"{part} {d[:10]}" for part, d in dates.items()) + "."]
    lines += ["", f"{r['date'][:10]}, {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, "
              f"{m['os']}; MkDocs {m['mkdocs']}, Material {m['mkdocs-material']}, NumPy {m['numpy']}"
              + "".join(f", {name} {m[key]}" for name, key in (("ProperDocs", "properdocs"), ("Zensical", "zensical"))
                        if m.get(key)) + "."]
    return "\n".join(lines) + "\n"


def _arrow(memory: dict) -> str:
    """pyarrow's own peak, which the traced figure leaves out (none in an older results file)."""
    if "peak_arrow_bytes" not in memory:
        return ""
    return f"; pyarrow's pool, which tracemalloc does not see, peaked at {memory['peak_arrow_bytes'] / 1e6:.0f} MB"


def _engine_rows(p: dict) -> list[tuple]:
    """The engines' row: one client's site, cxsite build --engine each (none in an older results file)."""
    e = p.get("engines_one_client")
    if not e or not e["best_s"]:
        return []
    times = " / ".join(f"{name} {t:.2f} s" for name, t in e["best_s"].items())
    return [(f"cxsite build --engine, one client's site ({e['html_pages']} HTML files)", times, None)]


def _summary(r: dict) -> dict:
    """The ratios the targets judge, from the parts' measurements."""
    b, scoring, portfolios = r["portfolios"]["builds"], r["scoring"], r["portfolios"]
    small, mid, big = sorted(b, key=int)
    return {"generation_ratio": portfolios["generation_one_client"]["ratio"],
            "growth_1000_over_100": b[big]["full_s"] / b[mid]["full_s"],
            "scoring_ratio": scoring["scoring_ratio"], "peak_memory_over_csv": r["memory"]["peak_memory_over_csv"],
            "incremental_ratio": portfolios["incremental_s"] / portfolios["incremental_full_s"],
            "statistics_ratio": r["statistics"]["statistics_ratio"], "bootstrap_s": scoring["bootstrap_s"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, for trying the benchmark out")
    ap.add_argument("--out", metavar="DIR", help="keep the generated projects and sites here")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", metavar="PART[,PART]",
                    help=f"measure only these parts ({', '.join(PARTS)}), keeping the others' last results")
    ap.add_argument("--memory-child", metavar="ROOT", help=argparse.SUPPRESS)
    ap.add_argument("--memory-mode", choices=("traced", "rss", "stats"), default="traced", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child:
        _memory_child(args.memory_child, args.memory_mode != "rss", args.memory_mode == "stats")
        return 0
    from cxsite.clock import now

    name = "results-quick" if args.quick else "results"
    parts = set(args.only.split(",")) if args.only else set(PARTS)
    if not parts <= set(PARTS):
        ap.error(f"--only takes {', '.join(PARTS)}")
    if parts != set(PARTS) and not (HERE / f"{name}.json").is_file():
        ap.error(f"--only keeps the other parts' results from bench/{name}.json, which is not there: run them all once")
    earlier = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8")) if parts != set(PARTS) else {}
    r = {key: earlier[key] for key in ("statistics", "scoring", "memory", "portfolios", "dates") if key in earlier}
    work = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="cxsite-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = (4, 10, 20) if args.quick else (10, 100, 1000)
    started = time.perf_counter()
    try:
        if "scoring" in parts:
            big_root = new_project(work / "big")
            r["scoring"] = measure_scoring(big_root, 10_000 if args.quick else 100_000, args.seed)
            r["memory"] = measure_memory(big_root, r["scoring"]["csv_bytes"])
        if "portfolios" in parts:
            r["portfolios"] = measure_portfolios(work, sizes, args.jobs, args.seed)
        if "statistics" in parts:
            r["statistics"] = measure_statistics(HERE.parent, 2 if args.quick else 15)
    finally:
        if not args.out:
            shutil.rmtree(work, ignore_errors=True)
    today = now().isoformat()
    r["dates"] = {part: today if part in parts else r.get("dates", {}).get(part, earlier.get("date", today))
                  for part in PARTS}
    r.update(_summary(r), date=today, quick=args.quick, seed=args.seed, machine=machine(),
             wall_s=time.perf_counter() - started)
    (HERE / f"{name}.json").write_text(json.dumps(r, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    text = table(r)
    (HERE / f"{name}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
