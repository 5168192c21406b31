"""Auditor competence: the warning when nobody on the team is competent in a standard of the
criteria, the evaluation after the audit, the auditors page; and next year's audit from this one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audits import services
from audits.competence import competence_warnings, evaluate, save_profile
from audits.models import Audit
from audits.tests.helpers import audit
from catalog.models import Standard
from core.services import ServiceError

pytestmark = pytest.mark.django_db


def test_a_team_without_competence_in_a_standard_is_warned(cmg, tecnico, client_as):
    a = audit(cmg, tecnico)
    assert len(competence_warnings(a)) == 2  # ISO 9001 and ISO 37001, nobody competent
    save_profile(tecnico, standards=[Standard.objects.get(code="ISO 9001")], iso19011=True, training="Curso", by=cmg)
    warnings = competence_warnings(a)
    assert len(warnings) == 1 and "ISO 37001" in warnings[0]
    page = client_as(cmg).get(a.get_absolute_url()).content.decode()
    assert 'data-testid="competence-warning"' in page


def test_members_are_evaluated_after_the_audit_by_someone_else(cmg, auditor, oficial_si):
    a = audit(cmg, auditor, team=[oficial_si])
    with pytest.raises(ServiceError) as exc:
        evaluate(a, auditor=oficial_si, rating=4, comment="", by=cmg)
    assert exc.value.field == "rating"  # not concluded yet
    Audit.objects.filter(pk=a.pk).update(status=Audit.Status.COMPLETED)
    a.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        evaluate(a, auditor=oficial_si, rating=9, comment="", by=cmg)
    assert exc.value.field == "rating"
    evaluate(a, auditor=oficial_si, rating=4, comment="Bien", by=cmg)
    with pytest.raises(ServiceError):
        evaluate(a, auditor=oficial_si, rating=5, comment="", by=cmg)


def test_the_auditors_page_counts_audits_as_member_and_lead(client_as, cmg, auditor, ut_cusco):
    audit(cmg, auditor)
    response = client_as(cmg).get(reverse("audits:auditor_list"))
    assert response.status_code == 200
    assert 'data-username="auditor"' in response.content.decode()
    assert client_as(ut_cusco).get(reverse("audits:auditor_list")).status_code == 404


def test_next_years_audit_is_planned_from_this_one_with_every_status_reset(client_as, cmg, auditor):
    a = audit(cmg, auditor)
    services.start_audit(a, by=auditor)
    services.generate_checklist(a, by=auditor)
    r = client_as(cmg).post(reverse("audits:audit_copy", args=[a.pk]))
    copy = Audit.objects.get(code="AT-01-2021")
    assert r.status_code == 302 and copy.status == Audit.Status.PLANNED
    assert copy.start_date.year == 2021 and not copy.questions.exists() and not copy.findings.exists()
    assert set(copy.criteria.all()) == set(a.criteria.all()) and copy.lead == auditor
    assert client_as(auditor).post(reverse("audits:audit_copy", args=[a.pk])).status_code == 403
