"""Which pages a site has, and what each one is given to render.

:func:`build_pages` is the whole of the site's generated content as a plain
mapping ``{path inside docs: Markdown}``, plus the navigation. It knows
nothing of MkDocs: the plugin hands the mapping to MkDocs, tests read it
directly. Where each page lives is :mod:`cxsite.urls`'s to say, and what an
engagement's pages show comes from :class:`cxsite.results.Results`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from . import charts, clock
from .downloads import questionnaire_downloads
from .errors import InputErrors
from .i18n import ENGLISH, Lang, check_catalogues
from .load import Project
from .mirror import linked_waves
from .mirror_page import mirror_view
from .model import LANGUAGES, Engagement, Questionnaire
from .provenance import provenance
from .render import check_templates, htmlattr, lang_of, make_environment, project_folder, render
from .results import Results
from .urls import relative, site_path


@dataclass
class Site:
    pages: dict[str, str] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)  # path in the site -> source file
    nav: list = field(default_factory=list)
    results: dict[str, dict] = field(default_factory=dict)
    downloads: dict[str, str] = field(default_factory=dict)  # path in the site -> a generated file's text
    language: str = ENGLISH  # the pages outside any engagement (home, questionnaires), and the theme's
    languages: dict[str, str] = field(default_factory=dict)  # page path -> its language (<html lang>)


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
    """The changes since the previous wave as the pages read them, from the results' own (:mod:`cxsite.trends`).

    ``before`` (a dimension's previous score, drawn on its bar) only for a
    dimension compared whole: a score on part of its items is another measure.
    """
    t = result.get("trend")
    if not previous or t is None:
        return None
    index = t["index"]
    changed = [d for d in result["dimensions"] if d["change"]]
    return {
        "previous": previous["engagement"],
        "reason": t["reason"],
        "index": index["delta"] if index else None,
        "index_before": index["previous_score"] if index else None,
        "index_reason": t["index_reason"],
        "dimensions": {d["id"]: {"delta": d["change"]["delta"], "before": None if d["change"]["items_not_compared"]
                                 else d["change"]["previous_score"]} for d in changed},
        # Item change in favourable share (points of percentage), for items asked the same way both times.
        "items": {i["id"]: {"delta": i["change"]["delta"], "before": i["change"]["previous_favorable"],
                            "reason": i["change"]["reason"]}
                  for d in result["dimensions"] for i in d["items"] if i.get("change")},
    }


def engagement_charts(e: Engagement, r: dict, t: dict | None, lang: Lang = charts.EN) -> dict:
    """Every chart of an engagement's pages, as SVG Markup, in ``lang``."""
    q = e.questionnaire
    _ = lang.gettext
    labels = {b.id: b.label for b in q.bands}
    bars = [charts.Bar(d["title"], d["score"], q.band_level(d["band"]), labels.get(d["band"], ""),
                       t["dimensions"].get(d["id"], {}).get("before") if t else None)
            for d in r["dimensions"]]
    out = {
        "dimensions": charts.score_bars(bars, [b.min for b in q.bands],
                                        _("%(client)s: dimension scores, 0 to 100") % {"client": e.client}, "dims",
                                        lang),
        "likert": {d["id"]: charts.likert_bars(
            [charts.Stack(i["text"], i["favorable"], i["neutral"], i["unfavorable"],
                          _("not shown (anonymity)") if i.get("withheld") else _("no answers"))
             for i in d["items"]],
            _("%(title)s: how people answered each statement") % {"title": d["title"]}, d["id"], lang)
            for d in r["dimensions"]},
        "nps": {o["id"]: charts.nps_bar(o["promoters"], o["passives"], o["detractors"], o["nps"],
                                        _("Breakdown of answers to: %(text)s") % {"text": o["text"]}, o["id"], lang)
                for o in r["outcomes"] if o["kind"] == "nps" and o["n"]},
        "segments": {},
    }
    columns = [d["title"] for d in r["dimensions"]]
    for name, groups in r["segments"].items():
        rows = []
        for g in groups:
            if g["suppressed"]:
                rows.append(charts.HeatRow(g["value"], None, _("not shown (anonymity)")))
                continue
            cells = tuple((s, q.band_level(b.id if (b := q.band_for(s)) else None), _mark(g["dimensions"][d["id"]]))
                          for d in r["dimensions"] for s in [g["dimensions"][d["id"]]["score"]])
            rows.append(charts.HeatRow(g["value"], cells))
        out["segments"][name] = charts.heatmap(columns, rows, _("Dimension scores by %(name)s") % {"name": name},
                                               name, lang)
    titles = {d["id"]: (d["title"], d["score"]) for d in r["dimensions"]}
    asked = {o.id: o.text for o in q.outcomes}
    out["drivers"] = {
        entry["outcome"]: charts.drivers_chart(
            [charts.Driver(titles[w["dimension"]][0], titles[w["dimension"]][1], w["share"])
             for w in entry["weights"] if titles[w["dimension"]][1] is not None],
            _("What drives the answer to: %(text)s") % {"text": asked[entry["outcome"]]}, entry["outcome"], lang)
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
    path = site_path("print", eid=ctx["e"].id)
    # Every section is rendered as a part of the print page: its links are made from there,
    # and the brand's style element, which the print page has once, is not repeated in each.
    printed = dict(ctx, for_print=True, page_path=path, brand=None)
    sections = [Markup(render(env, template, **extra, **printed)) for template, extra in parts]
    return render(env, "print.md.j2", sections=sections, **dict(ctx, page_path=path))


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
    _ = lang_of(env).gettext
    overview, printed = site_path("overview", eid=e.id), site_path("print", eid=e.id)
    site.pages[overview] = render(env, "awaiting.md.j2", page_path=overview, **ctx)
    site.pages[printed] = _print_page(env, ctx, [("awaiting.md.j2", {})])
    site.languages.update({overview: e.language, printed: e.language})
    return {nav_title(f"{e.title} ({e.wave})"): [{_("Overview"): overview}, {_("Full report (print)"): printed}]}


def build_pages(project: Project, templates: Path | None = None, pdf: bool = False,
                results: Results | None = None, home_intro: str | None = None,
                language: str | None = None) -> Site:
    """Render every page of the site for the engagements loaded in ``project``.

    ``results``: where each engagement's results come from (the cache, or
    scoring it); by default every engagement is scored.
    ``home_intro``: the project's hand-written ``docs/index.md``, which opens
    the home page in place of the default introduction; the list of reports
    follows it. It is the practice's own Markdown, not data, so it is not escaped.
    ``language``: the site's own (its theme's ``language``), for the pages
    outside any engagement; an engagement's pages are in the engagement's
    language. None: :func:`site_language` of the project (English unless
    it is one client's site).
    """
    site = Site(language=language or site_language(project))
    env = make_environment(templates, _shipped(site.language))
    problems = check_templates(env) + check_catalogues(project_folder(env), LANGUAGES)
    if problems:
        raise InputErrors(problems)
    results = results if results is not None else Results()
    engagements = sorted(project.engagements.values(), key=lambda e: (e.client, e.date, e.id))
    bundles = {e.id: results.bundle(e) for e in engagements}
    for e in engagements:
        site.results[e.id] = results.reported(e, project.engagements.get(e.previous) if e.previous else None,
                                              *linked_waves(project.engagements, e))
    questionnaires = questionnaires_shown(project, engagements)
    # for_print: a page's template rendered as a section of the print page (see _print_page).
    common = {"generated": clock.now().date(), "pdf": pdf, "for_print": False}
    _index_pages(site, env, engagements, bundles, questionnaires, home_intro, common)
    client_nav: dict[str, list] = {}
    for e in engagements:
        own = make_environment(templates, e.language)  # cached: one environment per language
        ctx = _engagement_context(site, e, common, lang_of(own))
        ctx["mirror_view"] = mirror_view(e, site.results[e.id], project.engagements, bundles, lang_of(own))
        if bundles[e.id].get("awaiting"):
            entry = _awaiting_pages(site, own, e, ctx)
        else:
            entry = _report_pages(site, own, e, bundles[e.id], ctx)
        client_nav.setdefault(e.client, []).append(entry)
    site.nav = _navigation(client_nav, questionnaires, lang_of(env))
    return site


def site_language(project: Project, configured: str = ENGLISH) -> str:
    """The language of a site's own pages and of its theme: ``configured`` (mkdocs.yml's ``theme.language``).

    A client's own site (``--client``, ``--all-clients``: one client's
    engagements, filtered) speaks that client's language: its latest
    engagement's (by date, then id), should its engagements differ.
    """
    engagements = sorted(project.engagements.values(), key=lambda e: (e.date, e.id))
    if project.filtered and engagements and len({e.client for e in engagements}) == 1:
        return engagements[-1].language
    return configured


def _shipped(language: str) -> str:
    """``language`` if cxsite has a catalogue of its own strings for it, else English (a theme in Dutch, say)."""
    return language if language in LANGUAGES else ENGLISH


def questionnaires_shown(project: Project, engagements: list[Engagement]) -> list[Questionnaire]:
    """The questionnaires the site has a page for: per id, the newest version in use, sorted by id.

    The whole portfolio also lists the project's own questionnaires no
    engagement uses yet; a client's own site shows only what its reports
    were built from, and a built-in questionnaire is listed only where an
    engagement uses it.
    """
    used = {(e.questionnaire.id, e.questionnaire.version): e.questionnaire for e in engagements}
    if not project.filtered:
        for q in project.questionnaires.values():
            if q.source != "project":
                continue
            latest = project.latest(q.id)
            used.setdefault((latest.id, latest.version), latest)
    by_id: dict[str, Questionnaire] = {}
    for q in sorted(used.values(), key=lambda q: q.key):
        by_id[q.id] = q  # sorted by version: the newest stays
    return list(by_id.values())


def _index_pages(site: Site, env, engagements: list[Engagement], bundles: dict, questionnaires: list,
                 home_intro: str | None, common: dict) -> None:
    """The home page (every report, every questionnaire), the questionnaire list and each questionnaire's page."""
    cards = [{"e": e, "r": site.results[e.id], "q": e.questionnaire, "awaiting": bundles[e.id].get("awaiting")}
             for e in engagements]
    home, listed = site_path("home"), site_path("questionnaires")
    site.pages[home] = render(env, "home.md.j2", cards=cards, clients=sorted({e.client for e in engagements}),
                              questionnaires=questionnaires,
                              home_intro=Markup(home_intro) if home_intro is not None else None,
                              page_path=home, **common)
    site.pages[listed] = render(env, "questionnaires.md.j2", questionnaires=questionnaires, page_path=listed,
                                **common)
    for q in questionnaires:
        path = site_path("questionnaire", qid=q.id)
        offered = questionnaire_downloads(q, path)
        site.downloads.update((d["path"], d["content"]) for d in offered)
        site.pages[path] = render(env, "questionnaire.md.j2", q=q, downloads=offered, page_path=path, **common)


def _engagement_context(site: Site, e: Engagement, common: dict, lang: Lang) -> dict:
    """What every page of one engagement is given to render; its logo becomes one of the site's assets."""
    r = site.results[e.id]
    q = e.questionnaire
    prev = site.results.get(e.previous) if e.previous else None
    t = trend(r, prev)
    overview = site_path("overview", eid=e.id)
    logo = None
    if e.logo:
        logo = site_path("logo", eid=e.id, suffix=e.logo.suffix.lower())
        site.assets[logo] = e.logo
    # qpage and logo: links from the engagement's folder, kept for a project's templates that use them.
    return dict(e=e, q=q, r=r, bands={b.id: b for b in q.bands}, rdims={d["id"]: d for d in r["dimensions"]},
                dims={d.id: d for d in q.dimensions}, trend=t,
                qpage=relative(site_path("questionnaire", qid=q.id), overview), brand=brand_style(e),
                reversed={i.id for i in q.items if i.reverse},
                logo=relative(logo, overview) if logo else None,
                charts=None if r["withheld"] else engagement_charts(e, r, t, lang), **common)


def _report_pages(site: Site, env, e: Engagement, bundle: dict, ctx: dict) -> dict:
    """The pages of an engagement with results, its print page made of them, and its navigation entry.

    Returns
    -------
    dict
        ``{navigation title: [entries]}`` for the client's section.
    """
    r = ctx["r"]
    _ = lang_of(env).gettext
    parts: list[tuple[str, dict]] = []  # this engagement's (template, own context), in reading order

    def page(name: str, template: str, dim: str | None = None, **extra) -> str:
        path = site_path(name, eid=e.id, **({"dim": dim} if dim else {}))
        site.pages[path] = render(env, template, page_path=path, **extra, **ctx)
        site.languages[path] = e.language
        parts.append((template, extra))
        return path

    entry: list = [{_("Overview"): page("overview", "overview.md.j2", h=None if r["withheld"] else highlights(r))}]
    if not r["withheld"]:
        dim_nav = [{nav_title(d["title"]): page("dimension", "dimension.md.j2", dim=d["id"], d=d,
                                                  dm=ctx["dims"][d["id"]], notes=bundle["notes"])}
                   for d in r["dimensions"]]
        entry.append({_("Dimensions"): dim_nav})
        if e.segments:
            entry.append({_("Groups"): page("segments", "segments.md.j2")})
        if e.questionnaire.open_questions:
            entry.append({_("Comments"): page("comments", "comments.md.j2", comments=bundle["comments"])})
        if ctx["mirror_view"]:
            entry.append({_("Staff and customers"): page("mirror", "mirror.md.j2")})
    if r["actions"]["plan"] or r["actions"]["follow_up"]:
        from .actions import STATUS_WORDS

        entry.append({_("What we committed to"): page("actions", "actions.md.j2", status_words=STATUS_WORDS,
                                                      prev=site.results.get(e.previous, {}).get("engagement"))})
    entry.append({_("Methodology"): page("methodology", "methodology.md.j2", imported=bundle.get("import_quality"),
                                         provenance=provenance(e))})
    printed = site_path("print", eid=e.id)
    site.pages[printed] = _print_page(env, ctx, parts)
    site.languages[printed] = e.language
    entry.append({_("Full report (print)"): printed})
    return {nav_title(f"{e.title} ({e.wave})"): entry}


def _navigation(client_nav: dict[str, list], questionnaires: list[Questionnaire], lang: Lang) -> list:
    """The site's navigation: home, each client's reports (clients sorted), the questionnaires."""
    _ = lang.gettext
    nav: list = [{_("Home"): site_path("home")}]
    for client in sorted(client_nav):
        nav.append({nav_title(client): client_nav[client]})
    nav.append({_("Questionnaires"): [site_path("questionnaires")]
                + [{nav_title(q.title): site_path("questionnaire", qid=q.id)} for q in questionnaires]})
    return nav
