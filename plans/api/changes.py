"""Change requests over the API (seed §13): the coordinator proposes, the Comité del SIG
reviews it in a session, the Director approves (a new plan version with its change-control row)
or rejects, and the oficio to the DGCGPS and the memorando múltiple are recorded."""

from __future__ import annotations

import datetime
from typing import Any, Literal, cast

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from committee.access import can_manage_sessions, sessions_visible_to
from core.api_helpers import PageIn, PageOut, StrictIn, page, resolve_fk
from plans import services
from plans.access import (
    activities_visible_to,
    can_approve_plans,
    can_edit_plans,
    get_change_request_for_user,
    get_plan_for_user,
)
from plans.api.common import IDS, TEXT, ChangeRequestStatus, IdList, resolve_ids
from plans.models import ChangeRequest

router = Router(tags=["plans"])


class ChangeDiffOut(Schema):
    kind: str
    label: str
    what: str
    before: str
    after: str


class ChangeRequestOut(Schema):
    id: int
    plan_id: int
    status: ChangeRequestStatus
    reason: str
    affected_sections: str
    affected_activity_ids: list[int] = Field(..., description="Those visible to you.")
    supporting_report: str = Field(..., description="The supporting informe.")
    proposed_by_id: int
    proposed_by_name: str
    proposed_at: datetime.datetime
    committee_session_id: int | None
    committee_session_number: str | None
    committee_opinion: str
    decided_by_id: int | None
    decided_on: datetime.date | None
    decision_note: str
    resolution: str = Field(..., description="The approving resolution (RDE).")
    oficio_dgcgps: str = Field(..., description="Oficio reporting the change to MIDIS's DGCGPS.")
    memorando_multiple: str = Field(..., description="Memorando múltiple informing the units.")
    resulting_version: int | None
    changes: list[dict[str, Any]] = Field(..., description="The proposed changes, as applied on approval.")
    diff: list[ChangeDiffOut] = Field(..., description="What each change does: before → after.")

    @staticmethod
    def resolve_diff(obj: ChangeRequest) -> list[Any]:
        from plans.changes import PlanState, describe

        state = getattr(obj, "plan_state", None)
        return describe(obj.plan, obj.changes, cast(PlanState | None, state))

    @staticmethod
    def resolve_affected_activity_ids(obj: ChangeRequest) -> list[int]:
        return [a.pk for a in obj.affected_activities.all()]

    @staticmethod
    def resolve_proposed_by_name(obj: ChangeRequest) -> str:
        return obj.proposed_by.get_full_name()

    @staticmethod
    def resolve_committee_session_number(obj: ChangeRequest) -> str | None:
        return obj.committee_session.number if obj.committee_session else None


class ChangeRequestPage(PageOut):
    items: list[ChangeRequestOut]


# --- input schemas --------------------------------------------------------------------------


ChangeKind = Literal["reschedule", "add_activity", "cancel_activity", "add_product", "budget", "plan_text"]


class ChangeOp(StrictIn):
    """One proposed change (plans.changes); which fields it needs depends on `op`."""

    op: ChangeKind
    activity: str | None = Field(None, max_length=20, description="Code of an activity (reschedule, cancel_activity).")
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    stage: StrictInt | None = Field(None, ge=1, le=1000, description="Stage number (add_activity).")
    code: str | None = Field(None, max_length=20, description="Code of the new activity (add_activity).")
    title: str | None = Field(None, max_length=1000, description="Title of the new activity or product.")
    unit: str | None = Field(None, max_length=40, description="Code of the responsible unit (add_activity).")
    sites: list[str] | None = Field(None, max_length=100, description="Codes of its sites (add_activity).")
    products: list[str] | None = Field(None, max_length=100, description="Products of the new activity.")
    activities: list[str] | None = Field(None, max_length=IDS, description="Activity codes (add_product).")
    task: StrictInt | None = Field(None, ge=1, le=2**63 - 1, description="Id of a budget task (budget).")
    programmed_amount: str | None = Field(None, max_length=20, description="New programmed amount, e.g. 1250.50.")
    field: Literal["title", "objective", "scope"] | None = Field(None, description="Plan text field (plan_text).")
    value: str | None = Field(None, max_length=TEXT, description="Its new text (plan_text).")


class ChangeRequestIn(StrictIn):
    proposed: list[ChangeOp] = Field(
        ..., alias="changes", min_length=1, max_length=500, description="What the request changes."
    )
    reason: str = Field(..., max_length=TEXT)
    affected_sections: str = Field("", max_length=500)
    affected_activities: IdList = Field([], max_length=IDS)
    supporting_report: str = Field(..., max_length=200, description="The supporting informe, e.g. its number.")


