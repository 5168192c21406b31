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

from documents.models import ChangeEntry, DocumentVersion, VersionStatus, WorkflowStep
from reports.base import Identity, Report
from reports.markdown import markdown_to_html
from reports.pdf import A4, MM_TO_PT

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
FILE_TYPES_ES = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}
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
    latest = {step.action: step for step in steps}  # ordered by time: the last of each action wins
    out = []
    for action, label in SIGNATURES:
        signed = latest.get(action)
        out.append(
            Signature(
                label=label,
                name=signed.person_name if signed else "—",
                position=signed.position if signed else "",
                unit=signed.unit.name if signed and signed.unit else "",
                at=signed.at if signed else None,
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


def cover_title(title: str, type_name: str) -> str:
    """The cover shows the type above the title, as the seed does ("PLAN" / "DESARROLLO DEL
    SISTEMA INTEGRADO DE GESTIÓN 2020"), so a title that repeats the type drops it
    ("Procedimiento para la atención…" → "Para la atención…")."""
    for joiner, keep in ((" de ", False), (" para ", True)):
        prefix = f"{type_name}{joiner}"
        if type_name and title.lower().startswith(prefix.lower()) and len(title) > len(prefix):
            rest = title[len(type_name) + 1 :] if keep else title[len(prefix) :]
            return rest[0].upper() + rest[1:]
    return title


def human_size(size: int | None) -> str:
    """Peruvian style: "12,3 KB (12 589 bytes)"."""
    if not size:
        return "—"
    exact = f"{size:,} bytes".replace(",", " ")
    if size < 1024:
        return exact
    value, unit = (size / 1024 / 1024, "MB") if size >= 1024 * 1024 else (size / 1024, "KB")
    return f"{value:.1f} {unit}".replace(".", ",") + f" ({exact})"


def _read_original(version: DocumentVersion) -> bytes:
    with version.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def _display_size(page: Any) -> tuple[float, float]:
    """Width and height in points of a page as viewers show it (its /Rotate applied)."""
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    return (height, width) if page.rotation % 180 else (width, height)


def _original_pages(data: bytes) -> tuple[Any, list[OriginalPage]] | None:
    """The uploaded PDF (a pypdf reader) and the box each page is scaled into, or None when
    the file cannot be read as a PDF (encrypted, damaged): it is then attached instead."""
    from core.files import open_pdf

    try:
        reader = open_pdf(data)  # pages and objects bounded
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        pages = []
        for index, page in enumerate(reader.pages, start=1):
            width_pt, height_pt = _display_size(page)
            width_mm, height_mm = width_pt / MM_TO_PT, height_pt / MM_TO_PT
            if width_mm <= 0 or height_mm <= 0:
                return None
            landscape = width_mm > height_mm
            geometry = A4.landscape() if landscape else A4
            scale = min(geometry.body_width / width_mm, (geometry.body_height - CAPTION_MM) / height_mm, 1.0)
            pages.append(OriginalPage(index, landscape, round(width_mm * scale, 2), round(height_mm * scale, 2)))
    except Exception as exc:  # noqa: BLE001 - any unreadable PDF is attached instead of stamped
        logger.warning("controlled copy: the uploaded PDF cannot be read (%s); attaching it instead", exc)
        return None
    if not pages:
        return None
    return reader, pages


class ControlledCopy(Report):
    """The controlled copy of a version (reports.base.Report), issued with a verification code
    when the version becomes vigente (kind "documents.version")."""

    template = TEMPLATE
    audit_type = "documents.documentversion"

    def __init__(
        self, version: DocumentVersion, *, original_pages: list[OriginalPage] | None = None, attach: bool = False
    ) -> None:
        self.version = version
        self.original_pages = original_pages
        self.attach = attach

    def identity(self) -> Identity:
        document = self.version.document
        return Identity(
            title=document.title,
            code=document.code,
            version=self.version.label,
            filename=f"{document.code}-v{self.version.label}",
        )

    def watermark(self) -> str:
        version = self.version
        current = version.status == VersionStatus.CURRENT and bool(version.verification_code)
        return "" if current else WATERMARKS.get(VersionStatus(version.status), "NO VIGENTE")

    def context(self) -> dict[str, Any]:
        version = self.version
        document = version.document
        steps = list(version.steps.select_related("unit").order_by("at", "pk"))
        is_markdown = not version.file_sha256
        return {
            "document": document,
            "version": version,
            "type_name": document.document_type.name,
            "cover_title": cover_title(document.title, document.document_type.name),
            "unit": document.owner_unit,
            "classification": CLASSIFICATION_ES.get(document.classification, document.classification),
            "signatures": _signatures(steps),
            "endorsements": _endorsements(steps),
            "body_html": markdown_to_html(version.content) if is_markdown else "",
            "original_pages": self.original_pages or [],
            "attachment": (
                {
                    "name": version.file_name,
                    "type": FILE_TYPES_ES.get(version.file_type, version.file_type.upper()),
                    "size": human_size(version.file_size),
                    "sha256": version.file_sha256,
                }
                if self.attach or self.original_pages
                else None
            ),
            "attached": self.attach,
            "changes": _change_rows(version),
            "changes_on_new_page": not is_markdown,
            "cover_height": round(A4.body_height - COVER_SLACK_MM, 2),
        }

    def html_for_copy(self) -> str:
        return self.html(self.version.verification_code or "")

    def pdf(self, verification_code: str = "") -> bytes:
        return render_controlled_pdf(self.version)


def controlled_context(
    version: DocumentVersion,
    *,
    original_pages: list[OriginalPage] | None = None,
    attach: bool = False,
) -> dict[str, Any]:
    """Everything the print template shows (the frame included); `original_pages` or `attach`
    describe an upload."""
    copy = ControlledCopy(version, original_pages=original_pages, attach=attach)
    return {"frame": copy.frame(version.verification_code or ""), "page": A4, **copy.context()}


def _stream(writer: Any, data: bytes, extra: dict[Any, Any] | None = None) -> Any:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update(extra or {})
    # pypdf has no public "add object"; _add_object is what its own merge uses (pinned 7.1.0).
    return writer._add_object(stream.flate_encode())


def _place_original(writer: Any, target: Any, source: Any, name: str, rect: tuple[float, ...]) -> None:
    """Draw `source` (a page of the uploaded PDF) into `rect` (x1, y1, x2, y2 in points from
    the bottom-left) of `target`, as a Form XObject: its content is copied, not parsed, so
    large originals stay fast, and its resources keep their own names."""
    from pypdf import Transformation
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject

    box = source.cropbox
    contents = source.get_contents()
    form: dict[Any, Any] = {
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)),
    }
    if "/Resources" in source:
        form[NameObject("/Resources")] = source["/Resources"].get_object().clone(writer)
    form_ref = _stream(writer, contents.get_data() if contents is not None else b"", form)

    x1, y1, x2, y2 = rect
    display_width, _display_height = _display_size(source)
    scale = (x2 - x1) / display_width
    ctm = (
        Transformation()
        .translate(-(float(box.left) + float(box.width) / 2), -(float(box.bottom) + float(box.height) / 2))
        .rotate(-(source.rotation % 360))  # /Rotate turns clockwise; Transformation.rotate counter-clockwise
        .scale(scale, scale)
        .translate((x1 + x2) / 2, (y1 + y2) / 2)
    ).ctm

    resources = target["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject(name)] = form_ref
    # The frame page's own content may leave its coordinate system changed: wrap it in q … Q.
    existing = target["/Contents"]
    parts = list(existing.get_object()) if isinstance(existing.get_object(), ArrayObject) else [existing]
    matrix = " ".join(f"{v:.5f}" for v in ctm)
    target[NameObject("/Contents")] = ArrayObject(
        [_stream(writer, b"q\n"), *parts, _stream(writer, f"Q\nq {matrix} cm {name} Do Q\n".encode())]
    )


def _stamp_originals(laid_out: Any, reader: Any, pages: list[OriginalPage]) -> Any:
    """Write the laid-out copy and draw each original page into its frame box."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(laid_out.write_pdf()))
    wanted = {f"orig-{p.index}": p for p in pages}
    for page_number, page in enumerate(laid_out.pages):
        page_height = page.height * PX_TO_PT
        for anchor, (x1, y1, x2, y2) in page.anchors.items():
            original = wanted.get(anchor)
            if original is None:
                continue
            rect = (x1 * PX_TO_PT, page_height - y2 * PX_TO_PT, x2 * PX_TO_PT, page_height - y1 * PX_TO_PT)
            _place_original(
                writer,
                writer.pages[page_number],
                reader.pages[original.index - 1],
                f"/SigOriginal{original.index}",
                rect,
            )
    return writer


def _lay_out(
    version: DocumentVersion, *, original_pages: list[OriginalPage] | None = None, attach: bool = False
) -> Any:
    from reports.pdf import html_document

    return html_document(ControlledCopy(version, original_pages=original_pages, attach=attach).html_for_copy())


def controlled_fingerprint(version: DocumentVersion) -> str:
    """What the controlled copy of `version` depends on: its printed HTML (cover, body, change
    control, frame) and its uploaded original. Equal fingerprints print equal copies, so the
    publishing service can print outside its transaction and check nothing changed meanwhile."""
    import hashlib

    html = ControlledCopy(version, attach=bool(version.file_sha256)).html_for_copy()
    return hashlib.sha256((html + "\n" + (version.file_sha256 or "")).encode()).hexdigest()


def _written(writer: Any) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_controlled_pdf(version: DocumentVersion) -> bytes:
    """The controlled copy of `version` as PDF bytes (see the module docstring).

    Uses the object as given, unsaved changes included: the publishing service calls this
    with the new status and verification code set but not yet saved."""
    from pypdf import PdfWriter

    if not (version.file_sha256 and version.file):
        pdf: bytes = _lay_out(version).write_pdf()
        return pdf
    data = _read_original(version)
    original = _original_pages(data) if version.file_type == "pdf" else None
    if original is not None:
        reader, pages = original
        try:
            return _written(_stamp_originals(_lay_out(version, original_pages=pages), reader, pages))
        except Exception as exc:  # noqa: BLE001 - a PDF pypdf reads but cannot copy is attached instead
            logger.warning("controlled copy: the uploaded PDF cannot be stamped (%s); attaching it instead", exc)
    writer = PdfWriter(clone_from=io.BytesIO(_lay_out(version, attach=True).write_pdf()))
    writer.add_attachment(version.file_name or f"{version.document.code}.{version.file_type}", data)
    return _written(writer)
