"""What one leader's site shows: its figures and its pages (the Markdown and mkdocs.yml).

:func:`views` picks, per leader, their line, their manager's line when that
is a published group, and the published lines of the teams directly below
them, from :func:`cxsite.leaders.leader_figures`. :func:`pages` renders them.
How the sites are built and kept is :mod:`cxsite.leader_sites`' concern.
"""

from __future__ import annotations

import html

import numpy as np
import yaml

from . import charts, disclosure
from .assembly import CSS, asset_source
from .comments import redact
from .leader_segments import line_breakdowns
from .leaders import line_figures
from .render import render
from .score import score_engagement, usable_rows


def views(e) -> tuple[dict, list[dict]]:
    """The engagement's results, and per leader what their report shows (see the module docstring).

    Per leader (in the order of ``leaders`` of ``cxsite score``): ``leader``,
    their group's figures; ``manager``, their manager's line where it is a
    published leader's; ``teams``, the published groups of their direct
    reports who have people of their own, by name. All come from one
    decision of :func:`cxsite.leaders.line_figures` over leaders and teams.
    """
    result = score_engagement(e, statistics=False)
    usable = e.responses.subset(usable_rows(e.responses))
    # The same segments as score's, so the decision is the one behind its ``leaders``.
    lines, groups = line_figures(e.questionnaire, usable, e.leaders, e.min_group_size, result["segments"])
    h = usable.hierarchy
    group_of = {int(p): g for g, p in enumerate(lines.leaders, start=1)}
    below: dict[int, list[int]] = {}
    for g, p in enumerate(lines.leaders, start=1):
        up = int(h.parent[p])
        if up in group_of:
            below.setdefault(group_of[up], []).append(g)
    breakdowns = line_breakdowns(e.questionnaire, usable, lines, groups, result["segments"], e.min_group_size)
    commenting = comments_decision(lines, groups, len(usable), e.min_group_size_comments)
    out = []
    for g, lead in enumerate(lines.is_leader, start=1):
        if not lead:
            continue
        up = group_of.get(int(h.parent[lines.leaders[g - 1]]))
        manager = groups[up - 1] if up and lines.is_leader[up - 1] and not groups[up - 1]["suppressed"] else None
        teams = sorted((groups[t - 1] for t in below.get(g, []) if not groups[t - 1]["suppressed"]),
                       key=lambda t: ((t["name"] or "").casefold(), t["id"]))
        out.append({"leader": groups[g - 1], "manager": manager, "teams": teams,
                    "segments": None if breakdowns is None else breakdowns.get(g, {}),
                    "comments": line_comments(e, usable, lines, g) if commenting[g] else None})
    return result, out


def comments_decision(lines, groups: list[dict], usable_n: int, k: int) -> np.ndarray:
    """Which leaders' lines may show their comments: the nested rule of disclosure control at ``k``,
    the comment threshold, over the leaders' lines (a team shows none, so its people count in its
    leader's remainder): a line's comments less those of the lines inside it are never a few people's."""
    sizes = np.array([usable_n] + [x["n"] or 0 for x in groups], dtype=np.int64)
    candidates = np.array([True] + [lead and not x["suppressed"] for x, lead in zip(groups, lines.is_leader)])
    return disclosure.decide_nested(sizes, lines.parent, k, candidates)


def line_comments(e, usable, lines, g: int) -> dict[str, list[str]]:
    """The comments written by people of leader group ``g``'s line, redacted and in alphabetical order."""
    h = usable.hierarchy
    lead = int(lines.leaders[g - 1])
    out = {}
    for oq in e.questionnaire.open_questions:
        texts = usable.comments.get(oq.id, [])
        writers = (usable.comment_writers or {}).get(oq.id, [])
        at = np.fromiter((h.position.get(w, -1) for w in writers), dtype=np.intp, count=len(writers))
        if lines.group is not None:  # direct reports
            mine = (at >= 0) & (h.parent[np.maximum(at, 0)] == lead)
        else:
            mine = (at > lead) & (at <= h.last[lead])
        chosen = [redact(t) for t, m in zip(texts, mine) if m]
        out[oq.id] = sorted(chosen, key=lambda t: (t.casefold(), t))
    return out


def pages(env, e, result: dict, view: dict) -> dict[str, str]:
    """The Markdown of one leader's site and its mkdocs.yml."""
    q = e.questionnaire
    ctx = dict(e=e, q=q, org=result, bands={b.id: b for b in q.bands}, band_for=q.band_for,
               teams_chart=teams_chart(q, result, view), org_items=_org_items(result), **view)
    name = view["leader"]["name"] or "your line"
    # MkDocs themes print site_name as HTML, unescaped (the <title>, the header): escaped here.
    config = {"site_name": html.escape(f"{e.client}: {name}"), "theme": {"name": "material"}, "plugins": ["search"],
              "extra_css": [CSS], "nav": [{"Your report": "index.md"}, {"How it is made": "method.md"}]}
    # The charts' colours and the report's layout: the project's stylesheet if it has one (engagements/<id>/).
    css = asset_source(e.folder.parent.parent / "site_templates", CSS).read_text(encoding="utf-8")
    return {"docs/index.md": render(env, "leader.md.j2", page_path="index.md", **ctx),
            "docs/method.md": render(env, "leader_method.md.j2", page_path="method.md", **ctx),
            f"docs/{CSS}": css, "mkdocs.yml": yaml.safe_dump(config, sort_keys=True, allow_unicode=True)}


def teams_chart(q, result: dict, view: dict):
    """The heatmap of the leader's line and the teams directly below it (each a published group), or None."""
    if not view["teams"]:
        return None

    def row(label: str, group: dict) -> charts.HeatRow:
        cells = tuple((s, q.band_level(b.id if (b := q.band_for(s)) else None) if s is not None else None)
                      for d in result["dimensions"] for s in [group["dimensions"][d["id"]]["score"]])
        return charts.HeatRow(f"{label} ({group['n']})", cells)

    you = view["leader"]
    rows = [row("Your line", you)] + [row(f"Team of {t['name'] or 'a manager'}", t) for t in view["teams"]]
    return charts.heatmap([d["title"] for d in result["dimensions"]], rows,
                          "Dimension scores of your line and of the teams directly below you", "teams")


def _org_items(result: dict) -> dict:
    """The organisation's published items by id (their favourable shares stand beside the leader's)."""
    return {i["id"]: i for d in result["dimensions"] for i in d["items"]}
