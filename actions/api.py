"""The action tracker over the API (/api/v1/actions/…): committee acuerdos today, other
follow-ups as their areas arrive. Same access helpers (actions.access) and services
(actions.services) as the pages: central roles see every item, a UT role its UT's items (404 on
the others); the status is changed by the person responsible or by the managers of the item's kind
(for acuerdos, the Committee secretaries): actions.access.can_update_action."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator, WithJsonSchema

from actions import access, services
from actions.models import ActionItem
from actions.selectors import OPEN, filter_items
from core.access import get_or_404, get_scope
from core.api_helpers import PageIn, PageOut, QueryIn, StrictIn, choices_schema, page
from core.registry import action_kinds

router = Router(tags=["actions"])

TEXT = settings.SIG_MAX_TEXT


def _kind(value: str) -> str:
    if value not in action_kinds():
        raise ValueError(_("Choose one of: %(values)s.") % {"values": ", ".join(sorted(action_kinds()))})
    return value


# Kinds are registered by the areas (core.registry.ActionKind): "acuerdo", and more as areas arrive.
ActionKind = Annotated[
    str,
    AfterValidator(_kind),
    WithJsonSchema({"title": "ActionKind", "type": "string", "description": "A registered kind, e.g. acuerdo."}),
]
ActionStatus = Annotated[ActionItem.Status, choices_schema(ActionItem.Status, "ActionStatus")]
STATUS_FILTERS = [*ActionItem.Status.values, OPEN]


def _status_filter(value: str) -> str:
    if value not in STATUS_FILTERS:
        raise ValueError(_("Choose one of: %(values)s.") % {"values": ", ".join(STATUS_FILTERS)})
    return value


# A status, or "open" for pending and in progress together (as the page's filter).
ActionStatusFilter = Annotated[
    str,
    AfterValidator(_status_filter),
    WithJsonSchema({"title": "ActionStatusFilter", "type": "string", "enum": STATUS_FILTERS}),
]


class ActionItemOut(Schema):
    id: int
    kind: str = Field(..., description="A registered kind of action item, e.g. acuerdo.")
    kind_label: str
    number: str
    title: str
    source_type: str = Field(..., description='What the item comes from, e.g. "committee.session".')
    source_id: int
    responsible_id: int | None
    responsible_name: str | None
    responsible_unit_id: int | None
    responsible_unit_code: str | None
    site_id: int
    site_code: str
    due_date: datetime.date | None
    status: ActionStatus
    is_open: bool
    is_overdue: bool
    closed_on: datetime.date | None
    closed_by_name: str | None
    closing_note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_source_type(obj: ActionItem) -> str:
        return f"{obj.source_type.app_label}.{obj.source_type.model}"

    @staticmethod
    def resolve_responsible_name(obj: ActionItem) -> str | None:
        return obj.responsible.get_full_name() if obj.responsible else None

    @staticmethod
    def resolve_responsible_unit_code(obj: ActionItem) -> str | None:
        return obj.responsible_unit.code if obj.responsible_unit else None

    @staticmethod
    def resolve_site_code(obj: ActionItem) -> str:
        return obj.site.code

    @staticmethod
    def resolve_closed_by_name(obj: ActionItem) -> str | None:
        return (obj.closed_by.get_full_name() or obj.closed_by.username) if obj.closed_by else None

    @staticmethod
    def resolve_is_overdue(obj: ActionItem) -> bool:
        return obj.is_overdue()


class ActionItemPage(PageOut):
    items: list[ActionItemOut]


class ActionItemFilter(QueryIn):
    kind: ActionKind | None = None
    status: ActionStatusFilter | None = Field(None, description='A status, or "open" (pending or in progress).')
    overdue: bool = Field(False, description="Only open items past their due date.")
    responsible: int | None = Field(None, description="Id of the person responsible.")
    unit: int | None = Field(None, description="Id of the unit responsible.")


class ActionStatusIn(StrictIn):
    status: ActionStatus
    note: str = Field("", max_length=TEXT, description="How it was closed (required to close or cancel).")


def items_visible_to(user: Any) -> Any:
    """The items the user sees, with what ActionItemOut shows in one query."""
    return access.action_items_visible_to(user).select_related("source_type", "closed_by")


@router.get("/actions", response=ActionItemPage, summary="Action items visible to you (acuerdos and follow-ups)")
def action_list(request: HttpRequest, filters: Query[ActionItemFilter], paging: Query[PageIn]) -> dict[str, Any]:
    if not get_scope(request.user).roles:
        raise Http404
    qs = filter_items(items_visible_to(request.user), filters.model_dump(), timezone.localdate())
    return page(qs.order_by("due_date", "pk"), paging)


@router.get("/actions/{pk}", response=ActionItemOut, summary="One action item")
def action_detail(request: HttpRequest, pk: int) -> ActionItem:
    return get_or_404(items_visible_to(request.user), pk=pk)


@router.post(
    "/actions/{pk}/status",
    response=ActionItemOut,
    summary="Change an item's status (the person responsible or a Committee secretary); closing needs a note",
)
def action_status(request: HttpRequest, pk: int, payload: ActionStatusIn) -> ActionItem:
    item = access.get_action_item_for_user(request.user, pk)
    services.set_action_status(item, status=payload.status, note=payload.note, by=request.user)
    return get_or_404(items_visible_to(request.user), pk=pk)
