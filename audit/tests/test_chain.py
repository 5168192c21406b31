"""The keyed chain, the append-only table and the anchors. The tampering variants themselves
(an attacker who can write to the database) are in tests/security/test_audit_tampering.py."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit import guard
from audit.anchors import read_anchors, write_anchor
from audit.chain import event_hash
from audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from audit.services import Subject, record, record_read, verify_chain


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


def _sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def anchor_file(settings, tmp_path):
    settings.SIG_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    return tmp_path / "anchors.jsonl"


@pytest.mark.django_db
def test_each_entry_carries_the_hash_of_the_previous_one_and_consecutive_numbers():
    events = _add(3)
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert [e.pk for e in events] == [events[0].pk, events[0].pk + 1, events[0].pk + 2]
    assert verify_chain().ok


@pytest.mark.django_db
def test_the_hash_is_keyed(settings):
    event = _add(1)[0]
    assert event_hash(event) == event.hash
    settings.SIG_AUDIT_KEY = "another key"
    assert event_hash(event) != event.hash
    assert not verify_chain().ok


@pytest.mark.django_db
def test_verify_audit_exits_zero_when_intact(capsys):
    _add(2)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET object_repr = 'changed' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_entries(sql):
    event = _add(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).object_repr == event.object_repr


@pytest.mark.django_db
def test_the_database_refuses_to_truncate_the_table():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite's unqualified DELETE is covered above)")
    _add(1)
    _sql("SET CONSTRAINTS ALL IMMEDIATE", [])  # no pending foreign-key checks in the test's transaction
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("TRUNCATE audit_auditevent CASCADE", [])


@pytest.mark.django_db
def test_the_guard_is_installed_by_the_migrations():
    assert guard.installed(connection)


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


@pytest.mark.django_db
def test_a_moved_head_row_does_not_misplace_the_next_entry():
    events = _add(2)
    AuditChainHead.objects.filter(pk=1).update(last_id=1, last_hash=GENESIS_HASH)
    new = _add(1)[0]
    assert new.pk == events[-1].pk + 1 and new.prev_hash == events[-1].hash
    assert verify_chain().ok


@pytest.mark.django_db
def test_record_read_writes_a_read_entry(cmg):
    event = record_read(cmg, Subject("documents.document", "7", "PNADP-X"), "file", version=2)
    assert event.action == AuditEvent.Action.READ
    assert event.changes == {"read": "file", "version": 2}
    assert event.actor == cmg


# --- anchors ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_intact_verify_appends_an_anchor_and_logs_it(anchor_file, caplog):
    events = _add(2)
    with caplog.at_level("INFO", logger="sig.audit"):
        call_command("verify_audit")
    line = json.loads(anchor_file.read_text().splitlines()[-1])
    assert (line["seq"], line["hash"], line["source"]) == (events[-1].pk, events[-1].hash, "verify")
    assert f"seq={events[-1].pk}" in caplog.text


@pytest.mark.django_db
def test_a_broken_verify_writes_no_anchor(anchor_file):
    events = _add(2)
    with guard.unguarded():
        _sql("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [events[0].pk])
    with pytest.raises(CommandError) as exc:
        call_command("verify_audit")
    assert exc.value.returncode == 1
    assert f"#{events[0].pk}" in str(exc.value)
    assert not anchor_file.exists()


@pytest.mark.django_db
def test_the_start_up_command_anchors_the_head(anchor_file, capsys):
    event = _add(1)[0]
    call_command("anchor_audit")
    assert read_anchors()[-1].seq == event.pk
    assert str(event.pk) in capsys.readouterr().out


@pytest.mark.django_db
def test_the_worker_anchors_only_when_the_head_moved(anchor_file):
    from audit.tasks import anchor_audit_head

    _add(1)
    first = anchor_audit_head.call()
    assert first > 0
    assert anchor_audit_head.call() == -1  # nothing new: no second line
    assert len(read_anchors()) == 1


@pytest.mark.django_db
def test_writing_entries_queues_the_anchoring_job(anchor_file, monkeypatch, django_capture_on_commit_callbacks):
    """While entries are written, the worker's job anchors the head (the test backend runs jobs
    inline, at commit)."""
    from audit import anchors

    monkeypatch.setattr(anchors, "_next_due", 0.0)
    with django_capture_on_commit_callbacks(execute=True):
        event = _add(1)[0]
    assert read_anchors()[-1].seq == event.pk
    with django_capture_on_commit_callbacks(execute=True):
        _add(1)  # within the interval: no second job
    assert len(read_anchors()) == 1


@pytest.mark.django_db
def test_verify_since_the_latest_anchor_rehashes_only_what_follows(anchor_file):
    events = _add(3)
    write_anchor("test", (events[1].pk, events[1].hash))
    result = verify_chain(since_anchor=True)
    assert result.ok and result.checked == 1 and result.started_after == events[1].pk
    # An alteration before the anchor is the full verification's to find.
    with guard.unguarded():
        _sql("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [events[0].pk])
    assert verify_chain(since_anchor=True).ok
    assert verify_chain().broken_id == events[0].pk


@pytest.mark.django_db
def test_verify_since_an_anchor_whose_entry_changed_fails(anchor_file):
    events = _add(2)
    write_anchor("test", (events[0].pk, events[0].hash))
    with guard.unguarded():
        _sql("UPDATE audit_auditevent SET object_repr = 'x' WHERE id = %s", [events[0].pk])
    result = verify_chain(since_anchor=True)
    assert not result.ok and result.broken_id == events[0].pk


@pytest.mark.django_db
def test_an_unreadable_anchor_file_fails_verification_with_one_line(anchor_file):
    _add(1)
    anchor_file.write_text("not an anchor\n")
    with pytest.raises(CommandError, match="line 1 of the anchor file"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_anchors_are_mailed_to_the_auditors_when_configured(anchor_file, settings, mailoutbox):
    settings.SIG_AUDIT_ANCHOR_EMAIL = ["auditoria@juntos.gob.pe"]
    event = _add(1)[0]
    call_command("verify_audit")
    assert mailoutbox[-1].to == ["auditoria@juntos.gob.pe"]
    assert event.hash in mailoutbox[-1].body
