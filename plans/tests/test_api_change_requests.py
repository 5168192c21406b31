"""/api/v1/plans/{id}/change-requests and /api/v1/change-requests/{id}/…: the §13 change
procedure — the coordinator proposes, the Comité del SIG reviews it in a session, the Director
approves (new version with its change-control row) or rejects, and the oficio to the DGCGPS and
the memorando múltiple are recorded."""

from __future__ import annotations

import pytest
from django.utils import timezone

from committee.services import create_session
from core.testing import (
    api_post,
    assert_matches_openapi,
    event_count,
    last_event,
    row,
    token_client,
)
from plans import services
from plans.models import ChangeRequest, PlanChangeEntry, PlanVersion
from plans.tests.api_support import A_CHANGE, add_activity, approve, approved_plan, fresh, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cmg, direccion):
    return approved_plan(cmg, direccion)


@pytest.fixture
def session(cmg):
    return create_session(data={"number": "API-02-2031", "date": timezone.now()}, by=cmg)


def listing(plan) -> str:
    return f"/api/v1/plans/{plan.pk}/change-requests"


def url(cr: ChangeRequest, action: str = "") -> str:
    return f"/api/v1/change-requests/{cr.pk}/{action}" if action else f"/api/v1/change-requests/{cr.pk}"


def propose(plan, by, **extra) -> ChangeRequest:
    data = {
        "reason": "Reprogramar la auditoría interna.",
        "supporting_report": "Informe N.° 015-2031",
        "changes": A_CHANGE,
        **extra,
    }
    return services.propose_change(plan, data=data, by=by)


def reviewed(plan, cmg, session) -> ChangeRequest:
    cr = propose(plan, cmg)
    return services.record_committee_review(cr, session=session, opinion="Conforme.", by=cmg)


def test_the_whole_procedure_gives_a_new_version_with_its_change_control_row(client_as, cmg, direccion, plan, session):
    coordinator, director = client_as(cmg), client_as(direccion)
    body = {
        "reason": "Reprogramar la auditoría interna por el estado de emergencia.",
        "affected_sections": "§8 Cronograma",
        "supporting_report": "Informe N.° 015-2031-MIDIS/PNADP-UPPM",
        "changes": A_CHANGE,
    }
    response = api_post(coordinator, listing(plan), body)
    assert response.status_code == 201
    assert_matches_openapi(response, "post", "/api/v1/plans/{pk}/change-requests")
    cr = ChangeRequest.objects.get(pk=response.json()["id"])
    assert (cr.status, cr.proposed_by_id) == ("proposed", cmg.pk)

    response = api_post(coordinator, url(cr, "committee-review"), {"session_id": session.pk, "opinion": "Conforme."})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["committee_session_number"]) == (
        "committee_reviewed",
        "API-02-2031",
    )

    response = api_post(director, url(cr, "decide"), {"approve": True, "resolution": "RDE N.° 050-2031", "note": ""})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["resulting_version"]) == ("approved", 2)
    assert fresh(plan).version == 2
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]
    row_v2 = PlanChangeEntry.objects.get(plan=plan, version=2)
    assert row_v2.justification.startswith("Reprogramar la auditoría")

    body = {"oficio": "Oficio N.° 120-2031-MIDIS/PNADP-DE", "memorando": "Memorando Múltiple N.° 030-2031"}
    response = api_post(coordinator, url(cr, "communications"), body)
    assert response.status_code == 200
    assert (response.json()["oficio_dgcgps"], response.json()["memorando_multiple"]) == tuple(body.values())
    assert client_as(direccion).get(f"/api/v1/plans/{plan.pk}/versions/1").status_code == 200


def test_the_director_may_reject_a_reviewed_request(client_as, cmg, direccion, plan, session):
    cr = reviewed(plan, cmg, session)
    response = api_post(client_as(direccion), url(cr, "decide"), {"approve": False, "note": "No procede."})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_note"]) == ("rejected", "No procede.")
    assert fresh(plan).version == 1


def test_it_lists_a_plans_requests_newest_first_to_any_role(client_as, cmg, ut_cusco, plan):
    first = propose(plan, cmg)
    second = propose(plan, cmg, reason="Incluir una actividad.")
    response = client_as(ut_cusco).get(listing(plan))
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["items"]] == [second.pk, first.pk]
    assert client_as(ut_cusco).get(url(first)).json()["supporting_report"] == "Informe N.° 015-2031"


def test_a_ut_sees_only_the_affected_activities_that_involve_it(client_as, cmg, direccion, ut_cusco):
    plan = make_plan(cmg)
    cusco = add_activity(plan, "1.1", by=cmg, sites=("UT-CUS",))
    central = add_activity(plan, "1.2", by=cmg)
    approve(plan, cmg, direccion)
    cr = propose(plan, cmg, affected_activities=[cusco, central])
    assert client_as(cmg).get(url(cr)).json()["affected_activity_ids"] == [cusco.pk, central.pk]
    assert client_as(ut_cusco).get(url(cr)).json()["affected_activity_ids"] == [cusco.pk]


