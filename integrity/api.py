"""The integrity registers over the API: /business-partners/, /key-positions/, /due-diligence/,
/gifts/, /conflict-declarations/. Same access helpers and services as the pages."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, StrictBool, WithJsonSchema

from core.api_helpers import OMITTED, PageIn, PageOut, QueryIn, StrictIn, choices_schema, field_error, page, resolve_fk
from core.http import require_role
from integrity import selectors, services
from integrity.access import (
    declarations_visible_to,
    due_diligence_visible_to,
    get_dd_for_user,
    get_gift_for_user,
    get_key_position_for_user,
    get_partner_for_user,
    gifts_visible_to,
    key_positions_visible_to,
    partners_visible_to,
)
from integrity.models import BusinessPartner, DueDiligence, Gift, RiskLevel
from integrity.validators import dni_problem, ruc_problem

router = Router(tags=["integrity"])

Risk = Annotated[RiskLevel, choices_schema(RiskLevel, "BriberyRisk")]
PartnerKind = Annotated[BusinessPartner.Kind, choices_schema(BusinessPartner.Kind, "PartnerKind")]
DocType = Annotated[BusinessPartner.DocType, choices_schema(BusinessPartner.DocType, "PartnerDocType")]
DDDecision = Annotated[DueDiligence.Decision, choices_schema(DueDiligence.Decision, "DueDiligenceDecision")]
DDStatus = Annotated[DueDiligence.Status, choices_schema(DueDiligence.Status, "DueDiligenceStatus")]
DDSource = Annotated[DueDiligence.Source, choices_schema(DueDiligence.Source, "DueDiligenceSource")]
GiftDirection = Annotated[Gift.Direction, choices_schema(Gift.Direction, "GiftDirection")]
GiftDecision = Annotated[Gift.Decision, choices_schema(Gift.Decision, "GiftDecision")]
MONEY_MAX = Decimal("9999999999.99")
MONEY_PATTERN = r"^[0-9]{1,10}([.][0-9]{1,2})?$"


def _short_amount(value: Any) -> Any:
    if isinstance(value, str) and (len(value) > 13 or not re.match(MONEY_PATTERN, value.strip())):
        raise ValueError("Enter an amount in soles such as 150.50 (0 or more, at most two decimals).")
    return value


# Soles, 0 or more, at most two decimals: a number or a short string.
Money = Annotated[
    Decimal,
    BeforeValidator(_short_amount),
    Field(ge=0, le=MONEY_MAX, max_digits=12, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(MONEY_MAX)},
                {"type": "string", "minLength": 1, "maxLength": 13, "pattern": MONEY_PATTERN},
            ],
            "description": 'Soles, at most two decimals: a number (150.5) or a string ("150.50").',
        }
    ),
]


# --- business partners -----------------------------------------------------------------------


class PartnerOut(Schema):
    id: int
    doc_type: DocType
    doc_number: str
    name: str
    kind: PartnerKind
    processes: list[int]
    site_id: int | None
    risk_level: Risk
    anti_bribery_clause: bool
    commitment_signed_on: datetime.date | None
    due_diligence_required: bool
    monitoring: bool
    notes: str
    active: bool

    @staticmethod
    def resolve_processes(obj: BusinessPartner) -> list[int]:
        return [p.pk for p in obj.processes.all()]


class PartnerPage(PageOut):
    items: list[PartnerOut]


class PartnerIn(StrictIn):
    doc_type: DocType = BusinessPartner.DocType.RUC
    doc_number: str = Field(..., max_length=11)
    name: str = Field(..., min_length=1, max_length=300)
    kind: PartnerKind
    processes: list[int] = Field(default_factory=list, max_length=100)
    site_id: int | None = None
    risk_level: Risk = RiskLevel.LOW
    anti_bribery_clause: StrictBool = False
    commitment_signed_on: datetime.date | None = None
    due_diligence_required: StrictBool = False
    monitoring: StrictBool = False
    notes: str = Field("", max_length=4000)
    active: StrictBool = True


class PartnerPatch(StrictIn):
    name: str = Field(OMITTED, min_length=1, max_length=300)
    kind: PartnerKind = OMITTED
    risk_level: Risk = OMITTED
    anti_bribery_clause: StrictBool = OMITTED
    commitment_signed_on: datetime.date | None = None
    due_diligence_required: StrictBool = OMITTED
    monitoring: StrictBool = OMITTED
    notes: str = Field(OMITTED, max_length=4000)
    active: StrictBool = OMITTED


def _partner_data(payload: PartnerIn) -> dict[str, Any]:
    from organization.models import Process, Site

    data = payload.model_dump()
    number = data["doc_number"].replace(" ", "")
    problem = ruc_problem(number) if data["doc_type"] == "ruc" else dni_problem(number)
    if problem:
        raise field_error("doc_number", problem)
    data["doc_number"] = number
    data["site"] = resolve_fk(Site.objects.all(), data.pop("site_id"), "site_id")
    ids = data.pop("processes")
    processes = list(Process.objects.filter(pk__in=ids))
    if len(processes) != len(set(ids)):
        raise field_error("processes", "No such process.", "not_found")
    data["processes"] = processes
    return data


@router.get("/business-partners/", response=PartnerPage, summary="Business partners")
def partner_list(request: HttpRequest, paging: Query[PageIn]) -> Any:
    require_role(request.user)
    return page(selectors.partner_rows(partners_visible_to(request.user)), paging)


@router.post("/business-partners/", response={201: PartnerOut}, summary="Register a business partner")
def partner_create(request: HttpRequest, payload: PartnerIn) -> Any:
    require_role(request.user)
    return Status(201, services.create_partner(data=_partner_data(payload), by=request.user))


@router.get("/business-partners/{pk}", response=PartnerOut, summary="One business partner")
def partner_get(request: HttpRequest, pk: int) -> Any:
    return get_partner_for_user(request.user, pk)


@router.patch("/business-partners/{pk}", response=PartnerOut, summary="Change a business partner")
def partner_patch(request: HttpRequest, pk: int, payload: PartnerPatch) -> Any:
    partner = get_partner_for_user(request.user, pk, write=True)
    return services.update_partner(partner, data=payload.changes(), by=request.user)


# --- key positions ---------------------------------------------------------------------------


class KeyPositionOut(Schema):
    id: int
    position: str
    unit_id: int
    site_id: int | None
    reason: str
    risk_level: Risk
    holders: list[int]
    active: bool

    @staticmethod
    def resolve_holders(obj: Any) -> list[int]:
        return [u.pk for u in obj.holders.all()]


class KeyPositionPage(PageOut):
    items: list[KeyPositionOut]


class KeyPositionIn(StrictIn):
    position: str = Field(..., min_length=1, max_length=200)
    unit_id: int
    site_id: int | None = None
    reason: str = Field(..., min_length=1, max_length=4000)
    risk_level: Risk = RiskLevel.MEDIUM
    holders: list[int] = Field(default_factory=list, max_length=200)


@router.get("/key-positions/", response=KeyPositionPage, summary="Key positions")
def key_position_list(request: HttpRequest, paging: Query[PageIn]) -> Any:
    require_role(request.user)
    return page(key_positions_visible_to(request.user).prefetch_related("holders").order_by("position", "pk"), paging)


@router.post("/key-positions/", response={201: KeyPositionOut}, summary="Register a key position")
def key_position_create(request: HttpRequest, payload: KeyPositionIn) -> Any:
    from accounts.models import User
    from organization.models import OrgUnit, Site

    require_role(request.user)
    data = payload.model_dump()
    data["unit"] = resolve_fk(OrgUnit.objects.all(), data.pop("unit_id"), "unit_id")
    data["site"] = resolve_fk(Site.objects.all(), data.pop("site_id"), "site_id")
    ids = data.pop("holders")
    holders = list(User.objects.filter(pk__in=ids))
    if len(holders) != len(set(ids)):
        raise field_error("holders", "No such person.", "not_found")
    data["holders"] = holders
    return Status(201, services.create_key_position(data=data, by=request.user))


@router.get("/key-positions/{pk}", response=KeyPositionOut, summary="One key position")
def key_position_get(request: HttpRequest, pk: int) -> Any:
    return get_key_position_for_user(request.user, pk)


# --- due diligence ---------------------------------------------------------------------------


class DDOut(Schema):
    id: int
    partner_id: int | None
    key_position_id: int | None
    person_name: str
    started_on: datetime.date
    sources: list[str]
    findings: str
    public_official: bool
    politically_exposed: bool
    high_risk_partner: bool
    enhanced: bool
    conclusion: str
    decision: DDDecision
    conditions: str
    status: DDStatus
    completed_on: datetime.date | None
    valid_until: datetime.date | None
    next_review: datetime.date | None
    expired: bool


class DDPage(PageOut):
    items: list[DDOut]


class DDIn(StrictIn):
    partner_id: int | None = None
    key_position_id: int | None = None
    person_name: str = Field("", max_length=200)
    started_on: datetime.date
    sources: list[DDSource] = Field(default_factory=list, max_length=20)
    findings: str = Field("", max_length=4000)
    public_official: StrictBool = False
    politically_exposed: StrictBool = False
    high_risk_partner: StrictBool = False
    conclusion: str = Field("", max_length=4000)
    decision: DDDecision = DueDiligence.Decision.PENDING
    conditions: str = Field("", max_length=4000)
    valid_until: datetime.date | None = None
    next_review: datetime.date | None = None


class DDPatch(StrictIn):
    sources: list[DDSource] = Field(OMITTED, max_length=20)
    findings: str = Field(OMITTED, max_length=4000)
    public_official: StrictBool = OMITTED
    politically_exposed: StrictBool = OMITTED
    high_risk_partner: StrictBool = OMITTED
    conclusion: str = Field(OMITTED, max_length=4000)
    decision: DDDecision = OMITTED
    conditions: str = Field(OMITTED, max_length=4000)
    valid_until: datetime.date | None = None
    next_review: datetime.date | None = None


class DDFilter(QueryIn):
    status: DDStatus | None = None
    partner_id: int | None = None
    review: Literal["overdue", "soon"] | None = Field(
        None, description="next review past (overdue) or within 30 days (soon)"
    )


@router.get("/due-diligence/", response=DDPage, summary="Due diligence on partners and key positions")
def dd_list(request: HttpRequest, filters: Query[DDFilter], paging: Query[PageIn]) -> Any:
    require_role(request.user)
    qs = selectors.filter_dds(
        due_diligence_visible_to(request.user),
        {"status": filters.status or "", "review": filters.review or ""},
        timezone.localdate(),
    )
    if filters.partner_id is not None:
        qs = qs.filter(partner_id=filters.partner_id)
    return page(qs.order_by(*selectors.DD_ORDER), paging)


@router.post("/due-diligence/", response={201: DDOut}, summary="Start a due diligence")
def dd_create(request: HttpRequest, payload: DDIn) -> Any:
    require_role(request.user)
    data = payload.model_dump()
    data["partner"] = resolve_fk(partners_visible_to(request.user), data.pop("partner_id"), "partner_id")
    data["key_position"] = resolve_fk(
        key_positions_visible_to(request.user), data.pop("key_position_id"), "key_position_id"
    )
    return Status(201, services.create_due_diligence(data=data, by=request.user))


@router.get("/due-diligence/{pk}", response=DDOut, summary="One due diligence")
def dd_get(request: HttpRequest, pk: int) -> Any:
    return get_dd_for_user(request.user, pk)


@router.patch("/due-diligence/{pk}", response=DDOut, summary="Change a due diligence in progress")
def dd_patch(request: HttpRequest, pk: int, payload: DDPatch) -> Any:
    dd = get_dd_for_user(request.user, pk, write=True)
    return services.update_due_diligence(dd, data=payload.changes(), by=request.user)


@router.post("/due-diligence/{pk}/complete", response=DDOut, summary="Complete it with its decision")
def dd_complete(request: HttpRequest, pk: int) -> Any:
    dd = get_dd_for_user(request.user, pk, write=True)
    return services.complete_due_diligence(dd, by=request.user)


# --- gifts -----------------------------------------------------------------------------------


class GiftOut(Schema):
    id: int
    direction: GiftDirection
    on: datetime.date
    servant_id: int
    counterpart: str
    partner_id: int | None
    description: str
    value: Decimal
    occasion: str
    decision: GiftDecision
    decision_note: str
    approver_id: int | None
    decided_at: datetime.datetime | None
    above_threshold: bool

    @staticmethod
    def resolve_above_threshold(obj: Gift) -> bool:
        return obj.value > services.gift_threshold()


class GiftPage(PageOut):
    items: list[GiftOut]


class GiftIn(StrictIn):
    direction: GiftDirection
    on: datetime.date
    counterpart: str = Field(..., min_length=1, max_length=300)
    partner_id: int | None = None
    description: str = Field(..., min_length=1, max_length=4000)
    value: Money
    occasion: str = Field("", max_length=300)


class GiftDecisionIn(StrictIn):
    decision: GiftDecision
    note: str = Field("", max_length=1000)


@router.get("/gifts/", response=GiftPage, summary="Gifts and hospitality register")
def gift_list(request: HttpRequest, paging: Query[PageIn]) -> Any:
    require_role(request.user)
    return page(gifts_visible_to(request.user).order_by("-on", "-pk"), paging)


@router.post("/gifts/", response={201: GiftOut}, summary="Register a gift or hospitality (one's own)")
def gift_create(request: HttpRequest, payload: GiftIn) -> Any:
    require_role(request.user)
    data = payload.model_dump()
    data["partner"] = resolve_fk(partners_visible_to(request.user), data.pop("partner_id"), "partner_id")
    return Status(201, services.register_gift(data=data, by=request.user))


@router.get("/gifts/{pk}", response=GiftOut, summary="One gift")
def gift_get(request: HttpRequest, pk: int) -> Any:
    return get_gift_for_user(request.user, pk)


@router.post("/gifts/{pk}/decision", response=GiftOut, summary="Decide on a gift (never one's own)")
def gift_decide(request: HttpRequest, pk: int, payload: GiftDecisionIn) -> Any:
    gift = get_gift_for_user(request.user, pk)
    return services.decide_gift(gift, decision=str(payload.decision), note=payload.note, by=request.user)


# --- conflict-of-interest declarations -------------------------------------------------------


class DeclarationOut(Schema):
    id: int
    person_id: int
    declared_on: datetime.date
    has_conflicts: bool
    description: str
    mitigation: str
    valid_until: datetime.date
    state: str = Field(..., description="current, expiring (within 30 days) or expired")

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return str(obj.state())


class DeclarationPage(PageOut):
    items: list[DeclarationOut]


class DeclarationIn(StrictIn):
    declared_on: datetime.date | None = None
    has_conflicts: StrictBool = False
    description: str = Field("", max_length=4000)
    mitigation: str = Field("", max_length=4000)


@router.get("/conflict-declarations/", response=DeclarationPage, summary="Conflict-of-interest declarations")
def declaration_list(request: HttpRequest, paging: Query[PageIn]) -> Any:
    require_role(request.user)
    return page(declarations_visible_to(request.user).order_by("-declared_on", "-pk"), paging)


@router.post("/conflict-declarations/", response={201: DeclarationOut}, summary="Declare one's own interests")
def declaration_create(request: HttpRequest, payload: DeclarationIn) -> Any:
    require_role(request.user)
    return Status(201, services.declare_conflicts(data=payload.model_dump(), by=request.user))
