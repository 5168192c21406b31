"""The plan page: what it shows (objective, legal basis, responsibilities, stages with their
activities and products, budget, change requests, versions, Control de Cambios), who sees which
activities, the workflow buttons (submit, approve — Director only —, close) and a query count
that stays flat as the plan grows."""

from __future__ import annotations

import datetime

import pytest

from organization.models import LegalNorm
from plans import services
from plans.models import Activity, Plan, PlanChangeEntry, PlanVersion
from plans.tests.api_support import deliver_whole
from plans.tests.page_support import (
    add_activity,
    add_product,
    approved,
    count_queries,
    days,
    events,
    find,
    find_all,
    fresh,
    plan,
    plan_url,
    populate,
    session,
    text_of,
)

pytestmark = pytest.mark.django_db


def activity_codes(response) -> list[str]:
    return [
        dict(r.attributes)["data-activity"]
        for r in find_all(response.content, "tr")
        if "data-activity" in dict(r.attributes)
    ]


@pytest.fixture
def seeded(cmg):
    p = plan(cmg)
    services.update_plan(p, data={"legal_basis": list(LegalNorm.objects.order_by("pk")[:2])}, by=cmg)
    central = add_activity(p, "1.1", by=cmg, sites=("SC",))
    cusco = add_activity(p, "2.1", by=cmg, stage=2, sites=("UT-CUS",))
    owned = add_activity(p, "3.1", by=cmg, stage=3, unit_code="UT-CUS")
    return {"plan": p, "central": central, "cusco": cusco, "owned": owned}


def test_it_shows_the_plan_with_its_legal_basis_stages_activities_and_sites(client_as, cmg, seeded):
    response = client_as(cmg).get(plan_url(seeded["plan"]))
    assert response.status_code == 200
    assert activity_codes(response) == ["1.1", "2.1", "3.1"]
    legal = find(response.content, "ul", data_testid="legal-basis")
    norms = LegalNorm.objects.order_by("pk")[:2]
    assert {dict(a.attributes)["href"] for a in find_all(legal, "a")} == {n.get_absolute_url() for n in norms}
    row = find(response.content, "tr", data_activity="2.1")
    assert find(row, "span", data_site="UT-CUS") is not None
    assert [
        dict(s.attributes)["data-stage"]
        for s in find_all(response.content, "section")
        if "data-stage" in dict(s.attributes)
    ] == ["1", "2", "3"]
    assert find(response.content, "dd", data_testid="plan-version").children == ["01"]


def test_a_ut_sees_the_plan_but_only_the_activities_that_involve_it(client_as, ut_cusco, ut_puno, seeded):
    assert activity_codes(client_as(ut_cusco).get(plan_url(seeded["plan"]))) == ["2.1", "3.1"]
    assert activity_codes(client_as(ut_puno).get(plan_url(seeded["plan"]))) == []


def test_a_person_without_roles_gets_404(client_as, no_role_user, seeded):
    assert client_as(no_role_user).get(plan_url(seeded["plan"])).status_code == 404
    assert client_as(no_role_user).post(plan_url(seeded["plan"], "plan_submit")).status_code == 404


def test_an_unknown_plan_is_404(client_as, cmg):
    assert client_as(cmg).get("/planes/999999/").status_code == 404


def test_delayed_is_derived_from_the_dates_and_shown_on_the_badge(client_as, cmg, seeded):
    late = add_activity(seeded["plan"], "1.2", by=cmg, start=days(-40), end=days(-5))
    done = add_activity(seeded["plan"], "1.3", by=cmg, start=days(-40), end=days(-5))
    services.update_activity(done, data={"status": Activity.Status.COMPLETED, "progress": 100}, by=cmg)
    response = client_as(cmg).get(plan_url(seeded["plan"]))
    assert find(find(response.content, "tr", data_activity="1.2"), "span", data_status="delayed")
    assert find(find(response.content, "tr", data_activity="1.3"), "span", data_status="completed")
    assert find(find(response.content, "tr", data_activity="1.1"), "span", data_status="not_started")
    assert fresh(late).status == Activity.Status.NOT_STARTED  # never stored


def test_products_show_their_delivered_badge_and_the_progress_bar_follows(client_as, cmg, seeded):
    a = seeded["central"]
    first = add_product(seeded["plan"], "Acta de reunión", [a], by=cmg)
    add_product(seeded["plan"], "Informe de resultados", [a], by=cmg)
    deliver_whole(first, by=cmg, day=days(0))
    row = find(client_as(cmg).get(plan_url(seeded["plan"])).content, "tr", data_activity="1.1")
    assert find(row, "li", data_product=str(first.pk))
    assert len(find_all(row, "span", data_delivered="yes")) == 1
    assert len(find_all(row, "span", data_delivered="no")) == 1
    assert dict(find(row, "progress").attributes)["value"] == "50"


