"""Tampering with the audit trail as a database writer would (issue 7, point 3).

Each variant runs against a trail of five entries whose head was anchored outside the database
before the attack; `verify-audit` must report every one of them. The attacker lifts the
append-only triggers first (audit.guard.unguarded: they own the table), so what is tested is
the chain and the anchors, not the triggers (audit/tests/test_chain.py covers those)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from audit import guard
from audit.anchors import write_anchor
from audit.chain import CHAIN_FIELDS, audit_key, entry_hash
from audit.models import AuditEvent
from audit.services import Subject, record, verify_chain

pytestmark = pytest.mark.django_db


def _sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _rows(after: int) -> list[tuple[Any, ...]]:
    return list(AuditEvent.objects.filter(id__gt=after).order_by("id").values_list(*CHAIN_FIELDS, "hash"))


def _rechain(after: int, key: bytes | None, start_prev: str | None = None) -> None:
    """Recompute the hashes of every entry after `after` as an attacker would: with the real
    key (`key`), or with the app's former unkeyed SHA-256 when `key` is None."""
    rows = _rows(after)
    prev = start_prev if start_prev is not None else AuditEvent.objects.get(id=after).hash
    for row in rows:
        fields = (*row[:-2], prev)
        if key is None:
            digest = hashlib.sha256(repr(fields).encode()).hexdigest()
        else:
            digest = entry_hash(key, fields)
        _sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, row[0]])
        prev = digest


def edit_a_middle_entry(ids: list[int]) -> None:
    _sql("UPDATE audit_auditevent SET object_repr = 'nada que ver' WHERE id = %s", [ids[2]])


def edit_and_recompute_without_the_key(ids: list[int]) -> None:
    _sql("UPDATE audit_auditevent SET changes = %s WHERE id = %s", ['{"amount": ["1", "1000000"]}', ids[1]])
    _rechain(ids[0], key=None)


def edit_and_recompute_with_a_guessed_key(ids: list[int]) -> None:
    _sql("UPDATE audit_auditevent SET actor_label = 'otra persona' WHERE id = %s", [ids[1]])
    _rechain(ids[0], key=b"juntos2020")


def delete_a_middle_entry(ids: list[int]) -> None:
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [ids[2]])


def swap_two_entries(ids: list[int]) -> None:
    a, b = (AuditEvent.objects.get(id=i) for i in (ids[1], ids[2]))
    _sql("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", [b.object_repr, a.pk])
    _sql("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", [a.object_repr, b.pk])


def move_the_last_entry(ids: list[int]) -> None:
    _sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [ids[-1] + 10, ids[-1]])


def renumber_an_entry_into_a_gap(ids: list[int]) -> None:
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [ids[2]])
    _sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [ids[2], ids[3]])


def append_a_forged_entry_without_the_key(ids: list[int]) -> None:
    last = AuditEvent.objects.get(id=ids[-1])
    _sql(
        "INSERT INTO audit_auditevent (id, timestamp, actor_label, action, object_type, object_id, object_repr, "
        "changes, prev_hash, hash) VALUES (%s, %s, 'admin', 'login', 'accounts.user', '1', 'admin', '{}', %s, %s)",
        [last.pk + 1, last.timestamp, last.hash, hashlib.sha256(b"forged").hexdigest()],
    )


def truncate_the_tail_and_move_the_head(ids: list[int]) -> None:
    kept = AuditEvent.objects.get(id=ids[2])
    _sql("DELETE FROM audit_auditevent WHERE id > %s", [kept.pk])
    _sql("UPDATE audit_auditchainhead SET last_id = %s, last_hash = %s", [kept.pk, kept.hash])


def truncate_the_tail_and_delete_the_head(ids: list[int]) -> None:
    _sql("DELETE FROM audit_auditevent WHERE id > %s", [ids[1]])
    _sql("DELETE FROM audit_auditchainhead", [])


def with_the_key_rewrite_an_anchored_entry(ids: list[int]) -> None:
    _sql("UPDATE audit_auditevent SET object_repr = 'reescrito' WHERE id = %s", [ids[1]])
    _rechain(ids[0], key=audit_key())
    _sql("UPDATE audit_auditchainhead SET last_hash = (SELECT hash FROM audit_auditevent WHERE id = %s)", [ids[-1]])


def with_the_key_truncate_past_the_anchor(ids: list[int]) -> None:
    truncate_the_tail_and_move_the_head(ids)


def with_the_key_replace_the_whole_trail(ids: list[int]) -> None:
    _sql("UPDATE audit_auditevent SET object_repr = 'todo nuevo' WHERE id >= %s", [ids[0]])
    first = AuditEvent.objects.filter(id__lt=ids[0]).order_by("-id").values_list("hash", flat=True).first()
    _rechain(ids[0] - 1, key=audit_key(), start_prev=first or "0" * 64)


VARIANTS: list[Callable[[list[int]], None]] = [
    edit_a_middle_entry,
    edit_and_recompute_without_the_key,
    edit_and_recompute_with_a_guessed_key,
    delete_a_middle_entry,
    swap_two_entries,
    move_the_last_entry,
    renumber_an_entry_into_a_gap,
    append_a_forged_entry_without_the_key,
    truncate_the_tail_and_move_the_head,
    truncate_the_tail_and_delete_the_head,
    with_the_key_rewrite_an_anchored_entry,
    with_the_key_truncate_past_the_anchor,
    with_the_key_replace_the_whole_trail,
]


@pytest.fixture
def anchored_trail(settings, tmp_path) -> list[int]:
    settings.SIG_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    ids = []
    for i in range(5):
        with transaction.atomic():
            event = record(actor="test", action="update", obj=Subject("test.thing", str(i), f"cosa {i}"))
        ids.append(event.pk)
    assert verify_chain().ok
    write_anchor("test")
    return ids


@pytest.mark.parametrize("tamper", VARIANTS, ids=lambda f: f.__name__)
def test_verify_audit_reports_every_tampering_variant(anchored_trail, tamper):
    with guard.unguarded():
        tamper(anchored_trail)
    result = verify_chain()
    assert not result.ok, tamper.__name__
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert exc.value.returncode == 1
    assert "broken at entry #" in str(exc.value)


def test_the_untouched_trail_verifies(anchored_trail):
    assert verify_chain().ok
    call_command("verify_audit")
