"""The audit trail's rows are written by audit.rows (issue 10), not by a template loop: the
markup is the old template's, byte for byte, on varied entries (HTML-special characters in the
object and the person, with and without a site, known and unknown kinds of record, changes that
are a dict, a list or nothing, every action), in Spanish and English, filtered and with no match.
The record kinds' names are memoised per language: the same as computed afresh."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from audit import labels
from audit.services import Subject, record
from core.tests.template_oracle import old_templates, without_csrf
from organization.models import Site

pytestmark = pytest.mark.django_db

LIST = "/auditoria/"

# audit/event_list.html before issue 10 (the row loop in the template).
OLD_LIST = """{% extends "base.html" %}{% load i18n audit_labels %}
{% block title %}{% translate "Audit trail" %}{% endblock %}
{% block content %}
<h1>{% translate "Audit trail" %}</h1>
<p class="muted">{% translate "Every create, update, state change and (soft) delete, plus logins. Append-only and hash-chained: each entry carries the hash of the previous one." %}</p>
<form class="filters" method="get" action="{% url 'audit:event_list' %}" role="search" novalidate
      hx-get="{% url 'audit:event_list' %}" hx-target="#event-rows" hx-select="#event-rows" hx-swap="outerHTML" hx-push-url="true">
  {% for field in form %}
  <div class="field{% if field.errors %} has-error{% endif %}"><label for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}
    {% if field.errors %}<div class="field-errors" role="alert">{{ field.errors }}</div>{% endif %}</div>
  {% endfor %}
  <button type="submit" class="btn">{% translate "Filter" %}</button>
  <a class="btn secondary" href="{% url 'audit:event_export' 'csv' %}?{{ request.GET.urlencode }}">CSV</a>
  <a class="btn secondary" href="{% url 'audit:event_export' 'xlsx' %}?{{ request.GET.urlencode }}">XLSX</a>
</form>
<div id="event-rows">
{% include "_cursor_error.html" %}
{% if page is not None %}
<div class="table-wrap"><table>
  <thead><tr><th scope="col">#</th><th scope="col">{% translate "Date" %}</th><th scope="col">{% translate "Person" %}</th><th scope="col">{% translate "Action" %}</th><th scope="col">{% translate "Object" %}</th><th scope="col">{% translate "Site" %}</th><th scope="col">{% translate "Changed fields" %}</th></tr></thead>
  <tbody>
  {% for ev in page %}
  <tr>
    <td><a href="{% url 'audit:event_detail' ev.pk %}">{{ ev.pk }}</a></td>
    <td>{{ ev.timestamp|date:"SHORT_DATETIME_FORMAT" }}</td>
    <td>{{ ev.actor_label }}</td>
    <td>{{ ev.get_action_display }}</td>
    <td><span class="muted">{{ ev.object_type|record_kind }}</span> {{ ev.object_repr }}</td>
    <td>{{ ev.site|default:"—" }}</td>
    <td>{{ ev|changed_fields }}</td>
  </tr>
  {% empty %}<tr><td colspan="7">{% translate "No entries match." %}</td></tr>
  {% endfor %}
  </tbody>
</table></div>
{% include "_pagination.html" %}
{% endif %}
</div>
{% endblock %}
"""


@pytest.fixture
def varied(cmg):
    cusco = Site.objects.get(code="UT-CUS")
    entries = [
        ("create", Subject("documents.document", "1", "<b>\"Plan\"</b> & 'más'"), {"title": [None, "x"]}, cusco.pk),
        ("update", Subject("plans.changerequest", "2", "Solicitud ñandú"), {"status": ["a", "b"], "note": "n"}, None),
        ("delete", Subject("no.such_model", "3", "Desconocido <x>"), None, None),
        ("export", Subject("documents.document", "", "Master list export"), {"format": "xlsx"}, None),
        ("login_failed", Subject("accounts.user", "", "someone<&>"), ["odd", "list"], cusco.pk),
    ]
    with transaction.atomic():
        for action, subject, changes, site in entries:
            record(actor=cmg, action=action, obj=subject, changes=changes, site_id=site)
        record(actor=None, action="update", obj=Subject("organization.site", "1", "Sede"), changes={})


def _pages(client, lang: str) -> list[bytes]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return [
        without_csrf(client.get(LIST).content),
        without_csrf(client.get(LIST, {"action": "update"}).content),
        without_csrf(client.get(LIST, {"date_from": "01/01/2099"}).content),  # no match
    ]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_rows_are_the_old_templates_byte_for_byte(client_as, cmg, varied, lang, tmp_path):
    client = client_as(cmg)  # logging in is itself an entry: one client for both renderings
    new = _pages(client, lang)
    with old_templates(tmp_path, {"audit/event_list.html": OLD_LIST}):
        old = _pages(client, lang)
    assert new == old
    assert b"&lt;b&gt;&quot;Plan&quot;&lt;/b&gt;" in new[0] and b'colspan="7"' in new[2]


def test_the_memoised_record_kinds_are_computed_afresh_in_each_language():
    for lang in ("es", "en"):
        with translation.override(lang):
            for kind in ("documents.document", "plans.changerequest", "no.such_model", "accounts.user"):
                assert labels.record_kind(kind) == labels._record_kind.__wrapped__(kind, lang)
            assert labels.record_kind_choices() == list(labels._record_kind_choices.__wrapped__(lang))
    with translation.override("es"):
        es = labels.record_kind("documents.document")
    with translation.override("en"):
        assert labels.record_kind("documents.document") != es
