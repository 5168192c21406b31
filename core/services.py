"""Generic create/update helpers for simple records; each area's named services call them so
that every change writes its audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext as _

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


def require_unique_code(obj: models.Model, field: str = "code", scope: Iterable[str] = ()) -> None:
    """Codes are unique ignoring case ("sec-01" and "SEC-01" are one code); a ServiceError naming
    the field otherwise."""
    value = getattr(obj, field, None)
    if not value:
        return
    lookup = {f"{field}__iexact": value, **{name: getattr(obj, name) for name in scope}}
    taken = type(obj)._default_manager.filter(**lookup)
    if obj.pk is not None:
        taken = taken.exclude(pk=obj.pk)
    if taken.exists():
        raise ServiceError(
            _("Another record already has the code %(code)s (codes are compared ignoring case).") % {"code": value},
            field=field,
        )


def _unique_code_field(model: type[models.Model]) -> str | None:
    try:
        field = model._meta.get_field("code")
    except FieldDoesNotExist:
        return None
    return "code" if getattr(field, "unique", False) else None


def create_record(model: type[M], *, data: dict[str, Any], fields: Iterable[str], by: Any) -> M:
    fields = list(fields)
    with transaction.atomic():
        m2m = {k: data[k] for k in fields if k in data and isinstance(model._meta.get_field(k), models.ManyToManyField)}
        obj = model(**{k: data[k] for k in fields if k in data and k not in m2m})
        if _unique_code_field(model):
            require_unique_code(obj)
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
            if "code" in changes and _unique_code_field(type(obj)):
                require_unique_code(obj)
            obj.full_clean()
            obj.save(update_fields=list(changes))
            record(actor=by, action=AuditEvent.Action.UPDATE, obj=obj, changes=changes)
    return obj
