"""The seed's follow-up report of improvement actions ("Informes de seguimiento a la
implementación de los Registros y reportes de las acciones de mejora"), per period, unit (site)
and system, as PDF (seed format, landscape) and XLSX (reports.base.Report). One query for the
actions and one for their NCs, whatever the size."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import timezone

from actions.access import action_items_visible_to
from actions.models import ActionItem
from catalog.models import Requirement
from core.deadlines import days_late
from nonconformities.access import ncs_visible_to
from nonconformities.models import ACTION_KIND, Nonconformity
from reports.base import Identity, Report, Sheet

STATUS_ES = {
    ActionItem.Status.PENDING: "Pendiente",
    ActionItem.Status.IN_PROGRESS: "En proceso",
    ActionItem.Status.DONE: "Cumplida",
    ActionItem.Status.CANCELLED: "Anulada",
}
NC_STATUS_ES = {
    "open": "Abierta", "analysis": "En análisis", "plan_approved": "Plan aprobado", "execution": "En ejecución",
    "verification": "Verificación de eficacia", "closed": "Cerrada",
}  # fmt: skip
HEADER = [
    "No conformidad", "Grado", "Origen", "Sede", "Normas", "Estado de la NC", "N.° de acción", "Acción",
    "Responsable", "Plazo", "Estado", "Vencida", "Días de atraso", "Fecha de cierre", "Sustento del cierre",
]  # fmt: skip
MAX_ROWS = 20_000


class FollowUpReport(Report):
    template = "nonconformities/print/follow_up.html"
    landscape = True
    uncontrolled_legend = False
    audit_type = "nonconformities.nonconformity"

    def __init__(
        self,
        user: Any,
        *,
        year: int | None = None,
        site: Any = None,
        system: str = "",
        today: datetime.date | None = None,
    ) -> None:
        self.user, self.year, self.site, self.system = user, year, site, system
        self.today = today or timezone.localdate()
        self._rows: list[tuple[ActionItem, Nonconformity]] | None = None

    def identity(self) -> Identity:
        parts = [str(self.year) if self.year else "", self.site.code if self.site else "", self.system]
        suffix = " · ".join(p for p in parts if p)
        title = "Seguimiento a la implementación de las acciones de mejora" + (f" ({suffix})" if suffix else "")
        return Identity(title=title, filename="seguimiento-acciones-mejora")

    def rows(self) -> list[tuple[ActionItem, Nonconformity]]:
        if self._rows is not None:
            return self._rows
        ncs = ncs_visible_to(self.user)
        if self.year:
            ncs = ncs.filter(detected_on__year=self.year)
        if self.site is not None:
            ncs = ncs.filter(site=self.site)
        if self.system:
            ncs = ncs.filter(requirements__edition__standard__system_code=self.system).distinct()
        items = list(
            action_items_visible_to(self.user)
            .filter(
                kind=ACTION_KIND,
                source_type=ContentType.objects.get_for_model(Nonconformity),
                source_id__in=ncs.values("pk"),
            )
            .select_related("closed_by")
            .order_by("source_id", "number", "pk")[:MAX_ROWS]
        )
        by_pk = (
            ncs_visible_to(self.user)
            .select_related("site")
            .prefetch_related(
                Prefetch("requirements", queryset=Requirement.objects.select_related("edition__standard"))
            )
            .in_bulk({i.source_id for i in items})
        )
        self._rows = [(i, by_pk[i.source_id]) for i in items if i.source_id in by_pk]
        return self._rows

    def context(self) -> dict[str, Any]:
        today = self.today
        rows = [
            (
                item,
                nc,
                ", ".join(sorted({r.edition.standard.code for r in nc.requirements.all()})) or "—",
                STATUS_ES.get(ActionItem.Status(item.status), item.status),
                NC_STATUS_ES.get(nc.status, nc.status),
                days_late(item.due_date, today) if item.is_open else None,
            )
            for item, nc in self.rows()
        ]
        return {
            "rows": rows,
            "filters": self.identity().title,
            "summary": {
                "total": len(rows),
                "done": sum(1 for r in rows if r[0].status == ActionItem.Status.DONE),
                "open": sum(1 for r in rows if r[0].is_open),
                "overdue": sum(1 for r in rows if r[0].is_overdue(today)),
                "ncs": len({r[1].pk for r in rows}),
            },
        }

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        data = [
            [
                nc.code, nc.get_grade_display(), nc.get_source_display(), nc.site.code, standards, nc_status,
                item.number, item.title, (item.responsible.get_full_name() if item.responsible else ""), item.due_date,
                status, "Sí" if item.is_overdue(self.today) else "No", late, item.closed_on, item.closing_note,
            ]
            for item, nc, standards, status, nc_status, late in context["rows"]
        ]  # fmt: skip
        return [Sheet("Acciones de mejora", HEADER, data, (16, 14, 16, 8, 20, 16, 18, 50, 26, 11, 11, 8, 8, 11, 40))]
