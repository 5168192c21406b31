"""/api/v1/legal-norms: the legal basis registry; reference editors add and correct norms."""

from __future__ import annotations

import pytest

from core.testing import (
    api_patch,
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from organization.models import LegalNorm
from organization.tests.helpers import norm

pytestmark = pytest.mark.django_db


LIST = "/api/v1/legal-norms"
NEW = {
    "kind": "ds",
    "number": "004-2026-MIDIS",
    "year": 2026,
    "issuer": "MIDIS",
    "title": "Decreto supremo de prueba",
    "url": "https://www.gob.pe/midis",
}


def url(number: str) -> str:
    return f"/api/v1/legal-norms/{norm(number).pk}"


def test_it_lists_the_legal_basis(client_as, ut_puno):
    response = client_as(ut_puno).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/legal-norms")
    assert response.json()["count"] == LegalNorm.objects.count() == 15
    law = next(n for n in response.json()["items"] if n["number"] == "27658")
    assert (law["kind"], law["year"], law["is_current"]) == ("ley", 2002, True)


def test_a_person_without_a_role_gets_404(client_as, no_role_user):
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert api_post(client, LIST, NEW).status_code == 404
    assert api_patch(client, url("27658"), {"issuer": "X"}).status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_as, lector, django_assert_num_queries):
    client = client_as(lector)
    with django_assert_num_queries(6):
        client.get(LIST)
    LegalNorm.objects.bulk_create(LegalNorm(kind="rm", number=f"{i}-2026-MIDIS", title="RM") for i in range(10))
    with django_assert_num_queries(6):
        assert client.get(LIST).json()["count"] == 25


def test_a_reference_editor_adds_a_norm_with_an_audit_entry(cmg):
    response = api_post(token_client(cmg), LIST, NEW)
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/legal-norms")
    created = LegalNorm.objects.get(pk=response.json()["id"])
    assert (created.kind, created.number, created.is_current) == ("ds", "004-2026-MIDIS", True)
    event = last_event("organization.legalnorm")
    assert event is not None and event.action == "create" and event.object_id == str(created.pk)


def test_a_reference_editor_marks_a_norm_as_no_longer_in_force(client_as, platform_admin):
    response = api_patch(client_as(platform_admin), url("148-2015-MIDIS"), {"is_current": False})
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/legal-norms/{id}")
    assert norm("148-2015-MIDIS").is_current is False
    event = last_event("organization.legalnorm")
    assert event is not None and event.changes == {"is_current": [True, False]}


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "integridad"])
def test_other_roles_may_not_add_or_change_norms(client_as, request, persona):
    client = client_as(request.getfixturevalue(persona))
    before, events, count = row(norm("27658")), event_count(), LegalNorm.objects.count()
    assert api_post(client, LIST, NEW).status_code == 403
    assert api_patch(client, url("27658"), {"issuer": "X"}).status_code == 403
    assert row(norm("27658")) == before and event_count() == events and LegalNorm.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "law"}, "kind"),
        ({"year": "2026"}, "year"),
        ({"year": 0}, "year"),
        ({"title": "T" * 501}, "title"),
        ({"number": ""}, "number"),
        ({"seed_ref": "§" * 21}, "seed_ref"),
        ({"is_current": "no"}, "is_current"),
        ({"order": 3}, "order"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(client_as, cmg, body, field):
    client = client_as(cmg)
    before, events, count = row(norm("27658")), event_count(), LegalNorm.objects.count()
    created = api_post(client, LIST, {**NEW, **body})
    changed = api_patch(client, url("27658"), body)
    for response in (created, changed):
        assert response.status_code == 422
        assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(norm("27658")) == before and event_count() == events and LegalNorm.objects.count() == count


def test_a_new_norm_needs_a_kind_a_number_and_a_title(client_as, cmg):
    response = api_post(client_as(cmg), LIST, {"year": 2026})
    assert response.status_code == 422
    assert {e["loc"][-1] for e in response.json()["detail"]} == {"kind", "number", "title"}


def test_a_link_that_is_not_an_address_is_a_400_naming_the_field(client_as, cmg):
    client = client_as(cmg)
    events, count = event_count(), LegalNorm.objects.count()
    response = api_post(client, LIST, {**NEW, "url": "midis punto gob"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "url"]
    assert event_count() == events and LegalNorm.objects.count() == count


def test_a_norm_that_already_exists_is_a_400(client_as, cmg):
    client = client_as(cmg)
    events, count = event_count(), LegalNorm.objects.count()
    response = api_post(client, LIST, {**NEW, "kind": "ley", "number": "27658"})
    assert response.status_code == 400
    assert event_count() == events and LegalNorm.objects.count() == count
