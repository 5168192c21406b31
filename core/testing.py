"""Test helpers shared by every area's tests."""

from __future__ import annotations

from typing import Any

from audit.models import AuditEvent


def last_event(object_type: str | None = None) -> AuditEvent | None:
    qs = AuditEvent.objects.order_by("-id")
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs.first()


def event_count() -> int:
    return AuditEvent.objects.count()


def bearer(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
