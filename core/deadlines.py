"""One notion of due, due soon and overdue for every record with a due date (action items,
plan activities, periodic document reviews, legal clocks).

A record is *overdue* from the day after its due date while it is still open, *due soon* when
the due date is today or within `soon_days` (SIG_DUE_SOON_DAYS, default 30), and *on time*
otherwise; closed records have no deadline state. Lists filter with the Q builders, pages show
the state with the `due_badge` template tag."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DueState(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    SOON = "soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


def soon_days() -> int:
    return int(getattr(settings, "SIG_DUE_SOON_DAYS", 30))


def due_state(
    due: datetime.date | None, today: datetime.date, *, closed: bool = False, days: int | None = None
) -> DueState | None:
    if closed or due is None:
        return None
    if due < today:
        return DueState.OVERDUE
    if due <= today + datetime.timedelta(days=soon_days() if days is None else days):
        return DueState.SOON
    return DueState.ON_TIME


def days_late(due: datetime.date | None, today: datetime.date) -> int | None:
    return (today - due).days if due is not None and due < today else None


def overdue_q(field: str, today: datetime.date) -> Q:
    return Q(**{f"{field}__lt": today})


def due_soon_q(field: str, today: datetime.date, days: int | None = None) -> Q:
    """Due today or within `days`; overdue records are not included (combine with overdue_q)."""
    limit = today + datetime.timedelta(days=soon_days() if days is None else days)
    return Q(**{f"{field}__gte": today, f"{field}__lte": limit})


def due_or_overdue_q(field: str, today: datetime.date, days: int | None = None) -> Q:
    limit = today + datetime.timedelta(days=soon_days() if days is None else days)
    return Q(**{f"{field}__lte": limit})


def badge(state: Any) -> str:
    """The CSS class of a state's badge."""
    return {DueState.OVERDUE: "danger", DueState.SOON: "warn", DueState.ON_TIME: "ok"}.get(state, "")
