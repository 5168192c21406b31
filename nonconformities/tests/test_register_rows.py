"""The register's rows rendered in Python say exactly what the template said (same markup, same
escaping, same translations), for open, closed and overdue NCs alike."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from nonconformities.models import Nonconformity
from nonconformities.selectors import attach_action_counts, register_rows
from nonconformities.tests.helpers import action, analysed, raise_nc
from nonconformities.views import LABELS, register_rows_html

pytestmark = pytest.mark.django_db

OLD = """{% load i18n %}{% for nc in page %}
    <tr data-code="{{ nc.code }}" data-status="{{ nc.status }}" data-grade="{{ nc.grade }}">
      <td><a href="{{ nc.get_absolute_url }}">{{ nc.code }}</a></td>
      <td>{{ nc.title|truncatechars:120 }}</td>
      <td>{{ nc.labels.grade }}</td>
      <td>{{ nc.labels.source }}</td>
      <td>{{ nc.site.code }}</td>
      <td>{{ nc.detected_on|date:"SHORT_DATE_FORMAT" }}</td>
      <td data-testid="action-count" data-overdue="{{ nc.n_overdue }}">{{ nc.n_actions }}{% if nc.n_overdue %} <span class="badge danger">{% blocktranslate count n=nc.n_overdue %}{{ n }} overdue{% plural %}{{ n }} overdue{% endblocktranslate %}</span>{% endif %}</td>
      <td>{% if nc.status == "closed" %}<span class="badge ok">{{ nc.labels.status }}</span>{% else %}<span class="badge warn">{{ nc.labels.status }}</span>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="8">{% translate "No nonconformities." %}</td></tr>
  {% endfor %}"""


def _squash(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_rows_are_the_markup_the_template_wrote(language, cmg):
    nc = analysed(raise_nc(cmg, title='Firmas <faltantes> & "sellos" ' + "x" * 150), cmg)
    action(nc, cmg, None, due=datetime.date(2020, 7, 1))
    action(nc, cmg, None, due=datetime.date(2020, 7, 2))
    today = timezone.localdate()
    rows = list(register_rows(Nonconformity.objects.all(), today)[:50])
    assert any(r.status == Nonconformity.Status.CLOSED for r in rows)
    attach_action_counts(rows, today)
    assert any(r.n_overdue > 1 for r in rows)
    with translation.override(language):
        labels = {name: {k: str(v) for k, v in choices} for name, choices in LABELS.items()}
        for r in rows:
            r.labels = {name: labels[name].get(getattr(r, name), getattr(r, name)) for name in LABELS}
        old = Template(OLD).render(Context({"page": rows}))
        assert _squash(register_rows_html(rows)) == _squash(old)
        empty = Template(OLD).render(Context({"page": []}))
        assert _squash(register_rows_html([])) == _squash(empty)
    assert "&lt;faltantes&gt;" in register_rows_html(rows)
