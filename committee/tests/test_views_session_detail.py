"""A session's page: attendance of the members (and guests) with the quorum, agenda topics
with their discussion, minutes, acuerdos (followed up in /acciones/), the plan change
requests reviewed in it, and closing the acta — after which nothing changes any more."""

from __future__ import annotations

import datetime

import pytest

from actions.models import ActionItem
from audit.models import AuditEvent
from committee.models import AgendaItem, Session
from committee.tests.helpers import agreement, attend, detail_url, events, make_session
from organization.models import Site
from organization.tests.helpers import attr_values, find, find_all
from plans.tests.api_support import A_CHANGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cmg) -> Session:
    return make_session(cmg)


def quorum_of(response) -> dict[str, str]:
    return dict(find(response.content, data_testid="quorum").attributes)


def agreements() -> int:
    return ActionItem.objects.filter(kind=ActionItem.AGREEMENT).count()


def field_errors(response, form: str) -> dict:
    return response.context[form].errors


# --- access ---------------------------------------------------------------------------------


def test_central_readers_see_the_session_without_any_form(client_as, session, lector, auditor):
    for user in (lector, auditor):
        response = client_as(user).get(detail_url(session))
        assert response.status_code == 200
        assert find(response.content, data_testid="session-number")
        assert not find_all(response.content, "form", data_testid="attendance-form")
        assert not find_all(response.content, "form", data_testid="agreement-form")
        assert not find_all(response.content, "form", data_testid="close-form")


def test_a_ut_head_cannot_find_a_session_even_by_posting(client_as, session, ut_cusco, direccion):
    client = client_as(ut_cusco)
    assert client.get(detail_url(session)).status_code == 404
    response = client.post(detail_url(session, "session_attendance"), {"attendance-attendees": [direccion.pk]})
    assert response.status_code == 404
    assert not session.attendees.exists()


@pytest.mark.parametrize(
    "name", ["session_attendance", "agenda_add", "session_minutes", "agreement_add", "session_close"]
)
def test_people_who_do_not_keep_the_committee_get_403_on_every_write(client_as, session, lector, tecnico, name):
    for user in (lector, tecnico):
        assert client_as(user).post(detail_url(session, name), {}).status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


# --- attendance and quorum ------------------------------------------------------------------


