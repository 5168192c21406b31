"""/api/v1/committee/sessions: sessions of the Comité del SIG — scheduled with their agenda,
attendance and quorum, acuerdos with responsible and due date, and the closing of the acta.
Sessions exist only for central roles; the Committee secretaries keep them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from actions.models import ActionItem
from committee import selectors, services
from committee.models import Session
from core.testing import (
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/committee/sessions"
WHEN = datetime.datetime(2031, 3, 10, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))


@pytest.fixture
def session(cmg):
    return services.create_session(
        data={"number": "API-01-2031", "date": WHEN, "agenda": ["Avance del plan", "Solicitud de cambio"]}, by=cmg
    )


def url(session: Session, action: str = "") -> str:
    return f"{LIST}/{session.pk}/{action}" if action else f"{LIST}/{session.pk}"


def new_body(**extra) -> dict:
    return {
        "number": "API-02-2031",
        "kind": "extraordinary",
        "date": "2031-04-15T09:30:00",
        "place": "Sala de reuniones de la Dirección Ejecutiva",
        "agenda": ["Aprobación del plan 2032"],
        **extra,
    }


# --- reading and scoping ------------------------------------------------------------------------


def test_central_roles_list_the_sessions(client_as, lector, session):
    response = client_as(lector).get(LIST, {"year": 2031})
    assert response.status_code == 200
    assert [s["number"] for s in response.json()["items"]] == ["API-01-2031"]
    item = response.json()["items"][0]
    assert (item["kind"], item["status"], item["has_acta"]) == ("ordinary", "scheduled", False)


@pytest.mark.parametrize("persona", ["ut_cusco", "no_role_user"])
def test_sessions_do_not_exist_for_a_ut_or_a_person_without_a_role(client_as, request, session, persona):
    client = client_as(request.getfixturevalue(persona))
    count = Session.objects.count()
    assert client.get(LIST).status_code == 404
    assert client.get(url(session)).status_code == 404
    assert api_post(client, LIST, new_body()).status_code == 404
    assert api_post(client, url(session, "attendance"), {"attendees": []}).status_code == 404
    assert api_post(client, url(session, "close")).status_code == 404
    assert Session.objects.count() == count


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, lector, session, django_assert_num_queries):
    client = client_as(lector)
    with django_assert_num_queries(5):
        client.get(LIST)
    for n in range(10):
        services.create_session(data={"number": f"API-{n + 10}-2031", "date": WHEN}, by=cmg)
    with django_assert_num_queries(5):
        assert client.get(LIST, {"year": 2031}).json()["count"] == 11


def test_a_session_shows_its_agenda_attendance_quorum_and_acuerdos(client_as, cmg, direccion, uppm, session):
    services.set_attendance(session, attendees=[direccion, uppm], by=cmg)
    services.record_agreement(session, title="Actualizar el cronograma", responsible=cmg, due_date=None, by=cmg)
    response = client_as(cmg).get(url(session))
    assert response.status_code == 200
    body = response.json()
    assert [a["topic"] for a in body["agenda"]] == ["Avance del plan", "Solicitud de cambio"]
    assert {a["id"] for a in body["attendees"]} == {direccion.pk, uppm.pk}
    assert all(a["is_member"] for a in body["attendees"])
    quorum = selectors.quorum(session)
    assert body["quorum"] == quorum and body["quorum"]["present"] == 2
    assert [(a["number"], a["kind"], a["responsible_id"]) for a in body["agreements"]] == [
        ("API-01-2031-01", "acuerdo", cmg.pk)
    ]
    assert body["status"] == "held"


# --- keeping sessions ---------------------------------------------------------------------------


def test_a_secretary_schedules_a_session_with_a_bearer_token(cmg):
    client = token_client(cmg)
    events = event_count()
    response = api_post(client, LIST, new_body())
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/committee/sessions")
    created = Session.objects.get(pk=response.json()["id"])
    assert (created.number, created.kind, created.created_by_id) == ("API-02-2031", "extraordinary", cmg.pk)
    # A time without an offset is Lima time.
    assert timezone.localtime(created.date).strftime("%d/%m/%Y %H:%M") == "15/04/2031 09:30"
    assert [a.topic for a in created.agenda.all()] == ["Aprobación del plan 2032"]
    assert last_event("committee.session").action == "create" and event_count() > events


def test_attendance_replaces_the_list_and_counts_the_quorum(client_as, cmg, direccion, uppm, session):
    client = client_as(cmg)
    response = api_post(client, url(session, "attendance"), {"attendees": [direccion.pk, uppm.pk]})
    assert response.status_code == 200
    assert_matches_openapi(response, "post", "/api/v1/committee/sessions/{pk}/attendance")
    assert set(session.attendees.all()) == {direccion, uppm}
    assert response.json()["quorum"]["present"] == 2 and response.json()["status"] == "held"
    response = api_post(client, url(session, "attendance"), {"attendees": [direccion.pk]})
    assert list(session.attendees.all()) == [direccion] and response.json()["quorum"]["present"] == 1
    assert last_event("committee.session").changes["attendees"][1] == [direccion.pk]


def test_only_committee_members_are_recorded_as_attendees(client_as, cmg, direccion, ut_cusco, session):
    client = client_as(cmg)
    events = event_count()
    response = api_post(client, url(session, "attendance"), {"attendees": [direccion.pk, ut_cusco.pk]})
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["attendees"]
    assert not session.attendees.exists() and event_count() == events


def test_a_secretary_records_an_acuerdo_followed_up_as_an_action_item(client_as, cmg, ut_cusco, session):
    client = client_as(cmg)
    body = {"title": "Remitir el informe de avance de Cusco", "responsible": ut_cusco.pk, "due_date": "2031-04-30"}
    response = api_post(client, url(session, "agreements"), body)
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/committee/sessions/{pk}/agreements")
    item = ActionItem.objects.get(pk=response.json()["id"])
    assert (item.kind, item.number, item.status, item.source) == ("acuerdo", "API-01-2031-01", "pending", session)
    assert (item.responsible, item.site.code, str(item.due_date)) == (ut_cusco, "UT-CUS", "2031-04-30")
    assert response.json()["site_code"] == "UT-CUS" and response.json()["source_type"] == "committee.session"


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"due_date": "2031-03-01"}, "due_date", 400),  # before the session
        ({"due_date": "30/04/2031"}, "due_date", 422),
        ({"responsible": 999999}, "responsible", 422),
        ({"responsible": None}, "responsible", 422),
        ({"title": ""}, "title", 422),
        ({"responsible_unit": 999999}, "responsible_unit", 422),
    ],
)
def test_a_bad_acuerdo_names_the_field_and_stores_nothing(client_as, cmg, session, body, field, status):
    client = client_as(cmg)
    events, count = event_count(), ActionItem.objects.count()
    full = {"title": "Actualizar el cronograma", "responsible": cmg.pk, "due_date": "2031-04-30", **body}
    response = api_post(client, url(session, "agreements"), full)
    assert response.status_code == status
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert event_count() == events and ActionItem.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"number": "API-01-2031"}, "number", 400),  # already used
        ({"number": ""}, "number", 422),
        ({"date": "15/04/2031 09:30"}, "date", 422),
        ({"kind": "special"}, "kind", 422),
        ({"agenda": ["Aprobación", ""]}, "agenda", 422),
    ],
)
def test_a_bad_session_names_the_field_and_stores_nothing(client_as, cmg, session, body, field, status):
    client = client_as(cmg)
    events, count = event_count(), Session.objects.count()
    response = api_post(client, LIST, new_body(**body))
    assert response.status_code == status
    assert [field in e["loc"] for e in response.json()["detail"]] == [True]
    assert event_count() == events and Session.objects.count() == count


def test_closing_freezes_the_session_and_stores_its_acta(client_as, cmg, direccion, session):
    services.set_attendance(session, attendees=[direccion], by=cmg)
    client = client_as(cmg)
    response = api_post(client, url(session, "close"))
    assert response.status_code == 200
    assert_matches_openapi(response, "post", "/api/v1/committee/sessions/{pk}/close")
    body = response.json()
    assert (body["status"], body["has_acta"]) == ("closed", True)
    assert body["acta_verification_code"] and len(body["acta_sha256"]) == 64
    closed = row(session)
    events = event_count()
    assert api_post(client, url(session, "attendance"), {"attendees": []}).status_code == 400
    assert api_post(client, url(session, "agreements"), {"title": "Otro", "responsible": cmg.pk}).status_code == 400
    assert api_post(client, url(session, "close")).status_code == 400
    assert row(session) == closed and event_count() == events


def test_an_acta_is_closed_only_after_the_attendance(client_as, cmg, session):
    client = client_as(cmg)
    before, events = row(session), event_count()
    response = api_post(client, url(session, "close"))
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "attendees"]
    assert row(session) == before and event_count() == events


@pytest.mark.parametrize("persona", ["lector", "auditor", "tecnico"])
def test_other_central_roles_read_but_may_not_keep_sessions(client_as, request, cmg, direccion, session, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(url(session)).status_code == 200
    before, events, count = row(session), event_count(), Session.objects.count()
    assert api_post(client, LIST, new_body()).status_code == 403
    assert api_post(client, url(session, "attendance"), {"attendees": [direccion.pk]}).status_code == 403
    assert api_post(client, url(session, "agreements"), {"title": "X", "responsible": cmg.pk}).status_code == 403
    assert api_post(client, url(session, "close")).status_code == 403
    assert row(session) == before and event_count() == events and Session.objects.count() == count
