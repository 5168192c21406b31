"""/api/v1/units: organic units, readable by every role, changed by reference editors."""

from __future__ import annotations

import pytest

from core.testing import (
    api_patch,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from organization.models import Entity, OrgUnit
from organization.tests.helpers import site, unit

pytestmark = pytest.mark.django_db


LIST = "/api/v1/units"


def url(code: str) -> str:
    return f"/api/v1/units/{unit(code).pk}"


# --- reading -------------------------------------------------------------------------------


def test_it_lists_every_unit_with_its_parent_and_site(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/units")
    body = response.json()
    assert body["count"] == OrgUnit.objects.count() == 34
    cusco = next(u for u in body["items"] if u["code"] == "UT-CUS")
    assert cusco["parent_code"] == "UOP" and cusco["site_code"] == "UT-CUS" and cusco["kind"] == "territorial"


def test_a_ut_head_reads_the_whole_organisation(client_as, ut_cusco):
    response = client_as(ut_cusco).get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 34


def test_it_pages_in_a_stable_order(client_as, lector):
    client = client_as(lector)
    everything = [u["code"] for u in client.get(LIST, {"limit": 500}).json()["items"]]
    assert everything[0] == "DE"
    page = client.get(LIST, {"limit": 5, "offset": 5})
    assert_matches_openapi(page, "get", "/api/v1/units")
    assert page.json()["count"] == 34
    assert [u["code"] for u in page.json()["items"]] == everything[5:10]


def test_the_default_page_has_50_items(client_as, lector):
    entity = Entity.objects.get()
    OrgUnit.objects.bulk_create(
        OrgUnit(entity=entity, code=f"X{i:02}", name=f"Unidad {i}", kind="unit", site=site("SC"), order=900 + i)
        for i in range(20)
    )
    body = client_as(lector).get(LIST).json()
    assert body["count"] == 54 and len(body["items"]) == 50


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "many"}])
def test_it_refuses_a_page_outside_the_bounds(client_as, lector, params):
    response = client_as(lector).get(LIST, params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", next(iter(params))]


def test_it_shows_one_unit(client_as, lector):
    response = client_as(lector).get(url("UPPM-CMG"))
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/units/{id}")
    assert response.json()["parent_code"] == "UPPM" and response.json()["site_code"] == "SC"


def test_a_person_without_a_role_gets_404_for_list_and_detail(client_as, no_role_user):
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert client.get(url("UPPM")).status_code == 404


def test_an_unknown_unit_is_404(client_as, lector):
    assert client_as(lector).get("/api/v1/units/99999").status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_as, lector, django_assert_num_queries):
    client = client_as(lector)
    # session, user, role scope, readable?, count, page
    with django_assert_num_queries(6):
        client.get(LIST)
    entity = Entity.objects.get()
    parent = OrgUnit.objects.create(entity=entity, code="X-P", name="Padre", kind="unit", site=site("UT-PUN"))
    for i in range(10):
        OrgUnit.objects.create(
            entity=entity, code=f"X-{i}", name=f"Hija {i}", kind="unit", parent=parent, site=site("UT-CUS")
        )
    with django_assert_num_queries(6):
        assert len(client.get(LIST).json()["items"]) == 45


# --- changing ------------------------------------------------------------------------------


def test_a_reference_editor_renames_a_unit_with_an_audit_entry(client_as, cmg):
    response = api_patch(
        client_as(cmg), url("UPPM-CSE"), {"name": "Coordinación de Seguimiento, Evaluación y Estadística"}
    )
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/units/{id}")
    assert response.json()["name"] == "Coordinación de Seguimiento, Evaluación y Estadística"
    assert unit("UPPM-CSE").name == "Coordinación de Seguimiento, Evaluación y Estadística"
    event = last_event("organization.orgunit")
    assert event is not None and event.actor_id == cmg.pk and set(event.changes) == {"name"}


def test_a_reference_editor_moves_a_unit_under_another_parent(platform_admin):
    response = api_patch(token_client(platform_admin), url("UPPM-CSE"), {"parent": unit("DE").pk})
    assert response.status_code == 200
    assert response.json()["parent_code"] == "DE"
    assert unit("UPPM-CSE").parent == unit("DE")


def test_an_omitted_field_is_left_as_it_was(client_as, cmg):
    before = row(unit("UPPM-CSE"))
    api_patch(client_as(cmg), url("UPPM-CSE"), {"order": 77})
    assert {k: v for k, v in row(unit("UPPM-CSE")).items() if k != "order"} == {
        k: v for k, v in before.items() if k != "order"
    }


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "auditor", "direccion"])
def test_other_roles_may_not_change_a_unit(client_as, request, persona):
    client = client_as(request.getfixturevalue(persona))
    before, events = row(unit("UPPM")), event_count()
    response = api_patch(client, url("UPPM"), {"name": "Otra"})
    assert response.status_code == 403
    assert row(unit("UPPM")) == before and event_count() == events


def test_a_person_without_a_role_gets_404_on_change(client_as, no_role_user):
    response = api_patch(client_as(no_role_user), url("UPPM"), {"name": "Otra"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 5}, "name"),
        ({"name": None}, "name"),
        ({"name": "   "}, "name"),
        ({"code": "X" * 41}, "code"),
        ({"name": "N" * 201}, "name"),
        ({"kind": "ministry"}, "kind"),
        ({"order": "5"}, "order"),
        ({"order": -1}, "order"),
        ({"is_active": "yes"}, "is_active"),
        ({"is_active": 0}, "is_active"),
        ({"site": None}, "site"),
        ({"site": "SC"}, "site"),
        ({"parent": "4"}, "parent"),
        ({"parent": 99999}, "parent"),
        ({"site": 99999}, "site"),
        ({"entity": 1}, "entity"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(client_as, cmg, body, field):
    client = client_as(cmg)
    before, events = row(unit("UPPM")), event_count()
    response = api_patch(client, url("UPPM"), body)
    assert response.status_code == 422
    assert field in [e["loc"][-1] for e in response.json()["detail"]]
    assert row(unit("UPPM")) == before and event_count() == events


def test_a_unit_cannot_become_its_own_ancestor(client_as, cmg):
    client = client_as(cmg)
    before, events = row(unit("UPPM")), event_count()
    response = api_patch(client, url("UPPM"), {"parent": unit("UPPM-CMG").pk})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "parent"]
    assert row(unit("UPPM")) == before and event_count() == events


def test_a_code_already_in_use_is_a_400_naming_the_field(client_as, cmg):
    client = client_as(cmg)
    before, events = row(unit("UPPM")), event_count()
    response = api_patch(client, url("UPPM"), {"code": "UTI"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "code"]
    assert row(unit("UPPM")) == before and event_count() == events
