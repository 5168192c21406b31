"""Every register counts at most COUNT_CAP rows (core.pagination) and shows exactly the rows,
in the same order and scope, as it did with exact counts: each page is rendered with the cap at
its normal value and at 1 (every list then "longer than the cap"), and the rows compared."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core import api_helpers
from core.pagination import CappedPaginator

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'<tr[^>]*>\s*<td[^>]*>\s*<a href="([^"]+)"')


def rows(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return ROW_LINK.findall(response.content.decode()), response.content.decode()


@pytest.mark.parametrize(
    ("url", "persona", "params"),
    [
        (reverse("audit:event_list"), "auditor", {}),
        (reverse("audit:event_list"), "auditor", {"action": "login"}),
        (reverse("accounts:person_list"), "cmg", {}),
        (reverse("accounts:person_list"), "ut_cusco", {}),
        (reverse("accounts:person_list"), "cmg", {"q": "a"}),
        (reverse("documents:document_list"), "cmg", {}),
        (reverse("actions:item_list"), "cmg", {}),
    ],
)
def test_a_capped_count_leaves_the_rows_as_they_were(request, client_as, monkeypatch, url, persona, params):
    client = client_as(request.getfixturevalue(persona))
    for _ in range(3):  # a few audit entries and sessions
        client.get(url, params)
    exact, _ = rows(client, url, params)
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    capped, html = rows(client, url, params)
    assert capped == exact
    if len(exact) > 1:
        assert "Página 1</span>" in html or "Page 1</span>" in html


def test_the_api_counts_up_to_the_cap_and_still_links_the_next_page(client_as, cmg, monkeypatch):
    client = client_as(cmg)
    full = client.get("/api/v1/people", {"limit": 2}).json()
    assert full["count"] > 3
    monkeypatch.setattr(api_helpers, "COUNT_CAP", 3)
    first = client.get("/api/v1/people", {"limit": 2}).json()
    assert first["count"] == 4 and first["items"] == full["items"] and first["next"]
    deep = client.get("/api/v1/people", {"limit": 2, "offset": 2}).json()
    assert deep["count"] == full["count"]  # this page reaches past the cap: exact
    assert deep["items"] == client.get("/api/v1/people", {"limit": 2, "offset": 2}).json()["items"]
