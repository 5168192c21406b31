"""/api/v1/glossary: terms and acronyms; reference editors add and correct them."""

from __future__ import annotations

import pytest
from django.conf import settings

from core.testing import (
    api_patch,
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from organization.models import GlossaryTerm
from organization.tests.helpers import term

pytestmark = pytest.mark.django_db


LIST = "/api/v1/glossary"
NEW = {
    "term": "PEI",
    "is_acronym": True,
    "definition": "Plan estratégico institucional.",
    "definition_en": "Institutional strategic plan.",
    "source": "CEPLAN",
}


def url(text: str) -> str:
    return f"/api/v1/glossary/{term(text).pk}"


def test_it_lists_the_glossary_alphabetically(client_as, ut_cusco):
    response = client_as(ut_cusco).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/glossary")
    terms = [t["term"] for t in response.json()["items"]]
    assert response.json()["count"] == GlossaryTerm.objects.count() == 21
    assert terms == list(GlossaryTerm.objects.order_by("term", "pk").values_list("term", flat=True))
    assert "QRD" in terms and "UT" in terms


def test_a_person_without_a_role_gets_404(client_as, no_role_user):
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert api_post(client, LIST, NEW).status_code == 404
    assert api_patch(client, url("Acta"), {"source": "X"}).status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_as, lector, django_assert_num_queries):
    client = client_as(lector)
    with django_assert_num_queries(6):
        client.get(LIST)
    GlossaryTerm.objects.bulk_create(GlossaryTerm(term=f"Término {i}", definition="Definición.") for i in range(10))
    with django_assert_num_queries(6):
        assert client.get(LIST).json()["count"] == 31


def test_a_reference_editor_adds_a_term_with_an_audit_entry(cmg):
    response = api_post(token_client(cmg), LIST, NEW)
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/glossary")
    assert GlossaryTerm.objects.get(term="PEI").definition == "Plan estratégico institucional."
    event = last_event("organization.glossaryterm")
    assert event is not None and event.action == "create" and event.actor_id == cmg.pk


def test_a_reference_editor_corrects_a_definition(client_as, cmg):
    response = api_patch(client_as(cmg), url("Acta"), {"definition_en": "Minutes of a meeting."})
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/glossary/{id}")
    assert term("Acta").definition_en == "Minutes of a meeting."


def test_a_reader_may_not_add_or_change_terms(client_as, lector):
    client = client_as(lector)
    before, events, count = row(term("Acta")), event_count(), GlossaryTerm.objects.count()
    assert api_post(client, LIST, NEW).status_code == 403
    assert api_patch(client, url("Acta"), {"source": "X"}).status_code == 403
    assert row(term("Acta")) == before and event_count() == events and GlossaryTerm.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"term": "T" * 151}, "term"),
        ({"definition": "d" * (settings.SIG_MAX_TEXT + 1)}, "definition"),
        ({"definition_en": "d" * (settings.SIG_MAX_TEXT + 1)}, "definition_en"),
        ({"definition": None}, "definition"),
        ({"is_acronym": 1}, "is_acronym"),
        ({"source": {"name": "CEPLAN"}}, "source"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(client_as, cmg, body, field):
    client = client_as(cmg)
    before, events, count = row(term("Acta")), event_count(), GlossaryTerm.objects.count()
    for response in (api_post(client, LIST, {**NEW, **body}), api_patch(client, url("Acta"), body)):
        assert response.status_code == 422
        assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(term("Acta")) == before and event_count() == events and GlossaryTerm.objects.count() == count


def test_a_term_already_in_the_glossary_is_a_400_naming_the_field(client_as, cmg):
    client = client_as(cmg)
    events, count = event_count(), GlossaryTerm.objects.count()
    response = api_post(client, LIST, {**NEW, "term": "QRD"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "term"]
    assert event_count() == events and GlossaryTerm.objects.count() == count
