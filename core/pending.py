"""What waits for a person, across every area: the union of the registered pending sources
(core.registry.PendingSource), soonest due first. Each source runs a bounded number of queries,
so the page costs the same whatever the size of the tables."""

from __future__ import annotations

import datetime
from typing import Any

from core import registry
from core.access import get_scope

FAR = datetime.date.max


def pending_for(user: Any) -> list[registry.PendingItem]:
    if not get_scope(user).authenticated:
        return []
    items: list[registry.PendingItem] = []
    for source in registry.pending_sources():
        items.extend(source.items(user))
    return sorted(items, key=lambda i: (i.due or FAR, str(i.area), i.sort_key, i.label))
