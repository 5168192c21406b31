"""/api/v1/management-systems: the three systems, their scope (statement, processes, sites)
and which systems share it; reference editors record the certification."""

from __future__ import annotations

import datetime

import pytest

from core.testing import (
    api_patch,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from organization.models import ManagementSystem, Process, Scope
from organization.tests.helpers import site, system

pytestmark = pytest.mark.django_db


LIST = "/api/v1/management-systems"


def url(code: str) -> str:
    return f"/api/v1/management-systems/{system(code).pk}"


def test_it_lists_the_three_systems_with_their_scope(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/management-systems")
    items = {s["code"]: s for s in response.json()["items"]}
    assert list(items) == ["SGC", "SGAS", "SGSI"]
    assert items["SGC"]["standard_code"] == "ISO 9001" and items["SGSI"]["standard_code"] == "ISO/IEC 27001"
    assert items["SGC"]["shared_with"] == ["SGAS"] and items["SGAS"]["shared_with"] == ["SGC"]
    assert items["SGSI"]["shared_with"] == []


def test_the_detail_shows_the_scope_statement_processes_and_sites(client_as, ut_cusco):
    response = client_as(ut_cusco).get(url("SGC"))
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/management-systems/{id}")
    scope = system("SGC").scope
    body = response.json()["scope"]
    assert body["statement"] == scope.statement
    assert body["process_codes"] == list(scope.processes.order_by("order", "code").values_list("code", flat=True))
    assert body["site_codes"] == list(scope.sites.order_by("order", "name").values_list("code", flat=True))
    assert body["process_codes"] and body["site_codes"]


def test_a_person_without_a_role_gets_404(client_as, no_role_user):
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert client.get(url("SGC")).status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_as, lector, django_assert_num_queries):
    client = client_as(lector)
    # session, user, scope, readable?, count, page, and one each for processes, sites, systems
    with django_assert_num_queries(9):
        client.get(LIST)
    sgsi = system("SGSI")
    for i in range(3):
        scope = Scope.objects.create(name=f"Alcance {i}", statement="Todo.")
        scope.processes.set(Process.objects.all()[:5])
        scope.sites.set([site("SC"), site("UT-CUS")])
        ManagementSystem.objects.create(
            code=f"S{i}", name=f"Sistema {i}", edition=sgsi.edition, objective="Mejorar.", scope=scope, order=10 + i
        )
    with django_assert_num_queries(9):
        assert client.get(LIST).json()["count"] == 6


def test_a_reference_editor_records_the_certification(cmg):
    body = {
        "certification_status": "certified",
        "certification_body": "Organismo de certificación",
        "certificate_number": "SGSI-2026-001",
        "certified_until": "2029-06-30",
    }
    response = api_patch(token_client(cmg), url("SGSI"), body)
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/management-systems/{id}")
    sgsi = system("SGSI")
    assert sgsi.certification_status == "certified" and sgsi.certified_until == datetime.date(2029, 6, 30)
    assert response.json()["scope"]["site_codes"]
    event = last_event("organization.managementsystem")
    assert event is not None and event.actor_id == cmg.pk and "certified_until" in event.changes


def test_the_certified_until_date_may_be_cleared(client_as, cmg):
    client = client_as(cmg)
    api_patch(client, url("SGSI"), {"certified_until": "2029-06-30"})
    response = api_patch(client, url("SGSI"), {"certified_until": None})
    assert response.status_code == 200 and system("SGSI").certified_until is None


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "oficial_si"])
def test_other_roles_may_not_change_a_system(client_as, request, persona):
    client = client_as(request.getfixturevalue(persona))
    before, events = row(system("SGSI")), event_count()
    assert api_patch(client, url("SGSI"), {"certification_body": "X"}).status_code == 403
    assert row(system("SGSI")) == before and event_count() == events


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"certification_status": "pending"}, "certification_status"),
        ({"certified_until": "30/06/2029"}, "certified_until"),
        ({"certificate_number": "N" * 101}, "certificate_number"),
        ({"objective": ""}, "objective"),
        ({"code": "SGX"}, "code"),
        ({"scope": 1}, "scope"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(client_as, cmg, body, field):
    client = client_as(cmg)
    before, events = row(system("SGSI")), event_count()
    response = api_patch(client, url("SGSI"), body)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(system("SGSI")) == before and event_count() == events
