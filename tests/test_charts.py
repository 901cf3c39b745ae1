import re
import xml.etree.ElementTree as ET

from cxsite import charts
from cxsite.comments import redact

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    html = str(markup)
    assert html.startswith('<div class="cx-figure" data-search-exclude><svg') and html.endswith("</svg></div>")
    assert "\n\n" not in html  # a blank line would end Markdown's raw HTML block
    return ET.fromstring(html[len('<div class="cx-figure" data-search-exclude>'):-len("</div>")])


def texts(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text")]


def test_score_bars_show_values_bands_and_previous_wave():
    svg = parse(charts.score_bars([charts.Bar("Purpose", 62.4, 2, "Established", previous=55.0),
                                   charts.Bar("Silos", None, 0)], [0, 40, 60, 80], "Scores", "x"))
    assert svg.find(f"{SVG}title").text == "Scores"
    assert svg.find(f"{SVG}desc").text == "Purpose: 62 (Established), previously 55; Silos: no score."
    assert "62 Established" in texts(svg) and "previous wave" in texts(svg)
    bar = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "cx-level-2"][0]
    assert float(bar.get("width")) == round(420 * 0.624, 1)


def test_likert_bars_diverge_from_the_centre():
    svg = parse(charts.likert_bars([charts.Stack("We listen.", 0.5, 0.2, 0.3)], "Items", "d1"))
    rects = {r.get("class"): r for r in svg.iter(f"{SVG}rect")}
    centre = 360.0
    unf, fav = rects["cx-unf"], rects["cx-fav"]
    # Neutral straddles the centre; unfavourable ends where neutral begins.
    assert float(unf.get("x")) + float(unf.get("width")) == float(rects["cx-neu"].get("x"))
    assert abs(float(rects["cx-neu"].get("x")) + float(rects["cx-neu"].get("width")) / 2 - centre) < 0.11
    assert {"50%", "20%", "30%"} <= set(texts(svg))
    assert float(fav.get("width")) == round(350 * 0.5, 1)


def test_heatmap_suppressed_group_has_no_figure():
    svg = parse(charts.heatmap(["Purpose", "Silos"], [
        charts.HeatRow("Sales", ((70.0, 2), (45.0, 1))),
        charts.HeatRow("Facilities", None, "fewer than 5 responses"),
    ], "By department", "department"))
    desc = svg.find(f"{SVG}desc").text
    assert desc == "Sales: Purpose 70, Silos 45; Facilities: fewer than 5 responses."
    assert texts(svg).count("fewer than 5 responses") == 1
    assert [t for t in texts(svg) if re.fullmatch(r"\d+", t or "")] == ["70", "45"]


def test_chart_text_is_escaped():
    markup = charts.score_bars([charts.Bar("<script>x</script> & co", 50.0, 1, "<b>")], [0], "<i>t</i>", "e")
    html = str(markup)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in html
    parse(markup)


def test_charts_are_byte_identical_for_the_same_input():
    make = lambda: str(charts.nps_bar(10, 20, 30, -33.3, "eNPS", "enps"))  # noqa: E731
    assert make() == make()
    assert "NPS −33" in make()


def test_nps_without_answers():
    svg = parse(charts.nps_bar(0, 0, 0, None, "eNPS", "enps"))
    assert "NPS –" in texts(svg)


def test_redaction_of_contact_details():
    assert redact("mail j.smith@example.com today") == "mail [redacted] today"
    assert redact("call +44 20 7946 0958 or (020) 7946-0958") == "call [redacted] or [redacted]"
    assert redact("we waited 3 weeks in 2026, 45 minutes per call") == "we waited 3 weeks in 2026, 45 minutes per call"


def test_drivers_chart_escapes_and_describes():
    from cxsite.charts import Driver, drivers_chart

    svg = str(drivers_chart([Driver("<b>Speak & up</b>", 41.2, 0.6), Driver("Quality", 62.0, 0.3),
                             Driver("Ease", 55.0, 0.1)], "What drives <x>", "enps"))
    assert "<b>" not in svg and "&lt;b&gt;Speak &amp; up&lt;/b&gt;" in svg and "What drives &lt;x&gt;" in svg
    # The description holds every figure, and names the fix-first point (important, scoring low).
    assert "1. &lt;b&gt;Speak &amp; up&lt;/b&gt;: score 41, importance 60% (fix first)" in svg
    assert "2. Quality: score 62, importance 30%; 3. Ease: score 55, importance 10%." in svg
    assert 'class="cx-fix-first"' in svg and 'role="img"' in svg


def test_heatmap_marks_clear_differences_in_words():
    from cxsite.charts import HeatRow, heatmap

    svg = str(heatmap(["A", "B"], [HeatRow("G", ((60.0, 2, "higher"), (40.0, 1, "")))], "t", "seg"))
    assert "60 ▲" in svg and "A 60, clearly higher than the rest" in svg and "B 40" in svg
    assert "clearly higher or lower than the rest of the organisation" in svg  # the legend
    plain = str(heatmap(["A"], [HeatRow("G", ((60.0, 2),))], "t", "seg"))
    assert "▲" not in plain and "clearly" not in plain
