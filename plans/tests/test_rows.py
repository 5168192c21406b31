"""The plan's activity list rows are written by plans.rows (issue 10), not by a template loop: the
page and its HTMX partial are the old template's, byte for byte, on varied activities
(HTML-special characters in the code, the title, the responsible unit's code and the sites' codes
and names; a title longer than the 160 characters shown and one not NFC-normalised; no site, one,
several and more than four (folded under a summary); every stored status and the derived
"delayed", due soon; progress 0, partial and 100), in Spanish and English, for the central
coordinator and a UT head (only the activities that involve their UT); filtered by every status,
by due date, on a second page, with no match and with an invalid filter (400)."""

from __future__ import annotations

import pytest
from django.conf import settings

from core.tests.template_oracle import old_templates, without_csrf
from organization.models import OrgUnit, Site
from plans.models import Activity
from plans.tests.page_support import activity_url, add_activity, days, plan, plan_url

pytestmark = pytest.mark.django_db

# plans/_activity_rows.html before the rows were written in Python (the loop with an include of the
# sites, the progress bar and the status badge per row).
OLD_ROWS = """{% load i18n %}<p class="muted" data-testid="result-count" role="status">{% blocktranslate count n=page.paginator.count %}{{ n }} activity{% plural %}{{ n }} activities{% endblocktranslate %}</p>
<div class="table-wrap"><table>
  <caption class="sr-only">{% translate "Activities" %}</caption>
  <thead><tr><th scope="col">{% translate "Code" %}</th><th scope="col">{% translate "Activity" %}</th><th scope="col">{% translate "Stage" %}</th><th scope="col">{% translate "Responsible" %}</th><th scope="col">{% translate "Where" %}</th><th scope="col">{% translate "Planned" %}</th><th scope="col">{% translate "Progress" %}</th><th scope="col">{% translate "Status" %}</th></tr></thead>
  <tbody>
  {% for a in page %}
    <tr data-activity="{{ a.code }}">
      <td><a href="{% url 'plans:activity_detail' a.pk %}">{{ a.code }}</a></td>
      <td>{{ a.title|truncatechars:160 }}</td>
      <td>{{ a.stage.number }}</td>
      <td>{{ a.responsible_unit.code }}</td>
      <td>{% include "plans/_sites.html" with sites=a.sites.all %}</td>
      <td>{{ a.planned_start|date:"SHORT_DATE_FORMAT" }} – {{ a.planned_end|date:"SHORT_DATE_FORMAT" }}</td>
      <td>{% include "plans/_progress.html" with value=a.progress label=a.code %}</td>
      <td>{% include "plans/_activity_status.html" with activity=a %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="8">{% translate "No activities match." %}</td></tr>
  {% endfor %}
  </tbody>
</table></div>
{% include "_pagination.html" %}
"""

SPECIAL = "<b>\"Plan\"</b> & 'más' ñandú «»"
LONG = "Revisión & <control> " * 12  # 252 characters: truncated to 160 with "…"
DECOMPOSED = 'Gestio\u0301n de "cambios" <sin> normalizar'  # NFC-normalised by truncatechars


@pytest.fixture
def varied(cmg):
    p = plan(cmg)
    every_site = [s.code for s in Site.objects.order_by("pk")]
    assert len(every_site) > 4
    site_sets = [(), ("SC",), ("UT-CUS", "UT-PUN"), tuple(every_site), ("UT-CUS",), ("UT-PUN",)]
    spans = [
        (days(-60), days(-1)),  # past its end
        (days(-3), days(50)),  # past its start
        (days(1), days(6)),  # due soon
        (days(10), days(90)),
        (days(-400), days(400)),
    ]
    titles = [SPECIAL, LONG, DECOMPOSED, "Actividad <x> & 'y'"]
    statuses = list(Activity.Status)
    made = []
    for n in range(26):
        start, end = spans[n % len(spans)]
        a = add_activity(
            p,
            f"{n // 9 + 1}.{n}",
            by=cmg,
            stage=n // 9 + 1,
            unit_code="UT-CUS" if n % 4 == 1 else "UPPM-CMG",
            sites=site_sets[n % len(site_sets)],
            start=start,
            end=end,
        )
        changes = {
            "title": titles[n % len(titles)],
            "status": statuses[n % len(statuses)],
            "progress": [0, 37, 100][n % 3],
        }
        if n % 7 == 5:
            changes["code"] = f"<{n}>&\"'x"
        Activity.objects.filter(pk=a.pk).update(**changes)
        made.append(a)
    OrgUnit.objects.filter(code="UPPM-CMG").update(code="UPPM<&>\"'")
    Site.objects.filter(code="SC").update(code="S<C>&", name="Sede \"Central\" <&> 'x'")
    return p, made


