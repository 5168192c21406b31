"""The audit trail over the API, for the same readers and with the same filters as the page
(audit.views.event_list): to anybody else the endpoint does not exist (404)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import ValidationInfo, field_validator

from accounts.roles import AUDIT_TRAIL_READERS
from audit.access import audit_events_visible_to
from audit.models import AuditEvent
from audit.selectors import KEYSET, filter_events
from core.access import require_visible_roles
from core.api_helpers import KeysetPageIn, PageOut, QueryIn, choices_schema, page

router = Router(tags=["audit"])
AuditAction = Annotated[AuditEvent.Action, choices_schema(AuditEvent.Action, "AuditAction")]


class AuditEventOut(Schema):
    id: int
    timestamp: datetime.datetime
    actor_id: int | None
    actor_label: str
    action: AuditAction
    object_type: str
    object_id: str
    object_repr: str
    site_id: int | None
    site_code: str | None
    changes: dict[str, Any]
    ip_address: str | None
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_site_code(obj: AuditEvent) -> str | None:
        return obj.site.code if obj.site else None


class AuditEventPage(PageOut):
    items: list[AuditEventOut]


class AuditFilter(QueryIn):
    action: AuditAction | None = None
    object_type: str | None = Field(None, max_length=100, description='e.g. "organization.site".')
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str | None = Field(None, max_length=100, description="Object, person or object id.")

    @field_validator("date_to")
    @classmethod
    def _not_before_start(cls, value: datetime.date | None, info: ValidationInfo) -> datetime.date | None:
        start = info.data.get("date_from")
        if value is not None and start is not None and value < start:
            raise ValueError(_("The end date is before the start date."))
        return value


@router.get("/audit-events", response=AuditEventPage, summary="Audit trail (audit-trail readers only)")
def event_list(request: HttpRequest, filters: Query[AuditFilter], paging: Query[KeysetPageIn]) -> dict[str, Any]:
    require_visible_roles(request.user, AUDIT_TRAIL_READERS)
    qs = filter_events(audit_events_visible_to(request.user), filters.model_dump())
    return page(qs.order_by("-id"), paging, KEYSET)
