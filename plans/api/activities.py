"""Activities and products over the API: the activities of a plan as the user sees them (a UT
those that involve it), filtered like the page (plans.selectors.filter_activities), added to a
stage and changed by the plan editors; products that close activities, delivered by linking
evidence the user can see (plans.access.can_deliver_product)."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from core.access import get_or_404
from core.api_helpers import OMITTED, PageIn, PageOut, QueryIn, StrictIn, page, resolve_fk
from evidence.selectors import EvidenceItem, evidence_for
from organization.models import Site
from plans import selectors, services
from plans.access import (
    activities_visible_to,
    get_activity_for_user,
    get_plan_for_user,
    get_product_for_user,
    products_visible_to,
    require_deliver_product,
)
from plans.api.common import IDS, ActivityStatus, IdList, ShownStatus, resolve_ids
from plans.models import Activity, Plan, Product, Stage

router = Router(tags=["plans"])


class ActivityOut(Schema):
    id: int
    plan_id: int
    stage_id: int
    stage_number: int
    code: str
    title: str
    responsible_unit_id: int
    responsible_unit_code: str
    responsible_person_id: int | None
    responsible_person_name: str | None
    site_ids: list[int] = Field(..., description="Sites (Sede Central, UTs) where it happens.")
    site_codes: list[str]
    planned_start: datetime.date
    planned_end: datetime.date
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    progress: int = Field(..., description="0–100; follows from the products when the activity has any.")
    status: ActivityStatus = Field(..., description="The stored status.")
    shown_status: ShownStatus = Field(..., description='The status as shown: "delayed" is derived from the dates.')
    is_delayed: bool
    is_milestone: bool
    order: int
    depends_on_ids: list[int]
    product_ids: list[int]

    @staticmethod
    def resolve_stage_number(obj: Activity) -> int:
        return obj.stage.number

    @staticmethod
    def resolve_responsible_unit_code(obj: Activity) -> str:
        return obj.responsible_unit.code

    @staticmethod
    def resolve_responsible_person_name(obj: Activity) -> str | None:
        person = obj.responsible_person
        return person.get_full_name() if person else None

    @staticmethod
    def resolve_site_ids(obj: Activity) -> list[int]:
        return [s.pk for s in obj.sites.all()]

    @staticmethod
    def resolve_site_codes(obj: Activity) -> list[str]:
        return [s.code for s in obj.sites.all()]

    @staticmethod
    def resolve_shown_status(obj: Activity) -> str:
        return obj.display_status()

    @staticmethod
    def resolve_is_delayed(obj: Activity) -> bool:
        return obj.is_delayed()

    @staticmethod
    def resolve_depends_on_ids(obj: Activity) -> list[int]:
        return [a.pk for a in obj.depends_on.all()]

    @staticmethod
    def resolve_product_ids(obj: Activity) -> list[int]:
        return [p.pk for p in obj.products.all()]


class ActivityPage(PageOut):
    items: list[ActivityOut]


class ActivityProductOut(Schema):
    id: int
    title: str
    delivered_on: datetime.date | None


class ActivityDetailOut(ActivityOut):
    products: list[ActivityProductOut]
    budget_task_ids: list[int]

    @staticmethod
    def resolve_products(obj: Activity) -> list[Product]:
        return list(obj.products.all())

    @staticmethod
    def resolve_budget_task_ids(obj: Activity) -> list[int]:
        return [t.pk for t in obj.budget_tasks.all()]


class ProductEvidenceOut(Schema):
    evidence_type: str = Field(..., description='e.g. "documents.document".')
    evidence_id: int
    label: str = Field(..., description="e.g. the document's code and title.")
    url: str = Field(..., description="Its page, when it has one.")
    note: str
    linked_at: datetime.datetime

    @staticmethod
    def resolve_evidence_type(obj: EvidenceItem) -> str:
        return obj.kind


class ProductOut(Schema):
    id: int
    plan_id: int
    title: str
    expected_type: str
    activity_ids: list[int] = Field(..., description="The activities it delivers (those visible to you).")
    activity_codes: list[str]
    delivered_on: datetime.date | None
    is_delivered: bool
    sites_in_scope: int = Field(..., description="Sites the product is delivered in (those of its activities).")
    sites_delivered: int = Field(..., description="Sites whose share is delivered (all of them once delivered whole).")
    order: int
    evidence: list[ProductEvidenceOut] = Field(
        ..., description="Links to the evidence that proves it (visible to you)."
    )

    @staticmethod
    def resolve_activity_ids(obj: Product) -> list[int]:
        return [a.pk for a in obj.activities.all()]

    @staticmethod
    def resolve_activity_codes(obj: Product) -> list[str]:
        return [a.code for a in obj.activities.all()]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[EvidenceItem]:
        return list(obj.evidence_items)

    @staticmethod
    def resolve_sites_in_scope(obj: Any) -> int:
        return int(obj.share["scope"])

    @staticmethod
    def resolve_sites_delivered(obj: Any) -> int:
        return int(obj.share["n_delivered"])


class ProductPage(PageOut):
    items: list[ProductOut]


# --- input schemas --------------------------------------------------------------------------


class ActivityFilter(QueryIn):
    stage: int | None = Field(None, ge=1, le=32767, description="Number of the stage (1, 2, 3…).")
    status: ShownStatus | None = Field(None, description='As shown; "delayed" is derived from the dates.')
    unit: int | None = Field(None, description="Id of the responsible unit.")
    site: int | None = Field(None, description="Id of a site (Sede Central or UT) where the activity is held.")
    q: str | None = Field(None, max_length=100, description="Words of the code or the title.")


class ActivityIn(StrictIn):
    stage: StrictInt = Field(..., description="Id of a stage of the plan.")
    code: str = Field(..., min_length=1, max_length=20, description='e.g. "1.4".')
    title: str = Field(..., min_length=1, max_length=1000)
    responsible_unit: StrictInt = Field(..., description="Id of the responsible unit.")
    responsible_person: StrictInt | None = Field(None, description="Id of the responsible person, or null.")
    sites: IdList = Field([], max_length=IDS, description="Ids of the sites where it happens.")
    planned_start: datetime.date
    planned_end: datetime.date
    actual_start: datetime.date | None = None
    actual_end: datetime.date | None = None
    status: ActivityStatus = Activity.Status.NOT_STARTED
    is_milestone: StrictBool = False
    order: StrictInt = Field(0, ge=0, le=2147483647)
    depends_on: IdList = Field([], max_length=IDS, description="Ids of activities of the plan it waits for.")


class ActivityPatch(StrictIn):
    code: str = Field(OMITTED, min_length=1, max_length=20)
    title: str = Field(OMITTED, min_length=1, max_length=1000)
    responsible_unit: StrictInt = Field(OMITTED)
    responsible_person: StrictInt | None = Field(None)
    sites: IdList = Field(OMITTED, max_length=IDS)
    planned_start: datetime.date = Field(OMITTED)
    planned_end: datetime.date = Field(OMITTED)
    actual_start: datetime.date | None = None
    actual_end: datetime.date | None = None
    progress: StrictInt = Field(
        OMITTED, description="0–100; only for activities without products (theirs follows from the products)."
    )
    status: ActivityStatus = Field(OMITTED)
    is_milestone: StrictBool = Field(OMITTED)
    order: StrictInt = Field(OMITTED, ge=0, le=2147483647)


class ProductIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=1000)
    activities: IdList = Field(..., max_length=IDS, description="Ids of the activities of the plan it delivers.")
    expected_type: str = Field("", max_length=100, description="Kind of deliverable, e.g. an informe.")


class DeliverIn(StrictIn):
    evidence_type: str = Field(
        ...,
        max_length=100,
        description="A registered kind of evidence, e.g. documents.document, evidence.evidencefile, committee.session.",
    )
    evidence_id: StrictInt
    note: str = Field("", max_length=500)
    delivered_on: datetime.date | None = Field(None, description="Default today; kept if already delivered.")


# --- lookups --------------------------------------------------------------------------------


def _activities(request: HttpRequest) -> models.QuerySet[Activity]:
    """The activities visible to the user, with what ActivityOut shows in a fixed number of queries."""
    return activities_visible_to(request.user).prefetch_related(
        Prefetch("sites", queryset=Site.objects.order_by("order", "name")),
        Prefetch("depends_on", queryset=Activity.objects.only("pk").order_by("pk")),
        Prefetch("products", queryset=Product.objects.order_by("order", "pk")),
    )


def _activity(request: HttpRequest, pk: int) -> Activity:
    return get_or_404(_activities(request).prefetch_related("budget_tasks"), pk=pk)


def _products(request: HttpRequest, plan: Plan) -> models.QuerySet[Product]:
    """The plan's products visible to the user, with the activities they see."""
    return (
        products_visible_to(request.user)
        .filter(plan=plan)
        .prefetch_related(Prefetch("activities", queryset=activities_visible_to(request.user).order_by("code")))
        .order_by("order", "pk")
    )


