"""/api/v1/documents: the master list with its filters and unit scoping, one document with the
versions its reader may see, registration and changes to the register data."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEvent
from core.testing import api_patch, api_post, event_count, last_event, row, token_client
from documents.models import Document, DocumentVersion, VersionStatus
from documents.tests.api_support import (
    API,
    doc_type,
    document_url,
    draft,
    fast_controlled_pdf,
    latest,
    load_types,
    publish,
    unit,
    vigente,
)
from organization.models import ManagementSystem, Process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(request, monkeypatch):
    fast_controlled_pdf(request, monkeypatch)
    load_types()


def codes(response) -> list[str]:
    return [d["code"] for d in response.json()["items"]]


def new_body(**extra) -> dict:
    return {
        "title": "Procedimiento de control de registros (API)",
        "document_type": doc_type("P").pk,
        "owner_unit": unit("UPPM-CMG").pk,
        "process": Process.objects.get(code="E02").pk,
        "systems": [ManagementSystem.objects.get(code="SGC").pk],
        "content": "## 1. Objetivo\n\nControlar los registros del SIG.\n",
        "justification": "Elaboración inicial",
        **extra,
    }


# --- the master list -----------------------------------------------------------------------


def test_it_lists_documents_with_their_type_unit_process_and_status(client_as, cmg):
    document = draft(
        cmg,
        "Procedimiento Zorzal de archivo",
        process=Process.objects.get(code="E02"),
        systems=list(ManagementSystem.objects.filter(code="SGC")),
    )
    response = client_as(cmg).get(API, {"q": "Zorzal"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == document.code and item["code"].startswith("PNADP-UPPM-CMG-P-")
    assert (item["type_code"], item["owner_unit_code"], item["process_code"]) == ("P", "UPPM-CMG", "E02")
    assert item["system_codes"] == ["SGC"]
    assert (item["status"], item["latest_version"], item["current_version"]) == ("draft", 1, None)


def test_a_ut_head_sees_their_ut_drafts_and_vigente_open_documents_of_other_sites(
    client_as, cmg, uppm, direccion, ut_cusco, ut_puno
):
    cusco_draft = draft(ut_cusco, "Instructivo Zorzal de Cusco", unit_code="UT-CUS", type_code="I")
    central_draft = draft(cmg, "Procedimiento Zorzal en borrador")
    central_vigente = vigente("Procedimiento Zorzal vigente", cmg=cmg, uppm=uppm, direccion=direccion)
    secret = vigente(
        "Procedimiento Zorzal confidencial", cmg=cmg, uppm=uppm, direccion=direccion, classification="confidential"
    )

    assert set(codes(client_as(ut_cusco).get(API, {"q": "Zorzal"}))) == {
        cusco_draft.code,
        central_vigente.document.code,
    }
    assert codes(client_as(ut_puno).get(API, {"q": "Zorzal"})) == [central_vigente.document.code]
    assert set(codes(client_as(cmg).get(API, {"q": "Zorzal"}))) == {
        cusco_draft.code,
        central_draft.code,
        central_vigente.document.code,
        secret.document.code,
    }
    assert client_as(ut_puno).get(document_url(cusco_draft)).status_code == 404
    assert client_as(ut_puno).get(document_url(secret)).status_code == 404


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("type", lambda: doc_type("I").pk, ["instructivo"]),
        ("unit", lambda: unit("UT-CUS").pk, ["instructivo"]),
        ("process", lambda: Process.objects.get(code="E03").pk, ["procedimiento"]),
        ("system", lambda: ManagementSystem.objects.get(code="SGSI").pk, ["procedimiento"]),
        ("status", lambda: "current", ["vigente"]),
        ("classification", lambda: "public", ["vigente"]),
        ("q", lambda: "instructivo zorzal", ["instructivo"]),
    ],
)
def test_it_filters_the_list(client_as, cmg, uppm, direccion, ut_cusco, name, value, expected):
    docs = {
        "instructivo": draft(ut_cusco, "Instructivo Zorzal de Cusco", unit_code="UT-CUS", type_code="I"),
        "procedimiento": draft(
            cmg,
            "Procedimiento Zorzal de QRD",
            process=Process.objects.get(code="E03"),
            systems=list(ManagementSystem.objects.filter(code="SGSI")),
        ),
        "vigente": vigente(
            "Procedimiento Zorzal vigente", cmg=cmg, uppm=uppm, direccion=direccion, classification="public"
        ).document,
    }
    params = {name: value()}
    if name != "q":
        params["q"] = "Zorzal"
    response = client_as(cmg).get(API, params)
    assert response.status_code == 200
    assert codes(response) == [docs[key].code for key in expected]


def test_it_refuses_an_unknown_filter_value(client_as, cmg):
    response = client_as(cmg).get(API, {"status": "lost"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "status"]


def test_it_pages_in_code_order(client_as, cmg):
    made = sorted(draft(cmg, f"Formato Zorzal {i}", type_code="F").code for i in range(5))
    client = client_as(cmg)
    page = client.get(API, {"q": "Zorzal", "limit": 2, "offset": 2}).json()
    assert page["count"] == 5
    assert [d["code"] for d in page["items"]] == made[2:4]


def test_the_list_costs_the_same_queries_however_many_documents(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    draft(cmg, "Formato Zorzal 1", type_code="F", systems=list(ManagementSystem.objects.all()))
    client.get(API)  # warm the session
    # session, user, roles, count, page, systems of the page
    with django_assert_num_queries(6):
        assert client.get(API).status_code == 200
    for i in range(2, 12):
        draft(cmg, f"Formato Zorzal {i}", type_code="F", systems=list(ManagementSystem.objects.all()))
    with django_assert_num_queries(6):
        assert client.get(API).json()["count"] >= 11


def test_a_person_without_a_role_gets_404(client_as, cmg, no_role_user):
    document = draft(cmg, "Procedimiento Zorzal")
    client = client_as(no_role_user)
    assert client.get(API).status_code == 404
    assert client.get(document_url(document)).status_code == 404
    assert api_post(client, API, new_body()).status_code == 404
    assert api_patch(client, document_url(document), {"title": "X"}).status_code == 404


def test_the_api_needs_credentials(cmg):
    document = draft(cmg, "Procedimiento Zorzal")
    anonymous = Client()
    assert anonymous.get(API).status_code == 401
    assert anonymous.get(document_url(document)).status_code == 401
    assert api_post(anonymous, API, new_body()).status_code == 401


def test_a_bearer_token_reads_the_list(cmg):
    draft(cmg, "Procedimiento Zorzal")
    response = token_client(cmg).get(API, {"q": "Zorzal"})
    assert response.status_code == 200 and response.json()["count"] == 1


# --- one document --------------------------------------------------------------------------


def test_it_shows_a_document_with_the_versions_the_reader_may_see(client_as, cmg, uppm, direccion, ut_puno):
    v1 = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    api_post(client_as(cmg), f"{document_url(v1)}/versions", {"justification": "Actualización"})

    central = client_as(cmg).get(document_url(v1)).json()
    assert [(v["number"], v["status"]) for v in central["versions"]] == [(1, "current"), (2, "draft")]
    assert central["versions"][0]["verification_code"] == v1.verification_code
    assert (central["current_version"], central["latest_version"]) == (1, 2)

    other_ut = client_as(ut_puno).get(document_url(v1))
    assert other_ut.status_code == 200
    assert [v["number"] for v in other_ut.json()["versions"]] == [1]


def test_an_unknown_document_is_404(client_as, cmg):
    assert client_as(cmg).get(f"{API}/999999").status_code == 404


# --- registering -----------------------------------------------------------------------------


def test_it_registers_a_document_with_a_new_code_and_a_draft_version(client_as, cmg):
    client = client_as(cmg)
    before = event_count()
    response = api_post(client, API, new_body())
    assert response.status_code == 201, response.content
    body = response.json()
    document = Document.objects.get(pk=body["id"])
    assert body["code"] == document.code and document.code.startswith("PNADP-UPPM-CMG-P-")
    assert body["versions"][0]["number"] == 1 and body["versions"][0]["status"] == "draft"
    assert body["system_codes"] == ["SGC"] and body["process_code"] == "E02"
    assert latest(document).changes.get().justification == "Elaboración inicial"
    assert event_count() > before
    assert last_event().actor_id == cmg.pk


def test_two_registrations_never_share_a_code(client_as, cmg):
    client = client_as(cmg)
    first = api_post(client, API, new_body()).json()["code"]
    second = api_post(client, API, new_body()).json()["code"]
    assert first != second


def test_it_keeps_a_legacy_code_and_refuses_it_twice(client_as, cmg):
    client = client_as(cmg)
    response = api_post(client, API, new_body(legacy_code="PNADP-UPPM-CMG-P-900"))
    assert response.status_code == 201 and response.json()["code"] == "PNADP-UPPM-CMG-P-900"
    before = Document.objects.count()
    again = api_post(client, API, new_body(legacy_code="PNADP-UPPM-CMG-P-900"))
    assert again.status_code == 400
    assert again.json()["detail"][0]["loc"] == ["body", "legacy_code"]
    assert Document.objects.count() == before


def test_it_refuses_a_document_without_content_naming_the_field(client_as, cmg):
    client = client_as(cmg)
    before = (Document.objects.count(), event_count())
    response = api_post(client, API, new_body(content=""))
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "content"]
    assert (Document.objects.count(), event_count()) == before


@pytest.mark.parametrize("field", ["document_type", "owner_unit", "process", "systems"])
def test_it_refuses_an_unknown_reference_naming_the_field(client_as, cmg, field):
    before = Document.objects.count()
    response = api_post(client_as(cmg), API, new_body(**{field: [999999] if field == "systems" else 999999}))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert Document.objects.count() == before


def test_it_refuses_unknown_fields(client_as, cmg):
    response = api_post(client_as(cmg), API, new_body(status="current"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "status"


def test_a_reader_may_not_register_a_document(client_as, lector):
    client = client_as(lector)
    before = (Document.objects.count(), event_count())
    assert api_post(client, API, new_body()).status_code == 403
    assert (Document.objects.count(), event_count()) == before


def test_a_ut_head_registers_for_their_ut_but_not_for_a_central_unit(client_as, ut_cusco):
    client = client_as(ut_cusco)
    ok = api_post(client, API, new_body(owner_unit=unit("UT-CUS").pk, process=None, document_type=doc_type("I").pk))
    assert ok.status_code == 201, ok.content
    assert ok.json()["code"].startswith("PNADP-UT-CUS-I-")
    assert api_post(client, API, new_body()).status_code == 403


def test_an_external_document_is_registered_vigente_without_approval(client_as, cmg):
    body = new_body(
        document_type=doc_type("EXT").pk,
        title="Ley N.° 27806 de Transparencia",
        content="",
        external_issuer="Congreso de la República",
        effective_on="2003-04-24",
    )
    response = api_post(client_as(cmg), API, body)
    assert response.status_code == 201, response.content
    doc = response.json()
    assert doc["is_external"] is True and doc["status"] == "current" and doc["classification"] == "public"
    assert doc["versions"][0]["effective_on"] == "2003-04-24"


def test_an_external_document_needs_its_issuer(client_as, cmg):
    response = api_post(client_as(cmg), API, new_body(document_type=doc_type("EXT").pk))
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "external_issuer"]


# --- changing the register data ----------------------------------------------------------------


def test_it_changes_the_title_and_systems_and_audits_the_change(client_as, cmg):
    document = draft(cmg, "Procedimiento Zorzal")
    systems = list(ManagementSystem.objects.filter(code__in=["SGC", "SGAS"]).order_by("pk"))
    response = api_patch(
        client_as(cmg),
        document_url(document),
        {"title": "Procedimiento Zorzal revisado", "systems": [s.pk for s in systems]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Procedimiento Zorzal revisado"
    assert sorted(response.json()["system_ids"]) == [s.pk for s in systems]
    event = last_event("documents.document")
    assert event.action == AuditEvent.Action.UPDATE and "title" in event.changes and "systems" in event.changes


def test_it_clears_the_process_with_null(client_as, cmg):
    document = draft(cmg, "Procedimiento Zorzal", process=Process.objects.get(code="E02"))
    response = api_patch(client_as(cmg), document_url(document), {"process": None})
    assert response.status_code == 200
    assert response.json()["process_id"] is None


def test_a_reader_may_not_change_a_document(client_as, cmg, lector):
    document = draft(cmg, "Procedimiento Zorzal")
    before = row(document)
    assert api_patch(client_as(lector), document_url(document), {"title": "Otro"}).status_code == 403
    assert row(document) == before


def test_another_ut_may_not_see_a_draft_to_change_it(client_as, ut_cusco, ut_puno):
    document = draft(ut_cusco, "Instructivo Zorzal", unit_code="UT-CUS", type_code="I")
    assert api_patch(client_as(ut_puno), document_url(document), {"title": "Otro"}).status_code == 404


def test_a_title_cannot_be_blanked(client_as, cmg):
    document = draft(cmg, "Procedimiento Zorzal")
    response = api_patch(client_as(cmg), document_url(document), {"title": "  "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "title"


def test_published_versions_of_a_document_stay_after_a_new_version(client_as, cmg, uppm, direccion):
    v1 = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    client = client_as(cmg)
    api_post(client, f"{document_url(v1)}/versions", {"justification": "Actualización", "content": "Nuevo texto"})
    v2 = DocumentVersion.objects.get(document_id=v1.document_id, number=2)
    publish(v2, drafter=cmg, reviewer=uppm, approver=direccion)
    body = client.get(document_url(v1)).json()
    assert [(v["number"], v["status"]) for v in body["versions"]] == [
        (1, VersionStatus.OBSOLETE),
        (2, VersionStatus.CURRENT),
    ]
