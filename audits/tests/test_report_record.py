"""The issued audit report in document control (a record whose versions are the issued PDFs
themselves) and the plan product it delivers ("Informes de auditorías", seed Tabla 01 1.1)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audits import services
from audits.delivery import plan_product
from audits.models import Audit, ChecklistQuestion
from audits.tests.helpers import audit
from core.services import ServiceError
from documents.models import Document, VersionStatus
from organization.models import Site
from plans.models import ProductDelivery
from reports.models import IssuedDocument
from reports.verification import facts, find

pytestmark = pytest.mark.django_db


def _site() -> Site:
    """A UT the demo's audits did not visit (their reports delivered Cusco's and Puno's shares)."""
    return Site.objects.filter(is_central=False).exclude(code__in=["UT-CUS", "UT-PUN"]).order_by("code").first()


def _concluded(by, lead, **over) -> Audit:
    a = audit(by, lead, **over)
    services.start_audit(a, by=lead)
    for q in services.generate_checklist(a, by=lead):
        services.answer_question(q, data={"result": ChecklistQuestion.Result.CONFORM, "notes": "ok"}, by=lead)
    services.update_conclusions(a, conclusions="Conforme.", by=lead)
    services.complete_audit(a, by=lead)
    a.refresh_from_db()
    return a


def _bytes(field) -> bytes:
    with field.open("rb") as f:
        return f.read()


def test_the_issued_report_is_registered_with_the_same_pdf_and_code(cmg, auditor, client_as):
    a = _concluded(cmg, auditor)
    document = a.report_document
    assert document is not None and document.origin == a
    assert document.code == "INF-AUD-AT-01-2020" and document.document_type.code == "INF"
    assert document.status == VersionStatus.CURRENT and not document.is_external
    version = document.current_version
    assert version.label == "01" and version.verification_code == a.report_verification_code
    issued = _bytes(a.report_pdf)
    assert hashlib.sha256(issued).hexdigest() == a.report_sha256
    assert _bytes(version.file) == issued and _bytes(version.controlled_pdf) == issued
    assert version.file_sha256 == version.controlled_sha256 == a.report_sha256
    # /verifica/ finds the code as this version of the record
    found = find(a.report_verification_code)
    assert found is not None and found.kind == "audits.report" and found.issued_object == version
    public = facts(found)
    assert (public.document_code, public.version, public.status) == ("INF-AUD-AT-01-2020", "01", "current")
    assert public.controlled_sha256 == a.report_sha256
    # the lista maestra lists it, with a way back to the audit
    client = client_as(cmg)
    body = client.get(reverse("documents:document_list"), {"q": "INF-AUD-AT-01-2020"}).content.decode()
    assert "INF-AUD-AT-01-2020" in body and reverse("documents:document_origin", args=[document.pk]) in body
    assert client.get(reverse("documents:document_origin", args=[document.pk])).url == a.get_absolute_url()
    # a record issued elsewhere takes no new version through the approval flow
    from documents.services import start_new_version

    with pytest.raises(ServiceError):
        start_new_version(document, data={"justification": "x", "content": "x"}, by=cmg)


def test_reissuing_makes_a_new_version_and_the_old_one_stays_readable(cmg, auditor, ut_puno, client_as):
    a = _concluded(cmg, auditor)
    first_code, first_sha = a.report_verification_code, a.report_sha256
    with pytest.raises(ServiceError) as exc:
        services.reissue_report(a, reason="  ", by=auditor)
    assert exc.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.reissue_report(a, reason="Respuesta del auditado", by=ut_puno)
    assert a.report_document.versions.count() == 1

    services.reissue_report(a, reason="Se incorporan las respuestas del auditado", by=auditor)
    a.refresh_from_db()
    versions = {v.label: v for v in a.report_document.versions.all()}
    assert set(versions) == {"01", "02"}
    assert versions["01"].status == VersionStatus.OBSOLETE and versions["02"].status == VersionStatus.CURRENT
    assert a.report_verification_code != first_code and versions["02"].verification_code == a.report_verification_code
    assert versions["02"].controlled_sha256 == a.report_sha256
    assert IssuedDocument.objects.get(verification_code=a.report_verification_code).version == "02"
    # the old copy is still there, byte for byte, and its code says it was replaced
    old = client_as(cmg).get(reverse("documents:version_controlled_pdf", args=[a.report_document_id, 1]))
    assert old.status_code == 200 and hashlib.sha256(b"".join(old.streaming_content)).hexdigest() == first_sha
    assert facts(find(first_code)).status == "obsolete"
    assert facts(find(a.report_verification_code)).version == "02"


