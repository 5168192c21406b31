"""The plan dashboard and the home panel: progress per stage, unit and UT (averages of the
visible activities), delayed activities, next deadlines, overdue acuerdos and budget execution;
each figure drills down to the list that shows its records."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from committee import services as committee_services
from plans import services
from plans.models import Activity
from plans.tests.page_support import (
    add_activity,
    count_queries,
    days,
    find,
    find_all,
    plan,
    plan_url,
    populate,
    session,
    text_of,
)

pytestmark = pytest.mark.django_db
HOME = reverse("core:dashboard")


def codes(response) -> list[str]:
    return [
        dict(r.attributes)["data-activity"]
        for r in find_all(response.content, "tr")
        if "data-activity" in dict(r.attributes)
    ]


def progress(el) -> str:
    return dict(find(el, "progress").attributes)["value"]


def set_progress(activity, value, by, **extra):
    services.update_activity(activity, data={"progress": value, **extra}, by=by)


@pytest.fixture
def board(cmg):
    p = plan(cmg, year=timezone.localdate().year)  # acuerdos of this year's sessions are its own
    a11 = add_activity(p, "1.1", by=cmg, sites=("SC",), start=days(-30), end=days(-2))  # delayed
    a12 = add_activity(p, "1.2", by=cmg, sites=("UT-CUS",), unit_code="UT-CUS", start=days(-10), end=days(12))
    a21 = add_activity(p, "2.1", by=cmg, stage=2, sites=("UT-PUN",), start=days(1), end=days(25))
    a22 = add_activity(p, "2.2", by=cmg, stage=2, sites=("SC",), start=days(1), end=days(200))
    set_progress(a11, 20, cmg, status=Activity.Status.IN_PROGRESS)
    set_progress(a12, 60, cmg, status=Activity.Status.IN_PROGRESS)
    set_progress(a21, 80, cmg, status=Activity.Status.IN_PROGRESS)
    services.update_activity(a22, data={"status": Activity.Status.CANCELLED}, by=cmg)
    services.save_budget_task(
        p, data={"title": "Auditoría", "programmed_amount": "52000.00", "executed_amount": "26000.00"}, by=cmg
    )
    return p


def agreement(by, responsible, due: datetime.date, number: str, held_on: datetime.datetime | None = None):
    held = session(by, number, when=held_on or timezone.now() - datetime.timedelta(days=40))
    return committee_services.record_agreement(
        held, title=f"Acuerdo {number}", responsible=responsible, due_date=due, by=by
    )


def test_progress_per_stage_averages_the_activities_leaving_out_cancelled_ones(client_as, cmg, board):
    html = client_as(cmg).get(plan_url(board, "plan_dashboard")).content
    table = find(html, "table", data_testid="per-stage")
    assert progress(find(table, "tr", data_stage="1")) == "40"
    assert progress(find(table, "tr", data_stage="2")) == "80"


def test_progress_per_unit_and_per_ut(client_as, cmg, board):
    html = client_as(cmg).get(plan_url(board, "plan_dashboard")).content
    assert progress(find(find(html, "table", data_testid="per-unit"), "tr", data_unit="UT-CUS")) == "60"
    sites = find(html, "table", data_testid="per-site")
    assert progress(find(sites, "tr", data_site="UT-PUN")) == "80"
    assert progress(find(sites, "tr", data_site="SC")) == "20"


def test_every_figure_drills_down_to_the_activities_it_counts(client_as, cmg, board):
    client = client_as(cmg)
    html = client.get(plan_url(board, "plan_dashboard")).content
    delayed = find(html, "a", data_figure="delayed", href=plan_url(board, "activity_list") + "?status=delayed")
    assert text_of(delayed) == "1"
    assert codes(client.get(dict(delayed.attributes)["href"])) == ["1.1"]
    deadlines = find(html, "a", data_figure="deadlines")
    assert text_of(deadlines) == "2"
    assert codes(client.get(dict(deadlines.attributes)["href"])) == ["1.2", "2.1"]
    stage_row = find(find(html, "table", data_testid="per-stage"), "tr", data_stage="1")
    assert codes(client.get(dict(find(stage_row, "a", data_figure="delayed").attributes)["href"])) == ["1.1"]
    unit_row = find(find(html, "table", data_testid="per-unit"), "tr", data_unit="UT-CUS")
    assert codes(client.get(dict(find_all(unit_row, "a")[0].attributes)["href"])) == ["1.2"]
    site_row = find(find(html, "table", data_testid="per-site"), "tr", data_site="UT-PUN")
    assert codes(client.get(dict(find_all(site_row, "a")[0].attributes)["href"])) == ["2.1"]
    assert [dict(li.attributes)["data-activity"] for li in find_all(find(html, "ul", data_testid="delayed"), "li")] == [
        "1.1"
    ]
    assert [
        dict(li.attributes)["data-activity"] for li in find_all(find(html, "ul", data_testid="deadlines"), "li")
    ] == [
        "1.2",
        "2.1",
    ]


def test_budget_execution_is_executed_over_the_assigned_amount(client_as, cmg, board):
    html = client_as(cmg).get(plan_url(board, "plan_dashboard")).content
    figure = find(html, "a", data_figure="budget")
    assert text_of(figure) == "S/ 26,000.00 / S/ 130,000.00"
    assert dict(figure.attributes)["href"] == plan_url(board) + "#budget"


def test_overdue_acuerdos_are_listed_within_the_users_scope(client_as, cmg, ut_cusco, ut_puno, board):
    central = agreement(cmg, cmg, days(-5), "90-2041")
    cusco = agreement(cmg, ut_cusco, days(-3), "91-2041")
    future = agreement(cmg, cmg, days(5), "92-2041")
    done = agreement(cmg, cmg, days(-4), "93-2041")
    done.status = ActionItem.Status.DONE
    done.save(update_fields=["status"])

    def listed(user):
        html = client_as(user).get(plan_url(board, "plan_dashboard")).content
        return {
            int(dict(li.attributes)["data-agreement"])
            for li in find_all(find(html, "ul", data_testid="agreements"), "li")
            if "data-agreement" in dict(li.attributes)
        }

    assert {central.pk, cusco.pk} <= listed(cmg)
    assert future.pk not in listed(cmg) and done.pk not in listed(cmg)
    assert cusco.pk in listed(ut_cusco) and central.pk not in listed(ut_cusco)
    assert not {central.pk, cusco.pk} & listed(ut_puno)
    html = client_as(cmg).get(plan_url(board, "plan_dashboard")).content
    href = dict(find(html, "a", data_figure="agreements").attributes)["href"]
    assert href.startswith(reverse("actions:item_list")) and "kind=acuerdo" in href and "overdue=on" in href


def test_a_ut_sees_figures_of_its_own_activities_only(client_as, ut_cusco, board):
    html = client_as(ut_cusco).get(plan_url(board, "plan_dashboard")).content
    stages = find(html, "table", data_testid="per-stage")
    assert [dict(r.attributes)["data-stage"] for r in find_all(stages, "tr") if "data-stage" in dict(r.attributes)] == [
        "1"
    ]
    assert progress(find(stages, "tr", data_stage="1")) == "60"
    assert (
        text_of(find(html, "a", data_figure="delayed", href=plan_url(board, "activity_list") + "?status=delayed"))
        == "0"
    )


def test_a_person_without_roles_gets_404(client_as, no_role_user, board):
    assert client_as(no_role_user).get(plan_url(board, "plan_dashboard")).status_code == 404


def test_the_dashboard_query_count_is_flat(client_as, cmg, board):
    client = client_as(cmg)
    small = count_queries(client, plan_url(board, "plan_dashboard"))
    populate(board, cmg, activities=40, products=10, prefix="x")
    agreement(cmg, cmg, days(-5), "94-2041")
    assert count_queries(client, plan_url(board, "plan_dashboard")) == small


def test_a_plans_dashboard_lists_only_the_acuerdos_of_its_year(client_as, cmg, board):
    """The 2020 plan's dashboard is not where a 2026 acuerdo is followed (and vice versa)."""
    own = agreement(cmg, cmg, days(-5), "95-2041")
    other = agreement(
        cmg,
        cmg,
        datetime.date(board.year - 3, 6, 30),
        "96-2041",
        held_on=timezone.make_aware(datetime.datetime(board.year - 3, 3, 2, 10)),
    )
    html = client_as(cmg).get(plan_url(board, "plan_dashboard")).content
    listed = {
        int(dict(li.attributes)["data-agreement"])
        for li in find_all(find(html, "ul", data_testid="agreements"), "li")
        if "data-agreement" in dict(li.attributes)
    }
    assert own.pk in listed and other.pk not in listed
    assert text_of(find(html, "a", data_figure="agreements")) == "1"


