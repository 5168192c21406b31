"""Demo partners of the programme (paying agents, suppliers), due diligence in every state, key
positions of the Sede Central and the UTs, gifts and declarations."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from integrity import services
from integrity.models import BusinessPartner, DueDiligence, Gift, KeyPosition
from integrity.validators import ruc_check_digit
from organization.models import OrgUnit, Process, Site


def ruc(prefix10: str) -> str:
    return prefix10 + str(ruc_check_digit(prefix10))


PARTNERS = [
    (ruc("2010003013"), "Banco de la Nación", "paying_agent", "medium", True),
    (ruc("2010004359"), "Empresa de Transporte de Caudales Andina S.A.C.", "contractor", "high", True),
    (ruc("2060123456"), "Servicios Gráficos del Sur E.I.R.L.", "supplier", "low", False),
    (ruc("2048765432"), "Consultora Integra Perú S.A.C.", "consultant", "medium", True),
    (ruc("1043215678"), "Juan Pérez Huamán (locador)", "consultant", "low", False),
]


def load() -> dict[str, Any]:
    if BusinessPartner.objects.filter(doc_number=PARTNERS[0][0]).exists():
        return {"skipped": "already loaded"}
    officer = User.objects.get(username="integridad")
    today = timezone.localdate()
    processes = list(Process.objects.order_by("code")[:3])
    cusco = Site.objects.filter(code__icontains="CUS").first()
    partners = []
    for i, (number, name, kind, risk, clause) in enumerate(PARTNERS):
        p = services.create_partner(
            data={
                "doc_type": "ruc", "doc_number": number, "name": name, "kind": kind, "risk_level": risk,
                "anti_bribery_clause": clause, "commitment_signed_on": today - datetime.timedelta(days=200) if clause else None,
                "due_diligence_required": risk != "low", "monitoring": risk == "high",
                "processes": processes[: 1 + i % 3], "site": cusco if i == 2 else None,
            },
            by=officer,
        )  # fmt: skip
        partners.append(p)
    unit = OrgUnit.objects.order_by("pk").first()
    positions = []
    for title, reason, site in [
        ("Jefe de la Unidad de Administración", "Aprueba pagos y contrataciones.", None),
        ("Especialista en contrataciones", "Conduce procedimientos de selección.", None),
        ("Jefe de Unidad Territorial", "Valida el padrón de hogares y supervisa gestores locales.", cusco),
    ]:
        kp = services.create_key_position(
            data={"position": title, "unit": unit, "reason": reason, "risk_level": "high", "site": site}, by=officer
        )
        holders = list(User.objects.filter(username__in=["tecnico"] if site is None else ["ut.cusco"]))
        kp.holders.set(holders)
        positions.append(kp)
    # due diligence in every state
    start = today - datetime.timedelta(days=60)
    done = services.create_due_diligence(
        data={"partner": partners[0], "started_on": start, "sources": ["sunat", "osce", "web"], "findings": "Sin hallazgos.",
              "conclusion": "Riesgo aceptable.", "decision": "proceed", "valid_until": today + datetime.timedelta(days=300)},
        by=officer,
    )  # fmt: skip
    services.complete_due_diligence(done, by=officer)
    enhanced = services.create_due_diligence(
        data={"partner": partners[1], "started_on": start, "sources": ["osce", "records", "web"], "politically_exposed": True,
              "findings": "Accionista es pariente de un funcionario regional.", "conclusion": "Continuar con condiciones.",
              "decision": "conditions", "conditions": "Cláusula antisoborno y auditoría trimestral.",
              "valid_until": today + datetime.timedelta(days=180)},
        by=officer,
    )  # fmt: skip
    services.complete_due_diligence(enhanced, by=officer)
    stop = services.create_due_diligence(
        data={"partner": partners[3], "started_on": start, "sources": ["rnssc", "osce"], "high_risk_partner": True,
              "findings": "Inhabilitada para contratar con el Estado.", "conclusion": "No continuar.", "decision": "stop",
              "valid_until": today + datetime.timedelta(days=365)},
        by=officer,
    )  # fmt: skip
    services.complete_due_diligence(stop, by=officer)
    expired = services.create_due_diligence(
        data={"partner": partners[2], "started_on": today - datetime.timedelta(days=500), "sources": ["sunat"],
              "conclusion": "Riesgo bajo.", "decision": "proceed", "valid_until": today - datetime.timedelta(days=135)},
        by=officer,
    )  # fmt: skip
    services.complete_due_diligence(expired, by=officer)
    services.create_due_diligence(
        data={
            "key_position": positions[1],
            "person_name": "Tomás Quispe Rojas",
            "started_on": today,
            "sources": ["dji", "rnssc"],
        },
        by=officer,
    )
    # gifts
    tecnico = User.objects.get(username="tecnico")
    small = services.register_gift(
        data={"direction": Gift.Direction.RECEIVED, "on": today - datetime.timedelta(days=20), "counterpart": "Servicios Gráficos del Sur",
              "partner": partners[2], "description": "Agenda y lapicero institucionales.", "value": Decimal("35.00"), "occasion": "Fin de año"},
        by=tecnico,
    )  # fmt: skip
    services.decide_gift(small, decision=Gift.Decision.ACCEPTED, note="Obsequio protocolar.", by=officer)
    services.register_gift(
        data={"direction": Gift.Direction.OFFERED, "on": today - datetime.timedelta(days=3), "counterpart": "Empresa de Transporte de Caudales Andina",
              "partner": partners[1], "description": "Invitación a almuerzo durante la evaluación de propuestas.", "value": Decimal("450.00")},
        by=tecnico,
    )  # fmt: skip
    # declarations
    for username, conflicts, days_ago in [("tecnico", False, 20), ("ut.cusco", True, 350), ("integridad", False, 400)]:
        person = User.objects.get(username=username)
        services.declare_conflicts(
            data={"declared_on": today - datetime.timedelta(days=days_ago), "has_conflicts": conflicts,
                  "description": "Cónyuge trabaja en una empresa proveedora." if conflicts else "",
                  "mitigation": "Abstención en procesos de esa empresa." if conflicts else ""},
            by=person,
        )  # fmt: skip
    return {"partners": len(partners), "key_positions": len(positions), "due_diligence": DueDiligence.objects.count(),
            "gifts": Gift.objects.count()}  # fmt: skip


__all__ = ["BusinessPartner", "KeyPosition"]
