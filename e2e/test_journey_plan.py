"""The SIG development plan journey in a real browser (issue 4): the SIG coordinator opens the
seed's 2020 plan, delivers a pending product by linking a vigente controlled document, sees the
activity reach 100 % on the plan page and in the cronograma/Gantt, proposes a change request,
records the Comité del SIG's review in a session created through the Committee pages; the
Dirección Ejecutiva approves it citing an RDE; the plan shows version 03 with its change-control
row while version 02 stays readable; the coordinator downloads the cronograma as XLSX.

Assertions rely on data (codes, numbers, informes), URLs, ids and data-* attributes, never on
UI wording, so they hold in Spanish and English alike.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import go_to_menu
from e2e.test_journey_documents import log_in, log_out, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Activity 3.4 of Tabla 03 has one product ("Procedimiento para la supervisión integral de los
# procesos"), still pending in the demo data: delivering it takes the activity to 100 %.
ACTIVITY = "3.4"
DOCUMENT = "PNADP-UPPM-CMG-P-001"  # vigente in the demo data
INFORME = "Informe 150-2020-MIDIS/PNADP-UPPM-CMG"
REASON = "Reprogramar las actividades de mejora del cuarto trimestre."
SESSION = "03-2020"
RDE = "RDE N.° 150-2020-MIDIS/PNADP-DE"
V02_RESOLUTION = "Resolución de Dirección Ejecutiva del 17/08/2020"
PLAN_URL = re.compile(r"/planes/\d+/(#activities)?$")
CR_URL = re.compile(r"/planes/cambios/\d+/$")


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]


def activity_row(page: Page, code: str) -> Locator:
    """The activity's row in the plan page's stage tables."""
    return page.locator(f"section[data-stage] tr[data-activity='{code}']")


def cr_status(page: Page) -> Locator:
    return page.locator("main [data-cr-status]")


def test_it_delivers_a_product_and_takes_a_change_request_to_version_03_of_the_2020_plan(
    page: Page, shots_dir: Path, tmp_path: Path
) -> None:
    from committee.models import Session
    from documents.models import Document
    from plans.cronograma import EXPORT_HEADER, month_label
    from plans.models import Activity, Plan

    plan = Plan.objects.get(year=2020, kind=Plan.Kind.SIG)
    activity = Activity.objects.get(plan=plan, code=ACTIVITY)
    document = Document.objects.get(code=DOCUMENT)
    assert document.current_version_id is not None, "the journey needs a vigente document"

    # 1. The coordinator opens Plans → the 2020 SIG plan.
    log_in(page, "cmg")
    go_to_menu(page, "plans")
    expect(page).to_have_url(re.compile(r"/planes/$"))
    page.locator("section[data-year='2020'] tr[data-kind='sig'] a").click()
    expect(page).to_have_url(PLAN_URL)
    plan_url = path_of(page)
    expect(page.locator("[data-testid='plan-version']")).to_have_text("02")
    row = activity_row(page, ACTIVITY)
    expect(row.locator("[data-progress]")).to_have_attribute("data-progress", "0")
    expect(row.locator("[data-delivered]")).to_have_attribute("data-delivered", "no")

    # 2. Deliver the pending product by linking the vigente procedure.
    row.locator("a[data-testid^='deliver-']").click()
    expect(page).to_have_url(re.compile(r"/planes/productos/\d+/entregar/$"))
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("input[name='kind'][value='document']").check()
    form.locator("#id_document").select_option(str(document.pk))
    form.locator("#id_note").fill("Procedimiento vigente que incorpora la supervisión.")
    form.locator("[data-testid='deliver']").click()

    # 3. The activity is complete: 100 %, its product delivered with the document as evidence.
    expect(page).to_have_url(PLAN_URL)
    row = activity_row(page, ACTIVITY)
    expect(row.locator("[data-progress]")).to_have_attribute("data-progress", "100")
    expect(row.locator(".badge[data-status]")).to_have_attribute("data-status", "completed")
    expect(row.locator("[data-delivered]")).to_have_attribute("data-delivered", "yes")
    expect(row.locator("[data-evidence-kind='documents.document']")).to_contain_text(DOCUMENT)
    row.scroll_into_view_if_needed()
    screenshot(page, shots_dir, "plan-detail")

    # 4. The cronograma shows it too: the table row and the Gantt bar's data and class.
    page.locator("[data-testid='plan-gantt']").click()
    expect(page).to_have_url(re.compile(re.escape(plan_url) + r"cronograma/$"))
    gantt_row = page.locator(f"table[data-testid='cronograma-table'] tr[data-activity='{ACTIVITY}']")
    expect(gantt_row).to_have_attribute("data-status", "completed")
    expect(gantt_row.locator("progress")).to_have_attribute("value", "100")
    chart_row = page.locator(f"#gantt-chart tr[data-activity='{ACTIVITY}']")
    expect(chart_row).to_have_attribute("data-status", "completed")
    bar = chart_row.locator("rect.bar.planned")
    expect(bar).to_have_class(re.compile(r"\bstatus-completed\b"))
    progress = chart_row.locator("rect.bar.progress")
    assert progress.get_attribute("width") == bar.get_attribute("width")  # 100 %: filled
    box = bar.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5  # drawn, visible
    bar.scroll_into_view_if_needed()
    screenshot(page, shots_dir, "plan-gantt")

    # 5. The approved plan is frozen: the coordinator proposes a change request that carries the
    #    change itself (new dates for 1.1) with its supporting informe; the plan shows its diff.
    page.goto(plan_url)
    expect(page.locator("[data-testid='plan-frozen']")).to_be_visible()
    page.locator("[data-testid='propose-change']").click()
    expect(page).to_have_url(re.compile(re.escape(plan_url) + r"cambios/nuevo/$"))
    form = page.locator("main form[method='post']")
    form.locator("#id_reason").fill(REASON)
    form.locator("#id_affected_sections").fill("Anexo 01")
    form.locator("#id_affected_activities").select_option(str(activity.pk))
    form.locator("#id_supporting_report").fill(INFORME)
    audits = Activity.objects.get(plan__year=2020, plan__kind="sig", code="1.1")
    form.locator("#id_reschedule-0-activity").select_option(str(audits.pk))
    form.locator("#id_reschedule-0-planned_start").fill("2020-10-01")
    form.locator("#id_reschedule-0-planned_end").fill("2020-12-15")
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(CR_URL)
    cr_url = path_of(page)
    expect(cr_status(page)).to_have_attribute("data-cr-status", "proposed")
    expect(page.locator("[data-testid='change-diff'] tr[data-change='reschedule']")).to_contain_text("15/12/2020")
    page.goto(plan_url)
    expect(page.locator("[data-testid='pending-change'] [data-testid='change-diff']")).to_contain_text("01/10/2020")
    page.goto(cr_url)

    # 6. The Comité del SIG meets: a new session through the Committee pages…
    go_to_menu(page, "committee")
    expect(page).to_have_url(re.compile(r"/comite/$"))
    page.locator("[data-testid='new-session']").click()
    form = page.locator("form[data-testid='session-form']")
    form.locator("#id_number").fill(SESSION)
    # The Committee reviews requests in a session held on or after they were proposed.
    form.locator("#id_date").fill(timezone.localtime().strftime("%d/%m/%Y %H:%M"))
    form.locator("#id_place").fill("Sala de reuniones, Sede Central")
    form.locator("#id_agenda").fill("Solicitud de cambio del Plan de Desarrollo del SIG 2020")
    form.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/comite/sesiones/\d+/$"))
    expect(page.locator("[data-testid='session-number']")).to_have_text(SESSION)
    session = Session.objects.get(number=SESSION)

    # …and its review of the request is recorded.
    page.goto(cr_url)
    review = page.locator("form[data-testid='review-form']")
    review.locator("#id_review-session").select_option(str(session.pk))
    review.locator("#id_review-opinion").fill("Conforme; se eleva a la Dirección Ejecutiva.")
    review.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(re.escape(cr_url) + "$"))
    expect(cr_status(page)).to_have_attribute("data-cr-status", "committee_reviewed")
    expect(page.locator("[data-testid='cr-session']")).to_contain_text(SESSION)
    log_out(page)

    # 7. The Dirección Ejecutiva approves it citing the RDE, and records the communications.
    log_in(page, "direccion")
    page.goto(cr_url)
    decision = page.locator("form[data-testid='decision-form']")
    decision.locator("input[name='decision-decision'][value='approve']").check()
    decision.locator("#id_decision-resolution").fill(RDE)
    decision.locator("button[type='submit']").click()
    expect(page).to_have_url(re.compile(re.escape(cr_url) + "$"))
    expect(cr_status(page)).to_have_attribute("data-cr-status", "approved")
    expect(page.locator("[data-testid='cr-version']")).to_have_text("03")
    comms = page.locator("form[data-testid='communications-form']")
    comms.locator("#id_communications-oficio").fill("Oficio N.° 210-2020-MIDIS/PNADP-DE")
    comms.locator("#id_communications-memorando").fill("Memorando Múltiple N.° 045-2020-MIDIS/PNADP-DE")
    comms.locator("button[type='submit']").click()
    expect(page.locator("[data-testid='cr-oficio']")).to_have_text("Oficio N.° 210-2020-MIDIS/PNADP-DE")

    # 8. The plan is at version 03 with its change-control row; version 02 stays readable.
    page.goto(plan_url)
    expect(page.locator("[data-testid='plan-version']")).to_have_text("03")
    expect(page.locator("[data-testid='plan-resolution']")).to_contain_text(RDE)
    control = page.locator("table[data-testid='change-control'] tr[data-version='03']")
    expect(control).to_have_count(1)
    expect(control).to_contain_text(INFORME)
    expect(control).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    expect(page.locator("table[data-testid='versions'] tr[data-version='03']")).to_have_count(1)
    page.locator("table[data-testid='versions'] tr[data-version='02'] a").click()
    expect(page).to_have_url(re.compile(re.escape(plan_url) + r"versiones/2/$"))
    expect(page.locator("[data-testid='snapshot-version']")).to_have_text("v02")
    expect(page.locator("[data-testid='snapshot-resolution']")).to_have_text(V02_RESOLUTION)
    expect(page.locator("tr[data-activity='1.1']")).to_have_count(1)
    # the approved change was applied exactly: 1.1 now runs from October to mid-December
    audits.refresh_from_db()
    assert (audits.planned_start, audits.planned_end) == (datetime.date(2020, 10, 1), datetime.date(2020, 12, 15))
    log_out(page)

    # 9. The coordinator downloads the cronograma as XLSX: one row per activity, months as columns.
    log_in(page, "cmg")
    page.goto(plan_url + "cronograma/")
    with page.expect_download() as download_info:
        page.locator("[data-testid='cronograma-xlsx']").click()
    download = download_info.value
    assert download.suggested_filename == "cronograma-2020-sig-v03.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = load_workbook(io.BytesIO(target.read_bytes()), read_only=True).active
    assert sheet is not None
    rows: list[tuple[Any, ...]] = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[: len(EXPORT_HEADER)] == tuple(EXPORT_HEADER))
    header = list(rows[header_at])
    months = [month_label(datetime.date(2020, m, 1)) for m in range(1, 13)]
    assert set(months) <= set(header), header[len(EXPORT_HEADER) :]
    code_col, activity_col, progress_col = header.index("Código"), header.index("Actividad"), header.index("Avance (%)")
    activity_rows = {r[code_col]: r for r in rows[header_at + 1 :] if r[activity_col]}
    assert "1.1" in activity_rows, "no row for activity 1.1"
    # 1.1, moved by the change to October–December 2020: its month cells carry the mark.
    marked = {header[i] for i, v in enumerate(activity_rows["1.1"]) if i >= len(EXPORT_HEADER) and v}
    assert {"oct-2020", "nov-2020", "dic-2020"} <= marked, marked
    assert activity_rows[ACTIVITY][progress_col] == 100
