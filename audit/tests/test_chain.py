import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from audit.models import AuditChainHead, AuditEvent
from audit.services import Subject, record, verify_chain


def _add(n: int) -> list[AuditEvent]:
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(
                record(
                    actor="test",
                    action="update",
                    obj=Subject("test.thing", str(i), f"thing {i}"),
                    changes={"title": [f"old {i}", f"new {i}"]},
                )
            )
    return out


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_each_entry_carries_the_hash_of_the_previous_one():
    events = _add(3)
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert verify_chain().ok


@pytest.mark.django_db
def test_verify_audit_exits_zero_when_intact(capsys):
    _add(2)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_audit_names_the_first_altered_entry():
    events = _add(4)
    _raw("UPDATE audit_auditevent SET changes = %s WHERE id = %s", ['{"title": ["x", "y"]}', events[1].pk])
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert exc.value.returncode == 1
    assert f"#{events[1].pk}" in str(exc.value)


@pytest.mark.django_db
def test_verify_audit_detects_a_removed_entry_in_the_middle():
    events = _add(4)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = verify_chain()
    assert not result.ok and result.broken_id == events[2].pk


@pytest.mark.django_db
def test_verify_audit_detects_entries_removed_from_the_end():
    events = _add(3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    result = verify_chain()
    assert not result.ok and result.broken_id == events[-1].pk


@pytest.mark.django_db
def test_a_recomputed_hash_still_breaks_the_link_to_the_next_entry():
    events = _add(3)
    forged = AuditEvent.objects.get(pk=events[0].pk)
    forged.changes = {"title": ["forged", "forged"]}
    _raw(
        "UPDATE audit_auditevent SET changes = %s, hash = %s WHERE id = %s",
        ['{"title": ["forged", "forged"]}', forged.compute_hash(), events[0].pk],
    )
    result = verify_chain()
    assert not result.ok and result.broken_id == events[1].pk


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    event = _add(1)[0]
    event.object_repr = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


@pytest.mark.django_db
def test_the_head_follows_the_last_entry():
    events = _add(2)
    head = AuditChainHead.objects.get(pk=1)
    assert head.last_id == events[-1].pk and head.last_hash == events[-1].hash
