"""The seed's status report across UTs ("Informes sobre el estatus de la implementación de las
Matrices de mejora de supervisión"), as PDF (seed format, landscape) and XLSX: per supervision
the items of its matriz de mejora (done, open, overdue, % implemented) and every item."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from actions.access import action_items_visible_to
from actions.models import ActionItem
from core.deadlines import days_late
from reports.base import Identity, Report, Sheet
from supervisions.access import supervisions_visible_to
from supervisions.models import ACTION_KIND, Supervision

STATUS_ES = {"pending": "Pendiente", "in_progress": "En proceso", "done": "Implementada", "cancelled": "Anulada"}
SUMMARY = ["UT", "Supervisión", "Fechas", "Ítems", "Implementados", "Pendientes", "Vencidos", "% de implementación"]
DETAIL = ["UT", "Supervisión", "N.°", "Mejora", "Responsable", "Plazo", "Estado", "Días de atraso", "Sustento"]


class MatrixStatusReport(Report):
    template = "supervisions/print/status.html"
    landscape = True
    uncontrolled_legend = False
    audit_type = "supervisions.supervision"

    def __init__(self, user: Any, today: datetime.date | None = None) -> None:
        self.user = user
        self.today = today or timezone.localdate()

    def identity(self) -> Identity:
        return Identity(
            title="Estatus de la implementación de las matrices de mejora de supervisión",
            filename="estatus-matrices-mejora",
        )

    def context(self) -> dict[str, Any]:
        sups = list(
            supervisions_visible_to(self.user).select_related("site").order_by("site__order", "start_date", "pk")
        )
        items = list(
            action_items_visible_to(self.user)
            .filter(
                kind=ACTION_KIND,
                source_type=ContentType.objects.get_for_model(Supervision),
                source_id__in=[s.pk for s in sups],
            )
            .order_by("number", "pk")
        )
        by_sup: dict[int, list[ActionItem]] = {}
        for item in items:
            by_sup.setdefault(item.source_id, []).append(item)
        rows = []
        for sup in sups:
            mine = by_sup.get(sup.pk, [])
            active = [i for i in mine if i.status != ActionItem.Status.CANCELLED]
            done = sum(1 for i in active if i.status == ActionItem.Status.DONE)
            rows.append(
                {
                    "sup": sup,
                    "items": [
                        (i, STATUS_ES.get(i.status, i.status), days_late(i.due_date, self.today) if i.is_open else None)
                        for i in mine
                    ],
                    "total": len(active),
                    "done": done,
                    "open": sum(1 for i in active if i.is_open),
                    "overdue": sum(1 for i in active if i.is_overdue(self.today)),
                    "percent": round(100 * done / len(active)) if active else 0,
                }
            )
        return {"rows": rows}

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        summary = [
            [
                r["sup"].site.code,
                r["sup"].code,
                f"{r['sup'].start_date:%d/%m/%Y}–{r['sup'].end_date:%d/%m/%Y}",
                r["total"],
                r["done"],
                r["open"],
                r["overdue"],
                r["percent"],
            ]
            for r in context["rows"]
        ]
        detail = [
            [
                r["sup"].site.code,
                r["sup"].code,
                i.number,
                i.title,
                i.responsible.get_full_name() if i.responsible else "",
                i.due_date,
                status,
                late,
                i.closing_note,
            ]
            for r in context["rows"]
            for i, status, late in r["items"]
        ]
        return [
            Sheet("Estatus por UT", SUMMARY, summary, (10, 16, 24, 8, 12, 12, 10, 14)),
            Sheet("Matrices de mejora", DETAIL, detail, (10, 16, 18, 60, 28, 12, 14, 10, 40)),
        ]