def test_the_plan_product_is_delivered_once_for_the_audited_site(cmg, auditor):
    site = _site()
    a = _concluded(cmg, auditor, sites=[site])
    product = plan_product(a)
    assert product is not None and product.title == "Informes de auditorías" and product.plan.year == 2020
    # the lead auditor may not deliver plan products: the share waits for whoever may
    assert not ProductDelivery.objects.filter(product=product, site=site).exists()
    assert services.deliver_plan_product(a, by=cmg) == [site.pk]
    delivery = ProductDelivery.objects.get(product=product, site=site)
    evidence = delivery.evidence_link
    assert (evidence.evidence_id, evidence.evidence_type.model) == (a.report_document_id, "document")
    links = product_links = _links(product)
    assert services.deliver_plan_product(a, by=cmg) == []  # idempotent
    services.reissue_report(a, reason="Corrección", by=cmg)
    assert ProductDelivery.objects.filter(product=product, site=site).count() == 1
    assert _links(product) == product_links == links


def _links(product) -> int:
    from evidence.services import links_for

    return links_for(product).count()


def test_a_report_issued_by_the_coordinator_delivers_at_once(cmg):
    site = _site()
    a = _concluded(cmg, cmg, sites=[site])
    assert ProductDelivery.objects.filter(product=plan_product(a), site=site).exists()


def test_the_programme_may_name_the_product_it_delivers(cmg):
    from plans.models import Plan

    other = Plan.objects.get(year=2020, kind=Plan.Kind.SIG).products.exclude(title="Informes de auditorías").first()
    a = audit(cmg, cmg, sites=[_site()])
    a.programme.plan_product = other
    a.programme.save(update_fields=["plan_product"])
    assert plan_product(a) == other


def test_a_ut_head_sees_only_her_uts_report(cmg, auditor, ut_cusco, ut_puno, client_as):
    a = _concluded(cmg, auditor)  # UT Cusco
    document = a.report_document
    puno = client_as(ut_puno)
    assert puno.get(a.get_absolute_url()).status_code == 404
    assert puno.get(document.get_absolute_url()).status_code == 404
    assert puno.get(reverse("documents:document_origin", args=[document.pk])).status_code == 404
    assert "INF-AUD-AT-01-2020" not in puno.get(reverse("documents:document_list")).content.decode()
    assert client_as(ut_cusco).get(a.get_absolute_url()).status_code == 200


def test_bad_requests_are_answered_without_a_500(cmg, auditor, ut_puno, client_as):
    a = _concluded(cmg, auditor)
    client = client_as(auditor)
    r = client.post(reverse("audits:report_reissue", args=[a.pk]), {"reissue-reason": ""})
    assert r.status_code == 400 and a.report_document.versions.count() == 1
    assert client_as(ut_puno).post(reverse("audits:report_reissue", args=[a.pk]), {}).status_code == 404
    assert client_as(ut_puno).post(reverse("audits:report_deliver", args=[a.pk])).status_code == 404
    r = client.post(reverse("audits:report_deliver", args=[a.pk]))
    assert r.status_code == 403  # the lead auditor does not deliver plan products
    open_audit = audit(cmg, auditor, code="AT-02-2020")
    r = client_as(cmg).post(reverse("audits:report_deliver", args=[open_audit.pk]))
    assert r.status_code == 400
    plain = Document.objects.filter(origin_type__isnull=True).first()
    assert client_as(cmg).get(reverse("documents:document_origin", args=[plain.pk])).status_code == 404
    ok = client.post(reverse("audits:report_reissue", args=[a.pk]), {"reissue-reason": "Corrección"})
    assert ok.status_code == 302 and a.report_document.versions.count() == 2


def test_an_uploaded_external_report_is_registered_as_external_record(cmg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.files import inspect_upload
    from nonconformities.tests.helpers import PDF

    a = audit(cmg, cmg, kind=Audit.Kind.EXTERNAL, certification_body="ACME Certificaciones", sites=[_site()])
    upload = inspect_upload(SimpleUploadedFile("informe.pdf", PDF))
    services.attach_external_report(a, data={"upload": upload, "file_title": "Informe"}, by=cmg)
    a.refresh_from_db()
    document = a.report_document
    assert document.is_external and document.external_issuer == "ACME Certificaciones"
    assert document.current_version.file_sha256 == hashlib.sha256(PDF).hexdigest()
    assert not document.current_version.controlled_pdf  # not ours to certify
    product = plan_product(a)
    assert product is not None and "extern" in product.title.lower()
    assert ProductDelivery.objects.filter(product=product).exists()


def test_the_demo_reports_are_registered_and_deliver_the_product():
    from plans.models import Plan

    for code in ("AI-01-2020", "AI-02-2020"):
        a = Audit.objects.get(code=code)
        assert a.report_document is not None
        assert a.report_document.current_version.controlled_sha256 == a.report_sha256
    product = Plan.objects.get(year=2020, kind=Plan.Kind.SIG).products.get(title="Informes de auditorías")
    assert set(ProductDelivery.objects.filter(product=product).values_list("site__code", flat=True)) >= {
        "UT-CUS",
        "UT-PUN",
    }
