"""Issue 10: the audit trail's first page, filtered by action or scoped to a site, is read newest
first from an index: no sort of every entry of that action or site."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import filter_events
from audit.services import Subject, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(db):
    with transaction.atomic():
        for i in range(30):
            action = [AuditEvent.Action.STATE, AuditEvent.Action.UPDATE, AuditEvent.Action.LOGIN][i % 3]
            record(actor=None, action=action, obj=Subject("test", str(i), f"evento {i}"), site_id=None)


def test_the_action_filter_lists_newest_first_from_the_index(events):
    qs = filter_events(AuditEvent.objects.all(), {"action": AuditEvent.Action.STATE})
    ids = [e.pk for e in qs[:50]]
    assert ids == sorted(AuditEvent.objects.filter(action="state").values_list("pk", flat=True), reverse=True)[:50]
    if connection.vendor == "sqlite":
        plan = qs[:50].explain()
        assert "TEMP B-TREE" not in plan, plan


def test_a_sites_entries_list_newest_first_from_the_index(events):
    qs = AuditEvent.objects.filter(site_id__in=[1])[:50]
    assert [e.pk for e in qs] == sorted(
        AuditEvent.objects.filter(site_id__in=[1]).values_list("pk", flat=True), reverse=True
    )[:50]
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in qs.explain()


def _period(first, last):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(first, datetime.time.min, tz),
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tz),
    )


# Days of June 2025 given to the entries in the order they are written: the clock against the ids
# (a clock set back, a restored server); the first and last fall outside June.
SHUFFLED_DAYS = [17, 3, 29, 8, 1, 22, 12, 30, 5, 26, 14, 9, 2, 19, 27, 6, 11, 24, 15, 4, 28, 10, 21, 7, 16, 25]


@pytest.fixture
def shuffled(db, monkeypatch):
    tz = timezone.get_current_timezone()
    stamps = [datetime.datetime(2025, 5, 31, 23, 0, tzinfo=tz)]
    stamps += [datetime.datetime(2025, 6, day, 12, 0, tzinfo=tz) for day in SHUFFLED_DAYS]
    stamps += [datetime.datetime(2025, 7, 1, 0, 0, tzinfo=tz)]
    with transaction.atomic():
        for i, stamp in enumerate(stamps):
            monkeypatch.setattr("audit.services.timezone.now", lambda stamp=stamp: stamp)
            record(actor=None, action=AuditEvent.Action.UPDATE, obj=Subject("shuffled", str(i), f"evento {i}"))
    return AuditEvent.objects.filter(object_type="shuffled")


@pytest.mark.parametrize(
    "first,last",
    [
        (datetime.date(2025, 6, 1), datetime.date(2025, 6, 30)),
        (datetime.date(2025, 6, 5), datetime.date(2025, 6, 12)),
        (datetime.date(2025, 6, 29), datetime.date(2025, 7, 1)),
        (datetime.date(2025, 5, 31), datetime.date(2025, 5, 31)),
        (datetime.date(2025, 6, 13), datetime.date(2025, 6, 13)),
    ],
)
def test_a_period_lists_the_same_entries_newest_first_when_ids_do_not_follow_the_clock(shuffled, first, last):
    """A period is bounded by the first and last id written in it (read off the timestamp index)
    so its page walks the primary key; the timestamp condition still decides which entries."""
    start, end = _period(first, last)
    cases = [
        ({"date_from": first, "date_to": last}, Q(timestamp__gte=start, timestamp__lt=end)),
        ({"date_from": first}, Q(timestamp__gte=start)),
        ({"date_to": last}, Q(timestamp__lt=end)),
    ]
    for data, condition in cases:
        expected = list(shuffled.filter(condition).order_by("-id").values_list("pk", flat=True))
        qs = filter_events(shuffled, data)
        assert [e.pk for e in qs] == expected, data
        assert qs.count() == len(expected)


def test_a_period_without_entries_lists_none(shuffled):
    qs = filter_events(shuffled, {"date_from": datetime.date(1990, 1, 1), "date_to": datetime.date(1990, 12, 31)})
    assert list(qs) == [] and qs.count() == 0


def test_a_period_lists_newest_first_from_the_primary_key(shuffled):
    qs = filter_events(shuffled, {"date_from": datetime.date(2025, 6, 1), "date_to": datetime.date(2025, 6, 30)})
    assert len(qs[:50]) == len(SHUFFLED_DAYS)
    if connection.vendor == "sqlite":
        plan = qs[:50].explain()
        assert "TEMP B-TREE" not in plan and "rowid>?" in plan, plan
