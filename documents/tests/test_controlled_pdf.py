"""The controlled copy (documents.controlled): what a reader of the printed PDF relies on."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from documents.controlled import controlled_context, cover_title, render_controlled_pdf
from documents.models import ChangeEntry, Document, DocumentType, DocumentVersion, WorkflowStep
from organization.models import OrgUnit
from reports.pdf import verification_link
from reports.qr import qr_data_uri

LEGEND = "es una COPIA NO CONTROLADA"

pytestmark = pytest.mark.pdf


@pytest.fixture
def people(cmg: Any, uppm: Any, direccion: Any) -> dict[str, Any]:
    return {"elaborated": cmg, "reviewed": uppm, "approved": direccion}


def _at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2020, 8, day, 10, 0))


def make_document(
    cmg: Any,
    code: str,
    title: str = "Procedimiento de auditorías internas del SIG",
    type_code: str = "P",
    type_name: str = "Procedimiento",
) -> Document:
    doc_type, _ = DocumentType.objects.get_or_create(code=type_code, defaults={"name": type_name})
    unit = OrgUnit.objects.get(code="UPPM-CMG")
    return Document.objects.create(
        code=code,
        title=title,
        document_type=doc_type,
        owner_unit=unit,
        site=unit.site,
        created_by=cmg,
        classification="internal",
    )


def make_version(
    document: Document,
    people: dict[str, Any],
    *,
    number: int = 1,
    status: str = "current",
    code: str | None = None,
    content: str = "",
    upload: tuple[str, str, bytes] | None = None,
) -> DocumentVersion:
    version = DocumentVersion(
        document=document,
        number=number,
        status=status,
        verification_code=code,
        content=content,
        created_by=people["elaborated"],
        approval_instrument="RDE N.° 101-2020-MIDIS/PNADP-DE",
        approved_on=datetime.date(2020, 8, 17),
        effective_on=datetime.date(2020, 8, 18),
    )
    if upload is not None:
        name, kind, data = upload
        version.file.save(name, ContentFile(data), save=False)
        version.file_name, version.file_type, version.file_size = name, kind, len(data)
        version.file_sha256 = hashlib.sha256(data).hexdigest()
    version.save()
    for day, (action, person) in enumerate(people.items(), start=5):
        WorkflowStep.objects.create(
            version=version,
            action=action,
            person=person,
            person_name=person.get_full_name(),
            position=person.position,
            unit=person.unit,
            at=_at(day),
        )
    return version


def flat(text: str) -> str:
    """Page text with line breaks and repeated spaces folded (justified text is spaced out), and
    codes that wrapped after a hyphen joined again."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


def pages_text(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def assert_every_page_framed(texts: list[str], document: Document, version: DocumentVersion) -> None:
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert document.code in text
        assert f"Versión: {version.label}" in text
        assert f"Página: {number} de {total}" in text
        assert f"fuera del entorno del Portal Web JUNTOS PODEMOS {LEGEND}" in text
        assert f"{settings.SITE_URL}/verifica/" in text
        assert f"código de verificación: {version.verification_code}" in text


def assert_signatures(cover: str, people: dict[str, Any]) -> None:
    for label in ("Elaborado por:", "Revisado por:", "Aprobado por:"):
        assert label in cover
    for person in people.values():
        assert person.get_full_name() in cover
    assert "Directora Ejecutiva" in cover  # positions are printed under the names


@pytest.fixture
def plan(cmg: Any, people: dict[str, Any]) -> DocumentVersion:
    """Version 02 (vigente, Markdown) of a plan whose version 01 had one change-control row."""
    document = make_document(
        cmg, "TEST-PL-001", "Plan de Desarrollo del Sistema Integrado de Gestión 2020", type_code="PL", type_name="Plan"
    )
    v1 = make_version(document, people, status="obsolete", code="TSTAAAA", content="## 1. Objetivo\n\nPrimera.")
    ChangeEntry.objects.create(
        version=v1,
        date=datetime.date(2020, 1, 8),
        justification="Elaboración inicial del documento",
        responsible="UPPM-CMG",
    )
    v2 = make_version(
        document,
        people,
        number=2,
        code="TSTBBBB",
        content="## 1. Objetivo\n\nEstablecer las actividades del SIG.\n\n| Etapa | Producto |\n|---|---|\n"
        "| Mejora | Plan de difusión |\n\n<script>alert(1)</script>\n\n" + "Texto del plan. " * 250,
    )
    ChangeEntry.objects.create(
        version=v2,
        date=datetime.date(2020, 3, 12),
        justification="Actualización",
        supporting_reference="Informe 043-2020-MIDIS/PNADP-UPPM-CMG",
        responsible="UPPM-CMG",
        order=0,
    )
    ChangeEntry.objects.create(
        version=v2,
        date=datetime.date(2020, 8, 2),
        justification="Actualización",
        supporting_reference="Informe 114-2020-MIDIS/PNADP-UPPM-CMG",
        responsible="UPPM-CMG",
        order=1,
    )
    return v2


def test_it_prints_a_markdown_version_with_cover_body_and_change_control_on_framed_pages(
    plan: DocumentVersion, people: dict[str, Any]
) -> None:
    pdf = render_controlled_pdf(plan)
    texts = pages_text(pdf)

    assert len(texts) >= 3  # cover, a long body, change control
    for page in PdfReader(io.BytesIO(pdf)).pages:  # the QR is also a link to the verification page
        links = {annot.get_object()["/A"].get("/URI") for annot in page.get("/Annots", [])}
        assert f"{settings.SITE_URL}/verifica/?codigo=TSTBBBB" in links
    assert_every_page_framed(texts, plan.document, plan)
    cover = texts[0]
    assert "PLAN" in cover and "DESARROLLO DEL SISTEMA INTEGRADO DE GESTIÓN 2020" in cover
    assert "RDE N.° 101-2020-MIDIS/PNADP-DE" in cover
    assert_signatures(cover, people)
    body = "\n".join(texts[1:])
    assert "Establecer las actividades del SIG." in body
    assert "Plan de difusión" in body
    assert "alert(1)" not in body
    assert "Control de Cambios" in body
    # Rows of every version up to this one, with Peruvian dates.
    for row in (
        "08/01/2020",
        "Elaboración inicial del documento",
        "12/03/2020",
        "02/08/2020",
        "Informe 043-2020-MIDIS/PNADP-UPPM-CMG",
        "Informe 114-2020-MIDIS/PNADP-UPPM-CMG",
    ):
        assert row in body
    # The caller hashes the stored bytes once; rendering again gives the same bytes.
    assert render_controlled_pdf(plan) == pdf


def test_its_qr_and_link_lead_to_the_verification_page_with_the_code(plan: DocumentVersion) -> None:
    link = f"{settings.SITE_URL}/verifica/?codigo=TSTBBBB"
    assert verification_link("TSTBBBB") == link
    assert controlled_context(plan)["frame"].qr == qr_data_uri(link)


def test_it_marks_a_version_that_is_not_vigente(cmg: Any, people: dict[str, Any]) -> None:
    draft = make_version(make_document(cmg, "TEST-P-010"), people, status="draft", content="Borrador.")
    frame = controlled_context(draft)["frame"]
    assert frame.watermark == "NO VIGENTE"
    assert frame.verification_code == ""


def _original_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string=(
            "<style>@page { size: A4; margin: 20mm } @page wide { size: A4 landscape } .w { page: wide }</style>"
            "<p>ORIGINAL-PAGE-ONE</p><p class='w'>ORIGINAL-PAGE-TWO</p>"
        )
    ).write_pdf()


