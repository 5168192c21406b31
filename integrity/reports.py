"""The partner matrix and the key-position due-diligence matrix (seed Tabla 01), as PDF in the
seed's format and XLSX, from the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import translation

from core.exports import xlsx_workbook
from integrity.access import key_positions_visible_to, partners_visible_to
from integrity.models import BusinessPartner, KeyPosition
from integrity.selectors import PARTNER_ORDER, chunked, filter_partners, latest_dd, with_latest_dd
from organization.models import Process
from reports.base import Identity, Report, Sheet

YES = {True: "Sí", False: "No"}
RISK_ES = {"low": "Bajo", "medium": "Medio", "high": "Alto"}
DECISION_ES = {"pending": "Pendiente", "proceed": "Continuar", "conditions": "Con condiciones", "stop": "No continuar"}
PARTNER_HEADER = [
    "Documento", "Número", "Socio de negocio", "Tipo", "Procesos", "Riesgo de soborno", "Cláusula antisoborno",
    "Compromiso firmado", "Requiere DD", "Seguimiento", "Última DD", "Decisión", "Vigente hasta", "Próxima revisión",
]  # fmt: skip


# WeasyPrint lays out a row of the matrix in 20-40 ms: past this many partners a PDF would take
# longer than a web request may (and run to hundreds of pages). The XLSX has every row; the PDF
# prints the first PDF_MAX_ROWS of the register's filters (risk, type, search) and says so.
PDF_MAX_ROWS = 250
CHUNK = 2000  # partners read at a time while writing the XLSX (memory stays bounded)


class PartnerMatrix(Report):
    template = "integrity/print/partner_matrix.html"
    landscape = True
    uncontrolled_legend = False
    audit_type = "integrity.businesspartner"

    def __init__(self, user: Any, filters: dict[str, str] | None = None) -> None:
        self.user = user
        self.filters = {k: v for k, v in (filters or {}).items() if v}

    def identity(self) -> Identity:
        return Identity(title="Matriz de socios de negocio y debida diligencia", filename="matriz-socios-negocio")

    def partners(self) -> QuerySet[BusinessPartner]:
        """The reader's partners under the register's filters, in the register's order, each
        with the id of its latest due diligence."""
        qs = filter_partners(partners_visible_to(self.user), self.filters)
        return qs.annotate(last_dd_id=latest_dd("partner")).order_by(*PARTNER_ORDER)

    def rows(self, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The matrix's rows, read CHUNK partners at a time (processes and latest due diligence
        in one query each per chunk)."""
        qs = self.partners().prefetch_related(Prefetch("processes", queryset=Process.objects.only("pk", "code")))
        if limit is not None:
            qs = qs[:limit]
        for chunk in chunked(qs.iterator(chunk_size=CHUNK), CHUNK):
            for p in with_latest_dd(chunk):
                last = p.last_dd
                yield {
                    "partner": p,
                    "processes": ", ".join(sorted(pr.code for pr in p.processes.all())),
                    "risk": RISK_ES.get(p.risk_level, p.risk_level),
                    "last": last,
                    "decision": DECISION_ES.get(last.decision, "") if last else "",
                }

    def positions(self) -> list[KeyPosition]:
        return list(
            key_positions_visible_to(self.user)
            .select_related("unit")
            .prefetch_related("holders")
            .annotate(n_dd=Count("due_diligences"))
            .order_by("position", "pk")
        )

    def context(self) -> dict[str, Any]:
        """The PDF's: at most PDF_MAX_ROWS partners, and how many there are."""
        rows = list(self.rows(limit=PDF_MAX_ROWS))
        total = len(rows) if len(rows) < PDF_MAX_ROWS else self.partners().count()
        return {
            "rows": rows,
            "total": total,
            "truncated": total > len(rows),
            "filters": self._filter_labels(),
            "positions": self.positions(),
        }

    def _filter_labels(self) -> list[str]:
        out = []
        if self.filters.get("q"):
            out.append(f"búsqueda «{self.filters['q']}»")
        if self.filters.get("risk"):
            out.append(f"riesgo {RISK_ES.get(self.filters['risk'], '')}")
        if self.filters.get("kind"):
            out.append(f"tipo {BusinessPartner.Kind(self.filters['kind']).label}")
        return out

    def xlsx(self) -> bytes:
        """Every partner (no PDF limit), streamed from the database CHUNK at a time into the
        write-only workbook."""
        with translation.override(self.language):
            sheets = self.sheets({"rows": self.rows(), "positions": self.positions()})
            return xlsx_workbook([(s.title, s.header, s.rows, s.widths) for s in sheets])

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        data = (
            [
                r["partner"].get_doc_type_display(), r["partner"].doc_number, r["partner"].name,
                str(r["partner"].get_kind_display()), r["processes"], r["risk"], YES[r["partner"].anti_bribery_clause],
                r["partner"].commitment_signed_on, YES[r["partner"].due_diligence_required], YES[r["partner"].monitoring],
                r["last"].started_on if r["last"] else None, r["decision"],
                r["last"].valid_until if r["last"] else None, r["last"].next_review if r["last"] else None,
            ]
            for r in context["rows"]
        )  # fmt: skip
        positions = [
            [
                p.position, p.unit.name, p.reason, RISK_ES.get(p.risk_level, ""),
                ", ".join(u.get_full_name() or u.username for u in p.holders.all()), p.n_dd,
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


def _pct(part: int, whole: int) -> str:
    return f"{(100 * part / whole):.0f} %" if whole else "—"


class ComplianceReport(Report):
    """Informe de cumplimiento de los controles aplicados a los socios de negocio y debida
    diligencia de puestos claves (seed Tabla 01), generated from the registers."""

    template = "integrity/print/compliance.html"
    uncontrolled_legend = False
    audit_type = "integrity.businesspartner"

    def __init__(self, user: Any) -> None:
        self.user = user

    def identity(self) -> Identity:
        return Identity(
            title="Informe de cumplimiento de los controles aplicados a los socios de negocio y debida diligencia de puestos claves",
            filename="informe-cumplimiento-socios-puestos-clave",
        )

    def context(self) -> dict[str, Any]:
        import datetime

        from django.db.models import Exists, OuterRef, Q
        from django.utils import timezone

        from integrity.access import declarations_visible_to, due_diligence_visible_to, gifts_visible_to
        from integrity.models import DueDiligence
        from integrity.services import gift_threshold

        today = timezone.localdate()
        partners = partners_visible_to(self.user).filter(active=True)
        valid = {"status": DueDiligence.Status.COMPLETED, "valid_until__gte": today}
        # One pass over the partners; the due diligences are looked up (by index) only for those
        # that require one, instead of joining 100,000 rows and counting distinct partners.
        has_valid_dd = Exists(DueDiligence.objects.filter(partner=OuterRef("pk"), **valid))
        totals = partners.aggregate(
            total=Count("pk"),
            clause=Count("pk", filter=Q(anti_bribery_clause=True)),
            commitment=Count("pk", filter=Q(commitment_signed_on__isnull=False)),
            dd_required=Count("pk", filter=Q(due_diligence_required=True)),
            monitoring=Count("pk", filter=Q(monitoring=True)),
            low=Count("pk", filter=Q(risk_level="low")),
            medium=Count("pk", filter=Q(risk_level="medium")),
            high=Count("pk", filter=Q(risk_level="high")),
        )
        totals["dd_covered"] = partners.filter(due_diligence_required=True).filter(has_valid_dd).count()
        by_risk = [(RISK_ES[level], totals[level]) for level in ("low", "medium", "high")]
        positions = key_positions_visible_to(self.user).filter(active=True)
        kp_total = positions.count()
        kp_covered = positions.filter(Exists(DueDiligence.objects.filter(key_position=OuterRef("pk"), **valid))).count()
        soon = today + datetime.timedelta(days=30)
        # every count of the due diligences in one pass
        dd = due_diligence_visible_to(self.user).aggregate(
            **{d: Count("pk", filter=Q(decision=d)) for d in ("pending", "proceed", "conditions", "stop")},
            expired=Count("pk", filter=Q(status=DueDiligence.Status.COMPLETED, valid_until__lt=today)),
            review_soon=Count("pk", filter=Q(next_review__gte=today, next_review__lte=soon)),
            enhanced=Count(
                "pk", filter=Q(public_official=True) | Q(politically_exposed=True) | Q(high_risk_partner=True)
            ),
        )
        decisions = [(DECISION_ES[d], dd[d]) for d in ("pending", "proceed", "conditions", "stop")]
        expired, review_soon, enhanced = dd["expired"], dd["review_soon"], dd["enhanced"]
        gifts = gifts_visible_to(self.user)
        year = gifts.filter(on__year=today.year)
        declarations = declarations_visible_to(self.user)
        latest = declarations.values("person").annotate(last=Count("pk"))
        rows = [
            ("Socios de negocio activos", totals["total"], ""),
            ("Con cláusula antisoborno", totals["clause"], _pct(totals["clause"], totals["total"])),
            ("Con compromiso antisoborno firmado", totals["commitment"], _pct(totals["commitment"], totals["total"])),
            ("Que requieren debida diligencia", totals["dd_required"], ""),
            (
                "… con debida diligencia vigente",
                totals["dd_covered"],
                _pct(totals["dd_covered"], totals["dd_required"]),
            ),
            ("Con seguimiento", totals["monitoring"], _pct(totals["monitoring"], totals["total"])),
            ("Puestos clave", kp_total, ""),
            ("… con debida diligencia vigente", kp_covered, _pct(kp_covered, kp_total)),
            ("Debidas diligencias vencidas", expired, ""),
            ("Revisiones en los próximos 30 días", review_soon, ""),
            ("Debidas diligencias reforzadas (señales de alerta)", enhanced, ""),
            (f"Regalos y atenciones registrados en {today.year}", year.count(), ""),
            (f"… por encima de S/ {gift_threshold()}", year.filter(value__gt=gift_threshold()).count(), ""),
            ("… pendientes de decisión", gifts.filter(decision="pending").count(), ""),
            ("Personas con declaración de conflicto de intereses", latest.count(), ""),
            ("Declaraciones vencidas", declarations.filter(valid_until__lt=today).count(), ""),
            ("Declaraciones con conflicto declarado", declarations.filter(has_conflicts=True).count(), ""),
        ]
        return {"rows": rows, "by_risk": by_risk, "decisions": decisions, "today": today}

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        return [
            Sheet(
                "Cumplimiento", ["Indicador", "Valor", "Porcentaje"], [list(r) for r in context["rows"]], (60, 12, 12)
            ),
            Sheet("Riesgo", ["Nivel de riesgo de soborno", "Socios"], [list(r) for r in context["by_risk"]], (30, 12)),
            Sheet(
                "Decisiones DD", ["Decisión", "Debidas diligencias"], [list(r) for r in context["decisions"]], (30, 12)
            ),
        ]
