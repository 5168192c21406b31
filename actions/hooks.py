"""What the shared action tracker contributes to the platform (core.registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry


def register() -> None:
    registry.register_nav(registry.NavItem("actions", "follow_up", _("Acuerdos and actions"), "actions:item_list", 20))
