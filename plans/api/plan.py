"""Plans over the API: the list per year and kind, one plan with its stages, the path borrador
→ Comité → aprobado, and the frozen versions with their change-control rows (seed §15)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from core.access import get_or_404
from core.api_helpers import OMITTED, PageIn, PageOut, QueryIn, StrictIn, page
from plans import services
from plans.access import can_approve_plans, get_plan_for_user, plans_visible_to
from plans.api.common import (
    IDS,
    MONEY_OUT,
    TEXT,
    IdList,
    Money,
    PlanKind,
    PlanStatus,
    require_editor,
    require_some_role,
    resolve_ids,
    soles,
)
from plans.models import Plan, PlanChangeEntry, PlanResponsibility, PlanVersion, Stage

router = Router(tags=["plans"])


class PlanStageOut(Schema):
    id: int
    number: int
    name: str
    description: str


class PlanResponsibilityOut(Schema):
    role: str
    responsibility: str


class PlanOut(Schema):
    id: int
    year: int
    kind: PlanKind
    title: str
    version: int
    version_label: str = Field(..., description='e.g. "02".')
    status: PlanStatus
    owner_unit_id: int
    owner_unit_code: str
    approving_resolution: str
    approved_on: datetime.date | None
    budget_amount: str = Field(..., description=MONEY_OUT)
    budget_source: str
    document_id: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_version_label(obj: Plan) -> str:
        return f"{obj.version:02d}"

    @staticmethod
    def resolve_owner_unit_code(obj: Plan) -> str:
        return obj.owner_unit.code

    @staticmethod
    def resolve_budget_amount(obj: Plan) -> str:
        return soles(obj.budget_amount)


class PlanPage(PageOut):
    items: list[PlanOut]


class PlanDetailOut(PlanOut):
    objective: str
    scope: str
    legal_basis_ids: list[int]
    responsibilities: list[PlanResponsibilityOut] = Field(..., description="Seed §5: roles and what they answer for.")
    stages: list[PlanStageOut]

    @staticmethod
    def resolve_legal_basis_ids(obj: Plan) -> list[int]:
        return [n.pk for n in obj.legal_basis.all()]

    @staticmethod
    def resolve_responsibilities(obj: Plan) -> list[PlanResponsibility]:
        return list(obj.responsibilities.all())

    @staticmethod
    def resolve_stages(obj: Plan) -> list[Stage]:
        return list(obj.stages.all())


class PlanVersionOut(Schema):
    number: int
    label: str
    approved_on: datetime.date | None
    approving_resolution: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_label(obj: PlanVersion) -> str:
        return f"{obj.number:02d}"


class PlanVersionPage(PageOut):
    items: list[PlanVersionOut]


class PlanVersionDetailOut(PlanVersionOut):
    plan_id: int
    snapshot: dict[str, Any] = Field(
        ...,
        description="The plan as approved in this version (title, objective, stages, activities, products, budget).",
    )


class PlanChangeEntryOut(Schema):
    id: int
    version: int
    date: datetime.date | None
    justification: str
    texts_modified: str
    responsible: str


class PlanChangeEntryPage(PageOut):
    items: list[PlanChangeEntryOut]


# --- input schemas --------------------------------------------------------------------------


class PlanFilter(QueryIn):
    year: int | None = Field(None, ge=1, le=32767)
    kind: PlanKind | None = None
    status: PlanStatus | None = None


class PlanResponsibilityIn(StrictIn):
    role: str = Field(..., min_length=1, max_length=200)
    responsibility: str = Field("", max_length=TEXT)


class PlanIn(StrictIn):
    year: StrictInt = Field(..., ge=2000, le=2100)
    kind: PlanKind = Plan.Kind.SIG
    title: str = Field(..., min_length=1, max_length=300)
    objective: str = Field(..., min_length=1, max_length=TEXT)
    scope: str = Field("", max_length=TEXT)
    owner_unit: StrictInt = Field(..., description="Id of the responsible unit.")
    budget_amount: Money = Decimal("0.00")
    budget_source: str = Field("", max_length=100)
    document: StrictInt | None = Field(None, description="Id of the controlled document of the plan, or null.")
    legal_basis: IdList = Field([], max_length=IDS, description="Ids of the legal norms it rests on.")
    responsibilities: list[PlanResponsibilityIn] = Field([], max_length=50)
    stages: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        [], max_length=20, description="Names of the stages, numbered from 1 in this order."
    )


class PlanPatch(StrictIn):
    year: StrictInt = Field(OMITTED, ge=2000, le=2100)
    kind: PlanKind = Field(OMITTED)
    title: str = Field(OMITTED, min_length=1, max_length=300)
    objective: str = Field(OMITTED, min_length=1, max_length=TEXT)
    scope: str = Field(OMITTED, max_length=TEXT)
    owner_unit: StrictInt = Field(OMITTED, description="Id of the responsible unit.")
    budget_amount: Money = Field(OMITTED)
    budget_source: str = Field(OMITTED, max_length=100)
    document: StrictInt | None = Field(None, description="Id of the controlled document of the plan, or null.")


class PlanApproveIn(StrictIn):
    resolution: str = Field("", max_length=200, description="The approving resolution, e.g. an RDE number.")
    approved_on: datetime.date | None = Field(None, description="Default today.")


# --- endpoints ------------------------------------------------------------------------------


def _plan(request: HttpRequest, pk: int) -> Plan:
    """One plan with what PlanDetailOut shows; 404 when the user may not see it."""
    return get_or_404(
        plans_visible_to(request.user).prefetch_related("legal_basis", "responsibilities", "stages"), pk=pk
    )


@router.get("/plans", response=PlanPage, summary="Plans (filter by year, kind, status)")
def plan_list(request: HttpRequest, filters: Query[PlanFilter], paging: Query[PageIn]) -> dict[str, Any]:
    require_some_role(request)
    qs = plans_visible_to(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page(qs.order_by("-year", "kind", "pk"), paging)


@router.post("/plans", response={201: PlanDetailOut}, summary="Create a plan in borrador (plan editors)")
def plan_create(request: HttpRequest, payload: PlanIn) -> Status[Plan]:
    require_editor(request)
    data = resolve_ids(request, payload.model_dump())
    data["responsibilities"] = [(r["role"], r["responsibility"]) for r in data["responsibilities"]]
    plan = services.create_plan(data=data, by=request.user)
    return Status(201, _plan(request, plan.pk))


@router.get("/plans/{pk}", response=PlanDetailOut, summary="One plan with its stages")
def plan_detail(request: HttpRequest, pk: int) -> Plan:
    return _plan(request, pk)


@router.patch(
    "/plans/{pk}",
    response=PlanDetailOut,
    summary="Change a plan before its approval (afterwards only through a change request)",
)
def plan_update(request: HttpRequest, pk: int, payload: PlanPatch) -> Plan:
    plan = get_plan_for_user(request.user, pk, write=True)
    services.update_plan(plan, data=resolve_ids(request, payload.changes()), by=request.user)
    return _plan(request, pk)


@router.post("/plans/{pk}/submit", response=PlanDetailOut, summary="Send a draft plan to the SIG Committee")
def plan_submit(request: HttpRequest, pk: int) -> Plan:
    plan = get_plan_for_user(request.user, pk, write=True)
    services.submit_plan_to_committee(plan, by=request.user)
    return _plan(request, pk)


@router.post(
    "/plans/{pk}/approve",
    response=PlanDetailOut,
    summary="Approve a plan reviewed by the Committee, citing the resolution (the Director)",
)
def plan_approve(request: HttpRequest, pk: int, payload: PlanApproveIn) -> Plan:
    plan = get_plan_for_user(request.user, pk)
    if not can_approve_plans(request.user):
        raise PermissionDenied
    approved_on = payload.approved_on or timezone.localdate()
    services.approve_plan(plan, resolution=payload.resolution, approved_on=approved_on, by=request.user)
    return _plan(request, pk)


@router.get("/plans/{pk}/versions", response=PlanVersionPage, summary="Approved versions of a plan")
def plan_versions(request: HttpRequest, pk: int, paging: Query[PageIn]) -> dict[str, Any]:
    plan = get_plan_for_user(request.user, pk)
    return page(PlanVersion.objects.filter(plan=plan).order_by("number"), paging)


@router.get(
    "/plans/{pk}/versions/{number}",
    response=PlanVersionDetailOut,
    summary="One approved version of a plan, as frozen when approved",
)
def plan_version_detail(request: HttpRequest, pk: int, number: int) -> PlanVersion:
    plan = get_plan_for_user(request.user, pk)
    return get_or_404(PlanVersion.objects.filter(plan=plan), number=number)


@router.get(
    "/plans/{pk}/change-entries",
    response=PlanChangeEntryPage,
    summary="The plan's change-control table (Control de Cambios)",
)
def plan_change_entries(request: HttpRequest, pk: int, paging: Query[PageIn]) -> dict[str, Any]:
    plan = get_plan_for_user(request.user, pk)
    return page(PlanChangeEntry.objects.filter(plan=plan).order_by("version", "order", "pk"), paging)
