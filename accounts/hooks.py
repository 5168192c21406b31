"""What people and roles contribute to the platform (core.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry


def _load_demo() -> list[str]:
    from accounts import demo

    return [u.username for u in demo.load()]


def register() -> None:
    registry.register_nav(
        registry.NavItem("people", "organisation", _("People"), "accounts:person_list", 90, lambda s: s.authenticated)
    )
    registry.register_demo(registry.DemoLoader("accounts", _load_demo, 40))
