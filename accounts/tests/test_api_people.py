"""/api/v1/people: people scoped as on the pages (accounts.access.people_visible_to): central
roles see everyone, a UT head only the people of their UT."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import RoleAssignment, User
from core.testing import assert_matches_openapi, token_client
from organization.models import Site

pytestmark = pytest.mark.django_db


LIST = "/api/v1/people"


def usernames(response) -> list[str]:
    return [p["username"] for p in response.json()["items"]]


def test_central_roles_see_everyone_with_their_roles_in_force(client_as, cmg):
    response = client_as(cmg).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/people")
    assert response.json()["count"] == User.objects.filter(is_active=True).count() == 11
    people = {p["username"]: p for p in response.json()["items"]}
    assert [(r["role"], r["site_code"]) for r in people["ut.puno"]["roles"]] == [("unit_head", "UT-PUN")]
    assert people["direccion"]["site_code"] == "SC" and people["direccion"]["unit_code"] == "DE"


def test_a_ut_head_sees_only_the_people_of_their_ut(ut_cusco):
    response = token_client(ut_cusco).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/people")
    assert usernames(response) == ["ut.cusco"]


def test_a_person_of_another_ut_is_404(client_as, ut_cusco, ut_puno):
    assert client_as(ut_puno).get(f"/api/v1/people/{ut_cusco.pk}").status_code == 404
    assert client_as(ut_cusco).get(f"/api/v1/people/{ut_cusco.pk}").status_code == 200


def test_a_person_without_a_role_sees_no_one(client_as, no_role_user, cmg):
    client = client_as(no_role_user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "items": []}
    assert client.get(f"/api/v1/people/{cmg.pk}").status_code == 404


def test_it_filters_by_name_and_leaves_out_deactivated_accounts_unless_asked(client_as, cmg, lector):
    client = client_as(cmg)
    assert usernames(client.get(LIST, {"q": "Mamani"})) == ["ut.puno"]
    User.objects.filter(pk=lector.pk).update(is_active=False)
    assert "lector" not in usernames(client.get(LIST))
    assert "lector" in usernames(client.get(LIST, {"inactive": True}))


def test_the_detail_shows_every_assignment_including_revoked_ones(client_as, cmg, tecnico):
    RoleAssignment.objects.create(
        user=tecnico,
        role="reader",
        site=Site.objects.get(code="SC"),
        valid_from=datetime.date(2020, 1, 1),
        revoked_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc),
    )
    response = client_as(cmg).get(f"/api/v1/people/{tecnico.pk}")
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/people/{id}")
    body = response.json()
    assert [r["role"] for r in body["roles"]] == ["tech_coordinator"]
    assert sorted((a["role"], a["is_active"]) for a in body["assignments"]) == [
        ("reader", False),
        ("tech_coordinator", True),
    ]


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    # session, user, scope, count, page, roles in force with their sites
    with django_assert_num_queries(6):
        client.get(LIST)
    site = Site.objects.get(code="UT-ICA")
    for i in range(15):
        person = User.objects.create(username=f"extra{i}", last_name=f"Extra {i}", site=site)
        RoleAssignment.objects.create(user=person, role="reader", site=site, valid_from=datetime.date(2020, 1, 1))
    with django_assert_num_queries(6):
        assert client.get(LIST).json()["count"] == 26