def test_it_stamps_header_and_footer_on_each_page_of_an_uploaded_pdf(cmg: Any, people: dict[str, Any]) -> None:
    version = make_version(
        make_document(cmg, "TEST-P-020"), people, code="TSTCCCC", upload=("P-020.pdf", "pdf", _original_pdf())
    )
    ChangeEntry.objects.create(version=version, justification="Elaboración inicial", responsible="UPPM-CMG")

    reader = PdfReader(io.BytesIO(render_controlled_pdf(version)))
    texts = [flat(page.extract_text()) for page in reader.pages]

    assert len(texts) == 4  # cover + the two original pages + change control
    assert_every_page_framed(texts, version.document, version)
    assert_signatures(texts[0], people)
    assert "ORIGINAL-PAGE-ONE" in texts[1]
    assert "ORIGINAL-PAGE-TWO" in texts[2]
    assert "Elaboración inicial" in texts[3]
    # A landscape original gets a landscape page.
    assert reader.pages[1].mediabox.width < reader.pages[1].mediabox.height
    assert reader.pages[2].mediabox.width > reader.pages[2].mediabox.height


def _minimal_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        zf.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hola</w:t></w:r></w:p></w:body></w:document>',
        )
    return out.getvalue()


def test_it_attaches_an_uploaded_docx_and_describes_it(cmg: Any, people: dict[str, Any]) -> None:
    data = _minimal_docx()
    version = make_version(
        make_document(cmg, "TEST-F-030"), people, code="TSTDDDD", upload=("Formato FODA.docx", "docx", data)
    )
    ChangeEntry.objects.create(version=version, justification="Elaboración inicial", responsible="UPPM-CMG")

    reader = PdfReader(io.BytesIO(render_controlled_pdf(version)))
    texts = [flat(page.extract_text()) for page in reader.pages]

    assert len(texts) == 3  # cover, description of the original, change control
    assert_every_page_framed(texts, version.document, version)
    assert_signatures(texts[0], people)
    assert "Formato FODA.docx" in texts[1]
    assert hashlib.sha256(data).hexdigest() in texts[1].replace(" ", "")
    assert reader.attachments == {"Formato FODA.docx": [data]}


def test_it_attaches_an_uploaded_pdf_it_cannot_read(cmg: Any, people: dict[str, Any]) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")  # no empty user password: the pages cannot be read
    locked = io.BytesIO()
    writer.write(locked)
    version = make_version(
        make_document(cmg, "TEST-P-040"), people, code="TSTEEEE", upload=("cifrado.pdf", "pdf", locked.getvalue())
    )

    reader = PdfReader(io.BytesIO(render_controlled_pdf(version)))

    assert reader.attachments == {"cifrado.pdf": [locked.getvalue()]}
    assert_every_page_framed([flat(p.extract_text()) for p in reader.pages], version.document, version)


def test_the_cover_does_not_repeat_the_type_above_the_title() -> None:
    assert cover_title("Plan de Desarrollo del Sistema Integrado de Gestión 2020", "Plan") == (
        "Desarrollo del Sistema Integrado de Gestión 2020"
    )
    assert (
        cover_title("Procedimiento para la atención de consultas", "Procedimiento") == "Para la atención de consultas"
    )
    assert cover_title("Manual del SIG", "Manual") == "Manual del SIG"
