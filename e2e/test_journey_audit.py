"""The improvement-loop journey in a real browser (issue 11): the coordinator plans an audit of
UT Cusco against ISO 9001 8.5.1 and ISO 37001 8.2 → the auditor fills the integrated checklist
on a tablet-sized viewport and raises a minor NC citing both → ut.cusco records the correction
and the root cause and proposes an action → the coordinator approves the plan → ut.cusco
executes it with evidence → the auditor verifies its effectiveness and closes it → the audit
report PDF downloads and its code verifies at /verifica/. ut.puno sees none of it (404).

Assertions rely on codes, URLs and data-* attributes, never on UI wording."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import TIMEOUT_MS, go_to_menu
from e2e.test_journey_documents import log_in, log_out, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "AI-10-2020"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _open(page: Page, testid: str) -> None:
    """Open the <details> holding the form `testid` (forms of a step are folded)."""
    form = page.locator(f"form[data-testid='{testid}']").first
    if not form.is_visible():
        page.locator("details", has=form).locator("summary").first.click()


def test_an_audit_finding_goes_around_the_improvement_loop(
    page: Page, browser: Any, live_server: Any, settings: Any, shots_dir: Path, tmp_path: Path
) -> None:
    from accounts.models import User
    from audits.models import Audit, AuditProgramme
    from catalog.models import Requirement
    from nonconformities.models import Nonconformity
    from organization.models import Site

    settings.SIG_VERIFY_MIN_MS = 0
    programme = AuditProgramme.objects.get(year=2020)
    r9001 = Requirement.objects.get(edition__label="ISO 9001:2015", number="8.5.1")
    r37001 = Requirement.objects.get(edition__label="ISO 37001:2016", number="8.2")
    cusco = Site.objects.get(code="UT-CUS")
    auditor = User.objects.get(username="auditor")
    ut_cusco = User.objects.get(username="ut.cusco")

    # 1. The coordinator plans the audit of UT Cusco in the 2020 programme.
    log_in(page, "cmg")
    go_to_menu(page, "audits")
    page.locator(f"ul[data-testid='programmes'] a[href='/auditorias/programas/{programme.pk}/']").click()
    page.locator("[data-testid='new-audit']").click()
    form = page.locator("form[data-testid='audit-form']")
    form.locator("[name='code']").fill(CODE)
    form.locator("[name='title']").fill("Auditoría integrada de la UT Cusco")
    form.locator("[name='objectives']").fill("Verificar los controles operacionales 9001/37001.")
    form.locator("[name='sites']").select_option([str(cusco.pk)])
    form.locator("[name='criteria']").select_option([str(r9001.pk), str(r37001.pk)])
    form.locator("[name='start_date']").fill("2020-11-02")
    form.locator("[name='end_date']").fill("2020-11-03")
    form.locator("[name='lead']").select_option(str(auditor.pk))
    form.locator("button[type='submit']").click()
    expect(page.locator("[data-testid='audit-code']")).to_have_text(CODE)
    audit = Audit.objects.get(code=CODE)
    audit_url = f"/auditorias/{audit.pk}/"
    log_out(page)

    # 2. The auditor, on a tablet, starts the audit, fills the checklist and raises a minor NC.
    tablet = browser.new_context(
        locale="es-PE", viewport={"width": 768, "height": 1024}, base_url=live_server.url, has_touch=True
    )
    tablet.set_default_timeout(TIMEOUT_MS)
    tab = tablet.new_page()
    log_in(tab, "auditor")
    tab.goto(audit_url)
    tab.locator("[data-testid='step-start']").click()
    expect(tab.locator("[data-testid='audit-status']")).to_have_attribute("data-status", "in_progress")
    tab.locator("[data-testid='generate-checklist']").click()
    question = tab.locator("ol[data-testid='checklist'] li.question")
    expect(question).to_have_count(1)  # one question covers 9001 8.5.1 and 37001 8.2 (HS 8.1)
    _open(tab, "answer-form")
    answer = tab.locator("form[data-testid='answer-form']")
    answer.locator("select[name$='-result']").select_option("nonconform")
    answer.locator("textarea[name$='-notes']").fill("3 de 12 entregas sin debida diligencia firmada.")
    answer.locator("input[name$='-interviewee']").fill("Especialista de la UT")
    upload = tmp_path / "muestra.pdf"
    upload.write_bytes(PDF)
    answer.locator("input[type='file']").set_input_files(str(upload))
    answer.locator("input[name$='-file_title']").fill("Muestra de expedientes")
    answer.locator("button[type='submit']").click()
    expect(tab.locator("ol[data-testid='checklist'] li.question")).to_have_attribute("data-result", "nonconform")
    screenshot(tab, shots_dir, "audit-checklist-tablet")
    _open(tab, "finding-form")
    finding = tab.locator("form[data-testid='finding-form']")
    finding.locator("select[name='finding-grade']").select_option(label="No conformidad menor")
    finding.locator("select[name='finding-requirements']").select_option([str(r9001.pk), str(r37001.pk)])
    finding.locator("select[name='finding-site']").select_option(str(cusco.pk))
    finding.locator("textarea[name='finding-description']").fill("Entregas sin verificación de debida diligencia.")
    finding.locator("textarea[name='finding-evidence']").fill("Muestra de 12 expedientes del 02/11/2020.")
    finding.locator("button[type='submit']").click()
    nc_link = tab.locator("[data-testid='finding-nc']")
    expect(nc_link).to_have_count(1)
    nc = Nonconformity.objects.get(finding__audit=audit)
    assert {r.pk for r in nc.requirements.all()} == {r9001.pk, r37001.pk}
    nc_url = f"/no-conformidades/{nc.pk}/"
    log_out(tab)

    # 3. ut.cusco records the correction and the root cause and proposes an action.
    log_in(page, "ut.cusco")
    page.goto(nc_url)
    expect(page.locator("[data-testid='nc-code']")).to_have_text(nc.code)
    _open(page, "correction-form")
    page.locator("[name='correction-correction']").fill("Se verificaron los 3 expedientes observados.")
    page.locator("form[data-testid='correction-form'] button[type='submit']").click()
    expect(page.locator("[data-testid='nc-correction']")).to_have_count(1)
    _open(page, "analysis-form")
    page.locator("[name='analysis-why1']").fill("No se verifica la debida diligencia antes de la entrega.")
    page.locator("[name='analysis-why2']").fill("El procedimiento no lo exige.")
    page.locator("[name='analysis-cause_method']").fill("Procedimiento de entregas sin control.")
    page.locator("[name='analysis-root_cause']").fill("El procedimiento de entregas no incluye la verificación.")
    page.locator("form[data-testid='analysis-form'] button[type='submit']").click()
    expect(page.locator("[data-testid='nc-status']")).to_have_attribute("data-status", "analysis")
    _open(page, "action-form")
    page.locator("[name='action-title']").fill("Incluir la verificación de debida diligencia en el procedimiento.")
    page.locator("[name='action-responsible']").select_option(str(ut_cusco.pk))
    page.locator("[name='action-due_date']").fill("2020-12-15")
    page.locator("form[data-testid='action-form'] button[type='submit']").click()
    expect(page.locator("table[data-testid='nc-actions'] tr[data-status]")).to_have_count(1)
    log_out(page)

    # 4. The coordinator approves the plan.
    log_in(page, "cmg")
    page.goto(nc_url)
    page.locator("[data-testid='step-approve_plan']").click()
    expect(page.locator("[data-testid='nc-status']")).to_have_attribute("data-status", "plan_approved")
    log_out(page)

    # 5. ut.cusco executes the action with evidence and asks for the verification.
    log_in(page, "ut.cusco")
    page.goto(nc_url)
    page.locator("[data-testid='step-execute']").click()
    expect(page.locator("[data-testid='nc-status']")).to_have_attribute("data-status", "execution")
    page.locator("table[data-testid='nc-actions'] tr[data-status] a").first.click()
    _open(page, "evidence-form")
    evidence = page.locator("form[data-testid='evidence-form']")
    evidence.locator("input[type='file']").set_input_files(str(upload))
    evidence.locator("[name='file_title']").fill("Procedimiento actualizado")
    evidence.locator("button[type='submit']").click()
    status = page.locator("form[data-testid='status-form']")
    status.locator("[name='status']").select_option("done")
    status.locator("[name='note']").fill("Procedimiento aprobado y difundido.")
    status.locator("button[type='submit']").click()
    expect(page.locator("[data-testid='item-status']")).to_have_attribute("data-status", "done")
    page.goto(nc_url)
    page.locator("[data-testid='step-request_verification']").click()
    expect(page.locator("[data-testid='nc-status']")).to_have_attribute("data-status", "verification")
    log_out(page)

    # 6. The auditor verifies the effectiveness and closes the NC, then concludes the audit.
    log_in(tab, "auditor")
    tab.goto(nc_url)
    verification = tab.locator("form[data-testid='verification-form']")
    verification.locator("[name='verification-rating']").select_option("effective")
    verification.locator("[name='verification-note']").fill("Sin recurrencia en la muestra de diciembre.")
    verification.locator("button[type='submit']").click()
    expect(tab.locator("[data-testid='nc-status']")).to_have_attribute("data-status", "closed")
    tab.goto(audit_url)
    _open(tab, "conclusions-form")
    tab.locator("[name='conclusions-conclusions']").fill(
        "El SIG es conforme salvo una no conformidad menor, ya cerrada."
    )
    tab.locator("form[data-testid='conclusions-form'] button[type='submit']").click()
    tab.locator("[data-testid='step-complete']").click()
    expect(tab.locator("[data-testid='audit-status']")).to_have_attribute("data-status", "completed")
    with tab.expect_download() as download:
        tab.locator("[data-testid='report-pdf']").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    audit.refresh_from_db()
    code = audit.report_verification_code
    assert code
    tab.goto(f"/verifica/?codigo={code}")
    expect(tab.locator("main")).to_contain_text(f"INF-AUD-{CODE}")
    tablet.close()

    # 7. ut.puno sees none of it.
    log_in(page, "ut.puno")
    for url in (audit_url, nc_url):
        response = page.goto(url)
        assert response is not None and response.status == 404
    page.goto("/no-conformidades/")
    expect(page.locator(f"tr[data-code='{nc.code}']")).to_have_count(0)
    assert re.search(r"/no-conformidades/$", page.url)
