"""The cronograma page: the Gantt chart drawn on the server (stages, dependencies, milestones,
progress, planned vs actual, today), the accessible table, scoping and access."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

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


def _rows(page: gantt.GanttPage) -> list[tuple[str, Any]]:
    """The chart's rows in order: ("stage-N", bar) then ("<code>", row) for each activity."""
    out: list[tuple[str, Any]] = []
    for group in page.groups:
        out.append((f"stage-{group.summary.stage.number}", group.bar))
        out.extend((row.activity.code, row) for row in group.rows)
    return out


def _row(page: gantt.GanttPage, code: str) -> Any:
    return dict(_rows(page))[code]


def _svg_row(html: str, code: str) -> str:
    """The chart row of one activity (the first table of the page is the chart)."""
    chart = html[html.index('id="gantt-chart"') : html.index('data-testid="cronograma-table"')]
    match = re.search(rf'<tr data-activity="{re.escape(code)}"[^>]*>(.*?)</tr>', chart, re.S)
    assert match, f"no chart row for {code}"
    return match[0]


def _attr(tag_html: str, css_class: str, name: str) -> float:
    tag = re.search(rf'<(?:rect|polygon|line)[^>]*class="{css_class}[^"]*"[^>]*>', tag_html)
    assert tag, f"no {css_class} in {tag_html[:200]}"
    return float(re.search(rf'\b{name}="([-0-9.]+)', tag[0])[1])


@pytest.mark.django_db
def test_it_orders_stage_rows_before_their_activities(cmg, demo_plan):
    page = gantt.gantt_page(cmg, demo_plan["plan"], today=TODAY)
    assert [key for key, _ in _rows(page)] == ["stage-1", "1.1", "1.2", "stage-2", "2.1", "stage-3", "3.1"]
    stage1 = page.groups[0].summary
    assert (stage1.start, stage1.end, stage1.progress) == (D(2020, 2, 1), D(2020, 6, 30), 25)  # mean of 50 and 0
    # The stage's summary bar spans its activities: from 1.1's start to 1.2's end.
    bar, a11, a12 = page.groups[0].bar, _row(page, "1.1").bar, _row(page, "1.2").bar
    assert bar.x == a11.x and bar.x + bar.width == pytest.approx(a12.x + a12.width)
    assert bar.progress_width == pytest.approx(bar.width / 4)


@pytest.mark.django_db
def test_the_bars_carry_dependencies_milestones_progress_and_actual_dates(cmg, demo_plan):
    page = gantt.gantt_page(cmg, demo_plan["plan"], today=TODAY)
    a11, a12, m21 = _row(page, "1.1"), _row(page, "1.2"), _row(page, "2.1")
    assert a12.depends_on == ["1.1"] and m21.depends_on == ["1.2"]
    # Month scale: 46 px a month from January 2020, days in proportion.
    assert page.chart.scale == "month" and [c.label for c in page.chart.columns][:3] == ["ene", "feb", "mar"]
    assert (a11.bar.x, a11.bar.width) == (46.0, 138.0)  # 1 February to 30 April: three months
    assert a11.bar.progress_width == 69.0  # one of its two products delivered: half the bar
    # Under way: the actual bar starts on the actual start (10 February) and runs up to today.
    assert a11.bar.actual_x == pytest.approx(46 + 9 / 29 * 46, abs=0.01)
    assert a11.bar.actual_x + a11.bar.actual_width == pytest.approx(page.chart.today_x + 46 / 30, abs=0.01)
    assert a11.status == "delayed" and a12.status == "delayed"  # 1.2 should have started on 01/05
    assert a12.bar.actual_x is None
    # A milestone is a diamond on its day, not a bar of its own.
    assert m21.bar.milestone_x == pytest.approx(6 * 46 + 15 / 31 * 46, abs=0.01)
    assert page.chart.today_x == pytest.approx(5 * 46 + 14 / 30 * 46, abs=0.01)


@pytest.mark.django_db
def test_retrasada_is_derived_from_the_dates(cmg, demo_plan):
    plan = demo_plan["plan"]

    def statuses(today: datetime.date) -> dict[str, str]:
        return {k: r.status for k, r in _rows(gantt.gantt_page(cmg, plan, today=today)) if not k.startswith("stage")}

    before, after = statuses(D(2020, 1, 15)), statuses(D(2020, 12, 1))
    assert before == {"1.1": "in_progress", "1.2": "not_started", "2.1": "not_started", "3.1": "not_started"}
    assert after == {"1.1": "delayed", "1.2": "delayed", "2.1": "delayed", "3.1": "delayed"}


