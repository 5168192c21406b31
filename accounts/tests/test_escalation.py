"""Who may grant which role where (issue 7, point 1): a UT administrator manages only their UT and
never the administrator role nor roles at the Sede Central; nobody grants themselves a role. The
same rules hold on the pages and in the API, because both go through accounts.services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from accounts import services
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from core.testing import api_post, event_count, token_client
from organization.models import OrgUnit, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def cusco() -> Site:
    return Site.objects.get(code="UT-CUS")


@pytest.fixture
def central() -> Site:
    return Site.objects.get(code="SC")


@pytest.fixture
def ut_admin(cusco) -> User:
    """An administrator assigned at UT Cusco only."""
    user = User.objects.create(username="admin.cusco", first_name="Admin", last_name="Cusco", site=cusco)
    RoleAssignment.objects.create(user=user, role=Role.ADMIN, site=cusco, valid_from=datetime.date(2020, 1, 1))
    return user


@pytest.fixture
def cusco_person(cusco) -> User:
    return User.objects.create(username="persona.cusco", first_name="Persona", last_name="Cusco", site=cusco)


def _grant(by, user, role, site):
    return services.assign_role(
        user=user,
        role=role,
        site=site,
        unit=None,
        valid_from=datetime.date(2026, 1, 1),
        valid_until=None,
        note="",
        by=by,
    )


def _api_body(role: str, site: Site) -> dict:
    return {"role": role, "site": site.pk, "unit": None, "valid_from": "2026-01-01"}


def test_a_ut_admin_grants_ordinary_roles_at_their_ut(ut_admin, cusco_person, cusco):
    assignment = _grant(ut_admin, cusco_person, Role.READER, cusco)
    assert assignment.site == cusco


@pytest.mark.parametrize(
    ("role", "site_code", "whom"),
    [
        (Role.ADMIN, "SC", "self"),  # the reported escalation: POST /people/{self}/roles {"site": 1}
        (Role.READER, "SC", "self"),
        (Role.ADMIN, "UT-CUS", "self"),
        (Role.ADMIN, "UT-CUS", "other"),  # the administrator role only from a central administrator
        (Role.SIG_COORDINATOR, "SC", "other"),  # a central role only from a central administrator
        (Role.READER, "UT-PUN", "other"),  # another UT
    ],
)
def test_a_ut_admin_cannot_escalate(ut_admin, cusco_person, role, site_code, whom):
    target = ut_admin if whom == "self" else cusco_person
    count, events = RoleAssignment.objects.count(), event_count()
    with pytest.raises(PermissionDenied):
        _grant(ut_admin, target, role, Site.objects.get(code=site_code))
    assert RoleAssignment.objects.count() == count and event_count() == events


def test_the_escalation_request_is_refused_by_the_api(client_as, ut_admin, central):
    client = token_client(ut_admin)
    count = RoleAssignment.objects.count()
    response = api_post(client, f"/api/v1/people/{ut_admin.pk}/roles", _api_body("admin", central))
    assert response.status_code == 403
    assert "detail" in response.json()
    assert RoleAssignment.objects.count() == count
    assert client.get("/api/v1/me").json()["sees_all_sites"] is False


def test_the_escalation_is_refused_by_the_page(client_as, ut_admin, central):
    count = RoleAssignment.objects.count()
    response = client_as(ut_admin).post(
        f"/cuenta/personas/{ut_admin.pk}/roles/", {"role": "admin", "site": central.pk, "valid_from": "01/01/2026"}
    )
    assert response.status_code in {400, 403}
    assert RoleAssignment.objects.count() == count


def test_the_page_offers_a_ut_admin_only_what_they_may_grant(client_as, ut_admin, cusco_person, cusco):
    page = client_as(ut_admin).get(f"/cuenta/personas/{cusco_person.pk}/")
    form = page.context["role_form"]
    assert list(form.fields["site"].queryset) == [cusco]
    assert "admin" not in dict(form.fields["role"].choices)
    own = client_as(ut_admin).get(f"/cuenta/personas/{ut_admin.pk}/")
    assert own.context.get("role_form") is None


def test_a_ut_admin_cannot_revoke_a_central_role_held_by_a_person_of_their_ut(ut_admin, cusco_person, central):
    assignment = RoleAssignment.objects.create(
        user=cusco_person, role=Role.READER, site=central, valid_from=datetime.date(2020, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        services.revoke_role(assignment, by=ut_admin)
    assignment.refresh_from_db()
    assert assignment.revoked_at is None


def test_nobody_revokes_their_own_roles(platform_admin):
    assignment = RoleAssignment.objects.active().get(user=platform_admin, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.revoke_role(assignment, by=platform_admin)


def test_a_central_admin_grants_the_admin_role_at_the_sede_central(platform_admin, lector, central):
    assert _grant(platform_admin, lector, Role.ADMIN, central).role == Role.ADMIN


def test_a_ut_admin_cannot_move_a_person_to_the_sede_central(ut_admin, cusco_person, central):
    with pytest.raises(PermissionDenied):
        services.update_person(cusco_person, data={"site": central}, by=ut_admin)
    cusco_person.refresh_from_db()
    assert cusco_person.site.code == "UT-CUS"


def test_a_ut_admin_cannot_create_people_at_the_sede_central(ut_admin, central):
    with pytest.raises(PermissionDenied):
        services.create_person(data={"username": "nuevo.sc", "site": central, "unit": None}, by=ut_admin)
    assert not User.objects.filter(username="nuevo.sc").exists()


def test_a_unit_can_be_given_with_the_role(ut_admin, cusco_person, cusco):
    unit = OrgUnit.objects.get(code="UT-CUS")
    assignment = services.assign_role(
        user=cusco_person,
        role=Role.UNIT_HEAD,
        site=cusco,
        unit=unit,
        valid_from=datetime.date(2026, 1, 1),
        valid_until=None,
        note="",
        by=ut_admin,
    )
    assert assignment.unit == unit
