"""/api/v1/plans/{id}/budget-tasks and /api/v1/budget-tasks/{id}: the plan's budget in soles
with two decimals, tasks with programmed and executed amounts, totals and execution; an
over-commitment is refused naming the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.testing import (
    api_patch,
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from plans import services
from plans.models import BudgetTask
from plans.tests.api_support import add_activity, fresh, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cmg):
    return make_plan(cmg, budget="130000.00")


@pytest.fixture
def task(plan, cmg):
    return services.save_budget_task(
        plan,
        data={"title": "Auditoría interna", "programmed_amount": "40000.00", "executed_amount": "10000.50"},
        by=cmg,
    )


def listing(plan) -> str:
    return f"/api/v1/plans/{plan.pk}/budget-tasks"


def url(task: BudgetTask) -> str:
    return f"/api/v1/budget-tasks/{task.pk}"


def test_it_lists_the_tasks_with_totals_and_execution(client_as, ut_cusco, plan, task, cmg):
    services.save_budget_task(plan, data={"title": "Capacitación", "programmed_amount": "20000"}, by=cmg)
    response = client_as(ut_cusco).get(listing(plan))
    assert response.status_code == 200
    body = response.json()
    assert [(t["title"], t["programmed_amount"], t["executed_amount"]) for t in body["items"]] == [
        ("Auditoría interna", "40000.00", "10000.50"),
        ("Capacitación", "20000.00", "0.00"),
    ]
    assert body["items"][0]["execution_percent"] == 25
    assert (body["budget_amount"], body["programmed_total"], body["executed_total"], body["available"]) == (
        "130000.00",
        "60000.00",
        "10000.50",
        "70000.00",
    )
    assert body["execution_percent"] == 8  # 10,000.50 of 130,000.00


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, lector, plan, django_assert_num_queries):
    activity = add_activity(plan, "1.1", by=cmg)
    services.save_budget_task(plan, data={"title": "T0", "activities": [activity]}, by=cmg)
    client = client_as(lector)
    with django_assert_num_queries(8):
        client.get(listing(plan))
    for n in range(1, 11):
        services.save_budget_task(
            plan, data={"title": f"T{n}", "programmed_amount": 10, "activities": [activity]}, by=cmg
        )
    with django_assert_num_queries(8):
        assert client.get(listing(plan)).json()["count"] == 11


@pytest.mark.parametrize(
    ("programmed", "executed"),
    [("12500.50", "2500.25"), (12500.5, 2500.25), (12500, 0)],
)
def test_a_plan_editor_adds_a_task_with_amounts_as_strings_or_numbers(cmg, plan, programmed, executed):
    client = token_client(cmg)
    activity = add_activity(plan, "1.1", by=cmg)
    events = event_count()
    body = {
        "title": "Difusión",
        "programmed_amount": programmed,
        "executed_amount": executed,
        "activities": [activity.pk],
    }
    response = api_post(client, listing(plan), body)
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/plans/{pk}/budget-tasks")
    task = BudgetTask.objects.get(pk=response.json()["id"])
    assert task.programmed_amount == Decimal(str(programmed)) and task.executed_amount == Decimal(str(executed))
    assert list(task.activities.all()) == [activity] and response.json()["activity_ids"] == [activity.pk]
    assert event_count() == events + 1 and last_event("plans.budgettask").action == "create"


def test_the_executed_amount_is_updated_and_audited(client_as, cmg, task):
    response = api_patch(client_as(cmg), url(task), {"executed_amount": "39999.99"})
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/budget-tasks/{pk}")
    assert fresh(task).executed_amount == Decimal("39999.99") and response.json()["execution_percent"] == 100
    event = last_event("plans.budgettask")
    assert event.action == "update" and set(event.changes) == {"executed_amount"}


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"programmed_amount": "100.005"}, "programmed_amount", 400),
        ({"programmed_amount": 100.125}, "programmed_amount", 400),
        ({"executed_amount": "-1.00"}, "executed_amount", 400),
        ({"programmed_amount": -10}, "programmed_amount", 400),
        ({"programmed_amount": "130000.01"}, "programmed_amount", 400),  # over-commitment
        ({"executed_amount": "50000.00"}, "executed_amount", 400),  # more than programmed
        ({"programmed_amount": "cien"}, "programmed_amount", 422),
        ({"programmed_amount": "1e20"}, "programmed_amount", 422),
        ({"programmed_amount": "0" * 18 + "1.00"}, "programmed_amount", 422),  # text too long
        ({"activities": [999999]}, "activities", 422),
        ({"title": ""}, "title", 422),
    ],
)
def test_bad_amounts_name_the_field_and_store_nothing(client_as, cmg, plan, task, body, field, status):
    client = client_as(cmg)
    before, events, count = row(task), event_count(), BudgetTask.objects.count()
    created = api_post(client, listing(plan), {"title": "Nueva tarea", "programmed_amount": "1000", **body})
    changed = api_patch(client, url(task), body)
    for response in (created, changed):
        assert response.status_code == status, response.json()
        assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(task) == before and event_count() == events and BudgetTask.objects.count() == count


def test_over_commitment_counts_the_other_tasks(client_as, cmg, plan, task):
    client = client_as(cmg)
    count = BudgetTask.objects.count()
    response = api_post(client, listing(plan), {"title": "Consultoría", "programmed_amount": "90000.01"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "programmed_amount"]
    assert BudgetTask.objects.count() == count
    assert api_post(client, listing(plan), {"title": "Consultoría", "programmed_amount": "90000.00"}).status_code == 201


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "direccion"])
def test_other_roles_may_not_add_or_change_tasks(client_as, request, plan, task, persona):
    client = client_as(request.getfixturevalue(persona))
    before, events, count = row(task), event_count(), BudgetTask.objects.count()
    assert api_post(client, listing(plan), {"title": "Otra", "programmed_amount": 1}).status_code == 403
    assert api_patch(client, url(task), {"executed_amount": 1}).status_code == 403
    assert row(task) == before and event_count() == events and BudgetTask.objects.count() == count


def test_a_person_without_a_role_gets_404(client_as, no_role_user, plan, task):
    client = client_as(no_role_user)
    assert client.get(listing(plan)).status_code == 404
    assert api_post(client, listing(plan), {"title": "Otra"}).status_code == 404
    assert api_patch(client, url(task), {"executed_amount": 1}).status_code == 404
