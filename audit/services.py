"""Writing and verifying the audit trail. Every service function that changes data calls
`record()` inside its own transaction, so the change and its entry commit together; views that
show or hand out a sensitive record call `record_read()`."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from audit import anchors
from audit.chain import Checkpoint, VerifyResult, audit_key, event_hash
from audit.chain import verify_chain as _verify_chain
from audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from core.request_context import current_ip

_MISSING = object()


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Current values of `fields` (FKs by id) for a later `diff()`."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _jsonable(getattr(obj, attname, None))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k, _MISSING) != after[k]}


@dataclass(frozen=True)
class Subject:
    """What an entry is about when it is not a model instance (e.g. a failed login)."""

    object_type: str
    object_id: str = ""
    object_repr: str = ""


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | Subject,
    changes: dict[str, Any] | None = None,
    site_id: int | None = None,
) -> AuditEvent:
    """Append one entry to the chain. Must run inside the caller's transaction."""
    if isinstance(obj, Subject):
        object_type, object_id, object_repr = obj.object_type, obj.object_id, obj.object_repr
    else:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        object_repr = str(obj)[:300]
        if site_id is None:
            site_id = getattr(obj, "audit_site_id", None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        # The head row is the chain's lock: PostgreSQL blocks concurrent appenders on it,
        # SQLite already serialises writers (transaction_mode=IMMEDIATE). The link and the
        # sequence come from the last entry itself, not from the head row a writer could move.
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        event = AuditEvent(
            id=seq,
            timestamp=timezone.now(),
            actor=user,
            actor_label=(user.get_username() if user else str(actor or ""))[:150],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            site_id=site_id,
            changes=_jsonable(changes or {}),
            ip_address=current_ip(),
            prev_hash=prev,
        )
        event.hash = event_hash(event, audit_key())
        event.save(force_insert=True)
        head.last_id = event.pk
        head.last_hash = event.hash
        head.save(update_fields=["last_id", "last_hash"])
        transaction.on_commit(anchors.schedule_anchor)
    return event


def record_read(actor: Any, obj: models.Model | Subject, what: str, **details: Any) -> AuditEvent:
    """Log that `actor` read a sensitive record (a READ entry): `what` names the part read
    ("detail", "version", "file", "controlled_copy", "export"…); `details` add context."""
    with transaction.atomic():
        return record(actor=actor, action=AuditEvent.Action.READ, obj=obj, changes={"read": what, **details})


def record_create(actor: Any, obj: models.Model, fields: Iterable[str]) -> AuditEvent:
    return record(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, changes=diff({}, snapshot(obj, fields)))


class AuditVerifyError(Exception):
    """The trail cannot be checked against its anchors (unreadable or contradictory anchor file)."""


def verify_chain(*, since_anchor: bool = False, batch: int = 20_000) -> VerifyResult:
    """Verify the chain against every anchor written outside the database. With `since_anchor`,
    only the entries after the latest anchor are re-hashed (the anchored entry must still carry
    the anchored hash)."""
    try:
        known = anchors.read_anchors()
        by_seq = anchors.anchor_map(known)
    except anchors.AnchorFileError as exc:
        raise AuditVerifyError(str(exc)) from None
    since: Checkpoint | None = known[-1] if since_anchor and known else None
    return _verify_chain(by_seq, since=since, batch=batch)


def verify_and_anchor(*, since_anchor: bool = False) -> VerifyResult:
    """`verify-audit`: verify, and anchor the head when the trail is intact."""
    result = verify_chain(since_anchor=since_anchor)
    if result.ok:
        anchors.write_anchor("verify", (result.last_id, result.last_hash))
    return result


__all__ = [
    "AuditVerifyError",
    "Subject",
    "VerifyResult",
    "diff",
    "record",
    "record_create",
    "record_read",
    "snapshot",
    "verify_and_anchor",
    "verify_chain",
]
