"""The cronograma outside the browser: XLSX and PDF exports, the import template, and the
all-or-nothing XLSX import with its row-by-row error report."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from plans.cronograma import EXPORT_HEADER, HEADER_ROW, IMPORT_HEADER
from plans.models import Activity, Product
from plans.tests.test_gantt import make_plan

MONTHS_2020 = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic"]


@pytest.fixture
def demo_plan(cmg: Any) -> dict[str, Any]:
    return make_plan(cmg)


def _xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(IMPORT_HEADER if header is None else header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client: Any, plan: Any, content: bytes, name: str = "cronograma.xlsx") -> Any:
    return client.post(reverse("plans:cronograma_import", args=[plan.pk]), {"file": SimpleUploadedFile(name, content)})


GOOD_ROWS = [
    [
        1,
        "1.3",
        "Revisión de la matriz de socio de negocio",
        "UPPM-CMG",
        "01/03/2020",
        "30/04/2020",
        "",
        "Matriz actualizada",
    ],
    [
        3,
        "3.2",
        "Difusión del SIG en las UT",
        "UCI",
        datetime.datetime(2020, 5, 4),
        "31/07/2020",
        "UT-CUS, UT-PUN",
        "Informe de difusión; Videos informativos del SIG",
    ],
    [3, "3.3", "Virtualización del SIG", "UTI", "01/06/2020", "30/09/2020", "SC", "Videos informativos del SIG"],
]


def _counts() -> tuple[int, int, int]:
    return Activity.objects.count(), Product.objects.count(), AuditEvent.objects.count()


# --- export -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_xlsx_export_has_a_row_per_activity_and_product_and_a_column_per_month(client_as, cmg, demo_plan):
    plan = demo_plan["plan"]
    response = client_as(cmg).get(reverse("plans:cronograma_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert plan.title in ws["A1"].value and "Versión: 01" in ws["A2"].value
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == EXPORT_HEADER + [f"{m}-2020" for m in MONTHS_2020]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=HEADER_ROW + 1)]
    code, activity, product = 1, 2, 3
    assert [(r[code], bool(r[activity]), r[product]) for r in rows] == [
        ("1.1", True, None),
        ("1.1", False, "Informe de auditoría"),
        ("1.1", False, "Programa de auditoría"),
        ("1.2", True, None),
        ("2.1", True, None),
        ("3.1", True, None),
    ]
    months = {label: i for i, label in enumerate(header)}
    a11 = rows[0]
    # 1.1: planned Feb–Apr; actually started 10/02, still under way: actual months run to today.
    assert [a11[months[f"{m}-2020"]] for m in ("ene", "feb", "mar", "abr", "may")] == [None, "XR", "XR", "XR", "R"]
    assert a11[months["feb-2020"]] and ws.cell(row=HEADER_ROW + 1, column=months["feb-2020"] + 1).fill.fgColor.rgb
    delivered = rows[1]
    assert [m for m in MONTHS_2020 if delivered[months[f"{m}-2020"]]] == ["mar"]  # delivered 20/03
    assert delivered[months["mar-2020"]] == "E"
    assert rows[3][months["may-2020"]] == "X" and rows[3][months["jul-2020"]] is None
    assert ws.oddFooter.right.text == "Página &P de &N" and ws.oddHeader.right.text == "Versión: 01"
    assert ws.page_setup.orientation == "landscape"


@pytest.mark.django_db
def test_exports_are_recorded_in_the_audit_trail(client_as, cmg, demo_plan):
    plan = demo_plan["plan"]
    client_as(cmg).get(reverse("plans:cronograma_xlsx", args=[plan.pk]))
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("id")
    assert event.object_id == str(plan.pk) and event.changes["format"] == "xlsx"


@pytest.mark.django_db
def test_a_ut_exports_only_the_activities_that_involve_it(client_as, ut_cusco, demo_plan):
    response = client_as(ut_cusco).get(reverse("plans:cronograma_xlsx", args=[demo_plan["plan"].pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [row[1].value for row in ws.iter_rows(min_row=HEADER_ROW + 1)] == ["3.1"]


@pytest.mark.django_db
@pytest.mark.pdf
def test_the_pdf_export_prints_the_cronograma_in_the_seed_format(client_as, cmg, demo_plan):
    from pypdf import PdfReader

    plan = demo_plan["plan"]
    response = client_as(cmg).get(reverse("plans:cronograma_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    flat = " ".join(text.split())
    assert plan.title in flat
    assert "Página: 1 de" in flat or "Página 1 de" in flat
    assert "Auditorías internas al SIG" in flat and "Informe de auditoría" in flat
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape


@pytest.mark.django_db
def test_exports_can_keep_one_stage(client_as, cmg, demo_plan):
    response = client_as(cmg).get(reverse("plans:cronograma_xlsx", args=[demo_plan["plan"].pk]), {"stage": "1"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert {row[1].value for row in ws.iter_rows(min_row=HEADER_ROW + 1)} == {"1.1", "1.2"}


@pytest.mark.django_db
@pytest.mark.pdf
def test_a_pdf_too_long_for_one_request_is_cut_and_says_so(client_as, cmg, demo_plan, monkeypatch):
    from pypdf import PdfReader

    from plans import cronograma

    monkeypatch.setattr(cronograma, "PDF_MAX_ROWS", 2)
    response = client_as(cmg).get(reverse("plans:cronograma_pdf", args=[demo_plan["plan"].pk]))
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "primeras 2 filas de 6" in text
    assert "Supervisiones integrales" not in text  # 1.2 is the fourth row


@pytest.mark.django_db
def test_people_without_a_role_cannot_export(client_as, no_role_user, demo_plan):
    client = client_as(no_role_user)
    for name in ("cronograma_xlsx", "cronograma_pdf"):
        assert client.get(reverse(f"plans:{name}", args=[demo_plan["plan"].pk])).status_code == 404


# --- template -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_empty_template_has_the_import_header(client_as, cmg, lector, demo_plan):
    url = reverse("plans:cronograma_template", args=[demo_plan["plan"].pk])
    response = client_as(cmg).get(url)
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == IMPORT_HEADER
    assert client_as(lector).get(url).status_code == 403


@pytest.mark.django_db
def test_the_template_imports_once_filled_in(client_as, cmg, demo_plan):
    """What users download is what the import reads."""
    plan = demo_plan["plan"]
    client = client_as(cmg)
    wb = load_workbook(io.BytesIO(client.get(reverse("plans:cronograma_template", args=[plan.pk])).content))
    wb.worksheets[0].append(GOOD_ROWS[0])
    out = io.BytesIO()
    wb.save(out)
    assert _upload(client, plan, out.getvalue()).status_code == 302
    assert plan.activities.filter(code="1.3").exists()


# --- import -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_file_creates_the_activities_sites_and_products(client_as, cmg, demo_plan):
    plan = demo_plan["plan"]
    response = _upload(client_as(cmg), plan, _xlsx(GOOD_ROWS))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_gantt", args=[plan.pk])
    a13 = plan.activities.get(code="1.3")
    assert (a13.stage.number, a13.responsible_unit.code) == (1, "UPPM-CMG")
    assert (a13.planned_start, a13.planned_end) == (datetime.date(2020, 3, 1), datetime.date(2020, 4, 30))
    assert a13.order > demo_plan["a12"].order  # after the stage's existing activities
    a32 = plan.activities.get(code="3.2")
    assert a32.planned_start == datetime.date(2020, 5, 4)  # a real date cell is accepted too
    assert sorted(s.code for s in a32.sites.all()) == ["UT-CUS", "UT-PUN"]
    videos = plan.products.get(title="Videos informativos del SIG")
    assert sorted(a.code for a in videos.activities.all()) == ["3.2", "3.3"]  # one product, two activities
    assert [p.title for p in a32.products.order_by("order")] == ["Informe de difusión", "Videos informativos del SIG"]
    assert AuditEvent.objects.filter(
        object_type="plans.activity", object_id=str(a13.pk), action=AuditEvent.Action.CREATE
    ).exists()


BAD_FILES = {
    "wrong header": (
        _xlsx([GOOD_ROWS[0]], header=["Etapa", "Código", "Actividad", "Unidad", "Inicio", "Fin", "Sedes", "Productos"]),
        [("1", None)],
    ),
    "duplicated code": (
        _xlsx([GOOD_ROWS[0], GOOD_ROWS[1], [*GOOD_ROWS[2][:1], "1.3", *GOOD_ROWS[2][2:]]]),
        [("4", "B (Código)")],
    ),
    "code already in the plan": (
        _xlsx([[1, "1.1", "Otra", "UPPM-CMG", "01/03/2020", "30/04/2020", "", ""]]),
        [("2", "B (Código)")],
    ),
    "date in the wrong format": (
        _xlsx([GOOD_ROWS[0], [1, "1.4", "Otra", "UPPM-CMG", "2020-03-01", "31/02/2020", "", ""]]),
        [("3", "E (Inicio programado)"), ("3", "F (Fin programado)")],
    ),
    "end before start": (
        _xlsx([[2, "2.9", "Otra", "UPPM-CMG", "01/05/2020", "30/04/2020", "", ""], GOOD_ROWS[1]]),
        [("2", "F (Fin programado)")],
    ),
    "unknown unit and site": (
        _xlsx([GOOD_ROWS[0], [3, "3.9", "Otra", "NO-EXISTE", "01/05/2020", "30/05/2020", "SC, UT-XYZ", ""]]),
        [("3", "D (Unidad responsable)"), ("3", "G (Sedes)")],
    ),
    "unknown stage": (
        _xlsx([[7, "7.1", "Otra", "UPPM-CMG", "01/05/2020", "30/05/2020", "", ""]]),
        [("2", "A (Etapa)")],
    ),
    "missing values": (
        _xlsx([GOOD_ROWS[0], [1, "", "", "", "", "", "", ""]]),
        [
            ("3", "B (Código)"),
            ("3", "C (Actividad)"),
            ("3", "D (Unidad responsable)"),
            ("3", "E (Inicio programado)"),
            ("3", "F (Fin programado)"),
        ],
    ),
    "no rows": (_xlsx([]), [(None, None)]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_reported_row_by_row_and_nothing_is_stored(client_as, cmg, demo_plan, case):
    content, expected = BAD_FILES[case]
    client = client_as(cmg)  # signing in is itself an audit event
    before = _counts()
    response = _upload(client, demo_plan["plan"], content)
    assert response.status_code == 400
    assert _counts() == before
    errors = [(e.row, e.column) for e in response.context["errors"]]
    for row, column in expected:
        assert any(str(r) == row if row else r is None for r, _c in errors), (case, errors)
        if column:
            assert (int(row), column) in errors, (case, errors)
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    for row, column in expected:
        if row:
            assert f'data-row="{row}"' in html
        if column:
            assert column in html


@pytest.mark.django_db
def test_every_bad_row_is_reported_not_only_the_first(client_as, cmg, demo_plan):
    rows = [
        [1, "1.5", "A", "UPPM-CMG", "01/03/2020", "15/02/2020", "", ""],
        GOOD_ROWS[0],
        [9, "9.1", "B", "UPPM-CMG", "01/03/2020", "15/03/2020", "", ""],
        [1, "1.6", "C", "XX", "01/03/2020", "15/03/2020", "", ""],
    ]
    response = _upload(client_as(cmg), demo_plan["plan"], _xlsx(rows))
    assert sorted(e.row for e in response.context["errors"]) == [2, 4, 5]


@pytest.mark.django_db
def test_a_file_that_is_not_an_xlsx_is_refused_by_its_content(client_as, cmg, demo_plan):
    client = client_as(cmg)
    before = _counts()
    response = _upload(client, demo_plan["plan"], b"%PDF-1.4 not a spreadsheet")
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    response = _upload(client, demo_plan["plan"], b"%PDF-1.4 whatever", name="cronograma.pdf")
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert _counts() == before


@pytest.mark.django_db
def test_a_closed_plan_refuses_an_import(client_as, cmg, demo_plan):
    plan = demo_plan["plan"]
    type(plan).objects.filter(pk=plan.pk).update(status="closed")
    client = client_as(cmg)
    before = _counts()
    response = _upload(client, plan, _xlsx(GOOD_ROWS))
    assert response.status_code == 400 and _counts() == before


@pytest.mark.django_db
def test_only_plan_editors_may_import(client_as, cmg, lector, ut_cusco, no_role_user, demo_plan):
    plan = demo_plan["plan"]
    url = reverse("plans:cronograma_import", args=[plan.pk])
    assert client_as(cmg).get(url).status_code == 200
    clients = [client_as(lector), client_as(ut_cusco), client_as(no_role_user)]
    before = _counts()
    assert [_upload(c, plan, _xlsx(GOOD_ROWS)).status_code for c in clients] == [403, 403, 404]
    assert clients[0].get(url).status_code == 403
    assert _counts() == before


# --- round trip -------------------------------------------------------------------------------------


def _shape(plan: Any) -> tuple[list[tuple[Any, ...]], dict[str, list[str]]]:
    activities = [
        (
            a.stage.number,
            a.code,
            a.title,
            a.responsible_unit.code,
            a.planned_start,
            a.planned_end,
            sorted(s.code for s in a.sites.all()),
        )
        for a in plan.activities.select_related("stage", "responsible_unit").order_by("stage__number", "order")
    ]
    products = {p.title: sorted(a.code for a in p.activities.all()) for p in plan.products.all()}
    return activities, products


@pytest.mark.django_db
def test_an_exported_cronograma_imports_back_unchanged_into_a_new_plan(client_as, cmg, demo_plan):
    """Tabla 01 carried from one year's plan to the next: the XLSX sig exports is a file the import
    reads as it is (title rows, the "Sedes" column, product rows under their activity, months)."""
    from organization.models import Site
    from plans import services
    from plans.models import Plan

    source = demo_plan["plan"]
    a11, a12 = demo_plan["a11"], demo_plan["a12"]
    a12.sites.set(Site.objects.filter(code__in=["SC", "UT-CUS", "UT-PUN"]))
    services.add_product(source, title="Informe compartido de seguimiento", activities=[a11, a12], by=cmg)
    client = client_as(cmg)
    exported = client.get(reverse("plans:cronograma_xlsx", args=[source.pk])).content

    target = services.create_plan(
        by=cmg,
        data={
            "year": 2021,
            "kind": Plan.Kind.SIG,
            "title": "Plan 2021",
            "objective": "Objetivo",
            "owner_unit": source.owner_unit,
            "stages": [s.name for s in source.stages.order_by("number")],
        },
    )
    response = _upload(client, target, exported)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _shape(target) == _shape(source)
    assert _shape(target)[1]["Informe compartido de seguimiento"] == ["1.1", "1.2"]  # one product, two activities
    assert sorted(_shape(target)[0][1][6]) == ["SC", "UT-CUS", "UT-PUN"]
    # Execution is not carried over: the new plan starts without it.
    assert not target.activities.exclude(actual_start=None).exists()


@pytest.mark.django_db
def test_a_stage_cell_as_exported_or_as_a_bare_number_reads_the_same(client_as, cmg, demo_plan):
    plan = demo_plan["plan"]
    rows = [
        ["1. Mantenimiento", "1.7", "Una", "UPPM-CMG", "01/03/2020", "30/04/2020", "", ""],
        [2, "2.7", "Otra", "UPPM-CMG", "01/03/2020", "30/04/2020", "", ""],
    ]
    assert _upload(client_as(cmg), plan, _xlsx(rows)).status_code == 302
    assert plan.activities.get(code="1.7").stage.number == 1 and plan.activities.get(code="2.7").stage.number == 2
    bad = _upload(client_as(cmg), plan, _xlsx([["Etapa uno", "1.8", "X", "UPPM-CMG", "01/03/2020", "30/04/2020"]]))
    assert bad.status_code == 400 and "A (Etapa)" in bad.content.decode()
