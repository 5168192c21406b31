from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions import workflows
from actions.models import ActionItem
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from core.notifications import notify
from core.registry import action_kind
from core.services import ServiceError, lock

FIELDS = ["title", "responsible", "responsible_unit", "due_date", "number"]


@transaction.atomic
def create_action(
    *,
    kind: str,
    source: models.Model,
    title: str,
    site: Any,
    by: Any,
    responsible: Any = None,
    responsible_unit: Any = None,
    due_date: datetime.date | None = None,
    number: str = "",
    evidence_required: bool | None = None,
) -> ActionItem:
    registered = action_kind(kind)
    if registered is None:
        raise ServiceError(_("Unknown kind of action."), field="kind")
    if not title.strip():
        raise ServiceError(_("Describe the action."), field="title")
    item = ActionItem.objects.create(
        kind=kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        title=title,
        responsible=responsible,
        responsible_unit=responsible_unit,
        site=site,
        due_date=due_date,
        number=number,
        evidence_required=registered.evidence_required if evidence_required is None else evidence_required,
    )
    record(actor=by, action=AuditEvent.Action.CREATE, obj=item, changes=diff({}, snapshot(item, ["kind", *FIELDS])))
    _changed(item)
    notify(
        workflows.owners(item),
        gettext_lazy("New action assigned: %(n)s"),
        gettext_lazy("%(k)s assigned to you or your unit: %(t)s — due %(d)s"),
        link=reverse("actions:item_detail", args=[item.pk]),
        actor=by,
        n=number or item.pk,
        k=registered.label,
        t=title,
        d=due_date.strftime("%d/%m/%Y") if due_date else "—",
    )
    return item


@transaction.atomic
def set_action_status(
    item: ActionItem, *, status: str, note: str = "", by: Any, on: datetime.date | None = None
) -> ActionItem:
    """Move the item along its workflow (actions.workflows.ITEM). Closing (done or cancelled)
    needs a note: the evidence or the reason."""
    if status not in ActionItem.Status.values:
        raise ServiceError(_("Unknown status."), field="status")
    lock(item)
    if status == item.status:
        raise ServiceError(_("The item already has that status."), field="status")
    if not item.is_open:
        raise ServiceError(_("The item is already closed."), field="status")
    workflows.ITEM.check(by, item, workflows.BY_STATUS[ActionItem.Status(status)])
    if status in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED) and not note.strip():
        raise ServiceError(_("Say how it was closed (evidence or reason)."), field="note")
    old = item.status
    item.status = status
    fields = ["status"]
    if status in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED):
        item.closed_on = on or timezone.localdate()
        item.closing_note = note
        item.closed_by = by if getattr(by, "is_authenticated", False) else None
        fields += ["closed_on", "closing_note", "closed_by"]
    item.save(update_fields=fields)
    record(actor=by, action=AuditEvent.Action.STATE, obj=item, changes={"status": [old, status], "note": [None, note]})
    _changed(item)
    return item


def _changed(item: ActionItem) -> None:
    """Tell the item's kind (core.registry.ActionKind.changed) that the item changed."""
    registered = action_kind(item.kind)
    if registered is not None and registered.changed is not None:
        registered.changed(item)


def items_for(source: models.Model) -> models.QuerySet[ActionItem]:
    return ActionItem.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)


@transaction.atomic
def add_item_evidence(item: ActionItem, *, data: dict[str, Any], by: Any) -> Any:
    """Link evidence that the item was carried out (a document by its code, or a file filed
    under the item's site); whoever keeps the item may."""
    from django.core.exceptions import PermissionDenied

    from actions.access import can_update_action
    from evidence.services import link_evidence, resolve_attached

    if not can_update_action(by, item):
        raise PermissionDenied
    if not item.is_open:
        raise ServiceError(_("The item is already closed."))
    evidence = resolve_attached(data=data, by=by, site=item.site)
    return link_evidence(target=item, evidence=evidence, note=data.get("note") or "", by=by)
