"""The charts' markup (reports.charts geometry → SVG with its figures as a table), written in Python.

The templates `reports/charts/_bars.html` and `_lines.html` call these through the `bar_chart`
and `line_chart` tags. They were template loops of a few thousand variable look-ups per chart
(a plan dashboard's three charts were ≈ 40 % of its time, issue 10); the markup is the same, byte
for byte (reports/tests/test_chart_html.py keeps the old templates as the oracle). Numbers
inside the SVG are written as Python writes them (`{% localize off %}`); the text is escaped as
the template escaped it."""

from __future__ import annotations

from typing import Any

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from reports.charts import BarChart, LineChart


def _e(value: Any) -> str:
    """A value as `{{ value }}` writes it with autoescape on and localisation off."""
    if value is None:
        return "None"
    if type(value) in (int, float):  # digits, ".", "-", "e", "inf", "nan": nothing to escape
        return str(value)
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _table_open(slug: str, title: str) -> str:
    return (
        f'<details class="chart-data"><summary>{_e(gettext("See the figures as a table"))}</summary>\n'
        f'<div class="table-wrap"><table data-testid="{slug}-table">\n'
        f"  <caption>{title}</caption>\n"
    )


def bars_html(chart: BarChart | None, *, printed: bool = False) -> SafeString:
    if chart is None or chart.empty:
        return mark_safe("")  # noqa: S308 - nothing
    slug, title, height = _e(chart.slug), _e(chart.title), _e(f"{chart.height:g}")
    out = [
        f'<figure class="chart" data-chart="{slug}">\n'
        f'<svg viewBox="0 0 {_e(chart.width)} {height}" width="{_e(chart.width)}" height="{height}" role="img" '
        f'aria-labelledby="{slug}-title" xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">\n'
        f'  <title id="{slug}-title">{title}</title>\n  '
    ]
    axis_y, tick_y = _e(chart.axis_y), _e(chart.tick_y)
    for t in chart.ticks:
        x = _e(t.x)
        out.append(
            f'<line x1="{x}" x2="{x}" y1="0" y2="{axis_y}" stroke="#d0d7de"/>\n'
            f'  <text x="{x}" y="{tick_y}" text-anchor="middle" fill="#444">{_e(t.text)}</text>'
        )
    out.append("\n  ")
    label_x = _e(chart.label_x)
    for i, row in enumerate(chart.rows):
        label = _e(row.label)
        url = _e(row.url) if row.url else ""
        if url:
            out.append(f'<a href="{url}">')
        out.append(
            f'<g data-row="{i}">\n'
            f'    <text x="{label_x}" y="{_e(row.label_y)}" text-anchor="end" fill="#1f2328"><title>{label}</title>'
            f"{_e(Truncator(row.label).chars(26))}</text>\n    "
        )
        for b in row.bars:
            text, series = _e(b.text), b.series
            out.append(
                f'<rect x="{_e(b.x)}" y="{_e(b.y)}" width="{_e(b.width)}" height="14" fill="{_e(series.colour)}" '
                f'data-series="{_e(series.key)}" data-value="{_e(b.value)}"><title>{label} · {_e(series.label)}: '
                f"{text}</title></rect>\n"
                f'    <text x="{_e(b.text_x)}" y="{_e(b.text_y)}" fill="#1f2328">{text}</text>'
            )
        out.append("\n  </g>")
        if url:
            out.append("</a>")
    out.append("\n</svg>\n")
    if len(chart.series) > 1:
        out.append('<figcaption class="chart-legend">')
        for s in chart.series:
            out.append(
                f'<span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" '
                f'fill="{_e(s.colour)}"/></svg> {_e(s.label)}</span>'
            )
        out.append("</figcaption>")
    out.append("\n")
    if not printed:
        out.append(_table_open(slug, title))
        out.append('  <thead><tr><th scope="col"></th>')
        out.extend(f'<th scope="col">{_e(s.label)}</th>' for s in chart.series)
        out.append("</tr></thead>\n  <tbody>")
        for row in chart.rows:
            label = _e(row.label)
            head = f'<a href="{_e(row.url)}">{label}</a>' if row.url else label
            out.append(f'<tr><th scope="row">{head}</th>')
            out.extend(f'<td data-series="{_e(b.series.key)}">{_e(b.text)}</td>' for b in row.bars)
            out.append("</tr>")
        out.append("</tbody>\n</table></div></details>")
    out.append("\n</figure>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def lines_html(chart: LineChart | None, *, caption: Any = "") -> SafeString:
    if chart is None or chart.empty:
        return mark_safe("")  # noqa: S308 - nothing
    slug, title = _e(chart.slug), _e(chart.title)
    width, height = chart.width, chart.height
    today = _e(gettext("Today"))
    out = [
        f'<figure class="chart" data-chart="{slug}">\n'
        f'<svg viewBox="0 0 {_e(width)} {_e(height)}" width="{_e(width)}" height="{_e(height)}" role="img" '
        f'aria-labelledby="{slug}-title" xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">\n'
        f'  <title id="{slug}-title">{title}</title>\n  '
    ]
    right = _e(width - 20)
    for y, text in chart.y_ticks:
        out.append(
            f'<line x1="40" x2="{right}" y1="{_e(y)}" y2="{_e(y)}" stroke="#d0d7de"/>'
            f'<text x="34" y="{_e(y)}" dy="4" text-anchor="end" fill="#444">{_e(text)}</text>'
        )
    out.append("\n  ")
    label_y = _e(height - 14)
    out.extend(
        f'<text x="{_e(t.x)}" y="{label_y}" text-anchor="middle" fill="#444">{_e(t.text)}</text>' for t in chart.x_ticks
    )
    out.append("\n  ")
    if chart.today_x is not None:
        x = _e(chart.today_x)
        out.append(
            f'<line x1="{x}" x2="{x}" y1="4" y2="{_e(height - 30)}" stroke="#b42318" stroke-dasharray="4 3">'
            f"<title>{today}</title></line>"
        )
    out.append("\n  ")
    for i, line in enumerate(chart.lines):
        colour = _e(line.series.colour)
        dash = ' stroke-dasharray="6 3"' if i else ""
        out.append(
            f'<g data-series="{_e(line.series.key)}"><polyline points="{_e(line.path)}" fill="none" '
            f'stroke="{colour}" stroke-width="2.5"{dash}/>\n    '
        )
        out.extend(f'<circle cx="{_e(p.x)}" cy="{_e(p.y)}" r="2.5" fill="{colour}"/>' for p in line.points)
        out.append("</g>")
    out.append('\n</svg>\n<figcaption class="chart-legend">')
    for i, line in enumerate(chart.lines):
        dash = ' stroke-dasharray="6 3"' if i else ""
        out.append(
            f'<span><svg width="18" height="12" aria-hidden="true"><line x1="0" x2="18" y1="6" y2="6" '
            f'stroke="{_e(line.series.colour)}" stroke-width="3"{dash}/></svg> {_e(line.series.label)}</span>'
        )
    if chart.today_x is not None:
        out.append(
            '<span><svg width="18" height="12" aria-hidden="true"><line x1="9" x2="9" y1="0" y2="12" '
            f'stroke="#b42318" stroke-dasharray="4 3"/></svg> {today}</span>'
        )
    if caption:
        out.append(f'<br><span class="muted">{_e(caption)}</span>')
    out.append("</figcaption>\n")
    out.append(_table_open(slug, title))
    out.append(f'  <thead><tr><th scope="col">{_e(gettext("Period"))}</th>')
    out.extend(f'<th scope="col">{_e(line.series.label)}</th>' for line in chart.lines)
    out.append("</tr></thead>\n  <tbody>")
    for label, values in chart.table:
        out.append(f'<tr><th scope="row">{_e(label)}</th>')
        out.extend(f"<td>{_e(v)}</td>" for v in values)
        out.append("</tr>")
    out.append("</tbody>\n</table></div></details>\n</figure>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
