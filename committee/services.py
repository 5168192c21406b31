from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionItem
from actions.services import create_action
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from committee.access import committee_members
from committee.models import AgendaItem, Session
from core.services import ServiceError, update_record
from organization.models import Site

SESSION_FIELDS = ["number", "kind", "date", "place", "guests", "minutes"]


def quorum(session: Session) -> dict[str, Any]:
    """Members present over members today; quorum is more than half (RDE 216-2019 [I])."""
    members = set(committee_members().values_list("pk", flat=True))
    present = members & set(session.attendees.values_list("pk", flat=True))
    return {"members": len(members), "present": len(present), "reached": len(present) * 2 > len(members)}


@transaction.atomic
def create_session(*, data: dict[str, Any], by: Any) -> Session:
    if Session.objects.filter(number=data["number"]).exists():
        raise ServiceError(_("A session with that number already exists."), field="number")
    session = Session.objects.create(created_by=by, **{k: data[k] for k in SESSION_FIELDS if k in data})
    for order, topic in enumerate(data.get("agenda") or [], start=1):
        AgendaItem.objects.create(session=session, order=order, topic=topic)
    record(actor=by, action=AuditEvent.Action.CREATE, obj=session, changes=diff({}, snapshot(session, SESSION_FIELDS)))
    return session


def _require_open(session: Session) -> None:
    if session.status == Session.Status.CLOSED:
        raise ServiceError(_("The acta is closed; the session can no longer change."))


@transaction.atomic
def update_session(session: Session, *, data: dict[str, Any], by: Any) -> Session:
    _require_open(session)
    return update_record(session, data=data, fields=SESSION_FIELDS, by=by)


@transaction.atomic
def add_agenda_item(session: Session, *, topic: str, notes: str = "", by: Any) -> AgendaItem:
    _require_open(session)
    item = AgendaItem.objects.create(session=session, topic=topic, notes=notes, order=session.agenda.count() + 1)
    record(actor=by, action=AuditEvent.Action.CREATE, obj=item, changes={"topic": [None, topic]})
    return item


@transaction.atomic
def update_agenda_item(item: AgendaItem, *, data: dict[str, Any], by: Any) -> AgendaItem:
    """Topic and discussion notes of one agenda item, while the acta is open."""
    _require_open(item.session)
    return update_record(item, data=data, fields=["topic", "notes"], by=by)


@transaction.atomic
def set_attendance(session: Session, *, attendees: list[Any], by: Any) -> Session:
    _require_open(session)
    old = sorted(session.attendees.values_list("pk", flat=True))
    new = sorted(u.pk for u in attendees)
    if old != new:
        session.attendees.set(attendees)
        if session.status == Session.Status.SCHEDULED:
            session.status = Session.Status.HELD
            session.save(update_fields=["status"])
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=session, changes={"attendees": [old, new]})
    return session


@transaction.atomic
def record_agreement(
    session: Session,
    *,
    title: str,
    responsible: Any,
    due_date: datetime.date | None,
    by: Any,
    responsible_unit: Any = None,
) -> ActionItem:
    """An acuerdo of the session, followed up to closure in the action tracker."""
    _require_open(session)
    if due_date is not None and due_date < session.date.date():
        raise ServiceError(_("The due date is before the session."), field="due_date")
    count = ActionItem.objects.filter(kind=ActionItem.Kind.AGREEMENT, source_id=session.pk).count()
    site = responsible.site if responsible is not None and responsible.site else Site.objects.get(is_central=True)
    return create_action(
        kind=ActionItem.Kind.AGREEMENT,
        source=session,
        title=title,
        site=site,
        by=by,
        responsible=responsible,
        responsible_unit=responsible_unit or getattr(responsible, "unit", None),
        due_date=due_date,
        number=f"{session.number}-{count + 1:02d}",
    )


@transaction.atomic
def close_acta(session: Session, *, by: Any) -> Session:
    """Freeze the session and render its acta (PDF in the seed's format, verification code)."""
    from committee.acta import render_acta_pdf
    from documents.codes import new_verification_code

    session = Session.objects.select_for_update().get(pk=session.pk)
    _require_open(session)
    if not session.attendees.exists():
        raise ServiceError(_("Record the attendance before closing the acta."), field="attendees")
    session.acta_verification_code = new_verification_code()
    session.status = Session.Status.CLOSED
    pdf = render_acta_pdf(session)
    session.acta_sha256 = hashlib.sha256(pdf).hexdigest()
    session.acta_pdf.save(f"acta-{session.number}.pdf", ContentFile(pdf), save=False)
    session.save(update_fields=["status", "acta_verification_code", "acta_sha256", "acta_pdf"])
    record(
        actor=by,
        action=AuditEvent.Action.STATE,
        obj=session,
        changes={
            "status": [Session.Status.HELD, Session.Status.CLOSED],
            "acta_sha256": [None, session.acta_sha256],
            "closed_at": [None, timezone.now()],
        },
    )
    return session
