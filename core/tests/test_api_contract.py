"""The API's contract (issue 7, point 13): every operation documents its error responses, errors
are JSON whoever produces them, and lists link to their neighbouring pages."""

from __future__ import annotations

import pytest
from django.test import Client

from core.testing import assert_matches_openapi, openapi_document

pytestmark = pytest.mark.django_db


def test_every_operation_documents_its_error_responses():
    doc = openapi_document()
    assert "Error" in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for verb, operation in operations.items():
            wanted = {"400", "403", "404", "422"} | ({"401"} if operation.get("security") else set())
            assert wanted <= set(operation["responses"]), f"{verb.upper()} {path}"


def test_a_list_links_to_its_next_and_previous_pages(client_as, lector):
    client = client_as(lector)
    first = client.get("/api/v1/units", {"limit": 2})
    body = first.json()
    assert body["count"] > 4 and body["previous"] is None
    assert body["next"].startswith("http://testserver/api/v1/units?") and "offset=2" in body["next"]
    second = client.get(body["next"]).json()
    assert second["items"][0]["id"] not in {u["id"] for u in body["items"]}
    assert "offset=0" in second["previous"]
    last = client.get("/api/v1/units", {"limit": 2, "offset": body["count"] - 1}).json()
    assert last["next"] is None and len(last["items"]) == 1


def test_the_links_keep_the_filters(client_as, lector):
    body = client_as(lector).get("/api/v1/processes", {"level": 1, "limit": 1}).json()
    assert "level=1" in body["next"]


def test_an_unsupported_method_is_a_json_405_with_allow(client_as, cmg):
    response = client_as(cmg).delete("/api/v1/units")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert "GET" in response["Allow"]


def test_an_unexpected_failure_is_still_json(client_as, cmg, monkeypatch):
    from organization import api as organization_api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(organization_api.access, "units_visible_to", broken)
    client = Client(raise_request_exception=False)
    client.force_login(cmg)
    response = client.get("/api/v1/units")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}


def test_an_error_body_matches_the_documented_error_schema(client_as, cmg):
    client = client_as(cmg)
    not_found = client.get("/api/v1/units/99999")
    assert_matches_openapi(not_found, "get", "/api/v1/units/{pk}")
    invalid = client.get("/api/v1/units", {"limit": "many"})
    assert invalid.status_code == 422
    assert_matches_openapi(invalid, "get", "/api/v1/units")
    anonymous = Client().get("/api/v1/units")
    assert anonymous.status_code == 401
    assert_matches_openapi(anonymous, "get", "/api/v1/units")
