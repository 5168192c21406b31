"""Action items for the tracker's tests: acuerdos of a Committee session, made through the
committee services (the only kind of item so far)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from committee import services
from committee.models import Session

LIST = reverse("actions:item_list")


def session(by: Any, number: str = "A01-2020") -> Session:
    date = timezone.make_aware(datetime.datetime(2020, 3, 5, 10, 0))  # noqa: DTZ001 - made aware here
    return services.create_session(data={"number": number, "kind": "ordinary", "date": date}, by=by)


def acuerdo(
    source: Session, by: Any, responsible: Any, title: str, due: datetime.date | None, evidence_required: bool = False
) -> ActionItem:
    """An acuerdo; by default one closed with a note (evidence_required=True: only with evidence)."""
    return services.record_agreement(
        source, title=title, responsible=responsible, due_date=due, by=by, evidence_required=evidence_required
    )


def status_url(item: ActionItem) -> str:
    return reverse("actions:item_status", args=[item.pk])


def detail_url(item: ActionItem) -> str:
    return reverse("actions:item_detail", args=[item.pk])
