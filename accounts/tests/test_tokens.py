"""API tokens are listed and revoked one by one by their owner and by an administrator (issue 7,
point 11): GET /api/v1/tokens, POST /api/v1/tokens/{id}/revoke, the page /cuenta/tokens/ and
`./sig token USER --list / --revoke ID`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import ApiToken
from core.testing import api_post, assert_matches_openapi, bearer, last_event, token_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/tokens"


def _token(raw: str) -> ApiToken:
    return ApiToken.objects.get(key_hash=ApiToken.hash_key(raw))


def test_the_owner_lists_only_their_own_tokens(client, cmg, lector):
    mine, theirs = token_for(cmg), token_for(lector)
    response = client.get(LIST, **bearer(mine))
    assert response.status_code == 200
    assert_matches_openapi(response, "get", LIST)
    ids = {t["id"] for t in response.json()["items"]}
    assert _token(mine).pk in ids and _token(theirs).pk not in ids
    assert all(t["username"] == "cmg" for t in response.json()["items"])
    assert "key_hash" not in response.json()["items"][0]


def test_an_administrator_lists_everyones_tokens_and_filters_by_person(client_as, platform_admin, lector):
    raw = token_for(lector)
    response = client_as(platform_admin).get(LIST, {"user": lector.pk})
    assert [t["id"] for t in response.json()["items"]] == [_token(raw).pk]


def test_the_owner_revokes_a_token_and_it_stops_working_at_once(client, cmg):
    raw = token_for(cmg)
    other = token_for(cmg)
    response = api_post(client, f"/api/v1/tokens/{_token(raw).pk}/revoke", **bearer(other))
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None and response.json()["is_active"] is False
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
    assert client.get("/api/v1/me", **bearer(other)).status_code == 200
    event = last_event("accounts.apitoken")
    assert event.action == "state" and event.actor == cmg


def test_an_administrator_revokes_another_persons_token(client_as, platform_admin, lector):
    raw = token_for(lector)
    assert api_post(client_as(platform_admin), f"/api/v1/tokens/{_token(raw).pk}/revoke").status_code == 200
    assert _token(raw).revoked_at is not None


@pytest.mark.parametrize("persona", ["cmg", "auditor", "ut_cusco", "no_role_user"])
def test_nobody_else_sees_or_revokes_a_token(client_as, request, persona, lector):
    raw = token_for(lector)
    client = client_as(request.getfixturevalue(persona))
    assert _token(raw).pk not in {t["id"] for t in client.get(LIST).json()["items"]}
    assert api_post(client, f"/api/v1/tokens/{_token(raw).pk}/revoke").status_code == 404
    assert _token(raw).revoked_at is None


def test_revoking_twice_is_a_400(client_as, cmg):
    pk = _token(token_for(cmg)).pk
    client = client_as(cmg)
    assert api_post(client, f"/api/v1/tokens/{pk}/revoke").status_code == 200
    assert api_post(client, f"/api/v1/tokens/{pk}/revoke").status_code == 400


def test_the_page_lists_and_revokes(client_as, cmg):
    raw = token_for(cmg)
    token = _token(raw)
    client = client_as(cmg)
    page = client.get("/cuenta/tokens/")
    assert page.status_code == 200 and f"sig_{token.prefix}".encode() in page.content
    assert client.post(f"/cuenta/tokens/{token.pk}/revocar/").status_code == 302
    assert _token(raw).revoked_at is not None


def test_the_command_lists_and_revokes(cmg):
    raw = token_for(cmg)
    token = _token(raw)
    out = io.StringIO()
    call_command("api_token", "cmg", "--list", stdout=out)
    assert f"sig_{token.prefix}" in out.getvalue() and "active" in out.getvalue()
    call_command("api_token", "cmg", "--revoke", str(token.pk), stdout=io.StringIO())
    assert _token(raw).revoked_at is not None
