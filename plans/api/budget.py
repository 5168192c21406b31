"""The plan's budget over the API: tasks with programmed and executed amounts (soles, two
decimals, as strings or numbers), linked to activities, with the totals of the page
(plans.selectors.budget_summary); an over-commitment is refused naming the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from core.access import get_or_404
from core.api_helpers import OMITTED, PageIn, PageOut, StrictIn, page
from plans import selectors, services
from plans.access import can_edit_plans, get_plan_for_user, plans_visible_to
from plans.api.common import IDS, MONEY_OUT, IdList, Money, resolve_ids, soles
from plans.models import Activity, BudgetTask

router = Router(tags=["plans"])


class BudgetTaskOut(Schema):
    id: int
    plan_id: int
    title: str
    programmed_amount: str = Field(..., description=MONEY_OUT)
    executed_amount: str = Field(..., description=MONEY_OUT)
    execution_percent: int = Field(..., description="Executed over programmed, in whole %.")
    activity_ids: list[int]
    order: int

    @staticmethod
    def resolve_programmed_amount(obj: BudgetTask) -> str:
        return soles(obj.programmed_amount)

    @staticmethod
    def resolve_executed_amount(obj: BudgetTask) -> str:
        return soles(obj.executed_amount)

    @staticmethod
    def resolve_execution_percent(obj: Any) -> int:
        return int(obj.execution_percent)

    @staticmethod
    def resolve_activity_ids(obj: BudgetTask) -> list[int]:
        return [a.pk for a in obj.activities.all()]


class BudgetPage(PageOut):
    items: list[BudgetTaskOut]
    budget_amount: str = Field(..., description="The plan's assigned budget. " + MONEY_OUT)
    programmed_total: str = Field(..., description=MONEY_OUT)
    executed_total: str = Field(..., description=MONEY_OUT)
    available: str = Field(..., description="Assigned budget not yet programmed. " + MONEY_OUT)
    execution_percent: int = Field(..., description="Executed over the assigned budget, in whole %.")


# --- input schemas --------------------------------------------------------------------------


class BudgetTaskIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=500)
    programmed_amount: Money = Decimal("0.00")
    executed_amount: Money = Decimal("0.00")
    activities: IdList = Field([], max_length=IDS, description="Ids of the activities of the plan it funds.")


class BudgetTaskPatch(StrictIn):
    title: str = Field(OMITTED, min_length=1, max_length=500)
    programmed_amount: Money = Field(OMITTED)
    executed_amount: Money = Field(OMITTED)
    activities: IdList = Field(OMITTED, max_length=IDS)


# --- endpoints ------------------------------------------------------------------------------


def _with_percent(tasks: list[BudgetTask], summary: dict[str, Any]) -> list[BudgetTask]:
    percent = {row["task"].pk: row["pct"] for row in summary["rows"]}
    for task in tasks:
        task.execution_percent = percent[task.pk]  # type: ignore[attr-defined]
    return tasks


def _budget_task(request: HttpRequest, pk: int) -> BudgetTask:
    """One task of a visible plan with what BudgetTaskOut shows; 404 otherwise."""
    task = get_or_404(
        BudgetTask.objects.filter(plan__in=plans_visible_to(request.user)).select_related("plan__owner_unit"), pk=pk
    )
    return _with_percent([task], selectors.budget_summary(task.plan, [task]))[0]


@router.get("/plans/{pk}/budget-tasks", response=BudgetPage, summary="Budget tasks of a plan, with the totals")
def budget_list(request: HttpRequest, pk: int, paging: Query[PageIn]) -> dict[str, Any]:
    plan = get_plan_for_user(request.user, pk)
    qs = BudgetTask.objects.filter(plan=plan).order_by("order", "pk")
    summary = selectors.budget_summary(plan, list(qs))
    result = page(
        qs.prefetch_related(Prefetch("activities", queryset=Activity.objects.only("pk").order_by("pk"))), paging
    )
    return {
        **result,
        "items": _with_percent(result["items"], summary),
        "budget_amount": soles(plan.budget_amount),
        "programmed_total": soles(summary["programmed"]),
        "executed_total": soles(summary["executed"]),
        "available": soles(summary["uncommitted"]),
        "execution_percent": summary["pct"],
    }


@router.post(
    "/plans/{pk}/budget-tasks",
    response={201: BudgetTaskOut},
    summary="Add a budget task (an over-commitment of the plan's budget is refused)",
)
def budget_create(request: HttpRequest, pk: int, payload: BudgetTaskIn) -> Status[BudgetTask]:
    plan = get_plan_for_user(request.user, pk, write=True)
    task = services.save_budget_task(plan, data=resolve_ids(request, payload.model_dump(), plan), by=request.user)
    return Status(201, _budget_task(request, task.pk))


@router.patch(
    "/budget-tasks/{pk}",
    response=BudgetTaskOut,
    summary="Change a budget task: title, amounts programmed and executed, activities",
)
def budget_update(request: HttpRequest, pk: int, payload: BudgetTaskPatch) -> BudgetTask:
    task = _budget_task(request, pk)
    if not can_edit_plans(request.user):
        raise PermissionDenied
    data = resolve_ids(request, payload.changes(), task.plan)
    services.save_budget_task(task.plan, data=data, task=task, by=request.user)
    return _budget_task(request, pk)
