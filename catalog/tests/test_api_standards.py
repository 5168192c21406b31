"""/api/v1/standards and /api/v1/editions/{id}: the standards and their editions."""

from __future__ import annotations

import pytest

from catalog.models import Edition, Requirement, Standard
from core.testing import assert_matches_openapi

pytestmark = pytest.mark.django_db


def edition_url(label: str) -> str:
    return f"/api/v1/editions/{Edition.objects.get(label=label).pk}"


def test_it_lists_the_three_standards_with_their_editions(client_as, ut_puno):
    response = client_as(ut_puno).get("/api/v1/standards")
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/standards")
    standards = {s["code"]: s for s in response.json()["items"]}
    assert list(standards) == ["ISO 9001", "ISO 37001", "ISO/IEC 27001"]
    assert [e["label"] for e in standards["ISO/IEC 27001"]["editions"]] == ["ISO/IEC 27001:2013", "ISO/IEC 27001:2022"]
    e2022 = standards["ISO/IEC 27001"]["editions"][1]
    assert (e2022["n_controls"], e2022["n_requirements"]) == (93, 138)
    assert standards["ISO 9001"]["system_code"] == "SGC"


def test_it_shows_one_edition_with_its_counts(client_as, lector):
    response = client_as(lector).get(edition_url("ISO 37001:2016"))
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/editions/{id}")
    body = response.json()
    assert body["standard"]["code"] == "ISO 37001"
    assert body["n_requirements"] == Requirement.objects.filter(edition__label="ISO 37001:2016").count() == 50
    assert body["n_controls"] == 0


def test_a_person_without_a_role_gets_404(client_as, no_role_user):
    client = client_as(no_role_user)
    assert client.get("/api/v1/standards").status_code == 404
    assert client.get(edition_url("ISO 9001:2015")).status_code == 404


def test_an_unknown_edition_is_404(client_as, lector):
    assert client_as(lector).get("/api/v1/editions/99999").status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_as, lector, django_assert_num_queries):
    client = client_as(lector)
    # session, user, scope, count, page, editions with their counts
    with django_assert_num_queries(6):
        client.get("/api/v1/standards")
    for i in range(5):
        standard = Standard.objects.create(code=f"ISO 1{i}001", name=f"Norma {i}", order=10 + i)
        for year in (2018, 2024):
            Edition.objects.create(standard=standard, year=year, label=f"ISO 1{i}001:{year}", structure="hs2021")
    with django_assert_num_queries(6):
        assert client.get("/api/v1/standards").json()["count"] == 8
