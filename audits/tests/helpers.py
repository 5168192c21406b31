"""Audits for the area's tests, made through its services."""

from __future__ import annotations

import datetime
from typing import Any

from audits import services
from audits.models import Audit, AuditProgramme, FindingGrade
from catalog.models import Requirement
from organization.models import Process, Site

START = datetime.date(2020, 9, 14)


def req(label: str, number: str) -> Requirement:
    return Requirement.objects.get(edition__label=label, number=number)


def criteria() -> list[Requirement]:
    """ISO 9001 8.5.1 and ISO 37001 8.2 (both under HS 8.1) and ISO 9001 7.5.3 (HS 7.5)."""
    return [req("ISO 9001:2015", "8.5.1"), req("ISO 37001:2016", "8.2"), req("ISO 9001:2015", "7.5.3")]


def programme(by: Any, year: int = 2020) -> AuditProgramme:
    return services.create_programme(
        data={"year": year, "title": "Programa de auditorías internas del SIG", "objectives": "Evaluar el SIG"}, by=by
    )


def audit_data(lead: Any, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "AT-01-2020",
        "title": "Auditoría interna UT Cusco",
        "kind": Audit.Kind.INTERNAL,
        "objectives": "Verificar la conformidad",
        "sites": [Site.objects.get(code="UT-CUS")],
        "processes": [],
        "criteria": criteria(),
        "start_date": START,
        "end_date": START + datetime.timedelta(days=2),
        "lead": lead,
        "team": [],
        "method": Audit.Method.ON_SITE,
    }
    data.update(over)
    return data


def audit(by: Any, lead: Any, **over: Any) -> Audit:
    return services.create_audit(programme(by), data=audit_data(lead, **over), by=by)


def grade(code: str) -> FindingGrade:
    return FindingGrade.objects.get(code=code)


def minor_finding(a: Audit, by: Any, requirements: list[Requirement] | None = None) -> Any:
    return services.add_finding(
        a,
        data={
            "grade": grade("NCm"),
            "requirements": requirements if requirements is not None else criteria()[:2],
            "site": Site.objects.get(code="UT-CUS"),
            "description": "Expedientes sin control de firma",
            "evidence": "Se revisaron 10 expedientes; 3 sin firma",
        },
        by=by,
    )


def a_process() -> Process:
    return Process.objects.filter(owner_unit__isnull=False).order_by("code").first()  # type: ignore[return-value]
