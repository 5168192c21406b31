"""Read-side queries of the action tracker, shared by the pages, the API and the bench."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

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
