"""Template filters of document control."""

import datetime
from typing import Any

from django import template
from django.utils.safestring import SafeString

from documents.models import VersionStatus

register = template.Library()

BADGES = {
    VersionStatus.DRAFT: "",
    VersionStatus.APPROVED: "ok",
    VersionStatus.CURRENT: "ok",
    VersionStatus.OBSOLETE: "danger",
}


@register.filter
def status_label(value: str) -> str:
    """Label of a version status (Document.status stores one too, without choices)."""
    try:
        return str(VersionStatus(value).label)
    except ValueError:
        return value


@register.filter
def status_badge(value: str) -> str:
    """CSS modifier of the status badge: ok (in force), danger (obsolete), warn (in progress)."""
    return BADGES.get(value, "warn")  # type: ignore[call-overload]


@register.simple_tag
def document_rows(page: Any, today: datetime.date, due_limit: datetime.date) -> SafeString:
    """The master list's rows (documents.rows: written in Python, the same markup the template
    loop wrote)."""
    from documents.rows import DocumentRowWriter

    return DocumentRowWriter(today, due_limit).rows(page)
