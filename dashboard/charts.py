"""Bar charts drawn on the server as inline SVG: no JavaScript, no library, readable by screen readers."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.templatetags.money import format_rupiah

WIDTH, HEIGHT, AXIS = 600, 180, 20


@dataclass(frozen=True)
class Bar:
    label: str  # shown under the bar (may be empty to keep the axis readable)
    long_label: str  # in the tooltip and the table
    value: int


def bar_chart(*, chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """An SVG of `bars` scaled to the largest value, with a <title> and <desc> for assistive tech."""
    top = max((bar.value for bar in bars), default=0) or 1
    slot = WIDTH / max(len(bars), 1)
    width = max(slot * 0.7, 1)
    plot = HEIGHT - AXIS
    rects = []
    for index, bar in enumerate(bars):
        height = round(plot * bar.value / top, 1)
        x = round(index * slot + (slot - width) / 2, 1)
        rects.append(
            (
                x,
                round(plot - height, 1),
                round(width, 1),
                height,
                f"{bar.long_label}: {format_rupiah(bar.value)}",
                round(x + width / 2, 1),
                HEIGHT - 5,
                bar.label,
            )
        )
    body = format_html_join(
        "",
        '<g><rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
        rects,
    )
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line class="chart-axis" x1="0" y1="{base}" x2="{w}" y2="{base}"></line>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        base=HEIGHT - AXIS,
        title=title,
        desc=description,
        body=body,
    )
