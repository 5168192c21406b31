"""The home dashboard: the panels every area registers (core.registry.Panel), each a small,
cheap summary for the user's scope, in registration order."""

from __future__ import annotations

from typing import Any

from core import registry

PANEL_ROWS = 5


def build(user: Any) -> list[dict[str, Any]]:
    out = []
    for panel in registry.panels():
        ctx = panel.build(user)
        if ctx is not None:
            out.append({**ctx, "key": panel.key, "template": panel.template})
    return out
