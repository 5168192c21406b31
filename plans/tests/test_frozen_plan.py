"""Once approved, a plan's activities, products, dates and budget change only through a change
request (§13); its execution (progress, actual dates, deliveries, spending) is still recorded."""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditEvent
from core.services import ServiceError
from plans import services
from plans.models import Activity
from plans.tests.api_support import add_activity, approve, make_plan
from plans.tests.page_support import activity_url

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def frozen(cmg, direccion):
    plan = make_plan(cmg)
    activity = add_activity(plan, "1.1", by=cmg, sites=("UT-CUS",))
    task = services.save_budget_task(plan, data={"title": "Auditoría", "programmed_amount": "1000.00"}, by=cmg)
    approve(plan, cmg, direccion)
    return {"plan": plan, "activity": activity, "task": task}


def test_planned_dates_of_an_approved_plan_cannot_be_edited_through_the_page(client_as, cmg, frozen):
    activity = frozen["activity"]
    before = (activity.planned_start, activity.planned_end)
    events = AuditEvent.objects.count()
    page = client_as(cmg).get(activity_url(activity, "activity_edit")).content.decode()
    assert 'name="planned_start"' in page and "disabled" in page.split('name="planned_start"')[1].split(">")[0]
    response = client_as(cmg).post(
        activity_url(activity, "activity_edit"),
        {
            "code": "1.1",
            "title": "Otra",
            "planned_start": "2031-05-01",
            "planned_end": "2031-06-30",
            "status": "in_progress",
            "progress": "10",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.planned_start, activity.planned_end) == before and activity.title != "Otra"
    assert activity.status == Activity.Status.IN_PROGRESS  # execution is still recorded
    assert AuditEvent.objects.count() > events


def test_the_services_refuse_planning_changes_naming_the_field(cmg, frozen):
    plan, activity, task = frozen["plan"], frozen["activity"], frozen["task"]
    with pytest.raises(ServiceError) as err:
        services.update_activity(activity, data={"planned_end": D(2031, 12, 31)}, by=cmg)
    assert err.value.field == "planned_end"
    with pytest.raises(ServiceError):
        services.add_activity(plan.stages.get(number=1), data={"code": "1.2", "title": "x"}, by=cmg)
    with pytest.raises(ServiceError):
        services.add_product(plan, title="Nuevo", activities=[activity], by=cmg)
    with pytest.raises(ServiceError) as err:
        services.save_budget_task(plan, data={"programmed_amount": "5000.00"}, by=cmg, task=task)
    assert err.value.field == "programmed_amount"
    with pytest.raises(ServiceError):
        services.update_activity(activity, data={"status": Activity.Status.CANCELLED}, by=cmg)
    # what is executed is recorded as usual
    services.save_budget_task(plan, data={"executed_amount": "400.00"}, by=cmg, task=task)
    services.update_activity(activity, data={"actual_start": D(2031, 2, 1)}, by=cmg)


def test_the_api_refuses_to_move_an_approved_plans_dates(client_as, cmg, frozen):
    activity = frozen["activity"]
    response = client_as(cmg).patch(
        f"/api/v1/activities/{activity.pk}", {"planned_end": "2031-12-31"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"][-1] == "planned_end"
    activity.refresh_from_db()
    assert activity.planned_end != D(2031, 12, 31)


def test_a_request_applies_exactly_its_changes_on_approval(cmg, direccion, frozen):
    from django.utils import timezone

    from committee.services import create_session

    plan, activity, task = frozen["plan"], frozen["activity"], frozen["task"]
    changes = [
        {"op": "reschedule", "activity": "1.1", "planned_start": "2031-04-01", "planned_end": "2031-05-31"},
        {"op": "add_activity", "stage": 2, "code": "2.9", "title": "Nueva actividad", "unit": "UPPM-CMG",
         "planned_start": "2031-06-01", "planned_end": "2031-06-30", "sites": ["SC"], "products": ["Informe nuevo"]},
        {"op": "budget", "task": task.pk, "programmed_amount": "1500.00"},
    ]  # fmt: skip
    cr = services.propose_change(
        plan, data={"reason": "Ajuste", "supporting_report": "Informe 9", "changes": changes}, by=cmg
    )
    session = create_session(data={"number": "Z1-2031", "date": timezone.now()}, by=cmg)
    services.record_committee_review(cr, session=session, opinion="Conforme", by=cmg)
    services.decide_change(cr, approve=True, resolution="RDE 1", by=direccion)
    activity.refresh_from_db()
    task.refresh_from_db()
    assert (activity.planned_start, activity.planned_end) == (D(2031, 4, 1), D(2031, 5, 31))
    new = plan.activities.get(code="2.9")
    assert [p.title for p in new.products.all()] == ["Informe nuevo"] and task.programmed_amount == 1500
    entry = plan.change_entries.get(version=2)
    assert "Informe 9" in entry.texts_modified and "1.1" in entry.texts_modified


@pytest.mark.parametrize(
    "change",
    [
        {"op": "reschedule", "activity": "9.9", "planned_start": "2031-01-01", "planned_end": "2031-01-02"},
        {"op": "reschedule", "activity": "1.1", "planned_start": "2031-05-01", "planned_end": "2031-04-01"},
        {"op": "reschedule", "activity": "1.1", "planned_start": "0001-01-01", "planned_end": "9999-12-31"},
        {"op": "add_activity", "stage": 1, "code": "1.1", "title": "Repetida", "unit": "UPPM-CMG",
         "planned_start": "2031-01-01", "planned_end": "2031-02-01"},
        {"op": "budget", "task": 2**62, "programmed_amount": "1"},
        {"op": "budget", "task": 1, "programmed_amount": "99999999999999"},
        {"op": "nuke"},
    ],
)  # fmt: skip
def test_a_faulty_change_is_refused_naming_it_and_nothing_is_stored(client_as, cmg, frozen, change):
    plan = frozen["plan"]
    before = plan.change_requests.count()
    body = {"reason": "x", "supporting_report": "Informe", "changes": [change]}
    response = client_as(cmg).post(f"/api/v1/plans/{plan.pk}/change-requests", body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert plan.change_requests.count() == before
