"""Test data for the risk pages, built through the services on top of the demo (which loads
the shipped methods and the demo register)."""

from __future__ import annotations

from typing import Any

from organization.models import Process, Site
from risks import services
from risks.models import Evaluation, Risk, RiskMethod


def cgr() -> RiskMethod:
    return RiskMethod.objects.filter(code="CGR-5X5").order_by("-version").first()  # type: ignore[return-value]


def site(code: str) -> Site:
    return Site.objects.get(code=code)


def make_risk(by: Any, code: str = "R-T-001", site_code: str = "UT-CUS", owner: Any = None, **extra: Any) -> Risk:
    data = {
        "code": code,
        "title": "Cobro indebido a usuarias para mantener la afiliación",
        "kind": Risk.Kind.RISK,
        "lens_bribery": True,
        "process": Process.objects.get(code="M01"),
        "site": site(site_code),
        "cause": "Contacto directo sin supervisión",
        "event": "Un gestor solicita dinero a una usuaria",
        "consequence": "Exclusión indebida y denuncias",
        "owner": owner or by,
        "method": cgr(),
        **extra,
    }
    return services.create_risk(data=data, by=by)


def evaluate(risk: Risk, by: Any, kind: str = "inherent", p: int = 4, i: int = 4, **extra: Any) -> Evaluation:
    return services.evaluate(
        risk, kind=kind, probability=p, impact=i, trigger=Evaluation.Trigger.INITIAL, by=by, **extra
    )
