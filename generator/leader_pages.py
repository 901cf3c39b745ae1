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
from .render import lang_of, render
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
    written = comments_by_position(usable) if commenting.any() else {}
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
                    "comments": line_comments(e, usable, lines, g, written) if commenting[g] else None})
    return result, out


def comments_decision(lines, groups: list[dict], usable_n: int, k: int) -> np.ndarray:
    """Which leaders' lines may show their comments: the nested rule of disclosure control at ``k``,
    the comment threshold, over the leaders' lines (a team shows none, so its people count in its
    leader's remainder): a line's comments less those of the lines inside it are never a few people's."""
    sizes = np.array([usable_n] + [x["n"] or 0 for x in groups], dtype=np.int64)
    candidates = np.array([True] + [lead and not x["suppressed"] for x, lead in zip(groups, lines.is_leader)])
    return disclosure.decide_nested(sizes, lines.parent, k, candidates)


def comments_by_position(usable) -> dict[str, tuple[list[str], np.ndarray]]:
    """Per open question, the comments redacted and their writers' positions in the hierarchy (-1: not in it).

    Done once per engagement: a comment stands in every line above its
    writer, and redacting it (names, contact details) is the costly part.
    """
    h = usable.hierarchy
    out = {}
    for o, texts in usable.comments.items():
        writers = (usable.comment_writers or {}).get(o, [])
        out[o] = ([redact(t) for t in texts],
                  np.fromiter((h.position.get(w, -1) for w in writers), dtype=np.intp, count=len(writers)))
    return out


def line_comments(e, usable, lines, g: int, written: dict) -> dict[str, list[str]]:
    """The comments written by people of leader group ``g``'s line (redacted), in alphabetical order."""
    h = usable.hierarchy
    lead = int(lines.leaders[g - 1])
    out = {}
    for oq in e.questionnaire.open_questions:
        texts, at = written.get(oq.id, ([], np.zeros(0, dtype=np.intp)))
        if lines.group is not None:  # direct reports
            mine = (at >= 0) & (h.parent[np.maximum(at, 0)] == lead)
        else:
            mine = (at > lead) & (at <= h.last[lead])
        chosen = [t for t, m in zip(texts, mine) if m]
        out[oq.id] = sorted(chosen, key=lambda t: (t.casefold(), t))
    return out


def pages(env, e, result: dict, view: dict) -> dict[str, str]:
    """The Markdown of one leader's site and its mkdocs.yml, in ``env``'s language (the engagement's).

    The theme's own words (search, navigation) follow ``theme.language``,
    and Material writes it as every page's ``<html lang>``.
    """
    q = e.questionnaire
    lang = lang_of(env)
    _ = lang.gettext
    ctx = dict(e=e, q=q, org=result, bands={b.id: b for b in q.bands}, band_for=q.band_for,
               teams_chart=teams_chart(q, result, view, lang), org_items=_org_items(result), **view)
    name = view["leader"]["name"] or _("your line")
    # MkDocs themes print site_name as HTML, unescaped (the <title>, the header): escaped here.
    # No web fonts: a leader's report must not ask Google for a font as it opens.
    config = {"site_name": html.escape(_("%(client)s: %(name)s") % {"client": e.client, "name": name}),
              "theme": {"name": "material", "font": False, "language": lang.language},
              "plugins": ["search"], "extra_css": [CSS],
              # md_in_html: a table of many groups sits in a <div class="cx-wide" markdown> (leader.md.j2).
              "markdown_extensions": ["md_in_html"],
              "nav": [{_("Your report"): "index.md"}, {_("How it is made"): "method.md"}]}
    # The charts' colours and the report's layout: the project's stylesheet if it has one (engagements/<id>/).
    css = asset_source(e.folder.parent.parent / "site_templates", CSS).read_text(encoding="utf-8")
    return {"docs/index.md": render(env, "leader.md.j2", page_path="index.md", **ctx),
            "docs/method.md": render(env, "leader_method.md.j2", page_path="method.md", **ctx),
            f"docs/{CSS}": css, "mkdocs.yml": yaml.safe_dump(config, sort_keys=True, allow_unicode=True)}


def teams_chart(q, result: dict, view: dict, lang=charts.EN):
    """The heatmap of the leader's line and the teams directly below it (each a published group), or None.

    Its labels and title are in ``lang`` (:class:`cxsite.i18n.Lang`), its figures formatted for it.
    """
    if not view["teams"]:
        return None
    _ = lang.gettext

    def row(label: str, group: dict) -> charts.HeatRow:
        cells = tuple((s, q.band_level(b.id if (b := q.band_for(s)) else None) if s is not None else None)
                      for d in result["dimensions"] for s in [group["dimensions"][d["id"]]["score"]])
        return charts.HeatRow(f"{label} ({group['n']})", cells)

    def team(t: dict) -> str:
        return _("Team of %(name)s") % {"name": t["name"]} if t["name"] else _("Team of a manager")

    rows = [row(_("Your line"), view["leader"])] + [row(team(t), t) for t in view["teams"]]
    return charts.heatmap([d["title"] for d in result["dimensions"]], rows,
                          _("Dimension scores of your line and of the teams directly below you"), "teams", lang)


def _org_items(result: dict) -> dict:
    """The organisation's published items by id (their favourable shares stand beside the leader's)."""
    return {i["id"]: i for d in result["dimensions"] for i in d["items"]}
