"""How the audit trail reads to people: the kind of record and its fields by their names in the
user's language ("Solicitud de cambio", "Inicio programado"), choice values by their labels and
dates as dd/mm/aaaa, never `plans.changerequest` or `planned_start`. The stored entry (and its
hash) keeps the technical names; only the page translates them."""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy

# Keys that services write into `changes` without being a field of the record.
EXTRA_FIELDS = {
    "filters": gettext_lazy("filters"),
    "format": gettext_lazy("format"),
    "rows": gettext_lazy("rows"),
    "what": gettext_lazy("what"),
    "read": gettext_lazy("read"),
    "loaded": gettext_lazy("loaded"),
    "failures": gettext_lazy("failures"),
    "seconds": gettext_lazy("seconds"),
    "scope": gettext_lazy("scope"),
    "removed_at": gettext_lazy("removed on"),
    "resolution": gettext_lazy("approving resolution"),
    "endorsed_by_unit": gettext_lazy("endorsed by unit"),
    "attendees": gettext_lazy("attendees"),
    "activities": gettext_lazy("activities"),
    "product": gettext_lazy("product"),
    "session": gettext_lazy("session"),
    "note": gettext_lazy("note"),
    "comment": gettext_lazy("comment"),
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")


@lru_cache(maxsize=512)
def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def record_kind(object_type: str) -> str:
    """ "Solicitud de cambio" for `plans.changerequest` (the technical name when no model has it)."""
    return _record_kind(object_type, get_language())


@lru_cache(maxsize=2048)
def _record_kind(object_type: str, language: str | None) -> str:
    """record_kind per language: it depends only on the code and the catalogues (issue 10: the
    trail's page asked for ~200 of them per request)."""
    model = _model(object_type)
    return str(capfirst(model._meta.verbose_name)) if model is not None else object_type


def _field(object_type: str, name: str) -> models.Field[Any, Any] | None:
    model = _model(object_type)
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(object_type: str, name: str) -> str:
    field = _field(object_type, name)
    if field is not None:
        return str(capfirst(field.verbose_name))
    if name in EXTRA_FIELDS:
        return str(capfirst(EXTRA_FIELDS[name]))
    return name.replace("_", " ").capitalize()


def value_text(object_type: str, name: str, value: Any) -> str:
    """A value as people read it: a choice by its label, a date dd/mm/aaaa, a list joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(gettext_lazy("Yes") if value else gettext_lazy("No"))
    if isinstance(value, list | tuple):
        return ", ".join(value_text(object_type, name, v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(object_type, name, v)}" for k, v in value.items())
    field = _field(object_type, name)
    if field is not None and field.choices:
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, str):
        if ISO_DATE.match(value):
            try:
                return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                return value
        if ISO_DATETIME.match(value):
            try:
                moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    return str(value)


def change_rows(object_type: str, changes: Any) -> list[tuple[str, str, str | None]]:
    """(field label, before, after) per changed field; `after` None when the entry holds one value."""
    if not isinstance(changes, dict):
        return []
    rows: list[tuple[str, str, str | None]] = []
    for name, values in changes.items():
        label = field_label(object_type, str(name))
        if isinstance(values, list) and len(values) == 2:
            rows.append((label, value_text(object_type, name, values[0]), value_text(object_type, name, values[1])))
        else:
            rows.append((label, value_text(object_type, name, values), None))
    return rows


def changed_fields(object_type: str, changes: Any) -> str:
    if not isinstance(changes, dict):
        return ""
    return ", ".join(field_label(object_type, str(name)) for name in changes)


def record_kind_choices() -> list[tuple[str, str]]:
    """The kinds of record of sig's own apps, by name in the user's language (filter of the trail)."""
    return list(_record_kind_choices(get_language()))


@lru_cache(maxsize=16)
def _record_kind_choices(language: str | None) -> tuple[tuple[str, str], ...]:
    """record_kind_choices per language (the models and their names are fixed in a process)."""
    kinds = [
        (f"{m._meta.app_label}.{m._meta.model_name}", record_kind(f"{m._meta.app_label}.{m._meta.model_name}"))
        for m in apps.get_models()
        if not m.__module__.startswith(("django.", "django_")) and not m._meta.auto_created
    ]
    return (("", str(gettext_lazy("All"))), *sorted(kinds, key=lambda kind: kind[1].casefold()))
