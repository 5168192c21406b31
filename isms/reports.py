"""The Statement of Applicability as a report (reports.base.Report): PDF in the seed's format
(header with code, version and page numbers, verification code once approved) and XLSX."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from isms.models import Soa, SoaEntry
from reports.base import Identity, Report, Sheet
from risks.models import Control, Risk

IMPLEMENTATION_ES = {
    "not_implemented": "No implementado",
    "planned": "Planificado",
    "partial": "Implementado parcialmente",
    "implemented": "Implementado",
}
HEADER = ["Control", "Título", "Aplicable", "Justificación", "Estado de implementación", "Controles de la entidad",
          "Riesgos", "Evidencia", "Requiere decisión", "Nota de migración"]  # fmt: skip


def applicable_es(value: bool | None) -> str:
    return "Sí" if value else ("No" if value is False else "Por decidir")


class SoaReport(Report):
    template = "isms/print/soa.html"
    landscape = True
    audit_type = "isms.soa"

    def __init__(self, soa: Soa) -> None:
        self.soa = soa

    def identity(self) -> Identity:
        return Identity(
            title=f"Declaración de aplicabilidad — Anexo A {self.soa.edition.label}",
            filename=f"declaracion-aplicabilidad-{self.soa.edition.year}-v{self.soa.version:02d}",
            code=self.soa.code,
            version=f"{self.soa.version:02d}",
        )

    def watermark(self) -> str:
        return "BORRADOR" if self.soa.status == Soa.Status.DRAFT else ""

    def audit_subject(self) -> Any:
        return self.soa

    def context(self) -> dict[str, Any]:
        entries = list(
            SoaEntry.objects.filter(soa_id=self.soa.pk)
            .select_related("control")
            .prefetch_related(
                Prefetch("controls", queryset=Control.objects.order_by("code")),
                Prefetch("risks", queryset=Risk.objects.order_by("code")),
            )
            .order_by("control__order")
        )
        rows = [
            {
                "entry": e,
                "applicable": applicable_es(e.applicable),
                "implementation": IMPLEMENTATION_ES.get(e.implementation, e.implementation),
                "controls": ", ".join(c.code for c in e.controls.all()),
                "risks": ", ".join(r.code for r in e.risks.all()),
            }
            for e in entries
        ]
        return {
            "soa": self.soa,
            "rows": rows,
            "summary": {
                "total": len(rows),
                "applicable": sum(1 for e in entries if e.applicable),
                "excluded": sum(1 for e in entries if e.applicable is False),
                "undecided": sum(1 for e in entries if e.applicable is None),
                "implemented": sum(1 for e in entries if e.implementation == "implemented"),
            },
        }

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        data = [
            [
                r["entry"].control.number,
                r["entry"].control.title,
                r["applicable"],
                r["entry"].justification,
                r["implementation"],
                r["controls"],
                r["risks"],
                r["entry"].evidence,
                "Sí" if r["entry"].needs_decision else "No",
                r["entry"].migration_note,
            ]  # fmt: skip
            for r in context["rows"]
        ]
        return [Sheet("Declaración de aplicabilidad", HEADER, data, (10, 40, 10, 40, 18, 20, 20, 30, 10, 40))]
