from typing import Any

from django import template

from audit import labels

register = template.Library()


@register.filter
def record_kind(object_type: str) -> str:
    return labels.record_kind(object_type)


@register.filter
def changed_fields(event: Any) -> str:
    return labels.changed_fields(event.object_type, event.changes)


@register.filter
def change_rows(event: Any) -> list[tuple[str, str, str | None]]:
    return labels.change_rows(event.object_type, event.changes)


@register.simple_tag
def audit_rows(page: Any) -> Any:
    """The trail's rows (audit.rows: written in Python, the markup the template loop wrote)."""
    from audit.rows import EventRowWriter

    return EventRowWriter().rows(page)
