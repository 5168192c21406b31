"""Read-side queries of the integrity registers, shared by the pages, the API, the matrices and
the bench.

At 20,000 partners and 100,000 due diligences: the partner register's order (name, id) and the
due-diligence register's (-started_on, -id) are indexes, so a page reads its 50 rows; counts stop
at core.pagination.COUNT_CAP; a partner's or a key position's latest due diligence is one index
look-up (subject, started_on, id) instead of loading all of them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

from django.db.models import OuterRef, Q, QuerySet, Subquery

from integrity.models import BusinessPartner, DueDiligence, KeyPosition, RiskLevel

PARTNER_ORDER = ("name", "id")
DD_ORDER = ("-started_on", "-id")
REVIEW_SOON_DAYS = 30
REVIEW_FILTERS = ("overdue", "soon")

T = TypeVar("T")


def partner_filters(params: Mapping[str, Any]) -> dict[str, str]:
    """The register's filters from a query string; unknown values are ignored (never an error)."""
    out = {"q": str(params.get("q", "")).strip()[:100]}
    risk = str(params.get("risk", ""))
    out["risk"] = risk if risk in RiskLevel.values else ""
    kind = str(params.get("kind", ""))
    out["kind"] = kind if kind in BusinessPartner.Kind.values else ""
    return out


def filter_partners(qs: QuerySet[BusinessPartner], data: Mapping[str, str]) -> QuerySet[BusinessPartner]:
    """By name (contains) or document number (starts with), bribery-risk level and type."""
    if data.get("q"):
        qs = qs.filter(Q(name__icontains=data["q"]) | Q(doc_number__startswith=data["q"]))
    if data.get("risk"):
        qs = qs.filter(risk_level=data["risk"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    return qs


def partner_rows(qs: QuerySet[BusinessPartner]) -> QuerySet[BusinessPartner]:
    """The register's rows in its order, with their processes (one query per page)."""
    return qs.prefetch_related("processes").order_by(*PARTNER_ORDER)


def dd_filters(params: Mapping[str, Any]) -> dict[str, str]:
    status = str(params.get("status", ""))
    review = str(params.get("review", ""))
    return {
        "status": status if status in DueDiligence.Status.values else "",
        "review": review if review in REVIEW_FILTERS else "",
    }


def filter_dds(qs: QuerySet[DueDiligence], data: Mapping[str, str], today: datetime.date) -> QuerySet[DueDiligence]:
    """By status, and by next review: past (overdue) or within REVIEW_SOON_DAYS (soon)."""
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("review") == "overdue":
        qs = qs.filter(next_review__lt=today)
    elif data.get("review") == "soon":
        qs = qs.filter(next_review__gte=today, next_review__lte=today + datetime.timedelta(days=REVIEW_SOON_DAYS))
    return qs


def dd_rows(qs: QuerySet[DueDiligence]) -> QuerySet[DueDiligence]:
    return qs.select_related("partner", "key_position", "responsible").order_by(*DD_ORDER)


def latest_dd(subject: str) -> Subquery:
    """The id of the subject's latest due diligence (by start date, then id): `subject` is
    "partner" or "key_position"."""
    return Subquery(DueDiligence.objects.filter(**{subject: OuterRef("pk")}).order_by(*DD_ORDER).values("pk")[:1])


def with_latest_dd(rows: list[Any]) -> list[Any]:
    """`last_dd` on each row (annotated with `last_dd_id` by latest_dd()), from one query."""
    ids = [r.last_dd_id for r in rows if r.last_dd_id]
    found = DueDiligence.objects.in_bulk(ids) if ids else {}
    for r in rows:
        r.last_dd = found.get(r.last_dd_id)
    return rows


def key_position_rows(qs: QuerySet[KeyPosition]) -> QuerySet[KeyPosition]:
    """Key positions in order with unit, site, holders and the id of their latest due diligence
    (a page's: with_latest_dd)."""
    return (
        qs.select_related("unit", "site")
        .prefetch_related("holders")
        .annotate(last_dd_id=latest_dd("key_position"))
        .order_by("position", "pk")
    )


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
