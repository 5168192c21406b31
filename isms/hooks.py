"""What the SGSI contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _soa_facts(soa: Any) -> Any:
    from isms.verification import facts

    return facts(soa)


def _load_demo() -> Any:
    from isms.demo import load

    return load()


def _visible_assets(user: Any) -> Any:
    from isms.access import assets_visible_to

    return assets_visible_to(user)


def _visible_incidents(user: Any) -> Any:
    from isms.access import incidents_visible_to

    return incidents_visible_to(user)


def _pending(user: Any) -> list[registry.PendingItem]:
    """For the Oficial de Seguridad: incidents not yet closed, breaches first."""
    from django.urls import reverse

    from isms.access import keeps_isms
    from isms.models import Incident

    if not keeps_isms(user):
        return []
    items = Incident.objects.exclude(status=Incident.Status.CLOSED).order_by("-personal_data_breach", "reported_at")[
        :50
    ]
    return [
        registry.PendingItem(
            area=_("Security incidents"),
            label=f"{i.code} · {i.title[:100]}",
            action=_("Handle"),
            url=reverse("isms:incident_detail", args=[i.pk]),
            due=i.notify_by.date() if i.notify_by and not i.authority_notified_at else None,
            sort_key=(1, i.pk),
        )
        for i in items
    ]


def _requirement_panel(user: Any, requirement: Any) -> dict[str, Any] | None:
    """How each Statement of Applicability decides the Annex A control."""
    from isms.access import soas_visible_to
    from isms.models import SoaEntry

    if requirement.kind != "control":
        return None
    entries = list(
        SoaEntry.objects.filter(control=requirement, soa__in=soas_visible_to(user))
        .select_related("soa")
        .order_by("-soa__created_at")[:10]
    )
    if not entries:
        return None
    return {"title": _("Statement of Applicability"), "entries": entries}


def register() -> None:
    from isms.verification import KIND

    registry.register_nav(
        registry.NavItem("isms", "planning", _("SGSI"), "isms:soa_list", 50, lambda scope: bool(scope.central_roles))
    )
    registry.register_nav(registry.NavItem("incidents", "follow_up", _("Security incidents"), "isms:incident_list", 30))
    registry.register_verifiable(registry.VerifiableKind(KIND, _("Statement of Applicability"), _soa_facts))
    registry.register_evidence(registry.EvidenceKind("isms.asset", _("Information asset"), _visible_assets))
    # An incident is a record an NC can be raised from (nonconformities' "?origin=").
    registry.register_evidence(registry.EvidenceKind("isms.incident", _("Security incident"), _visible_incidents))
    registry.register_pending(registry.PendingSource("isms.incidents", _pending, 40))
    registry.register_demo(registry.DemoLoader("isms", _load_demo, 80))
    registry.register_requirement_panel(
        registry.RequirementPanel("isms.soa", "isms/_requirement_soa.html", _requirement_panel, 40)
    )
