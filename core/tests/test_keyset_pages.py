"""Pages past the count cap follow the last key seen (`?after=`), for the audit trail and the
master list of documents, on the page and over the API: the same rows in the same order as the
numbered (offset) pages, the first pages keep their numbers, a bad key is refused naming the
field, and a page read by key costs no more queries than a numbered one. The cap is patched small
so that a test dataset crosses it."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction

from accounts.services import issue_token
from audit import views as audit_views
from audit.access import audit_events_visible_to
from audit.services import Subject, record
from core import api_helpers
from core.pagination import CappedPaginator
from core.testing import bearer
from documents import views as document_views
from documents.access import documents_visible_to
from documents.tests.page_support import draft

pytestmark = pytest.mark.django_db
CAP = 12
PROBE = "keysetprobe"
NEXT = re.compile(r'<a href="\?([^"]*)"[^>]*>[^<]*»</a>')


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CappedPaginator, "cap", CAP)
    monkeypatch.setattr(api_helpers, "COUNT_CAP", CAP)
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 5)
    monkeypatch.setattr(document_views, "PAGE_SIZE", 5)


def _probes(cmg: Any, n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            record(actor=cmg, action="update", obj=Subject("test.thing", str(i), f"{PROBE} {i}"), changes={"i": i})


def _walk(client: Any, path: str, params: dict[str, str], row: re.Pattern[str]) -> tuple[list[str], list[str]]:
    """Follow the "Next" links from the first page: the rows in order, and each link's query."""
    rows: list[str] = []
    links: list[str] = []
    response = client.get(path, params)
    while True:
        assert response.status_code == 200
        html = response.content.decode()
        rows += row.findall(html)
        found = NEXT.search(html)
        if found is None:
            return rows, links
        query = unescape(found.group(1))
        links.append(query)
        response = client.get(f"{path}?{query}")


def _numbered(client: Any, path: str, params: dict[str, str], row: re.Pattern[str], pages: int) -> list[str]:
    """The rows of pages 1..pages by number (offsets), as before keyset pages existed."""
    out: list[str] = []
    for number in range(1, pages + 1):
        response = client.get(path, {**params, "page": number})
        assert response.status_code == 200
        out += row.findall(response.content.decode())
    return out


def test_the_audit_trail_past_the_cap_follows_the_last_id_and_lists_what_offsets_list(
    client_as: Any, cmg: Any, small_cap: None
) -> None:
    _probes(cmg, 31)
    client = client_as(cmg)
    row = re.compile(r'href="/auditoria/(\d+)/"')
    rows, links = _walk(client, "/auditoria/", {"q": PROBE}, row)
    expected = [
        str(pk) for pk in audit_events_visible_to(cmg).filter(object_repr__contains=PROBE).values_list("pk", flat=True)
    ]
    assert len(expected) == 31
    assert rows == expected  # newest first, each once
    assert rows == _numbered(client, "/auditoria/", {"q": PROBE}, row, 7)
    # The first pages keep their numbers; from the page that reaches the cap on, the last id.
    assert [("page" in q, "after" in q) for q in links] == [(True, False)] * 2 + [(False, True)] * 4
    assert parse_qs(links[2])["after"] == [rows[14]] and parse_qs(links[2])["q"] == [PROBE]


def test_the_master_list_past_the_cap_follows_the_last_code(client_as: Any, cmg: Any, small_cap: None) -> None:
    for n in range(12):
        draft(cmg, f"Guía {n}", type_code="G")
    client = client_as(cmg)
    row = re.compile(r'href="/documentos/(\d+)/"')
    rows, links = _walk(client, "/documentos/", {}, row)
    expected = [str(pk) for pk in documents_visible_to(cmg).order_by("code").values_list("pk", flat=True)]
    assert len(expected) > CAP + 5
    assert rows == expected
    pages = -(-len(expected) // 5)
    assert rows == _numbered(client, "/documentos/", {}, row, pages)
    assert any("after=" in q for q in links) and "page=2" in links[0]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("/auditoria/", "abc"),
        ("/auditoria/", "0"),
        ("/auditoria/", "-3"),
        ("/auditoria/", "9" * 30),
        ("/auditoria/", ""),
        ("/documentos/", ""),
        ("/documentos/", "X" * 101),
    ],
)
def test_a_bad_key_is_a_400_naming_the_field(client_as: Any, cmg: Any, path: str, value: str) -> None:
    response = client_as(cmg).get(path, {"after": value})
    assert response.status_code == 400
    assert "after" in response.content.decode()


def test_a_key_page_costs_no_more_queries_than_a_numbered_one(
    client_as: Any, cmg: Any, small_cap: None, django_assert_max_num_queries: Any
) -> None:
    _probes(cmg, 31)
    client = client_as(cmg)
    client.get("/auditoria/")
    with django_assert_max_num_queries(5) as numbered:
        client.get("/auditoria/", {"q": PROBE, "page": 2})
    with django_assert_max_num_queries(len(numbered.captured_queries)):
        client.get("/auditoria/", {"q": PROBE, "after": "999999"})
    client.get("/documentos/")
    with django_assert_max_num_queries(10) as numbered:
        client.get("/documentos/", {"page": 2})
    with django_assert_max_num_queries(len(numbered.captured_queries)):
        client.get("/documentos/", {"after": "JUNTOS"})


def _api_walk(client: Any, url: str, token: str) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    links: list[str] = []
    while url:
        response = client.get(url, **bearer(token))
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        url = body["next"]
        if url:
            links.append(url)
    return ids, links


def test_the_api_next_links_carry_the_key_past_the_cap(client: Any, cmg: Any, small_cap: None) -> None:
    _probes(cmg, 31)
    for n in range(8):
        draft(cmg, f"Guía {n}", type_code="G")
    token = issue_token(cmg, by="test")
    ids, links = _api_walk(client, f"/api/v1/audit-events?q={PROBE}&limit=5", token)
    expected = list(audit_events_visible_to(cmg).filter(object_repr__contains=PROBE).values_list("pk", flat=True))
    assert ids == expected
    assert ["after" in parse_qs(urlsplit(u).query) for u in links] == [False, False, True, True, True, True]
    offsets = []
    for offset in range(0, 31, 5):
        response = client.get(f"/api/v1/audit-events?q={PROBE}&limit=5&offset={offset}", **bearer(token))
        offsets += [item["id"] for item in response.json()["items"]]
    assert offsets == ids
    ids, links = _api_walk(client, "/api/v1/documents?limit=5", token)
    assert ids == list(documents_visible_to(cmg).order_by("code", "pk").values_list("pk", flat=True))
    assert any("after" in parse_qs(urlsplit(u).query) for u in links)


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "9" * 30])
def test_a_bad_api_key_is_refused_naming_the_field(client: Any, cmg: Any, value: str) -> None:
    token = issue_token(cmg, by="test")
    response = client.get("/api/v1/audit-events", {"after": value}, **bearer(token))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "after"
    response = client.get("/api/v1/audit-events", {"after": "5", "offset": 10}, **bearer(token))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "offset"
