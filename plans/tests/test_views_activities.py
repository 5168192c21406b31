"""Activities: the filtered list (derived status, unit, UT, stage, next deadlines; HTMX rows), the
activity page, adding an activity to a stage and editing it — with the UT scope, the 403s and
bad input answered 400 with nothing stored."""

from __future__ import annotations

import pytest

from organization.models import Site
from plans.models import Activity, Product
from plans.tests.page_support import (
    activity_url,
    add_activity,
    add_product,
    count_queries,
    days,
    events,
    find,
    find_all,
    fresh,
    has_field_error,
    plan,
    plan_url,
    populate,
    site,
    unit,
)

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    return [
        dict(r.attributes)["data-activity"]
        for r in find_all(response.content, "tr")
        if "data-activity" in dict(r.attributes)
    ]


@pytest.fixture
def acts(cmg):
    p = plan(cmg)
    return {
        "plan": p,
        "late": add_activity(p, "1.1", by=cmg, start=days(-60), end=days(-1), sites=("SC",)),
        "unstarted": add_activity(p, "1.2", by=cmg, start=days(-3), end=days(50), sites=("UT-CUS",)),
        "soon": add_activity(p, "2.1", by=cmg, stage=2, start=days(5), end=days(20), unit_code="UT-CUS"),
        "later": add_activity(p, "3.1", by=cmg, stage=3, start=days(5), end=days(90), sites=("UT-PUN",)),
    }


def list_url(acts, **params):
    from plans.selectors import activity_list_url

    return activity_list_url(acts["plan"], **params)


def test_the_list_shows_every_activity_to_central_roles(client_as, lector, acts):
    assert codes(client_as(lector).get(list_url(acts))) == ["1.1", "1.2", "2.1", "3.1"]


def test_a_ut_sees_only_the_activities_held_there_or_owned_by_its_units(client_as, ut_cusco, ut_puno, acts):
    assert codes(client_as(ut_cusco).get(list_url(acts))) == ["1.2", "2.1"]
    assert codes(client_as(ut_puno).get(list_url(acts))) == ["3.1"]


def test_a_person_without_roles_gets_404(client_as, no_role_user, acts):
    assert client_as(no_role_user).get(list_url(acts)).status_code == 404
    assert client_as(no_role_user).get(activity_url(acts["late"])).status_code == 404


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "delayed"}, ["1.1", "1.2"]),  # past its end; not started past its start
        ({"status": "not_started"}, ["2.1", "3.1"]),
        ({"unit": "UT-CUS"}, ["2.1"]),
        ({"site": "UT-PUN"}, ["3.1"]),
        ({"stage": "2"}, ["2.1"]),
        ({"due_within": "30"}, ["2.1"]),
        ({"q": "3.1"}, ["3.1"]),
        ({"status": "delayed", "site": "UT-CUS"}, ["1.2"]),
    ],
)
def test_each_filter_narrows_the_list(client_as, cmg, acts, params, expected):
    assert codes(client_as(cmg).get(list_url(acts, **params))) == expected


def test_a_completed_activity_is_never_delayed(client_as, cmg, acts):
    from plans import services

    services.update_activity(acts["late"], data={"status": Activity.Status.COMPLETED, "progress": 100}, by=cmg)
    assert codes(client_as(cmg).get(list_url(acts, status="delayed"))) == ["1.2"]
    assert codes(client_as(cmg).get(list_url(acts, status="completed"))) == ["1.1"]


@pytest.mark.parametrize("params", [{"unit": "NO-EXISTE"}, {"status": "late"}, {"stage": "9"}, {"due_within": "7"}])
def test_an_invalid_filter_answers_400(client_as, cmg, acts, params):
    response = client_as(cmg).get(list_url(acts, **params))
    assert response.status_code == 400 and codes(response) == []


