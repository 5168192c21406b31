"""The channel over the API.

Public (no authentication), part of the contract for the national platform and integrators:
`POST /public/whistleblowing/reports` files a denuncia and answers its receipt once;
`GET /public/whistleblowing/reports/self` with the receipt in `X-Receipt` answers its status and
messages only. A wrong receipt gets the same 404 and the same minimum time as a right one that
matches nothing; failures are limited per address (429). Nothing about the client is stored.

For the integrity function: the list of cases (metadata only, never content) and the
statistics, which management and the administrator also read (counts only)."""

from __future__ import annotations

import datetime
import time
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import StrictBool

from core.access import get_scope
from core.api_helpers import PageIn, PageOut, StrictIn, choices_schema, page
from core.middleware import client_ip
from core.services import ServiceError
from whistleblowing import ratelimit, selectors, services
from whistleblowing.access import can_see_statistics, cases_visible_to
from whistleblowing.models import Case

router = Router(tags=["whistleblowing"])

Category = Annotated[Case.Category, choices_schema(Case.Category, "DenunciaCategory")]
CaseStatus = Annotated[Case.Status, choices_schema(Case.Status, "DenunciaStatus")]


class IdentityIn(StrictIn):
    name: str = Field("", max_length=200)
    document: str = Field("", max_length=20)
    email: str = Field("", max_length=200)
    phone: str = Field("", max_length=30)


class ReportIn(StrictIn):
    facts: str = Field(..., min_length=1, max_length=services.MAX_FACTS, description="What happened.")
    identity: IdentityIn | None = Field(None, description="Leave out to file anonymously.")
    category: Category = Field(Case.Category.OTHER)
    protection_requested: StrictBool = False


class ReportOut(Schema):
    receipt: str = Field(..., description="20 digits, answered once: the only way to follow the denuncia.")
    number: str
    status: CaseStatus
    received_at: datetime.datetime


class MessageOut(Schema):
    author: str = Field(..., description="filer or officer")
    body: str
    created_at: datetime.datetime


class SelfOut(Schema):
    number: str
    status: CaseStatus
    status_label: str
    received_at: datetime.datetime
    messages: list[MessageOut]


class ReceiptErrorOut(Schema):
    detail: str


NOT_FOUND = "No denuncia matches that receipt."


def _floor(started: float) -> None:
    from django.conf import settings

    left = int(getattr(settings, "SIG_WB_MIN_MS", 300)) / 1000 - (time.monotonic() - started)
    if left > 0:
        time.sleep(left)


@router.post(
    "/public/whistleblowing/reports",
    response={201: ReportOut, 503: ReceiptErrorOut},
    auth=None,
    summary="File a denuncia (no authentication; the receipt is answered once)",
)
def file_report(request: HttpRequest, payload: ReportIn) -> Any:
    if services.channel() is None:
        return Status(503, {"detail": "The channel is not set up yet."})
    with services.without_address():
        filed = services.file_case(
            facts=payload.facts,
            category=str(payload.category),
            identity=payload.identity.model_dump() if payload.identity else None,
            protection_requested=payload.protection_requested,
            channel=Case.Channel.API,
        )
    case = filed.case
    return Status(
        201, {"receipt": filed.receipt, "number": case.number, "status": case.status, "received_at": case.received_at}
    )


@router.get(
    "/public/whistleblowing/reports/self",
    response={200: SelfOut, 404: ReceiptErrorOut, 429: ReceiptErrorOut},
    auth=None,
    summary="Status and messages of one's own denuncia (receipt in the X-Receipt header)",
    openapi_extra={
        "parameters": [
            {
                "name": "X-Receipt",
                "in": "header",
                "required": True,
                "description": "The receipt answered when filing (20 digits; spaces allowed).",
                "schema": {"type": "string", "maxLength": 80},
            }
        ]
    },
)
def report_self(request: HttpRequest) -> Any:
    started = time.monotonic()
    x_receipt = request.headers.get("X-Receipt", "")[:80]
    if not x_receipt.strip():
        raise ValidationError(
            [{"loc": ["header", "X-Receipt"], "msg": "The X-Receipt header is required.", "type": "missing"}]
        )
    ip = client_ip(request)
    if ratelimit.blocked(ip):
        _floor(started)
        return Status(429, {"detail": "Too many wrong receipts from this address; wait an hour."})
    found = services.open_with_receipt(x_receipt)
    if found is None:
        ratelimit.failed(ip)
        _floor(started)
        return Status(404, {"detail": NOT_FOUND})
    case, key = found
    view = services.filer_view(case, key)
    _floor(started)
    return {
        "number": case.number,
        "status": case.status,
        "status_label": case.get_status_display(),
        "received_at": case.received_at,
        "messages": [{"author": m.author_kind, "body": m.body, "created_at": m.created_at} for m in view["messages"]],
    }


class CaseOut(Schema):
    """Metadata only: the content never leaves the server but decrypted on a member's page."""

    id: int
    number: str
    channel: str
    category: Category
    status: CaseStatus
    outcome: str
    received_at: datetime.datetime
    protection_due_at: datetime.datetime
    admitted_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class CasePage(PageOut):
    items: list[CaseOut]


@router.get("/whistleblowing/cases", response=CasePage, summary="Cases (metadata only; integrity function)")
def case_list(request: HttpRequest, params: Query[PageIn]) -> Any:
    from django.http import Http404

    if not get_scope(request.user).roles:
        raise Http404
    return page(cases_visible_to(request.user).order_by("-received_at", "-pk"), params)


class CountOut(Schema):
    key: str
    label: str
    count: int


class StatisticsOut(Schema):
    total: int
    open: int
    by_category: list[CountOut]
    by_channel: list[CountOut]
    by_status: list[CountOut]
    by_outcome: list[CountOut]
    open_by_age: list[CountOut]
    referrals: list[CountOut]
    protection_measures: int
    protection_late: int
    mean_days_to_admit: float | None
    mean_days_to_close: float | None


@router.get("/whistleblowing/statistics", response=StatisticsOut, summary="Counts without content")
def statistics(request: HttpRequest) -> Any:
    from django.http import Http404

    if not can_see_statistics(request.user):
        raise Http404
    return selectors.statistics()


__all__ = ["router", "ServiceError"]
