"""Audits through their services: the independence rule, the integrated checklist, findings
that raise NCs, the auditee's answer, the report (bad input refused, nothing stored)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from audits import services
from audits.models import Audit, ChecklistQuestion, Finding
from audits.tests.helpers import START, a_process, audit, audit_data, criteria, grade, minor_finding, programme, req
from core.services import ServiceError
from nonconformities.models import Nonconformity
from organization.models import Site

pytestmark = pytest.mark.django_db


def test_one_question_covers_the_harmonized_twins_of_several_standards(cmg, auditor):
    a = audit(cmg, auditor)
    questions = services.generate_checklist(a, by=auditor)
    assert len(questions) == 2  # HS 8.1 (9001 8.5.1 + 37001 8.2) and HS 7.5 (9001 7.5.3)
    twins = next(q for q in questions if q.requirements.count() == 2)
    assert {r.edition.standard.code for r in twins.requirements.all()} == {"ISO 9001", "ISO 37001"}
    assert "8.5.1" in twins.text and "8.2" in twins.text
    assert services.generate_checklist(a, by=auditor) == []  # nothing asked twice


def test_an_auditor_of_the_audited_ut_is_refused(cmg, auditor, ut_cusco):
    p = programme(cmg)
    with pytest.raises(ServiceError) as exc:
        services.create_audit(p, data=audit_data(auditor, team=[ut_cusco]), by=cmg)
    assert exc.value.field == "team" and not Audit.objects.filter(code="AT-01-2020").exists()


def test_an_auditor_of_their_own_process_is_refused(cmg, auditor):
    from accounts.models import User

    process = a_process()
    owner = User.objects.filter(unit=process.owner_unit).exclude(pk=auditor.pk).first() or auditor
    owner.unit = process.owner_unit
    owner.save(update_fields=["unit"])
    with pytest.raises(ServiceError) as exc:
        services.create_audit(programme(cmg), data=audit_data(owner, processes=[process]), by=cmg)
    assert exc.value.field == "team"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"criteria": []}, "criteria"),
        ({"sites": []}, "sites"),
        ({"end_date": START - datetime.timedelta(days=1)}, "end_date"),
        ({"method": Audit.Method.REMOTE, "meeting_link": ""}, "meeting_link"),
        ({"kind": Audit.Kind.EXTERNAL, "certification_body": ""}, "certification_body"),
    ],
)
def test_a_bad_audit_names_its_field(cmg, auditor, over, field):
    with pytest.raises(ServiceError) as exc:
        services.create_audit(programme(cmg), data=audit_data(auditor, **over), by=cmg)
    assert exc.value.field == field and not Audit.objects.filter(code="AT-01-2020").exists()


def test_only_managers_plan_audits(auditor, ut_cusco):
    with pytest.raises(PermissionDenied):
        programme(auditor)
    from django.http import Http404

    with pytest.raises(Http404):
        programme(ut_cusco)


def test_a_minor_nc_finding_raises_a_linked_nc_citing_both_standards(cmg, auditor):
    a = audit(cmg, auditor)
    finding = minor_finding(a, auditor)
    nc = finding.nonconformity
    assert nc is not None and nc.grade == Nonconformity.Grade.MINOR and nc.source == Nonconformity.Source.AUDIT
    assert nc.origin == finding and nc.site.code == "UT-CUS"
    assert {r.edition.standard.code for r in nc.requirements.all()} == {"ISO 9001", "ISO 37001"}


def test_an_observation_raises_no_nc(cmg, auditor):
    a = audit(cmg, auditor)
    finding = services.add_finding(
        a,
        data={
            "grade": grade("OBS"),
            "requirements": [req("ISO 9001:2015", "8.5.1")],
            "site": Site.objects.get(code="UT-CUS"),
            "description": "d",
            "evidence": "e",
        },
        by=auditor,
    )
    assert finding.nonconformity is None


def test_a_finding_without_requirement_is_refused(cmg, auditor):
    a = audit(cmg, auditor)
    with pytest.raises(ServiceError) as exc:
        minor_finding(a, auditor, requirements=[])
    assert exc.value.field == "requirements" and not Finding.objects.filter(audit=a).exists()
    assert not Nonconformity.objects.filter(source_reference__startswith=a.code).exists()


def test_a_finding_at_a_site_outside_the_audit_is_refused(cmg, auditor):
    a = audit(cmg, auditor)
    with pytest.raises(ServiceError) as exc:
        services.add_finding(
            a,
            data={
                "grade": grade("OBS"),
                "requirements": criteria(),
                "site": Site.objects.get(code="UT-PUN"),
                "description": "d",
                "evidence": "e",
            },
            by=auditor,
        )
    assert exc.value.field == "site"


def test_someone_off_the_team_records_no_finding(cmg, auditor, oficial_si):
    a = audit(cmg, auditor)
    with pytest.raises(PermissionDenied):
        minor_finding(a, oficial_si)


def test_the_auditee_accepts_or_contests_with_a_reason(cmg, auditor, ut_cusco, ut_puno):
    a = audit(cmg, auditor)
    finding = minor_finding(a, auditor)
    with pytest.raises(PermissionDenied):
        services.respond_finding(finding, accept=True, by=ut_puno)
    with pytest.raises(ServiceError) as exc:
        services.respond_finding(finding, accept=False, reason=" ", by=ut_cusco)
    assert exc.value.field == "reason"
    services.respond_finding(finding, accept=False, reason="Las firmas estaban en el anexo", by=ut_cusco)
    finding.refresh_from_db()
    assert finding.response == Finding.Response.CONTESTED
    with pytest.raises(ServiceError):
        services.respond_finding(finding, accept=True, by=ut_cusco)


def test_the_audit_is_concluded_only_with_every_question_answered(cmg, auditor):
    a = audit(cmg, auditor)
    services.start_audit(a, by=auditor)
    services.generate_checklist(a, by=auditor)
    services.update_conclusions(a, conclusions="El SIG es conforme en lo esencial.", by=auditor)
    with pytest.raises(ServiceError) as exc:
        services.complete_audit(a, by=auditor)
    assert exc.value.field == "questions"
    for q in a.questions.all():
        services.answer_question(q, data={"result": ChecklistQuestion.Result.CONFORM, "notes": "ok"}, by=auditor)
    services.complete_audit(a, by=auditor)
    a.refresh_from_db()
    assert a.status == Audit.Status.COMPLETED and a.report_verification_code and a.report_sha256
    from reports.models import IssuedDocument

    doc = IssuedDocument.objects.get(verification_code=a.report_verification_code)
    assert doc.kind == "audits.report" and doc.sha256 == a.report_sha256
    with pytest.raises(ServiceError):
        minor_finding(a, auditor)  # a concluded audit no longer changes


def test_evidence_file_of_a_question_is_stored_with_its_hash(cmg, auditor):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.files import inspect_upload
    from evidence.models import EvidenceFile
    from nonconformities.tests.helpers import PDF

    a = audit(cmg, auditor)
    q = services.generate_checklist(a, by=auditor)[0]
    upload = inspect_upload(SimpleUploadedFile("muestra.pdf", PDF))
    services.answer_question(q, data={"result": "conform", "upload": upload, "file_title": "Muestra"}, by=auditor)
    stored = EvidenceFile.objects.get(title="Muestra")
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