# --- the home panel ----------------------------------------------------------------------------


def test_the_home_panel_shows_the_latest_plans_with_drill_down_links(client_as, cmg, board):
    html = client_as(cmg).get(HOME).content
    panel = find(html, "ul", data_testid="plans-panel")
    item = find(panel, "li", data_plan=str(board.pk))  # the newest year comes first
    assert (
        dict(find(item, "a", data_figure="delayed").attributes)["href"]
        == plan_url(board, "activity_list") + "?status=delayed"
    )
    assert (
        dict(find(item, "a", data_figure="deadlines").attributes)["href"]
        == plan_url(board, "activity_list") + "?due_within=30"
    )
    assert progress(item) == "53"  # (20 + 60 + 80) / 3, the cancelled one left out
    assert find_all(html, "a", data_figure="agreements-overdue")


def test_the_home_panel_respects_the_ut_scope(client_as, ut_cusco, board):
    item = find(
        find(client_as(ut_cusco).get(HOME).content, "ul", data_testid="plans-panel"), "li", data_plan=str(board.pk)
    )
    assert progress(item) == "60"
    assert text_of(find(item, "a", data_figure="delayed")).startswith("0")


def test_people_without_roles_get_no_plan_panel(client_as, no_role_user, board):
    assert not find_all(client_as(no_role_user).get(HOME).content, "ul", data_testid="plans-panel")