def test_htmx_filtering_swaps_only_the_rows(client_as, cmg, acts):
    response = client_as(cmg).get(list_url(acts, status="delayed"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<h1" not in html and "<html" not in html
    assert codes(response) == ["1.1", "1.2"]
    assert "HX-Request" in response["Vary"]


def test_the_rows_show_the_derived_status_and_the_sites(client_as, cmg, acts):
    response = client_as(cmg).get(list_url(acts))
    row = find(response.content, "tr", data_activity="1.2")
    assert find(row, "span", data_status="delayed") and find(row, "span", data_site="UT-CUS")


def test_the_list_query_count_is_pinned_and_flat(client_as, cmg, ut_cusco, django_assert_num_queries):
    p = plan(cmg)
    populate(p, cmg, activities=20, products=5)
    url = plan_url(p, "activity_list")
    for user in (cmg, ut_cusco):
        client = client_as(user)
        small = count_queries(client, url + "?status=not_started")
        populate(p, cmg, activities=25, products=0, prefix=f"{user.username}-")
        with django_assert_num_queries(small):
            client.get(url + "?status=not_started")
        assert small <= 10


# --- the activity page ---------------------------------------------------------------------


def test_the_activity_page_shows_its_products_and_sites(client_as, cmg, ut_cusco, ut_puno, acts):
    product = add_product(acts["plan"], "Informe de seguimiento", [acts["unstarted"]], by=cmg)
    response = client_as(ut_cusco).get(activity_url(acts["unstarted"]))
    assert response.status_code == 200
    assert find(response.content, "li", data_product=str(product.pk))
    assert find(response.content, "span", data_site="UT-CUS")
    assert client_as(ut_puno).get(activity_url(acts["unstarted"])).status_code == 404
    assert client_as(ut_cusco).get(activity_url(acts["later"])).status_code == 404


# --- add an activity to a stage ------------------------------------------------------------


def new_activity(**overrides):
    data = {
        "code": "2.9",
        "title": "Seguimiento a los acuerdos del Comité del SIG",
        "responsible_unit": str(unit("UPPM-CMG").pk),
        "sites": [str(site("SC").pk), str(site("UT-CUS").pk)],
        "planned_start": "2041-03-01",
        "planned_end": "2041-06-30",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_coordinator_adds_an_activity_to_a_stage(client_as, cmg, acts):
    client = client_as(cmg)
    before = events()
    response = client.post(plan_url(acts["plan"], "activity_create", 2), new_activity())
    assert response.status_code == 302
    created = Activity.objects.get(plan=acts["plan"], code="2.9")
    assert response["Location"] == activity_url(created)
    assert created.stage.number == 2
    assert sorted(s.code for s in created.sites.all()) == ["SC", "UT-CUS"]
    assert events() == before + 1


@pytest.mark.parametrize(
    "field, overrides",
    [
        ("planned_end", {"planned_end": "2041-02-01"}),  # before the start
        ("planned_start", {"planned_start": "31-31-2041"}),
        ("responsible_unit", {"responsible_unit": "999999"}),
        ("sites", {"sites": ["999999"]}),
        ("responsible_person", {"responsible_person": "999999"}),
        ("code", {"code": "1.1"}),  # already used in the plan
        ("code", {"code": ""}),
    ],
)
def test_bad_activity_input_is_refused_with_the_field_error(client_as, cmg, acts, field, overrides):
    client = client_as(cmg)
    before = events()
    count = Activity.objects.count()
    response = client.post(plan_url(acts["plan"], "activity_create", 1), new_activity(**overrides))
    assert response.status_code == 400
    assert has_field_error(response, field)
    assert Activity.objects.count() == count and events() == before


def test_an_activity_and_its_products_are_entered_together_and_the_next_code_is_suggested(client_as, cmg, acts):
    """Tabla 01 pairs each activity with its products: one form holds both; the code field offers
    the stage's next number; the 22 sites are checkboxes with shortcuts."""
    client = client_as(cmg)
    plan = acts["plan"]
    page = client.get(plan_url(plan, "activity_create", 2)).content
    stage_codes = [c for c in plan.activities.filter(stage__number=2).values_list("code", flat=True)]
    highest = max([int(c.split(".")[1]) for c in stage_codes if c.split(".")[1].isdigit()] or [0])
    assert dict(find(page, "input", name="code").attributes)["value"] == f"2.{highest + 1}"
    boxes = find_all(page, "input", type="checkbox", name="sites")
    assert len(boxes) == Site.objects.filter(is_active=True).count()
    assert {dict(b.attributes)["data-site-kind"] for b in boxes} == {"central", "territorial"}
    assert find(page, "button", data_pick="territorial") and find(page, "button", data_pick="central")
    before = Product.objects.count()
    response = client.post(
        plan_url(plan, "activity_create", 2),
        new_activity(products="Informe de seguimiento\n\n  Matriz   actualizada \nInforme de seguimiento"),
    )
    assert response.status_code == 302
    created = Activity.objects.get(plan=plan, code="2.9")
    assert [p.title for p in created.products.order_by("order", "pk")] == [
        "Informe de seguimiento",
        "Matriz actualizada",
    ]
    assert Product.objects.count() == before + 2


def test_a_product_too_long_refuses_the_whole_activity(client_as, cmg, acts):
    count, products = Activity.objects.count(), Product.objects.count()
    response = client_as(cmg).post(plan_url(acts["plan"], "activity_create", 2), new_activity(products="x" * 1001))
    assert response.status_code == 400 and has_field_error(response, "products")
    assert (Activity.objects.count(), Product.objects.count()) == (count, products)


def test_an_unknown_stage_is_404(client_as, cmg, acts):
    assert client_as(cmg).get(plan_url(acts["plan"], "activity_create", 9)).status_code == 404


@pytest.mark.parametrize("who", ["lector", "ut_cusco", "tecnico", "direccion"])
def test_others_cannot_add_or_edit_activities(client_as, request, acts, who):
    client = client_as(request.getfixturevalue(who))
    assert client.post(plan_url(acts["plan"], "activity_create", 1), new_activity()).status_code == 403
    response = client.post(
        activity_url(acts["unstarted"], "activity_edit"), edit_data(acts["unstarted"], progress="40")
    )
    assert response.status_code == 403
    assert not Activity.objects.filter(code="2.9").exists() and fresh(acts["unstarted"]).progress == 0


# --- edit ----------------------------------------------------------------------------------


def edit_data(activity, **overrides):
    data = {
        "code": activity.code,
        "title": activity.title,
        "responsible_unit": str(activity.responsible_unit_id),
        "sites": [str(s.pk) for s in activity.sites.all()],
        "planned_start": activity.planned_start.isoformat(),
        "planned_end": activity.planned_end.isoformat(),
        "status": activity.status,
        "progress": str(activity.progress),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_coordinator_records_progress_dates_and_sites(client_as, cmg, acts):
    a = acts["soon"]
    client = client_as(cmg)
    before = events()
    data = edit_data(
        a, progress="40", status="in_progress", actual_start=days(1).isoformat(), sites=[str(site("UT-CUS").pk)]
    )
    response = client.post(activity_url(a, "activity_edit"), data)
    assert response.status_code == 302
    a = fresh(a)
    assert (a.progress, a.status, a.actual_start) == (40, "in_progress", days(1))
    assert [s.code for s in a.sites.all()] == ["UT-CUS"]
    assert events() == before + 1


@pytest.mark.parametrize(
    "field, overrides",
    [
        ("progress", {"progress": "101"}),
        ("progress", {"progress": "-1"}),
        ("progress", {"progress": "50.5"}),
        ("progress", {"progress": "mucho"}),
        ("planned_end", {"planned_end": "2000-01-01"}),
        ("actual_end", {"actual_start": "2041-05-01", "actual_end": "2041-04-01"}),
        ("status", {"status": "delayed"}),  # derived, never typed
        ("code", {"code": "1.1"}),
    ],
)
def test_bad_edits_are_refused_with_the_field_error_and_nothing_changes(client_as, cmg, acts, field, overrides):
    a = acts["soon"]
    client = client_as(cmg)
    before = events()
    response = client.post(activity_url(a, "activity_edit"), edit_data(a, **overrides))
    assert response.status_code == 400
    assert has_field_error(response, field)
    assert fresh(a).progress == 0 and fresh(a).code == "2.1" and events() == before


def test_progress_is_not_typed_when_the_activity_has_products(client_as, cmg, acts):
    a = acts["soon"]
    add_product(acts["plan"], "Informe", [a], by=cmg)
    client = client_as(cmg)
    page = client.get(activity_url(a, "activity_edit"))
    assert not find_all(page.content, "input", name="progress")
    assert find(page.content, "p", data_testid="progress-from-products")
    response = client.post(activity_url(a, "activity_edit"), edit_data(a, progress="90"))
    assert response.status_code == 302
    assert fresh(a).progress == 0
