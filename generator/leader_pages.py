"""What one leader's site shows: its figures and its pages (the Markdown and mkdocs.yml).

:func:`views` picks, per leader, their line, their manager's line when that
is a published group, and the published lines of the teams directly below
them, from :func:`cxsite.leaders.leader_figures`. :func:`pages` renders them.
How the sites are built and kept is :mod:`cxsite.leader_sites`' concern.
"""

from __future__ import annotations

import yaml

from .leaders import place
from .render import render
from .score import score_engagement, usable_rows


def views(e) -> tuple[dict, list[dict]]:
    """The engagement's results, and per leader what their report shows (see the module docstring)."""
    result = score_engagement(e, statistics=False)
    usable = e.responses.subset(usable_rows(e.responses))
    lines, _ = place(usable.hierarchy, usable.employees, e.leaders)
    entries = result["leaders"]
    out = []
    for g, x in enumerate(entries, start=1):
        up = int(lines.parent[g])
        manager = entries[up - 1] if up > 0 and not entries[up - 1]["suppressed"] else None
        teams = [entries[h - 1] for h in range(1, len(entries) + 1)
                 if lines.parent[h] == g and not entries[h - 1]["suppressed"]]
        out.append({"leader": x, "manager": manager, "teams": teams})
    return result, out


def pages(env, e, result: dict, view: dict) -> dict[str, str]:
    """The Markdown of one leader's site and its mkdocs.yml."""
    q = e.questionnaire
    ctx = dict(e=e, q=q, org=result, bands={b.id: b for b in q.bands}, band_for=q.band_for, **view)
    name = view["leader"]["name"] or "your line"
    config = {"site_name": f"{e.client}: {name}", "theme": {"name": "material"}, "plugins": ["search"],
              "nav": [{"Your report": "index.md"}, {"How it is made": "method.md"}]}
    return {"docs/index.md": render(env, "leader.md.j2", page_path="index.md", **ctx),
            "docs/method.md": render(env, "leader_method.md.j2", page_path="method.md", **ctx),
            "mkdocs.yml": yaml.safe_dump(config, sort_keys=True, allow_unicode=True)}
