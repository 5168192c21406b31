"""Verification with the HMACs computed before the walk, over id ranges (as the worker processes
do from audit.chain.PARALLEL_MIN entries on) reports exactly what the one-pass walk reports."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from audit import chain, guard
from audit.chain import Checkpoint
from audit.models import AuditEvent
from audit.services import Subject, record

pytestmark = pytest.mark.django_db


def _add(n: int) -> list[AuditEvent]:
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(
                record(
                    actor="test",
                    action="update",
                    obj=Subject("test.thing", str(i), f"thing {i}"),
                    changes={"title": [f"old {i}", f"new {i}"], "n": i},
                )
            )
    return out


def _sql(sql: str, params: list) -> None:
    with guard.unguarded(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def before(events: list[AuditEvent]) -> int:
    """Entries the test database already held (migrations, fixtures)."""
    return AuditEvent.objects.filter(id__lt=events[0].pk).count()


def both(**kwargs):
    walk = chain.verify_chain(batch=3, workers=0, **kwargs)
    ranges = chain.verify_chain(batch=3, workers=1, **kwargs)
    assert ranges == walk
    return walk


def test_an_intact_chain_is_intact_both_ways():
    events = _add(12)
    result = both()
    assert result.ok and result.checked == before(events) + 12 and result.last_id == events[-1].pk


@pytest.mark.parametrize("at", [0, 4, 11])
def test_an_altered_entry_is_the_same_first_broken_entry(at):
    events = _add(12)
    _sql("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [events[at].pk])
    _sql("UPDATE audit_auditevent SET object_repr = 'y' WHERE id = %s", [events[-1].pk])
    result = both()
    assert not result.ok and result.broken_id == events[at].pk and result.checked == before(events) + at


def test_a_removed_entry_and_a_rewritten_link():
    events = _add(12)
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [events[6].pk])
    assert both().broken_id == events[7].pk
    _sql("UPDATE audit_auditevent SET prev_hash = hash WHERE id = %s", [events[3].pk])
    result = both()
    assert result.broken_id == events[3].pk and "link" in result.reason


def test_anchors_and_a_start_after_an_anchor():
    events = _add(12)
    anchors = {e.pk: Checkpoint(e.pk, e.hash, "t") for e in (events[2], events[8])}
    assert both(anchors=anchors).ok
    since = both(anchors=anchors, since=anchors[events[8].pk])
    assert since.ok and since.checked == 3 and since.started_after == events[8].pk
    anchors[events[5].pk] = Checkpoint(events[5].pk, "0" * 64, "t")
    assert both(anchors=anchors).broken_id == events[5].pk


def test_a_small_trail_or_a_test_database_is_verified_in_this_process():
    assert chain.parallel_workers(10) == 0
    assert chain.parallel_workers(10**7) == 0  # in-memory SQLite (or inside a transaction)
