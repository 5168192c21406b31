"""/api/v1/actions: the action items a person may see (committee acuerdos for now), filtered by
kind, status, overdue and responsible; the status is changed by the person responsible or by a
Committee secretary, and closing needs a note."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from actions.models import ActionItem
from committee import services as committee
from core.testing import (
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/actions"


@pytest.fixture
def session(cmg):
    when = timezone.now() - datetime.timedelta(days=30)
    return committee.create_session(data={"number": "API-03-2031", "date": when}, by=cmg)


def agreement(session, by, responsible, days: int = 10, title: str = "Acuerdo") -> ActionItem:
    due = timezone.localdate() + datetime.timedelta(days=days)
    return committee.record_agreement(
        session, title=title, responsible=responsible, due_date=due, by=by, evidence_required=False
    )


@pytest.fixture
def items(session, cmg, ut_cusco, ut_puno, uppm):
    return {
        "cusco_late": agreement(session, cmg, ut_cusco, days=-2, title="Informe de Cusco"),
        "cusco": agreement(session, cmg, ut_cusco, days=20, title="Taller en Cusco"),
        "puno": agreement(session, cmg, ut_puno, days=-1, title="Informe de Puno"),
        "central": agreement(session, cmg, uppm, days=5, title="Actualizar el cronograma"),
    }


def url(item: ActionItem, action: str = "") -> str:
    return f"{LIST}/{item.pk}/{action}" if action else f"{LIST}/{item.pk}"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [i["id"] for i in response.json()["items"]]


def mine(response, items) -> list[str]:
    """The names of `items` in the response, in its order (demo items may be listed too)."""
    names = {i.pk: name for name, i in items.items()}
    return [names[pk] for pk in ids(response) if pk in names]


# --- reading and scoping ------------------------------------------------------------------------


def test_central_roles_see_every_item_soonest_due_first(client_as, lector, items):
    response = client_as(lector).get(LIST)
    assert mine(response, items) == ["cusco_late", "puno", "central", "cusco"]
    item = next(i for i in response.json()["items"] if i["id"] == items["cusco_late"].pk)
    assert (item["kind"], item["status"], item["is_overdue"], item["site_code"]) == (
        "acuerdo",
        "pending",
        True,
        "UT-CUS",
    )
    assert (item["number"], item["source_type"]) == ("API-03-2031-01", "committee.session")


def test_a_ut_head_sees_only_their_uts_items(client_as, ut_cusco, items):
    client = client_as(ut_cusco)
    response = client.get(LIST)
    assert {i["site_code"] for i in response.json()["items"]} == {"UT-CUS"}
    assert mine(response, items) == ["cusco_late", "cusco"]
    assert client.get(url(items["cusco"])).status_code == 200
    assert client.get(url(items["puno"])).status_code == 404
    assert api_post(client, url(items["puno"], "status"), {"status": "in_progress"}).status_code == 404


def test_a_person_without_a_role_gets_404(client_as, no_role_user, items):
    client = client_as(no_role_user)
    assert client.get(LIST).status_code == 404
    assert client.get(url(items["central"])).status_code == 404
    assert api_post(client, url(items["central"], "status"), {"status": "in_progress"}).status_code == 404


def test_it_filters_by_kind_status_overdue_responsible_and_unit(client_as, cmg, ut_cusco, items):
    client = client_as(cmg)
    committee_set = {"kind": "acuerdo"}
    assert mine(client.get(LIST, {**committee_set, "overdue": True}), items) == ["cusco_late", "puno"]
    assert mine(client.get(LIST, {"responsible": ut_cusco.pk}), items) == ["cusco_late", "cusco"]
    assert mine(client.get(LIST, {"unit": ut_cusco.unit_id}), items) == ["cusco_late", "cusco"]
    ActionItem.objects.filter(pk=items["central"].pk).update(status="done")
    assert "central" not in mine(client.get(LIST, {"status": "open"}), items)
    assert mine(client.get(LIST, {"status": "done"}), items) == ["central"]
    assert client.get(LIST, {"status": "closed"}).status_code == 422
    assert client.get(LIST, {"kind": "risk"}).status_code == 422


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, ut_cusco, session, django_assert_num_queries):
    agreement(session, cmg, ut_cusco)
    clients = [client_as(cmg), client_as(ut_cusco)]
    for client in clients:
        with django_assert_num_queries(5):
            client.get(LIST)
    before = [client.get(LIST).json()["count"] for client in clients]
    for n in range(10):
        agreement(session, cmg, ut_cusco if n % 2 else cmg, days=n)
    for client, count in zip(clients, before, strict=True):
        with django_assert_num_queries(5):
            assert client.get(LIST).json()["count"] > count


# --- changing the status ------------------------------------------------------------------------


def test_the_person_responsible_moves_their_item_forward_with_a_bearer_token(ut_cusco, items):
    client = token_client(ut_cusco)
    events = event_count()
    response = api_post(client, url(items["cusco"], "status"), {"status": "in_progress"})
    assert response.status_code == 200
    assert_matches_openapi(response, "post", "/api/v1/actions/{pk}/status")
    assert ActionItem.objects.get(pk=items["cusco"].pk).status == "in_progress"
    event = last_event("actions.actionitem")
    assert event_count() == events + 1 and event.changes["status"] == ["pending", "in_progress"]


def test_a_committee_secretary_closes_an_item_with_a_note(client_as, cmg, items):
    response = api_post(
        client_as(cmg), url(items["puno"], "status"), {"status": "done", "note": "Informe N.° 3 remitido."}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["closed_on"], body["closing_note"]) == (
        "done",
        timezone.localdate().isoformat(),
        "Informe N.° 3 remitido.",
    )
    assert (body["is_open"], body["is_overdue"]) == (False, False)


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"status": "done"}, "note", 400),  # closing needs a note
        ({"status": "done", "note": "  "}, "note", 400),
        ({"status": "pending"}, "status", 400),  # already pending
        ({"status": "finished"}, "status", 422),
        ({"note": "Sin estado"}, "status", 422),
    ],
)
def test_a_bad_status_change_names_the_field_and_stores_nothing(client_as, ut_cusco, items, body, field, status):
    client = client_as(ut_cusco)
    before, events = row(items["cusco"]), event_count()
    response = api_post(client, url(items["cusco"], "status"), body)
    assert response.status_code == status
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert row(items["cusco"]) == before and event_count() == events


def test_the_person_responsible_cannot_cancel_an_acuerdo_only_its_managers_can(client_as, ut_cusco, cmg, items):
    client = client_as(ut_cusco)
    before, events = row(items["cusco"]), event_count()
    response = api_post(client, url(items["cusco"], "status"), {"status": "cancelled", "note": "No aplica."})
    assert response.status_code == 403
    assert row(items["cusco"]) == before and event_count() == events
    response = api_post(client_as(cmg), url(items["cusco"], "status"), {"status": "cancelled", "note": "No aplica."})
    assert response.status_code == 200 and response.json()["closed_by_name"] == cmg.get_full_name()


def test_a_closed_item_stays_closed(client_as, cmg, items):
    client = client_as(cmg)
    api_post(client, url(items["central"], "status"), {"status": "cancelled", "note": "Ya no aplica."})
    before, events = row(items["central"]), event_count()
    response = api_post(client, url(items["central"], "status"), {"status": "in_progress"})
    assert response.status_code == 400 and row(items["central"]) == before and event_count() == events


@pytest.mark.parametrize("persona", ["lector", "tecnico", "auditor"])
def test_other_central_roles_read_but_may_not_change_the_status(client_as, request, items, persona):
    client = client_as(request.getfixturevalue(persona))
    assert client.get(url(items["central"])).status_code == 200
    before, events = row(items["central"]), event_count()
    assert api_post(client, url(items["central"], "status"), {"status": "in_progress"}).status_code == 403
    assert row(items["central"]) == before and event_count() == events


def test_a_ut_head_follows_an_item_of_their_ut_assigned_to_someone_else_but_cannot_cancel_it(
    client_as, ut_cusco, ut_puno, items
):
    ActionItem.objects.filter(pk=items["cusco"].pk).update(responsible=None)
    client = client_as(ut_cusco)
    assert api_post(client, url(items["cusco"], "status"), {"status": "in_progress"}).status_code == 200
    before, events = row(items["cusco"]), event_count()
    assert api_post(client, url(items["cusco"], "status"), {"status": "cancelled", "note": "x"}).status_code == 403
    assert row(items["cusco"]) == before and event_count() == events
    # the head of another UT does not even see it
    assert api_post(client_as(ut_puno), url(items["cusco"], "status"), {"status": "done"}).status_code == 404
