"""Charts as inline SVG, made at build time.

No JavaScript, nothing to download, and they print. Colours come from CSS
classes (``cx-fav``, ``cx-level-2`` …) defined in the site's stylesheet for
both the light and the dark palette, so the same SVG reads in either. Every
chart carries ``<title>`` and ``<desc>`` as its text alternative and shows
its numbers as text, so no meaning is carried by colour alone. All text is
XML-escaped; all coordinates are formatted to fixed decimals, so the same
input always gives byte-identical SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from .i18n import ENGLISH, Lang, lang_for
from .msgids import N_

# Every chart's words and percentages are in its page's language (lang=); English by default.
EN = lang_for(ENGLISH)


def _f(x: float) -> str:
    return f"{x:.1f}"


def _svg(width: float, height: float, title: str, desc: str, body: list[str], cls: str) -> Markup:
    head = (f'<svg class="cx-chart {cls}" viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" '
            f'role="img" aria-labelledby="{cls}-t {cls}-d" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{cls}-t">{escape(title)}</title><desc id="{cls}-d">{escape(desc)}</desc>')
    # One line, no blank lines: Markdown passes it through as a raw HTML block.
    # Kept out of the search index: the same numbers are in the table beside each chart.
    return Markup('<div class="cx-figure" data-search-exclude>' + head + "".join(body) + "</svg></div>")


def _text(x, y, text, cls="", anchor="start") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}"{c}>{escape(text)}</text>'


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None          # 0-100
    level: int                   # band position 0-3, for the colour
    band: str = ""
    previous: float | None = None


def score_bars(bars: Sequence[Bar], thresholds: Sequence[float], title: str, uid: str, lang: Lang = EN) -> Markup:
    """Horizontal 0-100 bars, one per dimension, band-coloured, previous wave marked."""
    _ = lang.gettext
    chart_w, row_h, top = 420.0, 30.0, 22.0
    # Room for the longest label and value text: a fixed margin clipped
    # "67 Responsive" at the chart's right edge.
    label_w = max(150.0, min(_width(max((b.label for b in bars), key=len, default=""), LABEL_PX), 260.0)) + 12
    values = [f"{b.value:.0f} {b.band}".strip() for b in bars if b.value is not None]
    width = label_w + chart_w + max(90.0, _width(max(values, key=len, default=""), VALUE_PX) + 16)
    height = top + row_h * len(bars) + 24
    body = []
    for t in thresholds:
        if 0 < t < 100:
            x = label_w + chart_w * t / 100
            body.append(f'<line class="cx-grid" x1="{_f(x)}" y1="{_f(top - 6)}" x2="{_f(x)}" '
                        f'y2="{_f(top + row_h * len(bars))}"/>')
            body.append(_text(x, top - 9, f"{t:.0f}", "cx-axis", "middle"))
    body.append(_text(label_w, top - 9, "0", "cx-axis", "middle"))
    body.append(_text(label_w + chart_w, top - 9, "100", "cx-axis", "middle"))
    parts = []
    for i, b in enumerate(bars):
        y = top + i * row_h
        body.append(_text(label_w - 8, y + row_h / 2 + 4, _clip(b.label, int((label_w - 12) / LABEL_PX)),
                          "cx-label", "end"))
        body.append(f'<rect class="cx-track" x="{_f(label_w)}" y="{_f(y + 7)}" width="{_f(chart_w)}" '
                    f'height="{_f(row_h - 14)}"/>')
        if b.value is None:
            body.append(_text(label_w + 6, y + row_h / 2 + 4, _("no score"), "cx-axis"))
            parts.append(f"{b.label}: {_('no score')}")
            continue
        w = chart_w * max(0.0, min(100.0, b.value)) / 100
        body.append(f'<rect class="cx-level-{b.level}" x="{_f(label_w)}" y="{_f(y + 5)}" width="{_f(w)}" '
                    f'height="{_f(row_h - 10)}"/>')
        text = f"{b.value:.0f} {b.band}".strip()
        body.append(_text(label_w + chart_w + 8, y + row_h / 2 + 4, text, "cx-value"))
        described = f"{b.label}: {b.value:.0f} ({b.band})"
        if b.previous is not None:
            px = label_w + chart_w * max(0.0, min(100.0, b.previous)) / 100
            body.append(f'<line class="cx-previous" x1="{_f(px)}" y1="{_f(y + 2)}" x2="{_f(px)}" '
                        f'y2="{_f(y + row_h - 2)}"/>')
            described += _(", previously %(score)s") % {"score": f"{b.previous:.0f}"}
        parts.append(described)
    if any(b.previous is not None for b in bars):
        body.append(f'<line class="cx-previous" x1="{_f(label_w)}" y1="{_f(height - 10)}" '
                    f'x2="{_f(label_w)}" y2="{_f(height - 2)}"/>')
        body.append(_text(label_w + 6, height - 3, _("previous wave"), "cx-axis"))
    return _svg(width, height, title, "; ".join(parts) + ".", body, f"cx-bars-{uid}")


@dataclass(frozen=True)
class Stack:
    label: str
    favorable: float | None
    neutral: float | None
    unfavorable: float | None
    note: str = "no answers"   # shown instead of a bar when there are no shares


def likert_bars(rows: Sequence[Stack], title: str, uid: str, lang: Lang = EN) -> Markup:
    """Diverging stacked bars: unfavourable left of the centre line, favourable right,
    neutral split across it; each statement above its bar, each segment labelled."""
    _ = lang.gettext
    width, row_h, top = 720.0, 50.0, 24.0
    half = width / 2 - 10
    centre = width / 2
    height = top + row_h * len(rows) + 6
    body = [_text(centre - 8, top - 8, _("◀ unfavourable"), "cx-axis", "end"),
            _text(centre + 8, top - 8, _("favourable ▶"), "cx-axis", "start")]
    parts = []
    for i, r in enumerate(rows):
        y = top + i * row_h
        body.append(_text(4, y + 13, _clip(r.label, 110), "cx-label"))
        bar_y = y + 19
        if r.favorable is None:
            body.append(_text(centre, bar_y + 15, r.note, "cx-axis", "middle"))
            parts.append(f"{r.label}: {r.note}")
            continue
        unf, neu, fav = r.unfavorable * half, r.neutral * half, r.favorable * half
        x = centre - unf - neu / 2
        for cls, w, share in (("cx-unf", unf, r.unfavorable), ("cx-neu", neu, r.neutral),
                              ("cx-fav", fav, r.favorable)):
            if w > 0:
                body.append(f'<rect class="{cls}" x="{_f(x)}" y="{_f(bar_y)}" width="{_f(w)}" height="22"/>')
                if w >= 30:
                    body.append(_text(x + w / 2, bar_y + 15, lang.percent(share), f"{cls}-text", "middle"))
            x += w
        parts.append(_("%(label)s: %(favourable)s favourable, %(neutral)s neutral, %(unfavourable)s unfavourable")
                     % {"label": r.label, "favourable": lang.percent(r.favorable), "neutral": lang.percent(r.neutral),
                        "unfavourable": lang.percent(r.unfavorable)})
    # Drawn first, so the bars and their labels sit on top of the centre line.
    body.insert(0, f'<line class="cx-centre" x1="{_f(centre)}" y1="{_f(top - 4)}" x2="{_f(centre)}" '
                   f'y2="{_f(height - 2)}"/>')
    return _svg(width, height, title, "; ".join(parts) + ".", body, f"cx-likert-{uid}")


def nps_bar(promoters: int, passives: int, detractors: int, nps: float | None, title: str, uid: str,
            lang: Lang = EN) -> Markup:
    """One stacked bar of detractors, passives and promoters, with the net score."""
    _ = lang.gettext
    n = promoters + passives + detractors
    width, bar_w, left = 640.0, 520.0, 10.0
    body = []
    x = left
    for cls, count, name in (("cx-unf", detractors, _("%(share)s detractors")),
                             ("cx-neu", passives, _("%(share)s passives")),
                             ("cx-fav", promoters, _("%(share)s promoters"))):
        w = bar_w * count / n if n else 0
        if w > 0:
            body.append(f'<rect class="{cls}" x="{_f(x)}" y="8" width="{_f(w)}" height="26"/>')
            if w >= 70:
                body.append(_text(x + w / 2, 26, name % {"share": lang.percent(count / n)}, f"{cls}-text", "middle"))
        x += w
    net = "–" if nps is None else f"{nps:+.0f}".replace("-", "−")
    body.append(_text(left + bar_w + 12, 27, f"NPS {net}", "cx-value"))
    desc = _("%(detractors)s detractors, %(passives)s passives, %(promoters)s promoters of %(n)s; net score %(net)s.") \
        % {"detractors": detractors, "passives": passives, "promoters": promoters, "n": n, "net": net}
    return _svg(width, 44, title, desc, body, f"cx-nps-{uid}")


# Average advance of a character at the charts' 12px sans-serif, regular and
# bold (the stylesheet's .cx-label and .cx-value): generous, as text outside
# the viewBox is cut off.
LABEL_PX = 6.4
VALUE_PX = 7.6


def _width(text: str, px: float) -> float:
    return len(" ".join(text.split())) * px


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class HeatRow:
    label: str
    # (score, band level) or (score, band level, mark) per column; None = suppressed.
    # mark: "higher" / "lower" where the group differs clearly from the rest, else "".
    cells: tuple[tuple, ...] | None
    note: str = ""                                       # shown instead of cells when suppressed


MARKS = {"higher": ("▲", N_("clearly higher than the rest")), "lower": ("▼", N_("clearly lower than the rest"))}


def heatmap(columns: Sequence[str], rows: Sequence[HeatRow], title: str, uid: str, lang: Lang = EN) -> Markup:
    """Groups × dimensions, each cell coloured by band and showing its score.

    A suppressed group is one grey row with its note ("not shown") and no
    figure at all, in the picture or in its description. A cell that
    differs clearly from the rest of the organisation carries ▲ or ▼ beside
    its score, says so in the description, and the legend under the grid
    explains the marks (shape and words, not colour).
    """
    _ = lang.gettext
    label_w, cell_w, cell_h, head = 190.0, 64.0, 30.0, 118.0
    width = label_w + cell_w * len(columns) + 90  # room for the last rotated heading
    marked = any(len(c) > 2 and c[2] for r in rows if r.cells for c in r.cells)
    legend = _("▲ ▼ clearly higher or lower than the rest of the organisation")
    if marked and lang.language != ENGLISH:
        # A translated legend is often longer: widen the chart so that it is not cut off.
        # (English keeps the width its golden pages pin.)
        width = max(width, label_w + _width(legend, AXIS_PX) + 10)
    height = head + cell_h * len(rows) + 6 + (22 if marked else 0)
    body = []
    for j, col in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        body.append(f'<text x="{_f(x)}" y="{_f(head - 8)}" transform="rotate(-40 {_f(x)} {_f(head - 8)})" '
                    f'class="cx-label">{escape(_clip(col, 22))}</text>')
    parts = []
    for i, row in enumerate(rows):
        y = head + i * cell_h
        body.append(_text(label_w - 8, y + cell_h / 2 + 4, _clip(row.label, 28), "cx-label", "end"))
        if row.cells is None:
            body.append(f'<rect class="cx-suppressed" x="{_f(label_w)}" y="{_f(y + 1)}" '
                        f'width="{_f(cell_w * len(columns) - 2)}" height="{_f(cell_h - 2)}"/>')
            body.append(_text(label_w + 8, y + cell_h / 2 + 4, row.note, "cx-axis"))
            parts.append(f"{row.label}: {row.note}")
            continue
        cells = []
        for j, (value, level, *mark) in enumerate(row.cells):
            x = label_w + j * cell_w
            arrow, words = MARKS.get(mark[0] if mark else "", ("", ""))
            if value is None:
                body.append(f'<rect class="cx-track" x="{_f(x + 1)}" y="{_f(y + 1)}" width="{_f(cell_w - 2)}" '
                            f'height="{_f(cell_h - 2)}"/>')
                body.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, "–", "cx-axis", "middle"))
                cells.append(_("%(column)s no score") % {"column": columns[j]})
                continue
            body.append(f'<rect class="cx-heat-{level}" x="{_f(x + 1)}" y="{_f(y + 1)}" width="{_f(cell_w - 2)}" '
                        f'height="{_f(cell_h - 2)}"/>')
            body.append(_text(x + cell_w / 2, y + cell_h / 2 + 4, f"{value:.0f}{' ' + arrow if arrow else ''}",
                              f"cx-heat-text-{level}", "middle"))
            cells.append(f"{columns[j]} {value:.0f}{', ' + _(words) if words else ''}")
        parts.append(f"{row.label}: " + ", ".join(cells))
    if marked:
        body.append(_text(label_w, height - 8, legend, "cx-axis"))
    return _svg(width, height, title, "; ".join(parts) + ".", body, f"cx-heat-{uid}")


@dataclass(frozen=True)
class Driver:
    label: str
    score: float        # 0-100: performance
    share: float        # 0-1: importance, the share of the explained variance


def drivers_chart(points: Sequence[Driver], title: str, uid: str, lang: Lang = EN) -> Markup:
    """Importance (share of R²) against performance (score): the "fix first" quadrant top left.

    The lines cross at the mean score of the dimensions shown and at an
    equal share (1 / number of dimensions); each point is numbered, and its
    label, score and share are printed beside the chart and in its description.
    """
    _, pc = lang.gettext, lang.percent
    left, top, plot_w, plot_h = 48.0, 26.0, 360.0, 260.0
    key_w = min(max((_width(p.label, LABEL_PX) for p in points), default=0.0) + 120, 380.0)
    width, height = left + plot_w + 24 + key_w, top + plot_h + 46
    # Axes zoomed to the points (scores to the nearest ten around them, shares
    # to the next 5 % above the largest): on 0-100 they sat in one clump.
    scores = [p.score for p in points] or [50.0]
    x_lo = max(0.0, 10 * math.floor((min(scores) - 5) / 10))
    x_hi = min(100.0, 10 * math.ceil((max(scores) + 5) / 10))
    y_max = max(0.05, 0.05 * math.ceil(max((p.share for p in points), default=0.0) * 1.2 / 0.05))
    mid_score = sum(scores) / len(scores)
    even = 1 / len(points) if points else 0.0

    def px(score: float) -> float:
        return left + plot_w * (max(x_lo, min(x_hi, score)) - x_lo) / (x_hi - x_lo)

    def py(share: float) -> float:
        return top + plot_h * (1 - min(share, y_max) / y_max)

    body = [f'<rect class="cx-fix-first" x="{_f(left)}" y="{_f(top)}" width="{_f(px(mid_score) - left)}" '
            f'height="{_f(py(even) - top)}"/>',
            _text(left + 6, top + 14, _("Fix first: important, scoring low"), "cx-axis"),
            f'<rect class="cx-track-line" x="{_f(left)}" y="{_f(top)}" width="{_f(plot_w)}" height="{_f(plot_h)}" '
            f'fill="none"/>',
            f'<line class="cx-grid" x1="{_f(px(mid_score))}" y1="{_f(top)}" x2="{_f(px(mid_score))}" '
            f'y2="{_f(top + plot_h)}"/>',
            f'<line class="cx-grid" x1="{_f(left)}" y1="{_f(py(even))}" x2="{_f(left + plot_w)}" y2="{_f(py(even))}"/>',
            _text(left + plot_w / 2, height - 8, _("Score"), "cx-axis", "middle"),
            _text(left - 8, top + plot_h, pc(0), "cx-axis", "end"),
            _text(left - 8, py(even) + 4, pc(even), "cx-axis", "end"),
            _text(left - 8, top + 10, pc(y_max), "cx-axis", "end"),
            _text(left, top + plot_h + 16, f"{x_lo:.0f}", "cx-axis", "middle"),
            _text(px(mid_score), top + plot_h + 16, f"{mid_score:.0f}", "cx-axis", "middle"),
            _text(left + plot_w, top + plot_h + 16, f"{x_hi:.0f}", "cx-axis", "middle"),
            _text(left, top - 10, _("Importance (share of what the dimensions explain)"), "cx-axis"),
            _text(width - 4, top - 10, _("score · importance"), "cx-axis", "end")]
    parts = []
    for n, p in enumerate(points, start=1):
        x, y = px(p.score), py(p.share)
        body.append(f'<circle class="cx-point" cx="{_f(x)}" cy="{_f(y)}" r="9"/>')
        body.append(_text(x, y + 4, str(n), "cx-point-text", "middle"))
        body.append(_text(left + plot_w + 24, top + 14 + 20 * (n - 1), f"{n}. {_clip(p.label, 40)}", "cx-label"))
        body.append(_text(width - 4, top + 14 + 20 * (n - 1), f"{p.score:.0f} · {pc(p.share)}",
                          "cx-value", "end"))
        quadrant = _("fix first") if p.score < mid_score and p.share > even else ""
        parts.append(_("%(n)s. %(label)s: score %(score)s, importance %(share)s")
                     % {"n": n, "label": p.label, "score": f"{p.score:.0f}", "share": pc(p.share)}
                     + (f" ({quadrant})" if quadrant else ""))
    desc = (_("Each dimension's score against its importance; the fix-first area holds those above an equal share "
               "of importance (%(share)s) and below the mean score (%(score)s).")
            % {"share": pc(even), "score": f"{mid_score:.0f}"} + " " + "; ".join(parts) + ".")
    return _svg(width, height, title, desc, body, f"cx-drivers-{uid}")


@dataclass(frozen=True)
class Dumbbell:
    """One dimension of the mirror: staff and customer scores (0-100), the gap's interval, the assessor's score."""

    label: str
    staff: float | None
    customers: float | None
    gap_ci: tuple[float, float] | None = None   # staff - customers, score points
    assessor: float | None = None
    reading: str = ""                           # e.g. "clearly overrated", in the text alternative


def _minus(text: str) -> str:
    return text.replace("-", "−")


def dumbbell_chart(rows: Sequence[Dumbbell], title: str, uid: str, lang: Lang = EN) -> Markup:
    """Staff (circle) and customers (square) on one 0-100 axis per dimension, joined by a line.

    The gap's 95 % interval is drawn as a band from the customers' score
    (customers + interval): where it leaves the customers' square, staff and
    customers differ by more than chance would explain. The assessor's
    score, where given, is a diamond. Shapes and the printed numbers carry
    the meaning, not colour alone.
    """
    _ = lang.gettext
    label_w = max(130.0, min(_width(max((r.label for r in rows), key=len, default=""), LABEL_PX), 240.0)) + 12
    chart_w, row_h, top = 380.0, 34.0, 40.0
    values = [_dumbbell_value(r, lang) for r in rows]
    # Room for the longest figures' text: text outside the viewBox would be cut off.
    width = label_w + chart_w + max(120.0, _width(max(values, key=len, default=""), VALUE_PX) + 20)
    height = top + row_h * len(rows) + 10

    def px(score: float) -> float:
        return label_w + chart_w * max(0.0, min(100.0, score)) / 100

    keys, end = _dumbbell_key(px(0), top, lang, any(r.assessor is not None for r in rows))
    width = max(width, end + 10)
    body = [_text(px(0), top - 22, "0", "cx-axis", "middle"), _text(px(100), top - 22, "100", "cx-axis", "middle"),
            *keys]
    parts = []
    for i, r in enumerate(rows):
        y = top + i * row_h + row_h / 2
        body.append(_text(label_w - 8, y + 4, _clip(r.label, int((label_w - 12) / LABEL_PX)), "cx-label", "end"))
        body.append(f'<line class="cx-grid" x1="{_f(px(0))}" y1="{_f(y)}" x2="{_f(px(100))}" y2="{_f(y)}"/>')
        body += _dumbbell_row(r, y, px)
        figures = _dumbbell_figures(r, lang)
        body.append(_text(px(100) + 10, y + 4, values[i], "cx-value"))
        ci = (" " + _("(95 %% interval of the gap %(low)s to %(high)s)")
              % {"low": _minus(f"{r.gap_ci[0]:+.0f}"), "high": _minus(f"{r.gap_ci[1]:+.0f}")} if r.gap_ci else "")
        parts.append(f"{r.label}: {', '.join(figures)}{ci}{', ' + r.reading if r.reading else ''}")
    return _svg(width, height, title, "; ".join(parts) + ".", body, f"cx-dumbbell-{uid}")


# Average advance of a character of the charts' 11px axis text (.cx-axis).
AXIS_PX = 5.9


def _dumbbell_key(x0: float, top: float, lang: Lang, assessor: bool) -> tuple[list[str], float]:
    """The key above the rows (staff, customers, the gap's interval, the assessor) and where it ends.

    Each entry keeps its place of the English key unless the word before it
    is longer (another language's), which pushes it to the right.
    """
    _ = lang.gettext
    words = [_("staff"), _("customers"), _("gap's 95 % interval"), _("assessor")]
    staff_x = x0 + 13
    customers = max(x0 + 56, staff_x + _width(words[0], AXIS_PX) + 8)
    gap = max(x0 + 140, customers + 15 + _width(words[1], AXIS_PX) + 8)
    rated = max(x0 + 290, gap + 27 + _width(words[2], AXIS_PX) + 8)
    keys = [f'<circle class="cx-staff" cx="{_f(x0 + 4)}" cy="{_f(top - 8)}" r="5"/>',
            _text(staff_x, top - 4, words[0], "cx-axis"),
            f'<rect class="cx-customers" x="{_f(customers)}" y="{_f(top - 13)}" width="10" height="10"/>',
            _text(customers + 15, top - 4, words[1], "cx-axis"),
            f'<rect class="cx-gap-band" x="{_f(gap)}" y="{_f(top - 11)}" width="22" height="6"/>',
            _text(gap + 27, top - 4, words[2], "cx-axis")]
    end = gap + 27 + _width(words[2], AXIS_PX)
    if assessor:
        keys += [_diamond(rated, top - 8), _text(rated + 9, top - 4, words[3], "cx-axis")]
        end = rated + 9 + _width(words[3], AXIS_PX)
    return keys, end


def _dumbbell_figures(r: Dumbbell, lang: Lang = EN) -> list[str]:
    _ = lang.gettext
    figures = [_("staff %(score)s") % {"score": score_text(r.staff, lang)},
               _("customers %(score)s") % {"score": score_text(r.customers, lang)}]
    if r.staff is not None and r.customers is not None:
        figures.append(_("gap %(gap)s") % {"gap": _minus(f"{r.staff - r.customers:+.0f}")})
    if r.assessor is not None:
        figures.append(_("assessor %(score)s") % {"score": f"{r.assessor:.0f}"})
    return figures


def _dumbbell_value(r: Dumbbell, lang: Lang = EN) -> str:
    """The figures printed at the end of a row: staff, customers and the gap (the assessor's is in the table)."""
    return ", ".join(_dumbbell_figures(r, lang)[:3])


def score_text(value: float | None, lang: Lang = EN) -> str:
    return lang.gettext("not shown") if value is None else f"{value:.0f}"


def _diamond(x: float, y: float) -> str:
    return (f'<polygon class="cx-assessor" points="{_f(x)},{_f(y - 6)} {_f(x + 6)},{_f(y)} '
            f'{_f(x)},{_f(y + 6)} {_f(x - 6)},{_f(y)}"/>')


def _dumbbell_row(r: Dumbbell, y: float, px) -> list[str]:
    """The marks of one row: the interval band, the joining line, the dots, the assessor's diamond."""
    body = []
    if r.customers is not None and r.gap_ci is not None:
        low, high = px(r.customers + r.gap_ci[0]), px(r.customers + r.gap_ci[1])
        body.append(f'<rect class="cx-gap-band" x="{_f(low)}" y="{_f(y - 4)}" width="{_f(max(high - low, 1.0))}" '
                    f'height="8"/>')
    if r.staff is not None and r.customers is not None:
        body.append(f'<line class="cx-gap-line" x1="{_f(px(r.staff))}" y1="{_f(y)}" x2="{_f(px(r.customers))}" '
                    f'y2="{_f(y)}"/>')
    if r.customers is not None:
        body.append(f'<rect class="cx-customers" x="{_f(px(r.customers) - 5)}" y="{_f(y - 5)}" width="10" height="10"/>')
    if r.staff is not None:
        body.append(f'<circle class="cx-staff" cx="{_f(px(r.staff))}" cy="{_f(y)}" r="6"/>')
    if r.assessor is not None:
        body.append(_diamond(px(r.assessor), y))
    return body
