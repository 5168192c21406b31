"""/api/v1/sites: the Sede Central and the 21 UT. Reference editors change every field in
organization.access.site_editable_fields; a UT head only the address and phone of their UT."""

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
from organization.access import site_editable_fields
from organization.models import Entity, Site
from organization.tests.helpers import site

pytestmark = pytest.mark.django_db


LIST = "/api/v1/sites"


def url(code: str) -> str:
    return f"/api/v1/sites/{site(code).pk}"


def test_it_lists_the_sede_central_and_the_21_uts(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/sites")
    items = response.json()["items"]
    assert response.json()["count"] == 22
    assert [s["code"] for s in items if s["is_central"]] == ["SC"]
    assert items[0]["code"] == "SC"
    assert sum(s["kind"] == "territorial" for s in items) == 21


def test_it_shows_one_site(client_as, ut_puno):
    response = client_as(ut_puno).get(url("UT-CUS"))
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/sites/{id}")
    assert response.json()["code"] == "UT-CUS" and response.json()["department"] == "Cusco"


def test_a_person_without_a_role_gets_404(client_as, no_role_user):
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert client.get(url("UT-CUS")).status_code == 404
    assert api_patch(client, url("UT-CUS"), {"phone": "1"}).status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_as, lector, django_assert_num_queries):
    client = client_as(lector)
    with django_assert_num_queries(6):
        client.get(LIST)
    entity = Entity.objects.get()
    Site.objects.bulk_create(
        Site(entity=entity, code=f"UT-X{i}", name=f"UT X{i}", kind="territorial", order=100 + i) for i in range(10)
    )
    with django_assert_num_queries(6):
        assert client.get(LIST).json()["count"] == 32


# --- reference editors ---------------------------------------------------------------------


def test_a_reference_editor_changes_every_editable_field(client_as, cmg):
    body = {
        "name": "UT Cusco (sede)",
        "department": "Cusco",
        "address": "Av. El Sol 123",
        "phone": "084 111 222",
        "is_demo": False,
        "is_active": True,
    }
    assert set(body) == set(site_editable_fields(cmg, site("UT-CUS")))
    response = api_patch(client_as(cmg), url("UT-CUS"), body)
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/sites/{id}")
    cusco = site("UT-CUS")
    assert (cusco.name, cusco.address, cusco.phone, cusco.is_demo) == (
        "UT Cusco (sede)",
        "Av. El Sol 123",
        "084 111 222",
        False,
    )
    event = last_event("organization.site")
    assert event is not None and event.actor_id == cmg.pk and event.site_id == cusco.pk


@pytest.mark.parametrize("field", ["code", "kind", "is_central", "order"])
def test_fields_outside_the_editable_set_are_refused_as_unknown(client_as, cmg, field):
    client = client_as(cmg)
    before, events = row(site("UT-CUS")), event_count()
    response = api_patch(client, url("UT-CUS"), {field: "central" if field == "kind" else "X"})
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(site("UT-CUS")) == before and event_count() == events


# --- UT heads ------------------------------------------------------------------------------


def test_a_ut_head_changes_the_address_and_phone_of_their_own_ut(ut_cusco):
    response = api_patch(token_client(ut_cusco), url("UT-CUS"), {"address": "Jr. Ayacucho 200", "phone": "084 222"})
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/sites/{id}")
    assert (site("UT-CUS").address, site("UT-CUS").phone) == ("Jr. Ayacucho 200", "084 222")
    event = last_event("organization.site")
    assert event is not None and event.actor_id == ut_cusco.pk and set(event.changes) == {"address", "phone"}


@pytest.mark.parametrize("field", ["name", "department", "is_demo", "is_active"])
def test_a_ut_head_may_not_change_other_fields_of_their_ut(client_as, ut_cusco, field):
    client = client_as(ut_cusco)
    before, events = row(site("UT-CUS")), event_count()
    value = False if field.startswith("is_") else "Otro"
    response = api_patch(client, url("UT-CUS"), {"phone": "084 999", field: value})
    assert response.status_code == 403
    assert field in response.json()["detail"]
    assert row(site("UT-CUS")) == before and event_count() == events


@pytest.mark.parametrize("code", ["UT-PUN", "SC"])
def test_a_ut_head_may_not_change_another_site(client_as, ut_cusco, code):
    client = client_as(ut_cusco)
    before, events = row(site(code)), event_count()
    response = api_patch(client, url(code), {"phone": "084 999"})
    assert response.status_code == 403
    assert row(site(code)) == before and event_count() == events


@pytest.mark.parametrize("persona", ["lector", "auditor", "tecnico"])
def test_other_roles_may_not_change_a_site(client_as, request, persona):
    client = client_as(request.getfixturevalue(persona))
    before, events = row(site("UT-CUS")), event_count()
    assert api_patch(client, url("UT-CUS"), {"phone": "1"}).status_code == 403
    assert row(site("UT-CUS")) == before and event_count() == events


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "9" * 51}, "phone"),
        ({"address": "A" * 301}, "address"),
        ({"address": 12}, "address"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"is_demo": "true"}, "is_demo"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(client_as, cmg, body, field):
    client = client_as(cmg)
    before, events = row(site("UT-CUS")), event_count()
    response = api_patch(client, url("UT-CUS"), body)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(site("UT-CUS")) == before and event_count() == events
