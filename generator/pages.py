"""Which pages a site has, and what each one is given to render.

:func:`build_pages` is the whole of the site's generated content as a plain
mapping ``{path inside docs: Markdown}``, plus the navigation. It knows
nothing of MkDocs: the plugin hands the mapping to MkDocs, tests read it
directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from . import charts, clock
from .cache import Cache
from .comments import visible_comments
from .load import Project
from .model import Engagement, Questionnaire
from .errors import InputErrors
from .inference import with_changes
from .render import check_templates, htmlattr, make_environment, render
from .score import score_engagement


@dataclass
class Site:
    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)  # path in the site -> source file
    nav: list = field(default_factory=list)
    results: dict[str, dict] = field(default_factory=dict)


def engagement_dir(eid: str) -> str:
    return f"engagements/{eid}"


def questionnaire_page(q: Questionnaire) -> str:
    return f"questionnaires/{q.id}.md"


def nav_title(text: str) -> str:
    """A navigation title from data, HTML-escaped: MkDocs themes print nav titles unescaped."""
    return str(htmlattr(text))


def driver_shares(result: dict) -> tuple[str, dict[str, float]] | None:
    """The first outcome with key drivers and each dimension's share of it, or None."""
    for entry in result.get("drivers", []):
        if entry.get("weights"):
            return entry["outcome"], {w["dimension"]: w["share"] for w in entry["weights"]}
    return None


def highlights(result: dict, count: int = 3) -> dict:
    """The strongest and weakest items by favourable share, and the dimensions to work on.

    Items without answers are left out. Ties break on the mean, then the id,
    so the choice is stable. Without key drivers the weakest items and the
    two lowest dimension scores are where to focus. With them (the first
    outcome that has them), the same weak candidates are put in order of
    importance: the ``2 * count`` least favourable items by their
    dimension's share, and the dimensions scoring below the mean of the
    dimensions by share (then the lowest others). Every
    band, the top one included, has actions to recommend.
    """
    items = [dict(i, dimension=d["id"], dimension_title=d["title"])
             for d in result["dimensions"] for i in d["items"] if i["favorable"] is not None]
    strongest = sorted(items, key=lambda i: (-i["favorable"], -i["mean"], i["id"]))[:count]
    taken = {i["id"] for i in strongest}
    weak = [i for i in sorted(items, key=lambda i: (i["favorable"], i["mean"], i["id"])) if i["id"] not in taken]
    scored = sorted((d for d in result["dimensions"] if d["score"] is not None), key=lambda d: (d["score"], d["id"]))
    drivers = driver_shares(result)
    if drivers is None:
        return {"strongest": strongest, "weakest": weak[:count], "weakest_dimensions": scored[:2], "drivers": None}
    share = drivers[1]
    mean_score = sum(d["score"] for d in scored) / len(scored) if scored else 0.0
    below = [d for d in scored if d["score"] < mean_score]
    weakest = sorted(weak[:2 * count], key=lambda i: -share.get(i["dimension"], 0.0))[:count]  # stable: ties keep order
    # Below the mean, the most important first; then, if fewer than two, the lowest of the others.
    dims = (sorted(below, key=lambda d: -share.get(d["id"], 0.0)) + [d for d in scored if d not in below])[:2]
    return {"strongest": strongest, "weakest": weakest, "weakest_dimensions": dims, "drivers": drivers[0]}


def trend(result: dict, previous: dict | None) -> dict | None:
    """Index and dimension changes against the previous wave (points on 0-100)."""
    if not previous or previous.get("withheld") or result.get("withheld"):
        return None
    before = {d["id"]: d for d in previous["dimensions"]}

    def delta(now, then):
        return None if now is None or then is None else now - then

    items_before = {i["id"]: i for d in previous["dimensions"] for i in d["items"]}
    # An index left without a withheld dimension in one wave is not the same
    # measure as the other wave's: no change is computed between them.
    def withheld(r):
        return {d["id"] for d in r["dimensions"] if d.get("withheld")}
    same_index = withheld(result) == withheld(previous)
    return {
        "previous": previous["engagement"],
        "index": delta(result["index"]["score"], previous["index"]["score"]) if same_index else None,
        "index_before": previous["index"]["score"],
        "dimensions": {d["id"]: {"delta": delta(d["score"], before[d["id"]]["score"]),
                                 "before": before[d["id"]]["score"]}
                       for d in result["dimensions"] if d["id"] in before},
        # Item change in favourable share (points of percentage), for items asked both times.
        "items": {i["id"]: {"delta": delta(i["favorable"], items_before[i["id"]]["favorable"]),
                            "before": items_before[i["id"]]["favorable"]}
                  for d in result["dimensions"] for i in d["items"] if i["id"] in items_before},
    }


