"""Test helpers shared by every area's tests."""

from __future__ import annotations

import functools
import json
import re
from typing import Any
from urllib.parse import quote

from django.test import Client
from jsonschema import Draft202012Validator
from ninja.responses import NinjaJSONEncoder
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from accounts.services import issue_token
from audit.models import AuditEvent
from config.api import api


def last_event(object_type: str | None = None) -> AuditEvent | None:
    qs = AuditEvent.objects.order_by("-id")
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs.first()


def event_count() -> int:
    return AuditEvent.objects.count()


def bearer(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# --- REST API -----------------------------------------------------------------------------

API_PREFIX = "/api/v1"
_OPENAPI_URI = "urn:sig:openapi"


def token_for(user: Any) -> str:
    """A fresh Bearer token for `user` (through the same service as `./sig token`)."""
    return issue_token(user, by="test")


def token_client(user: Any) -> Client:
    """A test client that authenticates with a Bearer token only (no session, no cookies)."""
    return Client(headers={"Authorization": f"Bearer {token_for(user)}"})


def api_patch(client: Any, url: str, body: Any, **extra: Any) -> Any:
    """PATCH `body` as JSON (a str is sent as-is, to test malformed bodies)."""
    return client.patch(url, body, content_type="application/json", **extra)


def api_post(client: Any, url: str, body: Any = None, **extra: Any) -> Any:
    """POST `body` as JSON (a str is sent as-is); no body at all when `body` is None."""
    if body is None:
        return client.post(url, **extra)
    return client.post(url, body, content_type="application/json", **extra)


def row(obj: Any) -> dict[str, Any]:
    """The stored values of `obj` now (to prove that a refused write changed nothing)."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document as plain JSON data, built once per test run."""
    return json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))


def _template_key(path: str) -> str:
    if not path.startswith(API_PREFIX):
        path = API_PREFIX + path
    return re.sub(r"\{[^}]*\}", "{}", path)


def assert_matches_openapi(response: Any, method: str, path_template: str) -> None:
    """Validate `response`'s JSON body against the schema the OpenAPI document declares for
    this operation and status (JSON Schema 2020-12, `$ref`s resolved into the components).

    `path_template` is the documented path, e.g. "/api/v1/units/{id}"; the prefix may be left
    out and the parameter names may differ ("/units/{pk}")."""
    doc = openapi_document()
    wanted = _template_key(path_template)
    documented = [p for p in doc["paths"] if _template_key(p) == wanted]
    assert documented, f"{path_template} is not in the OpenAPI document"
    path, verb, status = documented[0], method.lower(), str(response.status_code)
    operation = doc["paths"][path].get(verb)
    assert operation is not None, f"{method.upper()} {path} is not documented"
    assert status in operation["responses"], f"{method.upper()} {path} does not document status {status}"
    assert "application/json" in operation["responses"][status].get("content", {}), (
        f"{method.upper()} {path} {status} documents no JSON body"
    )
    segments = ["paths", path, verb, "responses", status, "content", "application/json", "schema"]
    pointer = "/" + "/".join(s.replace("~", "~0").replace("/", "~1") for s in segments)
    registry: Registry[Any] = Registry().with_resource(
        _OPENAPI_URI, Resource.from_contents(doc, default_specification=DRAFT202012)
    )
    validator = Draft202012Validator({"$ref": f"{_OPENAPI_URI}#{quote(pointer)}"}, registry=registry)
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method.upper()} {path} {status} does not match its schema:\n" + "\n".join(
        f"  at {list(e.absolute_path)}: {e.message}" for e in errors[:10]
    )


def _documented_template(method: str, path: str) -> str | None:
    for template, operations in openapi_document()["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template)) + "$"
        if method.lower() in operations and re.match(pattern, path):
            return str(template)
    return None


UNDOCUMENTED = {f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/docs"}
DOCUMENTED_ERRORS = {400, 401, 403, 404, 422}


INLINE = [
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> element"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE), "an inline event handler"),
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.IGNORECASE), "an inline script"),
]


def assert_csp_safe(html: str, where: str) -> None:
    """The page needs nothing our Content-Security-Policy blocks: no inline script, style or
    event handler (data for scripts goes in data-* attributes or JSON script blocks)."""
    for pattern, what in INLINE:
        match = pattern.search(html)
        assert match is None, f"{where} has {what}: …{html[max(match.start() - 60, 0) : match.end() + 60]}…"


def check_every_response(monkeypatch: Any) -> None:
    """From now on in this test, check every response any test client receives: a successful
    /api/v1/ response must match the OpenAPI document (`assert_matches_openapi`), and an HTML
    page must need nothing the CSP blocks (`assert_csp_safe`). The root conftest applies it to
    every test."""
    original = Client.request

    def request(self: Client, **environ: Any) -> Any:
        response = original(self, **environ)
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path.startswith(API_PREFIX + "/"):
            if path in UNDOCUMENTED:
                return response
            template = _documented_template(method, path)
            if response.status_code in DOCUMENTED_ERRORS and template is not None:
                assert_matches_openapi(response, method, template)
            elif 200 <= response.status_code < 300:
                assert template is not None, f"{method} {path} answered {response.status_code} but is not documented"
                assert_matches_openapi(response, method, template)
        elif (
            response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "streaming", False)
            and response.content
        ):
            assert_csp_safe(response.content.decode("utf-8", "replace"), f"{method} {path}")
        return response

    monkeypatch.setattr(Client, "request", request)
