"""Charts drawn on the server as SVG, so pages need no JavaScript to be read.

Every chart has a <title> and <desc> (named by aria-labelledby) and is shown next to a table
with the same numbers: the table is the accessible source, the picture a summary of it."""

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 220
CHART_WIDTH = 640


def _number(value) -> str:
    text = f"{Decimal(value):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def bar_chart(*, chart_id: str, title: str, description: str, rows: list[tuple[str, int]]):
    """Horizontal bars, one per (label, count)."""
    peak = max((count for _, count in rows), default=0) or 1
    bar_space = CHART_WIDTH - LABEL_WIDTH - 60
    height = max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    parts = []
    for i, (label, count) in enumerate(rows):
        y = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP)
        width = round(bar_space * count / peak)
        parts.append(
            format_html(
                '<g><text x="{}" y="{}" text-anchor="end" class="chart-label" fill="#1a1a1a" font-size="13">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar" fill="#1f5f8b"></rect>'
                '<text x="{}" y="{}" class="chart-value" fill="#1a1a1a" font-size="13">{}</text></g>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 6,
                label,
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                LABEL_WIDTH + width + 6,
                y + BAR_HEIGHT - 6,
                count,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" class="chart chart-bar-chart" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}</svg>',
        chart_id,
        CHART_WIDTH,
        height,
        title,
        description,
        mark_safe("".join(parts)),  # noqa: S308 - built with format_html
    )


def line_chart(*, chart_id: str, title: str, description: str, unit: str, actual, target):
    """A line from the baseline through the measurements, and a dashed line on to the target.

    `actual` is a list of (year, value) starting with the baseline; `target` is (year, value)."""
    width, height, left, right, top, bottom = CHART_WIDTH, 280, 70, 20, 20, 40
    points = [*actual, target]
    years = [year for year, _ in points]
    values = [Decimal(value) for _, value in points]
    low_year, high_year = min(years), max(years)
    peak = max(values) or Decimal(1)
    span = (high_year - low_year) or 1

    def x(year):
        return round(left + (width - left - right) * (year - low_year) / span, 1)

    def y(value):
        return round(
            top + (height - top - bottom) * float(1 - Decimal(value) / (peak * Decimal("1.1"))), 1
        )

    line = " ".join(f"{x(year)},{y(value)}" for year, value in actual)
    last_year, last_value = actual[-1]
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis" stroke="#595959"></line>',
            left,
            height - bottom,
            width - right,
            height - bottom,
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis" stroke="#595959"></line>',
            left,
            top,
            left,
            height - bottom,
        ),
        format_html(
            '<text x="{}" y="{}" class="chart-label" text-anchor="end" fill="#1a1a1a" font-size="12">0 {}</text>',
            left - 6,
            height - bottom,
            unit,
        ),
        format_html(
            '<text x="{}" y="{}" class="chart-label" text-anchor="end" fill="#1a1a1a" font-size="12">{} {}</text>',
            left - 6,
            top + 10,
            _number(peak),
            unit,
        ),
        format_html(
            '<polyline points="{}" class="chart-line" fill="none" stroke="#1f5f8b" stroke-width="3"></polyline>',
            line,
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-target-line" stroke="#8a4b00" stroke-width="2" stroke-dasharray="6 4"></line>',
            x(last_year),
            y(last_value),
            x(target[0]),
            y(target[1]),
        ),
    ]
    for year in sorted(set(years)):
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart-label" text-anchor="middle" fill="#1a1a1a" font-size="12">{}</text>',
                x(year),
                height - bottom + 18,
                year,
            )
        )
    for year, value in actual:
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="5" class="chart-point" fill="#1f5f8b"><title>{}: {} {}</title></circle>',
                x(year),
                y(value),
                year,
                _number(value),
                unit,
            )
        )
    parts.append(
        format_html(
            '<rect x="{}" y="{}" width="9" height="9" class="chart-target" fill="#8a4b00"><title>{}: {} {}</title></rect>',
            x(target[0]) - 4.5,
            y(target[1]) - 4.5,
            target[0],
            _number(target[1]),
            unit,
        )
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" class="chart chart-line-chart" width="100%" preserveAspectRatio="xMinYMin meet">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}</svg>',
        chart_id,
        width,
        height,
        title,
        description,
        mark_safe("".join(str(p) for p in parts)),  # noqa: S308
    )


def number(value) -> str:
    """A Swedish-formatted number for tables and chart descriptions."""
    return _number(value)
