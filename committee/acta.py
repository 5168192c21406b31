"""The acta of a Comité del SIG session as PDF, in the seed's document format.

Pages carry the seed's frame (reports.pdf): entity, "ACTA DE SESIÓN … DEL COMITÉ DEL SIG",
code, version and "Página X de Y" in the header; the uncontrolled-copy legend and, once the
acta is closed, the authenticity paragraph with the verification code and its QR in the
footer. The body: place, date and time; attendees with their positions and the quorum line;
agenda; development (discussion of each topic and the minutes, Markdown); the plan change
requests the Committee reviewed; the acuerdos table; the attendees' signatures.

An open session renders as a draft (watermark "BORRADOR", no verification code): the
closing service (committee.services.close_acta) sets the status and code, then calls
`render_acta_pdf` once and stores and hashes the bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import translation

from actions.models import ActionItem
from actions.services import items_for
from committee.models import Session
from committee.reports import STATUS_ES
from committee.selectors import quorum
from core import registry
from reports.base import Identity, Report
from reports.markdown import markdown_to_html
from reports.pdf import html_to_pdf

TEMPLATE = "committee/print/acta.html"
# Printed actas are in Spanish, whatever the reader's UI language.
KIND_ES = {Session.Kind.ORDINARY: "ordinaria", Session.Kind.EXTRAORDINARY: "extraordinaria"}
DRAFT_WATERMARK = "BORRADOR"


@dataclass(frozen=True)
class Attendee:
    name: str
    position: str
    unit: str


@dataclass(frozen=True)
class Topic:
    number: int
    topic: str
    notes_html: str


def acta_code(session: Session) -> str:
    """The code printed in the header: the Committee's acronym and the session number."""
    return f"CSIG-{session.number}"


def acta_title(session: Session) -> str:
    return f"Acta de sesión {KIND_ES.get(Session.Kind(session.kind), session.kind)} N.° {session.number} del Comité del SIG"


def _attendee(user: Any) -> Attendee:
    return Attendee(
        name=user.get_full_name() or user.username,
        position=user.position,
        unit=user.unit.name if user.unit_id else "",
    )


class ActaReport(Report):
    """The acta of a session (reports.base.Report). Issued with a verification code once the
    session is closed (kind "committee.acta"); a draft otherwise."""

    template = TEMPLATE
    audit_type = "committee.session"

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def closed(self) -> bool:
        return self.session.status == Session.Status.CLOSED and bool(self.session.acta_verification_code)

    def identity(self) -> Identity:
        session = self.session
        return Identity(
            title=acta_title(session).upper(),
            code=acta_code(session),
            version="01",
            filename=f"acta-{session.number}" if self.closed else f"acta-{session.number}-borrador",
        )

    def watermark(self) -> str:
        return "" if self.closed else DRAFT_WATERMARK

    def audit_subject(self) -> Any:
        return self.session

    def context(self) -> dict[str, Any]:
        """Everything the print template shows besides the frame."""
        session = self.session
        present = list(session.attendees.select_related("unit").order_by("last_name", "first_name"))
        agreements = list(items_for(session).select_related("responsible", "responsible_unit").order_by("number", "pk"))
        return {
            "entity": registry.entity(),
            "session": session,
            "title": acta_title(session),
            "kind": KIND_ES.get(Session.Kind(session.kind), session.kind),
            "attendees": [_attendee(u) for u in present],
            "quorum": quorum(session),
            "topics": [
                Topic(n, item.topic, markdown_to_html(item.notes) if item.notes else "")
                for n, item in enumerate(session.agenda.all(), start=1)
            ],
            "minutes_html": markdown_to_html(session.minutes) if session.minutes else "",
            "change_requests": list(session.change_requests.select_related("plan").order_by("pk")),
            "agreements": [(item, STATUS_ES.get(ActionItem.Status(item.status), item.status)) for item in agreements],
            "closed": self.closed,
        }

    def verification_code(self) -> str:
        return (self.session.acta_verification_code or "") if self.closed else ""


def acta_context(session: Session) -> dict[str, Any]:
    """Everything the print template shows, the frame included."""
    report = ActaReport(session)
    with translation.override("es"):
        return {"frame": report.frame(report.verification_code()), **report.context()}


def acta_html(session: Session) -> str:
    """The printable HTML of the acta (what the PDF is made of), in Spanish."""
    report = ActaReport(session)
    return report.html(report.verification_code())


def render_acta_pdf(session: Session) -> bytes:
    """The acta of `session` as PDF bytes (see the module docstring). Uses the object as given,
    unsaved status and verification code included."""
    return html_to_pdf(acta_html(session))
