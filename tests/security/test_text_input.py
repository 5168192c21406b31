"""Text hygiene through both doors (issue 7, point 7): NUL, control characters, lone surrogates,
bidi overrides and zero-width characters in codes are refused by the API (422 naming the field)
and by the forms (400 with the error on the field), and nothing is stored; text is stored in NFC;
codes are unique ignoring case; the same length limits hold in forms and API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from core.testing import api_patch, api_post, event_count, row
from organization.models import GlossaryTerm, OrgUnit, Process
from tests.security.corpus import BIDI_CODES, CONTROL_STRINGS, LONE_SURROGATES, NOT_NFC, ZERO_WIDTH_CODES

pytestmark = pytest.mark.django_db

BAD_CODES = CONTROL_STRINGS + LONE_SURROGATES + BIDI_CODES + ZERO_WIDTH_CODES + ["SEC\n01", "SEC\t01"]
BAD_TEXT = CONTROL_STRINGS + LONE_SURROGATES + BIDI_CODES[:1]


def _sendable(values: list[str]) -> list[str]:
    """What a browser can send in a form: no lone surrogates (they cannot be encoded)."""
    return [v for v in values if not any(0xD800 <= ord(c) <= 0xDFFF for c in v)]


def _json(body: dict) -> str:
    """JSON with every non-ASCII character escaped, as a client would send a lone surrogate."""
    return json.dumps(body, ensure_ascii=True)


@pytest.fixture
def unit():
    return OrgUnit.objects.get(code="UT-CUS")


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_api_refuses_a_bad_unit_code_naming_the_field(client_as, cmg, unit, code):
    client = client_as(cmg)
    before, events = row(unit), event_count()
    response = api_patch(client, f"/api/v1/units/{unit.pk}", _json({"code": code}))
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == "code"
    assert row(unit) == before and event_count() == events


@pytest.mark.parametrize("code", _sendable(BAD_CODES))
def test_the_unit_form_refuses_a_bad_code(client_as, cmg, unit, code):
    before = row(unit)
    data = {"code": code, "name": unit.name, "kind": unit.kind, "site": unit.site_id, "is_active": "on", "order": 1}
    response = client_as(cmg).post(reverse("organization:unit_edit", args=[unit.pk]), data)
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert row(unit) == before


@pytest.mark.parametrize("value", BAD_TEXT)
@pytest.mark.parametrize("field", ["term", "definition", "source"])
def test_the_api_refuses_bad_glossary_text(client_as, cmg, field, value):
    count = GlossaryTerm.objects.count()
    body = {"term": "Parte interesada", "definition": "Persona u organización.", field: value}
    response = api_post(client_as(cmg), "/api/v1/glossary", _json(body))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert GlossaryTerm.objects.count() == count


@pytest.mark.parametrize("value", _sendable(BAD_TEXT))
@pytest.mark.parametrize("field", ["term", "definition"])
def test_the_glossary_form_refuses_bad_text(client_as, cmg, field, value):
    count = GlossaryTerm.objects.count()
    data = {"term": "Parte interesada", "definition": "Persona u organización.", field: value}
    response = client_as(cmg).post(reverse("organization:glossary_create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert GlossaryTerm.objects.count() == count


def test_long_text_keeps_its_lines_and_one_line_fields_refuse_them(client_as, cmg):
    client = client_as(cmg)
    ok = api_post(client, "/api/v1/glossary", {"term": "Línea", "definition": "Uno\r\ndos\tTres"})
    assert ok.status_code == 201 and GlossaryTerm.objects.get(term="Línea").definition == "Uno\ndos\tTres"
    bad = api_post(client, "/api/v1/glossary", {"term": "Dos\nlíneas", "definition": "x"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "term"


def test_text_is_stored_in_nfc_through_both_doors(client_as, cmg):
    client = client_as(cmg)
    api_post(client, "/api/v1/glossary", {"term": NOT_NFC, "definition": NOT_NFC})
    assert GlossaryTerm.objects.get(term="Sedé").definition == "Sedé"
    client.post(reverse("organization:glossary_create"), {"term": NOT_NFC + " 2", "definition": NOT_NFC})
    assert GlossaryTerm.objects.filter(term="Sedé 2").exists()


def test_the_form_has_the_apis_length_limit(client_as, cmg):
    """The glossary form once stored 100,000 characters where the API allows 4,000."""
    count = GlossaryTerm.objects.count()
    data = {"term": "Largo", "definition": "x" * 100_000}
    response = client_as(cmg).post(reverse("organization:glossary_create"), data)
    assert response.status_code == 400 and "definition" in response.context["form"].errors
    assert api_post(client_as(cmg), "/api/v1/glossary", data).status_code == 422
    assert GlossaryTerm.objects.count() == count


@pytest.mark.parametrize(("first", "twin"), [("SEC-01", "sec-01"), ("Sec-02", "SEC-02")])
def test_codes_are_unique_ignoring_case_through_both_doors(client_as, cmg, first, twin):
    client = client_as(cmg)
    process = Process.objects.order_by("pk").first()
    other = Process.objects.exclude(pk=process.pk).order_by("pk").first()
    assert api_patch(client, f"/api/v1/processes/{process.pk}", {"code": first}).status_code == 200
    response = api_patch(client, f"/api/v1/processes/{other.pk}", {"code": twin})
    assert response.status_code == 400 and response.json()["detail"][0]["loc"] == ["body", "code"]
    data = {
        "code": twin,
        "name": other.name,
        "type": other.type,
        "is_active": "on",
        "order": other.order,
    }
    page = client.post(reverse("organization:process_edit", args=[other.pk]), data)
    assert page.status_code == 400 and "code" in page.context["form"].errors
    assert Process.objects.filter(code__iexact=first).count() == 1


def test_activity_codes_are_unique_in_a_plan_ignoring_case(cmg):
    from core.services import ServiceError
    from plans.tests.api_support import add_activity, make_plan

    plan = make_plan(cmg, year=2034)
    add_activity(plan, "1.1a", by=cmg)
    with pytest.raises(ServiceError) as exc:
        add_activity(plan, "1.1A", by=cmg)
    assert exc.value.field == "code"
