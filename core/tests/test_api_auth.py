"""Who may call the API at all: every endpoint needs a valid Bearer token or a session, and a
session write needs the CSRF token, whatever the endpoint. Also the generic input rules every
write shares (malformed JSON, unknown fields)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, RoleAssignment, User
from audit.models import AuditEvent
from catalog.models import Edition, Requirement
from core.testing import (
    api_patch,
    api_post,
    assert_matches_openapi,
    bearer,
    token_client,
    token_for,
)
from organization.models import GlossaryTerm, LegalNorm, ManagementSystem, OrgUnit, Process, Site

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Call:
    method: str
    template: str
    path: Callable[[], str]
    body: Callable[[], dict[str, Any]] | None = None
    ok: int = 200

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.template}"

    def send(self, client: Client, body: Any = None, **extra: Any) -> Any:
        url = "/api/v1" + self.path()
        if self.method == "get":
            return client.get(url, **extra)
        if body is None and self.body is not None:
            body = self.body()
        send = api_patch if self.method == "patch" else api_post
        return send(client, url, body, **extra)


def _pk(model: Any, **lookup: Any) -> int:
    return int(model.objects.get(**lookup).pk)


def _puno_assignment() -> int:
    return int(RoleAssignment.objects.active().get(user__username="ut.puno").pk)


READS = [
    Call("get", "/me", lambda: "/me"),
    Call("get", "/units", lambda: "/units"),
    Call("get", "/units/{pk}", lambda: f"/units/{_pk(OrgUnit, code='UPPM')}"),
    Call("get", "/sites", lambda: "/sites"),
    Call("get", "/sites/{pk}", lambda: f"/sites/{_pk(Site, code='UT-CUS')}"),
    Call("get", "/processes", lambda: "/processes"),
    Call("get", "/processes/{pk}", lambda: f"/processes/{_pk(Process, code='M01.01')}"),
    Call("get", "/management-systems", lambda: "/management-systems"),
    Call("get", "/management-systems/{pk}", lambda: f"/management-systems/{_pk(ManagementSystem, code='SGC')}"),
    Call("get", "/standards", lambda: "/standards"),
    Call("get", "/editions/{pk}", lambda: f"/editions/{_pk(Edition, label='ISO 9001:2015')}"),
    Call("get", "/requirements", lambda: "/requirements"),
    Call(
        "get",
        "/requirements/{pk}",
        lambda: f"/requirements/{_pk(Requirement, edition__label='ISO 9001:2015', number='9.2')}",
    ),
    Call("get", "/legal-norms", lambda: "/legal-norms"),
    Call("get", "/glossary", lambda: "/glossary"),
    Call("get", "/people", lambda: "/people"),
    Call("get", "/people/{pk}", lambda: f"/people/{_pk(User, username='ut.cusco')}"),
    Call("get", "/audit-events", lambda: "/audit-events"),
]

WRITES = [
    Call(
        "patch",
        "/units/{pk}",
        lambda: f"/units/{_pk(OrgUnit, code='UPPM')}",
        lambda: {"name": "Unidad de Planeamiento, Presupuesto y Modernización (API)"},
    ),
    Call("patch", "/sites/{pk}", lambda: f"/sites/{_pk(Site, code='UT-CUS')}", lambda: {"phone": "084 000 000"}),
    Call(
        "patch",
        "/processes/{pk}",
        lambda: f"/processes/{_pk(Process, code='M01.01')}",
        lambda: {"description": "Afiliación de hogares (API)."},
    ),
    Call(
        "patch",
        "/management-systems/{pk}",
        lambda: f"/management-systems/{_pk(ManagementSystem, code='SGC')}",
        lambda: {"certification_body": "Organismo de certificación de prueba"},
    ),
    Call(
        "post",
        "/legal-norms",
        lambda: "/legal-norms",
        lambda: {"kind": "ley", "number": "31999", "year": 2024, "title": "Ley de prueba"},
        ok=201,
    ),
    Call(
        "patch",
        "/legal-norms/{pk}",
        lambda: f"/legal-norms/{_pk(LegalNorm, number='27658')}",
        lambda: {"issuer": "Congreso de la República del Perú"},
    ),
    Call(
        "post",
        "/glossary",
        lambda: "/glossary",
        lambda: {"term": "PAC", "is_acronym": True, "definition": "Plan anual de contrataciones."},
        ok=201,
    ),
    Call(
        "patch",
        "/glossary/{pk}",
        lambda: f"/glossary/{_pk(GlossaryTerm, term='Acta')}",
        lambda: {"source": "Glosario del SIG"},
    ),
    Call(
        "post",
        "/people/{pk}/roles",
        lambda: f"/people/{_pk(User, username='ut.cusco')}/roles",
        lambda: {"role": "reader", "site": _pk(Site, code="UT-CUS"), "valid_from": "2026-01-01"},
        ok=201,
    ),
    Call("post", "/roles/{pk}/revoke", lambda: f"/roles/{_puno_assignment()}/revoke"),
]
WITH_BODY = [c for c in WRITES if c.body is not None]
EVERYTHING = READS + WRITES


def _events() -> int:
    return AuditEvent.objects.count()


# --- credentials ---------------------------------------------------------------------------


@pytest.mark.parametrize("call", EVERYTHING, ids=str)
def test_it_refuses_every_endpoint_without_credentials(client, call):
    before = _events()
    response = call.send(client)
    assert response.status_code == 401
    assert "detail" in response.json()
    assert _events() == before


@pytest.mark.parametrize("call", READS, ids=str)
def test_every_read_answers_a_bearer_token_with_documented_data(cmg, call):
    response = call.send(token_client(cmg))
    assert response.status_code == 200, response.content
    assert_matches_openapi(response, "get", call.template)


@pytest.mark.parametrize("call", WRITES, ids=str)
def test_every_write_accepts_a_bearer_token_without_csrf(platform_admin, call):
    client = token_client(platform_admin)
    before = _events()
    response = call.send(client)
    assert response.status_code == call.ok, response.content
    assert_matches_openapi(response, call.method, call.template)
    assert _events() == before + 1
    assert AuditEvent.objects.order_by("-id")[0].actor_id == platform_admin.pk


@pytest.mark.parametrize("call", EVERYTHING, ids=str)
def test_a_revoked_token_is_refused(cmg, call):
    token = token_for(cmg)
    ApiToken.objects.filter(user=cmg).update(revoked_at=timezone.now())
    before = _events()
    assert call.send(Client(), **bearer(token)).status_code == 401
    assert _events() == before


@pytest.mark.parametrize("call", EVERYTHING, ids=str)
def test_an_expired_token_is_refused(cmg, call):
    token = token_for(cmg)
    ApiToken.objects.filter(user=cmg).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    before = _events()
    assert call.send(Client(), **bearer(token)).status_code == 401
    assert _events() == before


def test_the_token_of_a_deactivated_account_is_refused(cmg):
    token = token_for(cmg)
    User.objects.filter(pk=cmg.pk).update(is_active=False)
    assert Client().get("/api/v1/me", **bearer(token)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer sig_not-a-real-token", "Bearer ", "Token abc", "Basic YWRtaW46eA=="])
def test_an_unknown_or_malformed_authorization_is_refused(header):
    assert Client().get("/api/v1/units", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_token_stays_valid_until_it_expires(cmg):
    token = token_for(cmg)
    ApiToken.objects.filter(user=cmg).update(expires_at=timezone.now() + datetime.timedelta(minutes=1))
    assert Client().get("/api/v1/me", **bearer(token)).json()["username"] == "cmg"


def test_using_a_token_records_when_it_was_last_used(cmg):
    token = token_for(cmg)
    Client().get("/api/v1/me", **bearer(token))
    assert ApiToken.objects.get(user=cmg).last_used_at is not None


# --- sessions and CSRF --------------------------------------------------------------------


def _session(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("call", WRITES, ids=str)
def test_a_session_write_without_the_csrf_token_is_refused(platform_admin, call):
    client = _session(platform_admin)
    before = _events()
    response = call.send(client)
    assert response.status_code == 403
    assert _events() == before


def test_a_session_write_with_the_csrf_token_is_accepted(platform_admin):
    client = _session(platform_admin)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    call = WRITES[0]
    response = call.send(client, HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 200
    assert OrgUnit.objects.get(code="UPPM").name.endswith("(API)")


def test_a_session_read_needs_no_csrf_token(cmg):
    assert _session(cmg).get("/api/v1/units").status_code == 200


# --- input every write shares -------------------------------------------------------------


@pytest.mark.parametrize("call", WITH_BODY, ids=str)
def test_a_malformed_json_body_is_a_400_and_stores_nothing(platform_admin, call):
    client = token_client(platform_admin)
    before = _events()
    response = call.send(client, '{"name": "unterminated')
    assert response.status_code == 400
    assert response.json()["detail"]
    assert _events() == before


@pytest.mark.parametrize("call", WITH_BODY, ids=str)
def test_an_unknown_field_is_a_422_naming_it_and_stores_nothing(platform_admin, call):
    client = token_client(platform_admin)
    before = _events()
    response = call.send(client, {**call.body(), "is_deleted": True})  # type: ignore[misc]
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["is_deleted"]
    assert _events() == before


@pytest.mark.parametrize("call", WITH_BODY, ids=str)
def test_a_body_that_is_not_an_object_is_a_422(platform_admin, call):
    client = token_client(platform_admin)
    before = _events()
    response = call.send(client, [call.body()])  # type: ignore[misc]
    assert response.status_code == 422
    assert _events() == before
