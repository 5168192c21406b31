"""/api/v1/requirements: clauses and Annex A controls by standard, edition, harmonized clause,
kind and text; the detail adds the harmonized clause and its twins in the other standards.
The licensee's official text reaches reference editors only."""

from __future__ import annotations

import pytest

from catalog.models import Edition, Requirement
from core.testing import assert_matches_openapi

pytestmark = pytest.mark.django_db


LIST = "/api/v1/requirements"


def req(label: str, number: str) -> Requirement:
    return Requirement.objects.get(edition__label=label, number=number)


def labels(response) -> list[str]:
    return [r["label"] for r in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"standard": "ISO 37001", "hs": "9.2"}, ["ISO 37001:2016 9.2"]),
        (
            {"edition": "ISO 9001:2015", "hs": "9.2"},
            ["ISO 9001:2015 9.2", "ISO 9001:2015 9.2.1", "ISO 9001:2015 9.2.2"],
        ),
        (
            {"standard": "ISO/IEC 27001", "hs": "9.2", "kind": "clause"},
            [
                "ISO/IEC 27001:2013 9.2",
                "ISO/IEC 27001:2022 9.2",
                "ISO/IEC 27001:2022 9.2.1",
                "ISO/IEC 27001:2022 9.2.2",
            ],
        ),
        (
            {"edition": "ISO/IEC 27001:2022", "q": "A.5.1"},
            ["ISO/IEC 27001:2022 A.5.1"] + [f"ISO/IEC 27001:2022 A.5.{n}" for n in range(10, 20)],
        ),
    ],
)
def test_it_filters_requirements(client_as, lector, params, expected):
    response = client_as(lector).get(LIST, params)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/requirements")
    assert labels(response) == expected
    assert response.json()["count"] == len(expected)


def test_an_edition_may_be_given_by_id(client_as, lector):
    edition = Edition.objects.get(label="ISO/IEC 27001:2022")
    by_id = client_as(lector).get(LIST, {"edition": edition.pk, "kind": "control", "limit": 500}).json()
    by_label = client_as(lector).get(LIST, {"edition": edition.label, "kind": "control", "limit": 500}).json()
    assert by_id == by_label and by_id["count"] == 93


def test_it_lists_in_catalogue_order(client_as, lector):
    body = client_as(lector).get(LIST, {"limit": 3}).json()
    assert body["count"] == Requirement.objects.count()
    assert [r["edition_label"] for r in body["items"]] == ["ISO 9001:2015"] * 3
    assert [r["order"] for r in body["items"]] == sorted(r["order"] for r in body["items"])


@pytest.mark.parametrize(
    ("params", "field"), [({"kind": "annex"}, "kind"), ({"q": "x" * 101}, "q"), ({"limit": 1000}, "limit")]
)
def test_it_refuses_a_bad_filter_naming_it(client_as, lector, params, field):
    response = client_as(lector).get(LIST, params)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", field]]


def test_the_detail_shows_the_harmonized_clause_and_the_twins(client_as, ut_cusco):
    response = client_as(ut_cusco).get(f"/api/v1/requirements/{req('ISO 37001:2016', '9.2').pk}")
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/requirements/{id}")
    body = response.json()
    assert body["hs_clause"] == "9.2" and body["hs_clause_detail"]["number"] == "9.2"
    twins = {t["label"]: t["id"] for t in body["twins"]}
    assert twins["ISO 9001:2015 9.2"] == req("ISO 9001:2015", "9.2").pk
    assert twins["ISO/IEC 27001:2022 9.2"] == req("ISO/IEC 27001:2022", "9.2").pk
    assert "ISO 37001:2016 9.2" not in twins


def test_a_control_has_no_harmonized_clause(client_as, lector):
    response = client_as(lector).get(f"/api/v1/requirements/{req('ISO/IEC 27001:2022', 'A.5.1').pk}")
    assert_matches_openapi(response, "get", "/api/v1/requirements/{id}")
    assert response.json()["hs_clause"] is None and response.json()["twins"] == []


def test_the_official_text_reaches_reference_editors_only(client_as, cmg, lector, ut_cusco):
    Requirement.objects.filter(pk=req("ISO 9001:2015", "9.2").pk).update(official_text="Texto licenciado.")
    detail = f"/api/v1/requirements/{req('ISO 9001:2015', '9.2').pk}"
    params = {"edition": "ISO 9001:2015", "hs": "9.2"}
    editor = client_as(cmg)
    assert editor.get(detail).json()["official_text"] == "Texto licenciado."
    assert editor.get(LIST, params).json()["items"][0]["official_text"] == "Texto licenciado."
    for other in (lector, ut_cusco):
        client = client_as(other)
        assert "official_text" not in client.get(detail).json()
        response = client.get(LIST, params)
        assert_matches_openapi(response, "get", "/api/v1/requirements")
        assert all("official_text" not in r for r in response.json()["items"])
        assert b"Texto licenciado" not in client.get(detail).content + response.content


def test_a_person_without_a_role_gets_404(client_as, no_role_user):
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert client.get(f"/api/v1/requirements/{req('ISO 9001:2015', '9.2').pk}").status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_as, lector, django_assert_num_queries):
    client = client_as(lector)
    # session, user, scope, count, page (edition, standard and clause joined)
    with django_assert_num_queries(5):
        assert len(client.get(LIST, {"limit": 50}).json()["items"]) == 50
    with django_assert_num_queries(5):
        assert len(client.get(LIST, {"limit": 500}).json()["items"]) == 467
