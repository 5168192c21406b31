"""The controlled copy of a document version: the PDF in the seed's format.

Pages: a cover (entity, document type, title, code and version, approval data and the
Elaborado / Revisado / Aprobado block), the body, and the Control de Cambios table with every
row of every version up to this one. Every page has the seed's header (entity, title, code,
"Versión: NN", "Página: X de Y") and footer (uncontrolled-copy legend, authenticity paragraph
with the verification URL and code, QR).

The body depends on the version's content:
- Markdown: rendered and sanitised (reports.markdown).
- Uploaded PDF: each original page is scaled into the body area of a page that has the header
  and footer, so nothing of the original is covered and "Página X de Y" counts the whole copy.
- Uploaded DOCX/XLSX (not convertible without an office suite), or a PDF that cannot be read:
  a page naming the original file with its size and SHA-256, and the original itself embedded
  as a PDF attachment.

The caller stores and hashes the bytes once, when the version becomes vigente."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from documents.models import ChangeEntry, DocumentVersion, VersionStatus, WorkflowStep
from reports.markdown import markdown_to_html
from reports.pdf import A4, MM_TO_PT, print_frame, render_html

logger = logging.getLogger(__name__)

TEMPLATE = "documents/print/controlled.html"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF points are 72 per inch.
CAPTION_MM = 6.0  # room under each embedded original page for its caption
COVER_SLACK_MM = 2.0

SIGNATURES = [
    (WorkflowStep.Action.ELABORATED, "Elaborado por:"),
    (WorkflowStep.Action.REVIEWED, "Revisado por:"),
    (WorkflowStep.Action.APPROVED, "Aprobado por:"),
]
# Printed documents are in Spanish (Ley 27806 classification terms).
CLASSIFICATION_ES = {
    "public": "Pública",
    "internal": "Uso interno",
    "restricted": "Reservada",
    "confidential": "Confidencial",
}
FILE_TYPES_ES = {
    "pdf": "Documento PDF",
    "docx": "Documento de Word (DOCX)",
    "xlsx": "Libro de Excel (XLSX)",
}
WATERMARKS = {VersionStatus.OBSOLETE: "OBSOLETO"}


@dataclass(frozen=True)
class Signature:
    label: str
    name: str
    position: str
    unit: str
    at: Any


@dataclass(frozen=True)
class ChangeRow:
    version: str
    first: bool
    rowspan: int
    entry: ChangeEntry


@dataclass(frozen=True)
class OriginalPage:
    """One page of an uploaded PDF and the box (in mm) it is scaled into."""

    index: int
    landscape: bool
    width: float
    height: float


def _signatures(steps: list[WorkflowStep]) -> list[Signature]:
    latest: dict[str, WorkflowStep] = {}
    for step in steps:  # ordered by time: the last of each action wins
        latest[step.action] = step
    out = []
    for action, label in SIGNATURES:
        step = latest.get(action)
        out.append(
            Signature(
                label=label,
                name=step.person_name if step else "—",
                position=step.position if step else "",
                unit=step.unit.name if step and step.unit else "",
                at=step.at if step else None,
            )
        )
    return out


def _endorsements(steps: list[WorkflowStep]) -> list[WorkflowStep]:
    """Visados of the last review round (an earlier round was undone by a return to draft)."""
    reviewed = [s.at for s in steps if s.action == WorkflowStep.Action.REVIEWED]
    since = reviewed[-1] if reviewed else None
    return [s for s in steps if s.action == WorkflowStep.Action.ENDORSED and (since is None or s.at >= since)]


def _change_rows(version: DocumentVersion) -> list[ChangeRow]:
    entries = list(
        ChangeEntry.objects.filter(version__document_id=version.document_id, version__number__lte=version.number)
        .select_related("version")
        .order_by("version__number", "order", "pk")
    )
    counts: dict[int, int] = {}
    for entry in entries:
        counts[entry.version.number] = counts.get(entry.version.number, 0) + 1
    rows, seen = [], set()
    for entry in entries:
        number = entry.version.number
        rows.append(ChangeRow(f"{number:02d}", number not in seen, counts[number], entry))
        seen.add(number)
    return rows


def human_size(size: int | None) -> str:
    if not size:
        return "—"
    if size < 1024:
        return f"{size} bytes"
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",") + f" ({size:,} bytes)".replace(",", " ")
    return f"{size} bytes"  # pragma: no cover


def _read_original(version: DocumentVersion) -> bytes:
    with version.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def _original_pages(data: bytes) -> tuple[Any, list[OriginalPage]] | None:
    """The uploaded PDF's pages (rotation applied) and their boxes, or None when the file
    cannot be read as a PDF (encrypted, damaged): it is then attached instead."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        pages = []
        for index, page in enumerate(reader.pages, start=1):
            page.transfer_rotation_to_content()
            box = page.cropbox
            width_mm, height_mm = float(box.width) / MM_TO_PT, float(box.height) / MM_TO_PT
            if width_mm <= 0 or height_mm <= 0:
                return None
            landscape = width_mm > height_mm
            geometry = A4.landscape() if landscape else A4
            scale = min(geometry.body_width / width_mm, (geometry.body_height - CAPTION_MM) / height_mm, 1.0)
            pages.append(OriginalPage(index, landscape, round(width_mm * scale, 2), round(height_mm * scale, 2)))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        logger.warning("controlled copy: the uploaded PDF cannot be read (%s); attaching it instead", exc)
        return None
    if not pages:
        return None
    return reader, pages


