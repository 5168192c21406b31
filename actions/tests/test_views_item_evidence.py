"""An acuerdo that requires evidence is marked done only once evidence is linked to it (a
document or a file); one that does not is closed with a note. The head of the UT it is
assigned to follows it too, and the follow-up shows who closed it."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import ActionItem
from actions.tests.helpers import acuerdo, detail_url, session, status_url
from audit.models import AuditEvent
from evidence.models import EvidenceLink
from organization.tests.helpers import find, find_all

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def item(cmg, ut_cusco) -> ActionItem:
    return acuerdo(
        session(cmg), cmg, ut_cusco, "Remitir el padrón de Cusco", datetime.date(2020, 4, 15), evidence_required=True
    )


def evidence_url(item: ActionItem) -> str:
    return f"/acciones/{item.pk}/evidencia/"


def test_it_cannot_be_marked_done_without_evidence_and_nothing_changes(client_as, ut_cusco, item):
    client = client_as(ut_cusco)
    events = AuditEvent.objects.count()
    response = client.post(status_url(item), {"status": "done", "note": "Remitido"})
    assert response.status_code == 400
    assert "evidence" in str(response.context["form"].errors) or response.context["form"].non_field_errors()
    item.refresh_from_db()
    assert item.status == ActionItem.Status.PENDING and AuditEvent.objects.count() == events


def test_with_a_file_linked_it_is_marked_done_and_shows_who_closed_it(client_as, ut_cusco, cmg, item):
    client = client_as(ut_cusco)
    upload = SimpleUploadedFile("padron.pdf", PDF, content_type="application/pdf")
    assert client.post(evidence_url(item), {"file": upload, "file_title": "Padrón remitido"}).status_code == 302
    assert EvidenceLink.objects.filter(target_id=item.pk, target_type__model="actionitem").count() == 1
    assert client.post(status_url(item), {"status": "done", "note": "Remitido con el oficio 12"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.closed_by == ut_cusco
    page = client_as(cmg).get(detail_url(item))
    assert find_all(find(page.content, data_testid="item-evidence"), "a")
    assert ut_cusco.get_full_name() in page.content.decode()


def test_the_head_of_the_ut_follows_an_item_assigned_to_someone_else_of_her_ut(client_as, ut_cusco, cmg, item):
    ActionItem.objects.filter(pk=item.pk).update(responsible=None)
    client = client_as(ut_cusco)
    assert client.post(status_url(item), {"status": "in_progress"}).status_code == 302
    assert client.post(status_url(item), {"status": "cancelled", "note": "No aplica"}).status_code == 403


def test_bad_evidence_is_a_field_error_and_nothing_is_stored(client_as, ut_cusco, item):
    client = client_as(ut_cusco)
    response = client.post(evidence_url(item), {"document_code": "NO-EXISTE-999"})
    assert response.status_code == 400 and response.context["evidence_form"].errors
    assert not EvidenceLink.objects.filter(target_id=item.pk, target_type__model="actionitem").exists()


def test_others_cannot_link_evidence(client_as, ut_puno, lector, item):
    assert client_as(ut_puno).post(evidence_url(item), {"document_code": "X"}).status_code == 404
    assert client_as(lector).post(evidence_url(item), {"document_code": "X"}).status_code == 403
