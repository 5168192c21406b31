"""Writing and verifying the audit trail. Every service function that changes data calls
`record()` inside its own transaction, so the change and its entry commit together."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

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
        # SQLite already serialises writers (transaction_mode=IMMEDIATE).
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
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
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.last_id = event.pk
        head.last_hash = event.hash
        head.save(update_fields=["last_id", "last_hash"])
    return event


def record_create(actor: Any, obj: models.Model, fields: Iterable[str]) -> AuditEvent:
    return record(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, changes=diff({}, snapshot(obj, fields)))


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify_chain(batch: int = 2000) -> VerifyResult:
    """Walk the chain in id order; report the first entry whose hash or link is wrong."""
    prev = GENESIS_HASH
    checked = 0
    last_id = 0
    qs = AuditEvent.objects.order_by("id")
    while True:
        rows = list(qs.filter(id__gt=last_id)[:batch])
        if not rows:
            break
        for ev in rows:
            if ev.prev_hash != prev:
                return VerifyResult(
                    False, checked, ev.pk, "previous-hash link broken (an earlier entry was removed or altered)"
                )
            if ev.compute_hash() != ev.hash:
                return VerifyResult(False, checked, ev.pk, "content does not match its hash (entry altered)")
            prev = ev.hash
            last_id = ev.pk
            checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != last_id or head.last_hash != prev):
        return VerifyResult(
            False,
            checked,
            head.last_id,
            f"entries after #{last_id} are missing (the chain head expects #{head.last_id})",
        )
    return VerifyResult(True, checked)
