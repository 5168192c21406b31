"""Changing an item's status: the responsible person (a UT head for an acuerdo assigned to
them) or a manager of the kind (the Committee's secretaries for acuerdos) may; closing needs
a note saying how; anyone else gets 403, or 404 if they cannot see the item."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from actions.access import can_update_action
from actions.models import ActionItem
from actions.tests.helpers import LIST, acuerdo, detail_url, session, status_url
from audit.models import AuditEvent
from organization.tests.helpers import find

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(cmg, ut_cusco) -> ActionItem:
    return acuerdo(
        session(cmg), cmg, ut_cusco, "Remitir el informe de avance de la UT Cusco", datetime.date(2020, 4, 15)
    )


def state(item: ActionItem) -> tuple:
    item.refresh_from_db()
    return item.status, item.closed_on, item.closing_note


def events() -> int:
    return AuditEvent.objects.count()


def test_the_responsible_ut_head_moves_it_forward_and_closes_it_with_a_note(client_as, item, ut_cusco):
    client = client_as(ut_cusco)
    assert client.post(status_url(item), {"status": "in_progress"}).status_code == 302
    assert state(item)[0] == ActionItem.Status.IN_PROGRESS
    response = client.post(status_url(item), {"status": "done", "note": "Informe remitido con Memorando N.° 120-2020"})
    assert response.status_code == 302
    assert state(item) == ("done", timezone.localdate(), "Informe remitido con Memorando N.° 120-2020")
    event = AuditEvent.objects.filter(object_type="actions.actionitem", object_id=str(item.pk)).latest("id")
    assert event.action == AuditEvent.Action.STATE and event.actor == ut_cusco
    page = client.get(detail_url(item))
    assert dict(find(page.content, data_testid="item-status").attributes)["data-status"] == "done"


@pytest.mark.parametrize(("status", "persona"), [("done", "ut_cusco"), ("cancelled", "cmg")])
def test_closing_without_a_note_is_refused_and_nothing_changes(client_as, item, request, status, persona):
    client = client_as(request.getfixturevalue(persona))
    before = (state(item), events())
    response = client.post(status_url(item), {"status": status, "note": "   "})
    assert response.status_code == 400 and response.context["form"].errors.get("note")
    assert (state(item), events()) == before


def test_an_unknown_status_is_refused(client_as, item, ut_cusco):
    client = client_as(ut_cusco)
    response = client.post(status_url(item), {"status": "archived"})
    assert response.status_code == 400 and response.context["form"].errors.get("status")
    assert state(item)[0] == ActionItem.Status.PENDING


def test_a_closed_item_cannot_change_again(client_as, item, cmg):
    client = client_as(cmg)
    client.post(status_url(item), {"status": "cancelled", "note": "Sustituido por el acuerdo 02"})
    before = (state(item), events())
    response = client.post(status_url(item), {"status": "in_progress"})
    assert response.status_code == 400
    assert (state(item), events()) == before


def test_a_manager_of_acuerdos_may_change_it_but_other_central_roles_may_not(
    client_as, item, uppm, tecnico, lector, auditor
):
    for user in (tecnico, lector, auditor):
        assert client_as(user).post(status_url(item), {"status": "in_progress"}).status_code == 403
    assert state(item)[0] == ActionItem.Status.PENDING
    assert client_as(uppm).post(status_url(item), {"status": "in_progress"}).status_code == 302
    assert state(item)[0] == ActionItem.Status.IN_PROGRESS


def test_a_head_of_another_ut_cannot_even_find_it(client_as, item, ut_puno):
    assert client_as(ut_puno).get(detail_url(item)).status_code == 404
    assert client_as(ut_puno).post(status_url(item), {"status": "in_progress"}).status_code == 404
    assert state(item)[0] == ActionItem.Status.PENDING


def test_can_update_action_matrix(item, ut_cusco, ut_puno, cmg, uppm, direccion, tecnico, lector, no_role_user):
    allowed = {
        u.username: can_update_action(u, item)
        for u in (ut_cusco, ut_puno, cmg, uppm, direccion, tecnico, lector, no_role_user)
    }
    assert allowed == {
        "ut.cusco": True, "ut.puno": False, "cmg": True, "uppm": True, "direccion": True,
        "tecnico": False, "lector": False, "sin.rol": False,
    }  # fmt: skip


def test_after_the_change_it_returns_to_the_filtered_list_but_never_off_site(client_as, item, ut_cusco):
    client = client_as(ut_cusco)
    back = f"{LIST}?status=open"
    response = client.post(status_url(item), {"status": "in_progress", "next": back})
    assert response["Location"] == back
    response = client.post(status_url(item), {"status": "pending", "next": "https://evil.example/"})
    assert response["Location"] == detail_url(item)
