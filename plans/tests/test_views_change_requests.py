"""Change requests (§13) through the pages: the coordinator proposes, the Committee's review is
recorded with its session, the Director approves (new version with its change-control row, the
earlier version still readable) or rejects, and the oficio and memorando múltiple are recorded."""

from __future__ import annotations

import pytest

from plans import services
from plans.models import ChangeRequest, Plan, PlanChangeEntry, PlanVersion
from plans.tests.api_support import A_CHANGE
from plans.tests.page_support import (
    add_activity,
    approve,
    cr_url,
    events,
    find,
    find_all,
    fresh,
    has_field_error,
    plan,
    plan_url,
    session,
    text_of,
)

pytestmark = pytest.mark.django_db

RDE = "RDE N.° 077-2041-MIDIS/PNADP-DE"


@pytest.fixture
def approved_plan(cmg, direccion):
    p = plan(cmg)
    add_activity(p, "3.10", by=cmg, stage=3)
    return approve(p, cmg, direccion)


def editor_data(p, **rows) -> dict:
    """The change editor's formsets: no change unless `rows` fills some (reschedule-0-…)."""
    n_tasks = p.budget_tasks.count()
    return {
        "reschedule-TOTAL_FORMS": "3",
        "reschedule-INITIAL_FORMS": "0",
        "new-TOTAL_FORMS": "2",
        "new-INITIAL_FORMS": "0",
        "budget-TOTAL_FORMS": str(n_tasks),
        "budget-INITIAL_FORMS": str(n_tasks),
        **rows,
    }


def propose(client, p, **overrides):
    activity = p.activities.get(code="3.10")
    data = {
        "reason": "Reprogramación de la auditoría externa por el estado de emergencia.",
        "affected_sections": "12.4, Anexo 01",
        "affected_activities": [activity.pk],
        "supporting_report": "Informe 114-2041-MIDIS/PNADP-UPPM-CMG",
        **editor_data(
            p,
            **{
                "reschedule-0-activity": activity.pk,
                "reschedule-0-planned_start": "2041-09-01",
                "reschedule-0-planned_end": "2041-10-31",
            },
        ),
    }
    data.update(overrides)
    return client.post(plan_url(p, "change_request_create"), {k: v for k, v in data.items() if v is not None})


def test_the_whole_flow_through_the_pages(client_as, cmg, direccion, approved_plan):
    coordinator, director = client_as(cmg), client_as(direccion)
    acta = session(cmg, "05-2041")
    # 1. the coordinator proposes
    response = propose(coordinator, approved_plan)
    assert response.status_code == 302
    cr = ChangeRequest.objects.get(plan=approved_plan)
    assert response["Location"] == cr_url(cr)
    assert [a.code for a in cr.affected_activities.all()] == ["3.10"]
    # 2. the Committee's review is recorded with the session
    response = coordinator.post(
        cr_url(cr, "change_request_review"), {"review-session": acta.pk, "review-opinion": "Conforme."}
    )
    assert response.status_code == 302
    assert (fresh(cr).status, fresh(cr).committee_session) == (ChangeRequest.Status.COMMITTEE_REVIEWED, acta)
    # 3. the Director approves citing the RDE
    data = {"decision-decision": "approve", "decision-resolution": RDE, "decision-decided_on": "2041-08-02"}
    assert director.post(cr_url(cr, "change_request_decide"), data).status_code == 302
    p = fresh(approved_plan)
    assert (p.version, p.approving_resolution) == (2, RDE)
    assert PlanVersion.objects.filter(plan=p, number=2).exists()
    # exactly the proposed change was applied: 3.10's new dates, in the snapshot of version 02 too
    moved = p.activities.get(code="3.10")
    assert (moved.planned_start.isoformat(), moved.planned_end.isoformat()) == ("2041-09-01", "2041-10-31")
    snapshot = PlanVersion.objects.get(plan=p, number=2).snapshot
    assert any(
        a["code"] == "3.10" and a["planned_start"] == "2041-09-01"
        for st in snapshot["stages"]
        for a in st["activities"]
    )
    # the change-control row of version 02 is on the plan page
    html = coordinator.get(plan_url(p)).content
    row = find(find(html, "table", data_testid="change-control"), "tr", data_version="02")
    assert "Informe 114-2041-MIDIS/PNADP-UPPM-CMG" in text_of(row)
    assert find(html, "dd", data_testid="plan-version").children == ["02"]
    # version 01 stays readable as it was approved
    v1 = coordinator.get(plan_url(p, "plan_version", 1))
    assert v1.status_code == 200
    assert find(v1.content, "span", data_testid="snapshot-version").children == ["v01"]
    assert find(v1.content, "dd", data_testid="snapshot-resolution").children == ["RDE N.° 010-2041"]
    assert coordinator.get(plan_url(p, "plan_version", 2)).status_code == 200
    # 4. the communications are recorded
    response = coordinator.post(
        cr_url(cr, "change_request_communications"),
        {
            "communications-oficio": "Oficio 321-2041-MIDIS/PNADP-DE",
            "communications-memorando": "Memorando Múltiple 045-2041",
        },
    )
    assert response.status_code == 302
    page = coordinator.get(cr_url(cr)).content
    assert find(page, "dd", data_testid="cr-oficio").children == ["Oficio 321-2041-MIDIS/PNADP-DE"]
    assert find(page, "dd", data_testid="cr-memorando").children == ["Memorando Múltiple 045-2041"]