def test_the_budget_section_shows_amounts_in_soles_and_execution(client_as, cmg, seeded):
    p = seeded["plan"]
    services.save_budget_task(
        p, data={"title": "Auditoría", "programmed_amount": "40000.00", "executed_amount": "10000.00"}, by=cmg
    )
    services.save_budget_task(
        p, data={"title": "Videos", "programmed_amount": "25000.50", "executed_amount": "0"}, by=cmg
    )
    html = client_as(cmg).get(plan_url(p)).content
    assert text_of(find(html, "dd", data_testid="budget-amount")) == "S/ 130,000.00"
    assert text_of(find(html, "dd", data_testid="budget-programmed")).startswith("S/ 65,000.50")
    pcts = [dict(td.attributes)["data-pct"] for td in find_all(html, "td") if "data-pct" in dict(td.attributes)]
    assert pcts == ["25", "0"]
    assert text_of(find(html, "td", data_testid="budget-pct")) == "8 %"  # 10,000 of 130,000


# --- workflow ------------------------------------------------------------------------------


def test_the_coordinator_submits_the_plan_to_the_committee(client_as, cmg, seeded):
    client = client_as(cmg)
    before = events()
    response = client.post(plan_url(seeded["plan"], "plan_submit"))
    assert response.status_code == 302
    assert fresh(seeded["plan"]).status == Plan.Status.COMMITTEE_REVIEW
    assert events() == before + 1


@pytest.mark.parametrize("who", ["lector", "ut_cusco", "tecnico", "direccion"])
def test_others_cannot_submit_the_plan(client_as, request, seeded, who):
    response = client_as(request.getfixturevalue(who)).post(plan_url(seeded["plan"], "plan_submit"))
    assert response.status_code == 403
    assert fresh(seeded["plan"]).status == Plan.Status.DRAFT


def test_only_the_director_approves_citing_the_resolution(client_as, cmg, uppm, direccion, seeded):
    p = seeded["plan"]
    services.submit_plan_to_committee(p, by=cmg)
    data = {"approve-resolution": "RDE N.° 045-2041-MIDIS/PNADP-DE", "approve-approved_on": "2041-02-10"}
    for user in (cmg, uppm):
        assert client_as(user).post(plan_url(p, "plan_approve"), data).status_code == 403
    assert fresh(p).status == Plan.Status.COMMITTEE_REVIEW
    response = client_as(direccion).post(plan_url(p, "plan_approve"), data)
    assert response.status_code == 302
    p = fresh(p)
    assert (p.status, p.approving_resolution, p.approved_on) == (
        Plan.Status.APPROVED,
        "RDE N.° 045-2041-MIDIS/PNADP-DE",
        datetime.date(2041, 2, 10),
    )
    assert PlanVersion.objects.filter(plan=p, number=1).exists()
    html = client_as(cmg).get(plan_url(p)).content
    version_row = find(find(html, "table", data_testid="versions"), "tr", data_version="01")
    assert dict(find(version_row, "a").attributes)["href"] == plan_url(p, "plan_version", 1)
    assert find_all(find(html, "table", data_testid="change-control"), "tr", data_version="01")


def test_approval_without_resolution_or_date_is_refused_with_the_field_error(client_as, cmg, direccion, seeded):
    p = seeded["plan"]
    services.submit_plan_to_committee(p, by=cmg)
    client = client_as(direccion)
    before = events()
    response = client.post(plan_url(p, "plan_approve"), {"approve-resolution": "", "approve-approved_on": "10/13/2041"})
    assert response.status_code == 400
    form = response.context["approve_form"]
    assert set(form.errors) == {"resolution", "approved_on"}
    assert find_all(response.content, "div", id="id_approve-resolution_error")
    assert fresh(p).status == Plan.Status.COMMITTEE_REVIEW and events() == before


def test_a_draft_cannot_be_approved_before_the_committee_reviews_it(client_as, direccion, seeded):
    client = client_as(direccion)
    before = events()
    data = {"approve-resolution": "RDE 1", "approve-approved_on": "2041-02-10"}
    response = client.post(plan_url(seeded["plan"], "plan_approve"), data)
    assert response.status_code == 400
    assert find(response.content, "div", data_testid="action-error")
    assert fresh(seeded["plan"]).status == Plan.Status.DRAFT and events() == before


