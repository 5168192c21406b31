"""Read-side queries of the nonconformity register, shared by the page, the API and the bench."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet

from actions.models import ActionItem
from actions.selectors import OPEN_STATUSES, count_per_source
from nonconformities.models import ACTION_KIND, Nonconformity


def overdue_actions(today: datetime.date) -> Exists:
    return Exists(
        ActionItem.objects.filter(
            kind=ACTION_KIND,
            source_type=ContentType.objects.get_for_model(Nonconformity),
            source_id=OuterRef("pk"),
            status__in=OPEN_STATUSES,
            due_date__lt=today,
        )
    )


def filter_ncs(qs: QuerySet[Nonconformity], data: dict[str, Any], today: datetime.date) -> QuerySet[Nonconformity]:
    for name in ("status", "grade", "source"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    if data.get("site"):
        qs = qs.filter(site=data["site"])
    if data.get("q"):
        q = str(data["q"]).strip()
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    if data.get("overdue"):
        qs = qs.filter(overdue_actions(today))
    return qs


def register_rows(qs: QuerySet[Nonconformity], today: datetime.date) -> QuerySet[Nonconformity]:
    """The register's rows with their site and their action counts (no N+1)."""
    return qs.select_related("site").annotate(
        n_actions=count_per_source(Nonconformity, ACTION_KIND),
        n_overdue=count_per_source(Nonconformity, ACTION_KIND, overdue_on=today),
    )
