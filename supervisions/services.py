"""The only way supervisions change: the managers (Coordinador/a Técnico/a, SIG coordinator)
plan them, record the checklist and the report, and set the matriz de mejora, whose items are
followed in the shared action tracker (reminders and escalation included)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionItem
from actions.services import create_action, items_for
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from core.services import ServiceError, lock
from supervisions.access import require_manager
from supervisions.models import ACTION_KIND, Check, Supervision

FIELDS = ["code", "site", "title", "plan", "start_date", "end_date"]


@transaction.atomic
def create_supervision(*, data: dict[str, Any], by: Any) -> Supervision:
    require_manager(by)
    site = data.get("site")
    if site is None or site.is_central:
        raise ServiceError(_("Choose the UT to supervise."), field="site")
    if data["end_date"] < data["start_date"]:
        raise ServiceError(_("The supervision ends before it starts."), field="end_date")
    if Supervision.objects.filter(code__iexact=data.get("code", "")).exists():
        raise ServiceError(_("Another supervision already has that code."), field="code")
    supervisors = list(data.get("supervisors") or [])
    if not supervisors:
        raise ServiceError(_("Name at least one supervisor."), field="supervisors")
    sup = Supervision(created_by=by, **{k: data[k] for k in FIELDS})
    sup.full_clean()
    sup.save()
    sup.supervisors.set(supervisors)
    record(actor=by, action=AuditEvent.Action.CREATE, obj=sup, changes=diff({}, snapshot(sup, FIELDS)))
    return sup


def _open(sup: Supervision) -> None:
    if sup.status == Supervision.Status.REPORTED:
        raise ServiceError(_("The supervision is reported; its record no longer changes."))


@transaction.atomic
def add_check(
    sup: Supervision, *, aspect: str, result: str, observation: str = "", process: Any = None, by: Any
) -> Check:
    lock(sup)
    require_manager(by)
    _open(sup)
    if result not in Check.Result.values:
        raise ServiceError(_("Choose a result."), field="result")
    if result != Check.Result.MEETS and not observation.strip():
        raise ServiceError(_("Write the observation of an aspect that is not met."), field="observation")
    check = Check.objects.create(
        supervision=sup,
        order=sup.checks.count() + 1,
        aspect=aspect,
        result=result,
        observation=observation,
        process=process,
    )
    if sup.status == Supervision.Status.PLANNED:
        sup.status = Supervision.Status.IN_PROGRESS
        sup.save(update_fields=["status"])
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=check,
        changes={"aspect": [None, aspect], "result": [None, result]},
    )
    return check


@transaction.atomic
def add_improvement(
    sup: Supervision, *, title: str, due_date: datetime.date | None, by: Any, responsible: Any = None
) -> ActionItem:
    """An item of the supervision's matriz de mejora, followed in the action tracker."""
    lock(sup)
    require_manager(by)
    if due_date is None:
        raise ServiceError(_("Give the item a due date."), field="due_date")
    if due_date < sup.start_date:
        raise ServiceError(_("The due date is before the supervision."), field="due_date")
    n = items_for(sup).filter(kind=ACTION_KIND).count() + 1
    return create_action(
        kind=ACTION_KIND,
        source=sup,
        title=title,
        site=sup.site,
        by=by,
        responsible=responsible,
        responsible_unit=getattr(responsible, "unit", None),
        due_date=due_date,
        number=f"{sup.code}-M{n:02d}",
        evidence_required=True,
    )


@transaction.atomic
def record_report(sup: Supervision, *, report: str, by: Any) -> Supervision:
    """The supervision's report closes its fieldwork; the matriz de mejora keeps being followed."""
    lock(sup)
    require_manager(by)
    _open(sup)
    if not report.strip():
        raise ServiceError(_("Write the report."), field="report")
    if not sup.checks.exists():
        raise ServiceError(_("Record the checklist before the report."), field="report")
    old = sup.status
    sup.report, sup.status, sup.reported_on = report, Supervision.Status.REPORTED, timezone.localdate()
    sup.save(update_fields=["report", "status", "reported_on"])
    record(actor=by, action=AuditEvent.Action.STATE, obj=sup, changes={"status": [old, sup.status]})
    return sup