def test_the_coordinator_closes_an_approved_plan_and_then_it_no_longer_changes(client_as, cmg, direccion):
    p = approved(cmg, direccion)
    assert client_as(cmg).post(plan_url(p, "plan_close")).status_code == 302
    assert fresh(p).status == Plan.Status.CLOSED
    html = client_as(cmg).get(plan_url(p)).content
    assert not find_all(html, "a", data_testid="add-product")
    response = client_as(cmg).post(plan_url(p, "activity_create", 1), {"code": "9.9"})
    assert response.status_code == 400 and not Activity.objects.filter(plan=p).exists()


def test_readers_get_403_on_every_workflow_post(client_as, lector, seeded):
    for name in ("plan_submit", "plan_approve", "plan_close"):
        assert client_as(lector).post(plan_url(seeded["plan"], name)).status_code == 403


def test_the_change_control_table_lists_the_rows_of_each_version(client_as, cmg, direccion):
    p = approved(cmg, direccion)
    PlanChangeEntry.objects.create(
        plan=p,
        version=2,
        date=datetime.date(2041, 3, 12),
        justification="Actualización",
        texts_modified="Informe 043-2041",
        responsible="UPPM-CMG",
    )
    table = find(client_as(cmg).get(plan_url(p)).content, "table", data_testid="change-control")
    assert [
        dict(r.attributes)["data-version"] for r in find_all(table, "tr") if "data-version" in dict(r.attributes)
    ] == ["01", "02"]


# --- edit ----------------------------------------------------------------------------------


def test_the_coordinator_edits_a_draft_plan(client_as, cmg, seeded):
    p = seeded["plan"]
    norm = LegalNorm.objects.order_by("pk").last()
    data = {
        "year": 2041,
        "kind": "sig",
        "title": "Plan corregido",
        "objective": "Objetivo",
        "owner_unit": p.owner_unit_id,
        "budget_amount": "150000.00",
        "legal_basis": [norm.pk],
    }
    client = client_as(cmg)
    before = events()
    assert client.post(plan_url(p, "plan_edit"), data).status_code == 302
    p = fresh(p)
    assert (p.title, str(p.budget_amount), list(p.legal_basis.all())) == ("Plan corregido", "150000.00", [norm])
    assert events() == before + 1


def test_an_approved_plan_is_not_edited_directly(client_as, cmg, direccion):
    p = approved(cmg, direccion)
    data = {
        "year": 2041,
        "kind": "sig",
        "title": "Otro",
        "objective": "x",
        "owner_unit": p.owner_unit_id,
        "budget_amount": "1",
    }
    client = client_as(cmg)
    before = events()
    response = client.post(plan_url(p, "plan_edit"), data)
    assert response.status_code == 400 and fresh(p).title != "Otro" and events() == before


# --- queries -------------------------------------------------------------------------------


def test_the_page_query_count_stays_flat_as_the_plan_grows(client_as, cmg, ut_cusco):
    p = plan(cmg)
    populate(p, cmg, activities=30, products=40)
    services.save_budget_task(p, data={"title": "Tarea", "programmed_amount": "100.00"}, by=cmg)
    acta = session(cmg)
    first = p.products.order_by("pk").first()
    services.deliver_product(first, evidence_label="committee.session", evidence_id=acta.pk, by=cmg)
    client = client_as(cmg)
    client.get(plan_url(p))  # warm the content-type cache
    small = count_queries(client, plan_url(p))
    populate(p, cmg, activities=30, products=40, prefix="x")
    services.save_budget_task(p, data={"title": "Otra tarea", "programmed_amount": "100.00"}, by=cmg)
    for product in p.products.order_by("-pk")[:5]:
        services.deliver_product(product, evidence_label="committee.session", evidence_id=acta.pk, by=cmg)
    assert count_queries(client, plan_url(p)) == small
    assert small <= 21
    cusco = client_as(ut_cusco)
    cusco.get(plan_url(p))
    assert count_queries(cusco, plan_url(p)) <= small + 1


def test_the_page_query_count_is_pinned(client_as, cmg, django_assert_num_queries):
    p = plan(cmg)
    populate(p, cmg, activities=30, products=40)
    client = client_as(cmg)
    client.get(plan_url(p))
    with django_assert_num_queries(PINNED_DETAIL_QUERIES):
        client.get(plan_url(p))


PINNED_DETAIL_QUERIES = 19  # +2: the products' scope (sites) and their deliveries; +1: requests under review; +1: activities per stage (big plans load stages on demand)
