"""Risk management over the API: methods (/risk-methods), the register (/risks) with its
evaluations, treatment decisions, treatment actions and acceptance, and the control catalogue
(/controls). Same access helpers (risks.access) and services (risks.services) as the pages."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from actions.api import ActionItemOut, items_visible_to
from actions.models import ActionItem
from core.access import get_or_404
from core.api_helpers import PageIn, PageOut, QueryIn, StrictIn, choices_schema, field_error, page, resolve_fk
from core.http import require_role
from organization.models import Process, Site
from risks import access, services
from risks.forms import linkable_requirements, people
from risks.models import Control, Evaluation, Risk, RiskMethod
from risks.selectors import RegisterFilter, register

router = Router(tags=["risks"])

TEXT = settings.SIG_MAX_TEXT
IDS = 500
RiskKind = Annotated[Risk.Kind, choices_schema(Risk.Kind, "RiskKind")]
RiskLens = Annotated[Risk.Lens, choices_schema(Risk.Lens, "RiskLens")]
RiskStatus = Annotated[Risk.Status, choices_schema(Risk.Status, "RiskStatus")]
RiskTreatment = Annotated[Risk.Treatment, choices_schema(Risk.Treatment, "RiskTreatment")]
EvaluationKind = Annotated[Evaluation.Kind, choices_schema(Evaluation.Kind, "RiskEvaluationKind")]
EvaluationTrigger = Annotated[Evaluation.Trigger, choices_schema(Evaluation.Trigger, "RiskEvaluationTrigger")]
ControlType = Annotated[Control.Type, choices_schema(Control.Type, "ControlType")]
ControlFrequency = Annotated[Control.Frequency, choices_schema(Control.Frequency, "ControlFrequency")]


# --- methods ---------------------------------------------------------------------------------


class RiskMethodOut(Schema):
    id: int
    code: str
    version: int
    name: str
    description: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    is_active: bool
    definition: dict[str, Any] = Field(..., description='The method file (format "sig-risk-method/1").')


class RiskMethodPage(PageOut):
    items: list[RiskMethodOut]


class RiskMethodIn(StrictIn):
    definition: dict[str, Any] = Field(
        ..., description='A method file (format "sig-risk-method/1"); a known code becomes its next version.'
    )


class RiskMethodCopyIn(StrictIn):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)


@router.get("/risk-methods", response=RiskMethodPage, summary="Risk methods, every version")
def method_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    require_role(request.user)
    return page(access.methods_visible_to(request.user).order_by("code", "-version"), paging)


@router.get("/risk-methods/{pk}", response=RiskMethodOut, summary="One version of a risk method")
def method_detail(request: HttpRequest, pk: int) -> RiskMethod:
    return access.get_method_for_user(request.user, pk)


@router.post("/risk-methods", response={201: RiskMethodOut}, summary="Load a method file (SIG coordinator)")
def method_load(request: HttpRequest, payload: RiskMethodIn) -> Status[RiskMethod]:
    require_role(request.user)
    return Status(201, services.load_method(definition=payload.definition, by=request.user))


@router.post("/risk-methods/{pk}/copy", response={201: RiskMethodOut}, summary="Copy a method under a new code")
def method_copy(request: HttpRequest, pk: int, payload: RiskMethodCopyIn) -> Status[RiskMethod]:
    method = access.get_method_for_user(request.user, pk)
    if not access.can_keep_methods(request.user):
        raise PermissionDenied
    return Status(201, services.copy_method(method, code=payload.code, name=payload.name, by=request.user))


# --- controls --------------------------------------------------------------------------------


class ControlOut(Schema):
    id: int
    code: str
    name: str
    description: str
    type: ControlType
    owner_id: int
    frequency: ControlFrequency
    evidence: str
    last_tested_on: datetime.date | None
    last_test_result: str
    is_active: bool


class ControlPage(PageOut):
    items: list[ControlOut]


class ControlIn(StrictIn):
    code: str = Field(..., min_length=1, max_length=30)
    name: str = Field(..., min_length=1, max_length=300)
    description: str = Field("", max_length=TEXT)
    type: ControlType
    owner: StrictInt = Field(..., description="Id of the person who owns the control.")
    frequency: ControlFrequency
    evidence: str = Field("", max_length=500)
    last_tested_on: datetime.date | None = None
    last_test_result: str = Field("", max_length=500)


@router.get("/controls", response=ControlPage, summary="The control catalogue")
def control_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    require_role(request.user)
    return page(access.controls_visible_to(request.user).order_by("code"), paging)


@router.post("/controls", response={201: ControlOut}, summary="Add a control to the catalogue (risk managers)")
def control_create(request: HttpRequest, payload: ControlIn) -> Status[Control]:
    require_role(request.user)
    if not access.can_keep_controls(request.user):
        raise PermissionDenied
    data = payload.model_dump()
    data["owner"] = resolve_fk(people(), payload.owner, "owner")
    return Status(201, services.create_control(data=data, by=request.user))


# --- risks -----------------------------------------------------------------------------------


class RiskOut(Schema):
    id: int
    code: str
    title: str
    kind: RiskKind
    lenses: list[RiskLens]
    process_id: int
    process_code: str
    site_id: int
    site_code: str
    owner_id: int
    method_id: int
    status: RiskStatus
    inherent_probability: int | None
    inherent_impact: int | None
    inherent_score: int | None
    inherent_level: str
    residual_probability: int | None
    residual_impact: int | None
    residual_score: int | None
    residual_level: str
    treatment: RiskTreatment
    accepted_by_id: int | None
    accepted_on: datetime.date | None
    acceptance_expires_on: datetime.date | None

    @staticmethod
    def resolve_process_code(obj: Risk) -> str:
        return obj.process.code

    @staticmethod
    def resolve_site_code(obj: Risk) -> str:
        return obj.site.code


class RiskPage(PageOut):
    items: list[RiskOut]


class EvaluationOut(Schema):
    id: int
    kind: EvaluationKind
    method_id: int
    probability: int
    impact: int
    score: int
    level: str
    trigger: EvaluationTrigger
    justification: str
    evaluated_on: datetime.date
    evaluated_by_id: int


class RiskDetailOut(RiskOut):
    cause: str
    event: str
    consequence: str
    treatment_rationale: str
    acceptance_note: str
    next_review_on: datetime.date | None
    requirement_ids: list[int]
    control_ids: list[int]
    evaluations: list[EvaluationOut]
    treatment_actions: list[ActionItemOut]

    @staticmethod
    def resolve_requirement_ids(obj: Risk) -> list[int]:
        return sorted(r.pk for r in obj.requirements.all())

    @staticmethod
    def resolve_control_ids(obj: Risk) -> list[int]:
        return sorted(c.pk for c in obj.controls.all())

    @staticmethod
    def resolve_evaluations(obj: Risk) -> list[Evaluation]:
        return list(obj.evaluations.order_by("-created_at", "-pk"))

    @staticmethod
    def resolve_treatment_actions(obj: Any) -> list[ActionItem]:
        return list(obj.treatment_rows)


class RiskFilter(QueryIn):
    q: str = Field("", max_length=100, description="Part of the code or title.")
    lens: RiskLens | None = None
    process: int | None = Field(None, ge=1, description="Id of a process (its subprocesses too).")
    site: int | None = Field(None, ge=1)
    kind: RiskKind | None = None
    status: RiskStatus | None = None
    method: int | None = Field(None, ge=1)


class RiskIn(StrictIn):
    code: str = Field(..., min_length=1, max_length=30)
    title: str = Field(..., min_length=1, max_length=300)
    kind: RiskKind = Risk.Kind.RISK
    lenses: list[RiskLens] = Field(..., min_length=1, max_length=3)
    process: StrictInt
    site: StrictInt
    cause: str = Field(..., min_length=1, max_length=TEXT)
    event: str = Field(..., min_length=1, max_length=TEXT)
    consequence: str = Field(..., min_length=1, max_length=TEXT)
    owner: StrictInt
    requirements: list[StrictInt] = Field([], max_length=IDS)
    controls: list[StrictInt] = Field([], max_length=IDS)
    method: StrictInt | None = Field(None, description="Id of the method version; default the one in force.")
    next_review_on: datetime.date | None = None


class EvaluationIn(StrictIn):
    kind: EvaluationKind
    probability: StrictInt = Field(..., description="A value of the method's probability scale.")
    impact: StrictInt = Field(..., description="A value of the method's impact scale.")
    trigger: EvaluationTrigger
    justification: str = Field("", max_length=TEXT)


class TreatmentIn(StrictIn):
    treatment: RiskTreatment
    rationale: str = Field("", max_length=TEXT)


class TreatmentActionIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=1000)
    responsible: StrictInt
    due_date: datetime.date | None = None


class AcceptanceIn(StrictIn):
    expires_on: datetime.date
    note: str = Field("", max_length=TEXT)


def _risk(request: HttpRequest, pk: int) -> Risk:
    risk = get_or_404(
        access.risks_visible_to(request.user)
        .select_related("process", "site", "method")
        .prefetch_related("requirements", "controls"),
        pk=pk,
    )
    from actions.services import items_for

    visible = items_visible_to(request.user)
    risk.treatment_rows = list(  # type: ignore[attr-defined]
        visible.filter(pk__in=items_for(risk).values("pk")).order_by("number", "pk")
    )
    return risk


def _resolve_many(qs: models.QuerySet[Any], ids: list[int], field: str) -> list[Any]:
    wanted = set(ids)
    found = list(qs.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise field_error(field, "No such record, or it is not available to you.", "not_found")
    return found


@router.get("/risks", response=RiskPage, summary="The risk register visible to you")
def risk_list(request: HttpRequest, filters: Query[RiskFilter], paging: Query[PageIn]) -> dict[str, Any]:
    require_role(request.user)
    flt = RegisterFilter(
        q=filters.q,
        lens=filters.lens or "",
        process=filters.process,
        site=filters.site,
        kind=filters.kind or "",
        status=filters.status or "",
        method=filters.method,
    )
    return page(register(access.risks_visible_to(request.user), flt), paging)


@router.post("/risks", response={201: RiskDetailOut}, summary="Register a risk or opportunity")
def risk_create(request: HttpRequest, payload: RiskIn) -> Status[Risk]:
    require_role(request.user)
    if not access.can_register_risks(request.user):
        raise PermissionDenied
    data = payload.model_dump()
    for lens in Risk.Lens.values:
        data[f"lens_{lens}"] = lens in payload.lenses
    data["process"] = resolve_fk(Process.objects.filter(is_active=True), payload.process, "process")
    data["site"] = resolve_fk(Site.objects.filter(is_active=True), payload.site, "site")
    data["owner"] = resolve_fk(people(), payload.owner, "owner")
    data["method"] = resolve_fk(RiskMethod.objects.all(), payload.method, "method")
    data["requirements"] = _resolve_many(linkable_requirements(), payload.requirements, "requirements")
    data["controls"] = _resolve_many(Control.objects.filter(is_active=True), payload.controls, "controls")
    risk = services.create_risk(data=data, by=request.user)
    return Status(201, _risk(request, risk.pk))


@router.get("/risks/{pk}", response=RiskDetailOut, summary="One risk with its evaluations and treatments")
def risk_detail(request: HttpRequest, pk: int) -> Risk:
    return _risk(request, pk)


@router.post("/risks/{pk}/evaluations", response={201: RiskDetailOut}, summary="Record an evaluation")
def risk_evaluate(request: HttpRequest, pk: int, payload: EvaluationIn) -> Status[Risk]:
    risk = access.get_risk_for_user(request.user, pk, write=True)
    services.evaluate(
        risk,
        kind=payload.kind,
        probability=payload.probability,
        impact=payload.impact,
        trigger=payload.trigger,
        justification=payload.justification,
        by=request.user,
    )
    return Status(201, _risk(request, pk))


@router.post("/risks/{pk}/treatment", response=RiskDetailOut, summary="Decide the treatment")
def risk_treatment(request: HttpRequest, pk: int, payload: TreatmentIn) -> Risk:
    risk = access.get_risk_for_user(request.user, pk, write=True)
    services.decide_treatment(risk, treatment=payload.treatment, rationale=payload.rationale, by=request.user)
    return _risk(request, pk)


@router.post(
    "/risks/{pk}/treatment-actions",
    response={201: ActionItemOut},
    summary="Add a treatment action (followed up in the shared action tracker)",
)
def risk_add_action(request: HttpRequest, pk: int, payload: TreatmentActionIn) -> Status[ActionItem]:
    risk = access.get_risk_for_user(request.user, pk, write=True)
    responsible = resolve_fk(people(), payload.responsible, "responsible")
    item = services.add_treatment_action(
        risk, title=payload.title, responsible=responsible, due_date=payload.due_date, by=request.user
    )
    return Status(201, get_or_404(items_visible_to(request.user), pk=item.pk))


@router.post("/risks/{pk}/acceptance", response=RiskDetailOut, summary="Accept the residual risk (its owner only)")
def risk_accept(request: HttpRequest, pk: int, payload: AcceptanceIn) -> Risk:
    risk = access.get_risk_for_user(request.user, pk)
    services.accept_residual(risk, expires_on=payload.expires_on, note=payload.note, by=request.user)
    return _risk(request, pk)


class MoveIn(StrictIn):
    method: StrictInt = Field(..., description="Id of the method version to move to.")
    probability_map: dict[str, StrictInt] = Field(
        ..., max_length=20, description='Each old probability value → a new one, e.g. {"1": 1, "2": 1, …}.'
    )
    impact_map: dict[str, StrictInt] = Field(..., max_length=20, description="Each old impact value → a new one.")


def _int_keys(mapping: dict[str, int], field: str) -> dict[int, int]:
    try:
        return {int(k): v for k, v in mapping.items()}
    except ValueError:
        raise field_error(field, "Keys are the old values, as whole numbers.") from None


@router.post("/risks/{pk}/method", response=RiskDetailOut, summary="Move a risk to another method, mapping its scores")
def risk_move(request: HttpRequest, pk: int, payload: MoveIn) -> Risk:
    risk = access.get_risk_for_user(request.user, pk, write=True)
    method = resolve_fk(RiskMethod.objects.all(), payload.method, "method")
    assert method is not None
    services.move_to_method(
        risk,
        method=method,
        probability_map=_int_keys(payload.probability_map, "probability_map"),
        impact_map=_int_keys(payload.impact_map, "impact_map"),
        by=request.user,
    )
    return _risk(request, pk)
