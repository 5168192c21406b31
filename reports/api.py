"""The public verification endpoint (/api/v1/public/verify/{code}), without authentication; its
rules are in reports.verification."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from core.middleware import client_ip
from reports import verification

public_router = Router(tags=["public"])


class PublicVerificationOut(Schema):
    """Every key is always present; all but `found` are null when the code matches nothing.
    `title` is null as well when the record is confidential or restricted (`restricted`)."""

    found: bool
    verification_code: str | None
    kind: str | None = Field(..., description="What was issued, e.g. documents.version, committee.acta.")
    kind_label: str | None
    document_code: str | None
    title: str | None
    version: str | None = Field(..., description='Version label, e.g. "02".')
    status: str | None = Field(..., description="current (in force) or obsolete, for the record issued.")
    status_label: str | None
    obsolete_on: datetime.date | None
    obsolete_reason: str | None
    approved_on: datetime.date | None
    approval_instrument: str | None
    effective_on: datetime.date | None
    controlled_sha256: str | None
    restricted: bool | None


class ErrorOut(Schema):
    detail: str


@public_router.get(
    "/public/verify/{code}",
    response={200: PublicVerificationOut, 429: ErrorOut},
    auth=None,
    summary="Verify an issued document by its code (no authentication; 200 whether found or not)",
    description=(
        "Right, wrong and malformed codes get the same status (200), the same keys and the same "
        "minimum answer time; lookups are limited per client address (429 beyond the limit)."
    ),
)
def public_verify(request: HttpRequest, code: str) -> Any:
    started = time.monotonic()
    ip = client_ip(request)
    if verification.over_limit(ip):
        return Status(429, {"detail": verification.rate_limit_message()})
    verification.record_attempt(ip)
    facts = verification.facts(verification.find(code[:50]))
    verification.pad(started)
    return facts.as_dict()