def test_the_home_panel_stays_cheap_as_plans_grow(client_as, cmg, board):
    client = client_as(cmg)
    small = count_queries(client, HOME)
    populate(board, cmg, activities=40, products=10, prefix="x")
    for year in (2042, 2043):
        populate(plan(cmg, year=year), cmg, activities=10, products=0)
    assert count_queries(client, HOME) == small


def test_the_plan_in_force_stays_on_the_home_when_later_drafts_exist(client_as, cmg, direccion, board):
    """The 2020 plan vanished from the panel once a 2022 draft existed: the approved plan of each
    kind comes first, whatever the number of later drafts."""
    from plans.tests.page_support import approved

    in_force = approved(cmg, direccion, year=2030, title="Plan vigente")
    drafts = [plan(cmg, year=year, title=f"Borrador {year}") for year in (2045, 2046, 2047, 2048)]
    panel = find(client_as(cmg).get(HOME).content, "ul", data_testid="plans-panel")
    items = [dict(li.attributes) for li in find_all(panel, "li") if "data-plan" in dict(li.attributes)]
    assert items[0]["data-plan"] == str(in_force.pk) and items[0]["data-in-force"] == "yes"
    assert {i["data-plan"] for i in items[1:]} <= {str(p.pk) for p in [*drafts, board]}
    assert all(i["data-in-force"] == "no" for i in items[1:])


def test_a_ut_heads_home_opens_with_their_ut_and_counts_only_its_records(client_as, ut_cusco, cmg, board):
    html = client_as(ut_cusco).get(HOME).content
    own = find(html, "ul", data_testid="own-site")
    assert [dict(li.attributes)["data-site"] for li in find_all(own, "li")] == ["UT-CUS"]
    page = html.decode()
    assert page.index('data-panel="own_site"') < page.index('data-panel="plans"')
    assert 'data-panel="sites"' not in page  # the counts of every site are the centre's business
    central = client_as(cmg).get(HOME).content.decode()
    assert 'data-testid="own-site"' not in central and 'data-panel="sites"' in central


# --- charts ------------------------------------------------------------------------------------


def test_the_dashboard_draws_progress_budget_and_sites_as_charts_with_their_figures(client_as, cmg, board):
    html = client_as(cmg).get(plan_url(board, "plan_dashboard")).content
    sites = find(html, "figure", data_chart="progress-per-site")
    bars = {dict(r.attributes)["data-value"] for r in find_all(sites, "rect") if "data-value" in dict(r.attributes)}
    assert {"20.0", "60.0", "80.0"} <= bars  # SC 20 %, UT-CUS 60 %, UT-PUN 80 %
    table = find(sites, "table", data_testid="progress-per-site-table")
    assert "UT-PUN" in text_of(table) and "80 %" in text_of(table)
    budget = find(html, "figure", data_chart="budget-per-task")
    values = {
        (dict(r.attributes)["data-series"], dict(r.attributes)["data-value"])
        for r in find_all(budget, "rect")
        if "data-series" in dict(r.attributes)
    }
    assert values == {("programmed", "52000.0"), ("executed", "26000.0")}
    assert "S/ 26,000.00" in text_of(find(budget, "table"))
    progress_chart = find(html, "figure", data_chart="progress-over-time")
    assert len(find_all(progress_chart, "polyline")) == 2 and find(progress_chart, "table")


def test_planned_and_actual_progress_over_time_follow_the_activities(cmg):
    """Planned reaches 100 % at the last planned end; actual ends at today's average progress and
    is not drawn after today."""
    import datetime as dt

    from plans.selectors import progress_over_time

    p = plan(cmg, year=2040)
    a = add_activity(p, "1.1", by=cmg, start=dt.date(2040, 1, 1), end=dt.date(2040, 2, 29))
    b = add_activity(p, "1.2", by=cmg, start=dt.date(2040, 3, 1), end=dt.date(2040, 4, 30))
    Activity.objects.filter(pk=a.pk).update(
        progress=100,
        status=Activity.Status.COMPLETED,
        actual_start=dt.date(2040, 1, 2),
        actual_end=dt.date(2040, 2, 20),
    )
    Activity.objects.filter(pk=b.pk).update(
        progress=50, status=Activity.Status.IN_PROGRESS, actual_start=dt.date(2040, 3, 1)
    )
    chart = progress_over_time(cmg, p, today=dt.date(2040, 3, 31))["chart"]
    planned, actual = chart.lines
    assert chart.labels == ["ene-40", "feb-40", "mar-40", "abr-40"]
    assert [pt.value for pt in planned.points] == [25.8, 50.0, 75.4, 100.0]
    assert [pt.value for pt in actual.points] == [30.0, 50.0, 75.0]  # a: 02/01→20/02; b at 50 % today
    assert chart.table[-1] == ("abr-40", ["100 %", "—"])
