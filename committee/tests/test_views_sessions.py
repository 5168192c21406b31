"""The Committee's members and sessions lists, and creating or editing a session: central roles
read them, the secretaries (SIG coordinator, UPPM head, Director) keep them, a UT never sees
them. Dates are typed as dd/mm/aaaa HH:MM."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from accounts.roles import Role
from committee.models import AgendaItem, Session
from committee.tests.helpers import agreement, at, attend, events, make_session
from organization.tests.helpers import attr_values, find, find_all, has_field_error, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("committee:session_list")
MEMBERS = reverse("committee:member_list")
CREATE = reverse("committee:session_create")


def numbers(response) -> list[str]:
    return attr_values(find(response.content, "table", data_testid="sessions"), "data-number", "tr")


# --- members --------------------------------------------------------------------------------


def test_it_lists_the_director_and_the_committee_members_from_their_roles(client_as, lector):
    response = client_as(lector).get(MEMBERS)
    assert response.status_code == 200
    table = find(response.content, "table", data_testid="members")
    assert set(attr_values(table, "data-username", "tr")) == {"direccion", "uppm"}
    director = find(table, "tr", data_username="direccion")
    assert set(attr_values(director, "data-role")) == {Role.DIRECTOR, Role.COMMITTEE}


def test_a_revoked_committee_role_drops_the_person_from_the_members(client_as, cmg, uppm):
    from django.utils import timezone

    from accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=uppm, role=Role.COMMITTEE).update(revoked_at=timezone.now())
    table = find(client_as(cmg).get(MEMBERS).content, "table", data_testid="members")
    assert attr_values(table, "data-username", "tr") == ["direccion"]


@pytest.mark.parametrize("url", [LIST, MEMBERS, CREATE])
def test_a_ut_head_or_a_person_without_role_does_not_see_the_committee(client_as, ut_cusco, no_role_user, url):
    assert client_as(ut_cusco).get(url).status_code == 404
    assert client_as(no_role_user).get(url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client_as):
    response = client_as(None).get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))


# --- sessions list --------------------------------------------------------------------------


def test_the_list_shows_each_session_with_attendance_and_open_and_overdue_acuerdos(
    client_as, cmg, lector, direccion, uppm, ut_cusco
):
    first = make_session(cmg, "T01-2020", "05/03/2020")
    attend(first, cmg, direccion, uppm)
    agreement(first, cmg, ut_cusco, due=datetime.date(2020, 4, 30))  # long overdue
    agreement(first, cmg, uppm, due=datetime.date.today() + datetime.timedelta(days=30))
    make_session(cmg, "T02-2020", "10/06/2020")
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    listed = numbers(response)
    assert listed.index("T02-2020") < listed.index("T01-2020")  # latest first
    row = find(response.content, "tr", data_number="T01-2020")
    assert text_of(find(row, "td", data_testid="attendee-count")) == "2"
    counts = find(row, "td", data_testid="agreement-count")
    assert dict(counts.attributes)["data-open"] == "2" and dict(counts.attributes)["data-overdue"] == "1"


def test_only_the_secretaries_see_the_new_session_button(client_as, cmg, uppm, direccion, lector, tecnico):
    for user in (cmg, uppm, direccion):
        assert find_all(client_as(user).get(LIST).content, data_testid="new-session")
    for user in (lector, tecnico):
        assert not find_all(client_as(user).get(LIST).content, data_testid="new-session")


def test_the_query_count_is_pinned_and_does_not_grow_with_the_rows(
    client_as, cmg, direccion, uppm, ut_cusco, django_assert_num_queries
):
    client = client_as(cmg)
    client.get(LIST)  # warm the session and the content-type cache
    session = make_session(cmg, "T01-2020")
    attend(session, cmg, direccion)
    agreement(session, cmg, ut_cusco)
    with django_assert_num_queries(QUERIES):
        client.get(LIST)
    for n in range(2, 12):
        extra = make_session(cmg, f"T{n:02d}-2020", f"{n:02d}/07/2020")
        attend(extra, cmg, direccion, uppm)
        agreement(extra, cmg, uppm, due=datetime.date(2020, 12, 31))
    with django_assert_num_queries(QUERIES):
        client.get(LIST)


# session, user, role scope, count, page of sessions (counts as subqueries), acuerdos by status (chart).
QUERIES = 6


# --- create ---------------------------------------------------------------------------------


def form(**overrides: str) -> dict[str, str]:
    return {
        "number": "T05-2020",
        "kind": Session.Kind.EXTRAORDINARY,
        "date": "21/09/2020 15:30",
        "place": "Sala virtual",
        "agenda": "Modificación del Plan de Desarrollo del SIG\n\n  Informe de auditoría interna  \n",
        **overrides,
    }


def test_the_coordinator_creates_a_session_with_its_agenda(client_as, cmg):
    before = events()
    response = client_as(cmg).post(CREATE, form())
    session = Session.objects.get(number="T05-2020")
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert session.kind == Session.Kind.EXTRAORDINARY and session.date == at("21/09/2020", "15:30")
    assert list(session.agenda.values_list("topic", flat=True)) == [
        "Modificación del Plan de Desarrollo del SIG",
        "Informe de auditoría interna",
    ]
    assert session.status == Session.Status.SCHEDULED and session.created_by == cmg
    assert events() > before


@pytest.mark.parametrize("value", ["09/21/2020 15:30", "21/09/2020", "31/02/2020 10:00", "21/09/2020 25:00", "ayer"])
def test_a_date_in_the_wrong_format_is_refused_and_nothing_is_stored(client_as, cmg, value):
    client = client_as(cmg)
    before = events()
    response = client.post(CREATE, form(date=value))
    assert response.status_code == 400 and has_field_error(response, "date")
    assert not Session.objects.filter(number="T05-2020").exists() and events() == before


def test_a_repeated_number_is_refused(client_as, cmg):
    make_session(cmg, "T05-2020")
    client = client_as(cmg)
    before = (Session.objects.count(), AgendaItem.objects.count(), events())
    response = client.post(CREATE, form())
    assert response.status_code == 400 and has_field_error(response, "number")
    assert (Session.objects.count(), AgendaItem.objects.count(), events()) == before


def test_people_who_do_not_keep_the_committee_cannot_create_sessions(client_as, lector, tecnico, auditor, ut_cusco):
    for user in (lector, tecnico, auditor):
        assert client_as(user).get(CREATE).status_code == 403
        assert client_as(user).post(CREATE, form()).status_code == 403
    assert client_as(ut_cusco).post(CREATE, form()).status_code == 404
    assert not Session.objects.filter(number="T05-2020").exists()


# --- edit -----------------------------------------------------------------------------------


def test_the_secretary_edits_the_session_data(client_as, uppm, cmg):
    session = make_session(cmg)
    data = {"number": session.number, "kind": Session.Kind.ORDINARY, "date": "06/03/2020 09:00", "place": "Auditorio"}
    response = client_as(uppm).post(reverse("committee:session_edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.place == "Auditorio" and session.date == at("06/03/2020", "09:00")


def test_editing_with_a_wrong_date_changes_nothing(client_as, cmg):
    session = make_session(cmg)
    data = {"number": session.number, "kind": Session.Kind.ORDINARY, "date": "06-03-2020", "place": "Auditorio"}
    response = client_as(cmg).post(reverse("committee:session_edit", args=[session.pk]), data)
    assert response.status_code == 400 and has_field_error(response, "date")
    session.refresh_from_db()
    assert session.place != "Auditorio"


def test_a_reader_cannot_edit_and_a_ut_head_cannot_find_the_session(client_as, cmg, lector, ut_cusco):
    session = make_session(cmg)
    url = reverse("committee:session_edit", args=[session.pk])
    assert client_as(lector).get(url).status_code == 403
    assert client_as(ut_cusco).get(url).status_code == 404


@pytest.mark.django_db
def test_acuerdos_by_status_are_charted_with_the_overdue_apart(client_as, cmg, ut_cusco):
    from collections import Counter

    from actions.models import ActionItem

    def figures(user):
        response = client_as(user).get(reverse("committee:session_list"))
        chart = find(response.content, "figure", data_chart="agreements-by-status")
        values = Counter()
        for r in find_all(chart, "rect"):
            attrs = dict(r.attributes)
            if "data-series" in attrs:
                values[attrs["data-series"]] += float(attrs["data-value"])
        return values, text_of(find(chart, "table"))

    before, _table = figures(cmg)
    session = make_session(cmg)
    agreement(session, cmg, cmg, title="Vencido", due=datetime.date(2020, 4, 30))
    agreement(session, cmg, ut_cusco, title="Cusco, vencido", due=datetime.date(2020, 5, 30))
    on_time = agreement(session, cmg, cmg, title="A tiempo", due=datetime.date(2099, 1, 1))
    ActionItem.objects.filter(pk=on_time.pk).update(status=ActionItem.Status.IN_PROGRESS)

    central, table = figures(cmg)
    assert central["overdue"] - before["overdue"] == 2 and central["on_time"] - before["on_time"] == 1
    assert "Pendiente" in table
