"""The SVG charts stay readable on a phone: every label is drawn at 12 px or more when the
chart is as narrow as a 375 px screen makes it, or as the stylesheet ever lets it be."""

import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from plans.charts import YEAR_ROOM, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
AT_375 = 375 - 2 * 16  # the column on a 375 px screen: .wrap's 1rem padding on each side
MIN_LABEL_PX = 12


def narrowest_chart_px() -> float:
    """The least width site.css lets a chart shrink to, in px (1rem = 16 px)."""
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    rule = re.search(r"\.chart-figure svg \{([^}]*)\}", css).group(1)
    return float(re.search(r"min-width: ([\d.]+)rem", rule).group(1)) * 16


def drawn_label_sizes(svg: str, rendered_width: float) -> dict[str, float]:
    """Each <text>'s font size in px when the chart is drawn `rendered_width` px wide."""
    root = ET.fromstring(str(svg))
    _x, _y, width, _height = (float(n) for n in root.get("viewBox").split())
    scale = rendered_width / width
    return {
        (text.text or "").strip(): float(text.get("font-size")) * scale
        for text in root.iter(f"{SVG}text")
    }


def charts():
    return {
        "status bars": bar_chart(
            chart_id="c1",
            title="Åtaganden per status",
            description="…",
            rows=[("Ej påbörjat", 3), ("Pågår", 12), ("Ersatt av ett nytt beslut", 1)],
        ),
        "indicator line": line_chart(
            chart_id="c2",
            title="Koldioxidutsläpp",
            description="…",
            unit="ton CO2e per invånare",
            actual=[(2015, Decimal("12345.5")), (2018, Decimal("9000")), (2024, Decimal("7000"))],
            target=(2030, Decimal("2000")),
        ),
    }


@pytest.mark.parametrize("name", ["status bars", "indicator line"])
def test_every_chart_label_is_at_least_12_px_at_375_px_and_at_the_narrowest(name):
    svg = charts()[name]
    for width in (AT_375, narrowest_chart_px()):
        sizes = drawn_label_sizes(svg, width)
        assert sizes, "the chart has no labels"
        small = {label: round(size, 1) for label, size in sizes.items() if size < MIN_LABEL_PX}
        assert not small, f"{name} at {width} px: {small}"


@pytest.mark.parametrize("name", ["status bars", "indicator line"])
def test_a_chart_is_drawn_at_its_own_size_and_its_labels_stay_inside_it(name):
    root = ET.fromstring(str(charts()[name]))
    _x, _y, width, height = (float(n) for n in root.get("viewBox").split())
    assert (float(root.get("width")), float(root.get("height"))) == (width, height)
    for text in root.iter(f"{SVG}text"):
        assert 0 <= float(text.get("x")) <= width
        assert 0 < float(text.get("y")) <= height


def test_year_labels_of_a_long_series_do_not_overlap_and_the_target_year_is_always_shown():
    svg = line_chart(
        chart_id="c3",
        title="Andel förnybar energi",
        description="…",
        unit="%",
        actual=[(year, Decimal(40 + year - 2015)) for year in range(2015, 2026)],
        target=(2030, Decimal(100)),
    )
    root = ET.fromstring(str(svg))
    years = [
        (float(text.get("x")), text.text)
        for text in root.iter(f"{SVG}text")
        if text.get("text-anchor") == "middle"
    ]
    assert years[0][1] == "2015"
    assert years[-1][1] == "2030"
    assert all(b[0] - a[0] >= YEAR_ROOM for a, b in itertools.pairwise(years))
