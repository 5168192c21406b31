"""Shared set-up for the document API and public verification tests: documents registered and
walked through the workflow with the same services the pages and the API call."""

from __future__ import annotations

import datetime
from typing import Any

from documents import controlled, demo, services
from documents.models import Document, DocumentType, DocumentVersion
from organization.models import OrgUnit

API = "/api/v1/documents"


def fast_controlled_pdf(request: Any, monkeypatch: Any) -> None:
    """Publish with a tiny stand-in for the controlled PDF (rendering one takes about a second;
    documents.controlled has its own tests). A test that needs the real rendering asks for the
    fixture `real_controlled_pdf` (defined in its module)."""
    if "real_controlled_pdf" in request.fixturenames:
        return

    def render(version: DocumentVersion) -> bytes:
        mark = f"{version.document.code} v{version.label} {version.verification_code}"
        return b"%PDF-1.4\n% controlled copy (test) " + mark.encode() + b"\n%%EOF\n"

    monkeypatch.setattr(controlled, "render_controlled_pdf", render)


def load_types() -> None:
    """Document types and workflow rules of the demo (idempotent)."""
    demo.load_types()


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def draft(by: Any, title: str, *, unit_code: str = "UPPM-CMG", type_code: str = "P", **extra: Any) -> Document:
    """A document registered by `by` with version 01 in borrador."""
    data = {
        "title": title,
        "document_type": doc_type(type_code),
        "owner_unit": unit(unit_code),
        "content": f"## 1. Objetivo\n\n{title}.\n",
        **extra,
    }
    return services.register_document(data=data, by=by)


def latest(document: Document) -> DocumentVersion:
    version = Document.objects.get(pk=document.pk).latest_version
    assert version is not None
    return version


def publish(
    version: DocumentVersion,
    *,
    drafter: Any,
    reviewer: Any,
    approver: Any,
    day: datetime.date = datetime.date(2024, 3, 1),
    instrument: str = "RDE N.° 001-2024",
) -> DocumentVersion:
    """Walk a draft through review and approval until it is vigente (renders the controlled PDF)."""
    services.submit_for_review(version, by=drafter)
    services.review(version, by=reviewer)
    services.approve(version, by=approver, instrument=instrument, approved_on=day, publish_on=day)
    return DocumentVersion.objects.select_related("document").get(pk=version.pk)


def vigente(title: str, *, cmg: Any, uppm: Any, direccion: Any, **extra: Any) -> DocumentVersion:
    """A procedure of UPPM-CMG with version 01 vigente."""
    return publish(latest(draft(cmg, title, **extra)), drafter=cmg, reviewer=uppm, approver=direccion)


def controlled_bytes(version: DocumentVersion) -> bytes:
    with version.controlled_pdf.open("rb") as handle:
        data: bytes = handle.read()
    return data


def document_url(document: Document | DocumentVersion) -> str:
    pk = document.document_id if isinstance(document, DocumentVersion) else document.pk
    return f"{API}/{pk}"


def version_url(version: DocumentVersion, action: str = "") -> str:
    base = f"{API}/{version.document_id}/versions/{version.number}"
    return f"{base}/{action}" if action else base
