"""/api/v1/plans: plans per year and kind, their stages, the path borrador → Comité →
aprobado, and the frozen versions with their change-control rows."""

from __future__ import annotations

import pytest

from core.testing import (
    api_patch,
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from organization.models import LegalNorm
from plans.models import Plan, PlanVersion
from plans.tests.api_support import STAGES, add_activity, approved_plan, fresh, make_plan, unit

pytestmark = pytest.mark.django_db

LIST = "/api/v1/plans"


def url(plan: Plan, action: str = "") -> str:
    return f"{LIST}/{plan.pk}/{action}" if action else f"{LIST}/{plan.pk}"


def new_body(**extra) -> dict:
    return {
        "year": 2032,
        "kind": "isms",
        "title": "Plan de implementación del SGSI 2032",
        "objective": "Implementar el SGSI en la Sede Central.",
        "owner_unit": unit("UPPM-CMG").pk,
        "budget_amount": "45000.50",
        "legal_basis": [LegalNorm.objects.get(number="27658").pk],
        "responsibilities": [{"role": "Comité del SIG", "responsibility": "Revisar el plan."}],
        "stages": ["Planificación", "Implementación"],
        **extra,
    }


# --- reading ------------------------------------------------------------------------------


def test_it_lists_plans_filtered_by_year_kind_and_status(client_as, cmg, ut_cusco):
    sig = make_plan(cmg, year=2031)
    isms = make_plan(cmg, year=2031, kind="isms", title="Plan SGSI 2031")
    make_plan(cmg, year=2033, title="Plan 2033")
    client = client_as(ut_cusco)
    response = client.get(LIST, {"year": 2031})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["items"]] == [isms.pk, sig.pk]
    item = response.json()["items"][1]
    assert (item["status"], item["version_label"], item["owner_unit_code"]) == ("draft", "01", "UPPM-CMG")
    assert item["budget_amount"] == "130000.00"
    assert [p["id"] for p in client.get(LIST, {"year": 2031, "kind": "isms"}).json()["items"]] == [isms.pk]
    assert client.get(LIST, {"year": 2031, "status": "approved"}).json()["count"] == 0


def test_a_plan_shows_its_stages_in_order(client_as, cmg, lector):
    plan = make_plan(cmg)
    response = client_as(lector).get(url(plan))
    assert response.status_code == 200
    assert [(s["number"], s["name"]) for s in response.json()["stages"]] == list(enumerate(STAGES, start=1))


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, lector, django_assert_num_queries):
    make_plan(cmg)
    client = client_as(lector)
    with django_assert_num_queries(5):
        client.get(LIST)
    for year in range(2040, 2050):
        make_plan(cmg, year=year)
    with django_assert_num_queries(5):
        assert client.get(LIST).json()["count"] >= 11


def test_a_person_without_a_role_gets_404(client_as, cmg, no_role_user):
    plan = make_plan(cmg)
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert client.get(url(plan)).status_code == 404
    assert api_post(client, LIST, new_body()).status_code == 404
    assert api_patch(client, url(plan), {"title": "X"}).status_code == 404
    assert api_post(client, url(plan, "submit")).status_code == 404


# --- creating and changing ------------------------------------------------------------------


def test_a_plan_editor_creates_a_draft_plan_with_a_bearer_token(uppm):
    client = token_client(uppm)
    events = event_count()
    response = api_post(client, LIST, new_body())
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/plans")
    body = response.json()
    plan = Plan.objects.get(pk=body["id"])
    assert (plan.year, plan.kind, plan.status, plan.version) == (2032, "isms", "draft", 1)
    assert str(plan.budget_amount) == "45000.50" and body["budget_amount"] == "45000.50"
    assert [s["name"] for s in body["stages"]] == ["Planificación", "Implementación"]
    assert body["responsibilities"] == [{"role": "Comité del SIG", "responsibility": "Revisar el plan."}]
    assert body["legal_basis_ids"] == [LegalNorm.objects.get(number="27658").pk]
    event = last_event("plans.plan")
    assert event_count() == events + 1 and event.action == "create" and event.actor_id == uppm.pk


def test_a_draft_plan_is_changed_and_audited(client_as, cmg):
    plan = make_plan(cmg)
    response = api_patch(
        client_as(cmg), url(plan), {"title": "Plan de Desarrollo del SIG 2031", "budget_amount": 150000}
    )
    assert response.status_code == 200
    plan = fresh(plan)
    assert plan.title == "Plan de Desarrollo del SIG 2031" and str(plan.budget_amount) == "150000.00"
    event = last_event("plans.plan")
    assert event.action == "update" and set(event.changes) == {"title", "budget_amount"}


