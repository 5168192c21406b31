"""Generic create/update helpers for simple records; each area's named services call them so
that every change writes its audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models, transaction

from audit.models import AuditEvent
from audit.services import diff, record, snapshot

M = TypeVar("M", bound=models.Model)


class ServiceError(Exception):
    """A business rule refused the operation; `field` names the offending input when known."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


def lock(obj: M) -> M:
    """Lock `obj`'s row for the rest of the transaction and reload its fields in place, so a
    state check sees what concurrent writers committed and the caller's instance stays current."""
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).first()
    obj.refresh_from_db()
    return obj


def create_record(model: type[M], *, data: dict[str, Any], fields: Iterable[str], by: Any) -> M:
    fields = list(fields)
    with transaction.atomic():
        m2m = {k: data[k] for k in fields if k in data and isinstance(model._meta.get_field(k), models.ManyToManyField)}
        obj = model(**{k: data[k] for k in fields if k in data and k not in m2m})
        obj.full_clean()
        obj.save()
        for name, values in m2m.items():
            getattr(obj, name).set(values)
        record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            obj=obj,
            changes=diff({}, snapshot(obj, [f for f in fields if f not in m2m])),
        )
    return obj


def update_record(obj: M, *, data: dict[str, Any], fields: Iterable[str], by: Any) -> M:
    """Apply the given fields (only those present in `data`), validate, save, audit the diff."""
    fields = [f for f in fields if f in data]
    with transaction.atomic():
        before = snapshot(obj, fields)
        for name in fields:
            setattr(obj, name, data[name])
        changes = diff(before, snapshot(obj, fields))
        if changes:
            obj.full_clean()
            obj.save(update_fields=list(changes))
            record(actor=by, action=AuditEvent.Action.UPDATE, obj=obj, changes=changes)
    return obj