def controlled_context(
    version: DocumentVersion,
    *,
    original_pages: list[OriginalPage] | None = None,
    attach: bool = False,
) -> dict[str, Any]:
    """Everything the print template shows; `original_pages` or `attach` describe an upload."""
    document = version.document
    entity = document.owner_unit.entity
    steps = list(version.steps.select_related("unit").order_by("at", "pk"))
    current = version.status == VersionStatus.CURRENT and bool(version.verification_code)
    watermark = "" if current else WATERMARKS.get(VersionStatus(version.status), "NO VIGENTE")
    is_markdown = not version.file_sha256
    return {
        "frame": print_frame(
            entity=entity,
            title=document.title,
            code=document.code,
            version=version.label,
            verification_code=version.verification_code or "",
            watermark=watermark,
        ),
        "document": document,
        "version": version,
        "type_name": document.document_type.name,
        "unit": document.owner_unit,
        "classification": CLASSIFICATION_ES.get(document.classification, document.classification),
        "signatures": _signatures(steps),
        "endorsements": _endorsements(steps),
        "body_html": markdown_to_html(version.content) if is_markdown else "",
        "original_pages": original_pages or [],
        "attachment": (
            {
                "name": version.file_name,
                "type": FILE_TYPES_ES.get(version.file_type, version.file_type.upper()),
                "size": human_size(version.file_size),
                "sha256": version.file_sha256,
            }
            if attach or original_pages
            else None
        ),
        "attached": attach,
        "changes": _change_rows(version),
        "changes_on_new_page": not is_markdown,
        "cover_height": round(A4.body_height - COVER_SLACK_MM, 2),
    }


def _stamp_originals(document: Any, reader: Any, pages: list[OriginalPage]) -> Any:
    """Write the laid-out copy and scale each original page into its frame box."""
    from pypdf import PdfWriter, Transformation

    writer = PdfWriter(clone_from=io.BytesIO(document.write_pdf()))
    for page_number, page in enumerate(document.pages):
        for original in pages:
            rect = page.anchors.get(f"orig-{original.index}")
            if rect is None:
                continue
            x1, y1, x2, y2 = (v * PX_TO_PT for v in rect)
            source = reader.pages[original.index - 1]
            box = source.cropbox
            scale = (x2 - x1) / float(box.width)
            page_height = page.height * PX_TO_PT
            ctm = (
                Transformation()
                .translate(-float(box.left), -float(box.bottom))
                .scale(scale, scale)
                .translate(x1, page_height - y2)
            )
            writer.pages[page_number].merge_transformed_page(source, ctm)
    return writer


def render_controlled_pdf(version: DocumentVersion) -> bytes:
    """The controlled copy of `version` as PDF bytes (see the module docstring).

    Uses the object as given, unsaved changes included: the publishing service calls this
    with the new status and verification code set but not yet saved."""
    from reports.pdf import html_document

    original: tuple[Any, list[OriginalPage]] | None = None
    data = b""
    if version.file_sha256 and version.file:
        data = _read_original(version)
        if version.file_type == "pdf":
            original = _original_pages(data)
    attach = bool(data) and original is None
    with translation.override("es"):
        html = render_html(
            TEMPLATE, controlled_context(version, original_pages=original[1] if original else None, attach=attach)
        )
    laid_out = html_document(html)
    if original is None and not attach:
        pdf: bytes = laid_out.write_pdf()
        return pdf

    from pypdf import PdfWriter

    if original is not None:
        writer = _stamp_originals(laid_out, original[0], original[1])
    else:
        writer = PdfWriter(clone_from=io.BytesIO(laid_out.write_pdf()))
        writer.add_attachment(version.file_name or f"{version.document.code}.{version.file_type}", data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

