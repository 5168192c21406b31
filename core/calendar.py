"""The business-day calendar of Peru, for legal clocks (complaints, denuncias, breaches…).

A business day (día hábil) is Monday to Friday, not a national holiday (from the maintained
`holidays` library, Peru) and not a day the coordinator registered as non-working
(core.NonWorkingDay: decreed days, regional holidays, institutional closures). Clocks count in
business days (the day the term starts does not count) or in plain hours (e.g. the 48 hours to
report a personal-data breach)."""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import Any

import holidays
from django.utils import timezone

from core.models import NonWorkingDay

# Far enough for any legal term; a longer count is a mistake in the caller.
MAX_BUSINESS_DAYS = 3660


@lru_cache(maxsize=64)
def _national(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("PE", years=year).keys())


def national_holidays(year: int) -> dict[datetime.date, str]:
    """Peru's national holidays of `year` with their Spanish names."""
    return dict(sorted(holidays.country_holidays("PE", years=year, language="es").items()))


def _registered(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(
        NonWorkingDay.objects.filter(date__gte=start, date__lte=end, withdrawn_at__isnull=True).values_list(
            "date", flat=True
        )
    )


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _national(day.year) and not _registered(day, day)


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """The date on which a term of `days` business days that starts on `start` ends: the day
    of `start` does not count, the last day counted is the result. One query."""
    if not 0 <= days <= MAX_BUSINESS_DAYS:
        raise ValueError(f"a term of {days} business days is out of range")
    if days == 0:
        return start
    # Enough calendar days for `days` business days even in a month of holidays.
    horizon = start + datetime.timedelta(days=days * 2 + 30)
    closed = _registered(start, horizon)
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day > horizon:
            horizon = day + datetime.timedelta(days=days * 2 + 30)
            closed |= _registered(day, horizon)
        if day.weekday() < 5 and day not in _national(day.year) and day not in closed:
            counted += 1
    return day


def business_days_between(start: datetime.date, end: datetime.date) -> int:
    """Business days after `start` up to and including `end` (0 when `end` <= `start`)."""
    if end <= start:
        return 0
    closed = _registered(start, end)
    day, count = start, 0
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in _national(day.year) and day not in closed:
            count += 1
    return count


def deadline(
    start: datetime.datetime, *, hours: int | None = None, business_days: int | None = None
) -> datetime.datetime:
    """When a legal clock started at `start` runs out: after `hours` plain hours, or at the end
    (23:59:59, Lima time) of the last of `business_days` business days."""
    if (hours is None) == (business_days is None):
        raise ValueError("give either hours or business_days")
    if hours is not None:
        return start + datetime.timedelta(hours=hours)
    assert business_days is not None
    local = timezone.localtime(start)
    last = add_business_days(local.date(), business_days)
    end = datetime.datetime.combine(last, datetime.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


# --- keeping the registered days (reference editors: platform admin, SIG coordinator) ---------


def can_keep_calendar(user: object) -> bool:
    from accounts.roles import REFERENCE_EDITORS
    from core.access import get_scope

    return bool(get_scope(user).central_roles & REFERENCE_EDITORS)


def add_non_working_day(*, data: dict[str, Any], by: object) -> NonWorkingDay:
    from django.core.exceptions import PermissionDenied
    from django.db import transaction
    from django.utils.translation import gettext as _

    from core.services import ServiceError, create_record

    if not can_keep_calendar(by):
        raise PermissionDenied
    day = data["date"]
    with transaction.atomic():
        if NonWorkingDay.objects.filter(date=day, withdrawn_at__isnull=True).exists():
            raise ServiceError(_("That day is already registered."), field="date")
        if isinstance(day, datetime.date) and day in _national(day.year):
            raise ServiceError(_("That day is already a national holiday."), field="date")
        return create_record(NonWorkingDay, data=data, fields=["date", "kind", "description", "legal_basis"], by=by)


def withdraw_non_working_day(day: NonWorkingDay, *, by: object) -> NonWorkingDay:
    from django.core.exceptions import PermissionDenied
    from django.db import transaction
    from django.utils.translation import gettext as _

    from audit.models import AuditEvent
    from audit.services import record
    from core.services import ServiceError

    if not can_keep_calendar(by):
        raise PermissionDenied
    with transaction.atomic():
        if day.withdrawn_at is not None:
            raise ServiceError(_("That day was already withdrawn."))
        day.withdrawn_at = timezone.now()
        day.save(update_fields=["withdrawn_at"])
        record(actor=by, action=AuditEvent.Action.DELETE, obj=day, changes={"withdrawn_at": [None, day.withdrawn_at]})
    return day
