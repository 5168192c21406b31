"""Never a 500 for numbers and dates (issue 7, point 6): integers beyond 64 bits in query
parameters, bodies, paths and form multi-selects, offsets beyond the database's range and dates far
outside any plan get a 4xx naming the field, and nothing is stored; far dates already stored never
break the Gantt chart, the cronograma XLSX nor its PDF."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from core.testing import api_patch, api_post, event_count
from documents.tests.page_support import load_types
from plans.models import Activity, BudgetTask
from plans.tests.api_support import add_activity, make_plan, site, unit
from tests.security.corpus import FAR_DATE_TEXTS, FAR_DATES, HUGE_INTEGER_TEXTS, HUGE_INTEGERS, HUGE_OFFSETS

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/units", "/api/v1/documents", "/api/v1/audit-events", "/api/v1/people", "/api/v1/tokens"]


@pytest.fixture
def plan(cmg):
    return make_plan(cmg, year=2035)


def _loc(response) -> list:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"][0]["loc"]


@pytest.mark.parametrize("offset", HUGE_OFFSETS + HUGE_INTEGERS)
@pytest.mark.parametrize("url", LISTS)
def test_a_huge_offset_is_a_422_naming_it(client_as, platform_admin, url, offset):
    assert _loc(client_as(platform_admin).get(url, {"offset": offset}))[-1] == "offset"


@pytest.mark.parametrize("number", HUGE_INTEGER_TEXTS)
@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/processes", "parent"),
        ("/api/v1/tokens", "user"),
        ("/api/v1/units", "limit"),
        ("/api/v1/plans", "year"),
    ],
)
def test_a_huge_integer_in_the_query_is_a_422_naming_it(client_as, cmg, url, param, number):
    assert _loc(client_as(cmg).get(url, {param: number}))[-1] == param


POSITIVE_HUGE = [n for n in HUGE_INTEGER_TEXTS if not n.startswith("-")]  # "-1" is no route at all (404)


@pytest.mark.parametrize("number", POSITIVE_HUGE)
@pytest.mark.parametrize("path", ["/api/v1/units/{}", "/api/v1/documents/{}", "/api/v1/documents/1/versions/{}"])
def test_a_huge_integer_in_the_path_is_a_422_naming_it(client_as, cmg, path, number):
    loc = _loc(client_as(cmg).get(path.format(number)))
    assert loc[0] == "path" and loc[-1] in {"pk", "number"}


@pytest.mark.parametrize("number", HUGE_INTEGERS)
def test_a_huge_id_in_a_body_list_is_a_422_and_nothing_is_stored(client_as, cmg, number):
    load_types()
    from documents.models import Document

    client = client_as(cmg)
    count, events = Document.objects.count(), event_count()
    body = {
        "title": "Procedimiento grande",
        "document_type": 1,
        "owner_unit": unit("UPPM-CMG").pk,
        "endorsing_units": [number],
    }
    assert _loc(api_post(client, "/api/v1/documents", json.dumps(body)))[-1] == "endorsing_units"
    assert Document.objects.count() == count and event_count() == events


@pytest.mark.parametrize("number", HUGE_INTEGERS)
def test_a_huge_integer_in_a_body_is_a_422(client_as, cmg, plan, number):
    body = {"title": "Tarea", "programmed_amount": "1.00", "activities": [number]}
    assert _loc(api_post(client_as(cmg), f"/api/v1/plans/{plan.pk}/budget-tasks", json.dumps(body)))[-1] == (
        "activities"
    )
    assert not BudgetTask.objects.filter(plan=plan).exists()


def test_an_integer_sent_as_a_decimal_is_a_clear_422(client_as, cmg):
    unit_ = unit("UT-CUS")
    response = api_patch(client_as(cmg), f"/api/v1/units/{unit_.pk}", '{"order": 91.0}')
    assert _loc(response)[-1] == "order"
    assert "91" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("amount", ["", " ", "abc", "1e400", "NaN", "Infinity", "1,5"])
def test_an_amount_that_is_not_one_is_a_422(client_as, cmg, plan, amount):
    body = {"title": "Tarea", "programmed_amount": amount}
    assert _loc(api_post(client_as(cmg), f"/api/v1/plans/{plan.pk}/budget-tasks", body))[-1] == "programmed_amount"


@pytest.mark.parametrize("number", HUGE_INTEGER_TEXTS)
def test_pages_answer_404_for_a_huge_id_in_the_address(client_as, cmg, number):
    client = client_as(cmg)
    for url in [f"/organizacion/unidades/{number}/", f"/documentos/{number}/", f"/planes/{number}/"]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("number", HUGE_INTEGER_TEXTS)
def test_a_form_multi_select_with_a_huge_id_is_a_field_error(client_as, cmg, plan, number):
    data = {
        "code": "9.9",
        "title": "Actividad",
        "responsible_unit": unit("UPPM-CMG").pk,
        "sites": [site("SC").pk, number],
        "planned_start": "2035-02-01",
        "planned_end": "2035-03-01",
    }
    url = reverse("plans:activity_create", args=[plan.pk, plan.stages.get(number=1).number])
    response = client_as(cmg).post(url, data)
    assert response.status_code == 400
    assert "sites" in response.context["form"].errors
    assert not Activity.objects.filter(plan=plan, code="9.9").exists()


@pytest.mark.parametrize("number", HUGE_INTEGER_TEXTS)
def test_a_huge_stage_number_in_the_gantt_address_is_ignored(client_as, cmg, plan, number):
    assert client_as(cmg).get(reverse("plans:plan_gantt", args=[plan.pk]), {"etapa": number}).status_code == 200


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "\x1b[31m"])
def test_a_control_character_in_the_query_string_is_refused(client_as, cmg, value):
    client = client_as(cmg)
    assert client.get("/cuenta/personas/", {"q": value}).status_code == 400
    assert _loc(client.get("/api/v1/people", {"q": value})) == ["query", "q"]


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", FAR_DATE_TEXTS)
def test_the_api_refuses_an_activity_with_a_far_date(client_as, cmg, plan, day):
    body = {
        "stage": plan.stages.get(number=1).pk,
        "code": "9.1",
        "title": "Actividad lejana",
        "responsible_unit": unit("UPPM-CMG").pk,
        "planned_start": day,
        "planned_end": "2035-03-01",
    }
    response = api_post(client_as(cmg), f"/api/v1/plans/{plan.pk}/activities", body)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "planned_start"
    assert not Activity.objects.filter(plan=plan, code="9.1").exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_activity_form_refuses_a_far_date(client_as, cmg, plan, day):
    data = {
        "code": "9.2",
        "title": "Actividad lejana",
        "responsible_unit": unit("UPPM-CMG").pk,
        "planned_start": "2035-01-01",
        "planned_end": day,
    }
    url = reverse("plans:activity_create", args=[plan.pk, 1])
    response = client_as(cmg).post(url, data)
    assert response.status_code == 400 and "planned_end" in response.context["form"].errors


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_filters_with_far_dates_never_fail(client_as, auditor, day):
    client = client_as(auditor)
    assert client.get("/auditoria/", {"date_to": day}).status_code in {200, 400}
    assert client.get("/api/v1/audit-events", {"date_to": day}).status_code == 422


@pytest.mark.parametrize(("start", "end"), [(FAR_DATES[0], FAR_DATES[1]), (FAR_DATES[1], FAR_DATES[1])])
def test_far_dates_already_stored_never_break_the_gantt_nor_the_cronograma(client_as, cmg, plan, start, end):
    activity = add_activity(plan, "1.1", by=cmg)
    Activity.objects.filter(pk=activity.pk).update(
        planned_start=start, planned_end=end, actual_start=start, actual_end=None
    )
    client = client_as(cmg)
    for name in ["plan_gantt", "cronograma_xlsx", "cronograma_pdf"]:
        assert client.get(reverse(f"plans:{name}", args=[plan.pk])).status_code == 200, name


def test_a_date_at_the_bounds_is_accepted(client_as, cmg, plan):
    body = {
        "stage": plan.stages.get(number=1).pk,
        "code": "9.3",
        "title": "Actividad en el límite",
        "responsible_unit": unit("UPPM-CMG").pk,
        "planned_start": datetime.date(1900, 1, 1).isoformat(),
        "planned_end": datetime.date(2100, 12, 31).isoformat(),
    }
    assert api_post(client_as(cmg), f"/api/v1/plans/{plan.pk}/activities", body).status_code == 201
