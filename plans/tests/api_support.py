"""Shared set-up for the plan API tests: plans, activities and products made with the same
services the pages and the API call. Years from 2031 on keep clear of the demo plans."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from organization.models import OrgUnit, Site
from plans import services
from plans.models import Activity, Plan, Product

STAGES = ["Mantenimiento", "Seguimiento, medición y análisis", "Mejora"]


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def site(code: str) -> Site:
    return Site.objects.get(code=code)


def make_plan(
    by: Any,
    *,
    year: int = 2031,
    title: str = "Plan de Desarrollo del SIG (prueba API)",
    budget: str = "130000.00",
    kind: str = Plan.Kind.SIG,
) -> Plan:
    """A draft plan of UPPM-CMG with the seed's three stages."""
    data = {
        "year": year,
        "kind": kind,
        "title": title,
        "objective": "Mantener y mejorar el SIG.",
        "owner_unit": unit("UPPM-CMG"),
        "budget_amount": Decimal(budget),
        "stages": STAGES,
    }
    return services.create_plan(data=data, by=by)


def add_activity(
    plan: Plan,
    code: str,
    *,
    by: Any,
    stage: int = 1,
    unit_code: str = "UPPM-CMG",
    sites: tuple[str, ...] = (),
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    **extra: Any,
) -> Activity:
    today = timezone.localdate()
    data = {
        "code": code,
        "title": f"Actividad {code}",
        "responsible_unit": unit(unit_code),
        "planned_start": start or today + datetime.timedelta(days=10),
        "planned_end": end or today + datetime.timedelta(days=60),
        "sites": [site(c) for c in sites],
        **extra,
    }
    return services.add_activity(plan.stages.get(number=stage), data=data, by=by)


def add_product(plan: Plan, title: str, activities: list[Activity], *, by: Any) -> Product:
    return services.add_product(plan, title=title, activities=activities, by=by)


def approved_plan(cmg: Any, direccion: Any, **extra: Any) -> Plan:
    """A plan submitted to the Committee and approved by the Director (version 01)."""
    return approve(make_plan(cmg, **extra), cmg, direccion)


def approve(plan: Plan, cmg: Any, direccion: Any) -> Plan:
    """Submit and approve `plan`: from then on its content changes only by change request."""
    services.submit_plan_to_committee(plan, by=cmg)
    return services.approve_plan(
        plan, resolution="RDE N.° 010-2031-MIDIS/PNADP-DE", approved_on=datetime.date(2031, 1, 15), by=direccion
    )


def fresh(obj: Any) -> Any:
    return type(obj)._default_manager.get(pk=obj.pk)


def deliver_whole(product: Product, *, by: Any, day: datetime.date | None = None) -> Product:
    """Deliver `product` whole as its owner does, with a document of the owner as evidence."""
    from documents.models import Document

    document = Document.objects.order_by("pk").first()
    assert document is not None
    return services.deliver_product(
        product, evidence_label="documents.document", evidence_id=document.pk, by=by, delivered_on=day
    )


# A change a request may propose on any plan: a new scope text (plans.changes).
A_CHANGE = [{"op": "plan_text", "field": "scope", "value": "Sede Central y 21 Unidades Territoriales."}]
