import pytest

from plans import selectors
from plans.models import Activity, Plan, Stage


@pytest.mark.django_db
def test_a_big_stage_shows_its_first_rows_and_links_to_the_full_list(client_as, cmg, monkeypatch):
    monkeypatch.setattr(selectors, "STAGE_ROWS", 3)
    plan = Plan.objects.get(year=2020, kind="sig")
    stage = Stage.objects.get(plan=plan, number=1)
    assert Activity.objects.filter(stage=stage).count() > 3
    body = client_as(cmg).get(plan.get_absolute_url()).content.decode()
    assert body.count('data-activity="1.') == 3
    assert 'data-testid="stage-more-1"' in body
    assert f"/planes/{plan.pk}/actividades/?stage=1" in body


@pytest.mark.django_db
def test_a_stage_within_the_limit_has_no_more_link(client_as, cmg):
    plan = Plan.objects.get(year=2020, kind="sig")
    body = client_as(cmg).get(plan.get_absolute_url()).content.decode()
    assert body.count('data-activity="3.') == Activity.objects.filter(plan=plan, stage__number=3).count()
    assert "stage-more-" not in body


@pytest.mark.django_db
def test_a_big_plan_opens_with_its_stages_figures_and_loads_each_stages_rows_on_demand(
    client_as, cmg, ut_cusco, monkeypatch, django_assert_max_num_queries
):
    """A 2,000-activity plan must open in a blink: past INLINE_ACTIVITIES the page carries each
    stage's count and loads its rows (with products and evidence) when the stage comes into view."""
    from django.urls import reverse

    monkeypatch.setattr(selectors, "INLINE_ACTIVITIES", 5)
    plan = Plan.objects.get(year=2020, kind="sig")
    client = client_as(cmg)
    body = client.get(plan.get_absolute_url()).content.decode()
    assert 'data-activity="' not in body  # no rows in the page itself
    stage3 = Activity.objects.filter(plan=plan, stage__number=3).count()
    url = reverse("plans:plan_stage", args=[plan.pk, 3])
    assert f'hx-get="{url}"' in body and 'data-lazy-stage="3"' in body
    rows = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert rows.count('data-activity="3.') == stage3
    assert "<html" not in rows  # a fragment
    # The same rows as the page showed inline before (products included).
    monkeypatch.setattr(selectors, "INLINE_ACTIVITIES", 10_000)
    inline = client.get(plan.get_absolute_url()).content.decode()
    start = inline.index('data-stage-rows="3"')
    assert inline[start : inline.index("</table>", start)] in rows
    # A UT sees only the rows it may see, and a stage that does not exist is 404.
    cusco = client_as(ut_cusco).get(url).content.decode()
    visible = selectors.plan_activities(ut_cusco, plan).filter(stage__number=3).count()
    assert visible < stage3 and cusco.count('data-activity="3.') == visible
    assert client.get(reverse("plans:plan_stage", args=[plan.pk, 99])).status_code == 404


@pytest.mark.django_db
def test_the_page_of_a_big_plan_costs_the_same_queries_whatever_its_size(client_as, cmg, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plans.tests.page_support import populate

    monkeypatch.setattr(selectors, "INLINE_ACTIVITIES", 5)
    plan = Plan.objects.get(year=2020, kind="sig")
    client = client_as(cmg)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(plan.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)  # so that populate may add
    plan.refresh_from_db()
    small = queries()
    populate(plan, cmg, activities=60, products=20, prefix="z")
    assert queries() == small