def _with_evidence(request: HttpRequest, products: list[Product]) -> list[Product]:
    """Each product's links to evidence the user may see (plans.selectors)."""
    evidence = evidence_for(request.user, products)
    shares = selectors.product_shares(products)
    for product in products:
        product.evidence_items = evidence.get(product.pk, [])  # type: ignore[attr-defined]
        product.share = shares[product.pk]  # type: ignore[attr-defined]
    return products


def _product_out(request: HttpRequest, product: Product) -> Product:
    """One product with what ProductOut shows."""
    return _with_evidence(request, [_products(request, product.plan).get(pk=product.pk)])[0]


# --- activities -----------------------------------------------------------------------------


@router.get(
    "/plans/{pk}/activities",
    response=ActivityPage,
    summary="Activities of a plan visible to you (a UT sees those that involve it)",
)
def activity_list(
    request: HttpRequest, pk: int, filters: Query[ActivityFilter], paging: Query[PageIn]
) -> dict[str, Any]:
    plan = get_plan_for_user(request.user, pk)
    data = {
        "stage": filters.stage,
        "status": filters.status,
        "unit": filters.unit,
        "site": filters.site,
        "q": filters.q,
    }
    qs = selectors.filter_activities(_activities(request).filter(plan=plan), data, timezone.localdate())
    return page(qs.order_by("stage__number", "order", "code", "pk"), paging)


