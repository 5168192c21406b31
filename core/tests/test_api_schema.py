"""The API documents itself (OpenAPI 3.1 at /api/v1/openapi.json) and the documented schemas
are what the endpoints answer; /healthz answers monitoring without a login."""

from __future__ import annotations

import json

import pytest

from core.testing import assert_matches_openapi, openapi_document

pytestmark = pytest.mark.django_db

DOCUMENTED = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/units"),
    ("get", "/api/v1/units/{pk}"),
    ("patch", "/api/v1/units/{pk}"),
    ("get", "/api/v1/sites"),
    ("get", "/api/v1/sites/{pk}"),
    ("patch", "/api/v1/sites/{pk}"),
    ("get", "/api/v1/processes"),
    ("get", "/api/v1/processes/{pk}"),
    ("patch", "/api/v1/processes/{pk}"),
    ("get", "/api/v1/management-systems"),
    ("get", "/api/v1/management-systems/{pk}"),
    ("patch", "/api/v1/management-systems/{pk}"),
    ("get", "/api/v1/standards"),
    ("get", "/api/v1/editions/{pk}"),
    ("get", "/api/v1/requirements"),
    ("get", "/api/v1/requirements/{pk}"),
    ("get", "/api/v1/legal-norms"),
    ("post", "/api/v1/legal-norms"),
    ("patch", "/api/v1/legal-norms/{pk}"),
    ("get", "/api/v1/glossary"),
    ("post", "/api/v1/glossary"),
    ("patch", "/api/v1/glossary/{pk}"),
    ("get", "/api/v1/people"),
    ("get", "/api/v1/people/{pk}"),
    ("post", "/api/v1/people/{pk}/roles"),
    ("post", "/api/v1/roles/{pk}/revoke"),
    ("get", "/api/v1/audit-events"),
]


def test_it_serves_the_openapi_document_to_its_users(client_as, lector):
    response = client_as(lector).get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    served = {(verb, path) for path, ops in doc["paths"].items() for verb in ops}
    assert set(DOCUMENTED) <= served


def test_every_operation_requires_a_bearer_token_or_a_session():
    doc = openapi_document()
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    for path, ops in doc["paths"].items():
        for verb, op in ops.items():
            if path.startswith("/api/v1/public"):  # deliberately open: documents.public
                continue
            assert op.get("security"), f"{verb.upper()} {path} is documented as public"


def test_every_request_body_refuses_unknown_fields():
    doc = openapi_document()
    bodies = [op["requestBody"] for ops in doc["paths"].values() for op in ops.values() if "requestBody" in op]
    assert bodies
    for body in bodies:
        if "application/json" not in body["content"]:
            continue  # a file upload (multipart/form-data) has no JSON fields
        ref = body["content"]["application/json"]["schema"]["$ref"]
        schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert schema.get("additionalProperties") is False, ref


def test_every_text_field_of_a_request_body_has_a_maximum_length():
    doc = openapi_document()
    for name, schema in doc["components"]["schemas"].items():
        if schema.get("additionalProperties") is not False:
            continue  # response schemas
        for field, spec in schema["properties"].items():
            options = spec.get("anyOf", [spec])
            for option in options:
                if option.get("type") == "string" and "format" not in option and "enum" not in option:
                    assert "maxLength" in option, f"{name}.{field} has no maximum length"


def test_the_schema_check_catches_a_body_that_does_not_match(client_as, cmg):
    response = client_as(cmg).get("/api/v1/me")
    assert_matches_openapi(response, "get", "/api/v1/me")
    response.content = json.dumps({**response.json(), "sees_all_sites": "yes"}).encode()
    del response._json  # the test client caches the decoded body
    with pytest.raises(AssertionError, match="sees_all_sites"):
        assert_matches_openapi(response, "get", "/api/v1/me")


def test_the_schema_check_refuses_an_undocumented_status(client_as, cmg):
    response = client_as(cmg).get("/api/v1/units/99999")
    assert response.status_code == 404
    assert_matches_openapi(response, "get", "/api/v1/units/{id}")  # errors are documented
    response.status_code = 409
    with pytest.raises(AssertionError, match="does not document status 409"):
        assert_matches_openapi(response, "get", "/api/v1/units/{id}")


def test_the_interactive_docs_are_served_from_the_app_itself(client_as, lector):
    """Swagger UI from our static files (no CDN), with no inline script the CSP would block
    (the root conftest checks every HTML response for that), and its files are served."""
    response = client_as(lector).get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    page = response.content.decode()
    assert "cdn." not in page and "unpkg" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page and "/static/ninja/swagger-ui-init.js" in page


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_the_response_check_finds_the_documented_operation_of_every_api_call(monkeypatch, client_as, cmg):
    import core.testing

    checked = []
    monkeypatch.setattr(core.testing, "assert_matches_openapi", lambda r, m, t: checked.append((m, t)))
    client = client_as(cmg)  # the root conftest checks every response of every test
    client.get("/api/v1/units/1")
    client.get("/api/v1/units/99999")  # a documented error: checked too
    client.get("/api/v1/no-such-thing")  # no operation: not checked
    client.get("/api/v1/openapi.json")
    client.get("/")  # a page, not the API
    assert checked == [("GET", "/api/v1/units/{pk}"), ("GET", "/api/v1/units/{pk}")]


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI components are keyed by class name: two areas' `CheckOut` would silently
    describe one response with the other's fields (and every client generated from it)."""
    import ast
    from collections import defaultdict
    from pathlib import Path

    from django.conf import settings

    where: dict[str, list[str]] = defaultdict(list)
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", getattr(base, "attr", "")) in {"Schema", "ModelSchema"} for base in node.bases
            ):
                where[node.name].append(str(path.relative_to(settings.BASE_DIR)))
    assert {name: files for name, files in where.items() if len(files) > 1} == {}
