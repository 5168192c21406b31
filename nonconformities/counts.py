"""The NCs per site and status (StatusCount), kept in step by the services: every NC raised or
moved to another status goes through `move`, inside the service's transaction."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Sum

from core.access import scope_by_site
from nonconformities.models import Nonconformity, StatusCount


def move(site_id: int, old: str | None, new: str | None) -> None:
    """One NC of the site leaves status `old` (None: it was just raised) for `new`."""
    if old == new:
        return
    if old is not None:
        StatusCount.objects.filter(site_id=site_id, status=old).update(n=F("n") - 1)
    if new is not None:
        row = StatusCount.objects.filter(site_id=site_id, status=new)
        if not row.update(n=F("n") + 1):
            StatusCount.objects.bulk_create([StatusCount(site_id=site_id, status=new, n=0)], ignore_conflicts=True)
            row.update(n=F("n") + 1)


def recount() -> None:
    """Count again from the NCs, set-based (the bench's bulk load; the migration does the same)."""
    StatusCount.objects.all().delete()
    rows = Nonconformity.objects.order_by().values("site_id", "status").annotate(n=Count("pk"))
    StatusCount.objects.bulk_create(StatusCount(site_id=r["site_id"], status=r["status"], n=r["n"]) for r in rows)


def counts_for(user: Any) -> dict[str, int]:
    """NCs per status at the sites the user sees: what
    `ncs_visible_to(user).values_list("status").annotate(Count("pk"))` gives (one small query)."""
    rows = scope_by_site(StatusCount.objects.order_by(), user).values_list("status").annotate(total=Sum("n"))
    return {status: total for status, total in rows if total}
