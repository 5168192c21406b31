"""The cronograma page: Gantt data (stages, dependencies, milestones, progress, planned vs
actual), the accessible table, scoping and access."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from organization.models import OrgUnit, Site
from plans import gantt, services
from plans.models import Plan
from plans.tests.api_support import deliver_whole

D = datetime.date
TODAY = D(2020, 6, 15)


def make_plan(by: Any, *, title: str = "Plan de prueba del cronograma") -> dict[str, Any]:
    """A 2020 plan with three stages: a delayed activity with two products (one delivered), a
    dependent activity, a milestone depending on it, and a UT Cusco activity."""
    cmg_unit = OrgUnit.objects.get(code="UPPM-CMG")
    plan = services.create_plan(
        by=by,
        data={
            "year": 2020,
            "kind": Plan.Kind.SIG,
            "title": title,
            "objective": "Objetivo",
            "owner_unit": cmg_unit,
            "stages": ["Mantenimiento", "Seguimiento, medición y análisis", "Mejora"],
        },
    )
    s1, s2, s3 = plan.stages.order_by("number")
    a11 = services.add_activity(
        s1,
        by=by,
        data={
            "code": "1.1",
            "title": "Auditorías internas al SIG",
            "responsible_unit": cmg_unit,
            "planned_start": D(2020, 2, 1),
            "planned_end": D(2020, 4, 30),
            "actual_start": D(2020, 2, 10),
            "actual_end": None,
            "order": 1,
        },
    )
    a12 = services.add_activity(
        s1,
        by=by,
        data={
            "code": "1.2",
            "title": "Supervisiones integrales",
            "responsible_unit": cmg_unit,
            "planned_start": D(2020, 5, 1),
            "planned_end": D(2020, 6, 30),
            "depends_on": [a11],
            "order": 2,
        },
    )
    m21 = services.add_activity(
        s2,
        by=by,
        data={
            "code": "2.1",
            "title": "Revisión por la Dirección",
            "responsible_unit": cmg_unit,
            "planned_start": D(2020, 7, 15),
            "planned_end": D(2020, 7, 15),
            "is_milestone": True,
            "depends_on": [a12],
            "order": 1,
        },
    )
    a31 = services.add_activity(
        s3,
        by=by,
        data={
            "code": "3.1",
            "title": "Difusión en la UT Cusco",
            "responsible_unit": OrgUnit.objects.get(code="UT-CUS"),
            "planned_start": D(2020, 8, 1),
            "planned_end": D(2020, 9, 30),
            "sites": [Site.objects.get(code="UT-CUS")],
            "order": 1,
        },
    )
    delivered = services.add_product(plan, title="Informe de auditoría", activities=[a11], by=by)
    services.add_product(plan, title="Programa de auditoría", activities=[a11], by=by)
    deliver_whole(delivered, by=by, day=D(2020, 3, 20))
    a11.refresh_from_db()
    return {"plan": plan, "a11": a11, "a12": a12, "m21": m21, "a31": a31}


@pytest.fixture
def demo_plan(cmg: Any) -> dict[str, Any]:
    return make_plan(cmg)


def _tasks(page: gantt.GanttPage) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in page.data["tasks"]}


@pytest.mark.django_db
def test_it_orders_stage_rows_before_their_activities(cmg, demo_plan):
    p = demo_plan
    page = gantt.gantt_page(cmg, p["plan"], today=TODAY)
    ids = [t["id"] for t in page.data["tasks"]]
    assert ids == [
        "stage-1",
        f"a{p['a11'].pk}",
        f"a{p['a12'].pk}",
        "stage-2",
        f"a{p['m21'].pk}",
        "stage-3",
        f"a{p['a31'].pk}",
    ]
    stage1 = _tasks(page)["stage-1"]
    assert (stage1["start"], stage1["end"]) == ("2020-02-01", "2020-06-30")
    assert stage1["progress"] == 25  # mean of 50 % and 0 %


@pytest.mark.django_db
def test_the_gantt_data_carries_dependencies_milestones_progress_and_actual_dates(cmg, demo_plan):
    p = demo_plan
    tasks = _tasks(gantt.gantt_page(cmg, p["plan"], today=TODAY))
    a11, a12, m21 = tasks[f"a{p['a11'].pk}"], tasks[f"a{p['a12'].pk}"], tasks[f"a{p['m21'].pk}"]
    assert a12["dependencies"] == f"a{p['a11'].pk}"
    assert m21["dependencies"] == f"a{p['a12'].pk}"
    assert m21["milestone"] is True
    assert m21["start"] == m21["end"] == "2020-07-15"
    assert a11["progress"] == 50  # one of its two products delivered
    assert (a11["start"], a11["end"]) == ("2020-02-01", "2020-04-30")
    # Under way: the actual bar starts on the actual start and runs up to today.
    assert (a11["actual_start"], a11["actual_end"]) == ("2020-02-10", "2020-06-15")
    assert a11["status"] == "delayed" and a11["custom_class"] == "status-delayed"
    assert a12["actual_start"] == "" and a12["status"] == "delayed"  # should have started on 01/05


@pytest.mark.django_db
def test_retrasada_is_derived_from_the_dates(cmg, demo_plan):
    plan = demo_plan["plan"]
    before = {
        t["code"]: t["status"] for t in gantt.gantt_page(cmg, plan, today=D(2020, 1, 15)).data["tasks"] if "code" in t
    }
    after = {
        t["code"]: t["status"] for t in gantt.gantt_page(cmg, plan, today=D(2020, 12, 1)).data["tasks"] if "code" in t
    }
    assert before == {"1.1": "in_progress", "1.2": "not_started", "2.1": "not_started", "3.1": "not_started"}
    assert after == {"1.1": "delayed", "1.2": "delayed", "2.1": "delayed", "3.1": "delayed"}


@pytest.mark.django_db
def test_the_page_renders_the_chart_data_and_the_table_without_inline_scripts(client_as, cmg, demo_plan):
    p = demo_plan
    response = client_as(cmg).get(reverse("plans:plan_gantt", args=[p["plan"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    inline = [s for s in scripts if "src=" not in s]
    assert inline == ['<script id="gantt-data" type="application/json">']
    assert any("frappe-gantt.umd.js" in s for s in scripts) and any("sig/gantt/gantt.js" in s for s in scripts)
    data = json.loads(re.search(r'<script id="gantt-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert {t["id"] for t in data["tasks"]} >= {f"a{p['a11'].pk}", "stage-1"}
    table = html[html.index('data-testid="cronograma-table"') :]
    for code in ("1.1", "1.2", "2.1", "3.1"):
        assert f'data-activity="{code}"' in table
    assert 'data-activity="1.1" data-status="' in table


@pytest.mark.django_db
def test_the_table_works_without_javascript_and_the_chart_is_hidden_until_drawn(client_as, cmg, demo_plan):
    html = client_as(cmg).get(reverse("plans:plan_gantt", args=[demo_plan["plan"].pk])).content.decode()
    assert re.search(r'<section id="gantt-chart"[^>]*\bhidden\b', html)
    assert '<progress max="100" value="50"' in html  # 1.1 progress, readable without the chart


@pytest.mark.django_db
def test_a_ut_sees_only_the_activities_that_involve_it(client_as, ut_cusco, cmg, demo_plan):
    p = demo_plan
    page = gantt.gantt_page(ut_cusco, p["plan"], today=TODAY)
    assert [t["id"] for t in page.data["tasks"]] == ["stage-3", f"a{p['a31'].pk}"]
    html = client_as(ut_cusco).get(reverse("plans:plan_gantt", args=[p["plan"].pk])).content.decode()
    assert 'data-activity="3.1"' in html and 'data-activity="1.1"' not in html


@pytest.mark.django_db
def test_readers_see_the_gantt_and_people_without_a_role_get_404(client_as, lector, no_role_user, demo_plan):
    url = reverse("plans:plan_gantt", args=[demo_plan["plan"].pk])
    assert client_as(lector).get(url).status_code == 200
    assert client_as(no_role_user).get(url).status_code == 404
    assert client_as(None).get(url).status_code == 302


@pytest.mark.django_db
def test_only_editors_see_the_import_button(client_as, cmg, lector, demo_plan):
    url = reverse("plans:plan_gantt", args=[demo_plan["plan"].pk])
    assert 'data-testid="cronograma-import"' in client_as(cmg).get(url).content.decode()
    assert 'data-testid="cronograma-import"' not in client_as(lector).get(url).content.decode()


@pytest.mark.django_db
def test_a_big_plan_is_shown_a_page_and_a_stage_at_a_time(client_as, cmg, demo_plan, monkeypatch):
    monkeypatch.setattr(gantt, "PAGE_SIZE", 2)
    p = demo_plan
    url = reverse("plans:plan_gantt", args=[p["plan"].pk])
    first = gantt.gantt_page(cmg, p["plan"], today=TODAY)
    assert first.page.paginator.num_pages == 2
    assert [t["id"] for t in first.data["tasks"]] == ["stage-1", f"a{p['a11'].pk}", f"a{p['a12'].pk}"]
    second = gantt.gantt_page(cmg, p["plan"], page_number=2, today=TODAY)
    # 2.1 depends on 1.2, which is on the other page: no arrow to a bar that is not drawn.
    assert _tasks(second)[f"a{p['m21'].pk}"]["dependencies"] == ""
    assert _tasks(second)[f"a{p['m21'].pk}"]["depends_on"] == ["1.2"]
    stage2 = client_as(cmg).get(url, {"stage": "2"}).content.decode()
    assert 'data-activity="2.1"' in stage2 and 'data-activity="1.1"' not in stage2


@pytest.mark.django_db
def test_the_page_makes_a_fixed_number_of_queries(client_as, cmg, demo_plan, django_assert_max_num_queries):
    client = client_as(cmg)
    url = reverse("plans:plan_gantt", args=[demo_plan["plan"].pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    plan = demo_plan["plan"]
    stage = plan.stages.get(number=3)
    for i in range(2, 12):
        services.add_activity(
            stage,
            by=cmg,
            data={
                "code": f"3.{i}",
                "title": f"Actividad {i}",
                "responsible_unit": OrgUnit.objects.get(code="UTI"),
                "planned_start": D(2020, 10, 1),
                "planned_end": D(2020, 10, 31),
            },
        )
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
