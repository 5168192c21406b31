"""Services are the only way in, and they check permission themselves: a caller that skips the
page or the API (a command, a job, a future area) cannot change what its user may not."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from committee import services as committee
from committee.models import Session
from organization import services as organization
from organization.models import GlossaryTerm, OrgUnit, Site
from plans import services as plans
from plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    return AuditEvent.objects.count


def test_organisation_services_refuse_people_who_do_not_keep_reference_data(lector, ut_cusco, events):
    before = events()
    with pytest.raises(PermissionDenied):
        organization.create_glossary_term(data={"term": "XYZ", "definition": "x"}, by=ut_cusco)
    with pytest.raises(PermissionDenied):
        organization.update_unit(OrgUnit.objects.get(code="UPPM"), data={"name": "Otra"}, by=lector)
    assert not GlossaryTerm.objects.filter(term="XYZ").exists() and events() == before


def test_a_ut_head_changes_only_the_contact_details_of_their_own_site(ut_cusco, ut_puno):
    cusco, puno = ut_cusco.site, ut_puno.site
    organization.update_site(cusco, data={"phone": "084-123456", "name": "Renombrada"}, by=ut_cusco)
    cusco.refresh_from_db()
    assert cusco.phone == "084-123456" and cusco.name != "Renombrada"
    with pytest.raises(PermissionDenied):
        organization.update_site(puno, data={"phone": "051-000000"}, by=ut_cusco)
    assert Site.objects.get(pk=puno.pk).phone != "051-000000"


def test_plan_services_refuse_people_who_do_not_keep_plans(ut_cusco, lector, direccion, uppm):
    with pytest.raises(PermissionDenied):
        plans.create_plan(
            data={"year": 2030, "title": "Plan", "objective": "x", "owner_unit": OrgUnit.objects.get(code="UPPM")},
            by=ut_cusco,
        )
    assert not Plan.objects.filter(year=2030).exists()
    plan = plans.create_plan(
        data={"year": 2030, "title": "Plan", "objective": "x", "owner_unit": OrgUnit.objects.get(code="UPPM")},
        by=uppm,
    )
    plans.submit_plan_to_committee(plan, by=uppm)
    with pytest.raises(PermissionDenied):  # only the Director approves
        plans.approve_plan(plan, resolution="RDE 1", approved_on=datetime.date(2030, 1, 2), by=uppm)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMMITTEE_REVIEW


def test_committee_services_refuse_people_who_are_not_its_secretaries(tecnico, cmg):
    with pytest.raises(PermissionDenied):
        committee.create_session(data={"number": "X1-2030", "kind": "ordinary", "date": "2030-01-01T10:00"}, by=tecnico)
    session = committee.create_session(
        data={"number": "X2-2030", "kind": "ordinary", "date": datetime.datetime(2030, 1, 1, 10, tzinfo=datetime.UTC)},
        by=cmg,
    )
    with pytest.raises(PermissionDenied):
        committee.update_session(session, data={"minutes": "otra cosa"}, by=tecnico)
    assert Session.objects.get(pk=session.pk).minutes == ""
    assert not Session.objects.filter(number="X1-2030").exists()
