"""Reads of sensitive records are logged (issue 7, point 8): a confidential (or restricted)
document's page, version, original file and controlled copy, through the pages and the API, and
the access review, write a READ entry; every export — the access-review XLSX and the acta PDF
included — writes an EXPORT entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from committee.tests.helpers import detail_url as session_url
from committee.tests.helpers import make_session
from documents.tests.page_support import docx_bytes, draft, load_types, upload, version_url, vigente

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def _reads(document) -> list[str]:
    return list(
        AuditEvent.objects.filter(action="read", object_type="documents.document", object_id=str(document.pk))
        .order_by("id")
        .values_list("changes__read", flat=True)
    )


@pytest.mark.parametrize("classification", ["confidential", "restricted"])
def test_every_read_of_a_sensitive_document_is_logged(client_as, cmg, uppm, direccion, classification):
    version = vigente(cmg, uppm, direccion, title="Matriz de riesgos", classification=classification)
    document = version.document
    client = client_as(cmg)
    assert client.get(reverse("documents:document_detail", args=[document.pk])).status_code == 200
    assert client.get(version_url(version)).status_code == 200
    assert (
        client.get(reverse("documents:version_controlled_pdf", args=[document.pk, version.number])).status_code == 200
    )
    assert client.get(f"/api/v1/documents/{document.pk}").status_code == 200
    assert client.get(f"/api/v1/documents/{document.pk}/versions/{version.number}").status_code == 200
    assert _reads(document) == ["detail", "version", "controlled_copy", "detail", "version"]
    entry = AuditEvent.objects.filter(action="read").latest("id")
    assert entry.actor == cmg and entry.changes["classification"] == classification and entry.changes["version"] == 1


def test_reading_a_confidential_original_file_is_logged(client_as, cmg):
    document = draft(cmg, "Plan de continuidad", classification="confidential", upload=None)
    client = client_as(cmg)
    version = document.latest_version
    client.post(version_url(version, "editar"), {"editar-content": "x", "editar-file": upload("p.docx", docx_bytes())})
    response = client.get(reverse("documents:version_file", args=[document.pk, version.number]))
    assert response.status_code == 200
    assert _reads(document)[-1] == "file"


def test_reading_an_internal_document_is_not_a_sensitive_read(client_as, cmg, uppm, direccion):
    version = vigente(cmg, uppm, direccion, classification="internal")
    client_as(cmg).get(reverse("documents:document_detail", args=[version.document_id]))
    assert _reads(version.document) == []


def test_the_access_review_is_a_logged_read_and_its_xlsx_a_logged_export(client_as, oficial_si):
    client = client_as(oficial_si)
    client.get("/cuenta/personas/revision-accesos/")
    read = AuditEvent.objects.latest("id")
    assert (read.action, read.changes["read"], read.actor) == ("read", "access_review", oficial_si)
    client.get("/cuenta/personas/revision-accesos/?format=xlsx")
    export = AuditEvent.objects.latest("id")
    assert (export.action, export.object_repr, export.changes["format"]) == ("export", "Access review export", "xlsx")


def test_downloading_an_acta_is_a_logged_export(client_as, cmg):
    session = make_session(cmg, "T05-2020")
    response = client_as(cmg).get(session_url(session, "acta_pdf"))
    assert response.status_code == 200
    export = AuditEvent.objects.latest("id")
    assert (export.action, export.object_type, export.object_id) == ("export", "committee.session", str(session.pk))