def engagement_charts(e: Engagement, r: dict, t: dict | None) -> dict:
    """Every chart of an engagement's pages, as SVG Markup."""
    q = e.questionnaire
    labels = {b.id: b.label for b in q.bands}
    bars = [charts.Bar(d["title"], d["score"], q.band_level(d["band"]), labels.get(d["band"], ""),
                       t["dimensions"].get(d["id"], {}).get("before") if t else None)
            for d in r["dimensions"]]
    out = {
        "dimensions": charts.score_bars(bars, [b.min for b in q.bands],
                                        f"{e.client}: dimension scores, 0 to 100", "dims"),
        "likert": {d["id"]: charts.likert_bars(
            [charts.Stack(i["text"], i["favorable"], i["neutral"], i["unfavorable"],
                          "not shown (anonymity)" if i.get("withheld") else "no answers")
             for i in d["items"]],
            f"{d['title']}: how people answered each statement", d["id"]) for d in r["dimensions"]},
        "nps": {o["id"]: charts.nps_bar(o["promoters"], o["passives"], o["detractors"], o["nps"],
                                        f"Breakdown of answers to: {o['text']}", o["id"])
                for o in r["outcomes"] if o["kind"] == "nps" and o["n"]},
        "segments": {},
    }
    columns = [d["title"] for d in r["dimensions"]]
    for name, groups in r["segments"].items():
        rows = []
        for g in groups:
            if g["suppressed"]:
                rows.append(charts.HeatRow(g["value"], None, "not shown (anonymity)"))
                continue
            cells = tuple((s, q.band_level(b.id if (b := q.band_for(s)) else None), _mark(g["dimensions"][d["id"]]))
                          for d in r["dimensions"] for s in [g["dimensions"][d["id"]]["score"]])
            rows.append(charts.HeatRow(g["value"], cells))
        out["segments"][name] = charts.heatmap(columns, rows, f"Dimension scores by {name}", name)
    titles = {d["id"]: (d["title"], d["score"]) for d in r["dimensions"]}
    asked = {o.id: o.text for o in q.outcomes}
    out["drivers"] = {
        entry["outcome"]: charts.drivers_chart(
            [charts.Driver(titles[w["dimension"]][0], titles[w["dimension"]][1], w["share"])
             for w in entry["weights"] if titles[w["dimension"]][1] is not None],
            f"What drives the answer to: {asked[entry['outcome']]}", entry["outcome"])
        for entry in r.get("drivers", []) if entry.get("weights")}
    return out


def _mark(cell: dict) -> str:
    """"higher" / "lower" where a group's dimension differs clearly from the rest (see inference.vs_rest)."""
    test = cell.get("vs_rest")
    if not test or not test["significant"]:
        return ""
    return "higher" if test["delta"] > 0 else "lower"


