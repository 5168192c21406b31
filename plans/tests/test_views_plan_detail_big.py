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
