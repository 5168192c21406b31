"""Shared set-up for the document page, workflow-service and search tests: documents built with
the services, small real PDF/DOCX files, URL helpers and an HTML reader that finds elements by
data-* attributes (never by UI text, which becomes Spanish)."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.files import inspect_upload
from documents import demo, services
from documents.models import Document, DocumentType, DocumentVersion
from organization.models import OrgUnit
from organization.tests.helpers import find, find_all, text_of  # noqa: F401 - re-exported for the tests

DAY = datetime.date(2024, 3, 1)


def load_types() -> None:
    demo.load_types()


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def events() -> int:
    return AuditEvent.objects.count()


def fresh(obj: Document | DocumentVersion) -> Any:
    return type(obj).objects.get(pk=obj.pk)


# --- files -----------------------------------------------------------------------------------


def pdf_bytes(text: str = "Documento de prueba") -> bytes:
    """A one-page PDF whose text pypdf can extract."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_bytes(text: str = "Documento de prueba") -> bytes:
    """A minimal Office Open XML word-processing package."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        zf.writestr(
            "word/document.xml", f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        )
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def inspected(name: str, data: bytes) -> Any:
    return inspect_upload(upload(name, data))


# --- documents through the services ------------------------------------------------------------


def draft(
    by: Any, title: str = "Procedimiento de prueba", *, unit_code: str = "UPPM-CMG", type_code: str = "P", **extra: Any
) -> Document:
    file = extra.pop("upload", None)
    data = {
        "title": title,
        "document_type": doc_type(type_code),
        "owner_unit": unit(unit_code),
        "content": f"## 1. Objetivo\n\n{title}.\n",
        **extra,
    }
    return services.register_document(data=data, by=by, upload=file)


def latest(document: Document) -> DocumentVersion:
    version = Document.objects.get(pk=document.pk).latest_version
    assert version is not None
    return DocumentVersion.objects.select_related("document__document_type").get(pk=version.pk)


def in_approval(by: Any, reviewer: Any, **kwargs: Any) -> DocumentVersion:
    version = latest(draft(by, **kwargs))
    services.submit_for_review(version, by=by)
    services.review(version, by=reviewer)
    return fresh(version)


def vigente(
    cmg: Any, uppm: Any, direccion: Any, title: str = "Procedimiento vigente", day: datetime.date = DAY, **kwargs: Any
) -> DocumentVersion:
    """Version 01 of a UPPM-CMG procedure, in force (renders the controlled PDF)."""
    version = in_approval(cmg, uppm, title=title, **kwargs)
    services.approve(version, by=direccion, instrument="RDE N.° 001-2024", approved_on=day, publish_on=day)
    return fresh(version)


# --- URLs ------------------------------------------------------------------------------------

LIST = reverse("documents:document_list")
CREATE = reverse("documents:document_create")
CREATE_EXTERNAL = reverse("documents:document_create_external")


def detail_url(document: Document | DocumentVersion) -> str:
    pk = document.document_id if isinstance(document, DocumentVersion) else document.pk
    return reverse("documents:document_detail", args=[pk])


def version_url(version: DocumentVersion, action: str = "") -> str:
    if action:
        return reverse("documents:version_action", args=[version.document_id, version.number, action])
    return reverse("documents:version_detail", args=[version.document_id, version.number])


def document_action_url(document: Document, name: str) -> str:
    return reverse(f"documents:document_{name}", args=[document.pk])


def register_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "document_type": doc_type("P").pk,
        "title": "Procedimiento de control de registros",
        "owner_unit": unit("UPPM-CMG").pk,
        "classification": "internal",
        "content": "## 1. Objetivo\n\nControlar los registros.\n",
        "justification": "Elaboración inicial",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
