"""/api/v1/plans/{id}/activities and /api/v1/activities/{id}: the activities of a plan, scoped
so that a UT sees those that involve it, filtered by stage, status (with "delayed" derived from
the dates), unit and site; added to a stage and changed by the plan editors."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.testing import (
    api_patch,
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from plans.models import Activity
from plans.tests.api_support import add_activity, add_product, fresh, make_plan, site, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cmg):
    return make_plan(cmg)


@pytest.fixture
def cusco(plan, cmg):
    """Held at UT Cusco, owned by a Sede Central unit."""
    return add_activity(plan, "1.1", by=cmg, sites=("UT-CUS",))


@pytest.fixture
def central(plan, cmg):
    """Held and owned at the Sede Central."""
    return add_activity(plan, "1.2", by=cmg, sites=("SC",))


def listing(plan) -> str:
    return f"/api/v1/plans/{plan.pk}/activities"


def url(activity: Activity) -> str:
    return f"/api/v1/activities/{activity.pk}"


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["code"] for a in response.json()["items"]]


def new_body(plan, **extra) -> dict:
    return {
        "stage": plan.stages.get(number=2).pk,
        "code": "2.1",
        "title": "Revisión por la dirección",
        "responsible_unit": unit("UPPM-CMG").pk,
        "sites": [site("SC").pk],
        "planned_start": "2031-11-02",
        "planned_end": "2031-11-30",
        "is_milestone": True,
        **extra,
    }


# --- reading and scoping --------------------------------------------------------------------


def test_central_roles_see_every_activity_of_the_plan(client_as, lector, plan, cusco, central):
    response = client_as(lector).get(listing(plan))
    assert codes(response) == ["1.1", "1.2"]
    item = response.json()["items"][0]
    assert (item["stage_number"], item["responsible_unit_code"], item["site_codes"]) == (1, "UPPM-CMG", ["UT-CUS"])
    assert (item["status"], item["shown_status"], item["progress"]) == ("not_started", "not_started", 0)


def test_a_ut_head_sees_only_the_activities_that_involve_their_ut(client_as, ut_cusco, plan, cusco, central, cmg):
    owned = add_activity(plan, "1.3", by=cmg, unit_code="UT-CUS")
    client = client_as(ut_cusco)
    assert codes(client.get(listing(plan))) == ["1.1", "1.3"]
    assert client.get(url(cusco)).status_code == 200
    assert client.get(url(owned)).status_code == 200
    assert client.get(url(central)).status_code == 404


def test_another_uts_head_gets_404_on_cuscos_activity(client_as, ut_puno, plan, cusco):
    client = client_as(ut_puno)
    assert codes(client.get(listing(plan))) == []
    assert client.get(url(cusco)).status_code == 404
    assert api_patch(client, url(cusco), {"title": "X"}).status_code == 404


def test_a_person_without_a_role_gets_404(client_as, no_role_user, plan, cusco):
    client = client_as(no_role_user)
    assert client.get(listing(plan)).status_code == 404
    assert client.get(url(cusco)).status_code == 404
    assert api_post(client, listing(plan), new_body(plan)).status_code == 404


def test_it_filters_by_stage_unit_site_and_words(client_as, cmg, plan, cusco, central):
    add_activity(plan, "3.1", by=cmg, stage=3, unit_code="UT-CUS", title="Taller de mejora continua")
    client = client_as(cmg)
    assert codes(client.get(listing(plan), {"stage": 3})) == ["3.1"]
    assert codes(client.get(listing(plan), {"unit": unit("UT-CUS").pk})) == ["3.1"]
    assert codes(client.get(listing(plan), {"site": site("UT-CUS").pk})) == ["1.1"]
    assert codes(client.get(listing(plan), {"site": site("SC").pk})) == ["1.2"]
    assert codes(client.get(listing(plan), {"q": "mejora continua"})) == ["3.1"]
    assert client.get(listing(plan), {"stage": 0}).status_code == 422


def test_delayed_is_derived_from_the_dates_and_filterable(client_as, cmg, plan):
    today = timezone.localdate()
    past = today - datetime.timedelta(days=30)
    add_activity(plan, "1.1", by=cmg, start=past, end=today - datetime.timedelta(days=1), status="in_progress")
    add_activity(plan, "1.2", by=cmg, start=past, end=today + datetime.timedelta(days=30))  # not started yet
    add_activity(plan, "1.3", by=cmg, start=past, end=today - datetime.timedelta(days=1), status="completed")
    add_activity(plan, "1.4", by=cmg, start=past, end=today + datetime.timedelta(days=30), status="in_progress")
    add_activity(plan, "1.5", by=cmg)  # starts in the future
    client = client_as(cmg)
    response = client.get(listing(plan))
    shown = {a["code"]: (a["status"], a["shown_status"], a["is_delayed"]) for a in response.json()["items"]}
    assert shown["1.1"] == ("in_progress", "delayed", True)
    assert shown["1.2"] == ("not_started", "delayed", True)
    assert shown["1.3"] == ("completed", "completed", False)
    assert codes(client.get(listing(plan), {"status": "delayed"})) == ["1.1", "1.2"]
    assert codes(client.get(listing(plan), {"status": "in_progress"})) == ["1.4"]
    assert codes(client.get(listing(plan), {"status": "not_started"})) == ["1.5"]
    assert codes(client.get(listing(plan), {"status": "completed"})) == ["1.3"]
    assert client.get(listing(plan), {"status": "late"}).status_code == 422


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, ut_cusco, plan, django_assert_num_queries):
    first = add_activity(plan, "1.1", by=cmg, sites=("UT-CUS",))
    add_product(plan, "Informe 1", [first], by=cmg)
    clients = {"central": client_as(cmg), "site": client_as(ut_cusco)}
    for client in clients.values():
        with django_assert_num_queries(9):
            client.get(listing(plan))
    for n in range(2, 12):
        activity = add_activity(plan, f"1.{n}", by=cmg, sites=("UT-CUS", "SC"), depends_on=[first])
        add_product(plan, f"Informe {n}", [activity], by=cmg)
    for client in clients.values():
        with django_assert_num_queries(9):
            assert client.get(listing(plan)).json()["count"] == 11


# --- adding and changing ----------------------------------------------------------------------


def test_a_plan_editor_adds_an_activity_to_a_stage_with_a_bearer_token(cmg, plan, cusco):
    client = token_client(cmg)
    events = event_count()
    response = api_post(client, listing(plan), new_body(plan, depends_on=[cusco.pk]))
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/plans/{pk}/activities")
    activity = Activity.objects.get(pk=response.json()["id"])
    assert (activity.plan_id, activity.stage.number, activity.code, activity.is_milestone) == (plan.pk, 2, "2.1", True)
    assert list(activity.depends_on.all()) == [cusco]
    assert response.json()["site_codes"] == ["SC"]
    assert event_count() == events + 1 and last_event("plans.activity").action == "create"


def test_an_activity_is_changed_and_audited(client_as, cmg, cusco):
    response = api_patch(
        client_as(cmg),
        url(cusco),
        {"actual_start": "2031-03-01", "progress": 40, "status": "in_progress", "sites": [site("UT-PUN").pk]},
    )
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/activities/{pk}")
    cusco = fresh(cusco)
    assert (cusco.progress, cusco.status, str(cusco.actual_start)) == (40, "in_progress", "2031-03-01")
    assert response.json()["site_codes"] == ["UT-PUN"]
    event = last_event("plans.activity")
    assert event.action == "update" and {"progress", "status", "actual_start", "sites"} <= set(event.changes)


def test_progress_follows_the_products_when_the_activity_has_any(client_as, cmg, plan, cusco):
    add_product(plan, "Informe de mantenimiento", [cusco], by=cmg)
    client = client_as(cmg)
    before, events = row(cusco), event_count()
    response = api_patch(client, url(cusco), {"progress": 50})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "progress"]
    assert row(cusco) == before and event_count() == events


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "direccion"])
def test_other_roles_may_not_add_or_change_activities(client_as, request, plan, cusco, persona):
    client = client_as(request.getfixturevalue(persona))
    before, events, count = row(cusco), event_count(), Activity.objects.count()
    assert api_post(client, listing(plan), new_body(plan)).status_code == 403
    assert api_patch(client, url(cusco), {"progress": 10}).status_code == 403
    assert row(cusco) == before and event_count() == events and Activity.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"planned_start": "2031-12-01", "planned_end": "2031-11-01"}, "planned_end", 400),
        ({"actual_start": "2031-12-01", "actual_end": "2031-11-01"}, "actual_end", 400),
        ({"progress": 101}, "progress", 400),
        ({"progress": -1}, "progress", 400),
        ({"progress": "50"}, "progress", 422),
        ({"status": "delayed"}, "status", 422),
        ({"planned_end": "30/11/2031"}, "planned_end", 422),
        ({"code": "1.1"}, "code", 400),
        ({"responsible_unit": 999999}, "responsible_unit", 422),
        ({"sites": [999999]}, "sites", 422),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(client_as, cmg, plan, cusco, central, body, field, status):
    client = client_as(cmg)
    target = central if field == "code" else cusco  # changing 1.2's code to 1.1 collides
    before, events, count = row(target), event_count(), Activity.objects.count()
    responses = [api_patch(client, url(target), body)]
    if field != "progress":  # progress is not set on creation
        responses.append(api_post(client, listing(plan), new_body(plan, **body)))
    for response in responses:
        assert response.status_code == status, response.json()
        assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(target) == before and event_count() == events and Activity.objects.count() == count


def test_a_stage_of_another_plan_is_refused(client_as, cmg, plan):
    other = make_plan(cmg, year=2035)
    client = client_as(cmg)
    count = Activity.objects.count()
    response = api_post(client, listing(plan), new_body(plan, stage=other.stages.get(number=1).pk))
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["stage"]
    assert Activity.objects.count() == count
