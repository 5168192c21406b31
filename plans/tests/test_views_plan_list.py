"""The list of plans by year and the creation of a plan: who sees and who creates, filters, bad
input (400, nothing stored, no audit event) and a pinned, flat query count."""

from __future__ import annotations

import pytest

from organization.models import LegalNorm
from plans.models import Plan
from plans.tests.page_support import CREATE, LIST, count_queries, events, find_all, has_field_error, plan, unit

pytestmark = pytest.mark.django_db


def listed(response) -> list[int]:
    return [
        int(dict(r.attributes)["data-plan"])
        for r in find_all(response.content, "tr")
        if "data-plan" in dict(r.attributes)
    ]


@pytest.fixture
def plans(cmg):
    return {
        "sig": plan(cmg, year=2041, title="Plan de Desarrollo del SIG 2041"),
        "isms": plan(cmg, year=2041, title="Plan de implementación del SGSI 2041", kind=Plan.Kind.ISMS),
        "next": plan(cmg, year=2042, title="Plan de Desarrollo del SIG 2042"),
    }


@pytest.mark.parametrize("who", ["cmg", "lector", "ut_cusco", "auditor", "direccion"])
def test_everyone_with_a_role_sees_the_plans_grouped_by_year(client_as, request, plans, who):
    response = client_as(request.getfixturevalue(who)).get(LIST)
    assert response.status_code == 200
    assert {p.pk for p in plans.values()} <= set(listed(response))
    section = [s for s in find_all(response.content, "section") if dict(s.attributes).get("data-year") == "2041"][0]
    assert {
        int(dict(r.attributes)["data-plan"]) for r in find_all(section, "tr") if "data-plan" in dict(r.attributes)
    } == {
        plans["sig"].pk,
        plans["isms"].pk,
    }


def test_the_newest_year_comes_first(client_as, cmg, plans):
    years = [dict(s.attributes)["data-year"] for s in find_all(client_as(cmg).get(LIST).content, "section")]
    assert years.index("2042") < years.index("2041")


def test_a_person_without_roles_gets_404(client_as, no_role_user, plans):
    assert client_as(no_role_user).get(LIST).status_code == 404
    assert client_as(no_role_user).get(CREATE).status_code == 404


def test_the_filters_narrow_by_year_and_kind(client_as, cmg, plans):
    assert set(listed(client_as(cmg).get(LIST, {"year": 2042}))) == {plans["next"].pk}
    assert set(listed(client_as(cmg).get(LIST, {"year": 2041, "kind": "isms"}))) == {plans["isms"].pk}


def test_an_invalid_filter_answers_400(client_as, cmg, plans):
    response = client_as(cmg).get(LIST, {"year": 1999})
    assert response.status_code == 400 and listed(response) == []


def test_only_editors_see_the_new_plan_button(client_as, cmg, lector, plans):
    assert find_all(client_as(cmg).get(LIST).content, "a", data_testid="create-plan")
    assert not find_all(client_as(lector).get(LIST).content, "a", data_testid="create-plan")


def form_data(**overrides):
    data = {
        "year": "2043",
        "kind": "sig",
        "title": "Plan de Desarrollo del SIG 2043",
        "objective": "Mantener y mejorar el SIG.",
        "scope": "Sede Central y Unidades Territoriales.",
        "owner_unit": str(unit("UPPM-CMG").pk),
        "legal_basis": [str(n.pk) for n in LegalNorm.objects.order_by("pk")[:3]],
        "budget_amount": "130000.00",
        "budget_source": "POI 2043",
        "responsibilities": "Comité del SIG: Revisar el Plan.\nDirector/a Ejecutivo/a: Aprobar el Plan.",
        "stages": "Mantenimiento\nSeguimiento, medición y análisis\nMejora",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("who", ["cmg", "uppm"])
def test_editors_create_a_draft_plan_with_stages_and_responsibilities(client_as, request, who):
    client = client_as(request.getfixturevalue(who))
    before = events()
    response = client.post(CREATE, form_data())
    assert response.status_code == 302
    created = Plan.objects.get(title="Plan de Desarrollo del SIG 2043")
    assert response["Location"] == created.get_absolute_url()
    assert (created.status, created.version, str(created.budget_amount)) == (Plan.Status.DRAFT, 1, "130000.00")
    assert list(created.stages.values_list("number", "name")) == [
        (1, "Mantenimiento"),
        (2, "Seguimiento, medición y análisis"),
        (3, "Mejora"),
    ]
    assert list(created.responsibilities.values_list("role", "responsibility")) == [
        ("Comité del SIG", "Revisar el Plan."),
        ("Director/a Ejecutivo/a", "Aprobar el Plan."),
    ]
    assert created.legal_basis.count() == 3
    assert events() == before + 1


def test_the_form_proposes_the_seed_stages_and_responsibilities(client_as, cmg):
    form = client_as(cmg).get(CREATE).context["form"]
    assert form["stages"].value().splitlines() == ["Mantenimiento", "Seguimiento, medición y análisis", "Mejora"]
    assert "Director/a Ejecutivo/a: Aprobar el Plan y sus modificaciones." in form["responsibilities"].value()


@pytest.mark.parametrize("who", ["lector", "ut_cusco", "tecnico", "direccion", "auditor"])
def test_others_cannot_create_plans(client_as, request, who):
    client = client_as(request.getfixturevalue(who))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert not Plan.objects.filter(title="Plan de Desarrollo del SIG 2043").exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("budget_amount", "1000.505"),
        ("budget_amount", "-5.00"),
        ("budget_amount", "mil"),
        ("owner_unit", "999999"),
        ("legal_basis", ["999999"]),
        ("year", "20x1"),
        ("kind", "otro"),
        ("stages", ""),
        ("title", ""),
    ],
)
def test_bad_input_is_refused_with_the_field_error_and_nothing_stored(client_as, cmg, field, value):
    client = client_as(cmg)
    before = events()
    response = client.post(CREATE, form_data(**{field: value}))
    assert response.status_code == 400
    assert has_field_error(response, field)
    assert not Plan.objects.filter(title="Plan de Desarrollo del SIG 2043").exists()
    assert events() == before


def test_the_query_count_is_pinned_and_flat(client_as, cmg, django_assert_num_queries):
    for year in range(2041, 2046):
        plan(cmg, year=year, title=f"Plan {year}")
    client = client_as(cmg)
    small = count_queries(client, LIST)
    for year in range(2046, 2056):
        plan(cmg, year=year, title=f"Plan {year}")
        plan(cmg, year=year, title=f"Plan SGSI {year}", kind=Plan.Kind.ISMS)
    with django_assert_num_queries(small):
        client.get(LIST)
    assert small <= 7
