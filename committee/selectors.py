"""Read-side queries of the Comité del SIG, shared by the pages, the acta and the API."""

from __future__ import annotations

from typing import Any

from committee.access import committee_members
from committee.models import Session


def quorum(session: Session) -> dict[str, Any]:
    """Members present over members today; quorum is more than half (RDE 216-2019 [I])."""
    members = set(committee_members().values_list("pk", flat=True))
    present = members & set(session.attendees.values_list("pk", flat=True))
    return {"members": len(members), "present": len(present), "reached": len(present) * 2 > len(members)}


def agreements_chart(user: Any, today: Any = None) -> Any:
    """The Committee's acuerdos the reader sees, by status, split into on time and overdue, as a
    bar chart with its figures (reports.charts). One grouped query."""
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.http import urlencode
    from django.utils.translation import gettext as _

    from actions.access import action_items_visible_to
    from actions.models import ActionItem
    from reports.charts import bars

    today = today or timezone.localdate()
    open_states = [ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS]
    rows: dict[str, dict[str, int]] = {
        r["status"]: {"n": r["n"], "overdue": r["overdue"]}
        for r in action_items_visible_to(user)
        .filter(kind=ActionItem.AGREEMENT)
        .order_by()
        .values("status")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(status__in=open_states, due_date__lt=today)),
        )
    }
    url = reverse("actions:item_list")
    statuses = list(ActionItem.Status)
    return bars(
        _("Acuerdos by status"),
        [(str(s.label), f"{url}?{urlencode({'kind': ActionItem.AGREEMENT, 'status': s.value})}") for s in statuses],
        [("on_time", _("On time or closed")), ("overdue", _("Overdue"))],
        {
            **{
                (i, "on_time"): rows.get(s, {}).get("n", 0) - rows.get(s, {}).get("overdue", 0)
                for i, s in enumerate(statuses)
            },
            **{(i, "overdue"): rows.get(s, {}).get("overdue", 0) for i, s in enumerate(statuses)},
        },
        fmt=lambda v: f"{int(v)}",
        slug="agreements-by-status",
    )
