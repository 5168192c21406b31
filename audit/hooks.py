"""What the audit trail contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import AUDIT_TRAIL_READERS
from core import registry


def _readers(scope: Any) -> bool:
    return scope.has_any(AUDIT_TRAIL_READERS)


def _events_panel(user: Any) -> dict[str, Any] | None:
    from django.db.models import Value
    from django.db.models.functions import Concat

    from audit.access import audit_events_visible_to
    from audit.models import AuditEvent
    from core.access import get_scope

    if not _readers(get_scope(user)):
        return None
    # Changes to records, not logins and exports: what a reader wants to see first. The action
    # is compared through an expression the action index cannot answer: the database then reads
    # the trail from the newest entry down and stops at the fifth change, instead of sorting
    # every change ever recorded (issue 10: a sort of half the trail at every home page).
    changes = (
        audit_events_visible_to(user)
        .alias(kind=Concat("action", Value("")))
        .filter(
            kind__in=[
                AuditEvent.Action.CREATE,
                AuditEvent.Action.UPDATE,
                AuditEvent.Action.STATE,
                AuditEvent.Action.DELETE,
            ]
        )
    )
    return {"title": _("Latest changes"), "items": list(changes[:5]), "url": reverse("audit:event_list")}


def register() -> None:
    registry.register_nav(
        registry.NavItem("audit", "admin", gettext_lazy("Audit trail"), "audit:event_list", 10, _readers)
    )
    registry.register_panel(registry.Panel("audit.events", "audit/panels/_events.html", _events_panel, 950))
