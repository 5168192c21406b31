"""Test data for the Comité del SIG pages, built through the services (the demo organisation
gives the members: the Director and the UPPM head hold the Committee role; the SIG
coordinator is the secretary)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from audit.models import AuditEvent
from committee import services
from committee.models import Session


def at(day: str, time: str = "10:00") -> datetime.datetime:
    """An aware datetime in Lima from "dd/mm/aaaa" and "HH:MM"."""
    naive = datetime.datetime.strptime(f"{day} {time}", "%d/%m/%Y %H:%M")  # noqa: DTZ007 - made aware below
    return timezone.make_aware(naive)


def make_session(by: Any, number: str = "T01-2020", day: str = "05/03/2020", **extra: Any) -> Session:
    data = {
        "number": number,
        "kind": Session.Kind.ORDINARY,
        "date": at(day),
        "place": "Sala de reuniones de la Dirección Ejecutiva",
        "agenda": ["Revisión del Plan de Desarrollo del SIG 2020", "Seguimiento de acuerdos"],
        **extra,
    }
    return services.create_session(data=data, by=by)


def agreement(session: Session, by: Any, responsible: Any, title: str = "Actualizar el mapa de procesos",
              due: datetime.date | None = datetime.date(2020, 4, 30)) -> ActionItem:  # fmt: skip
    return services.record_agreement(
        session, title=title, responsible=responsible, due_date=due, by=by, evidence_required=False
    )


def attend(session: Session, by: Any, *people: Any) -> Session:
    return services.set_attendance(session, attendees=list(people), by=by)


def detail_url(session: Session, name: str = "session_detail", **extra: Any) -> str:
    return reverse(f"committee:{name}", kwargs={"pk": session.pk, **extra})


def events() -> int:
    return AuditEvent.objects.count()


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())
