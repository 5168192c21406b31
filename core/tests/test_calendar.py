"""The business-day calendar of legal clocks, and the page where the coordinator keeps the days
registered as non-working."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core import calendar
from core.deadlines import DueState, due_state
from core.models import NonWorkingDay
from core.testing import last_event

pytestmark = pytest.mark.django_db

D = datetime.date


def test_weekends_and_national_holidays_are_not_business_days():
    assert calendar.is_business_day(D(2026, 7, 27))  # Monday
    assert not calendar.is_business_day(D(2026, 7, 25))  # Saturday
    assert not calendar.is_business_day(D(2026, 7, 28))  # Fiestas Patrias
    assert not calendar.is_business_day(D(2026, 12, 8))  # Inmaculada Concepción


def test_a_term_skips_weekends_and_holidays_and_does_not_count_its_first_day():
    # Friday 24/07 + 3 business days: Mon 27, (Tue 28 and Wed 29 holidays), Thu 30, Fri 31.
    assert calendar.add_business_days(D(2026, 7, 24), 3) == D(2026, 7, 31)
    assert calendar.add_business_days(D(2026, 7, 24), 0) == D(2026, 7, 24)
    assert calendar.business_days_between(D(2026, 7, 24), D(2026, 7, 31)) == 3


def test_a_registered_day_stops_the_clock_until_it_is_withdrawn(cmg):
    day = calendar.add_non_working_day(
        data={"date": D(2026, 7, 27), "kind": "decreed", "description": "Día no laborable", "legal_basis": "D.S. 1"},
        by=cmg,
    )
    assert not calendar.is_business_day(D(2026, 7, 27))
    assert calendar.add_business_days(D(2026, 7, 24), 3) == D(2026, 8, 3)
    calendar.withdraw_non_working_day(day, by=cmg)
    assert calendar.is_business_day(D(2026, 7, 27))
    assert last_event("core.nonworkingday").action == "delete"


def test_clocks_run_in_hours_or_to_the_end_of_the_last_business_day():
    start = timezone.make_aware(datetime.datetime(2026, 7, 24, 9, 30))
    assert calendar.deadline(start, hours=48) == start + datetime.timedelta(hours=48)
    end = timezone.localtime(calendar.deadline(start, business_days=3))
    assert (end.date(), end.hour, end.minute) == (D(2026, 7, 31), 23, 59)
    with pytest.raises(ValueError):
        calendar.deadline(start)
    with pytest.raises(ValueError):
        calendar.add_business_days(D(2026, 1, 1), 10**9)


def test_due_soon_and_overdue_mean_the_same_everywhere():
    today = D(2026, 3, 10)
    assert due_state(D(2026, 3, 9), today) is DueState.OVERDUE
    assert due_state(D(2026, 3, 10), today) is DueState.SOON
    assert due_state(D(2026, 4, 9), today) is DueState.SOON
    assert due_state(D(2026, 4, 10), today) is DueState.ON_TIME
    assert due_state(D(2026, 3, 1), today, closed=True) is None
    assert due_state(None, today) is None


def test_the_coordinator_registers_a_day_and_sees_it_in_the_calendar(client_as, cmg):
    client = client_as(cmg)
    response = client.post(
        "/calendario/", {"date": "2026-07-27", "kind": "decreed", "description": "Día no laborable", "legal_basis": ""}
    )
    assert response.status_code == 302
    page = client.get("/calendario/?year=2026")
    assert b'data-date="2026-07-27"' in page.content
    assert "Fiestas Patrias" in page.content.decode() or "Independencia" in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2026-07-28", "kind": "decreed", "description": "Ya es feriado"},
        {"date": "9999-12-31", "kind": "decreed", "description": "Muy lejos"},
        {"date": "2026-07-27", "kind": "decreed", "description": ""},
        {"date": "no es fecha", "kind": "decreed", "description": "x"},
    ],
)
def test_a_bad_day_is_refused_with_a_field_error_and_nothing_is_stored(client_as, cmg, data):
    response = client_as(cmg).post("/calendario/", data)
    assert response.status_code == 400
    assert b"has-error" in response.content or b"errorlist" in response.content
    assert not NonWorkingDay.objects.exists()


def test_readers_see_the_calendar_but_cannot_register_days(client_as, lector, ut_cusco):
    assert client_as(lector).get("/calendario/").status_code == 200
    assert b'name="description"' not in client_as(lector).get("/calendario/").content
    response = client_as(ut_cusco).post("/calendario/", {"date": "2026-07-27", "kind": "decreed", "description": "x"})
    assert response.status_code == 403
    assert not NonWorkingDay.objects.exists()


def test_people_without_a_role_get_404(client_as, no_role_user):
    assert client_as(no_role_user).get("/calendario/").status_code == 404
