"""The document-control journey in a real browser (issue 3): the SIG coordinator registers a
procedure with an uploaded PDF, the UPPM head reviews it, the Dirección Ejecutiva approves it
citing an RDE and puts it in force, the coordinator downloads the controlled copy, a logged-out
visitor verifies its code at /verifica/ and uploads the copy to prove it authentic; then a
second version makes the first one obsoleto and the old code says so.

Assertions rely on data (codes, titles, hashes, dates), URLs, ids and data-* attributes, never
on UI wording, so they hold in Spanish and English alike.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from e2e.conftest import TIMEOUT_MS, go_to_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Procedimiento de prueba E2E"
INSTRUMENT = "RDE N.° 999-2026-MIDIS/PNADP-DE"
CODE = re.compile(r"^PNADP-UPPM-CMG-P-0\d\d$")
DOCUMENT_URL = re.compile(r"/documentos/\d+/$")
VERSION_URL = re.compile(r"/documentos/\d+/versiones/\d+/$")
# The controlled copy's header carries "Página: X de Y" (reports/templates/reports/base_print.html).
PAGE_X_OF_Y = re.compile(r"Página:?\s*1\s+de\s+\d+")


def original_pdf() -> bytes:
    """A small real PDF, as a unit would upload it."""
    from weasyprint import HTML

    html = (
        "<html lang='es'><body><h1>Procedimiento de prueba E2E</h1>"
        "<p>1. Objetivo: comprobar el control de documentos de principio a fin.</p>"
        "<p>2. Alcance: Sede Central.</p></body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def log_in(page: Page, username: str) -> None:
    page.goto("/cuenta/ingresar/")
    page.locator("main input[name='username']").fill(username)
    page.locator("main input[name='password']").fill(django_settings.SIG_DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()
    expect(header_logout_button(page)).to_be_visible()


def header_logout_button(page: Page) -> Locator:
    return page.locator("header form[action='/cuenta/salir/'] button[type='submit']")


def log_out(page: Page) -> None:
    header_logout_button(page).click()
    expect(page).to_have_url(re.compile(r"/cuenta/ingresar/$"))
    expect(header_logout_button(page)).to_have_count(0)


def status_badge(page: Page) -> Locator:
    """The status badge at the top of a document or version page."""
    return page.locator("main .actions > .badge[data-status]").first


def version_row(page: Page, label: str) -> Locator:
    return page.locator(f"table[data-testid='versions'] tr[data-version='{label}']")


def take_step(page: Page, version_url: str, action: str, expected_status: str, **fields: str | bool) -> None:
    """Open the version page, fill the `action` form (prefixed field ids) and send it."""
    page.goto(version_url)
    form = page.locator(f"section[data-action='{action}'] form")
    expect(form).to_be_visible()
    for name, value in fields.items():
        field = form.locator(f"#id_{action}-{name}")
        if isinstance(value, bool):
            field.set_checked(value)
        else:
            field.fill(value)
    form.locator(f"[data-testid='do-{action}']").click()
    expect(page).to_have_url(re.compile(re.escape(version_url) + "$"))
    expect(status_badge(page)).to_have_attribute("data-status", expected_status)


def verify_code(page: Page, code: str) -> Locator:
    """Type a code in the public form; returns the result section."""
    page.goto("/verifica/")
    form = page.locator("main form[data-testid='verify-form']")
    form.locator("#id_codigo").fill(code)
    form.locator("button[type='submit']").click()
    result = page.locator("[data-testid='verify-result']")
    expect(result).to_have_attribute("data-found", "yes")
    return result


def screenshot(page: Page, shots_dir: Path, name: str) -> None:
    page.screenshot(path=str(shots_dir / f"{name}.png"), full_page=True)


@pytest.mark.pdf
def test_it_takes_a_procedure_from_draft_to_vigente_and_lets_anyone_verify_its_controlled_copy(
    page: Page, browser: Browser, live_server: Any, settings: Any, shots_dir: Path, tmp_path: Path
) -> None:
    from documents.models import DocumentType
    from organization.models import OrgUnit

    settings.SIG_VERIFY_MIN_MS = 0
    procedure = str(DocumentType.objects.get(code="P").pk)
    cmg_unit = str(OrgUnit.objects.get(code="UPPM-CMG").pk)
    upload = tmp_path / "procedimiento-e2e.pdf"
    upload.write_bytes(original_pdf())

    # 1. The coordinator registers the procedure from the master list, uploading the PDF.
    log_in(page, "cmg")
    go_to_menu(page, "documents")
    expect(page).to_have_url(re.compile(r"/documentos/$"))
    page.locator("[data-testid='register-document']").click()
    expect(page).to_have_url(re.compile(r"/documentos/nuevo/$"))
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("#id_document_type").select_option(procedure)
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_owner_unit").select_option(cmg_unit)
    form.locator("#id_file").set_input_files(upload)
    form.locator("#id_justification").fill("Elaboración inicial del procedimiento")
    form.locator("button[type='submit']").click()

    expect(page).to_have_url(DOCUMENT_URL)
    document_url = re.sub(r"^https?://[^/]+", "", page.url)
    expect(page.locator("[data-testid='document-code']")).to_have_text(CODE)
    document_code = page.locator("[data-testid='document-code']").inner_text()
    expect(page.locator("main h1")).to_contain_text(TITLE)
    first = version_row(page, "01")
    expect(first).to_have_attribute("data-status", "draft")

    first.locator("a").first.click()
    expect(page).to_have_url(VERSION_URL)
    v1_url = re.sub(r"^https?://[^/]+", "", page.url)
    expect(page.locator("[data-testid='download-original']")).to_be_visible()  # the upload was kept
    take_step(page, v1_url, "enviar", "in_review")
    log_out(page)

    # 2. The UPPM head reviews it.
    log_in(page, "uppm")
    take_step(page, v1_url, "revisar", "in_approval", comment="Conforme.")
    log_out(page)

    # 3. The Dirección Ejecutiva approves it citing the RDE and puts it in force at once.
    log_in(page, "direccion")
    take_step(page, v1_url, "aprobar", "current", instrument=INSTRUMENT, publish_now=True)
    expect(page.locator("main")).to_contain_text(INSTRUMENT)
    log_out(page)

    # 4. The coordinator downloads the controlled copy from the document page.
    log_in(page, "cmg")
    page.goto(document_url)
    expect(status_badge(page)).to_have_attribute("data-status", "current")
    old_code_cell = version_row(page, "01").locator("[data-testid='verification-code']")
    expect(old_code_cell).to_have_text(re.compile(r"^[A-Z]{7}$"))
    old_code = old_code_cell.inner_text()
    screenshot(page, shots_dir, "document-detail")
    with page.expect_download() as download_info:
        page.locator("[data-testid='download-controlled']").click()
    copy = tmp_path / "copia-controlada.pdf"
    download_info.value.save_as(copy)
    copy_sha256 = hashlib.sha256(copy.read_bytes()).hexdigest()
    text = pdf_text(copy)
    assert old_code in text, "the controlled copy does not print its verification code"
    assert document_code in text
    assert PAGE_X_OF_Y.search(text), "the controlled copy has no 'Página 1 de N' header"

    # 5. A logged-out visitor verifies the code and proves the copy authentic.
    anonymous = browser.new_context(locale="es-PE", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    anonymous.set_default_timeout(TIMEOUT_MS)
    try:
        visitor = anonymous.new_page()
        result = verify_code(visitor, old_code)
        expect(result.locator("[data-testid='verify-title']")).to_have_text(TITLE)
        expect(result.locator("[data-testid='verify-document-code']")).to_have_text(document_code)
        expect(result.locator("[data-testid='verify-version']")).to_have_text("01")
        status = result.locator("[data-testid='verify-status']")
        expect(status).to_have_attribute("data-status", "current")
        expect(status).to_contain_text(re.compile("vigente", re.IGNORECASE))
        expect(result.locator("[data-testid='verify-instrument']")).to_have_text(INSTRUMENT)
        expect(result.locator("[data-testid='verify-sha256']")).to_have_text(copy_sha256)

        upload_form = result.locator("[data-testid='verify-upload-form']")
        upload_form.locator("input[type='file']").set_input_files(copy)
        upload_form.locator("button[type='submit']").click()
        comparison = visitor.locator("[data-testid='verify-comparison']")
        expect(comparison).to_have_attribute("data-identical", "yes")
        expect(comparison.locator("[data-testid='verify-copy-sha256']")).to_have_text(copy_sha256)
        screenshot(visitor, shots_dir, "verify-authentic")

        # 6. Version 02 goes through the same flow; version 01 becomes obsoleto.
        page.goto(document_url)
        page.locator("[data-testid='new-version']").click()
        expect(page).to_have_url(re.compile(r"/versiones/nueva/$"))
        form = page.locator("main form[enctype='multipart/form-data']")
        form.locator("#id_content").fill("## 1. Objetivo\n\nComprobar el control de cambios de principio a fin.\n")
        form.locator("#id_justification").fill("Actualización del objetivo")
        form.locator("button[type='submit']").click()
        expect(page).to_have_url(re.compile(re.escape(document_url) + r"versiones/2/$"))  # the new draft
        expect(status_badge(page)).to_have_attribute("data-status", "draft")
        v2_url = re.sub(r"^https?://[^/]+", "", page.url)
        take_step(page, v2_url, "enviar", "in_review")
        log_out(page)

        log_in(page, "uppm")
        take_step(page, v2_url, "revisar", "in_approval")
        log_out(page)

        log_in(page, "direccion")
        take_step(page, v2_url, "aprobar", "current", instrument=INSTRUMENT, publish_now=True)
        page.goto(document_url)
        expect(version_row(page, "01")).to_have_attribute("data-status", "obsolete")
        expect(version_row(page, "02")).to_have_attribute("data-status", "current")
        screenshot(page, shots_dir, "document-detail-v02")

        today = timezone.localdate().strftime("%d/%m/%Y")
        result = verify_code(visitor, old_code)
        status = result.locator("[data-testid='verify-status']")
        expect(status).to_have_attribute("data-status", "obsolete")
        expect(status).to_contain_text(re.compile("obsolet", re.IGNORECASE))
        expect(status).to_contain_text(today)
        expect(result.locator("[data-testid='verify-version']")).to_have_text("01")
        screenshot(visitor, shots_dir, "verify-obsolete")
    finally:
        anonymous.close()
