"""The tracker list's rows are written by actions.rows (issue 10), not by a template loop: the
page is the old template's, byte for byte, on varied items (HTML-special characters in the
description, the number, the person's name and the unit's code; no number, no responsible person,
no unit, neither; overdue by one and many days, due today, at the end of the due-soon window and
after it, no due date; every status, closed with and without a closing date; a kind no area
registered), in Spanish and English, for the central coordinator (who sees the sessions' links
and every status form), a UT head (only their UT's items) and a central role without forms;
filtered, on a second page, with no match and with an invalid filter (400). The list has no HTMX
partial: an HTMX request gets the whole page, compared too."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from actions.models import ActionItem
from actions.tests.helpers import LIST, acuerdo, detail_url, session
from core.deadlines import soon_days
from core.tests.template_oracle import old_templates, without_csrf
from organization.models import OrgUnit

pytestmark = pytest.mark.django_db

# actions/item_list.html before the rows were written in Python (the row loop in the template; the
# item URLs as {% url %}, which the view no longer puts on the items).
OLD_LIST = """{% extends "base.html" %}{% load i18n sig %}
{% block title %}{% translate "Acuerdos and actions" %}{% endblock %}
{% block content %}
<h1>{% translate "Acuerdos and actions" %}</h1>
<form class="filters" method="get" action="{% url 'actions:item_list' %}" role="search" novalidate data-testid="filters">
  {% for field in form %}
  <div class="field{% if field.errors %} has-error{% endif %}"><label for="{{ field.id_for_label }}">{{ field.label }}</label>{{ field }}
    {% if field.errors %}<div class="field-errors" role="alert">{{ field.errors }}</div>{% endif %}</div>
  {% endfor %}
  <button type="submit" class="btn">{% translate "Filter" %}</button>
</form>
<div class="actions">
  <a class="btn small secondary" href="{% url 'actions:overdue_by_unit' %}">{% translate "Overdue by unit" %}</a>
  {% for label, url in reports %}<a class="btn small secondary" href="{{ url }}">{{ label }}</a>{% endfor %}
