"""CappedPaginator: the same pages as Django's Paginator, a count that stops at the cap."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import transaction

from audit.models import AuditEvent
from audit.services import Subject, record
from core.pagination import CappedPaginator, capped_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(db):
    with transaction.atomic():
        for i in range(23):
            record(actor=None, action=AuditEvent.Action.STATE, obj=Subject("test", str(i), f"evento {i}"))
    return AuditEvent.objects.order_by("-id")


def test_the_count_stops_past_the_cap(events):
    total = events.count()
    assert capped_count(events, cap=5) == 6
    assert capped_count(events, cap=total) == total
    paginator = CappedPaginator(events, 5)
    paginator.cap = 10
    assert paginator.capped and paginator.count == 11
    exact = CappedPaginator(events, 5)
    exact.cap = total
    assert not exact.capped and exact.count == total


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, "x", None, 99])
def test_every_page_holds_the_rows_of_django_s_paginator(events, number):
    capped = CappedPaginator(events, 5)
    capped.cap = 10
    plain = Paginator(events, 5)
    got, want = capped.get_page(number), plain.get_page(number)
    assert [e.pk for e in got] == [e.pk for e in want]
    assert got.number == want.number
    assert got.has_previous() == want.has_previous()
    if got.number < 3:  # within the cap: more pages follow, whatever their number
        assert got.has_next() and capped.capped
    else:  # past the cap: counted exactly
        assert got.has_next() == want.has_next()
        assert capped.count == plain.count and not capped.capped
