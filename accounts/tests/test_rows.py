"""The people list's rows are written by accounts.rows (issue 10), not by a template loop: the
markup is the old template's, byte for byte, on varied people (HTML-special characters in names
and positions, no name, no site, no roles, several roles at the Sede Central and at UTs,
deactivated accounts), in Spanish and English, for the central coordinator and a UT head, and
when nobody matches."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from accounts.models import RoleAssignment, User
from core.tests.template_oracle import old_templates, without_csrf
from organization.models import Site

pytestmark = pytest.mark.django_db

LIST = "/cuenta/personas/"

# accounts/_person_rows.html before issue 10 (the row loop in the template).
OLD_ROWS = """{% load i18n %}<div class="table-wrap"><table>
  <caption class="sr-only">{% translate "People" %}</caption>
  <thead><tr><th scope="col">{% translate "Name" %}</th><th scope="col">{% translate "Username" %}</th><th scope="col">{% translate "Position" %}</th><th scope="col">{% translate "Site" %}</th><th scope="col">{% translate "Roles" %}</th><th scope="col">{% translate "Status" %}</th></tr></thead>
  <tbody>
  {% for p in page %}
    <tr>
      <td><a href="{% url 'accounts:person_detail' p.pk %}">{{ p.get_full_name|default:p.username }}</a></td>
      <td>{{ p.username }}</td>
      <td>{{ p.position }}</td>
      <td>{{ p.site|default:"—" }}</td>
      <td>{% for a in p.active_roles %}{{ a.get_role_display }}{% if a.site and not a.site.is_central %} ({{ a.site }}){% endif %}{% if not forloop.last %}; {% endif %}{% empty %}—{% endfor %}</td>
      <td>{% if p.is_active %}<span class="badge ok">{% translate "active" %}</span>{% else %}<span class="badge danger">{% translate "deactivated" %}</span>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="6">{% translate "No people match." %}</td></tr>
  {% endfor %}
  </tbody>
</table></div>
{% include "_pagination.html" %}
"""


@pytest.fixture
def varied(db):
    cusco = Site.objects.get(code="UT-CUS")
    central = Site.objects.get(code="SC")
    day = datetime.date(2020, 1, 1)
    odd = User.objects.create(
        username="o'brien&co",
        first_name='Ana <b>"Zoe"</b>',
        last_name="Ñique & Cía",
        position="Jefa <i>'x'</i>",
        site=cusco,
    )
    RoleAssignment.objects.create(user=odd, role="reader", site=cusco, valid_from=day)
    RoleAssignment.objects.create(user=odd, role="unit_head", site=central, valid_from=day)
    RoleAssignment.objects.create(user=odd, role="auditor", site=None, valid_from=day)
    User.objects.create(username="nameless", site=cusco)  # no name, no roles
    User.objects.create(username="nowhere", first_name="Sin", last_name="Sede")  # no site
    gone = User.objects.create(username="gone", last_name="Baja", site=cusco, is_active=False)
    RoleAssignment.objects.create(user=gone, role="reader", site=cusco, valid_from=day)


def _pages(client, lang: str) -> list[bytes]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    htmx = {"HTTP_HX_REQUEST": "true"}
    return [
        client.get(LIST, **htmx).content,
        client.get(LIST, {"inactive": "1"}, **htmx).content,
        client.get(LIST, {"q": "zzzz-nadie"}, **htmx).content,  # nobody matches
        client.get(LIST, {"q": "Ñique"}, **htmx).content,
        without_csrf(client.get(LIST, {"inactive": "1"}).content),
    ]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_rows_are_the_old_templates_byte_for_byte(client_as, cmg, ut_cusco, varied, lang, tmp_path):
    for user in (cmg, ut_cusco):
        new = _pages(client_as(user), lang)
        with old_templates(tmp_path, {"accounts/_person_rows.html": OLD_ROWS}):
            old = _pages(client_as(user), lang)
        assert new == old
        assert b"o&#x27;brien&amp;co" in new[1] and b'colspan="6"' in new[2] and b"badge danger" in new[1]
