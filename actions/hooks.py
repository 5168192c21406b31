"""What the shared action tracker contributes to the platform (core.registry)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry

PENDING_ROWS = 100


def _pending(user: Any) -> list[registry.PendingItem]:
    """Open items assigned to the person, or to their unit with nobody named. One query."""
    from actions.access import action_items_visible_to
    from actions.models import ActionItem

    mine = Q(responsible=user)
    if getattr(user, "unit_id", None) is not None:
        mine |= Q(responsible__isnull=True, responsible_unit_id=user.unit_id)
    items = (
        action_items_visible_to(user)
        .filter(mine, status__in=[ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS])
        .order_by("due_date", "pk")[:PENDING_ROWS]
    )
    return [
        registry.PendingItem(
            area=item.kind_label,
            label=f"{item.number or item.pk} · {item.title[:100]}",
            action=_("Carry out and close"),
            url=reverse("actions:item_detail", args=[item.pk]),
            due=item.due_date,
            sort_key=(0, item.pk),
        )
        for item in items
    ]


def _remind(day: datetime.date) -> int:
    from actions.reminders import remind_actions

    return remind_actions(day)


def register() -> None:
    registry.register_nav(registry.NavItem("actions", "follow_up", _("Acuerdos and actions"), "actions:item_list", 20))
    registry.register_pending(registry.PendingSource("actions", _pending, 10))
    registry.register_reminder(registry.Reminder("actions.due", _remind, 10))
