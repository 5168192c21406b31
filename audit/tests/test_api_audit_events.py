"""/api/v1/audit-events: the audit trail for its readers, with the page's filters; for anybody
else the endpoint does not exist (404), as audit.views.event_list."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import RoleAssignment, User
from audit.models import AuditEvent
from audit.services import Subject, record
from core.testing import assert_matches_openapi, token_client
from organization.models import Site

pytestmark = pytest.mark.django_db


LIST = "/api/v1/audit-events"


def _record(actor, object_type="organization.site", object_id="1", repr_="Sede Central", site=None, action="update"):
    with transaction.atomic():
        return record(
            actor=actor,
            action=action,
            obj=Subject(object_type, object_id, repr_),
            changes={"phone": ["111", "222"]},
            site_id=site.pk if site else None,
        )


@pytest.mark.parametrize("persona", ["platform_admin", "cmg", "auditor", "oficial_si"])
def test_audit_trail_readers_browse_the_trail_newest_first(request, persona):
    user = request.getfixturevalue(persona)
    event = _record(user)
    response = token_client(user).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/audit-events")
    items = response.json()["items"]
    assert response.json()["count"] == AuditEvent.objects.count()
    assert [i["id"] for i in items] == sorted((i["id"] for i in items), reverse=True)
    mine = next(i for i in items if i["id"] == event.pk)
    assert mine["changes"] == {"phone": ["111", "222"]} and mine["hash"] == event.hash


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "integridad", "direccion", "no_role_user"])
def test_everyone_else_gets_404(client_as, request, persona):
    assert client_as(request.getfixturevalue(persona)).get(LIST).status_code == 404


def test_a_reader_confined_to_a_ut_sees_that_uts_entries_only(client_as, cmg):
    puno, cusco = Site.objects.get(code="UT-PUN"), Site.objects.get(code="UT-CUS")
    auditor = User.objects.create(username="auditor.puno", site=puno)
    RoleAssignment.objects.create(user=auditor, role="auditor", site=puno, valid_from=datetime.date(2020, 1, 1))
    seen = _record(cmg, object_id=str(puno.pk), repr_="UT Puno", site=puno)
    _record(cmg, object_id=str(cusco.pk), repr_="UT Cusco", site=cusco)
    response = token_client(auditor).get(LIST)
    assert response.status_code == 200
    assert {i["site_code"] for i in response.json()["items"]} == {"UT-PUN"}
    assert seen.pk in [i["id"] for i in response.json()["items"]]


def test_it_filters_by_action_object_type_and_text(client_as, cmg):
    _record(cmg, object_type="organization.process", object_id="7", repr_="M01.01 Afiliación")
    client = client_as(cmg)
    response = client.get(LIST, {"action": "update", "object_type": "organization.process", "q": "Afiliación"})
    assert_matches_openapi(response, "get", "/api/v1/audit-events")
    assert [(i["object_type"], i["object_id"]) for i in response.json()["items"]] == [("organization.process", "7")]
    assert all(i["action"] == "login" for i in client.get(LIST, {"action": "login"}).json()["items"])


def test_it_filters_by_date(client_as, cmg):
    client = client_as(cmg)
    today = timezone.localdate()
    tomorrow, yesterday = today + datetime.timedelta(days=1), today - datetime.timedelta(days=1)
    assert client.get(LIST, {"date_from": tomorrow.isoformat()}).json()["count"] == 0
    assert client.get(LIST, {"date_from": today.isoformat(), "date_to": today.isoformat()}).json()["count"] >= 1
    old = client.get(LIST, {"date_to": yesterday.isoformat()}).json()["items"]
    assert all(i["timestamp"][:10] <= yesterday.isoformat() for i in old)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-02-02", "date_to": "2026-01-01"}, "date_to"),
        ({"date_from": "02/02/2026"}, "date_from"),
        ({"action": "erase"}, "action"),
        ({"q": "q" * 101}, "q"),
        ({"object_type": "t" * 101}, "object_type"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(client_as, cmg, params, field):
    response = client_as(cmg).get(LIST, params)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", field]]


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    # session, user, scope, count, page (sites joined)
    with django_assert_num_queries(5):
        client.get(LIST)
    puno = Site.objects.get(code="UT-PUN")
    for i in range(60):
        _record(cmg, object_id=str(i), site=puno if i % 2 else None)
    with django_assert_num_queries(5):
        assert len(client.get(LIST).json()["items"]) == 50