@router.post("/plans/{pk}/activities", response={201: ActivityDetailOut}, summary="Add an activity to a stage")
def activity_create(request: HttpRequest, pk: int, payload: ActivityIn) -> Status[Activity]:
    plan = get_plan_for_user(request.user, pk, write=True)
    data = resolve_ids(request, payload.model_dump(), plan)
    stage = cast(Stage, resolve_fk(Stage.objects.filter(plan=plan).select_related("plan"), data.pop("stage"), "stage"))
    activity = services.add_activity(stage, data=data, by=request.user)
    return Status(201, _activity(request, activity.pk))


@router.get("/activities/{pk}", response=ActivityDetailOut, summary="One activity with its products")
def activity_detail(request: HttpRequest, pk: int) -> Activity:
    return _activity(request, pk)


@router.patch(
    "/activities/{pk}",
    response=ActivityDetailOut,
    summary="Change an activity (progress by hand only when it has no products)",
)
def activity_update(request: HttpRequest, pk: int, payload: ActivityPatch) -> Activity:
    activity = get_activity_for_user(request.user, pk, write=True)
    services.update_activity(activity, data=resolve_ids(request, payload.changes()), by=request.user)
    return _activity(request, pk)


# --- products -------------------------------------------------------------------------------


@router.get(
    "/plans/{pk}/products",
    response=ProductPage,
    summary="Products (deliverables) of a plan that deliver activities visible to you",
)
def product_list(request: HttpRequest, pk: int, paging: Query[PageIn]) -> dict[str, Any]:
    plan = get_plan_for_user(request.user, pk)
    result = page(_products(request, plan), paging)
    result["items"] = _with_evidence(request, result["items"])
    return result


@router.post(
    "/plans/{pk}/products", response={201: ProductOut}, summary="Add a product that delivers activities of the plan"
)
def product_create(request: HttpRequest, pk: int, payload: ProductIn) -> Status[Product]:
    plan = get_plan_for_user(request.user, pk, write=True)
    data = resolve_ids(request, payload.model_dump(), plan)
    product = services.add_product(
        plan, title=data["title"], activities=data["activities"], expected_type=data["expected_type"], by=request.user
    )
    return Status(201, _product_out(request, product))


@router.post(
    "/products/{pk}/deliver",
    response=ProductOut,
    summary="Deliver a product by linking the evidence that proves it (a document, a file or a session)",
)
def product_deliver(request: HttpRequest, pk: int, payload: DeliverIn) -> Product:
    product = get_product_for_user(request.user, pk)
    require_deliver_product(request.user, product)
    services.deliver_product(
        product,
        evidence_label=payload.evidence_type,
        evidence_id=payload.evidence_id,
        note=payload.note,
        delivered_on=payload.delivered_on,
        by=request.user,
    )
    return _product_out(request, product)
