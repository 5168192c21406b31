"""Documents at a glance: how many of the reader's documents are in each status, and when the
periodic reviews of those in force fall due, as charts with their figures (reports.charts).
Two grouped queries whatever the number of documents."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.http import require_role
from documents.access import documents_visible_to
from documents.models import VersionStatus
from reports.charts import BarChart, bars

SOON_DAYS = 30
LATER_DAYS = 90


def _count(value: Any) -> str:
    return f"{int(value)}"


def status_chart(user: Any) -> BarChart:
    counts = dict(
        documents_visible_to(user).order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    url = reverse("documents:document_list")
    shown = [s for s in VersionStatus if counts.get(s.value)]
    return bars(
        _("Documents by status"),
        [(str(s.label), f"{url}?{urlencode({'status': s.value})}") for s in shown],
        [("documents", _("Documents"))],
        {(i, "documents"): counts[s.value] for i, s in enumerate(shown)},
        fmt=_count,
        slug="documents-by-status",
    )


def review_chart(user: Any, today: datetime.date | None = None) -> BarChart:
    today = today or timezone.localdate()
    soon, later = today + datetime.timedelta(days=SOON_DAYS), today + datetime.timedelta(days=LATER_DAYS)
    figures = (
        documents_visible_to(user)
        .filter(current_version__isnull=False)
        .aggregate(
            overdue=Count("pk", filter=Q(next_review_on__lt=today)),
            soon=Count("pk", filter=Q(next_review_on__gte=today, next_review_on__lte=soon)),
            later=Count("pk", filter=Q(next_review_on__gt=soon, next_review_on__lte=later)),
            beyond=Count("pk", filter=Q(next_review_on__gt=later)),
            undated=Count("pk", filter=Q(next_review_on__isnull=True)),
        )
    )
    due_url = reverse("documents:document_list") + "?review=due"
    rows = [
        ("overdue", _("Overdue"), due_url),
        ("soon", _("Within %(n)s days") % {"n": SOON_DAYS}, due_url),
        ("later", _("In %(a)s to %(b)s days") % {"a": SOON_DAYS + 1, "b": LATER_DAYS}, ""),
        ("beyond", _("After %(n)s days") % {"n": LATER_DAYS}, ""),
        ("undated", _("No review date"), ""),
    ]
    return bars(
        _("Periodic reviews of the documents in force"),
        [(label, url) for _key, label, url in rows],
        [("documents", _("Documents"))],
        {(i, "documents"): figures[key] for i, (key, _label, _url) in enumerate(rows)},
        fmt=_count,
        slug="documents-reviews",
    )


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    return render(
        request,
        "documents/indicators.html",
        {"status_chart": status_chart(request.user), "review_chart": review_chart(request.user), "nav": "documents"},
    )
