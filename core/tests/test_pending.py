"""Mi trabajo pendiente: each person sees, on one page and on the home panel, everything whose
next step is theirs across the areas (change requests, documents, acuerdos), soonest due first."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from actions.tests.helpers import acuerdo
from actions.tests.helpers import session as committee_session
from committee import services as committee_services
from documents import services as document_services
from documents.tests.api_support import draft, latest, load_types
from organization.models import OrgUnit
from organization.tests.helpers import find, find_all, text_of
from plans import services as plan_services
from plans.tests.api_support import A_CHANGE

pytestmark = pytest.mark.django_db
URL = "/pendientes/"


def _items(response) -> list[str]:
    return [text_of(li) for li in find_all(find(response.content, data_testid="pending"), "li")]


def _change_request(cmg, uppm, direccion):
    plan = plan_services.create_plan(
        data={"year": 2026, "title": "Plan de Desarrollo del SIG 2026", "objective": "Mantener el SIG",
              "owner_unit": OrgUnit.objects.get(code="UPPM"), "budget_amount": "1000.00"},
        by=uppm,
    )  # fmt: skip
    plan_services.submit_plan_to_committee(plan, by=uppm)
    plan_services.approve_plan(plan, resolution="RDE N.° 001-2026", approved_on=datetime.date(2026, 2, 1), by=direccion)
    cr = plan_services.propose_change(
        plan,
        data={"reason": "Reprogramar la auditoría interna 2026", "supporting_report": "Informe 1", "changes": A_CHANGE},
        by=cmg,
    )
    held = committee_services.create_session(
        data={"number": "P01-2026", "kind": "ordinary", "date": timezone.now()}, by=cmg
    )
    plan_services.record_committee_review(cr, session=held, opinion="Conforme", by=cmg)
    return cr


def test_the_director_is_told_a_change_request_awaits_her_decision(client_as, cmg, uppm, direccion):
    _change_request(cmg, uppm, direccion)
    client = client_as(direccion)
    items = _items(client.get(URL))
    assert any("Reprogramar la auditoría" in i and "Decidir" in i for i in items)
    home = client.get("/")
    panel = find(home.content, data_panel="pending")
    assert "Reprogramar la auditoría interna 2026" in text_of(panel)
    # and it is nobody else's to decide
    assert not any("Reprogramar la auditoría interna 2026" in i for i in _items(client_as(uppm).get(URL)))


def test_a_ut_head_sees_the_acuerdos_assigned_to_her_with_their_due_dates(client_as, cmg, ut_cusco, ut_puno):
    due = timezone.localdate() + datetime.timedelta(days=3)
    acuerdo(committee_session(cmg), cmg, ut_cusco, "Remitir el padrón actualizado de Cusco", due)
    items = _items(client_as(ut_cusco).get(URL))
    mine = [i for i in items if "Remitir el padrón actualizado de Cusco" in i]
    assert mine and due.strftime("%d/%m/%Y") in mine[0]
    assert not any("Cusco" in i for i in _items(client_as(ut_puno).get(URL)))


def test_a_reviewer_sees_the_version_waiting_for_her_review_and_its_author_does_not(client_as, cmg, uppm):
    load_types()
    version = latest(draft(cmg, "Procedimiento pendiente de revisión"))
    document_services.submit_for_review(version, by=cmg)
    assert any("Procedimiento pendiente de revisión" in i and "Revisar" in i for i in _items(client_as(uppm).get(URL)))
    assert not any("Procedimiento pendiente de revisión" in i for i in _items(client_as(cmg).get(URL)))


def test_the_page_needs_a_login_and_shows_nothing_to_someone_without_a_role(client_as, no_role_user):
    assert client_as(None).get(URL).status_code == 302
    response = client_as(no_role_user).get(URL)
    assert response.status_code == 200 and len(_items(response)) == 1  # "Nothing is waiting for you."
