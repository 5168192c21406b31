"""What the development plan contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry


def _plans_panel(user: Any) -> dict[str, Any] | None:
    """The latest open plans: progress, delayed activities, next deadlines, overdue acuerdos.
    Three queries whatever the size of the plans (plans.selectors.home_panel)."""
    from core.access import get_scope
    from plans.selectors import home_panel

    if not get_scope(user).roles:
        return None
    return home_panel(user)


def _load_demo() -> dict[str, Any]:
    from plans import demo

    return demo.load()


def register() -> None:
    registry.register_nav(
        registry.NavItem("plans", "planning", _("Plans"), "plans:plan_list", 10, lambda scope: scope.authenticated)
    )
    registry.register_panel(registry.Panel("plans", "plans/panels/_plans.html", _plans_panel, 30))
    registry.register_demo(registry.DemoLoader("plans", _load_demo, 60))
    registry.register_pending(registry.PendingSource("plans", _pending, 30))


PENDING_ROWS = 50


def _pending(user: Any) -> list[registry.PendingItem]:
    """Plans awaiting the Director's approval and change requests awaiting the Committee's
    review, the Director's decision or their communications, from the workflow tables."""
    from plans import workflows
    from plans.access import plans_visible_to
    from plans.models import ChangeRequest, Plan

    area = _("Plans")
    items: list[registry.PendingItem] = []
    plan_states = workflows.PLAN.waiting_states(user) - {Plan.Status.APPROVED, Plan.Status.DRAFT}
    for plan in plans_visible_to(user).filter(status__in=plan_states).order_by("-year")[:PENDING_ROWS]:
        actions = [t.label for t in workflows.PLAN.offered(user, plan)]
        if actions:
            items.append(
                registry.PendingItem(area, str(plan), actions[0], plan.get_absolute_url(), sort_key=(1, plan.pk))
            )
    cr_states = workflows.CHANGE_REQUEST.waiting_states(user)
    requests = (
        ChangeRequest.objects.filter(plan__in=plans_visible_to(user), status__in=cr_states)
        .exclude(status=ChangeRequest.Status.APPROVED, oficio_dgcgps__gt="", memorando_multiple__gt="")
        .select_related("plan")
        .order_by("proposed_at")[:PENDING_ROWS]
    )
    for cr in requests:
        offered = workflows.CHANGE_REQUEST.offered(user, cr)
        if offered:
            items.append(
                registry.PendingItem(
                    area,
                    _("Change request to %(plan)s: %(reason)s") % {"plan": cr.plan, "reason": cr.reason[:80]},
                    offered[0].label,
                    reverse("plans:change_request_detail", args=[cr.pk]),
                    sort_key=(2, cr.pk),
                )
            )
    return items
