"""Every organisation page works under the strict CSP (no inline script, style or handlers) and
every form field has a label."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from organization.tests.helpers import find_all, norm, process, site, system, term, unit

pytestmark = pytest.mark.django_db

PAGES = {
    "unit_list": lambda: reverse("organization:unit_list"),
    "unit_detail": lambda: reverse("organization:unit_detail", args=[unit("UOP").pk]),
    "unit_create": lambda: reverse("organization:unit_create"),
    "unit_edit": lambda: reverse("organization:unit_edit", args=[unit("UOP").pk]),
    "site_list": lambda: reverse("organization:site_list"),
    "site_detail": lambda: reverse("organization:site_detail", args=[site("SC").pk]),
    "site_edit": lambda: reverse("organization:site_edit", args=[site("UT-CUS").pk]),
    "process_map": lambda: reverse("organization:process_map"),
    "process_list": lambda: reverse("organization:process_list"),
    "process_detail": lambda: reverse("organization:process_detail", args=[process("M01").pk]),
    "process_create": lambda: reverse("organization:process_create"),
    "process_edit": lambda: reverse("organization:process_edit", args=[process("M01").pk]),
    "system_list": lambda: reverse("organization:system_list"),
    "system_detail": lambda: reverse("organization:system_detail", args=[system("SGC").pk]),
    "system_edit": lambda: reverse("organization:system_edit", args=[system("SGC").pk]),
    "legal_list": lambda: reverse("organization:legal_list"),
    "legal_detail": lambda: reverse("organization:legal_detail", args=[norm("27658").pk]),
    "legal_create": lambda: reverse("organization:legal_create"),
    "legal_edit": lambda: reverse("organization:legal_edit", args=[norm("27658").pk]),
    "glossary_list": lambda: reverse("organization:glossary_list"),
    "glossary_detail": lambda: reverse("organization:glossary_detail", args=[term("SIG").pk]),
    "glossary_create": lambda: reverse("organization:glossary_create"),
    "glossary_edit": lambda: reverse("organization:glossary_edit", args=[term("SIG").pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_page_needs_no_inline_script_or_style(client_as, cmg, page):
    response = client_as(cmg).get(PAGES[page]())
    assert response.status_code == 200
    html = response.content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html, re.IGNORECASE))


@pytest.mark.parametrize("page", [p for p in PAGES if p.endswith(("_create", "_edit"))])
def test_every_form_field_has_a_label(client_as, cmg, page):
    response = client_as(cmg).get(PAGES[page]())
    form = response.context["form"]
    assert form.visible_fields()
    for field in form.visible_fields():
        assert find_all(response.content, "label", **{"for": field.id_for_label}), field.name


def test_the_page_title_and_heading_name_the_page(client_as, cmg):
    html = client_as(cmg).get(PAGES["process_detail"]()).content.decode()
    assert re.search(r"<title>M01 Gestión de Operaciones · sig</title>", html)
    assert len(re.findall(r"<h1\b", html)) == 1
