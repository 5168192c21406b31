"""POST /api/v1/people/{id}/roles and /api/v1/roles/{id}/revoke: account managers assign and
revoke roles through accounts.services, as on the person page."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import RoleAssignment
from core.testing import (
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from organization.models import OrgUnit, Site

pytestmark = pytest.mark.django_db


def roles_url(person) -> str:
    return f"/api/v1/people/{person.pk}/roles"


def revoke_url(person) -> str:
    return f"/api/v1/roles/{RoleAssignment.objects.active().get(user=person).pk}/revoke"


def body(**overrides):
    data = {
        "role": "reader",
        "site": Site.objects.get(code="UT-CUS").pk,
        "unit": OrgUnit.objects.get(code="UT-CUS").pk,
        "valid_from": "2026-03-01",
        "valid_until": "2026-12-31",
        "note": "Reemplazo temporal",
    }
    data.update(overrides)
    return data


def test_the_admin_assigns_a_role_with_validity_and_it_is_audited(platform_admin, lector):
    response = api_post(token_client(platform_admin), roles_url(lector), body())
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/people/{id}/roles")
    created = RoleAssignment.objects.get(pk=response.json()["id"])
    assert (created.user, created.role, created.site.code, created.unit.code) == (lector, "reader", "UT-CUS", "UT-CUS")
    assert (created.valid_from, created.valid_until) == (datetime.date(2026, 3, 1), datetime.date(2026, 12, 31))
    event = last_event("accounts.roleassignment")
    assert event is not None and event.action == "create" and event.actor_id == platform_admin.pk


def test_the_admin_revokes_a_role_and_it_is_audited(client_as, platform_admin, ut_puno):
    response = api_post(client_as(platform_admin), revoke_url(ut_puno))
    assert response.status_code == 200
    assert_matches_openapi(response, "post", "/api/v1/roles/{id}/revoke")
    assert response.json()["revoked_at"] is not None and response.json()["is_active"] is False
    assert not RoleAssignment.objects.active().filter(user=ut_puno).exists()
    event = last_event("accounts.roleassignment")
    assert event is not None and event.action == "state" and "revoked_at" in event.changes


def test_revoking_twice_is_a_400_and_records_nothing_more(client_as, platform_admin, ut_puno):
    client = client_as(platform_admin)
    url = revoke_url(ut_puno)
    assert api_post(client, url).status_code == 200
    events = event_count()
    assert api_post(client, url).status_code == 400
    assert event_count() == events


@pytest.mark.parametrize("persona", ["cmg", "lector", "oficial_si", "auditor"])
def test_other_central_roles_may_not_assign_or_revoke(client_as, request, persona, ut_puno):
    client = client_as(request.getfixturevalue(persona))
    assignment = RoleAssignment.objects.active().get(user=ut_puno)
    before, events, count = row(assignment), event_count(), RoleAssignment.objects.count()
    assert api_post(client, roles_url(ut_puno), body()).status_code == 403
    assert api_post(client, revoke_url(ut_puno)).status_code == 403
    assert row(assignment) == before and event_count() == events and RoleAssignment.objects.count() == count


def test_a_ut_head_gets_404_for_people_of_another_ut(client_as, ut_cusco, ut_puno):
    client = client_as(ut_cusco)
    events = event_count()
    assert api_post(client, roles_url(ut_puno), body()).status_code == 404
    assert api_post(client, revoke_url(ut_puno)).status_code == 404
    assert event_count() == events


def test_a_ut_head_may_not_assign_roles_in_their_own_ut(client_as, ut_cusco):
    assert api_post(client_as(ut_cusco), roles_url(ut_cusco), body()).status_code == 403


def test_a_person_without_a_role_gets_404(client_as, no_role_user, ut_puno):
    client = client_as(no_role_user)
    assert api_post(client, roles_url(ut_puno), body()).status_code == 404
    assert api_post(client, revoke_url(ut_puno)).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"role": "superuser"}, "role"),
        ({"site": 99999}, "site"),
        ({"site": None}, "site"),
        ({"site": "1"}, "site"),
        ({"unit": 99999}, "unit"),
        ({"valid_from": "01/03/2026"}, "valid_from"),
        ({"valid_from": None}, "valid_from"),
        ({"note": "n" * 301}, "note"),
        ({"user": 1}, "user"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(client_as, platform_admin, lector, overrides, field):
    client = client_as(platform_admin)
    events, count = event_count(), RoleAssignment.objects.count()
    response = api_post(client, roles_url(lector), body(**overrides))
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert event_count() == events and RoleAssignment.objects.count() == count


def test_an_inactive_site_is_not_offered(client_as, platform_admin, lector):
    Site.objects.filter(code="UT-ICA").update(is_active=False)
    response = api_post(client_as(platform_admin), roles_url(lector), body(site=Site.objects.get(code="UT-ICA").pk))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "site"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"valid_until": "2026-01-01"}, "valid_until"), ({"role": "unit_head", "valid_until": None}, "role")],
)
def test_business_rules_are_a_400_naming_the_field(client_as, platform_admin, ut_cusco, overrides, field):
    client = client_as(platform_admin)
    events, count = event_count(), RoleAssignment.objects.count()
    data = body(**overrides)
    if field == "role":  # ut.cusco already heads UT Cusco
        data["valid_from"] = "2026-01-01"
    response = api_post(client, roles_url(ut_cusco), data)
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert event_count() == events and RoleAssignment.objects.count() == count