def _pages(client, p, lang: str) -> list[tuple[int, bytes]]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    url = plan_url(p, "activity_list")
    out = []
    for query, headers in [
        ({}, {}),
        ({}, {"HTTP_HX_REQUEST": "true"}),
        ({"status": "delayed"}, {}),
        ({"status": "delayed"}, {"HTTP_HX_REQUEST": "true"}),
        ({"status": "not_started"}, {}),
        ({"status": "in_progress"}, {}),
        ({"status": "completed"}, {"HTTP_HX_REQUEST": "true"}),
        ({"status": "cancelled"}, {}),
        ({"due_within": "30"}, {}),
        ({"page": "2"}, {}),
        ({"page": "2"}, {"HTTP_HX_REQUEST": "true"}),
        ({"q": "no such activity"}, {}),  # no match
        ({"status": "late"}, {}),  # invalid: 400, no rows
        ({"status": "late"}, {"HTTP_HX_REQUEST": "true"}),
    ]:
        response = client.get(url, query, **headers)
        out.append((response.status_code, without_csrf(response.content)))
    return out


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_rows_are_the_old_templates_byte_for_byte(client_as, cmg, ut_cusco, varied, lang, tmp_path, monkeypatch):
    monkeypatch.setattr("plans.views.PAGE_SIZE", 16)  # a second page with the same rows' variety
    p, made = varied
    seen = {}
    for user in (cmg, ut_cusco):
        new = _pages(client_as(user), p, lang)
        with old_templates(tmp_path, {"plans/_activity_rows.html": OLD_ROWS}):
            old = _pages(client_as(user), p, lang)
        assert new == old
        assert [code for code, _ in new] == [200] * 12 + [400, 400]
        assert b"<tr data-activity" in new[0][1] and b"<h1" not in new[1][1] and b"<h1" in new[0][1]
        assert b'colspan="8"' in new[11][1] and b'colspan="8"' in new[12][1]
        seen[user.username] = b"".join(content for _, content in new)
    everything = seen["cmg"]
    missing = [a.pk for a in made if f'<a href="{activity_url(a)}">'.encode() not in everything]
    assert not missing  # every varied activity was on a compared page
    assert seen["ut.cusco"].count(b"<tr data-activity") < everything.count(b"<tr data-activity")
    assert (
        b"&lt;b&gt;&quot;Plan&quot;&lt;/b&gt; &amp; &#x27;m\xc3\xa1s&#x27;" in everything and b"<b>" not in everything
    )
    assert "…".encode() in everything and "Gestión".encode() in everything
    assert b"UPPM&lt;&amp;&gt;&quot;&#x27;" in everything and b'data-site="S&lt;C&gt;&amp;"' in everything
    assert b"Sede &quot;Central&quot; &lt;&amp;&gt; &#x27;x&#x27;" in everything and b"<details" in everything
    assert b"&lt;5&gt;&amp;&quot;&#x27;x" in everything
    for status in ("delayed", "not_started", "in_progress", "completed", "cancelled"):
        assert f'data-status="{status}"'.encode() in everything, status
    for value in (0, 37, 100):
        assert f'data-progress="{value}"'.encode() in everything, value
