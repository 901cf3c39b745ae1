"""Closing the loop: an engagement's action plan and benchmark, read with the project and reported.

:func:`check_loop_files` runs as part of :func:`cxsite.load.load_project`:
every ``engagements/<id>/actions.yml`` and every ``benchmarks/*.yml`` is
checked (located errors), and each engagement gets its plan and the norm its
``benchmark:`` names. :func:`with_loop` adds ``actions`` and ``benchmark``
to the results :meth:`cxsite.results.Results.reported` gives, for the pages
and ``cxsite score`` alike. Neither is part of the cached results: both
are computed from the results and these files each time, so a changed plan
or norm needs no new scoring.
"""

from __future__ import annotations

from .errors import ErrorCollector, Location
from .model import Engagement


def check_loop_files(project, errors: ErrorCollector) -> None:
    """Read and check every plan and benchmark of ``project`` (a :class:`cxsite.load.Project`)."""
    from .actions import load_plan
    from .norms import attach_benchmark, benchmark_files, load_norm

    norms = {name: load_norm(path, project.root, errors) for name, path in benchmark_files(project.root).items()}
    for eid, e in sorted(project.engagements.items()):
        e.plan = load_plan(e, project.root, errors)
        if e.benchmark:
            where = project.written_at.get(eid, {}).get("benchmark") or Location(e.path)
            attach_benchmark(e, norms, where, errors)


def with_loop(e: Engagement, previous: Engagement | None, result: dict) -> dict:
    """``result`` with ``actions`` (this wave's plan, the previous wave's followed up) and ``benchmark``."""
    from .actions import actions_json
    from .norms import benchmark_json

    return {**result, "actions": actions_json(e, previous, result), "benchmark": benchmark_json(e, result)}
