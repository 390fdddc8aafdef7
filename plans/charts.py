"""Charts drawn on the server as SVG, so pages need no JavaScript to be read.

Every chart has a <title> and <desc> (named by aria-labelledby) and is shown next to a table
with the same numbers: the table is the accessible source, the picture a summary of it.

Drawn for a phone first: WIDTH user units is about a phone's width in CSS pixels, and the
stylesheet lets a chart grow from there but hardly shrink (`.chart-figure svg`), so the
FONT_SIZE text is never drawn smaller than 12 px, even on a 320 px screen (WCAG 1.4.4)."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDTH = 320
FONT_SIZE = 14
LABEL_HEIGHT = 18  # a label's line above its bar
BAR_HEIGHT = 18
BAR_GAP = 12
VALUE_ROOM = 44  # right of the longest bar, for its number
YEAR_ROOM = 40  # the least distance between two year labels, so they never overlap
TEXT = '<text x="{}" y="{}" text-anchor="{}" class="{}" fill="#1a1a1a" font-size="{}">{}</text>'


def _number(value) -> str:
    text = f"{Decimal(value):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def _text(x, y, text, *, anchor="start", css="chart-label"):
    return format_html(TEXT, x, y, anchor, css, FONT_SIZE, text)


def _svg(*, chart_id, kind, height, title, description, parts):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" width="{1}" height="{2}" class="chart chart-{3}" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="{0}-title">{4}</title><desc id="{0}-desc">{5}</desc>{6}</svg>',
        chart_id,
        WIDTH,
        height,
        kind,
        title,
        description,
        mark_safe("".join(str(part) for part in parts)),  # noqa: S308 - built with format_html
    )


def bar_chart(*, chart_id: str, title: str, description: str, rows: list[tuple[str, int]]):
    """Horizontal bars, one per (label, count), each label on its own line above its bar so
    that a long label needs no room beside the bars."""
    peak = max((count for _, count in rows), default=0) or 1
    step = LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
    parts = []
    for i, (label, count) in enumerate(rows):
        top = i * step
        width = round((WIDTH - VALUE_ROOM) * count / peak)
        parts.append(
            format_html(
                '<g>{}<rect x="0" y="{}" width="{}" height="{}" class="chart-bar" fill="#1f5f8b">'
                "</rect>{}</g>",
                _text(0, top + LABEL_HEIGHT - 4, label),
                top + LABEL_HEIGHT,
                width,
                BAR_HEIGHT,
                _text(width + 6, top + LABEL_HEIGHT + BAR_HEIGHT - 4, count, css="chart-value"),
            )
        )
    height = max(1, len(rows)) * step
    return _svg(
        chart_id=chart_id,
        kind="bar-chart",
        height=height,
        title=title,
        description=description,
        parts=parts,
    )


def _spaced(positions: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The years to label: from the first, each at least YEAR_ROOM from the one before,
    and always the last (the target year), for which the one before it gives way."""
    shown = []
    for year, x in positions:
        if not shown or x - shown[-1][1] >= YEAR_ROOM:
            shown.append((year, x))
    last = positions[-1]
    if shown[-1] != last:
        if last[1] - shown[-1][1] < YEAR_ROOM and len(shown) > 1:
            shown.pop()
        shown.append(last)
    return shown


def line_chart(*, chart_id: str, title: str, description: str, unit: str, actual, target):
    """A line from the baseline through the measurements, and a dashed line on to the target.

    `actual` is a list of (year, value) starting with the baseline; `target` is (year, value).
    The highest value and its unit are written above the plot, not beside it, so a long
    number or unit takes no width from the plot."""
    height, left, right, top, bottom = 220, 24, 22, 32, 30
    points = [*actual, target]
    years = [year for year, _ in points]
    values = [Decimal(value) for _, value in points]
    low_year, high_year = min(years), max(years)
    peak = max(values) or Decimal(1)
    span = (high_year - low_year) or 1

    def x(year):
        return round(left + (WIDTH - left - right) * (year - low_year) / span, 1)

    def y(value):
        return round(
            top + (height - top - bottom) * float(1 - Decimal(value) / (peak * Decimal("1.1"))), 1
        )

    line = " ".join(f"{x(year)},{y(value)}" for year, value in actual)
    last_year, last_value = actual[-1]
    axis = '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis" stroke="#595959"></line>'
    parts = [
        format_html(axis, left, height - bottom, WIDTH - right, height - bottom),
        format_html(axis, left, top, left, height - bottom),
        _text(left - 6, height - bottom, "0", anchor="end"),
        _text(0, top - 12, f"{_number(peak)} {unit}"),
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
    labelled = _spaced([(year, x(year)) for year in sorted(set(years))])
    parts += [_text(at, height - bottom + 20, year, anchor="middle") for year, at in labelled]
    parts.append(
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="5" class="chart-point" fill="#1f5f8b"><title>{}: {} {}</title></circle>',
            ((x(year), y(value), year, _number(value), unit) for year, value in actual),
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
    return _svg(
        chart_id=chart_id,
        kind="line-chart",
        height=height,
        title=title,
        description=description,
        parts=parts,
    )


def number(value) -> str:
    """A Swedish-formatted number for tables and chart descriptions."""
    return _number(value)
