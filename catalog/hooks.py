"""What the standards catalogue contributes to the platform (core.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry


def _load_demo() -> dict[str, int]:
    from catalog import loader

    return loader.load()


def register() -> None:
    registry.register_nav(
        registry.NavItem(
            "standards", "documents", _("Standards"), "catalog:standard_list", 70, lambda scope: scope.authenticated
        )
    )
    registry.register_demo(registry.DemoLoader("catalog", _load_demo, 20))
