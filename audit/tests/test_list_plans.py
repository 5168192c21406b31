"""Issue 10: the audit trail's first page, filtered by action or scoped to a site, is read newest
first from an index: no sort of every entry of that action or site."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

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
