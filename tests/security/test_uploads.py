"""Decompression bombs and oversized PDFs are refused wherever a file comes in (issue 7, point 2):
a document's file on the page and in the API, a product's delivery evidence (a UT head may upload
it) and the cronograma import. Nothing is inflated, nothing is stored."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from core import files
from core.files import UnsafeFile, extract_text, inspect_upload, open_zip
from documents.models import DocumentVersion
from documents.tests.page_support import docx_bytes, draft, latest, load_types, version_url
from evidence.models import EvidenceFile
from plans.tests.page_support import add_activity, add_product, deliver_url, plan, plan_url
from tests.security.bombs import CONTENT_TYPES, docx_bomb, xlsx_bomb

pytestmark = pytest.mark.django_db

BOMBS = [
    ("informe.xlsx", lambda: xlsx_bomb(256)),  # past the expanded-size cap and the ratio
    ("informe.xlsx", lambda: xlsx_bomb(20)),  # under the size cap, far past the ratio
    ("procedimiento.docx", lambda: docx_bomb(256)),
]


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(("name", "make"), BOMBS)
def test_a_bomb_is_refused_before_anything_is_inflated(name, make):
    data = make()
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeFile) as exc:
            inspect_upload(_upload(name, data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc.value.field == "file" and "bomb" in exc.value.message
    assert peak < 5 * len(data) + 2_000_000  # the archive's directory, never its expanded contents


def test_a_large_member_that_does_not_compress_is_refused_past_the_cap(settings):
    settings.SIG_MAX_EXPANDED_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/media/image1.bin", os.urandom(2 * 1024 * 1024))
    with pytest.raises(UnsafeFile):
        inspect_upload(_upload("libro.xlsx", out.getvalue()))


def test_an_ordinary_docx_is_still_accepted_and_indexed():
    inspected = inspect_upload(_upload("p.docx", docx_bytes("Texto del procedimiento")))
    assert inspected.kind == "docx" and "Texto del procedimiento" in inspected.text


def test_a_member_is_read_in_chunks_up_to_a_limit():
    archive = open_zip(docx_bytes("x" * 5000))
    assert len(files.read_member(archive, "word/document.xml", 100)) == 100


@pytest.mark.parametrize(("name", "make"), BOMBS)
def test_the_document_page_refuses_a_bomb(client_as, cmg, name, make):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    response = client_as(cmg).post(
        version_url(version, "editar"), {"editar-content": "## Texto", "editar-file": _upload(name, make())}
    )
    assert response.status_code == 400
    assert "bomb" in response.content.decode()
    assert not DocumentVersion.objects.get(pk=version.pk).file_sha256


@pytest.mark.parametrize(("name", "make"), BOMBS)
def test_the_api_refuses_a_bomb_naming_the_field(client_as, cmg, name, make):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    url = f"/api/v1/documents/{version.document_id}/versions/{version.number}/file"
    response = client_as(cmg).post(url, {"file": _upload(name, make())})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "file"]
    assert not DocumentVersion.objects.get(pk=version.pk).file_sha256


def test_a_ut_head_cannot_deliver_a_bomb_as_evidence(client_as, cmg, ut_cusco):
    p = plan(cmg)
    activity = add_activity(p, "2.7", by=cmg, stage=2, sites=("UT-CUS",))
    product = add_product(p, "Informe de la UT", [activity], by=cmg)
    count = EvidenceFile.objects.count()
    data = {"kind": "file", "file": _upload("informe.xlsx", xlsx_bomb(256)), "file_title": "Informe"}
    response = client_as(ut_cusco).post(deliver_url(product), data)
    assert response.status_code == 400
    assert "bomb" in response.content.decode()
    assert EvidenceFile.objects.count() == count


def test_the_cronograma_import_refuses_a_bomb(client_as, cmg):
    p = plan(cmg)
    response = client_as(cmg).post(
        plan_url(p, "cronograma_import"), {"file": _upload("cronograma.xlsx", xlsx_bomb(20))}
    )
    assert response.status_code == 400
    assert "bomb" in response.content.decode()
    assert not p.activities.exists()


def test_the_cronograma_parser_refuses_a_bomb_even_without_the_upload_check(cmg):
    from plans.cronograma import CronogramaImporter

    rows, errors = CronogramaImporter(plan(cmg)).parse(xlsx_bomb(256))
    assert rows == [] and "bomb" in errors[0].message


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_PDF_PAGES", 3)
    with pytest.raises(UnsafeFile):
        inspect_upload(_upload("informe.pdf", _pdf(4)))
    assert inspect_upload(_upload("informe.pdf", _pdf(3))).kind == "pdf"


def test_text_extraction_stops_at_the_page_budget(monkeypatch):
    monkeypatch.setattr(files, "TEXT_PAGES", 2)
    seen = []
    from pypdf import PageObject

    original = PageObject.extract_text

    def counting(self, *args, **kwargs):
        seen.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", counting)
    extract_text("pdf", _pdf(10))
    assert len(seen) == 2
