"""Issue 10: the charts' markup written in Python (reports.chart_html) is the markup the chart
templates wrote, byte for byte, in Spanish and English; the old templates are kept here as the
oracle."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from reports.charts import bars, lines

OLD_BARS = '{% load i18n l10n %}{% if not chart.empty %}<figure class="chart" data-chart="{{ chart.slug }}">\n<svg viewBox="0 0 {{ chart.width }} {{ chart.height|stringformat:\'g\' }}" width="{{ chart.width }}" height="{{ chart.height|stringformat:\'g\' }}" role="img" aria-labelledby="{{ chart.slug }}-title" xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" font-size="11">{% localize off %}\n  <title id="{{ chart.slug }}-title">{{ chart.title }}</title>\n  {% for t in chart.ticks %}<line x1="{{ t.x }}" x2="{{ t.x }}" y1="0" y2="{{ chart.axis_y }}" stroke="#d0d7de"/>\n  <text x="{{ t.x }}" y="{{ chart.tick_y }}" text-anchor="middle" fill="#444">{{ t.text }}</text>{% endfor %}\n  {% for row in chart.rows %}{% if row.url %}<a href="{{ row.url }}">{% endif %}<g data-row="{{ forloop.counter0 }}">\n    <text x="{{ chart.label_x }}" y="{{ row.label_y }}" text-anchor="end" fill="#1f2328"><title>{{ row.label }}</title>{{ row.label|truncatechars:26 }}</text>\n    {% for b in row.bars %}<rect x="{{ b.x }}" y="{{ b.y }}" width="{{ b.width }}" height="14" fill="{{ b.series.colour }}" data-series="{{ b.series.key }}" data-value="{{ b.value }}"><title>{{ row.label }} · {{ b.series.label }}: {{ b.text }}</title></rect>\n    <text x="{{ b.text_x }}" y="{{ b.text_y }}" fill="#1f2328">{{ b.text }}</text>{% endfor %}\n  </g>{% if row.url %}</a>{% endif %}{% endfor %}\n{% endlocalize %}</svg>\n{% if chart.series|length > 1 %}<figcaption class="chart-legend">{% for s in chart.series %}<span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="{{ s.colour }}"/></svg> {{ s.label }}</span>{% endfor %}</figcaption>{% endif %}\n{% if not print %}<details class="chart-data"><summary>{% translate "See the figures as a table" %}</summary>\n<div class="table-wrap"><table data-testid="{{ chart.slug }}-table">\n  <caption>{{ chart.title }}</caption>\n  <thead><tr><th scope="col"></th>{% for s in chart.series %}<th scope="col">{{ s.label }}</th>{% endfor %}</tr></thead>\n  <tbody>{% for row in chart.rows %}<tr><th scope="row">{% if row.url %}<a href="{{ row.url }}">{{ row.label }}</a>{% else %}{{ row.label }}{% endif %}</th>{% for b in row.bars %}<td data-series="{{ b.series.key }}">{{ b.text }}</td>{% endfor %}</tr>{% endfor %}</tbody>\n</table></div></details>{% endif %}\n</figure>{% endif %}\n'

OLD_LINES = '{% load i18n l10n %}{% if not chart.empty %}<figure class="chart" data-chart="{{ chart.slug }}">\n<svg viewBox="0 0 {{ chart.width }} {{ chart.height }}" width="{{ chart.width }}" height="{{ chart.height }}" role="img" aria-labelledby="{{ chart.slug }}-title" xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" font-size="11">{% localize off %}\n  <title id="{{ chart.slug }}-title">{{ chart.title }}</title>\n  {% for y, text in chart.y_ticks %}<line x1="40" x2="{{ chart.width|add:-20 }}" y1="{{ y }}" y2="{{ y }}" stroke="#d0d7de"/><text x="34" y="{{ y }}" dy="4" text-anchor="end" fill="#444">{{ text }}</text>{% endfor %}\n  {% for t in chart.x_ticks %}<text x="{{ t.x }}" y="{{ chart.height|add:-14 }}" text-anchor="middle" fill="#444">{{ t.text }}</text>{% endfor %}\n  {% if chart.today_x is not None %}<line x1="{{ chart.today_x }}" x2="{{ chart.today_x }}" y1="4" y2="{{ chart.height|add:-30 }}" stroke="#b42318" stroke-dasharray="4 3"><title>{% translate "Today" %}</title></line>{% endif %}\n  {% for line in chart.lines %}<g data-series="{{ line.series.key }}"><polyline points="{{ line.path }}" fill="none" stroke="{{ line.series.colour }}" stroke-width="2.5"{% if forloop.counter0 %} stroke-dasharray="6 3"{% endif %}/>\n    {% for p in line.points %}<circle cx="{{ p.x }}" cy="{{ p.y }}" r="2.5" fill="{{ line.series.colour }}"/>{% endfor %}</g>{% endfor %}\n{% endlocalize %}</svg>\n<figcaption class="chart-legend">{% for line in chart.lines %}<span><svg width="18" height="12" aria-hidden="true"><line x1="0" x2="18" y1="6" y2="6" stroke="{{ line.series.colour }}" stroke-width="3"{% if forloop.counter0 %} stroke-dasharray="6 3"{% endif %}/></svg> {{ line.series.label }}</span>{% endfor %}{% if chart.today_x is not None %}<span><svg width="18" height="12" aria-hidden="true"><line x1="9" x2="9" y1="0" y2="12" stroke="#b42318" stroke-dasharray="4 3"/></svg> {% translate "Today" %}</span>{% endif %}{% if caption %}<br><span class="muted">{{ caption }}</span>{% endif %}</figcaption>\n<details class="chart-data"><summary>{% translate "See the figures as a table" %}</summary>\n<div class="table-wrap"><table data-testid="{{ chart.slug }}-table">\n  <caption>{{ chart.title }}</caption>\n  <thead><tr><th scope="col">{% translate "Period" %}</th>{% for line in chart.lines %}<th scope="col">{{ line.series.label }}</th>{% endfor %}</tr></thead>\n  <tbody>{% for label, values in chart.table %}<tr><th scope="row">{{ label }}</th>{% for v in values %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}</tbody>\n</table></div></details>\n</figure>{% endif %}\n'

NASTY = "Sede <Central> & \"UT\" 'Cusco' con un nombre muy largo que se corta"


def _bar_charts() -> list:
    money = lambda v: f"S/ {Decimal(v or 0):,.2f}"  # noqa: E731
    return [
        bars(
            "Avance por sede & UT",
            [(NASTY, '/planes/1/?sites=<1>&x="2"'), ("UT Piura", ""), ("", "/x/"), ("Ñuñoa <b>", "")],
            [("progress", "Avance <%>")],
            {(0, "progress"): 62.5, (1, "progress"): 0, (2, "progress"): None, (3, "progress"): 140},
            fmt=lambda v: f"{v:g} %",
            maximum=100,
            slug="per-site",
        ),
        bars(
            "Presupuesto programado y ejecutado",
            [("Tarea 1", ""), ("Tarea <2>", "/t/2/"), ("Tarea 3 & más", "")],
            [("programmed", "Programado"), ("executed", 'Ejecutado "real"')],
            {
                (0, "programmed"): Decimal("26000.50"),
                (0, "executed"): Decimal("1234.5"),
                (1, "programmed"): 7,
                (2, "executed"): Decimal("0.01"),
            },
            fmt=money,
            slug="budget",
        ),
        bars("Vacío", [], [("a", "A")], {}, slug="empty"),
        bars(
            "Tres series",
            [("a", ""), ("b", "")],
            [("x", "X"), ("y", "Y"), ("z", "Z")],
            {(0, "x"): 1, (0, "y"): 2.5, (1, "z"): 1e6},
            slug="three",
        ),
    ]


def _line_charts() -> list:
    labels = [f"m{i}<" for i in range(14)]
    planned = [round(i * 7.3, 1) for i in range(14)]
    actual = [round(i * 5.1, 1) if i < 9 else None for i in range(14)]
    return [
        lines(
            "Avance planificado & real",
            labels,
            [("planned", "Planificado", planned), ("actual", "Real <r>", actual)],
            today_index=8,
            slug="progress",
        ),
        lines("Sin hoy", labels[:3], [("planned", "Planificado", [0, 50, 100])], slug="no-today"),
        lines("Un mes", ["ene-20"], [("planned", "P", [33.3]), ("actual", "A", [None])], today_index=0),
        lines("Vacío", [], [("planned", "P", [])]),
    ]


@pytest.mark.parametrize("language", ["es", "en"])
def test_bar_charts_are_written_as_the_template_wrote_them(language):
    old = engines["django"].from_string(OLD_BARS)
    with translation.override(language):
        for chart in _bar_charts():
            for printed in (False, True):
                ctx = {"chart": chart, "print": printed}
                assert render_to_string("reports/charts/_bars.html", ctx) == old.render(ctx), (chart.slug, printed)
            assert render_to_string("reports/charts/_bars.html", {"chart": chart}) == old.render({"chart": chart})


@pytest.mark.parametrize("language", ["es", "en"])
def test_line_charts_are_written_as_the_template_wrote_them(language):
    old = engines["django"].from_string(OLD_LINES)
    with translation.override(language):
        for chart in _line_charts():
            for caption in ("", 'Avance <medido> & "registrado"', None):
                ctx = {"chart": chart, "caption": caption}
                assert render_to_string("reports/charts/_lines.html", ctx) == old.render(ctx), (chart.slug, caption)


def test_no_chart_writes_nothing():
    """A missing chart (a plan without activities) draws nothing; the template drew an empty frame."""
    assert render_to_string("reports/charts/_lines.html", {"chart": None}) == "\n"
    assert render_to_string("reports/charts/_bars.html", {"chart": None}) == "\n"
