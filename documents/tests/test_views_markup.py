"""Every document page works under the strict CSP (no inline script, style or handlers), labels
every form field, and has one h1 and a title."""

from __future__ import annotations

import re

import pytest

from documents import services
from documents.tests.page_support import (
    CREATE,
    CREATE_EXTERNAL,
    LIST,
    detail_url,
    draft,
    find_all,
    latest,
    load_types,
    unit,
    version_url,
    vigente,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


@pytest.fixture
def pages(cmg, uppm, direccion):
    in_force = vigente(cmg, uppm, direccion, distribution_units=[unit("UPPM-CMG")])
    in_draft = latest(draft(cmg, "Borrador", endorsing_units=[unit("UPPM")]))
    in_endorsement = latest(draft(cmg, "Para visar", endorsing_units=[unit("UPPM")]))
    services.submit_for_review(in_endorsement, by=cmg)
    services.review(in_endorsement, by=uppm)
    return {
        "list": (cmg, LIST),
        "create": (cmg, CREATE),
        "create_external": (cmg, CREATE_EXTERNAL),
        "detail": (cmg, detail_url(in_force)),
        "edit": (cmg, f"/documentos/{in_force.document_id}/editar/"),
        "new_version": (cmg, f"/documentos/{in_force.document_id}/versiones/nueva/"),
        "version_current": (direccion, version_url(in_force)),
        "version_draft": (cmg, version_url(in_draft)),
        "version_endorsement": (uppm, version_url(in_endorsement)),
    }


PAGES = [
    "list",
    "create",
    "create_external",
    "detail",
    "edit",
    "new_version",
    "version_current",
    "version_draft",
    "version_endorsement",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_page_needs_no_inline_script_or_style_and_has_one_heading(client_as, pages, name):
    user, url = pages[name]
    response = client_as(user).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html, re.IGNORECASE))
    assert len(re.findall(r"<h1\b", html)) == 1
    assert re.search(r"<title>[^<]+ · sig</title>", html)


@pytest.mark.parametrize("name", [p for p in PAGES if p != "version_current"])
def test_every_form_field_has_a_label(client_as, pages, name):
    user, url = pages[name]
    response = client_as(user).get(url)
    forms = [response.context["form"]] if "form" in response.context else []
    forms += list((response.context.get("forms") or {}).values())
    forms += [response.context.get(k) for k in ("withdraw_form", "reviewed_form") if response.context.get(k)]
    assert forms
    for form in forms:
        for field in form.visible_fields():
            assert field.id_for_label, field.name
            assert find_all(response.content, "label", **{"for": field.id_for_label}), field.name
