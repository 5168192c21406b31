"""/api/v1/documents/{id}/versions…: reading a version with its Control de Cambios and steps,
starting a new version, editing a draft's content, uploading its file and adding change rows."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from core.testing import api_patch, api_post, event_count, last_event, row
from documents.models import DocumentVersion, VersionStatus
from documents.tests.api_support import (
    document_url,
    draft,
    fast_controlled_pdf,
    latest,
    load_types,
    unit,
    version_url,
    vigente,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _setup(request, monkeypatch):
    fast_controlled_pdf(request, monkeypatch)
    load_types()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document><w:t>Texto del procedimiento</w:t></w:document>")
    return out.getvalue()


# --- reading ---------------------------------------------------------------------------------


def test_it_shows_a_version_with_its_change_control_and_steps(client_as, cmg, uppm, direccion):
    version = vigente(
        "Procedimiento Zorzal",
        cmg=cmg,
        uppm=uppm,
        direccion=direccion,
        justification="Elaboración inicial",
        supporting_reference="Informe 001-2024-UPPM-CMG",
    )
    response = client_as(cmg).get(version_url(version))
    assert response.status_code == 200
    body = response.json()
    assert (body["document_code"], body["label"], body["status"]) == (version.document.code, "01", "current")
    assert body["content"].startswith("## 1. Objetivo")
    assert body["changes"] == [
        {
            "id": version.changes.get().pk,
            "date": body["changes"][0]["date"],
            "justification": "Elaboración inicial",
            "texts_modified": "",
            "supporting_reference": "Informe 001-2024-UPPM-CMG",
            "responsible": "UPPM-CMG",
        }
    ]
    assert [s["action"] for s in body["steps"]] == ["elaborated", "reviewed", "approved", "published"]
    assert body["approval_instrument"] == "RDE N.° 001-2024"
    assert body["controlled_sha256"] == version.controlled_sha256


def test_another_ut_reads_a_vigente_version_but_not_a_draft_of_the_same_document(
    client_as, cmg, uppm, direccion, ut_puno
):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    api_post(client_as(cmg), f"{document_url(version)}/versions", {"justification": "Actualización"})
    client = client_as(ut_puno)
    assert client.get(version_url(version)).status_code == 200
    assert client.get(f"{document_url(version)}/versions/2").status_code == 404


def test_an_unknown_version_is_404(client_as, cmg):
    document = draft(cmg, "Procedimiento Zorzal")
    assert client_as(cmg).get(f"{document_url(document)}/versions/7").status_code == 404


# --- a new version ---------------------------------------------------------------------------------


def test_it_starts_a_new_version_from_the_vigente_text(client_as, cmg, uppm, direccion):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    client = client_as(cmg)
    response = api_post(
        client,
        f"{document_url(version)}/versions",
        {
            "justification": "Actualización",
            "supporting_reference": "Informe 043-2024-UPPM-CMG",
            "texts_modified": "Numeral 5",
            "date": "2024-07-01",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["label"], body["status"]) == (2, "02", "draft")
    assert body["content"] == version.content
    assert body["changes"][0]["supporting_reference"] == "Informe 043-2024-UPPM-CMG"
    assert body["changes"][0]["date"] == "2024-07-01"
    assert last_event("documents.documentversion").action == AuditEvent.Action.CREATE


def test_a_new_version_needs_a_justification(client_as, cmg, uppm, direccion):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    client = client_as(cmg)
    before = (DocumentVersion.objects.count(), event_count())
    response = api_post(client, f"{document_url(version)}/versions", {"content": "Nuevo"})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "justification"]
    assert (DocumentVersion.objects.count(), event_count()) == before


def test_no_new_version_while_one_is_in_progress(client_as, cmg):
    document = draft(cmg, "Procedimiento Zorzal")
    response = api_post(client_as(cmg), f"{document_url(document)}/versions", {"justification": "Otra"})
    assert response.status_code == 400
    assert document.versions.count() == 1


def test_a_reader_may_not_start_a_version(client_as, cmg, uppm, direccion, lector):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    response = api_post(client_as(lector), f"{document_url(version)}/versions", {"justification": "X"})
    assert response.status_code == 403
    assert version.document.versions.count() == 1


# --- editing a draft ---------------------------------------------------------------------------------


def test_it_changes_a_drafts_content_and_endorsing_units(client_as, cmg):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = api_patch(
        client_as(cmg),
        version_url(version),
        {"content": "## 1. Objetivo\n\nTexto corregido.", "endorsing_units": [unit("UPPM").pk]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["content"].endswith("Texto corregido.")
    assert response.json()["endorsing_unit_codes"] == ["UPPM"]
    assert last_event("documents.documentversion").action == AuditEvent.Action.UPDATE


def test_a_vigente_version_cannot_be_edited(client_as, cmg, uppm, direccion):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    client = client_as(cmg)
    before = (row(version), event_count())
    response = api_patch(client, version_url(version), {"content": "Cambiado"})
    assert response.status_code == 400
    assert (row(version), event_count()) == before


def test_a_reader_may_not_edit_a_draft(client_as, cmg, lector):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    before = row(version)
    assert api_patch(client_as(lector), version_url(version), {"content": "X"}).status_code == 403
    assert row(version) == before


def test_content_cannot_be_sent_as_null(client_as, cmg):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = api_patch(client_as(cmg), version_url(version), {"content": None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "content"


def test_it_adds_a_change_control_row_to_a_draft(client_as, cmg):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = api_post(
        client_as(cmg),
        version_url(version, "changes"),
        {
            "justification": "Actualización",
            "date": "2024-08-02",
            "supporting_reference": "Informe 114-2024",
        },
    )
    assert response.status_code == 201, response.content
    assert [c["justification"] for c in response.json()["changes"]][-1] == "Actualización"
    assert len(response.json()["changes"]) == 2


def test_a_change_control_row_needs_a_justification(client_as, cmg):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = api_post(client_as(cmg), version_url(version, "changes"), {"justification": " "})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "justification"
    assert version.changes.count() == 1


# --- uploading the file of a draft -------------------------------------------------------------------


def upload(client, version, name: str, data: bytes):
    return client.post(version_url(version, "file"), {"file": SimpleUploadedFile(name, data)})


def test_it_uploads_a_pdf_and_records_its_sha256(client_as, cmg):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = upload(client_as(cmg), version, "procedimiento.pdf", PDF)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["file_type"], body["file_size"], body["file_name"]) == ("pdf", len(PDF), "procedimiento.pdf")
    assert body["file_sha256"] == hashlib.sha256(PDF).hexdigest()


def test_it_uploads_a_docx_and_indexes_its_text(client_as, cmg):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = upload(client_as(cmg), version, "procedimiento.docx", docx_bytes())
    assert response.status_code == 200, response.content
    assert response.json()["file_type"] == "docx"
    assert "Texto del procedimiento" in DocumentVersion.objects.get(pk=version.pk).extracted_text


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("procedimiento.docx", PDF),  # content does not match the extension
        ("procedimiento.pdf", b""),  # empty
        ("procedimiento.exe", b"MZ\x90\x00"),  # not an accepted type
    ],
)
def test_it_refuses_a_bad_file_naming_the_field_and_stores_nothing(client_as, cmg, name, data):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    client = client_as(cmg)
    before = (row(version), event_count())
    response = upload(client, version, name, data)
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "file"]
    assert (row(version), event_count()) == before


def test_it_refuses_a_file_over_the_size_limit(client_as, cmg, settings):
    settings.SIG_MAX_UPLOAD_MB = 1
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = upload(client_as(cmg), version, "grande.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "file"]
    assert not DocumentVersion.objects.get(pk=version.pk).file_sha256


def test_a_file_cannot_replace_a_version_past_draft(client_as, cmg, uppm, direccion):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    before = row(version)
    assert upload(client_as(cmg), version, "otro.pdf", PDF).status_code == 400
    assert row(version) == before
    assert DocumentVersion.objects.get(pk=version.pk).status == VersionStatus.CURRENT


def test_a_reader_may_not_upload(client_as, cmg, lector):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    assert upload(client_as(lector), version, "p.pdf", PDF).status_code == 403
    assert not DocumentVersion.objects.get(pk=version.pk).file_sha256


def test_the_upload_needs_a_file(client_as, cmg):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = client_as(cmg).post(version_url(version, "file"), {})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "file"


def test_replacing_a_drafts_file_leaves_no_orphan_file(client_as, cmg, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    version = latest(draft(cmg, "Procedimiento Zorzal"))
    client = client_as(cmg)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, version, "uno.pdf", PDF).status_code == 200
    first = DocumentVersion.objects.get(pk=version.pk).file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, version, "dos.docx", docx_bytes()).status_code == 200
    second = DocumentVersion.objects.get(pk=version.pk).file.name
    assert first != second
    assert not default_storage.exists(first) and default_storage.exists(second)