@pytest.mark.django_db
def test_the_chart_is_drawn_on_the_server_without_any_script(client_as, cmg, demo_plan, settings):
    settings.LANGUAGE_CODE = "es-pe"
    response = client_as(cmg).get(reverse("plans:plan_gantt", args=[demo_plan["plan"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    chart = html[html.index('id="gantt-chart"') : html.index('data-testid="cronograma-table"')]
    assert "<script" not in chart and "<svg" in chart
    assert not re.search(r'="[0-9]+,[0-9]', chart.replace('points="', 'p="'))  # no decimal commas in SVG
    row = _svg_row(html, "1.1")
    assert 'data-status="delayed"' in row
    assert _attr(row, "bar planned", "x") == 46.0 and _attr(row, "bar planned", "width") == 138.0
    assert _attr(row, "bar progress", "width") == 69.0
    assert 'class="bar actual"' in row
    # Today (2026 and later) is past the 2020 plan: no today line; a plan of this year has one.
    assert 'class="today"' not in row
    current = make_plan(cmg, title="Plan del año en curso")["plan"]
    Plan.objects.filter(pk=current.pk).update(year=timezone.localdate().year)
    assert 'class="today"' in client_as(cmg).get(reverse("plans:plan_gantt", args=[current.pk])).content.decode()
    assert '<polygon class="milestone"' in _svg_row(html, "2.1")
    assert 'class="bar actual"' not in _svg_row(html, "1.2")
    # Stage rows carry the summary bar, and the month header names the months.
    assert re.search(r'<tr class="gchart-stage" data-stage="1">.*?class="stage-bar"', chart, re.S)
    assert ">ene</text>" in chart and ">2020</text>" in chart
    table = html[html.index('data-testid="cronograma-table"') :]
    for code in ("1.1", "1.2", "2.1", "3.1"):
        assert f'data-activity="{code}"' in table
    assert '<progress max="100" value="50"' in table  # 1.1 progress, readable without the chart


@pytest.mark.django_db
def test_a_plan_spanning_many_years_is_drawn_in_years(client_as, cmg, demo_plan):
    plan = demo_plan["plan"]
    services.add_activity(
        plan.stages.get(number=3),
        by=cmg,
        data={
            "code": "3.2",
            "title": "Mantenimiento de la certificación",
            "responsible_unit": OrgUnit.objects.get(code="UPPM-CMG"),
            "planned_start": D(2021, 1, 1),
            "planned_end": D(2028, 12, 31),
        },
    )
    url = reverse("plans:plan_gantt", args=[plan.pk])
    html = client_as(cmg).get(url).content.decode()
    assert 'data-scale="year"' in html  # nine years of months would not read
    assert [c.label for c in gantt.gantt_page(cmg, plan, today=TODAY).chart.columns] == [
        str(y) for y in range(2020, 2029)
    ]
    row = _svg_row(html, "3.2")
    assert _attr(row, "bar planned", "x") == 150.0 and _attr(row, "bar planned", "width") == 8 * 150.0
    # The month scale can be chosen for short plans, and the year scale asked for.
    short = make_plan(cmg, title="Plan corto")["plan"]
    short_url = reverse("plans:plan_gantt", args=[short.pk])
    assert 'data-scale="month"' in client_as(cmg).get(short_url).content.decode()
    assert 'data-scale="year"' in client_as(cmg).get(short_url, {"scale": "year"}).content.decode()


@pytest.mark.django_db
def test_a_ut_sees_only_the_activities_that_involve_it(client_as, ut_cusco, cmg, demo_plan):
    page = gantt.gantt_page(ut_cusco, demo_plan["plan"], today=TODAY)
    assert [key for key, _ in _rows(page)] == ["stage-3", "3.1"]
    html = client_as(ut_cusco).get(reverse("plans:plan_gantt", args=[demo_plan["plan"].pk])).content.decode()
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
    assert [key for key, _ in _rows(first)] == ["stage-1", "1.1", "1.2"]
    second = gantt.gantt_page(cmg, p["plan"], page_number=2, today=TODAY)
    # 2.1 depends on 1.2, which is on the other page: the dependency is still named.
    assert _row(second, "2.1").depends_on == ["1.2"]
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


@pytest.mark.django_db
def test_rows_written_in_python_escape_every_text_and_print_peruvian_dates(client_as, cmg, demo_plan):
    """The chart and table rows are written by plans.gantt.RowWriter, not a template: they must
    escape as a template would and keep the table's content (dates, products, dependencies)."""
    from plans.models import Activity

    a12 = demo_plan["a12"]
    Activity.objects.filter(pk=a12.pk).update(title='<script>alert("x")</script> & "más"')
    page = client_as(cmg).get(reverse("plans:plan_gantt", args=[demo_plan["plan"].pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;más&quot;" in page
    table = page[page.index('data-testid="cronograma-table"') :]
    row = table[table.index('data-activity="1.2"') : table.index("</tr>", table.index('data-activity="1.2"'))]
    assert "01/05/2020" in row and "30/06/2020" in row and ">1.1<" in row  # dates and the activity it depends on
    a11 = table[table.index('data-activity="1.1"') : table.index("</tr>", table.index('data-activity="1.1"'))]
    assert "1 de 2 productos entregados" in a11 and "10/02/2020" in a11
    assert f'href="{reverse("plans:activity_detail", args=[a12.pk])}"' in row


def test_the_row_writers_escaping_and_dates_are_djangos_own():
    """gantt.escape and gantt._day skip Django's lazy-text wrapper and strftime (issue 10): the
    same text, character for character."""
    import datetime as dt

    from django.utils.html import escape as django_escape

    from plans import gantt

    for text in ['<script>alert("x")</script>', "Tom & Jerry's", "ñandú «»", "", 42, "a\u2028b"]:
        assert gantt.escape(text) == django_escape(text)
    for day in (dt.date(2024, 3, 1), dt.date(1, 1, 1), dt.date(999, 12, 31), dt.date(9999, 12, 31)):
        assert gantt._day(day) == day.strftime("%d/%m/%Y")
    assert gantt._day(None) == "—"
