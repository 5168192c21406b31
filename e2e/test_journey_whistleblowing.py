"""The whistleblowing journey in a real browser (issue 13): an anonymous citizen files a
denuncia with a file and keeps the receipt; `integridad` unlocks their key, reads it and asks a
question; the citizen answers with the receipt; a protection measure is decided within the
clock; the case is referred; `admin` sees only the counts.

Assertions rely on data, URLs, names and data-* attributes, never on UI wording."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, FilePayload, Page, expect

from e2e.conftest import TIMEOUT_MS, go_to_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTS = "El coordinador zonal pidió dinero para incluir hogares en el padrón (prueba E2E 4411)."
QUESTION = "¿En qué fecha ocurrió y quiénes estuvieron presentes?"
ANSWER = "Fue el lunes 3 de marzo, en la oficina de enlace."


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _context(browser: Browser, live_server: Any) -> Page:
    context = browser.new_context(locale="es-PE", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _log_in(page: Page, username: str) -> None:
    page.goto("/cuenta/ingresar/")
    page.locator("main input[name='username']").fill(username)
    page.locator("main input[name='password']").fill(django_settings.SIG_DEMO_PASSWORD)
    page.locator("main form button[type='submit']").click()
    expect(page.locator("header form[action='/cuenta/salir/'] button[type='submit']")).to_be_visible()


def test_citizen_files_officer_reads_protects_refers_admin_counts(
    page: Page, browser: Browser, live_server: Any
) -> None:
    # 1. an anonymous citizen files a denuncia with a file
    page.goto("/denuncias/")
    page.locator("select[name='category']").select_option("bribery")
    page.locator("textarea[name='facts']").fill(FACTS)
    page.locator("input[name='protection_requested']").check()
    page.locator("input[name='attachments']").set_input_files(
        files=[FilePayload(name="prueba.pdf", mimeType="application/pdf", buffer=_pdf())]
    )
    page.get_by_test_id("file-submit").click()
    receipt_text = page.get_by_test_id("receipt").inner_text()
    receipt = receipt_text.replace(" ", "")
    assert re.fullmatch(r"\d{20}", receipt)
    cookies = {c["name"] for c in page.context.cookies()}
    assert cookies <= {"csrftoken"}
    with page.expect_download() as download:
        page.get_by_test_id("receipt-download").click()
    assert receipt_text in download.value.path().read_text(encoding="utf-8")

    # 2. integridad unlocks their key, reads it and asks a question
    officer = _context(browser, live_server)
    _log_in(officer, "integridad")
    go_to_menu(officer, "whistleblowing")
    officer.get_by_test_id("unlock").click()
    officer.locator("[data-testid='unlock-form'] input[name='password']").fill(django_settings.SIG_DEMO_PASSWORD)
    officer.get_by_test_id("unlock-submit").click()
    first = officer.locator("table[data-testid='cases'] tbody tr").first
    expect(first).to_have_attribute("data-status", "received")
    first.locator("a").click()
    expect(officer.get_by_test_id("facts")).to_contain_text(FACTS)
    expect(officer.get_by_test_id("attachments")).to_contain_text("prueba.pdf")
    officer.locator("textarea[name='message-body']").fill(QUESTION)
    officer.get_by_test_id("message-submit").click()
    expect(officer.get_by_test_id("messages")).to_contain_text(QUESTION)
    case_url = officer.url.split("#")[0]

    # 3. the citizen comes back with the receipt and answers
    page.goto("/denuncias/seguimiento/")
    page.locator("input[name='receipt']").fill(receipt_text)
    page.get_by_test_id("receipt-submit").click()
    expect(page.get_by_test_id("messages")).to_contain_text(QUESTION)
    page.locator("textarea[name='body']").fill(ANSWER)
    page.get_by_test_id("reply-submit").click()
    expect(page.get_by_test_id("messages")).to_contain_text(ANSWER)

    # 4. the officer admits it and decides a protection measure within the clock
    officer.goto(case_url)
    expect(officer.get_by_test_id("messages")).to_contain_text(ANSWER)
    officer.locator("select[name='admissibility-admit']").select_option("1")
    officer.locator("textarea[name='admissibility-notes']").fill("Hechos verosímiles y graves.")
    officer.get_by_test_id("admissibility-submit").click()
    expect(officer.get_by_test_id("case-status")).to_have_attribute("data-status", "admitted")
    officer.locator("select[name='protection-kind']").select_option("identity")
    officer.locator("select[name='protection-granted']").select_option("1")
    officer.locator("textarea[name='protection-details']").fill("Trascendencia, gravedad y verosimilitud acreditadas.")
    officer.get_by_test_id("protection-submit").click()
    measure = officer.locator("[data-testid='measures'] li[data-kind='identity']")
    expect(measure).to_have_count(1)
    expect(measure.locator(".badge.danger")).to_have_count(0)  # not after the term

    # 5. the case is referred to the Secretaría Técnica PAD
    officer.locator("select[name='referral-body']").select_option("st_pad")
    officer.locator("input[name='referral-reference']").fill("Memorando 021-2026-OI")
    officer.get_by_test_id("referral-submit").click()
    expect(officer.get_by_test_id("case-status")).to_have_attribute("data-status", "referred")
    expect(officer.locator("[data-testid='referrals'] li[data-body='st_pad']")).to_have_count(1)

    # 6. admin sees only the counts
    admin = _context(browser, live_server)
    _log_in(admin, "admin")
    response = admin.goto(case_url)
    assert response is not None and response.status == 404
    admin.goto("/denuncias/casos/estadisticas/")
    expect(admin.get_by_test_id("total")).not_to_have_text("0")
    expect(admin.locator("[data-testid='by-status'] tr[data-key='referred'] td")).not_to_have_text("0")
    assert FACTS not in admin.content() and ANSWER not in admin.content()
