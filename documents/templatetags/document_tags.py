"""Template filters of document control."""

from django import template

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
