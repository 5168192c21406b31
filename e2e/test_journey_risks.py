"""The risk journey in a real browser (issue 12): the SIG coordinator adjusts the CGR-style
method (a new version); the head of UT Cusco registers a bribery risk for the UT, evaluates it,
adds a treatment action and, as its owner, accepts the residual risk; the heat map shows it in
the right cell and the cell leads back to it; the Oficial de Seguridad links it to an Annex A
2022 control and the Statement of Applicability shows the link; the head of UT Puno sees none
of it.

Assertions rely on codes, URLs, names and data-* attributes, never on UI wording."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.test_journey_documents import log_in, log_out, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "R-CUS-E2E"
CONTROL = "A.5.4"


def test_a_ut_registers_evaluates_treats_and_accepts_a_bribery_risk_seen_on_the_heat_map_and_the_soa(
    page: Page, shots_dir: Path
) -> None:
    from isms.models import Soa
    from organization.models import Process
    from risks.models import Risk, RiskMethod

    # 1. The coordinator adjusts the CGR-style method: a new version, in force from today.
    log_in(page, "cmg")
    cgr = RiskMethod.objects.filter(code="CGR-5X5").order_by("-version").first()
    assert cgr is not None
    page.goto(f"/riesgos/metodos/{cgr.pk}/")
    page.locator("[data-testid='edit-method']").click()
    definition = json.loads(page.locator("textarea[name='definition']").input_value())
    definition["effective_from"] = timezone.localdate().isoformat()
    definition["tolerance"] = 8
    page.locator("textarea[name='definition']").fill(json.dumps(definition, ensure_ascii=False))
    page.locator("[data-testid='method-form'] button[type='submit']").click()
    expect(page.locator("[data-testid='tolerance']")).to_have_text("8")
    adjusted = RiskMethod.objects.get(code="CGR-5X5", version=cgr.version + 1)
    log_out(page)

    # 2. The head of UT Cusco registers a bribery risk for the UT (the UT is preselected).
    log_in(page, "ut.cusco")
    page.goto("/riesgos/")
    page.locator("[data-testid='new-risk']").click()
    form = page.locator("[data-testid='risk-form']")
    form.locator("input[name='code']").fill(CODE)
    form.locator("input[name='title']").fill("Cobro indebido a usuarias para mantener la afiliación")
    form.locator("input[name='lenses'][value='bribery']").check()
    form.locator("select[name='process']").select_option(str(Process.objects.get(code="M01").pk))
    form.locator("textarea[name='cause']").fill("Visitas domiciliarias sin supervisión")
    form.locator("textarea[name='event']").fill("Un gestor local pide dinero a una usuaria")
    form.locator("textarea[name='consequence']").fill("Exclusión indebida y denuncias")
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/riesgos/\d+/$"))
    risk = Risk.objects.get(code=CODE)
    assert risk.site.code == "UT-CUS" and risk.method == adjusted
    detail = page.url

    # 3. It evaluates the inherent and the residual risk.
    evaluation = page.locator("[data-testid='evaluation-form']")
    evaluation.locator("select[name='kind']").select_option("inherent")
    evaluation.locator("select[name='probability']").select_option("4")
    evaluation.locator("select[name='impact']").select_option("4")
    evaluation.locator("select[name='trigger']").select_option("initial")
    evaluation.locator("button[type='submit']").click()
    expect(page.locator("[data-testid='inherent'] [data-level]")).to_have_attribute("data-level", "muy-alto")
    evaluation = page.locator("[data-testid='evaluation-form']")
    evaluation.locator("select[name='kind']").select_option("residual")
    evaluation.locator("select[name='probability']").select_option("1")
    evaluation.locator("select[name='impact']").select_option("3")
    evaluation.locator("select[name='trigger']").select_option("treatment")
    evaluation.locator("button[type='submit']").click()
    expect(page.locator("[data-testid='residual'] [data-level]")).to_have_attribute("data-level", "bajo")

    # 4. It adds a treatment action, followed up in the shared tracker.
    action = page.locator("[data-testid='action-form']")
    action.locator("input[name='title']").fill("Supervisión aleatoria de visitas domiciliarias")
    due = (timezone.localdate() + datetime.timedelta(days=60)).strftime("%d/%m/%Y")
    action.locator("input[name='due_date']").fill(due)
    action.locator("button[type='submit']").click()
    expect(page.locator(f"[data-testid='treatments'] tr[data-number='{CODE}-T01']")).to_have_count(1)

    # 5. As the owner it accepts the residual risk until a date.
    acceptance = page.locator("[data-testid='acceptance-form']")
    until = (timezone.localdate() + datetime.timedelta(days=180)).strftime("%d/%m/%Y")
    acceptance.locator("input[name='expires_on']").fill(until)
    acceptance.locator("button[type='submit']").click()
    expect(page.locator("[data-testid='acceptance']")).to_contain_text(until)
    assert Risk.objects.get(code=CODE).status == Risk.Status.ACCEPTED
    screenshot(page, shots_dir, "risks-01-detail")

    # 6. The residual heat map shows it in cell P1 × I3; the cell leads to it in the register.
    page.goto("/riesgos/mapa-de-calor/?lens=bribery")
    cell = page.locator("[data-testid='heatmap-table-residual'] td[data-p='1'][data-i='3']")
    expect(cell.locator("a")).to_have_text("1")
    expect(page.locator("[data-testid='heatmap-table-inherent'] td[data-p='4'][data-i='4'] a")).to_have_text("1")
    screenshot(page, shots_dir, "risks-02-heat-map")
    cell.locator("a").click()
    expect(page.locator(f"table[data-testid='risks'] tr[data-code='{CODE}']")).to_have_count(1)
    log_out(page)

    # 7. The Oficial de Seguridad links it to an Annex A 2022 control; the SoA shows the link.
    log_in(page, "oficial.si")
    soa = Soa.objects.get(edition__label="ISO/IEC 27001:2022", migrated_from__isnull=False)
    entry = soa.entries.get(control__number=CONTROL)
    page.goto(f"/sgsi/aplicabilidad/{soa.pk}/controles/{entry.pk}/")
    page.locator("[data-testid='entry-form'] select[name='risks']").select_option(str(risk.pk))
    page.locator("[data-testid='entry-form'] button[type='submit']").click()
    row = page.locator(f"table[data-testid='soa-entries'] tr[data-number='{CONTROL}']")
    expect(row.locator("[data-testid='entry-risks'] a")).to_have_text(CODE)
    screenshot(page, shots_dir, "risks-03-soa")
    log_out(page)

    # 8. The head of UT Puno sees none of it.
    log_in(page, "ut.puno")
    page.goto("/riesgos/?q=E2E")
    expect(page.locator(f"table[data-testid='risks'] tr[data-code='{CODE}']")).to_have_count(0)
    response = page.goto(detail)
    assert response is not None and response.status == 404
    response = page.goto(f"/sgsi/aplicabilidad/{soa.pk}/")
    assert response is not None and response.status == 404


def test_a_ut_reports_a_personal_data_breach_and_the_officer_sees_the_notification_countdown(
    page: Page, shots_dir: Path
) -> None:
    from isms.models import Incident

    log_in(page, "ut.puno")
    page.goto("/sgsi/incidentes/")
    page.locator("[data-testid='report-incident']").click()
    form = page.locator("[data-testid='incident-form']")
    form.locator("input[name='title']").fill("USB con padrón extraviado")
    form.locator("textarea[name='description']").fill("Se extravió un USB con el padrón de hogares de la UT.")
    form.locator("input[name='personal_data_breach']").check()
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/sgsi/incidentes/\d+/$"))
    incident = Incident.objects.get(title="USB con padrón extraviado")
    assert incident.site.code == "UT-PUN" and incident.personal_data_breach
    log_out(page)

    log_in(page, "oficial.si")
    page.goto(f"/sgsi/incidentes/{incident.pk}/")
    countdown = page.locator("[data-testid='countdown']")
    expect(countdown).to_have_text(re.compile(r"^4[67]:\d\d:\d\d$"))  # ticking, from the static script
    first = countdown.text_content()
    page.wait_for_timeout(1500)
    assert countdown.text_content() != first
    screenshot(page, shots_dir, "risks-04-breach")
    form = page.locator("[data-testid='handling-form']")
    form.locator("select[name='status']").select_option("triaged")
    form.locator("select[name='severity']").select_option("high")
    form.locator("select[name='category']").select_option("loss")
    form.locator("button[type='submit']").click()
    expect(page.locator("[data-testid='status']")).not_to_have_text("")
    assert Incident.objects.get(pk=incident.pk).status == "triaged"
