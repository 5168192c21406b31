"""Supervisions over the API (/api/v1/supervisions/…): the list (a UT head sees her UT's), the
checklist, the matriz de mejora items (action items) and the report. Same access helpers and
services as the pages."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from actions.api import ActionItemOut, items_visible_to
from actions.models import ActionItem
from actions.services import items_for
from core.access import get_or_404, get_scope
from core.api_helpers import PageIn, PageOut, StrictIn, choices_schema, field_error, page, resolve_fk
from organization.models import Process, Site
from supervisions import services
from supervisions.access import get_supervision_for_user, require_manager, supervisions_visible_to
from supervisions.forms import _people
from supervisions.models import ACTION_KIND, Check, Supervision

router = Router(tags=["supervisions"])
TEXT = settings.SIG_MAX_TEXT
SupervisionStatus = Annotated[Supervision.Status, choices_schema(Supervision.Status, "SupervisionStatus")]
CheckResult = Annotated[Check.Result, choices_schema(Check.Result, "SupervisionCheckResult")]


class SupervisionOut(Schema):
    id: int
    code: str
    site_id: int
    title: str
    start_date: datetime.date
    end_date: datetime.date
    status: SupervisionStatus


class SupervisionPage(PageOut):
    items: list[SupervisionOut]


class SupervisionCheckOut(Schema):
    id: int
    aspect: str
    result: CheckResult
    observation: str
    process_id: int | None


class SupervisionDetailOut(SupervisionOut):
    plan: str
    report: str
    supervisor_ids: list[int]
    checks: list[SupervisionCheckOut]
    matrix: list[ActionItemOut] = Field(..., description="The items of the matriz de mejora.")

    @staticmethod
    def resolve_supervisor_ids(obj: Supervision) -> list[int]:
        return [u.pk for u in obj.supervisors.all()]

    @staticmethod
    def resolve_checks(obj: Supervision) -> list[Check]:
        return list(obj.checks.order_by("order", "pk"))

    @staticmethod
    def resolve_matrix(obj: Any) -> list[ActionItem]:
        return list(obj.matrix_rows)


class SupervisionIn(StrictIn):
    code: str = Field(..., min_length=1, max_length=30)
    site: StrictInt
    title: str = Field(..., min_length=1, max_length=300)
    plan: str = Field(..., min_length=1, max_length=TEXT)
    start_date: datetime.date
    end_date: datetime.date
    supervisors: list[StrictInt] = Field(..., max_length=20)


class SupervisionCheckIn(StrictIn):
    aspect: str = Field(..., min_length=1, max_length=300)
    result: CheckResult
    observation: str = Field("", max_length=TEXT)
    process: StrictInt | None = None


class SupervisionImprovementIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=1000)
    responsible: StrictInt | None = None
    due_date: datetime.date


class SupervisionReportIn(StrictIn):
    report: str = Field(..., min_length=1, max_length=TEXT)


def _detail(request: HttpRequest, pk: int) -> Supervision:
    sup = get_supervision_for_user(request.user, pk)
    sup.matrix_rows = list(  # type: ignore[attr-defined]
        items_visible_to(request.user)
        .filter(pk__in=items_for(sup).filter(kind=ACTION_KIND).values("pk"))
        .select_related("responsible", "responsible_unit", "site", "source_type")
        .order_by("number", "pk")
    )
    return sup


@router.get("/supervisions", response=SupervisionPage, summary="Supervisions of the UTs visible to you")
def supervision_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    if not get_scope(request.user).roles:
        raise Http404
    return page(supervisions_visible_to(request.user).order_by("-start_date", "-pk"), paging)


@router.post("/supervisions", response={201: SupervisionDetailOut}, summary="Plan a supervision of a UT")
def supervision_create(request: HttpRequest, payload: SupervisionIn) -> Status[Supervision]:
    require_manager(request.user)
    data = payload.model_dump()
    data["site"] = resolve_fk(Site.objects.filter(is_active=True, is_central=False), payload.site, "site")
    people = list(_people().filter(pk__in=set(payload.supervisors)))
    if len(people) != len(set(payload.supervisors)):
        raise field_error("supervisors", "No such record, or it is not available to you.", "not_found")
    data["supervisors"] = people
    sup = services.create_supervision(data=data, by=request.user)
    return Status(201, _detail(request, sup.pk))


@router.get("/supervisions/{pk}", response=SupervisionDetailOut, summary="One supervision with its matriz de mejora")
def supervision_detail(request: HttpRequest, pk: int) -> Supervision:
    return _detail(request, pk)


@router.post("/supervisions/{pk}/checks", response={201: SupervisionCheckOut}, summary="Add an aspect to the checklist")
def supervision_check(request: HttpRequest, pk: int, payload: SupervisionCheckIn) -> Status[Check]:
    sup = get_supervision_for_user(request.user, pk)
    require_manager(request.user)
    process = resolve_fk(Process.objects.filter(is_active=True), payload.process, "process")
    check = services.add_check(
        sup,
        aspect=payload.aspect,
        result=payload.result,
        observation=payload.observation,
        process=process,
        by=request.user,
    )
    return Status(201, check)


@router.post("/supervisions/{pk}/items", response={201: ActionItemOut}, summary="Add an item to the matriz de mejora")
def supervision_item(request: HttpRequest, pk: int, payload: SupervisionImprovementIn) -> Status[ActionItem]:
    from nonconformities.forms import people_at

    sup = get_supervision_for_user(request.user, pk)
    require_manager(request.user)
    responsible = resolve_fk(people_at(sup.site_id), payload.responsible, "responsible")
    item = services.add_improvement(
        sup, title=payload.title, due_date=payload.due_date, responsible=responsible, by=request.user
    )
    return Status(201, get_or_404(items_visible_to(request.user), pk=item.pk))


@router.post(
    "/supervisions/{pk}/report", response=SupervisionDetailOut, summary="Record the report (closes the fieldwork)"
)
def supervision_report(request: HttpRequest, pk: int, payload: SupervisionReportIn) -> Supervision:
    sup = get_supervision_for_user(request.user, pk)
    require_manager(request.user)
    services.record_report(sup, report=payload.report, by=request.user)
    return _detail(request, pk)
