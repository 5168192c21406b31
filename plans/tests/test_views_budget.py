"""The plan's budget: tasks with programmed and executed amounts (S/ with two decimals), execution
per task and in total, and the refusals — three decimals, negative amounts, executed above
programmed, over-commitment — answered 400 with the field error and nothing stored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plans import services
from plans.models import BudgetTask
from plans.tests.page_support import add_activity, events, find, find_all, has_field_error, plan, plan_url, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget_plan(cmg):
    p = plan(cmg)  # S/ 130,000.00 assigned
    services.save_budget_task(
        p, data={"title": "Auditoría interna", "programmed_amount": "30000.00", "executed_amount": "15000.00"}, by=cmg
    )
    return p


def test_the_coordinator_adds_a_task_linked_to_activities(client_as, cmg, budget_plan):
    a = add_activity(budget_plan, "3.15", by=cmg, stage=3)
    client = client_as(cmg)
    before = events()
    data = {
        "title": "Auditoría externa de certificación",
        "programmed_amount": "45000.50",
        "executed_amount": "0",
        "activities": [a.pk],
    }
    response = client.post(plan_url(budget_plan, "budget_task_create"), data)
    assert response.status_code == 302 and response["Location"] == plan_url(budget_plan) + "#budget"
    task = BudgetTask.objects.get(title="Auditoría externa de certificación")
    assert (task.programmed_amount, list(task.activities.all())) == (Decimal("45000.50"), [a])
    assert events() == before + 1
    html = client.get(plan_url(budget_plan)).content
    row = find(html, "tr", data_task=str(task.pk))
    assert text_of(find(row, "td", data_amount="programmed")) == "S/ 45,000.50"
    assert text_of(find(html, "td", data_testid="budget-pct")) == "12 %"  # 15,000 of 130,000


def test_the_coordinator_records_the_executed_amount(client_as, cmg, budget_plan):
    task = budget_plan.budget_tasks.get()
    data = {"title": task.title, "programmed_amount": "30000.00", "executed_amount": "30000.00"}
    assert client_as(cmg).post(plan_url(budget_plan, "budget_task_edit", task.pk), data).status_code == 302
    html = client_as(cmg).get(plan_url(budget_plan)).content
    assert dict(find(html, "td", data_pct="100").attributes)["data-pct"] == "100"


@pytest.mark.parametrize(
    "field, data",
    [
        ("programmed_amount", {"programmed_amount": "1000.505"}),
        ("programmed_amount", {"programmed_amount": "-1.00"}),
        ("executed_amount", {"programmed_amount": "1000.00", "executed_amount": "0.001"}),
        ("executed_amount", {"programmed_amount": "1000.00", "executed_amount": "-3"}),
        ("executed_amount", {"programmed_amount": "1000.00", "executed_amount": "1000.01"}),
        ("programmed_amount", {"programmed_amount": "100000.01"}),  # 30,000 + this > 130,000
        ("programmed_amount", {"programmed_amount": "cien"}),
        ("activities", {"programmed_amount": "10.00", "activities": ["999999"]}),
        ("title", {"title": "", "programmed_amount": "10.00"}),
    ],
)
def test_bad_amounts_and_over_commitment_are_refused_with_the_field_error(client_as, cmg, budget_plan, field, data):
    client = client_as(cmg)
    before = events()
    response = client.post(plan_url(budget_plan, "budget_task_create"), {"title": "Servicios varios", **data})
    assert response.status_code == 400
    assert has_field_error(response, field)
    assert budget_plan.budget_tasks.count() == 1 and events() == before


def test_the_over_commitment_message_names_the_amounts(client_as, cmg, budget_plan):
    response = client_as(cmg).post(
        plan_url(budget_plan, "budget_task_create"), {"title": "Servicios varios", "programmed_amount": "100000.01"}
    )
    message = response.context["form"].errors["programmed_amount"][0]
    assert "130,000.01" in message and "130,000.00" in message


def test_raising_a_task_above_the_budget_is_refused_too(client_as, cmg, budget_plan):
    task = budget_plan.budget_tasks.get()
    response = client_as(cmg).post(
        plan_url(budget_plan, "budget_task_edit", task.pk),
        {"title": task.title, "programmed_amount": "130000.01", "executed_amount": "0"},
    )
    assert response.status_code == 400 and has_field_error(response, "programmed_amount")
    task.refresh_from_db()
    assert task.programmed_amount == Decimal("30000.00")


@pytest.mark.parametrize("who", ["lector", "ut_cusco", "direccion"])
def test_others_cannot_change_the_budget(client_as, request, budget_plan, who):
    client = client_as(request.getfixturevalue(who))
    task = budget_plan.budget_tasks.get()
    assert (
        client.post(plan_url(budget_plan, "budget_task_create"), {"title": "X", "programmed_amount": "1"}).status_code
        == 403
    )
    assert (
        client.post(
            plan_url(budget_plan, "budget_task_edit", task.pk), {"title": "X", "programmed_amount": "1"}
        ).status_code
        == 403
    )
    assert budget_plan.budget_tasks.count() == 1


def test_a_task_of_another_plan_is_404(client_as, cmg, budget_plan):
    other = plan(cmg, year=2042)
    task = budget_plan.budget_tasks.get()
    assert client_as(cmg).get(plan_url(other, "budget_task_edit", task.pk)).status_code == 404


def test_the_edit_buttons_show_only_to_editors(client_as, cmg, lector, budget_plan):
    assert find_all(client_as(cmg).get(plan_url(budget_plan)).content, "a", data_testid="add-budget-task")
    assert not find_all(client_as(lector).get(plan_url(budget_plan)).content, "a", data_testid="add-budget-task")
