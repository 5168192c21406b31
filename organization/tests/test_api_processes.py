"""/api/v1/processes: the process map as data, filtered by type, level and parent."""

from __future__ import annotations

import pytest
from django.conf import settings

from core.testing import (
    api_patch,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from organization.models import Process
from organization.tests.helpers import process, unit

pytestmark = pytest.mark.django_db


LIST = "/api/v1/processes"


def url(code: str) -> str:
    return f"/api/v1/processes/{process(code).pk}"


def codes(response) -> list[str]:
    return [p["code"] for p in response.json()["items"]]


def test_it_lists_the_processes_in_map_order(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/processes")
    assert response.json()["count"] == Process.objects.count() == 17
    m0101 = next(p for p in response.json()["items"] if p["code"] == "M01.01")
    assert (m0101["type"], m0101["level"], m0101["parent_code"], m0101["owner_unit_code"]) == (
        "mission",
        1,
        "M01",
        "UOP",
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "strategic", "level": 0}, ["E01", "E02", "E03", "E04"]),
        ({"type": "support"}, ["A01", "A02", "A03", "A04"]),
        ({"level": 1, "type": "strategic"}, ["E02.01", "E02.02"]),
    ],
)
def test_it_filters_by_type_and_level(client_as, lector, params, expected):
    response = client_as(lector).get(LIST, params)
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/processes")
    assert sorted(codes(response)) == expected


def test_it_filters_by_parent(client_as, lector):
    response = client_as(lector).get(LIST, {"parent": process("M01").pk})
    assert codes(response) == [f"M01.0{i}" for i in range(1, 7)]
    assert client_as(lector).get(LIST, {"parent": 99999}).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "items": [],
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [({"type": "core"}, "type"), ({"level": "top"}, "level"), ({"level": -1}, "level"), ({"parent": "M01"}, "parent")],
)
def test_it_refuses_a_bad_filter_naming_it(client_as, lector, params, field):
    response = client_as(lector).get(LIST, params)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", field]]


def test_it_shows_one_process(client_as, ut_cusco):
    response = client_as(ut_cusco).get(url("E02.01"))
    assert response.status_code == 200
    assert_matches_openapi(response, "get", "/api/v1/processes/{id}")
    assert response.json()["parent_code"] == "E02" and response.json()["owner_unit_code"] == "UPPM-CMG"


def test_a_person_without_a_role_gets_404(client_as, no_role_user):
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert client.get(url("M01")).status_code == 404
    assert api_patch(client, url("M01"), {"order": 1}).status_code == 404


def test_the_list_has_a_fixed_number_of_queries(client_as, lector, django_assert_num_queries):
    client = client_as(lector)
    with django_assert_num_queries(6):
        client.get(LIST, {"type": "mission"})
    for i in range(10):
        Process.objects.create(
            code=f"M01.{50 + i}",
            name=f"Subproceso {i}",
            type="mission",
            parent=process("M01"),
            owner_unit=unit(["UOP", "UTI"][i % 2]),
        )
    with django_assert_num_queries(6):
        assert client.get(LIST, {"type": "mission"}).json()["count"] == 17


# --- changing ------------------------------------------------------------------------------


def test_a_reference_editor_describes_a_process_with_an_audit_entry(cmg):
    text = "Incorporación de hogares al programa."
    response = api_patch(token_client(cmg), url("M01.01"), {"description": text})
    assert response.status_code == 200
    assert_matches_openapi(response, "patch", "/api/v1/processes/{id}")
    assert process("M01.01").description == text
    event = last_event("organization.process")
    assert event is not None and event.actor_id == cmg.pk and set(event.changes) == {"description"}


def test_moving_a_process_recomputes_its_level(client_as, cmg):
    response = api_patch(client_as(cmg), url("E04"), {"parent": process("E02").pk})
    assert response.status_code == 200
    assert (response.json()["level"], response.json()["parent_code"]) == (1, "E02")
    response = api_patch(client_as(cmg), url("E04"), {"parent": None})
    assert (response.json()["level"], response.json()["parent_code"]) == (0, None)


def test_a_reader_may_not_change_a_process(client_as, lector):
    client = client_as(lector)
    before, events = row(process("M01")), event_count()
    assert api_patch(client, url("M01"), {"name": "Otro"}).status_code == 403
    assert row(process("M01")) == before and event_count() == events


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"parent": 99999}, "parent"),
        ({"owner_unit": 99999}, "owner_unit"),
        ({"type": "core"}, "type"),
        ({"code": "C" * 21}, "code"),
        ({"description": "d" * (settings.SIG_MAX_TEXT + 1)}, "description"),
        ({"name_en": ["Core"]}, "name_en"),
        ({"is_active": None}, "is_active"),
        ({"level": 3}, "level"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(client_as, cmg, body, field):
    client = client_as(cmg)
    before, events = row(process("M01")), event_count()
    response = api_patch(client, url("M01"), body)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(process("M01")) == before and event_count() == events


def test_a_process_cannot_become_its_own_ancestor(client_as, cmg):
    client = client_as(cmg)
    before, events = row(process("M01")), event_count()
    response = api_patch(client, url("M01"), {"parent": process("M01.03").pk})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "parent"]
    assert row(process("M01")) == before and event_count() == events