def test_the_attendance_offers_the_members_and_records_who_came_and_the_guests(
    client_as, session, cmg, direccion, uppm
):
    client = client_as(cmg)
    response = client.get(detail_url(session))
    boxes = attr_values(find(response.content, "form", data_testid="attendance-form"), "value", "input")
    assert {str(direccion.pk), str(uppm.pk)} <= set(boxes) and str(cmg.pk) not in boxes
    assert quorum_of(response) == {
        "data-testid": "quorum",
        "data-present": "0",
        "data-members": "2",
        "data-reached": "no",
    }

    response = client.post(
        detail_url(session, "session_attendance"),
        {
            "attendance-attendees": [direccion.pk, uppm.pk],
            "attendance-guests": "Silvia Villanueva (secretaria técnica)",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert set(session.attendees.all()) == {direccion, uppm}
    assert session.guests == "Silvia Villanueva (secretaria técnica)" and session.status == Session.Status.HELD
    assert quorum_of(client.get(detail_url(session)))["data-reached"] == "yes"


def test_one_member_of_two_is_no_quorum(client_as, session, cmg, uppm):
    client_as(cmg).post(detail_url(session, "session_attendance"), {"attendance-attendees": [uppm.pk]})
    quorum = quorum_of(client_as(cmg).get(detail_url(session)))
    assert (quorum["data-present"], quorum["data-members"], quorum["data-reached"]) == ("1", "2", "no")


def test_a_person_who_is_not_a_member_cannot_be_marked_present(client_as, session, cmg, ut_cusco):
    client = client_as(cmg)
    before = events()
    response = client.post(detail_url(session, "session_attendance"), {"attendance-attendees": [ut_cusco.pk]})
    assert response.status_code == 400 and field_errors(response, "attendance_form").get("attendees")
    assert not session.attendees.exists() and events() == before


# --- agenda and minutes ---------------------------------------------------------------------


def test_the_secretary_adds_a_topic_and_writes_the_discussion_of_each(client_as, session, cmg):
    client = client_as(cmg)
    response = client.post(detail_url(session, "agenda_add"), {"agenda-topic": "Informe de la auditoría interna"})
    assert response.status_code == 302
    assert list(session.agenda.values_list("topic", flat=True))[-1] == "Informe de la auditoría interna"
    item = session.agenda.first()
    assert item is not None
    response = client.post(
        detail_url(session, "agenda_edit", item_pk=item.pk),
        {f"item-{item.pk}-topic": item.topic, f"item-{item.pk}-notes": "Se aprobó el avance **al 40 %**."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.notes == "Se aprobó el avance **al 40 %**."
    assert AuditEvent.objects.filter(object_type="committee.agendaitem", object_id=str(item.pk)).exists()


def test_an_empty_topic_is_refused(client_as, session, cmg):
    client = client_as(cmg)
    before = (AgendaItem.objects.count(), events())
    response = client.post(detail_url(session, "agenda_add"), {"agenda-topic": "   "})
    assert response.status_code == 400 and field_errors(response, "agenda_form").get("topic")
    assert (AgendaItem.objects.count(), events()) == before


def test_a_topic_of_another_session_is_not_found(client_as, session, cmg):
    other = make_session(cmg, "T09-2020")
    item = other.agenda.first()
    assert item is not None
    response = client_as(cmg).post(detail_url(session, "agenda_edit", item_pk=item.pk), {})
    assert response.status_code == 404


def test_the_minutes_are_saved(client_as, session, uppm):
    response = client_as(uppm).post(
        detail_url(session, "session_minutes"), {"minutes-minutes": "Se inició a las 10:05."}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.minutes == "Se inició a las 10:05."


# --- acuerdos -------------------------------------------------------------------------------


def acuerdo(responsible, **overrides: str) -> dict[str, str]:
    return {
        "agreement-title": "Remitir el informe de avance de la UT",
        "agreement-responsible": str(responsible.pk),
        "agreement-due_date": "15/04/2020",
        **overrides,
    }


def test_an_acuerdo_assigned_to_a_ut_head_is_numbered_and_followed_up_at_that_ut(client_as, session, cmg, ut_cusco):
    response = client_as(cmg).post(detail_url(session, "agreement_add"), acuerdo(ut_cusco))
    assert response.status_code == 302
    item = ActionItem.objects.get(kind=ActionItem.AGREEMENT, source_id=session.pk)
    assert item.number == f"{session.number}-01" and item.responsible == ut_cusco
    assert item.due_date == datetime.date(2020, 4, 15) and item.status == ActionItem.Status.PENDING
    assert item.site == Site.objects.get(code="UT-CUS")
    page = client_as(cmg).get(detail_url(session))
    row = find(page.content, "tr", data_number=item.number)
    assert find(row, data_testid="overdue")  # due in 2020 and still pending


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"agreement-due_date": "04/03/2020"}, "due_date"),  # the day before the session
        ({"agreement-due_date": "2020/04/15"}, "due_date"),
        ({"agreement-due_date": "31/04/2020"}, "due_date"),
        ({"agreement-due_date": ""}, "due_date"),
        ({"agreement-title": "  "}, "title"),
        ({"agreement-responsible": "999999"}, "responsible"),
        ({"agreement-responsible": "abc"}, "responsible"),
    ],
)
def test_bad_acuerdos_are_refused_with_the_field_and_nothing_is_stored(
    client_as, session, cmg, ut_cusco, overrides, field
):
    client = client_as(cmg)
    before = (agreements(), events())
    response = client.post(detail_url(session, "agreement_add"), acuerdo(ut_cusco, **overrides))
    assert response.status_code == 400
    assert field_errors(response, "agreement_form").get(field)
    assert find(response.content, "div", id=f"id_agreement-{field}_error")
    assert (agreements(), events()) == before


def test_a_person_without_any_role_cannot_be_made_responsible(client_as, session, cmg, no_role_user):
    client = client_as(cmg)
    response = client.post(detail_url(session, "agreement_add"), acuerdo(no_role_user))
    assert response.status_code == 400 and field_errors(response, "agreement_form").get("responsible")
    assert not ActionItem.objects.filter(responsible=no_role_user).exists()


# --- change requests reviewed ---------------------------------------------------------------


def test_the_plan_change_requests_reviewed_in_the_session_are_listed(client_as, session, cmg, uppm, direccion):
    from organization.models import OrgUnit
    from plans import services as plan_services

    plan = plan_services.create_plan(
        data={"year": 2020, "title": "Plan de Desarrollo del SIG 2020", "objective": "Mantener el SIG",
              "owner_unit": OrgUnit.objects.get(code="UPPM"), "budget_amount": "130000.00"},
        by=uppm,
    )  # fmt: skip
    plan_services.submit_plan_to_committee(plan, by=uppm)
    plan_services.approve_plan(plan, resolution="RDE N.° 001-2020", approved_on=datetime.date(2020, 2, 1), by=direccion)
    cr = plan_services.propose_change(
        plan,
        data={
            "reason": "Reprogramar la auditoría interna",
            "supporting_report": "Informe N.° 010-2020",
            "changes": A_CHANGE,
        },
        by=cmg,
    )
    type(cr).objects.filter(pk=cr.pk).update(proposed_at=session.date - datetime.timedelta(days=3))
    plan_services.record_committee_review(cr, session=session, opinion="Conforme", by=cmg)
    table = find(client_as(cmg).get(detail_url(session)).content, "table", data_testid="change-requests")
    assert attr_values(table, "data-change-request", "tr") == [str(cr.pk)]
    assert not find_all(table, "form")


def test_only_an_open_session_held_on_or_after_the_request_can_review_it(session, cmg, uppm, direccion):
    """A 2026 request was once reviewed "in" the closed session 02-2020, whose page then listed
    it while its acta did not: a closed session, or one held before the request, is refused."""
    from core.services import ServiceError
    from organization.models import OrgUnit
    from plans import services as plan_services
    from plans.models import ChangeRequest

    plan = plan_services.create_plan(
        data={
            "year": 2020,
            "title": "Plan",
            "objective": "Mantener el SIG",
            "owner_unit": OrgUnit.objects.get(code="UPPM"),
        },
        by=uppm,
    )
    plan_services.submit_plan_to_committee(plan, by=uppm)
    plan_services.approve_plan(plan, resolution="RDE N.° 001-2020", approved_on=datetime.date(2020, 2, 1), by=direccion)
    data = {"reason": "Reprogramar", "supporting_report": "Informe N.° 011-2020", "changes": A_CHANGE}
    cr = plan_services.propose_change(plan, data=data, by=cmg)
    ChangeRequest.objects.filter(pk=cr.pk).update(proposed_at=session.date + datetime.timedelta(days=3))
    cr.refresh_from_db()
    with pytest.raises(ServiceError) as earlier:
        plan_services.record_committee_review(cr, session=session, opinion="Conforme", by=cmg)
    assert earlier.value.field == "session"
    closed = Session.objects.filter(status=Session.Status.CLOSED).first()  # the demo's 02-2020
    assert closed is not None
    ChangeRequest.objects.filter(pk=cr.pk).update(proposed_at=closed.date - datetime.timedelta(days=1))
    cr.refresh_from_db()
    with pytest.raises(ServiceError) as shut:
        plan_services.record_committee_review(cr, session=closed, opinion="Conforme", by=cmg)
    assert shut.value.field == "session" and "cerrada" in shut.value.message
    cr.refresh_from_db()
    assert cr.status == ChangeRequest.Status.PROPOSED and cr.committee_session is None


# --- closing the acta -----------------------------------------------------------------------


def test_an_acta_without_attendance_cannot_be_closed(client_as, session, cmg):
    client = client_as(cmg)
    before = events()
    response = client.post(detail_url(session, "session_close"))
    assert response.status_code == 400 and find(response.content, data_testid="close-error")
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED and not session.acta_pdf and events() == before


def test_closing_generates_the_acta_and_then_every_edit_is_refused(client_as, session, cmg, direccion, uppm, ut_cusco):
    attend(session, cmg, direccion, uppm)
    agreement(session, cmg, ut_cusco)
    client = client_as(cmg)
    response = client.post(detail_url(session, "session_close"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.CLOSED and session.acta_pdf and len(session.acta_sha256) == 64
    assert session.acta_verification_code and len(session.acta_verification_code) == 7
    page = client.get(detail_url(session))
    assert find(page.content, data_testid="download-acta")
    assert not find_all(page.content, "form", data_testid="agreement-form")

    item = session.agenda.first()
    assert item is not None
    attempts = {
        "session_attendance": {"attendance-attendees": [uppm.pk]},
        "agenda_add": {"agenda-topic": "Tema nuevo"},
        "session_minutes": {"minutes-minutes": "Texto añadido"},
        "agreement_add": acuerdo(ut_cusco, **{"agreement-title": "Acuerdo tardío"}),
        "session_close": {},
    }
    before = (agreements(), AgendaItem.objects.count(), events(), session.acta_sha256)
    for name, data in attempts.items():
        response = client.post(detail_url(session, name), data)
        assert response.status_code == 400, name
        assert find(response.content, data_testid="action-error"), name
    response = client.post(detail_url(session, "agenda_edit", item_pk=item.pk), {f"item-{item.pk}-topic": "Otro"})
    assert response.status_code == 400
    edit = {"number": session.number, "kind": "ordinary", "date": "07/03/2020 10:00", "place": "Otro lugar"}
    response = client.post(detail_url(session, "session_edit"), edit)
    assert response.status_code == 400 and find(response.content, data_testid="action-error")
    session.refresh_from_db()
    assert (agreements(), AgendaItem.objects.count(), events(), session.acta_sha256) == before
    assert set(session.attendees.all()) == {direccion, uppm} and session.place != "Otro lugar"
