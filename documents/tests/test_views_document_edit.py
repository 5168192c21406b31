"""Editing a document's data and starting a new version."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from documents import services
from documents.models import DocumentVersion
from documents.tests.page_support import detail_url, doc_type, draft, events, fresh, load_types, unit, vigente
from organization.models import ManagementSystem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def edit_url(document) -> str:
    return f"/documentos/{document.pk}/editar/"


def edit_data(document, **overrides):
    data = {
        "title": document.title,
        "classification": document.classification,
        "review_period_months": document.review_period_months,
    }
    data.update(overrides)
    return data


def test_the_form_starts_from_the_documents_data(client_as, cmg):
    document = draft(cmg, "Procedimiento editable", systems=[ManagementSystem.objects.get(code="SGSI")])
    form = client_as(cmg).get(edit_url(document)).context["form"]
    assert form.initial["title"] == "Procedimiento editable"
    assert form.initial["systems"] == [ManagementSystem.objects.get(code="SGSI").pk]
    assert "external_issuer" not in form.fields


def test_editing_saves_the_changes_and_audits_them(client_as, cmg):
    document = draft(cmg, "Procedimiento editable")
    client = client_as(cmg)
    before = events()
    response = client.post(
        edit_url(document),
        edit_data(
            document,
            title="Procedimiento editado",
            classification="restricted",
            review_period_months="6",
            distribution_units=[unit("UOP").pk],
        ),
    )
    assert response.status_code == 302 and response["Location"] == detail_url(document)
    edited = fresh(document)
    assert (edited.title, edited.classification, edited.review_period_months) == (
        "Procedimiento editado",
        "restricted",
        6,
    )
    assert list(edited.distribution_units.values_list("code", flat=True)) == ["UOP"]
    assert events() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == AuditEvent.Action.UPDATE and event.changes["title"] == [
        "Procedimiento editable",
        "Procedimiento editado",
    ]
    assert "Procedimiento editado" in fresh(document).search_text


def test_invalid_data_is_refused_and_nothing_changes(client_as, cmg):
    document = draft(cmg, "Procedimiento editable")
    client = client_as(cmg)
    before = events()
    response = client.post(edit_url(document), edit_data(document, title="", review_period_months="0"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "review_period_months"}
    assert fresh(document).title == "Procedimiento editable" and events() == before


def test_only_drafters_of_the_document_may_edit_it(client_as, cmg, lector, ut_cusco, ut_puno, uppm, direccion):
    cusco = draft(ut_cusco, "Instructivo Cusco", unit_code="UT-CUS", type_code="I")
    assert client_as(lector).get(edit_url(cusco)).status_code == 403
    assert client_as(ut_puno).get(edit_url(cusco)).status_code == 404
    assert client_as(ut_cusco).get(edit_url(cusco)).status_code == 200
    central = vigente(cmg, uppm, direccion).document
    assert client_as(ut_cusco).post(edit_url(central), edit_data(central, title="x")).status_code == 403
    assert fresh(central).title != "x"


def test_the_new_version_form_starts_from_the_text_in_force(client_as, cmg, uppm, direccion):
    v1 = vigente(cmg, uppm, direccion, content="## Texto vigente")
    response = client_as(cmg).get(f"/documentos/{v1.document_id}/versiones/nueva/")
    assert response.status_code == 200
    assert response.context["form"].initial["content"] == "## Texto vigente"


def test_a_new_version_needs_its_justification(client_as, cmg, uppm, direccion):
    v1 = vigente(cmg, uppm, direccion)
    response = client_as(cmg).post(f"/documentos/{v1.document_id}/versiones/nueva/", {"content": "Nuevo"})
    assert response.status_code == 400 and response.context["form"].errors["justification"]
    assert DocumentVersion.objects.filter(document_id=v1.document_id).count() == 1


def test_an_external_document_takes_no_new_version(client_as, cmg):
    document = services.register_external_document(
        by=cmg,
        data={
            "document_type": doc_type("EXT"),
            "owner_unit": unit("UAJ"),
            "title": "Ley 27806",
            "external_issuer": "Congreso",
        },
    )
    response = client_as(cmg).post(f"/documentos/{document.pk}/versiones/nueva/", {"justification": "x"})
    assert response.status_code == 400
    assert DocumentVersion.objects.filter(document=document).count() == 1
    form = client_as(cmg).get(edit_url(document)).context["form"]
    assert "external_issuer" in form.fields
