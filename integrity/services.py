"""The integrity registers' state changes: permission, transaction, audit entry (core.services)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record
from core.access import get_scope
from core.services import ServiceError, create_record, lock, update_record
from integrity.access import can_decide_gift, require_keeper
from integrity.models import BusinessPartner, ConflictDeclaration, DueDiligence, Gift, KeyPosition

PARTNER_FIELDS = [
    "doc_type", "doc_number", "name", "kind", "processes", "site", "risk_level", "anti_bribery_clause",
    "commitment_signed_on", "due_diligence_required", "monitoring", "notes", "active",
]  # fmt: skip
KEY_POSITION_FIELDS = ["position", "unit", "site", "reason", "risk_level", "holders", "active"]
DD_FIELDS = [
    "partner", "key_position", "person_name", "started_on", "sources", "findings", "public_official",
    "politically_exposed", "high_risk_partner", "conclusion", "decision", "conditions", "valid_until", "next_review",
    "responsible",
]  # fmt: skip
GIFT_FIELDS = ["direction", "on", "counterpart", "partner", "description", "value", "occasion"]
DECLARATION_FIELDS = ["declared_on", "has_conflicts", "description", "mitigation"]


def gift_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "SIG_GIFT_THRESHOLD", "150.00")))


def declaration_months() -> int:
    return int(getattr(settings, "SIG_COI_RENEWAL_MONTHS", 12))


def _normalise_partner(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if "doc_number" in data and isinstance(data["doc_number"], str):
        data["doc_number"] = data["doc_number"].strip().replace(" ", "")
    if data.get("risk_level") == "high":  # more than low risk calls for due diligence (37001 8.2)
        data["due_diligence_required"] = True
    return data


def create_partner(*, data: dict[str, Any], by: Any) -> BusinessPartner:
    require_keeper(by)
    data = _normalise_partner(data)
    if BusinessPartner.objects.filter(doc_number=data.get("doc_number", "")).exists():
        raise ServiceError(_("A partner with that number is already registered."), field="doc_number")
    return create_record(BusinessPartner, data=data, fields=[f for f in PARTNER_FIELDS if f in data], by=by)


def update_partner(partner: BusinessPartner, *, data: dict[str, Any], by: Any) -> BusinessPartner:
    require_keeper(by)
    data = _normalise_partner(data)
    if BusinessPartner.objects.filter(doc_number=data.get("doc_number", "")).exclude(pk=partner.pk).exists():
        raise ServiceError(_("A partner with that number is already registered."), field="doc_number")
    with transaction.atomic():
        processes = data.pop("processes", None)
        update_record(partner, data=data, fields=[f for f in PARTNER_FIELDS if f != "processes"], by=by)
        if processes is not None:
            old = sorted(partner.processes.values_list("pk", flat=True))
            new = sorted(p.pk for p in processes)
            if old != new:
                partner.processes.set(processes)
                record(actor=by, action=AuditEvent.Action.UPDATE, obj=partner, changes={"processes": [old, new]})
    return partner


def create_key_position(*, data: dict[str, Any], by: Any) -> KeyPosition:
    require_keeper(by)
    return create_record(KeyPosition, data=data, fields=[f for f in KEY_POSITION_FIELDS if f in data], by=by)


def update_key_position(position: KeyPosition, *, data: dict[str, Any], by: Any) -> KeyPosition:
    require_keeper(by)
    with transaction.atomic():
        holders = data.pop("holders", None) if "holders" in data else None
        update_record(position, data=data, fields=[f for f in KEY_POSITION_FIELDS if f != "holders"], by=by)
        if holders is not None:
            old = sorted(position.holders.values_list("pk", flat=True))
            new = sorted(u.pk for u in holders)
            if old != new:
                position.holders.set(holders)
                record(actor=by, action=AuditEvent.Action.UPDATE, obj=position, changes={"holders": [old, new]})
    return position


def _check_dd(data: dict[str, Any], current: DueDiligence | None = None) -> None:
    partner = data.get("partner", current.partner if current else None)
    position = data.get("key_position", current.key_position if current else None)
    if (partner is None) == (position is None):
        raise ServiceError(_("Choose either a business partner or a key position."), field="partner")
    sources = data.get("sources", current.sources if current else [])
    if any(s not in DueDiligence.Source.values for s in sources or []):
        raise ServiceError(_("Choose the sources from the list."), field="sources")
    started = data.get("started_on", current.started_on if current else None)
    for name in ("valid_until", "next_review"):
        value = data.get(name, getattr(current, name, None) if current else None)
        if value is not None and started is not None and value < started:
            raise ServiceError(_("The date is before the start of the due diligence."), field=name)


def create_due_diligence(*, data: dict[str, Any], by: Any) -> DueDiligence:
    require_keeper(by)
    data = {"responsible": by, **data}
    _check_dd(data)
    return create_record(DueDiligence, data=data, fields=DD_FIELDS, by=by)


def update_due_diligence(dd: DueDiligence, *, data: dict[str, Any], by: Any) -> DueDiligence:
    require_keeper(by)
    if dd.status == DueDiligence.Status.COMPLETED:
        raise ServiceError(_("A completed due diligence cannot change; start a new one."))
    _check_dd(data, dd)
    return update_record(dd, data=data, fields=DD_FIELDS, by=by)


def complete_due_diligence(dd: DueDiligence, *, by: Any) -> DueDiligence:
    """Close the due diligence with its decision: the conclusion, a decision, a validity, and
    the enhanced review (conditions) when a red flag was found."""
    require_keeper(by)
    with transaction.atomic():
        lock(dd)
        if dd.status == DueDiligence.Status.COMPLETED:
            raise ServiceError(_("The due diligence is already completed."))
        if not dd.conclusion.strip():
            raise ServiceError(_("Write the conclusion first."), field="conclusion")
        if dd.decision == DueDiligence.Decision.PENDING:
            raise ServiceError(_("Record the decision first."), field="decision")
        if dd.decision == DueDiligence.Decision.CONDITIONS and not dd.conditions.strip():
            raise ServiceError(_("State the conditions."), field="conditions")
        if dd.enhanced and dd.decision == DueDiligence.Decision.PROCEED and not dd.conditions.strip():
            raise ServiceError(
                _("A red flag calls for enhanced due diligence: proceed only with conditions, or stop."),
                field="decision",
            )
        if dd.valid_until is None:
            raise ServiceError(_("Give the validity of the due diligence."), field="valid_until")
        dd.status, dd.completed_on = DueDiligence.Status.COMPLETED, timezone.localdate()
        if dd.next_review is None:
            dd.next_review = dd.valid_until
        dd.save(update_fields=["status", "completed_on", "next_review"])
        record(actor=by, action=AuditEvent.Action.STATE, obj=dd, changes={"status": ["in_progress", "completed"]})
    return dd


def register_gift(*, data: dict[str, Any], by: Any) -> Gift:
    """Anyone with a role registers a gift or hospitality they were offered, received, gave or
    were asked for."""
    if not get_scope(by).roles or not get_scope(by).can_write:
        raise PermissionDenied
    value = data.get("value")
    if value is None or value < 0:
        raise ServiceError(_("Give the estimated value in soles (0 or more)."), field="value")
    data = {**data, "servant": by, "created_by": by, "site": getattr(by, "site", None)}
    return create_record(Gift, data=data, fields=[*GIFT_FIELDS, "servant", "created_by", "site"], by=by)


def decide_gift(gift: Gift, *, decision: str, note: str, by: Any) -> Gift:
    if decision not in Gift.Decision.values or decision == Gift.Decision.PENDING:
        raise ServiceError(_("Choose a decision from the list."), field="decision")
    above = gift.value > gift_threshold()
    with transaction.atomic():
        lock(gift)
        if by.pk in (gift.servant_id, gift.created_by_id):
            raise ServiceError(_("Nobody decides on their own gift."), field="decision")
        if not can_decide_gift(by, gift, above):
            if above:
                raise ServiceError(
                    _("Above S/ %(n)s only the integrity function decides.") % {"n": gift_threshold()}, field="decision"
                )
            raise PermissionDenied
        if gift.decision != Gift.Decision.PENDING:
            raise ServiceError(_("The gift has already been decided."))
        old = gift.decision
        gift.decision, gift.decision_note, gift.approver, gift.decided_at = decision, note, by, timezone.now()
        gift.save(update_fields=["decision", "decision_note", "approver", "decided_at"])
        record(actor=by, action=AuditEvent.Action.STATE, obj=gift, changes={"decision": [old, decision]})
    return gift


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar as cal

    return day.replace(year=year, month=month, day=min(day.day, cal.monthrange(year, month)[1]))


def declare_conflicts(*, data: dict[str, Any], by: Any) -> ConflictDeclaration:
    """The person's own declaration, valid for SIG_COI_RENEWAL_MONTHS (default 12)."""
    if not get_scope(by).roles:
        raise PermissionDenied
    if data.get("has_conflicts") and not (data.get("description") or "").strip():
        raise ServiceError(_("Describe the interests you declare."), field="description")
    declared = data.get("declared_on") or timezone.localdate()
    if declared > timezone.localdate():
        raise ServiceError(_("The date cannot be in the future."), field="declared_on")
    data = {**data, "declared_on": declared, "person": by, "valid_until": _add_months(declared, declaration_months())}
    return create_record(ConflictDeclaration, data=data, fields=[*DECLARATION_FIELDS, "person", "valid_until"], by=by)


def remind_declarations(day: datetime.date) -> int:
    """Each person whose latest declaration expires within 30 days or has expired, at most once
    a day and once a week after expiry."""
    from django.db.models import Max
    from django.urls import reverse

    from core.notifications import notify

    latest = ConflictDeclaration.objects.values("person").annotate(last=Max("pk")).values_list("last", flat=True)
    sent = 0
    for d in ConflictDeclaration.objects.filter(
        pk__in=list(latest), valid_until__lte=day + datetime.timedelta(days=30)
    ).select_related("person"):
        if d.last_reminded_on is not None and (day - d.last_reminded_on).days < (7 if d.valid_until < day else 30):
            continue
        if not d.person.is_active:
            continue
        notify(
            [d.person],
            _("Renew your conflict-of-interest declaration"),
            _("Your declaration is valid until %(date)s.") % {"date": d.valid_until.strftime("%d/%m/%Y")},
            link=reverse("integrity:declaration_list"),
        )
        ConflictDeclaration.objects.filter(pk=d.pk).update(last_reminded_on=day)
        sent += 1
    return sent
