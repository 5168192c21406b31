"""What the development plan contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

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
