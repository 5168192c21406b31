"""Evidence of a requirement: anyone who writes links a document they can see, or a file they
upload, to a clause or control; the requirement's page shows each reader the evidence they may
see; "which records evidence clause X of standard Y?" is one query on the links."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from catalog.models import Requirement
from documents.models import Document
from evidence.models import EvidenceFile, EvidenceLink
from organization.tests.helpers import find, find_all, text_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def req() -> Requirement:
    return Requirement.objects.get(edition__label="ISO 9001:2015", number="8.5.1")


def page(client, req):
    return client.get(req.get_absolute_url())


def labels(response) -> list[str]:
    return [text_of(li) for li in find_all(find(response.content, data_testid="requirement-evidence"), "li")]


def link_url(req) -> str:
    return f"/evidencias/requisitos/{req.pk}/vincular/"


def links(req):
    return EvidenceLink.objects.filter(
        target_type=ContentType.objects.get_for_model(Requirement), target_id=req.pk, removed_at__isnull=True
    )


def test_the_coordinator_links_a_document_by_its_code_and_sees_it_under_the_requirement(client_as, cmg, req):
    document = Document.objects.filter(current_version__isnull=False).order_by("code").first()
    client = client_as(cmg)
    response = client.post(link_url(req), {"document_code": document.code.lower(), "note": "Procedimiento vigente"})
    assert response.status_code == 302
    assert any(document.code in label for label in labels(page(client, req)))
    assert links(req).count() == 1
    assert AuditEvent.objects.filter(object_type="evidence.evidencelink", action="create").exists()


def test_a_ut_head_uploads_a_file_that_other_uts_do_not_see(client_as, ut_cusco, ut_puno, cmg, req):
    upload = SimpleUploadedFile("acta-cusco.pdf", PDF, content_type="application/pdf")
    response = client_as(ut_cusco).post(link_url(req), {"file": upload, "file_title": "Acta de inspección Cusco"})
    assert response.status_code == 302
    item = EvidenceFile.objects.get(title="Acta de inspección Cusco")
    assert item.site == ut_cusco.site
    assert any("Acta de inspección Cusco" in label for label in labels(page(client_as(ut_cusco), req)))
    assert any("Acta de inspección Cusco" in label for label in labels(page(client_as(cmg), req)))
    assert not any("Acta de inspección Cusco" in label for label in labels(page(client_as(ut_puno), req)))
    # the file opens for those who see it, with the read in the audit trail
    download = client_as(cmg).get(item.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_as(ut_puno).get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"document_code": "NO-EXISTE-001"}, "document_code"),
        ({}, None),  # neither a code nor a file
        ({"document_code": "X", "file": "pdf", "file_title": "t"}, None),  # both
        ({"file": "pdf"}, "file_title"),  # a file needs a title
        ({"file": "exe", "file_title": "t"}, "file"),  # not a PDF, DOCX or XLSX
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(client_as, cmg, req, data, field):
    data = dict(data)
    if data.get("file") == "pdf":
        data["file"] = SimpleUploadedFile("x.pdf", PDF)
    elif data.get("file") == "exe":
        data["file"] = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")
    client = client_as(cmg)
    before = (links(req).count(), EvidenceFile.objects.count(), AuditEvent.objects.count())
    response = client.post(link_url(req), data)
    assert response.status_code == 400
    form = response.context["panels"][-1]["evidence_form"] if "panels" in response.context else None
    assert form is not None and form.errors
    if field:
        assert field in form.errors
    assert (links(req).count(), EvidenceFile.objects.count(), AuditEvent.objects.count()) == before


def test_readers_see_no_form_and_cannot_link(client_as, lector, req):
    client = client_as(lector)
    assert find_all(page(client, req).content, data_testid="requirement-evidence-form") == []
    assert client.post(link_url(req), {"document_code": "PNADP-UPPM-CMG-PL-001"}).status_code == 403
    assert links(req).count() == 0


def test_only_the_linker_or_a_reference_editor_removes_a_link(client_as, ut_cusco, ut_puno, cmg, req):
    client_as(ut_cusco).post(link_url(req), {"file": SimpleUploadedFile("a.pdf", PDF), "file_title": "Evidencia A"})
    link = links(req).get()
    assert client_as(ut_puno).post(f"/evidencias/enlaces/{link.pk}/quitar/").status_code == 403
    assert client_as(cmg).post(f"/evidencias/enlaces/{link.pk}/quitar/").status_code == 302
    assert links(req).count() == 0 and EvidenceLink.objects.get(pk=link.pk).removed_at is not None


def test_people_without_a_role_cannot_link_or_open_files(client_as, no_role_user, req):
    assert client_as(no_role_user).post(link_url(req), {"document_code": "X"}).status_code == 404