def test_the_director_rejects_with_a_note_and_the_version_stays(client_as, cmg, direccion, approved_plan):
    cr = services.propose_change(
        approved_plan, data={"reason": "x", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    services.record_committee_review(cr, session=session(cmg), opinion="", by=cmg)
    client = client_as(direccion)
    response = client.post(cr_url(cr, "change_request_decide"), {"decision-decision": "reject"})
    assert response.status_code == 400 and response.context["decision_form"].errors.get("note")
    response = client.post(
        cr_url(cr, "change_request_decide"), {"decision-decision": "reject", "decision-note": "No procede."}
    )
    assert response.status_code == 302
    assert fresh(cr).status == ChangeRequest.Status.REJECTED and fresh(approved_plan).version == 1
    assert not PlanChangeEntry.objects.filter(plan=approved_plan, version=2).exists()


def test_approval_without_the_rde_is_refused(client_as, cmg, direccion, approved_plan):
    cr = services.propose_change(
        approved_plan, data={"reason": "x", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    services.record_committee_review(cr, session=session(cmg), opinion="", by=cmg)
    client = client_as(direccion)
    before = events()
    response = client.post(
        cr_url(cr, "change_request_decide"), {"decision-decision": "approve", "decision-resolution": " "}
    )
    assert response.status_code == 400
    assert find_all(response.content, "div", id="id_decision-resolution_error")
    assert fresh(approved_plan).version == 1 and events() == before


def test_only_the_director_decides(client_as, cmg, uppm, lector, approved_plan):
    cr = services.propose_change(
        approved_plan, data={"reason": "x", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    services.record_committee_review(cr, session=session(cmg), opinion="", by=cmg)
    data = {"decision-decision": "approve", "decision-resolution": RDE}
    for user in (cmg, uppm, lector):
        assert client_as(user).post(cr_url(cr, "change_request_decide"), data).status_code == 403
    assert fresh(cr).status == ChangeRequest.Status.COMMITTEE_REVIEWED
    assert not find_all(client_as(cmg).get(cr_url(cr)).content, "form", data_testid="decision-form")


def test_the_director_cannot_decide_before_the_committee_reviews(client_as, cmg, direccion, approved_plan):
    cr = services.propose_change(
        approved_plan, data={"reason": "x", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    client = client_as(direccion)
    before = events()
    data = {"decision-decision": "approve", "decision-resolution": RDE}
    response = client.post(cr_url(cr, "change_request_decide"), data)
    assert response.status_code == 400 and fresh(approved_plan).version == 1 and events() == before


@pytest.mark.parametrize(
    "field, overrides",
    [
        ("reason", {"reason": ""}),
        ("supporting_report", {"supporting_report": ""}),
        ("affected_activities", {"affected_activities": ["999999"]}),
    ],
)
def test_a_proposal_needs_reason_informe_and_known_activities(client_as, cmg, approved_plan, field, overrides):
    client = client_as(cmg)
    before = events()
    response = propose(client, approved_plan, **overrides)
    assert response.status_code == 400 and has_field_error(response, field)
    assert not ChangeRequest.objects.filter(plan=approved_plan).exists() and events() == before


def test_changes_are_proposed_only_on_an_approved_plan(client_as, cmg):
    draft = plan(cmg, year=2042)
    add_activity(draft, "3.10", by=cmg, stage=3)
    response = propose(client_as(cmg), draft)
    assert response.status_code == 400 and response.context["form"].non_field_errors()
    assert not ChangeRequest.objects.filter(plan=draft).exists()


@pytest.mark.parametrize("who", ["lector", "ut_cusco", "tecnico", "direccion"])
def test_only_the_coordinator_or_the_uppm_propose(client_as, request, approved_plan, who):
    response = propose(client_as(request.getfixturevalue(who)), approved_plan)
    assert response.status_code == 403 and not ChangeRequest.objects.filter(plan=approved_plan).exists()


def test_the_review_needs_a_session_the_user_can_see(client_as, cmg, lector, ut_cusco, approved_plan):
    cr = services.propose_change(
        approved_plan, data={"reason": "x", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    client = client_as(cmg)
    before = events()
    for value in ("", "999999"):
        response = client.post(cr_url(cr, "change_request_review"), {"review-session": value})
        assert response.status_code == 400
        assert response.context["review_form"].errors.get("session")
    assert fresh(cr).status == ChangeRequest.Status.PROPOSED and events() == before
    acta = session(cmg)
    for user in (lector, ut_cusco):
        response = client_as(user).post(cr_url(cr, "change_request_review"), {"review-session": acta.pk})
        assert response.status_code in (403, 404)
    assert fresh(cr).status == ChangeRequest.Status.PROPOSED


def test_a_person_without_roles_gets_404(client_as, cmg, no_role_user, approved_plan):
    cr = services.propose_change(
        approved_plan, data={"reason": "x", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    assert client_as(no_role_user).get(cr_url(cr)).status_code == 404
    assert client_as(no_role_user).post(cr_url(cr, "change_request_review")).status_code == 404


def test_the_plan_page_lists_the_requests_with_their_status(client_as, cmg, approved_plan):
    cr = services.propose_change(
        approved_plan, data={"reason": "x", "supporting_report": "Informe 1", "changes": A_CHANGE}, by=cmg
    )
    table = find(client_as(cmg).get(plan_url(approved_plan)).content, "table", data_testid="change-requests")
    assert dict(find(table, "tr", data_change_request=str(cr.pk)).attributes)["data-status"] == "proposed"


def test_a_closed_plan_keeps_its_versions_readable(client_as, cmg, direccion, approved_plan):
    services.close_plan(approved_plan, by=cmg)
    assert fresh(approved_plan).status == Plan.Status.CLOSED
    assert client_as(cmg).get(plan_url(approved_plan, "plan_version", 1)).status_code == 200
    assert client_as(cmg).get(plan_url(approved_plan, "plan_version", 7)).status_code == 404
