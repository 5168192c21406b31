"""What the shared action tracker contributes to the platform (core.registry)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import registry

PENDING_ROWS = 100


def _pending(user: Any) -> list[registry.PendingItem]:
    """Open items assigned to the person, or to their unit with nobody named, in the user's
    scope, the first PENDING_ROWS by due date. Two queries (see open_assigned_to)."""
    from actions.selectors import open_assigned_to

    return [
        registry.PendingItem(
            area=item.kind_label,
            label=f"{item.number or item.pk} · {item.title[:100]}",
            action=_("Carry out and close"),
            url=reverse("actions:item_detail", args=[item.pk]),
            due=item.due_date,
            sort_key=(0, item.pk),
        )
        for item in open_assigned_to(user, PENDING_ROWS)
    ]


def _remind(day: datetime.date) -> int:
    from actions.reminders import remind_actions

    return remind_actions(day)


def register() -> None:
    registry.register_nav(registry.NavItem("actions", "follow_up", _("Acuerdos and actions"), "actions:item_list", 20))
    registry.register_pending(registry.PendingSource("actions", _pending, 10))
    registry.register_reminder(registry.Reminder("actions.due", _remind, 10))
