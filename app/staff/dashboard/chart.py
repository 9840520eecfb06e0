"""A bar chart as SVG markup, built on the server: no script, no chart library.

Pure: plain values in, markup out. Colours come from CSS classes (app.css), so
the page keeps a strict Content-Security-Policy; the figures are also in a table.
"""

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 480
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28
MAX_X_LABELS = 8
#: A lone day should not fill the whole chart.
MAX_BAR_WIDTH = 48


@dataclass(frozen=True)
class Bar:
    #: Under the bar ("16/04").
    label: str
    value: int
    #: Read by screen readers and shown on hover ("mardi 16 avril 2026 : 12 inscriptions").
    title: str


def nice_ceiling(value: int) -> int:
    """Round up to 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    raise AssertionError("unreachable")


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(bars: list[Bar], *, chart_id: str, title: str, description: str = "") -> Markup:
    """Return an accessible `<svg>` bar chart of `bars` (left to right)."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    labelled = f"{title_id} {desc_id}" if description else title_id
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(labelled)}" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    if description:
        parts.append(f'<desc id="{escape(desc_id)}">{escape(description)}</desc>')
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    top_value = nice_ceiling(max((bar.value for bar in bars), default=0))
    ticks = [0, top_value] if top_value % 2 else [0, top_value // 2, top_value]
    for tick in ticks:
        y = baseline - plot_height * tick / top_value
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{_number(y)}" y2="{_number(y)}"/>'
        )
        parts.append(
            f'<text class="chart-axis" x="{LEFT - 6}" y="{_number(y + 4)}" '
            f'text-anchor="end">{tick}</text>'
        )
    if bars:
        step = plot_width / len(bars)
        bar_width = min(MAX_BAR_WIDTH, max(1.0, step * 0.7))
        every = math.ceil(len(bars) / MAX_X_LABELS)
        for index, bar in enumerate(bars):
            x = LEFT + step * index + (step - bar_width) / 2
            height = plot_height * bar.value / top_value
            parts.append(
                f'<rect class="chart-bar" x="{_number(x)}" y="{_number(baseline - height)}" '
                f'width="{_number(bar_width)}" height="{_number(height)}">'
                f"<title>{escape(bar.title)}</title></rect>"
            )
            if index % every == 0:
                parts.append(
                    f'<text class="chart-axis" x="{_number(x + bar_width / 2)}" '
                    f'y="{HEIGHT - 8}" text-anchor="middle">{escape(bar.label)}</text>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))
