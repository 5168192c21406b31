"""What the integrity registers contribute to the platform (core.registry)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _any(scope: Any) -> bool:
    return bool(scope.roles)


def _load_demo() -> Any:
    from integrity import demo

    return demo.load()


def _remind(day: datetime.date) -> int:
    from integrity.services import remind_declarations

    return remind_declarations(day)


def _pending(user: Any) -> list[registry.PendingItem]:
    """Gifts waiting for this person's decision (bounded)."""
    from integrity.access import can_decide_gift, gifts_visible_to
    from integrity.models import Gift
    from integrity.services import gift_threshold

    rows = gifts_visible_to(user).filter(decision=Gift.Decision.PENDING).exclude(servant=user).order_by("on")[:50]
    return [
        registry.PendingItem(
            area=_("Gifts and hospitality"),
            label=f"{g.counterpart} · S/ {g.value}",
            action=_("Decide"),
            url=g.get_absolute_url(),
            due=g.on,
            sort_key=(g.on,),
        )
        for g in rows
        if can_decide_gift(user, g, g.value > gift_threshold())
    ]


def register() -> None:
    registry.register_nav(
        registry.NavItem(
            "integrity", "follow_up", _("Business partners and due diligence"), "integrity:partner_list", 42, _any
        )
    )
    registry.register_nav(
        registry.NavItem("integrity_gifts", "follow_up", _("Gifts and hospitality"), "integrity:gift_list", 43, _any)
    )
    registry.register_nav(
        registry.NavItem(
            "integrity_declarations", "follow_up", _("Conflicts of interest"), "integrity:declaration_list", 44, _any
        )
    )
    registry.register_demo(registry.DemoLoader("integrity", _load_demo, 85))
    registry.register_reminder(registry.Reminder("integrity.declarations", _remind, 60))
    registry.register_pending(registry.PendingSource("integrity.gifts", _pending, 60))