def test_an_approved_plan_changes_only_through_a_change_request(client_as, cmg, direccion):
    plan, client = approved_plan(cmg, direccion), client_as(cmg)
    before, events = row(plan), event_count()
    response = api_patch(client, url(plan), {"title": "Otro título"})
    assert response.status_code == 400
    assert row(plan) == before and event_count() == events


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "auditor", "direccion"])
def test_other_roles_may_not_create_or_change_plans(client_as, request, cmg, persona):
    plan = make_plan(cmg)
    client = client_as(request.getfixturevalue(persona))
    before, events, count = row(plan), event_count(), Plan.objects.count()
    assert api_post(client, LIST, new_body()).status_code == 403
    assert api_patch(client, url(plan), {"title": "X"}).status_code == 403
    assert api_post(client, url(plan, "submit")).status_code == 403
    assert row(plan) == before and event_count() == events and Plan.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"budget_amount": "1000.555"}, "budget_amount", 400),
        ({"budget_amount": -5}, "budget_amount", 400),
        ({"budget_amount": "mil soles"}, "budget_amount", 422),
        ({"year": 1999}, "year", 422),
        ({"kind": "poi"}, "kind", 422),
        ({"title": ""}, "title", 422),
        ({"owner_unit": 999999}, "owner_unit", 422),
        ({"legal_basis": [999999]}, "legal_basis", 422),
        ({"colour": "red"}, "colour", 422),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(client_as, cmg, body, field, status):
    client = client_as(cmg)
    plan = make_plan(cmg)
    before, events, count = row(plan), event_count(), Plan.objects.count()
    for response in (api_post(client, LIST, new_body(**body)), api_patch(client, url(plan), body)):
        assert response.status_code == status, response.json()
        assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(plan) == before and event_count() == events and Plan.objects.count() == count


# --- submission, approval, versions -----------------------------------------------------------


def test_the_plan_goes_to_the_committee_and_the_director_approves_it(client_as, cmg, direccion):
    plan = make_plan(cmg)
    add_activity(plan, "1.1", by=cmg)
    response = api_post(client_as(cmg), url(plan, "submit"))
    assert response.status_code == 200 and response.json()["status"] == "committee_review"
    response = api_post(
        client_as(direccion), url(plan, "approve"), {"resolution": "RDE N.° 001-2031", "approved_on": "2031-01-20"}
    )
    assert response.status_code == 200
    assert_matches_openapi(response, "post", "/api/v1/plans/{pk}/approve")
    body = response.json()
    assert (body["status"], body["approving_resolution"], body["approved_on"]) == (
        "approved",
        "RDE N.° 001-2031",
        "2031-01-20",
    )
    versions = client_as(cmg).get(url(plan, "versions")).json()
    assert [(v["number"], v["label"]) for v in versions["items"]] == [(1, "01")]
    snapshot = client_as(cmg).get(url(plan, "versions/1")).json()["snapshot"]
    assert snapshot["stages"][0]["activities"][0]["code"] == "1.1"
    entries = client_as(cmg).get(url(plan, "change-entries")).json()["items"]
    assert [(e["version"], e["responsible"]) for e in entries] == [(1, "UPPM-CMG")]


@pytest.mark.parametrize("persona", ["cmg", "uppm", "lector"])
def test_only_the_director_approves_a_plan(client_as, request, cmg, persona):
    plan = make_plan(cmg)
    api_post(client_as(cmg), url(plan, "submit"))
    client = client_as(request.getfixturevalue(persona))
    before, events = row(plan), event_count()
    response = api_post(client, url(plan, "approve"), {"resolution": "RDE 1"})
    assert response.status_code == 403
    assert row(plan) == before and event_count() == events and not PlanVersion.objects.filter(plan=plan).exists()


def test_approval_needs_the_committee_review_and_a_resolution(client_as, cmg, direccion):
    plan = make_plan(cmg)
    client = client_as(direccion)
    events = event_count()
    assert api_post(client, url(plan, "approve"), {"resolution": "RDE 1"}).status_code == 400
    assert event_count() == events
    api_post(client_as(cmg), url(plan, "submit"))
    events = event_count()
    response = api_post(client, url(plan, "approve"), {"resolution": "  "})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "resolution"]
    assert fresh(plan).status == "committee_review" and event_count() == events


def test_a_version_that_does_not_exist_is_404(client_as, cmg, direccion):
    plan = approved_plan(cmg, direccion)
    assert client_as(cmg).get(url(plan, "versions/2")).status_code == 404