</div>
<p class="muted" data-testid="result-count">{% if page.paginator.capped %}{% blocktranslate with n=page.paginator.cap_label %}more than {{ n }} items{% endblocktranslate %}{% else %}{% blocktranslate count n=page.paginator.count %}{{ n }} item{% plural %}{{ n }} items{% endblocktranslate %}{% endif %}</p>
<div class="table-wrap"><table data-testid="items">
  <caption class="sr-only">{% translate "Acuerdos and actions" %}</caption>
  <thead><tr><th scope="col">{% translate "Number" %}</th><th scope="col">{% translate "Description" %}</th><th scope="col">{% translate "Responsible" %}</th><th scope="col">{% translate "Due date" %}</th><th scope="col">{% translate "Status" %}</th><th scope="col">{% translate "Change status" %}</th></tr></thead>
  <tbody>{# per-row constants out of the loop; the token's input as {% csrf_token %} writes it (issue 10) #}{% translate "New status" as t_new_status %}{% translate "Closing note" as t_note %}{% translate "Change" as t_change %}{% with next=request.get_full_path %}
  {% for i in page %}
    <tr data-number="{{ i.number }}" data-status="{{ i.status }}" data-overdue="{% if i.is_open and i.due_date and i.due_date < today %}yes{% else %}no{% endif %}">
      <td><a href="{% url 'actions:item_detail' i.pk %}">{{ i.number|default:i.pk }}</a><br><span class="muted">{{ i.kind_label }}</span>
        {% if i.origin %}<br><a href="{{ i.origin.1 }}">{{ i.origin.0 }}</a>{% endif %}</td>
      <td>{{ i.title }}</td>
      <td>{% if i.responsible %}{{ i.responsible.get_full_name|default:i.responsible.username }}{% endif %}{% if i.responsible_unit %} <span class="muted">({{ i.responsible_unit.code }})</span>{% endif %}{% if not i.responsible and not i.responsible_unit %}—{% endif %}</td>
      <td>{% if i.is_open %}{% due_badge i.due_date today %}{% else %}{{ i.due_date|date:"SHORT_DATE_FORMAT"|default:"—" }}{% endif %}{% if not i.due_date %}—{% endif %}</td>
      <td>{{ i.get_status_display }}{% if i.closed_on %} · {{ i.closed_on|date:"SHORT_DATE_FORMAT" }}{% endif %}</td>
      <td>{% if i.status_choices %}
        <form method="post" action="{% url 'actions:item_status' i.pk %}" class="inline-status" data-testid="status-form"><input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">
          <input type="hidden" name="next" value="{{ next }}">
          <label for="status-{{ i.pk }}" class="sr-only">{{ t_new_status }}</label>
          <select id="status-{{ i.pk }}" name="status">{% for value, label in i.status_choices %}<option value="{{ value }}">{{ label }}</option>{% endfor %}</select>
          <label for="note-{{ i.pk }}" class="sr-only">{{ t_note }}</label>
          <input id="note-{{ i.pk }}" name="note" type="text" maxlength="4000" placeholder="{{ t_note }}">
          <button type="submit" class="btn small">{{ t_change }}</button>
        </form>
      {% else %}—{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6">{% translate "No items match." %}</td></tr>
  {% endfor %}{% endwith %}
  </tbody>
</table></div>
{% include "_pagination.html" %}
{% endblock %}
"""

SPECIAL = "<b>\"Acuerdo\"</b> & 'más' ñandú «»"


@pytest.fixture
def varied(cmg, uppm, ut_cusco, ut_puno):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    s = session(cmg)
    ut_puno.first_name, ut_puno.last_name = '<Ana> & "Zoë"', "O'Neil"
    ut_puno.save()
    uppm.first_name = uppm.last_name = ""  # no full name: the username is shown
    uppm.save()
    OrgUnit.objects.filter(pk=ut_cusco.unit_id).update(code="UT-CUS<&>")
    people = [cmg, ut_cusco, ut_puno, uppm, None]
    dues = [today - 400 * day, today - day, today, today + soon_days() * day, today + (soon_days() + 1) * day, None]
    items = []
    for n in range(24):
        title = SPECIAL if n % 5 == 0 else f"Acuerdo {n} <x> & 'y'"
        items.append(acuerdo(s, cmg, people[n % len(people)], title, dues[n % len(dues)], evidence_required=n % 2 == 0))
    statuses = list(ActionItem.Status)
    for n, item in enumerate(items):
        changes = {"status": statuses[n % len(statuses)]}
        if changes["status"] in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED) and n % 3:
            changes["closed_on"] = today - n * day
        if n % 7 == 3:
            changes["number"] = ""
        if n % 7 == 4:
            changes["number"] = 'N<1>&"2"'
        if n % 6 == 5:
            changes["responsible_unit"] = None
        if n % 8 == 6:
            changes["kind"] = "sin-registrar"
        ActionItem.objects.filter(pk=item.pk).update(**changes)
    # only a unit; neither a person nor a unit
    ActionItem.objects.filter(pk=items[4].pk).update(responsible=None, responsible_unit=uppm.unit_id)
    ActionItem.objects.filter(pk=items[9].pk).update(responsible=None, responsible_unit=None)
    return items


def _pages(client, lang: str) -> list[tuple[int, bytes]]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    out = []
    for query, headers in [
        ({}, {}),
        ({"overdue": "on"}, {}),
        ({"status": "open", "kind": "acuerdo"}, {"HTTP_HX_REQUEST": "true"}),
        ({"status": "done"}, {}),
        ({"status": "cancelled"}, {}),
        ({"page": "2"}, {}),
        ({"q": "x", "status": "no-such-status"}, {}),  # invalid: 400, no rows
        ({"status": "cancelled", "overdue": "on"}, {}),  # no match
    ]:
        response = client.get(LIST, query, **headers)
        out.append((response.status_code, without_csrf(response.content)))
    return out


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_rows_are_the_old_templates_byte_for_byte(
    client_as, cmg, ut_cusco, tecnico, varied, lang, tmp_path, monkeypatch
):
    monkeypatch.setattr("actions.views.PAGE_SIZE", 20)  # a second page with the same rows' variety
    forms, seen = {}, b""
    for user in (cmg, ut_cusco, tecnico):
        new = _pages(client_as(user), lang)
        with old_templates(tmp_path, {"actions/item_list.html": OLD_LIST}):
            old = _pages(client_as(user), lang)
        assert new == old
        assert [code for code, _ in new] == [200, 200, 200, 200, 200, 200, 400, 200]
        assert b"<tr data-number" in new[0][1] and b'colspan="6"' in new[6][1] and b'colspan="6"' in new[7][1]
        forms[user.username] = new[0][1].count(b'data-testid="status-form"')
        seen += b"".join(content for _, content in new)
    assert forms["cmg"] > 0 and forms["ut.cusco"] > 0 and forms["tecnico"] < forms["cmg"], forms
    missing = [item.pk for item in varied if f'<a href="{detail_url(item)}">'.encode() not in seen]
    assert not missing  # every varied item was on a compared page
    assert b"&lt;b&gt;&quot;Acuerdo&quot;&lt;/b&gt; &amp; &#x27;m\xc3\xa1s&#x27;" in seen and b"<b>" not in seen
    assert b"&lt;Ana&gt; &amp; &quot;Zo" in seen and b'data-due="overdue"' in seen and b'data-due="soon"' in seen
    assert b'data-due="on_time"' in seen and b"(UT-CUS&lt;&amp;&gt;)" in seen and b"sin-registrar" in seen
