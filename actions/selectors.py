"""Read-side queries of the action tracker, shared by the pages, the API and the bench."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from actions.models import ActionItem

# The status filter value that means pending or in progress.
OPEN = "open"


def filter_items(qs: QuerySet[ActionItem], data: dict[str, Any], today: datetime.date) -> QuerySet[ActionItem]:
    open_statuses = [ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS]
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("status") == OPEN:
        qs = qs.filter(status__in=open_statuses)
    elif data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("overdue"):
        qs = qs.filter(status__in=open_statuses, due_date__lt=today)
    if data.get("responsible"):
        qs = qs.filter(responsible=data["responsible"])
    if data.get("unit"):
        qs = qs.filter(responsible_unit=data["unit"])
    return qs


OPEN_STATUSES = [ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS]


def count_per_source(
    source_model: type[Model], kind: str, *, open_only: bool = False, overdue_on: datetime.date | None = None
) -> Coalesce:
    """A subquery counting, for each row of `source_model` (the outer queryset), its action items
    of `kind`: all, the open ones, or those overdue on a day. For annotating lists without N+1."""
    items = ActionItem.objects.filter(
        kind=kind, source_type=ContentType.objects.get_for_model(source_model), source_id=OuterRef("pk")
    )
    if open_only or overdue_on is not None:
        items = items.filter(status__in=OPEN_STATUSES)
    if overdue_on is not None:
        items = items.filter(due_date__lt=overdue_on)
    counted = items.order_by().values("source_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
