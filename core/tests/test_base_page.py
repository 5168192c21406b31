"""The main menu is written by core.templatetags.sig.main_menu (issue 10), not by base.html's
loops, and its URLs are reversed once per process: every page's markup is the old template's,
byte for byte, for people with different roles, on pages marking different menu items as
current, in Spanish and English."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from core.tests.template_oracle import old_templates, without_csrf

pytestmark = pytest.mark.django_db

# templates/base.html before issue 10 (the menu's loops in the template).
OLD_BASE = """{% load static i18n django_htmx %}<!doctype html>
{% get_current_language as LANG %}
<html lang="{% if LANG == 'es' %}es-PE{% else %}{{ LANG }}{% endif %}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowScriptTags": false}'>
  <title>{% block title %}{% endblock %} · sig</title>
  <link rel="icon" href="{% static 'sig/favicon.svg' %}" type="image/svg+xml">
  <link rel="stylesheet" href="{% static 'sig/sig.css' %}">
  {% htmx_script minified=True %}
  <script src="{% static 'sig/sig.js' %}" defer></script>
  {% block head %}{% endblock %}
</head>
<body>
<a class="skip" href="#main">{% translate "Skip to content" %}</a>
<header class="topbar">
  <a class="brand" href="{% url 'core:dashboard' %}"><span aria-hidden="true">◆</span> sig <small>{% translate "Integrated management system" %}</small></a>
  {% if user.is_authenticated %}
  <nav class="mainnav" aria-label="{% translate 'Main' %}">
    <button type="button" class="btn small menu-button" aria-expanded="false" aria-controls="main-menu" data-menu-button>{% translate "Menu" %}</button>
    <ul class="menu" id="main-menu">
        <li><a href="{% url 'core:dashboard' %}" {% if nav == 'home' %}aria-current="page"{% endif %}>{% translate "Home" %}</a></li>
        <li><a href="{% url 'core:pending' %}" {% if nav == 'pending' %}aria-current="page"{% endif %}>{% translate "My pending work" %}</a></li>
        {% for group in sig_menu %}
        <li class="navgroup" data-group="{{ group.key }}">
          <details data-navgroup>
            <summary{% if nav in group.keys %} class="current"{% endif %}>{{ group.label }}</summary>
            <ul>{% for item in group.items %}
              <li><a href="{{ item.url }}" data-nav="{{ item.key }}" {% if nav == item.key %}aria-current="page"{% endif %}>{{ item.label }}</a></li>{% endfor %}
            </ul>
          </details>
        </li>
        {% endfor %}
    </ul>
  </nav>
  {% endif %}
  <div class="usertools">
    {% if user.is_authenticated %}
    <details class="usermenu" data-navgroup>
      <summary aria-label="{% blocktranslate with name=user.get_full_name|default:user.username %}Account of {{ name }}{% endblocktranslate %}">{{ user.first_name|default:user.username }}</summary>
      <div class="usermenu-panel">
        <a href="{% url 'accounts:person_detail' user.pk %}" class="me">{{ user.get_full_name|default:user.username }}</a>
        <a href="{% url 'accounts:password_change' %}">{% translate "Change password" %}</a>
        <a href="{% url 'accounts:token_list' %}">{% translate "API tokens" %}</a>
        {% include "_language_form.html" %}
      </div>
    </details>
    <form action="{% url 'accounts:logout' %}" method="post">{% csrf_token %}<button type="submit" class="btn small">{% translate "Log out" %}</button></form>
    {% else %}
    {% include "_language_form.html" %}
    {% endif %}
  </div>
</header>
<main id="main" tabindex="-1">
  {% if messages %}<ul class="messages" role="status">{% for m in messages %}<li class="msg-{{ m.tags }}">{{ m }}</li>{% endfor %}</ul>{% endif %}
  {% block breadcrumbs %}{% endblock %}
  {% block content %}{% endblock %}
</main>
<footer class="footer"><p>sig · {% translate "ISO 9001 · ISO 37001 · ISO/IEC 27001 — clause numbers with our own short titles; no ISO text is reproduced." %}</p></footer>
</body>
</html>
"""

PAGES = [
    ("core:dashboard", None),
    ("core:pending", None),
    ("documents:document_list", {"q": "zzzz"}),
    ("accounts:person_list", {"q": "zzzz"}),
    ("accounts:password_change", None),
    ("accounts:token_list", None),
    ("accounts:login", None),
]


def _pages(client, lang: str) -> list[bytes]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return [without_csrf(client.get(reverse(name), params).content) for name, params in PAGES]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_page_is_the_old_templates_byte_for_byte(
    client_as, cmg, ut_cusco, platform_admin, no_role_user, lang, tmp_path
):
    for user in (cmg, ut_cusco, platform_admin, no_role_user, None):
        new = _pages(client_as(user), lang)
        with old_templates(tmp_path, {"base.html": OLD_BASE}):
            old = _pages(client_as(user), lang)
        assert new == old
    assert b'data-nav="documents" aria-current="page"' in _pages(client_as(cmg), lang)[2]


def test_the_menu_marks_nothing_current_for_an_odd_nav_value():
    from core.templatetags.sig import main_menu

    groups = [{"key": "g", "label": "<G>", "keys": {"a"}, "items": [{"key": "a", "label": "A&B", "url": "/a?x=1&y=2"}]}]
    html = str(main_menu(groups, ["a"]))
    assert 'class="current"' not in html and "aria-current" not in html
    assert "&lt;G&gt;" in html and "A&amp;B" in html and "/a?x=1&amp;y=2" in html


def test_the_menus_memoised_urls_are_reverses_under_any_script_prefix():
    from django.urls import get_script_prefix, set_script_prefix

    from core import registry
    from core.context_processors import _url

    before = get_script_prefix()
    try:
        for prefix in ("/", "/sig/"):
            set_script_prefix(prefix)
            for item in registry.nav_items():
                assert _url(item.url_name) == reverse(item.url_name)
            assert _url("documents:document_list").startswith(prefix)
    finally:
        set_script_prefix(before)
