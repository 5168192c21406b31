"""Dashboard panels. Each area contributes a small, cheap summary for the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import AUDIT_TRAIL_READERS
from audit.access import audit_events_visible_to
from core.access import get_scope
from organization.models import ManagementSystem, Process, Site

PANEL_ROWS = 5


def build(user: Any) -> list[dict[str, Any]]:
    scope = get_scope(user)
    systems = list(ManagementSystem.objects.select_related("edition").order_by("order"))
    process_counts = dict(Process.objects.filter(is_active=True).values_list("type").annotate(n=Count("id")))
    panels: list[dict[str, Any]] = [
        {
            "title": _("Management systems"),
            "kind": "systems",
            "items": systems,
            "url": reverse("organization:system_list"),
        },
        {
            "title": _("Process map"),
            "kind": "counts",
            "items": [
                (_("Strategic"), process_counts.get(Process.Type.STRATEGIC, 0)),
                (_("Mission (core)"), process_counts.get(Process.Type.MISSION, 0)),
                (_("Support"), process_counts.get(Process.Type.SUPPORT, 0)),
            ],
            "url": reverse("organization:process_map"),
        },
        {
            "title": _("Sites"),
            "kind": "counts",
            "items": [
                (_("Head office"), Site.objects.filter(kind=Site.Kind.CENTRAL, is_active=True).count()),
                (_("Territorial units"), Site.objects.filter(kind=Site.Kind.TERRITORIAL, is_active=True).count()),
            ],
            "url": reverse("organization:site_list"),
        },
    ]
    if scope.roles:
        panels.append(_documents_panel(user))
        plans_panel = _plans_panel(user)
        if plans_panel is not None:
            panels.append(plans_panel)
    if scope.has_any(AUDIT_TRAIL_READERS):
        panels.append(
            {
                "title": _("Latest changes"),
                "kind": "events",
                "items": list(audit_events_visible_to(user)[:5]),
                "url": reverse("audit:event_list"),
            }
        )
    return panels


def _documents_panel(user: Any) -> dict[str, Any]:
    """Document reviews due within 30 days or overdue, and versions waiting for the user's step
    (review, endorsement, approval, publication). Five queries whatever the numbers."""
    from documents.access import documents_visible_to
    from documents.selectors import reviews_due, versions_awaiting

    today = timezone.localdate()
    due = reviews_due(documents_visible_to(user), today)
    awaiting = versions_awaiting(user)
    return {
        "title": _("Documents"),
        "kind": "documents",
        "due": [(d, d.next_review_on is not None and d.next_review_on < today) for d in due[:PANEL_ROWS]],
        "due_count": due.count(),
        "due_url": reverse("documents:document_list") + "?review=due",
        "awaiting": list(awaiting[:PANEL_ROWS]),
        "awaiting_count": awaiting.count(),
        "url": reverse("documents:document_list"),
    }


def _plans_panel(user: Any) -> dict[str, Any] | None:
    """The latest open plans: progress, delayed activities, next deadlines, overdue acuerdos.
    Three queries whatever the size of the plans (plans.selectors.home_panel)."""
    from plans.selectors import home_panel

    return home_panel(user)
