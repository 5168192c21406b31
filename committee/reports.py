"""The Committee's deliverables as reports (reports.base.Report): the acta of a session and the
follow-up of its acuerdos (seed Tabla 02: "Actas de reuniones del Comité del SIG")."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from actions.access import action_items_visible_to
from actions.models import ActionItem
from committee.access import sessions_visible_to
from committee.models import Session
from core.deadlines import days_late
from reports.base import Identity, Report, Sheet

# Printed actas and reports are in Spanish, whatever the reader's UI language.
STATUS_ES = {
    ActionItem.Status.PENDING: "Pendiente",
    ActionItem.Status.IN_PROGRESS: "En proceso",
    ActionItem.Status.DONE: "Cumplido",
    ActionItem.Status.CANCELLED: "Anulado",
}
FOLLOW_UP_HEADER = [
    "Sesión", "Fecha de sesión", "N.° de acuerdo", "Acuerdo", "Responsable", "Unidad responsable",
    "Plazo", "Estado", "Vencido", "Días de atraso", "Fecha de cierre", "Sustento del cierre", "Cerrado por",
]  # fmt: skip


def agreement_rows(user: Any) -> list[tuple[ActionItem, Session]]:
    """Every acuerdo the user may see with its session, oldest session first."""
    items = list(
        action_items_visible_to(user)
        .filter(kind=ActionItem.AGREEMENT, source_type=ContentType.objects.get_for_model(Session))
        .select_related("closed_by")
        .order_by("number", "pk")
    )
    sessions = sessions_visible_to(user).in_bulk({i.source_id for i in items})
    rows = [(i, sessions[i.source_id]) for i in items if i.source_id in sessions]
    rows.sort(key=lambda row: (row[1].date, row[0].number, row[0].pk))
    return rows


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class AgreementFollowUp(Report):
    """Seguimiento de acuerdos del Comité del SIG, as PDF (landscape, seed format) and XLSX."""

    template = "committee/print/agreements.html"
    landscape = True
    uncontrolled_legend = False
    audit_type = "committee.session"

    def __init__(self, user: Any, today: datetime.date | None = None) -> None:
        self.user = user
        self.today = today or timezone.localdate()
        self._rows: list[tuple[ActionItem, Session]] | None = None

    def identity(self) -> Identity:
        return Identity(title="Seguimiento de acuerdos del Comité del SIG", filename="seguimiento-acuerdos")

    def rows(self) -> list[tuple[ActionItem, Session]]:
        if self._rows is None:
            self._rows = agreement_rows(self.user)
        return self._rows

    def chart(self, rows: list[tuple[ActionItem, Session]]) -> Any:
        """Acuerdos by status, overdue apart: the picture above the table (SVG in the PDF)."""
        from reports.charts import bars

        statuses = list(ActionItem.Status)
        counts: dict[tuple[int, str], float | None] = {}
        for index, status in enumerate(statuses):
            items = [i for i, _s in rows if i.status == status]
            late = sum(1 for i in items if i.is_overdue(self.today))
            counts[(index, "on_time")] = len(items) - late
            counts[(index, "overdue")] = late
        return bars(
            "Acuerdos por estado",
            [(STATUS_ES.get(status, str(status)), "") for status in statuses],
            [("on_time", "A tiempo o cerrados"), ("overdue", "Vencidos")],
            counts,
            fmt=lambda v: f"{int(v)}",
            slug="agreements-by-status",
        )

    def context(self) -> dict[str, Any]:
        rows, today = self.rows(), self.today
        return {
            "chart": self.chart(rows),
            "rows": [
                (
                    i,
                    s,
                    STATUS_ES.get(ActionItem.Status(i.status), i.status),
                    days_late(i.due_date, today) if i.is_open else None,
                )
                for i, s in rows
            ],
            "summary": {
                "total": len(rows),
                "done": sum(1 for i, _s in rows if i.status == ActionItem.Status.DONE),
                "open": sum(1 for i, _s in rows if i.is_open),
                "overdue": sum(1 for i, _s in rows if i.is_overdue(today)),
                "cancelled": sum(1 for i, _s in rows if i.status == ActionItem.Status.CANCELLED),
            },
        }

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        today = self.today
        data = [
            [
                s.number, timezone.localtime(s.date).date(), i.number, i.title, _person(i.responsible),
                i.responsible_unit.name if i.responsible_unit else "", i.due_date, status,
                "Sí" if i.is_overdue(today) else "No", late, i.closed_on, i.closing_note, _person(i.closed_by),
            ]
            for i, s, status, late in context["rows"]
        ]  # fmt: skip
        return [Sheet("Acuerdos", FOLLOW_UP_HEADER, data, (10, 12, 12, 60, 28, 28, 12, 12, 9, 9, 12, 40, 28))]