def _luminance(hex_color: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def brand_style(e: Engagement) -> Markup | None:
    """A style element giving this engagement's pages the client's colour.

    The header text is white or near-black, whichever contrasts more with
    the colour (WCAG contrast ratio). The colour was checked as '#rrggbb'.
    """
    if not e.color:
        return None
    lum = _luminance(e.color)
    on_white = (1.05) / (lum + 0.05)
    on_black = (lum + 0.05) / 0.05
    text = "#ffffff" if on_white >= on_black else "#111111"
    return Markup(f'<style>body[data-md-color-primary] {{ --md-primary-fg-color: {e.color}; '
                  f'--md-primary-fg-color--light: {e.color}; --md-primary-fg-color--dark: {e.color}; '
                  f'--md-primary-bg-color: {text}; --md-primary-bg-color--light: {text}b3; }}</style>')


def _print_page(env, ctx: dict, parts: list[tuple[str, dict]]) -> str:
    """The full report on one page, for print and PDF: the same sections, in reading order.

    Each section is its page's template rendered again with ``for_print``
    true, so the templates themselves leave out what a printed section does
    not need (the navigation links, the repeated subtitle): no Python here
    knows a template's wording.
    """
    printed = dict(ctx, for_print=True)
    sections = [Markup(render(env, template, **extra, **printed)) for template, extra in parts]
    return render(env, "print.md.j2", sections=sections, **ctx)


def _import_quality(e: Engagement) -> dict | None:
    """The counts 'cxsite import' left beside the responses, if it made them."""
    import json

    path = e.folder / "import-quality.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("rows_read"), int) else None


def engagement_bundle(e: Engagement, cache: "Cache | None" = None) -> dict:
    """What the pages need of one engagement: results, visible comments, notes.

    Taken from the cache when the engagement's inputs are unchanged.
    """
    if e.cached is not None:
        return e.cached
    result = score_engagement(e)
    usable = result["respondents"]["usable"] or 0
    bundle = {
        "result": result,
        "comments": None if result["withheld"] else visible_comments(e, usable),
        "notes": dict(e.responses.notes),
        "import_quality": _import_quality(e),
        # A responses file of the header row only: the survey has not run yet.
        "awaiting": len(e.responses) == 0,
    }
    if cache is not None and e.cache_key:
        cache.put(e.cache_key, bundle)
    return bundle


def _awaiting_pages(site: Site, env, e: Engagement, ctx: dict) -> dict:
    """The pages of an engagement awaiting responses, and its navigation entry.

    An overview saying so, and the print page made of it (``cxsite build
    --pdf`` prints every engagement's); no figures, since none exist yet.

    Parameters
    ----------
    site : Site
        Gets the two pages.
    env : jinja2.Environment
        The page templates.
    e : Engagement
        The engagement, loaded with a header-only responses file.
    ctx : dict
        What the engagement's other pages are given to render.

    Returns
    -------
    dict
        ``{navigation title: [entries]}`` for the client's section.
    """
    base = engagement_dir(e.id)
    site.pages[f"{base}/index.md"] = render(env, "awaiting.md.j2", **ctx)
    site.pages[f"{base}/print.md"] = _print_page(env, ctx, [("awaiting.md.j2", {})])
    return {nav_title(f"{e.title} ({e.wave})"): [{"Overview": f"{base}/index.md"},
                                                 {"Full report (print)": f"{base}/print.md"}]}


def build_pages(project: Project, templates: Path | None = None, pdf: bool = False,
                cache: "Cache | None" = None, home_intro: str | None = None) -> Site:
    """Render every page of the site for the engagements loaded in ``project``.

    ``home_intro``: the project's hand-written ``docs/index.md``, which opens
    the home page in place of the default introduction; the list of reports
    follows it. It is the practice's own Markdown, not data, so it is not escaped.
    """
    env = make_environment(templates)
    problems = check_templates(env)
    if problems:
        raise InputErrors(problems)
    site = Site()
    generated = clock.now().date()
    engagements = sorted(project.engagements.values(), key=lambda e: (e.client, e.date, e.id))
    bundles = {e.id: engagement_bundle(e, cache) for e in engagements}
    for e in engagements:
        # Changes since the previous wave: from both waves' results, cached or not.
        prev = bundles.get(e.previous) if e.previous else None
        site.results[e.id] = with_changes(bundles[e.id]["result"], prev["result"] if prev else None)
    used = {(e.questionnaire.id, e.questionnaire.version): e.questionnaire for e in engagements}
    if not project.filtered:
        # The whole portfolio also lists questionnaires no engagement uses yet; a
        # client's own site shows only what its reports were built from.
        for q in project.questionnaires.values():
            if q.source != "project":
                continue  # a built-in questionnaire is listed only where an engagement uses it
            latest = project.latest(q.id)
            used.setdefault((latest.id, latest.version), latest)
    questionnaires = sorted(used.values(), key=lambda q: q.key)
    # One page per questionnaire id: the newest version in use.
    by_id: dict[str, Questionnaire] = {}
    for q in questionnaires:
        by_id[q.id] = q

    # for_print: a page's template rendered as a section of the print page (see _print_page).
    common = {"generated": generated, "pdf": pdf, "for_print": False}
    cards = [{"e": e, "r": site.results[e.id], "q": e.questionnaire, "awaiting": bundles[e.id].get("awaiting")}
             for e in engagements]
    site.pages["index.md"] = render(env, "home.md.j2", cards=cards, clients=sorted({e.client for e in engagements}),
                                    questionnaires=list(by_id.values()),
                                    home_intro=Markup(home_intro) if home_intro is not None else None, **common)
    site.pages["questionnaires/index.md"] = render(env, "questionnaires.md.j2",
                                                   questionnaires=list(by_id.values()), **common)
    for q in by_id.values():
        site.pages[questionnaire_page(q)] = render(env, "questionnaire.md.j2", q=q, **common)

    client_nav: dict[str, list] = {}
    for e in engagements:
        r = site.results[e.id]
        q = e.questionnaire
        prev = site.results.get(e.previous) if e.previous else None
        base = engagement_dir(e.id)
        t = trend(r, prev)
        if e.logo:
            site.assets[f"{base}/logo{e.logo.suffix.lower()}"] = e.logo
        ctx = dict(e=e, q=q, r=r, bands={b.id: b for b in q.bands}, rdims={d["id"]: d for d in r["dimensions"]},
                   dims={d.id: d for d in q.dimensions}, trend=t,
                   qpage=f"../../{questionnaire_page(q)}", brand=brand_style(e),
                   reversed={i.id for i in q.items if i.reverse},
                   logo=f"logo{e.logo.suffix.lower()}" if e.logo else None,
                   charts=None if r["withheld"] else engagement_charts(e, r, t), **common)
        if bundles[e.id].get("awaiting"):
            client_nav.setdefault(e.client, []).append(_awaiting_pages(site, env, e, ctx))
            continue
        parts: list[tuple[str, dict]] = []  # this engagement's (template, own context), in reading order

        def page(path: str, template: str, **extra) -> None:
            site.pages[path] = render(env, template, **extra, **ctx)
            parts.append((template, extra))

        page(f"{base}/index.md", "overview.md.j2", h=None if r["withheld"] else highlights(r))
        entry = [{"Overview": f"{base}/index.md"}]
        if not r["withheld"]:
            dim_nav = []
            for d in r["dimensions"]:
                path = f"{base}/dimensions/{d['id']}.md"
                page(path, "dimension.md.j2", d=d, dm=ctx["dims"][d["id"]], notes=bundles[e.id]["notes"])
                dim_nav.append({nav_title(d["title"]): path})
            entry.append({"Dimensions": dim_nav})
            if e.segments:
                page(f"{base}/segments.md", "segments.md.j2")
                entry.append({"Groups": f"{base}/segments.md"})
            if q.open_questions:
                page(f"{base}/comments.md", "comments.md.j2", comments=bundles[e.id]["comments"])
                entry.append({"Comments": f"{base}/comments.md"})
        page(f"{base}/methodology.md", "methodology.md.j2", imported=bundles[e.id].get("import_quality"))
        entry.append({"Methodology": f"{base}/methodology.md"})
        site.pages[f"{base}/print.md"] = _print_page(env, ctx, parts)
        entry.append({"Full report (print)": f"{base}/print.md"})
        client_nav.setdefault(e.client, []).append({nav_title(f"{e.title} ({e.wave})"): entry})

    site.nav = [{"Home": "index.md"}]
    for client in sorted(client_nav):
        site.nav.append({nav_title(client): client_nav[client]})
    site.nav.append({"Questionnaires": ["questionnaires/index.md"]
                     + [{nav_title(q.title): questionnaire_page(q)} for q in by_id.values()]})
    return site