class ChangeReviewIn(StrictIn):
    session_id: StrictInt = Field(..., description="Id of the Committee session that reviewed it.")
    opinion: str = Field("", max_length=TEXT)


class ChangeDecisionIn(StrictIn):
    approve: StrictBool
    resolution: str = Field("", max_length=200, description="The approving resolution (required to approve).")
    note: str = Field("", max_length=TEXT)


class ChangeCommunicationsIn(StrictIn):
    oficio: str = Field("", max_length=200, description="Number of the oficio to the DGCGPS.")
    memorando: str = Field("", max_length=200, description="Number of the memorando múltiple to the units.")


# --- endpoints ------------------------------------------------------------------------------


def _change_requests(request: HttpRequest) -> models.QuerySet[ChangeRequest]:
    return ChangeRequest.objects.select_related("plan", "proposed_by", "committee_session").prefetch_related(
        Prefetch("affected_activities", queryset=activities_visible_to(request.user).order_by("code"))
    )


def _change_request(request: HttpRequest, pk: int) -> ChangeRequest:
    get_change_request_for_user(request.user, pk)
    return _change_requests(request).get(pk=pk)


@router.get("/plans/{pk}/change-requests", response=ChangeRequestPage, summary="Change requests of a plan")
def change_request_list(request: HttpRequest, pk: int, paging: Query[PageIn]) -> dict[str, Any]:
    from plans.changes import PlanState

    plan = get_plan_for_user(request.user, pk)
    out = page(_change_requests(request).filter(plan=plan).order_by("-proposed_at", "-pk"), paging)
    state = PlanState.of(plan) if any(cr.changes for cr in out["items"]) else None
    for cr in out["items"]:
        cr.plan_state = state  # one read of the plan for every diff
    return out


@router.post(
    "/plans/{pk}/change-requests",
    response={201: ChangeRequestOut},
    summary="Propose a change to an approved plan (reason, affected sections and activities, informe)",
)
def change_request_create(request: HttpRequest, pk: int, payload: ChangeRequestIn) -> Status[ChangeRequest]:
    plan = get_plan_for_user(request.user, pk, write=True)
    data = resolve_ids(request, payload.model_dump(exclude={"proposed"}), plan)
    data["changes"] = [
        {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in op.model_dump(exclude_none=True).items()}
        for op in payload.proposed
    ]
    cr = services.propose_change(plan, data=data, by=request.user)
    return Status(201, _change_request(request, cr.pk))


@router.get("/change-requests/{pk}", response=ChangeRequestOut, summary="One change request")
def change_request_detail(request: HttpRequest, pk: int) -> ChangeRequest:
    return _change_request(request, pk)


@router.post(
    "/change-requests/{pk}/committee-review",
    response=ChangeRequestOut,
    summary="Record the Committee's review of a change request in a session (Committee secretaries)",
)
def change_request_review(request: HttpRequest, pk: int, payload: ChangeReviewIn) -> ChangeRequest:
    cr = get_change_request_for_user(request.user, pk)
    if not can_manage_sessions(request.user):
        raise PermissionDenied
    session = resolve_fk(sessions_visible_to(request.user), payload.session_id, "session_id")
    services.record_committee_review(cr, session=session, opinion=payload.opinion, by=request.user)
    return _change_request(request, pk)


@router.post(
    "/change-requests/{pk}/decide",
    response=ChangeRequestOut,
    summary="Approve (new plan version) or reject a reviewed change request (the Director)",
)
def change_request_decide(request: HttpRequest, pk: int, payload: ChangeDecisionIn) -> ChangeRequest:
    cr = get_change_request_for_user(request.user, pk)
    if not can_approve_plans(request.user):
        raise PermissionDenied
    services.decide_change(
        cr, approve=payload.approve, resolution=payload.resolution, note=payload.note, by=request.user
    )
    return _change_request(request, pk)


@router.post(
    "/change-requests/{pk}/communications",
    response=ChangeRequestOut,
    summary="Record the oficio to the DGCGPS and the memorando múltiple of an approved change",
)
def change_request_communications(request: HttpRequest, pk: int, payload: ChangeCommunicationsIn) -> ChangeRequest:
    cr = get_change_request_for_user(request.user, pk)
    if not can_edit_plans(request.user):
        raise PermissionDenied
    services.record_communications(cr, oficio=payload.oficio, memorando=payload.memorando, by=request.user)
    return _change_request(request, pk)