def test_the_list_has_a_fixed_number_of_queries(client_as, cmg, direccion, lector, django_assert_num_queries):
    plan = make_plan(cmg)
    activity = add_activity(plan, "1.1", by=cmg)
    approve(plan, cmg, direccion)
    propose(plan, cmg, affected_activities=[activity])
    client = client_as(lector)
    # +2 with proposed changes: the plan's activities and budget tasks, read once for every diff
    with django_assert_num_queries(9):
        client.get(listing(plan))
    for _n in range(10):
        propose(plan, cmg, affected_activities=[activity])
    with django_assert_num_queries(9):
        assert client.get(listing(plan)).json()["count"] == 11


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"reason": " "}, "reason", 400),
        ({"supporting_report": ""}, "supporting_report", 400),
        ({"affected_activities": [999999]}, "affected_activities", 422),
        ({"reason": None}, "reason", 422),
    ],
)
def test_bad_proposals_name_the_field_and_store_nothing(client_as, cmg, plan, body, field, status):
    client = client_as(cmg)
    events, count = event_count(), ChangeRequest.objects.count()
    full = {"reason": "Cambiar el cronograma.", "supporting_report": "Informe N.° 1", "changes": A_CHANGE, **body}
    response = api_post(client, listing(plan), full)
    assert response.status_code == status
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]
    assert event_count() == events and ChangeRequest.objects.count() == count


def test_changes_are_requested_only_on_an_approved_plan(client_as, cmg):
    draft_plan = make_plan(cmg, year=2038)
    client = client_as(cmg)
    count = ChangeRequest.objects.count()
    response = api_post(
        client, listing(draft_plan), {"reason": "Cambio.", "supporting_report": "Informe 1", "changes": A_CHANGE}
    )
    assert response.status_code == 400 and ChangeRequest.objects.count() == count


def test_the_director_decides_only_after_the_committee_review(client_as, cmg, direccion, plan):
    cr = propose(plan, cmg)
    client = client_as(direccion)
    before, events = row(cr), event_count()
    response = api_post(client, url(cr, "decide"), {"approve": True, "resolution": "RDE 1"})
    assert response.status_code == 400
    assert row(cr) == before and event_count() == events and fresh(plan).version == 1


def test_approval_needs_the_resolution(client_as, cmg, direccion, plan, session):
    cr = reviewed(plan, cmg, session)
    client = client_as(direccion)
    before, events = row(cr), event_count()
    response = api_post(client, url(cr, "decide"), {"approve": True, "resolution": ""})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "resolution"]
    assert row(cr) == before and event_count() == events and fresh(plan).version == 1


def test_a_review_needs_a_session_the_reviewer_can_see(client_as, cmg, plan):
    cr = propose(plan, cmg)
    client = client_as(cmg)
    before, events = row(cr), event_count()
    response = api_post(client, url(cr, "committee-review"), {"session_id": 999999, "opinion": ""})
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["session_id"]
    assert row(cr) == before and event_count() == events


@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "auditor"])
def test_other_roles_may_not_take_any_step(client_as, request, cmg, plan, session, persona):
    cr = propose(plan, cmg)
    client = client_as(request.getfixturevalue(persona))
    before, events, count = row(cr), event_count(), ChangeRequest.objects.count()
    assert (
        api_post(
            client, listing(plan), {"reason": "Cambio.", "supporting_report": "Informe", "changes": A_CHANGE}
        ).status_code
        == 403
    )
    assert api_post(client, url(cr, "committee-review"), {"session_id": session.pk}).status_code == 403
    assert api_post(client, url(cr, "decide"), {"approve": False}).status_code == 403
    assert api_post(client, url(cr, "communications"), {"oficio": "1"}).status_code == 403
    assert row(cr) == before and event_count() == events and ChangeRequest.objects.count() == count


def test_only_the_director_decides(client_as, cmg, uppm, plan, session):
    cr = reviewed(plan, cmg, session)
    for persona in (cmg, uppm):
        assert (
            api_post(client_as(persona), url(cr, "decide"), {"approve": True, "resolution": "RDE"}).status_code == 403
        )
    assert fresh(cr).status == "committee_reviewed"


def test_communications_are_recorded_only_for_an_approved_change(client_as, cmg, plan):
    cr = propose(plan, cmg)
    client = client_as(cmg)
    events = event_count()
    assert api_post(client, url(cr, "communications"), {"oficio": "Oficio 1", "memorando": "MM 1"}).status_code == 400
    assert fresh(cr).oficio_dgcgps == "" and event_count() == events


def test_a_person_without_a_role_gets_404(client_as, cmg, no_role_user, plan):
    cr = propose(plan, cmg)
    client = client_as(no_role_user)
    assert client.get(listing(plan)).status_code == 404
    assert client.get(url(cr)).status_code == 404
    assert api_post(client, url(cr, "decide"), {"approve": False}).status_code == 404


def test_the_coordinator_proposes_with_a_bearer_token(cmg, plan):
    response = api_post(
        token_client(cmg), listing(plan), {"reason": "Cambio.", "supporting_report": "Informe 2", "changes": A_CHANGE}
    )
    assert response.status_code == 201
    assert last_event("plans.changerequest").action == "create"
