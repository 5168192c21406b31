"""/api/v1/plans/{id}/products and /api/v1/products/{id}/deliver: deliverables that close one or
more activities, delivered by linking evidence the user can see (a controlled document, an
uploaded file or a committee session); the activities' progress follows."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committee.services import create_session
from core.files import inspect_upload
from core.testing import (
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from documents.tests.api_support import draft, load_types
from evidence.models import EvidenceLink
from evidence.services import upload_evidence_file
from plans.models import Product
from plans.tests.api_support import add_activity, add_product, fresh, make_plan, site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup():
    load_types()


@pytest.fixture
def plan(cmg):
    return make_plan(cmg)


@pytest.fixture
def cusco(plan, cmg):
    return add_activity(plan, "1.1", by=cmg, sites=("UT-CUS",))


@pytest.fixture
def central(plan, cmg):
    return add_activity(plan, "1.2", by=cmg, sites=("SC",))


def listing(plan) -> str:
    return f"/api/v1/plans/{plan.pk}/products"


def deliver_url(product: Product) -> str:
    return f"/api/v1/products/{product.pk}/deliver"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["title"] for p in response.json()["items"]]


def evidence_file(by, title: str = "Lista de asistencia"):
    upload = SimpleUploadedFile("asistencia.pdf", b"%PDF-1.4\n% lista de asistencia\n%%EOF\n")
    return upload_evidence_file(upload=inspect_upload(upload), title=title, site=site("SC"), by=by)


# --- adding ---------------------------------------------------------------------------------


def test_a_plan_editor_adds_a_product_that_closes_two_activities(cmg, plan, cusco, central):
    client = token_client(cmg)
    events = event_count()
    body = {"title": "Informe de revisión por la dirección", "activities": [cusco.pk, central.pk]}
    response = api_post(client, listing(plan), {**body, "expected_type": "Informe"})
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/plans/{pk}/products")
    product = Product.objects.get(pk=response.json()["id"])
    assert set(product.activities.all()) == {cusco, central} and product.expected_type == "Informe"
    assert response.json()["activity_codes"] == ["1.1", "1.2"]
    assert (response.json()["is_delivered"], response.json()["evidence"]) == (False, [])
    assert event_count() == events + 1 and last_event("plans.product").action == "create"


@pytest.mark.parametrize(
    ("activities", "status"),
    [([], 400), ([999999], 422)],
)
def test_a_product_needs_activities_of_the_plan(client_as, cmg, plan, activities, status):
    client = client_as(cmg)
    events, count = event_count(), Product.objects.count()
    response = api_post(client, listing(plan), {"title": "Informe", "activities": activities})
    assert response.status_code == status
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["activities"]
    assert event_count() == events and Product.objects.count() == count


def test_an_activity_of_another_plan_is_refused(client_as, cmg, plan):
    elsewhere = add_activity(make_plan(cmg, year=2036), "1.1", by=cmg)
    client = client_as(cmg)
    count = Product.objects.count()
    response = api_post(client, listing(plan), {"title": "Informe", "activities": [elsewhere.pk]})
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["activities"]
    assert Product.objects.count() == count


# --- delivering -----------------------------------------------------------------------------


def test_linking_a_document_delivers_the_product_and_completes_its_activities(client_as, cmg, plan, cusco, central):
    product = add_product(plan, "Procedimiento actualizado", [cusco, central], by=cmg)
    other = add_product(plan, "Informe de Cusco", [cusco], by=cmg)
    document = draft(cmg, "Procedimiento de control de documentos (evidencia)")
    client = client_as(cmg)
    body = {"evidence_type": "documents.document", "evidence_id": document.pk, "note": "Versión 01"}
    response = api_post(client, deliver_url(product), body)
    assert response.status_code == 200
    assert_matches_openapi(response, "post", "/api/v1/products/{pk}/deliver")
    delivered = response.json()
    assert delivered["delivered_on"] == timezone.localdate().isoformat() and delivered["is_delivered"] is True
    assert [(e["evidence_type"], e["evidence_id"], e["note"]) for e in delivered["evidence"]] == [
        ("documents.document", document.pk, "Versión 01")
    ]
    assert delivered["evidence"][0]["label"] == f"{document.code} {document.title}"
    central = fresh(central)
    assert (central.progress, central.status) == (100, "completed")
    cusco = fresh(cusco)  # one of its two products is delivered
    assert (cusco.progress, cusco.status) == (50, "in_progress")
    assert fresh(other).delivered_on is None


def test_an_uploaded_file_or_a_committee_session_also_proves_a_product(client_as, cmg, plan, cusco):
    first = add_product(plan, "Lista de asistencia", [cusco], by=cmg)
    second = add_product(plan, "Acta del Comité", [cusco], by=cmg)
    session = create_session(data={"number": "API-01-2031", "date": timezone.now()}, by=cmg)
    client = client_as(cmg)
    upload = evidence_file(cmg)
    body = {"evidence_type": "evidence.evidencefile", "evidence_id": upload.pk}
    assert api_post(client, deliver_url(first), body).status_code == 200
    body = {"evidence_type": "committee.session", "evidence_id": session.pk}
    assert api_post(client, deliver_url(second), body).status_code == 200
    assert (fresh(cusco).progress, fresh(cusco).status) == (100, "completed")


@pytest.mark.parametrize(
    ("kind", "pk"),
    [
        ("documents.document", 999999),
        ("evidence.evidencefile", 999999),
        ("committee.session", 999999),
        ("accounts.user", None),
        ("plans.plan", None),
    ],
)
def test_evidence_the_user_cannot_see_is_a_400_naming_the_field(client_as, cmg, plan, cusco, kind, pk):
    product = add_product(plan, "Informe", [cusco], by=cmg)
    client = client_as(cmg)
    before, links, events = row(product), EvidenceLink.objects.count(), event_count()
    evidence_id = pk if pk is not None else (cmg.pk if kind == "accounts.user" else plan.pk)
    response = api_post(client, deliver_url(product), {"evidence_type": kind, "evidence_id": evidence_id})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "evidence"]
    assert row(product) == before and EvidenceLink.objects.count() == links and event_count() == events
    assert fresh(cusco).progress == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"evidence_type": "documents.document"}, "evidence_id"),
        ({"evidence_id": 1}, "evidence_type"),
        ({"evidence_type": "documents.document", "evidence_id": "1"}, "evidence_id"),
    ],
)
def test_a_malformed_delivery_is_a_422_naming_the_field(client_as, cmg, plan, cusco, body, field):
    product = add_product(plan, "Informe", [cusco], by=cmg)
    client = client_as(cmg)
    links = EvidenceLink.objects.count()
    response = api_post(client, deliver_url(product), body)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert EvidenceLink.objects.count() == links


# --- scoping and permissions ------------------------------------------------------------------


def test_a_ut_head_sees_the_products_of_activities_that_involve_their_ut(
    client_as, cmg, ut_cusco, plan, cusco, central
):
    add_product(plan, "Informe de Cusco", [cusco], by=cmg)
    add_product(plan, "Informe consolidado", [cusco, central], by=cmg)
    add_product(plan, "Informe de la Sede Central", [central], by=cmg)
    response = client_as(ut_cusco).get(listing(plan))
    assert titles(response) == ["Informe de Cusco", "Informe consolidado"]
    assert response.json()["items"][1]["activity_codes"] == ["1.1"]  # only the activity Cusco sees


def test_a_ut_head_delivers_the_products_of_their_ut_with_evidence_they_can_see(
    client_as, cmg, ut_cusco, ut_puno, plan, cusco, central
):
    shared = add_product(plan, "Informe consolidado", [cusco, central], by=cmg)
    hidden = add_product(plan, "Informe de la Sede Central", [central], by=cmg)
    own = draft(ut_cusco, "Instructivo de Cusco", unit_code="UT-CUS", type_code="I")
    puno = draft(ut_puno, "Instructivo de Puno en borrador", unit_code="UT-PUN", type_code="I")
    client = client_as(ut_cusco)
    links, events = EvidenceLink.objects.count(), event_count()
    body = {"evidence_type": "documents.document", "evidence_id": puno.pk}
    assert api_post(client, deliver_url(hidden), body).status_code == 404
    response = api_post(client, deliver_url(shared), body)
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "evidence"]
    assert EvidenceLink.objects.count() == links and event_count() == events and fresh(shared).delivered_on is None
    response = api_post(client, deliver_url(shared), {**body, "evidence_id": own.pk})
    # Cusco delivers its share: one of the product's two sites, not the whole product.
    assert response.status_code == 200 and response.json()["is_delivered"] is False
    assert (response.json()["sites_delivered"], response.json()["sites_in_scope"]) == (1, 2)
    assert fresh(cusco).progress == 50


def test_a_ut_head_may_not_deliver_the_products_of_another_ut(client_as, cmg, ut_puno, plan, cusco):
    product = add_product(plan, "Informe de Cusco", [cusco], by=cmg)
    client = client_as(ut_puno)
    response = api_post(client, deliver_url(product), {"evidence_type": "documents.document", "evidence_id": 1})
    assert response.status_code == 404


def test_links_to_evidence_a_reader_cannot_see_are_left_out(client_as, cmg, ut_puno, ut_cusco, plan, cusco):
    product = add_product(plan, "Instructivo de Puno", [cusco], by=cmg)
    puno_draft = draft(ut_puno, "Instructivo de Puno en borrador", unit_code="UT-PUN", type_code="I")
    client = client_as(cmg)
    api_post(client, deliver_url(product), {"evidence_type": "documents.document", "evidence_id": puno_draft.pk})
    assert len(client.get(listing(plan)).json()["items"][0]["evidence"]) == 1
    seen_by_cusco = client_as(ut_cusco).get(listing(plan)).json()["items"][0]
    assert seen_by_cusco["is_delivered"] is True and seen_by_cusco["evidence"] == []


@pytest.mark.parametrize("persona", ["lector", "direccion", "auditor"])
def test_other_roles_may_not_add_or_deliver_products(client_as, request, cmg, plan, cusco, persona):
    product = add_product(plan, "Informe", [cusco], by=cmg)
    document = draft(cmg, "Procedimiento (evidencia)")
    client = client_as(request.getfixturevalue(persona))
    before, events, count = row(product), event_count(), Product.objects.count()
    assert api_post(client, listing(plan), {"title": "Otro", "activities": [cusco.pk]}).status_code == 403
    body = {"evidence_type": "documents.document", "evidence_id": document.pk}
    assert api_post(client, deliver_url(product), body).status_code == 403
    assert row(product) == before and event_count() == events and Product.objects.count() == count


def test_a_person_without_a_role_gets_404(client_as, cmg, no_role_user, plan, cusco):
    product = add_product(plan, "Informe", [cusco], by=cmg)
    client = client_as(no_role_user)
    assert client.get(listing(plan)).status_code == 404
    assert (
        api_post(client, deliver_url(product), {"evidence_type": "documents.document", "evidence_id": 1}).status_code
        == 404
    )


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, ut_cusco, plan, cusco, django_assert_num_queries):
    document = draft(cmg, "Procedimiento (evidencia)")
    upload = evidence_file(cmg)

    def delivered(title: str) -> None:
        product = add_product(plan, title, [cusco], by=cmg)
        client_as(cmg).post(
            deliver_url(product),
            {"evidence_type": "documents.document", "evidence_id": document.pk},
            content_type="application/json",
        )
        client_as(cmg).post(
            deliver_url(product),
            {"evidence_type": "evidence.evidencefile", "evidence_id": upload.pk},
            content_type="application/json",
        )

    delivered("Informe 0")
    clients = [client_as(cmg), client_as(ut_cusco)]
    for client in clients:
        with django_assert_num_queries(12):
            client.get(listing(plan))
    for n in range(1, 11):
        delivered(f"Informe {n}")
    for client in clients:
        with django_assert_num_queries(12):
            assert client.get(listing(plan)).json()["count"] == 11


def test_delivery_date_is_today_and_kept_when_more_evidence_is_linked(client_as, cmg, plan, cusco):
    product = add_product(plan, "Informe", [cusco], by=cmg)
    Product.objects.filter(pk=product.pk).update(delivered_on=datetime.date(2031, 2, 1))
    client = client_as(cmg)
    document = draft(cmg, "Procedimiento (evidencia)")
    response = api_post(
        client, deliver_url(product), {"evidence_type": "documents.document", "evidence_id": document.pk}
    )
    assert response.status_code == 200
    assert response.json()["delivered_on"] == "2031-02-01" and len(response.json()["evidence"]) == 1
