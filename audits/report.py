"""The audit report (ISO 19011 §6.5) as a PDF in the seed's format, and the findings as XLSX
(reports.base.Report). Generated from the data: objectives, scope, criteria, team, dates and
places, method, every checklist question with the requirements it covers, its result and
comments, the findings with their evidence, grade and the auditee's answer (diverging opinions),
the degree of conformity, the conclusions and the sampling caveat. Typed by the team: the
conclusions (and the question notes)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from audits.models import Audit, ChecklistQuestion, Finding
from catalog.models import Requirement
from core import registry
from reports.base import Identity, Report, Sheet

RESULT_ES = {
    "pending": "Sin auditar",
    "conform": "Conforme",
    "nonconform": "No conforme",
    "observation": "Observación",
    "not_applicable": "No aplica",
}
RESPONSE_ES = {"pending": "Pendiente", "accepted": "Aceptado", "contested": "Contestado"}
METHOD_ES = {"on_site": "Presencial", "remote": "Remota"}
KIND_ES = {"internal": "Interna", "external": "Externa"}
FINDINGS_HEADER = [
    "Auditoría", "N.° de hallazgo", "Grado", "Requisitos", "Proceso", "Sede", "Descripción", "Evidencia",
    "Respuesta del auditado", "Motivo", "No conformidad",
]  # fmt: skip


def report_code(audit: Audit) -> str:
    return f"INF-AUD-{audit.code}"


def issued_version(audit: Audit) -> int:
    """The number of the report's version in force in document control (0: never issued)."""
    document = audit.report_document if audit.report_document_id else None
    current = document.current_version if document is not None and document.current_version_id else None
    return current.number if current is not None else 0


def _reqs(reqs: Any) -> str:
    return "; ".join(f"{r.edition.label} {r.number}" for r in reqs)


def findings_of(audit: Audit) -> list[Finding]:
    return list(
        audit.findings.select_related("grade", "site", "process", "nonconformity")
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.select_related("edition").order_by("edition__standard__order", "order"),
            )
        )
        .order_by("pk")
    )


class AuditReport(Report):
    template = "audits/print/report.html"
    audit_type = "audits.audit"

    def __init__(self, audit: Audit, version: int | None = None) -> None:
        self.audit = audit
        self.version = version if version is not None else issued_version(audit)

    @property
    def issued(self) -> bool:
        return self.audit.status == Audit.Status.COMPLETED and bool(self.audit.report_verification_code)

    def identity(self) -> Identity:
        return Identity(
            title=f"Informe de auditoría {self.audit.code}",
            code=report_code(self.audit),
            version=f"{max(self.version, 1):02d}",
            filename=f"informe-auditoria-{self.audit.code}",
        )

    def watermark(self) -> str:
        return "" if self.issued else "BORRADOR"

    def audit_subject(self) -> Any:
        return self.audit

    def context(self) -> dict[str, Any]:
        audit = self.audit
        questions = list(
            audit.questions.select_related("hs_clause")
            .prefetch_related(Prefetch("requirements", queryset=Requirement.objects.select_related("edition")))
            .order_by("order", "pk")
        )
        answered = [q for q in questions if q.result not in ("pending", "not_applicable")]
        conform = [q for q in answered if q.result == ChecklistQuestion.Result.CONFORM]
        findings = findings_of(audit)
        attendance: dict[str, list[Any]] = {"opening": [], "closing": []}
        for a in audit.attendees.filter(removed_at__isnull=True).order_by("-present", "name", "pk"):
            attendance[a.meeting].append(a)
        meetings = [
            {
                "title": "Reunión de apertura",
                "on": audit.opening_on,
                "attendees": attendance["opening"],
                "other": audit.opening_other_attendees,
            },
            {
                "title": "Reunión de cierre",
                "on": audit.closing_on,
                "attendees": attendance["closing"],
                "other": audit.closing_other_attendees,
            },
        ]
        return {
            "meetings": meetings,
            "entity": registry.entity(),
            "audit": audit,
            "kind": KIND_ES.get(audit.kind, audit.kind),
            "method": METHOD_ES.get(audit.method, audit.method),
            "team": list(audit.team.select_related("unit").order_by("last_name", "first_name")),
            "sites": list(audit.sites.order_by("order", "code")),
            "processes": list(audit.processes.order_by("order", "code")),
            "criteria": list(audit.criteria.select_related("edition").order_by("edition__standard__order", "order")),
            "questions": [(q, _reqs(q.requirements.all()), RESULT_ES.get(q.result, q.result)) for q in questions],
            "findings": [(f, _reqs(f.requirements.all()), RESPONSE_ES.get(f.response, f.response)) for f in findings],
            "contested": [f for f in findings if f.response == Finding.Response.CONTESTED],
            "conformity": round(100 * len(conform) / len(answered)) if answered else None,
            "n_answered": len(answered),
        }

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        return [findings_sheet(self.audit.code, [f for f, _r, _s in context["findings"]])]


def findings_sheet(code: str, findings: list[Finding]) -> Sheet:
    rows = [
        [
            code, f.number, f.grade.name, _reqs(f.requirements.all()), f.process.code if f.process else "",
            f.site.code, f.description, f.evidence, RESPONSE_ES.get(f.response, f.response), f.response_reason,
            f.nonconformity.code if f.nonconformity else "",
        ]
        for f in findings
    ]  # fmt: skip
    return Sheet("Hallazgos", FINDINGS_HEADER, rows, (14, 18, 22, 40, 10, 10, 60, 60, 14, 40, 16))


class FindingsReport(Report):
    """The findings of one audit as XLSX."""

    audit_type = "audits.audit"

    def __init__(self, audit: Audit) -> None:
        self.audit = audit

    def identity(self) -> Identity:
        return Identity(title=f"Hallazgos de la auditoría {self.audit.code}", filename=f"hallazgos-{self.audit.code}")

    def audit_subject(self) -> Any:
        return self.audit

    def context(self) -> dict[str, Any]:
        return {"findings": findings_of(self.audit)}

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        return [findings_sheet(self.audit.code, context["findings"])]
