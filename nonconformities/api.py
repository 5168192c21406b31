"""Nonconformities over the API (/api/v1/nonconformities/…): the register, raising an NC, its
correction, analysis, actions, workflow steps and effectiveness verification. Same access
helpers (nonconformities.access) and services as the pages: a UT role sees its UT's NCs (404 on
the others), central roles all; a refused step answers 400 naming the field."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from actions.api import ActionItemOut, items_visible_to
from actions.models import ActionItem
from catalog.access import requirements_visible_to
from core.access import get_or_404, get_scope
from core.api_helpers import PageIn, PageOut, QueryIn, StrictIn, choices_schema, field_error, page, resolve_fk
from nonconformities import services, workflows
from nonconformities.access import can_raise, get_nc_for_user, is_keeper, is_verifier, ncs_visible_to
from nonconformities.forms import people_at, writable_sites
from nonconformities.models import MAX_WHYS, EffectivenessCheck, Nonconformity
from nonconformities.selectors import attach_action_counts, filter_ncs, register_rows
from organization.models import OrgUnit, Process

router = Router(tags=["nonconformities"])

TEXT = settings.SIG_MAX_TEXT
NCStatus = Annotated[Nonconformity.Status, choices_schema(Nonconformity.Status, "NCStatus")]
NCGrade = Annotated[Nonconformity.Grade, choices_schema(Nonconformity.Grade, "NCGrade")]
NCSource = Annotated[Nonconformity.Source, choices_schema(Nonconformity.Source, "NCSource")]
NCRating = Annotated[EffectivenessCheck.Rating, choices_schema(EffectivenessCheck.Rating, "NCRating")]
STEPS = [t.name for t in workflows.NC.transitions if t.name not in workflows.VERIFICATION]


class NCOut(Schema):
    id: int
    code: str
    title: str
    source: NCSource
    source_reference: str
    grade: NCGrade
    status: NCStatus
    site_id: int
    site_code: str
    unit_id: int | None
    process_id: int | None
    detected_on: datetime.date
    n_actions: int = Field(0, description="Corrective or improvement actions of the NC.")
    n_overdue: int = Field(0, description="Its open actions past their due date.")

    @staticmethod
    def resolve_site_code(obj: Nonconformity) -> str:
        return obj.site.code


class NCPage(PageOut):
    items: list[NCOut]


class NCCheckOut(Schema):
    rating: NCRating
    note: str
    verified_by: str
    verified_on: datetime.date

    @staticmethod
    def resolve_verified_by(obj: EffectivenessCheck) -> str:
        return obj.verified_by.get_full_name() or obj.verified_by.username


class NCDetailOut(NCOut):
    description: str
    origin_type: str | None = Field(None, description='The record it comes from, e.g. "audits.finding".')
    origin_id: int | None
    requirement_ids: list[int]
    correction: str
    correction_on: datetime.date | None
    whys: list[str]
    ishikawa: dict[str, str]
    root_cause: str
    plan_approved_on: datetime.date | None
    closed_on: datetime.date | None
    reopened: int
    actions: list[ActionItemOut]
    checks: list[NCCheckOut]
    next_steps: list[str] = Field(..., description="Workflow steps you may take now (POST …/steps).")

    @staticmethod
    def resolve_origin_type(obj: Nonconformity) -> str | None:
        ct = obj.origin_type
        return f"{ct.app_label}.{ct.model}" if ct is not None else None

    @staticmethod
    def resolve_requirement_ids(obj: Nonconformity) -> list[int]:
        return [r.pk for r in obj.requirements.all()]

    @staticmethod
    def resolve_actions(obj: Any) -> list[ActionItem]:
        return list(obj.action_rows)

    @staticmethod
    def resolve_checks(obj: Nonconformity) -> list[EffectivenessCheck]:
        return list(obj.checks.select_related("verified_by").order_by("pk"))

    @staticmethod
    def resolve_next_steps(obj: Any) -> list[str]:
        return list(obj.next_step_names)


class NCFilter(QueryIn):
    status: NCStatus | None = None
    grade: NCGrade | None = None
    source: NCSource | None = None
    site: int | None = Field(None, description="Id of the site.")
    q: str | None = Field(None, max_length=100, description="Part of the code or title.")
    overdue: bool = Field(False, description="Only NCs with open actions past their due date.")


class NCIn(StrictIn):
    source: NCSource = Nonconformity.Source.SELF
    source_reference: str = Field("", max_length=200)
    grade: NCGrade = Nonconformity.Grade.MINOR
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field(..., min_length=1, max_length=TEXT)
    site: StrictInt = Field(..., description="Id of the site (Sede Central or UT).")
    unit: StrictInt | None = None
    process: StrictInt | None = None
    detected_on: datetime.date | None = Field(None, description="Default today; never in the future.")
    requirements: list[StrictInt] = Field([], max_length=100, description="Ids of the requirements not met.")


class NCCorrectionIn(StrictIn):
    correction: str = Field(..., min_length=1, max_length=TEXT)
    correction_on: datetime.date | None = None


class NCAnalysisIn(StrictIn):
    whys: list[Annotated[str, Field(max_length=1000)]] = Field([], max_length=MAX_WHYS)
    ishikawa: dict[str, Annotated[str, Field(max_length=1000)]] = Field(
        {}, description="Causes by category: " + ", ".join(Nonconformity.Category.values) + "."
    )
    root_cause: str = Field(..., min_length=1, max_length=TEXT)


class NCActionIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=1000)
    responsible: StrictInt | None = Field(None, description="Id of the person responsible (default: the UT head).")
    due_date: datetime.date


class NCStepIn(StrictIn):
    action: str = Field(..., description="One of: " + ", ".join(STEPS) + ".", max_length=40)


class NCVerificationIn(StrictIn):
    rating: NCRating
    note: str = Field(..., min_length=1, max_length=TEXT)


def _detail(request: HttpRequest, pk: int) -> Nonconformity:
    nc = get_nc_for_user(request.user, pk)
    nc.action_rows = list(  # type: ignore[attr-defined]
        items_visible_to(request.user)
        .filter(pk__in=workflows.actions_of(nc).values("pk"))
        .select_related("responsible", "responsible_unit", "site", "source_type")
        .order_by("number", "pk")
    )
    nc.next_step_names = [t.name for t in workflows.NC.offered(request.user, nc)]  # type: ignore[attr-defined]
    nc.n_actions = len(nc.action_rows)  # type: ignore[attr-defined]
    rows: list[ActionItem] = nc.action_rows  # type: ignore[attr-defined]
    nc.n_overdue = len([a for a in rows if a.is_overdue()])  # type: ignore[attr-defined]
    return nc


@router.get("/nonconformities", response=NCPage, summary="The nonconformity register (your units)")
def nc_list(request: HttpRequest, filters: Query[NCFilter], paging: Query[PageIn]) -> dict[str, Any]:
    if not get_scope(request.user).roles:
        raise Http404
    today = timezone.localdate()
    qs = filter_ncs(ncs_visible_to(request.user), filters.model_dump(), today)
    result = page(register_rows(qs, today), paging)
    attach_action_counts(result["items"], today)
    return result


@router.post("/nonconformities", response={201: NCDetailOut}, summary="Raise a nonconformity")
def nc_create(request: HttpRequest, payload: NCIn) -> Status[Nonconformity]:
    if not can_raise(request.user):
        raise PermissionDenied
    data = payload.model_dump()
    data["site"] = resolve_fk(writable_sites(request.user), payload.site, "site")
    data["unit"] = resolve_fk(OrgUnit.objects.filter(is_active=True), payload.unit, "unit")
    data["process"] = resolve_fk(Process.objects.filter(is_active=True), payload.process, "process")
    reqs = list(requirements_visible_to(request.user).filter(pk__in=set(payload.requirements)))
    if len(reqs) != len(set(payload.requirements)):
        raise field_error("requirements", _("No such record, or it is not available to you."), "not_found")
    data["requirements"] = reqs
    nc = services.raise_nc(data=data, by=request.user)
    return Status(201, _detail(request, nc.pk))


@router.get("/nonconformities/{pk}", response=NCDetailOut, summary="One nonconformity with its actions")
def nc_detail(request: HttpRequest, pk: int) -> Nonconformity:
    return _detail(request, pk)


def _keeper(request: HttpRequest, pk: int) -> Nonconformity:
    nc = get_nc_for_user(request.user, pk)
    if not is_keeper(request.user, nc):
        raise PermissionDenied
    return nc


@router.post("/nonconformities/{pk}/correction", response=NCDetailOut, summary="Record the immediate correction")
def nc_correction(request: HttpRequest, pk: int, payload: NCCorrectionIn) -> Nonconformity:
    nc = _keeper(request, pk)
    services.record_correction(nc, correction=payload.correction, on=payload.correction_on, by=request.user)
    return _detail(request, pk)


@router.post("/nonconformities/{pk}/analysis", response=NCDetailOut, summary="Record the root-cause analysis")
def nc_analysis(request: HttpRequest, pk: int, payload: NCAnalysisIn) -> Nonconformity:
    nc = _keeper(request, pk)
    services.record_analysis(
        nc, whys=payload.whys, ishikawa=payload.ishikawa, root_cause=payload.root_cause, by=request.user
    )
    return _detail(request, pk)


@router.post("/nonconformities/{pk}/actions", response={201: ActionItemOut}, summary="Propose a corrective action")
def nc_action(request: HttpRequest, pk: int, payload: NCActionIn) -> Status[ActionItem]:
    nc = _keeper(request, pk)
    responsible = resolve_fk(people_at(nc.site_id), payload.responsible, "responsible")
    item = services.propose_action(
        nc, title=payload.title, responsible=responsible, due_date=payload.due_date, by=request.user
    )
    return Status(201, get_or_404(items_visible_to(request.user), pk=item.pk))


@router.post("/nonconformities/{pk}/steps", response=NCDetailOut, summary="Take a workflow step")
def nc_step(request: HttpRequest, pk: int, payload: NCStepIn) -> Nonconformity:
    nc = get_nc_for_user(request.user, pk)
    if workflows.NC.get(payload.action) is None:
        raise field_error("action", _("Choose one of: %(values)s.") % {"values": ", ".join(STEPS)})
    services.take_step(nc, action=payload.action, by=request.user)
    return _detail(request, pk)


@router.post(
    "/nonconformities/{pk}/verification",
    response=NCDetailOut,
    summary="Verify the effectiveness: effective closes, otherwise it reopens",
)
def nc_verify(request: HttpRequest, pk: int, payload: NCVerificationIn) -> Nonconformity:
    nc = get_nc_for_user(request.user, pk)
    if not is_verifier(request.user, nc):
        raise PermissionDenied
    services.verify_effectiveness(nc, rating=payload.rating, note=payload.note, by=request.user)
    return _detail(request, pk)
