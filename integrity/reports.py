"""The partner matrix and the key-position due-diligence matrix (seed Tabla 01), as PDF in the
seed's format and XLSX, from the same rows."""

from __future__ import annotations

from typing import Any

from integrity.access import key_positions_visible_to, partners_visible_to
from reports.base import Identity, Report, Sheet

YES = {True: "Sí", False: "No"}
RISK_ES = {"low": "Bajo", "medium": "Medio", "high": "Alto"}
DECISION_ES = {"pending": "Pendiente", "proceed": "Continuar", "conditions": "Con condiciones", "stop": "No continuar"}
PARTNER_HEADER = [
    "Documento", "Número", "Socio de negocio", "Tipo", "Procesos", "Riesgo de soborno", "Cláusula antisoborno",
    "Compromiso firmado", "Requiere DD", "Seguimiento", "Última DD", "Decisión", "Vigente hasta", "Próxima revisión",
]  # fmt: skip


class PartnerMatrix(Report):
    template = "integrity/print/partner_matrix.html"
    landscape = True
    uncontrolled_legend = False
    audit_type = "integrity.businesspartner"

    def __init__(self, user: Any) -> None:
        self.user = user

    def identity(self) -> Identity:
        return Identity(title="Matriz de socios de negocio y debida diligencia", filename="matriz-socios-negocio")

    def context(self) -> dict[str, Any]:
        partners = list(
            partners_visible_to(self.user).prefetch_related("processes", "due_diligences").order_by("name", "pk")
        )
        rows = []
        for p in partners:
            dds = sorted(p.due_diligences.all(), key=lambda d: (d.started_on, d.pk))
            last = dds[-1] if dds else None
            rows.append(
                {
                    "partner": p,
                    "processes": ", ".join(sorted(pr.code for pr in p.processes.all())),
                    "risk": RISK_ES.get(p.risk_level, p.risk_level),
                    "last": last,
                    "decision": DECISION_ES.get(last.decision, "") if last else "",
                }
            )
        positions = list(
            key_positions_visible_to(self.user).select_related("unit").prefetch_related("holders", "due_diligences")
        )
        return {"rows": rows, "positions": positions}

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        data = [
            [
                r["partner"].get_doc_type_display(), r["partner"].doc_number, r["partner"].name,
                str(r["partner"].get_kind_display()), r["processes"], r["risk"], YES[r["partner"].anti_bribery_clause],
                r["partner"].commitment_signed_on, YES[r["partner"].due_diligence_required], YES[r["partner"].monitoring],
                r["last"].started_on if r["last"] else None, r["decision"],
                r["last"].valid_until if r["last"] else None, r["last"].next_review if r["last"] else None,
            ]
            for r in context["rows"]
        ]  # fmt: skip
        positions = [
            [
                p.position, p.unit.name, p.reason, RISK_ES.get(p.risk_level, ""),
                ", ".join(u.get_full_name() or u.username for u in p.holders.all()), len(p.due_diligences.all()),
            ]
            for p in context["positions"]
        ]  # fmt: skip
        return [
            Sheet("Socios de negocio", PARTNER_HEADER, data, (8, 12, 40, 16, 20, 10, 10, 12, 8, 8, 12, 16, 12, 12)),
            Sheet(
                "Puestos clave",
                ["Puesto", "Unidad", "Motivo", "Riesgo", "Titulares", "DD"],
                positions,
                (30, 30, 50, 10, 40, 6),
            ),
        ]
