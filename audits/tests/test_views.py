"""Audit pages: who sees which audit (the auditor hers, a UT head her UT's, 404 otherwise), the
checklist and findings through the forms, a finding under each requirement it cites, the
report PDF that /verifica/ confirms, and the findings XLSX."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from audits import services
from audits.models import Audit
from audits.tests.helpers import audit, criteria, grade, minor_finding, programme
from organization.models import Site

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"audits:{name}", args=list(args))


def test_who_sees_an_audit_of_cusco(client_as, cmg, auditor, ut_cusco, ut_puno, oficial_si, no_role_user):
    a = audit(cmg, auditor)
    assert client_as(cmg).get(url("audit_detail", a.pk)).status_code == 200
    assert client_as(auditor).get(url("audit_detail", a.pk)).status_code == 200
    assert client_as(ut_cusco).get(url("audit_detail", a.pk)).status_code == 200
    assert client_as(ut_puno).get(url("audit_detail", a.pk)).status_code == 404
    assert client_as(no_role_user).get(url("audit_list")).status_code == 404
    assert a.code not in client_as(ut_puno).get(url("audit_list")).content.decode()


def test_an_auditor_sees_only_the_audits_she_is_on(client_as, cmg, auditor, tecnico):
    mine = audit(cmg, auditor)
    other = services.create_audit(
        mine.programme,
        data={**_data(tecnico), "code": "AT-02-2020"},
        by=cmg,
    )
    body = client_as(auditor).get(url("audit_list")).content.decode()
    assert mine.code in body and other.code not in body
    assert client_as(auditor).get(url("audit_detail", other.pk)).status_code == 404


def _data(lead: object) -> dict:
    from audits.tests.helpers import audit_data

    return audit_data(lead)


def test_planning_an_audit_through_the_form_refuses_an_auditor_of_her_own_ut(client_as, cmg, auditor, ut_cusco):
    p = programme(cmg)
    form = {
        "code": "AT-09-2020", "title": "Cusco", "kind": "internal", "objectives": "o",
        "sites": [Site.objects.get(code="UT-CUS").pk], "criteria": [r.pk for r in criteria()],
        "start_date": "2020-09-01", "end_date": "2020-09-02", "lead": auditor.pk, "team": [ut_cusco.pk], "method": "on_site",
    }  # fmt: skip
    r = client_as(cmg).post(url("audit_create", p.pk), form)
    assert r.status_code == 400 and "id_team_error" in r.content.decode()
    assert not Audit.objects.filter(code="AT-09-2020").exists()
    form["team"] = []
    r = client_as(cmg).post(url("audit_create", p.pk), form)
    assert r.status_code == 302
    assert client_as(auditor).post(url("audit_create", p.pk), form).status_code == 403


def test_the_checklist_and_a_finding_through_the_page(client_as, cmg, auditor):
    a = audit(cmg, auditor)
    client = client_as(auditor)
    assert client.post(url("checklist_generate", a.pk)).status_code == 302
    q = a.questions.order_by("order").first()
    r = client.post(
        url("question_answer", a.pk, q.pk),
        {
            f"answer-{q.pk}-result": "nonconform",
            f"answer-{q.pk}-notes": "3 de 10 sin firma",
            f"answer-{q.pk}-interviewee": "Especialista",
        },
    )
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.result == "nonconform" and q.interviewee == "Especialista"
    base = {
        "finding-grade": grade("NCm").pk,
        "finding-site": Site.objects.get(code="UT-CUS").pk,
        "finding-description": "Sin firma",
        "finding-evidence": "Muestra de 10",
    }
    r = client.post(url("finding_add", a.pk), base)
    assert r.status_code == 400 and "id_finding-requirements_error" in r.content.decode()
    assert not a.findings.exists()
    r = client.post(url("finding_add", a.pk), {**base, "finding-requirements": [r.pk for r in criteria()[:2]]})
    assert r.status_code == 302
    assert a.findings.get().nonconformity is not None


def test_a_wrong_evidence_file_is_refused_naming_the_field(client_as, cmg, auditor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = audit(cmg, auditor)
    q = services.generate_checklist(a, by=auditor)[0]
    r = client_as(auditor).post(
        url("question_answer", a.pk, q.pk),
        {
            f"answer-{q.pk}-result": "conform",
            f"answer-{q.pk}-file": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary"),
            f"answer-{q.pk}-file_title": "x",
        },
    )
    assert r.status_code == 400 and f"id_answer-{q.pk}-file_error" in r.content.decode()
    q.refresh_from_db()
    assert q.result == "pending"


def test_a_finding_shows_under_each_requirement_it_cites(client_as, cmg, auditor, ut_puno):
    a = audit(cmg, auditor)
    finding = minor_finding(a, auditor)
    for req in criteria()[:2]:
        page = client_as(cmg).get(reverse("catalog:requirement_detail", args=[req.pk])).content.decode()
        assert finding.number in page
        assert (
            finding.number
            not in client_as(ut_puno).get(reverse("catalog:requirement_detail", args=[req.pk])).content.decode()
        )


def test_the_auditee_answers_on_the_page(client_as, cmg, auditor, ut_cusco):
    a = audit(cmg, auditor)
    finding = minor_finding(a, auditor)
    key = f"response-{finding.pk}"
    r = client_as(ut_cusco).post(url("finding_respond", finding.pk), {f"{key}-accept": "0", f"{key}-reason": ""})
    assert r.status_code == 400 and f"id_{key}-reason_error" in r.content.decode()
    r = client_as(ut_cusco).post(url("finding_respond", finding.pk), {f"{key}-accept": "1"})
    assert r.status_code == 302
    finding.refresh_from_db()
    assert finding.response == "accepted"


def _completed(cmg: object, auditor: object) -> Audit:
    a = audit(cmg, auditor)
    services.start_audit(a, by=auditor)
    for q in services.generate_checklist(a, by=auditor):
        services.answer_question(q, data={"result": "conform", "notes": "Conforme"}, by=auditor)
    minor_finding(a, auditor)
    services.update_conclusions(a, conclusions="Conforme con una NC menor.", by=auditor)
    services.complete_audit(a, by=auditor)
    a.refresh_from_db()
    return a


def test_the_issued_report_downloads_as_stored_and_its_code_verifies(client_as, cmg, auditor, client):
    a = _completed(cmg, auditor)
    r = client_as(auditor).get(url("report_pdf", a.pk))
    body = b"".join(r.streaming_content)
    assert r.status_code == 200 and hashlib.sha256(body).hexdigest() == a.report_sha256
    page = client.get("/verifica/", {"codigo": a.report_verification_code}).content.decode()
    assert f"INF-AUD-{a.code}" in page


def test_the_findings_xlsx(client_as, cmg, auditor):
    import io

    from openpyxl import load_workbook

    a = audit(cmg, auditor)
    finding = minor_finding(a, auditor)
    r = client_as(cmg).get(url("findings_xlsx", a.pk))
    sheet = load_workbook(io.BytesIO(r.content)).active
    values = [c.value for c in sheet[2]]
    assert finding.number in values and "ISO 9001:2015 8.5.1; ISO 37001:2016 8.2" in values


def test_programme_monitoring(client_as, cmg, auditor):
    a = _completed(cmg, auditor)
    page = client_as(cmg).get(url("programme_detail", a.programme_id)).content.decode()
    assert "100 %" in page and "ISO 37001" in page and "No conformidad menor" in page


@pytest.mark.pdf
def test_the_report_pdf_has_the_iso_19011_contents(cmg, auditor):
    import io

    from pypdf import PdfReader

    a = _completed(cmg, auditor)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(a.report_pdf.read())).pages)
    for expected in (
        "Objetivos",
        "Alcance",
        "Criterios",
        "Hallazgos",
        "Opiniones divergentes",
        "Grado de conformidad",
        "Conclusiones",
        "muestra",
        a.report_verification_code,
        "Página: 1 de",
        "Código: INF-AUD-AT-01-2020",
    ):
        assert expected in text, expected


def test_the_record_of_the_audit_reaches_the_report(client_as, cmg, auditor, ut_cusco):
    from audits.report import AuditReport

    a = audit(cmg, auditor)
    client = client_as(auditor)
    r = client.post(
        url("conclusions", a.pk), {"conclusions-agenda": "09:00 apertura", "conclusions-conclusions": "Conforme"}
    )
    assert r.status_code == 302
    r = client.post(
        url("meeting_record", a.pk, "closing"),
        {"meeting-closing-on": "2020-09-15", "meeting-closing-present": [ut_cusco.pk],
         "meeting-closing-externals": "Ana Quispe; Municipalidad del Cusco", "meeting-closing-other": "5 asistentes"},
    )  # fmt: skip
    assert r.status_code == 302
    html = AuditReport(Audit.objects.get(pk=a.pk)).html()
    assert "09:00 apertura" in html and "Reunión de cierre" in html and "5 asistentes" in html
    assert "Ana Quispe" in html and "Municipalidad del Cusco" in html and ut_cusco.get_full_name() in html


def test_an_external_audit_has_its_report_uploaded(client_as, cmg, auditor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nonconformities.tests.helpers import PDF

    external = audit(cmg, auditor, kind=Audit.Kind.EXTERNAL, certification_body="Organismo X")
    internal = audit(cmg, auditor, code="AT-03-2020")
    upload = {"external-file": SimpleUploadedFile("informe.pdf", PDF), "external-file_title": "Informe de vigilancia"}
    assert client_as(auditor).post(url("external_report", external.pk), upload).status_code == 302
    assert "Informe de vigilancia" in client_as(cmg).get(external.get_absolute_url()).content.decode()
    upload = {"external-file": SimpleUploadedFile("informe.pdf", PDF), "external-file_title": "x"}
    assert client_as(auditor).post(url("external_report", internal.pk), upload).status_code == 400


def test_an_evidence_file_too_large_is_refused_naming_the_field(client_as, cmg, auditor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nonconformities.tests.helpers import PDF

    settings.SIG_MAX_UPLOAD_MB = 1
    a = audit(cmg, auditor)
    q = services.generate_checklist(a, by=auditor)[0]
    big = PDF + b"0" * (1024 * 1024 + 1)
    r = client_as(auditor).post(
        url("question_answer", a.pk, q.pk),
        {
            f"answer-{q.pk}-result": "conform",
            f"answer-{q.pk}-file": SimpleUploadedFile("big.pdf", big),
            f"answer-{q.pk}-file_title": "x",
        },
    )
    assert r.status_code == 400 and f"id_answer-{q.pk}-file_error" in r.content.decode()
    q.refresh_from_db()
    assert q.result == "pending"


def test_the_audit_list_costs_the_same_whatever_the_number_of_audits(
    client_as, cmg, auditor, django_assert_max_num_queries
):
    client = client_as(cmg)
    client.get(url("audit_list"))
    with django_assert_max_num_queries(12) as small:
        client.get(url("audit_list"))
    p = programme(cmg)
    from audits.tests.helpers import audit_data

    for n in range(6):
        services.create_audit(p, data=audit_data(auditor, code=f"AT-L{n}"), by=cmg)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url("audit_list")).status_code == 200


def test_a_ut_head_sees_only_her_uts_findings_of_a_multi_site_audit(client_as, cmg, auditor, ut_cusco):
    from audits.tests.helpers import req

    a = audit(cmg, auditor, sites=[Site.objects.get(code="UT-CUS"), Site.objects.get(code="UT-PUN")])
    cusco = minor_finding(a, auditor)
    puno = services.add_finding(
        a,
        data={"grade": grade("OBS"), "requirements": [req("ISO 9001:2015", "8.5.1")], "site": Site.objects.get(code="UT-PUN"),
              "description": "Observación de Puno", "evidence": "e"},
        by=auditor,
    )  # fmt: skip
    page = client_as(ut_cusco).get(a.get_absolute_url()).content.decode()
    assert cusco.number in page and puno.number not in page
    page = client_as(cmg).get(a.get_absolute_url()).content.decode()
    assert cusco.number in page and puno.number in page
