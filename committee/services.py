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
from committee import workflows
from committee.access import require_secretary
from committee.models import AgendaItem, Session
from committee.verification import KIND
from core.services import ServiceError, lock, update_record
from organization.models import Site

SESSION_FIELDS = ["number", "kind", "date", "place", "guests", "minutes"]


@transaction.atomic
def create_session(*, data: dict[str, Any], by: Any) -> Session:
    require_secretary(by)
    if Session.objects.filter(number=data["number"]).exists():
        raise ServiceError(_("A session with that number already exists."), field="number")
    session = Session.objects.create(created_by=by, **{k: data[k] for k in SESSION_FIELDS if k in data})
    for order, topic in enumerate(data.get("agenda") or [], start=1):
        AgendaItem.objects.create(session=session, order=order, topic=topic)
    record(actor=by, action=AuditEvent.Action.CREATE, obj=session, changes=diff({}, snapshot(session, SESSION_FIELDS)))
    return session


def _require_open(session: Session, by: Any) -> None:
    """Only the secretaries change a session, and only while its acta is open."""
    if session.status == Session.Status.CLOSED:
        raise ServiceError(_("The acta is closed; the session can no longer change."))
    workflows.SESSION.check(by, session, "edit")


@transaction.atomic
def update_session(session: Session, *, data: dict[str, Any], by: Any) -> Session:
    _require_open(session, by)
    return update_record(session, data=data, fields=SESSION_FIELDS, by=by)


@transaction.atomic
def add_agenda_item(session: Session, *, topic: str, notes: str = "", by: Any) -> AgendaItem:
    _require_open(session, by)
    item = AgendaItem.objects.create(session=session, topic=topic, notes=notes, order=session.agenda.count() + 1)
    record(actor=by, action=AuditEvent.Action.CREATE, obj=item, changes={"topic": [None, topic]})
    return item


@transaction.atomic
def update_agenda_item(item: AgendaItem, *, data: dict[str, Any], by: Any) -> AgendaItem:
    """Topic and discussion notes of one agenda item, while the acta is open."""
    _require_open(item.session, by)
    return update_record(item, data=data, fields=["topic", "notes"], by=by)


@transaction.atomic
def set_attendance(session: Session, *, attendees: list[Any], by: Any) -> Session:
    _require_open(session, by)
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
    evidence_required: bool = True,
) -> ActionItem:
    """An acuerdo of the session, followed up to closure in the action tracker."""
    _require_open(session, by)
    if due_date is not None and due_date < session.date.date():
        raise ServiceError(_("The due date is before the session."), field="due_date")
    count = ActionItem.objects.filter(kind=ActionItem.AGREEMENT, source_id=session.pk).count()
    site = responsible.site if responsible is not None and responsible.site else Site.objects.get(is_central=True)
    return create_action(
        kind=ActionItem.AGREEMENT,
        source=session,
        title=title,
        site=site,
        by=by,
        responsible=responsible,
        responsible_unit=responsible_unit or getattr(responsible, "unit", None),
        due_date=due_date,
        number=f"{session.number}-{count + 1:02d}",
        evidence_required=evidence_required,
    )


def close_acta(session: Session, *, by: Any) -> Session:
    """Freeze the session and issue its acta (PDF in the seed's format, verification code).

    The PDF is printed before the transaction (WeasyPrint takes seconds, and inside the
    transaction every audited write would wait on the audit chain); inside it the session is
    locked and its printable HTML compared with what was printed: if someone changed the session
    meanwhile, the acta is printed again (once), else the closing is refused."""
    from committee.acta import acta_code, acta_html, acta_title
    from reports.pdf import html_to_pdf
    from reports.verification import issue, new_verification_code

    workflows.SESSION.check(by, Session.objects.get(pk=session.pk), "close")  # refuse before printing
    code = new_verification_code()
    for _attempt in range(2):
        probe = Session.objects.get(pk=session.pk)
        probe.acta_verification_code, probe.status = code, Session.Status.CLOSED
        printed = acta_html(probe)
        pdf = html_to_pdf(printed)
        with transaction.atomic():
            lock(session)
            workflows.SESSION.check(by, session, "close")
            old_status = session.status
            session.acta_verification_code, session.status = code, Session.Status.CLOSED
            if acta_html(session) != printed:
                session.refresh_from_db()
                continue
            session.acta_sha256 = hashlib.sha256(pdf).hexdigest()
            session.acta_pdf.save(f"acta-{session.number}.pdf", ContentFile(pdf), save=False)
            session.save(update_fields=["status", "acta_verification_code", "acta_sha256", "acta_pdf"])
            record(
                actor=by,
                action=AuditEvent.Action.STATE,
                obj=session,
                changes={
                    "status": [old_status, Session.Status.CLOSED],
                    "acta_sha256": [None, session.acta_sha256],
                    "closed_at": [None, timezone.now()],
                },
            )
            issue(
                obj=session,
                kind=KIND,
                verification_code=code,
                code=acta_code(session),
                title=acta_title(session),
                version="01",
                sha256=session.acta_sha256,
                by=by,
            )
            return session
    raise ServiceError(_("The session changed while its acta was being printed; close it again."))
