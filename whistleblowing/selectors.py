"""Statistics without content (management review, the seed's status report): counts by
category, channel, status, age and outcome, and the mean days to admit and to close. Only the
plaintext columns are read; nothing here can reveal a fact or an identity."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from whistleblowing.models import Case, ProtectionMeasure, Referral

AGE_BUCKETS = [(0, 30, "0–30"), (31, 90, "31–90"), (91, 180, "91–180"), (181, None, "> 180")]


def _counts(field: str, choices: Any) -> list[dict[str, Any]]:
    found = dict(Case.objects.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [{"key": value, "label": str(label), "count": found.get(value, 0)} for value, label in choices]


def _mean_days(start: str, end: str) -> float | None:
    rows = list(Case.objects.filter(**{f"{end}__isnull": False}).values_list(start, end))
    if not rows:
        return None
    return round(sum((b - a).total_seconds() for a, b in rows) / len(rows) / 86400, 1)


def statistics(today: datetime.date | None = None) -> dict[str, Any]:
    now = timezone.now()
    open_dates = list(Case.objects.exclude(status=Case.Status.CLOSED).values_list("received_at", flat=True))
    ages = []
    for low, high, label in AGE_BUCKETS:
        n = sum(1 for d in open_dates if (now - d).days >= low and (high is None or (now - d).days <= high))
        ages.append({"key": label, "label": label, "count": n})
    referrals = dict(Referral.objects.values_list("body").annotate(n=Count("pk")).values_list("body", "n"))
    return {
        "total": Case.objects.count(),
        "open": len(open_dates),
        "by_category": _counts("category", Case.Category.choices),
        "by_channel": _counts("channel", Case.Channel.choices),
        "by_status": _counts("status", Case.Status.choices),
        "by_outcome": _counts("outcome", Case.Outcome.choices),
        "open_by_age": ages,
        "referrals": [
            {"key": v, "label": str(label), "count": referrals.get(v, 0)} for v, label in Referral.Body.choices
        ],
        "protection_measures": ProtectionMeasure.objects.count(),
        "protection_late": ProtectionMeasure.objects.filter(late=True).count(),
        "mean_days_to_admit": _mean_days("received_at", "admitted_at"),
        "mean_days_to_close": _mean_days("received_at", "closed_at"),
    }
