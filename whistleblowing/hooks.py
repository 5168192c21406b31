"""What the whistleblowing channel contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _members(scope: Any) -> bool:
    from whistleblowing.access import MEMBERS

    return bool(scope.central_roles & MEMBERS)


def _statistics(scope: Any) -> bool:
    from whistleblowing.access import MEMBERS, STATISTICS_READERS

    return bool(scope.central_roles & STATISTICS_READERS) and not bool(scope.central_roles & MEMBERS)


def _load_demo() -> Any:
    from whistleblowing import demo

    return demo.load()


def _pending(user: Any) -> list[registry.PendingItem]:
    """Open cases whose protection decision is due, for the integrity function."""
    from django.urls import reverse
    from django.utils import timezone

    from whistleblowing.access import is_member
    from whistleblowing.models import Case

    if not is_member(user):
        return []
    rows = Case.objects.filter(status=Case.Status.RECEIVED).order_by("received_at")[:50]
    return [
        registry.PendingItem(
            area=_("Denuncias"),
            label=c.number,
            action=_("Decide admissibility and protection"),
            url=reverse("whistleblowing:case_detail", args=[c.pk]),
            due=timezone.localtime(c.protection_due_at).date(),
            sort_key=(c.protection_due_at,),
        )
        for c in rows
    ]


def _password_changed(sender: Any, user: Any, old_password: str | None, new_password: str, **kwargs: Any) -> None:
    from whistleblowing import services

    services.rewrap_member_key(user, old_password, new_password)


def register() -> None:
    from accounts.signals import password_changed

    password_changed.connect(_password_changed, dispatch_uid="whistleblowing.rewrap_member_key")
    registry.register_nav(
        registry.NavItem("whistleblowing", "follow_up", _("Denuncias"), "whistleblowing:case_list", 40, _members)
    )
    registry.register_nav(
        registry.NavItem(
            "whistleblowing_stats",
            "follow_up",
            _("Denuncias: statistics"),
            "whistleblowing:statistics",
            41,
            _statistics,
        )
    )
    registry.register_demo(registry.DemoLoader("whistleblowing", _load_demo, 90))
    registry.register_pending(registry.PendingSource("whistleblowing", _pending, 50))
