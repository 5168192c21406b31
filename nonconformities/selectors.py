"""Read-side queries of the nonconformity register, shared by the page, the API and the bench.

The register stays fast at 200,000 NCs and 600,000 actions: its order (-detected_on, -id) is an
index, so a page reads 50 rows; the action counts are read for those rows only, in one grouped
query; the overdue filter compares the NC's stored earliest open due date (next_open_due), which
the filtered index carries, so no action is looked up."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet

from actions.models import ActionItem
from actions.selectors import OPEN_STATUSES
from nonconformities.models import ACTION_KIND, Nonconformity

ORDER = ("-detected_on", "-id")


def _actions() -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(kind=ACTION_KIND, source_type=ContentType.objects.get_for_model(Nonconformity))


def open_due_of(source_ids: Iterable[int]) -> dict[int, datetime.date]:
    """The earliest due date of the open actions of each NC (computed from the actions)."""
    rows = (
        ActionItem.objects.filter(
            source_type=ContentType.objects.get_for_model(Nonconformity),
            source_id__in=list(source_ids),
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
        )
        .values("source_id")
        .annotate(first=Min("due_date"))
    )
    return {r["source_id"]: r["first"] for r in rows}


def refresh_next_open_due(nc_id: int) -> None:
    """Store the NC's earliest open due date (inside the transaction that changed an action)."""
    Nonconformity.objects.filter(pk=nc_id).update(next_open_due=open_due_of([nc_id]).get(nc_id))


def has_overdue_actions(today: datetime.date) -> Q:
    """Whether an NC has an open action past its due date: its stored earliest open due date
    (next_open_due, kept in step with its actions) is before today."""
    return Q(next_open_due__lt=today)


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
        qs = qs.filter(has_overdue_actions(today))
    return qs


def register_rows(qs: QuerySet[Nonconformity], today: datetime.date) -> QuerySet[Nonconformity]:
    """The register's rows in its order, with their site (counts: attach_action_counts)."""
    return qs.select_related("site").order_by(*ORDER)


def attach_action_counts(rows: Iterable[Nonconformity], today: datetime.date) -> None:
    """`n_actions` and `n_overdue` on each NC of a page, from one grouped query."""
    rows = list(rows)
    if not rows:
        return
    counts = {
        r["source_id"]: r
        for r in _actions()
        .filter(source_id__in=[nc.pk for nc in rows])
        .values("source_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)))
    }
    for nc in rows:
        row: Any = counts.get(nc.pk, {})
        nc.n_actions = row.get("n", 0)  # type: ignore[attr-defined]
        nc.n_overdue = row.get("late", 0)  # type: ignore[attr-defined]
