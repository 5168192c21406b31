"""What the organisation area contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import registry


def _everyone(scope: Any) -> bool:
    return bool(scope.authenticated)


def _systems_panel(user: Any) -> dict[str, Any]:
    from organization.models import ManagementSystem

    return {
        "title": _("Management systems"),
        "items": list(ManagementSystem.objects.select_related("edition").order_by("order")),
        "url": reverse("organization:system_list"),
    }


def _process_panel(user: Any) -> dict[str, Any]:
    from organization.models import Process

    counts = dict(Process.objects.filter(is_active=True).values_list("type").annotate(n=Count("id")))
    return {
        "title": _("Process map"),
        "items": [
            (_("Strategic"), counts.get(Process.Type.STRATEGIC, 0)),
            (_("Mission (core)"), counts.get(Process.Type.MISSION, 0)),
            (_("Support"), counts.get(Process.Type.SUPPORT, 0)),
        ],
        "url": reverse("organization:process_map"),
    }


def _own_site_panel(user: Any) -> dict[str, Any] | None:
    """A UT head's home is about their UT: it opens with the unit they answer for."""
    from core.access import get_scope
    from organization.models import Site

    scope = get_scope(user)
    if scope.all_sites or not scope.site_ids:
        return None
    sites = list(Site.objects.filter(pk__in=scope.site_ids))
    return {
        "title": _("Your territorial unit") if len(sites) == 1 else _("Your territorial units"),
        "sites": sites,
        "url": reverse("organization:site_detail", args=[sites[0].pk]) if sites else reverse("core:dashboard"),
    }


def _sites_panel(user: Any) -> dict[str, Any] | None:
    from core.access import get_scope
    from organization.models import Site

    if not get_scope(user).all_sites:
        return None  # a UT head has their own panel

    counts = dict(Site.objects.filter(is_active=True).values_list("kind").annotate(n=Count("id")))
    return {
        "title": _("Sites"),
        "items": [
            (_("Head office"), counts.get(Site.Kind.CENTRAL, 0)),
            (_("Territorial units"), counts.get(Site.Kind.TERRITORIAL, 0)),
        ],
        "url": reverse("organization:site_list"),
    }


def _load_demo() -> dict[str, Any]:
    from organization import demo

    entity = demo.load()
    return {"entity": entity.short_name}


def _load_demo_systems() -> None:
    from organization import demo

    demo.load_systems()


def _entity() -> Any:
    from organization.models import Entity

    return Entity.objects.first()


def register() -> None:
    registry.register_entity(_entity)
    for key, label, url, order in [
        ("org", gettext_lazy("Organisation"), "organization:unit_list", 10),
        ("processes", gettext_lazy("Processes"), "organization:process_map", 20),
        ("systems", gettext_lazy("Systems"), "organization:system_list", 30),
        ("glossary", gettext_lazy("Glossary"), "organization:glossary_list", 80),
    ]:
        registry.register_nav(registry.NavItem(key, "organisation", label, url, order, _everyone))
    registry.register_nav(
        registry.NavItem("legal", "documents", gettext_lazy("Legal basis"), "organization:legal_list", 80, _everyone)
    )
    registry.register_panel(registry.Panel("systems", "organization/panels/_systems.html", _systems_panel, 900))
    registry.register_panel(registry.Panel("processes", "core/panels/_counts.html", _process_panel, 910))
    registry.register_panel(registry.Panel("sites", "core/panels/_counts.html", _sites_panel, 920))
    registry.register_panel(registry.Panel("own_site", "organization/panels/_own_site.html", _own_site_panel, 5))
    registry.register_demo(registry.DemoLoader("organization", _load_demo, 10))
    # Systems cite editions of the catalogue: after it is loaded.
    registry.register_demo(registry.DemoLoader("organization.systems", _load_demo_systems, 30))
