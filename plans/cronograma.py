"""The cronograma (Anexo 01) outside the browser: export to XLSX and PDF, and import from XLSX.

Export: one row per activity and, under it, one row per product, with one column per month of
the plan's span; planned months, actual months and the month a product was delivered are
marked. Exported and printed files are in Spanish, whatever the reader's UI language, like
every printed document.

Import: one row per activity under a fixed Spanish header (IMPORT_HEADER; `template_xlsx()`
is the empty template users download). Every row is checked and every problem is reported
with its row and column; only a file without a single error is imported, in one transaction,
through plans.services (all or nothing)."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core import text as textrules
from core.exports import new_workbook, put, sheet_value, workbook_bytes
from core.files import UnsafeFile, open_zip
from core.limits import DATE_MAX, DATE_MIN
from core.services import ServiceError
from organization.models import OrgUnit, Site
from plans import services
from plans.models import Activity, Plan, Product, Stage

# --- shared ------------------------------------------------------------------------------------

MONTHS_ES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic"]
STATUS_ES = {
    "not_started": "No iniciada",
    "in_progress": "En curso",
    "completed": "Completada",
    "delayed": "Retrasada",
    "cancelled": "Cancelada",
}
PLAN_STATUS_ES: dict[str, str] = {
    Plan.Status.DRAFT: "Borrador",
    Plan.Status.COMMITTEE_REVIEW: "En revisión por el Comité del SIG",
    Plan.Status.APPROVED: "Aprobado",
    Plan.Status.CLOSED: "Cerrado",
}
# Month marks: planned, actual, both, product delivered.
PLANNED, ACTUAL, BOTH, DELIVERED = "X", "R", "XR", "E"
LEGEND = "Leyenda: X = programado · R = ejecutado (real) · XR = programado y ejecutado · E = producto entregado"
MAX_MONTHS = 120  # a span longer than ten years is cut (frappe-gantt has the same limit)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return day.replace(year=day.year + 1, month=1) if day.month == 12 else day.replace(month=day.month + 1)


def _months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months: list[datetime.date] = []
    start, end = max(start, DATE_MIN), min(end, DATE_MAX)  # rows stored before core.limits' bounds
    current = _month(start)
    while current <= end and len(months) < MAX_MONTHS:
        months.append(current)
        current = _next_month(current)
    return months


def month_label(month: datetime.date) -> str:
    return f"{MONTHS_ES[month.month - 1]}-{month.year}"


@dataclass(frozen=True)
class CronogramaRow:
    kind: str  # "activity" or "product"
    stage: Stage
    code: str
    activity: str
    product: str
    unit: str
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    progress: int | None
    status: str
    milestone: bool
    marks: list[str]


@dataclass(frozen=True)
class Cronograma:
    plan: Plan
    months: list[datetime.date]
    rows: list[CronogramaRow]
    printed_at: datetime.datetime
    total_rows: int = 0  # before a cut (PDF): more than len(rows) when rows were left out

    @property
    def activity_count(self) -> int:
        return sum(1 for r in self.rows if r.kind == "activity")

    @property
    def years(self) -> list[tuple[int, int]]:
        """(year, number of its months in the span), for a two-level month header."""
        out: list[tuple[int, int]] = []
        for m in self.months:
            if out and out[-1][0] == m.year:
                out[-1] = (m.year, out[-1][1] + 1)
            else:
                out.append((m.year, 1))
        return out


def _span(plan: Plan, activities: Sequence[Activity], today: datetime.date) -> list[datetime.date]:
    """The plan's year, widened to every planned and actual date of its activities."""
    days = [datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)]
    for a in activities:
        days += [d for d in (a.planned_start, a.planned_end, a.actual_start, a.actual_end) if d]
    return _months_between(min(days), max(days))


def _covered(start: datetime.date | None, end: datetime.date | None) -> set[datetime.date]:
    if not start or not end or end < start:
        return set()
    return set(_months_between(start, end))


def build_cronograma(
    plan: Plan, activities: QuerySet[Activity], *, today: datetime.date | None = None, max_rows: int | None = None
) -> Cronograma:
    """Rows for the XLSX and PDF exports. `activities` is already scoped to the reader.
    `max_rows` cuts the rows (the PDF's limit); `total_rows` then tells how many there were."""
    today = today or timezone.localdate()
    items = list(
        activities.select_related("stage", "responsible_unit").prefetch_related(
            Prefetch("products", queryset=Product.objects.order_by("order", "pk"))
        )
    )
    months = _span(plan, items, today)
    rows: list[CronogramaRow] = []
    for a in items:
        planned = _covered(a.planned_start, a.planned_end)
        actual = _covered(a.actual_start, a.actual_end or (max(today, a.actual_start) if a.actual_start else None))
        marks = [
            BOTH if m in planned and m in actual else PLANNED if m in planned else ACTUAL if m in actual else ""
            for m in months
        ]
        status = a.display_status(today)
        rows.append(
            CronogramaRow(
                kind="activity",
                stage=a.stage,
                code=a.code,
                activity=a.title,
                product="",
                unit=a.responsible_unit.code,
                planned_start=a.planned_start,
                planned_end=a.planned_end,
                actual_start=a.actual_start,
                actual_end=a.actual_end,
                progress=a.progress,
                status=STATUS_ES.get(status, status),
                milestone=a.is_milestone,
                marks=marks,
            )
        )
        for p in a.products.all():
            delivered = _month(p.delivered_on) if p.delivered_on else None
            rows.append(
                CronogramaRow(
                    kind="product",
                    stage=a.stage,
                    code=a.code,
                    activity="",
                    product=p.title,
                    unit="",
                    planned_start=None,
                    planned_end=None,
                    actual_start=None,
                    actual_end=p.delivered_on,
                    progress=None,
                    status="Entregado" if p.delivered_on else "Pendiente",
                    milestone=False,
                    marks=[DELIVERED if m == delivered else "" for m in months],
                )
            )
    total = len(rows)
    if max_rows is not None and total > max_rows:
        rows = rows[:max_rows]
    return Cronograma(plan=plan, months=months, rows=rows, printed_at=timezone.localtime(), total_rows=total)


# --- XLSX export ---------------------------------------------------------------------------------

EXPORT_HEADER = [
    "Etapa",
    "Código",
    "Actividad",
    "Producto",
    "Unidad responsable",
    "Inicio programado",
    "Fin programado",
    "Inicio real",
    "Fin real",
    "Avance (%)",
    "Estado",
]
HEADER_ROW = 5
FILLS = {
    PLANNED: PatternFill("solid", fgColor="9DC3E6"),
    ACTUAL: PatternFill("solid", fgColor="F4B183"),
    BOTH: PatternFill("solid", fgColor="A9D08E"),
    DELIVERED: PatternFill("solid", fgColor="FFD966"),
}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = "DD/MM/YYYY"


def _hf(text: str) -> str:
    """Header/footer text: '&' starts a control code there, so it is doubled; and only what an
    XLSX file can hold (core.exports)."""
    return str(sheet_value(text)).replace("&", "&&")


def cronograma_title(plan: Plan) -> str:
    return f"Cronograma de actividades — {plan.title}"


def cronograma_xlsx(crono: Cronograma) -> bytes:
    plan = crono.plan
    wb = new_workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Cronograma"
    put(ws["A1"], cronograma_title(plan)).font = Font(bold=True, size=13)
    put(
        ws["A2"],
        f"Versión: {plan.version:02d} · Estado: {PLAN_STATUS_ES.get(plan.status, plan.status)} · "
        f"Año: {plan.year} · Emitido: {crono.printed_at:%d/%m/%Y %H:%M}",
    )
    put(ws["A3"], LEGEND).font = Font(italic=True, size=9)

    header = EXPORT_HEADER + [month_label(m) for m in crono.months]
    for col, name in enumerate(header, start=1):
        cell = put(ws.cell(row=HEADER_ROW, column=col), name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fixed = len(EXPORT_HEADER)
    for offset, row in enumerate(crono.rows, start=1):
        r = HEADER_ROW + offset
        values: list[Any] = [
            str(row.stage),
            row.code,
            row.activity,
            row.product,
            row.unit,
            row.planned_start,
            row.planned_end,
            row.actual_start,
            row.actual_end,
            row.progress,
            row.status,
        ]
        for col, value in enumerate(values, start=1):
            cell = put(ws.cell(row=r, column=col), value)
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=col in (1, 3, 4))
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            if row.kind == "activity" and col in (2, 3):
                cell.font = Font(bold=True)
        for i, mark in enumerate(row.marks, start=fixed + 1):
            cell = put(ws.cell(row=r, column=i), mark or None)
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center")
            if mark:
                cell.fill = FILLS[mark]
    widths = [22, 8, 60, 45, 14, 12, 12, 12, 12, 9, 12]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for col in range(fixed + 1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 8
    last = HEADER_ROW + len(crono.rows)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=4)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(header))}{last}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.left.text = _hf(plan.owner_unit.code)
    ws.oddHeader.center.text = _hf(cronograma_title(plan))
    ws.oddHeader.right.text = f"Versión: {plan.version:02d}"
    ws.oddFooter.left.text = _hf(f"Emitido: {crono.printed_at:%d/%m/%Y %H:%M}")
    ws.oddFooter.right.text = "Página &P de &N"
    return workbook_bytes(wb)


# --- PDF -------------------------------------------------------------------------------------------

PRINT_TEMPLATE = "plans/print/cronograma.html"
# WeasyPrint lays out a row in about 20 ms: past this many rows a PDF would take longer than a
# web request may (the XLSX has them all; the PDF can also be printed stage by stage).
PDF_MAX_ROWS = 600


def pdf_context(crono: Cronograma) -> dict[str, Any]:
    from organization.models import Entity
    from reports.pdf import A4, print_frame

    plan = crono.plan
    frame = print_frame(
        entity=Entity.objects.first(),
        title=cronograma_title(plan),
        code=plan.document.code if plan.document_id and plan.document else "",
        version=f"{plan.version:02d}",
    )
    stages: list[tuple[Stage, list[CronogramaRow]]] = []
    for row in crono.rows:
        if not stages or stages[-1][0].pk != row.stage.pk:
            stages.append((row.stage, []))
        stages[-1][1].append(row)
    return {
        "frame": frame,
        "page": A4.landscape(),
        "crono": crono,
        "plan": plan,
        "plan_status": PLAN_STATUS_ES.get(plan.status, plan.status),
        "stages": stages,
        "month_labels": [MONTHS_ES[m.month - 1].capitalize() for m in crono.months],
        "legend": LEGEND,
    }


# --- XLSX import ---------------------------------------------------------------------------------

IMPORT_HEADER = [
    "Etapa",
    "Código",
    "Actividad",
    "Unidad responsable",
    "Inicio programado",
    "Fin programado",
    "Sedes",
    "Productos",
]
STAGE, CODE, TITLE, UNIT, START, END, SITES, PRODUCTS = range(len(IMPORT_HEADER))
MAX_IMPORT_ROWS = 5000
DATE_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
CODE_MAX = Activity._meta.get_field("code").max_length or 20
TITLE_MAX = Activity._meta.get_field("title").max_length or 1000
PRODUCT_MAX = Product._meta.get_field("title").max_length or 1000


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet row (1 is the header); None for the file as a whole
    column: str  # "E (Inicio programado)"; empty for the file as a whole
    message: str


@dataclass
class ImportRow:
    row: int
    stage: Stage
    code: str
    title: str
    unit: OrgUnit
    planned_start: datetime.date
    planned_end: datetime.date
    sites: list[Site] = field(default_factory=list)
    products: list[str] = field(default_factory=list)


def column_name(index: int) -> str:
    return f"{get_column_letter(index + 1)} ({IMPORT_HEADER[index]})"


def template_xlsx() -> bytes:
    """The empty import template: the header, text-formatted code and date columns, and a
    second sheet that explains each column."""
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Cronograma"
    for col, name in enumerate(IMPORT_HEADER, start=1):
        cell = put(ws.cell(row=1, column=col), name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = [8, 10, 60, 18, 16, 16, 22, 60][col - 1]
    for col in (CODE, START, END):
        for r in range(2, 502):
            ws.cell(row=r, column=col + 1).number_format = "@"
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet("Instrucciones")
    with translation.override("es"):  # a file users keep: Spanish, like every exported file
        lines = [("Columna", "Contenido"), *zip(IMPORT_HEADER, import_help(), strict=True)]
    for row, (name, text) in enumerate(lines, start=1):
        put(help_sheet.cell(row=row, column=1), name)
        put(help_sheet.cell(row=row, column=2), text)
    help_sheet.column_dimensions["A"].width = 20
    help_sheet.column_dimensions["B"].width = 100
    return workbook_bytes(wb)


def import_help() -> list[str]:
    """What each column of IMPORT_HEADER holds (in the active language)."""
    return [
        _("Number of the plan's stage (1, 2, 3…). Required."),
        _("Activity code, unique in the plan (e.g. 1.1). Required."),
        _("Description of the activity. Required."),
        _("Code of the responsible unit (e.g. UPPM-CMG). Required."),
        _("Planned start date, dd/mm/aaaa. Required."),
        _("Planned end date, dd/mm/aaaa, not before the start. Required."),
        _("Codes of the sites or UTs, separated by commas (e.g. SC, UT-CUS). Optional."),
        _(
            "Products separated by semicolons. A product written on several rows is registered once and "
            "delivers all those activities. Optional."
        ),
    ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format(value, "g")
    return str(value).strip()


def _date(value: Any) -> datetime.date | None:
    """A date cell, or text written as dd/mm/aaaa; None if it is neither."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_RE.match(_text(value))
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# openpyxl holds a workbook's shared strings in memory: the import accepts less than an upload.
IMPORT_MAX_EXPANDED = 50 * 1024 * 1024


def _clean_cell(value: str, kind: textrules.Kind) -> tuple[str, str]:
    """The cell's text normalised as every text input is (core.text), and the problem if any."""
    try:
        return textrules.clean(value, kind), ""
    except ValidationError as exc:
        return value, str(exc.messages[0])


def _read_rows(data: bytes) -> Iterable[tuple[Any, ...]]:
    open_zip(data, max_expanded=IMPORT_MAX_EXPANDED).close()  # refuses a decompression bomb
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    return ws.iter_rows(values_only=True)


def parse_cronograma(plan: Plan, data: bytes) -> tuple[list[ImportRow], list[RowError]]:
    """Check every row of an uploaded cronograma. Returns the rows ready to import and the
    errors; the rows are usable only when there is no error."""
    if plan.status == Plan.Status.CLOSED:
        return [], [RowError(None, "", _("The plan is closed."))]
    try:
        raw_rows = iter(_read_rows(data))
        header = next(raw_rows, None)
    except UnsafeFile as exc:
        return [], [RowError(None, "", exc.message)]
    except Exception:  # noqa: BLE001 - any unreadable workbook is one file-level error
        return [], [RowError(None, "", _("The file cannot be read as a spreadsheet."))]
    got = [_text(v) for v in (header or ())]
    while got and not got[-1]:
        got.pop()
    if [g.casefold() for g in got] != [h.casefold() for h in IMPORT_HEADER]:
        return [], [
            RowError(
                1,
                "",
                _("The header must be exactly: %(expected)s. The file has: %(got)s.")
                % {"expected": " | ".join(IMPORT_HEADER), "got": " | ".join(got) or "—"},
            )
        ]

    stages = {s.number: s for s in plan.stages.all()}
    units = {u.code.casefold(): u for u in OrgUnit.objects.filter(is_active=True)}
    sites = {s.code.casefold(): s for s in Site.objects.filter(is_active=True)}
    existing = {code.casefold() for code in plan.activities.values_list("code", flat=True)}
    errors: list[RowError] = []
    parsed: list[ImportRow] = []
    first_row_of_code: dict[str, int] = {}

    def err(row: int, col: int, message: str) -> None:
        errors.append(RowError(row, column_name(col), message))

    count = 0
    for number, values in enumerate(raw_rows, start=2):
        cells = list(values) + [None] * (len(IMPORT_HEADER) - len(values))
        if all(_text(v) == "" for v in cells):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            return [], [RowError(None, "", _("The file has more than %(n)s activities.") % {"n": MAX_IMPORT_ROWS})]
        n_errors = len(errors)
        if any(_text(v) for v in cells[len(IMPORT_HEADER) :]):
            err(number, len(IMPORT_HEADER) - 1, _("There is data to the right of the last column."))

        stage_text = _text(cells[STAGE])
        stage = stages.get(int(stage_text)) if stage_text.isdigit() else None
        if not stage_text:
            err(number, STAGE, _("Write the stage number."))
        elif stage is None:
            err(number, STAGE, _("The plan has no stage %(s)s.") % {"s": stage_text})

        code, problem = _clean_cell(_text(cells[CODE]), textrules.Kind.CODE)
        if problem:
            err(number, CODE, problem)
        elif not code:
            err(number, CODE, _("Write the activity code."))
        elif len(code) > CODE_MAX:
            err(number, CODE, _("The code has more than %(n)s characters.") % {"n": CODE_MAX})
        elif code.casefold() in first_row_of_code:  # codes are compared ignoring case
            err(
                number,
                CODE,
                _("Code %(code)s is repeated (first in row %(row)s).")
                % {"code": code, "row": first_row_of_code[code.casefold()]},
            )
        elif code.casefold() in existing:
            err(number, CODE, _("The plan already has an activity with code %(code)s.") % {"code": code})
        if code and code.casefold() not in first_row_of_code:
            first_row_of_code[code.casefold()] = number

        title, problem = _clean_cell(_text(cells[TITLE]), textrules.Kind.TEXT)
        if problem:
            err(number, TITLE, problem)
        elif not title:
            err(number, TITLE, _("Describe the activity."))
        elif len(title) > TITLE_MAX:
            err(number, TITLE, _("The description has more than %(n)s characters.") % {"n": TITLE_MAX})

        unit_code = _text(cells[UNIT])
        unit = units.get(unit_code.casefold())
        if not unit_code:
            err(number, UNIT, _("Write the code of the responsible unit."))
        elif unit is None:
            err(number, UNIT, _("There is no active unit with code %(code)s.") % {"code": unit_code})

        dates: list[datetime.date | None] = []
        for col in (START, END):
            value = cells[col]
            day = _date(value)
            if _text(value) == "":
                err(number, col, _("Write the date as dd/mm/aaaa."))
            elif day is None:
                err(number, col, _("“%(value)s” is not a date written as dd/mm/aaaa.") % {"value": _text(value)})
            dates.append(day)
        start, end = dates
        if start and end and end < start:
            err(number, END, _("The end date is before the start date."))

        row_sites: list[Site] = []
        for site_code in filter(None, (c.strip() for c in _text(cells[SITES]).split(","))):
            site = sites.get(site_code.casefold())
            if site is None:
                err(number, SITES, _("There is no site with code %(code)s.") % {"code": site_code})
            elif site not in row_sites:
                row_sites.append(site)

        products_text, problem = _clean_cell(_text(cells[PRODUCTS]), textrules.Kind.TEXT)
        if problem:
            err(number, PRODUCTS, problem)
        products = [p.strip() for p in products_text.split(";") if p.strip()]
        for product in products:
            if len(product) > PRODUCT_MAX:
                err(number, PRODUCTS, _("A product has more than %(n)s characters.") % {"n": PRODUCT_MAX})

        if len(errors) == n_errors and stage and unit and start and end:
            parsed.append(
                ImportRow(
                    row=number,
                    stage=stage,
                    code=code,
                    title=title,
                    unit=unit,
                    planned_start=start,
                    planned_end=end,
                    sites=row_sites,
                    products=list(dict.fromkeys(products)),
                )
            )
    if count == 0:
        errors.append(RowError(None, "", _("The file has no activities under the header.")))
    return (parsed if not errors else []), errors


@transaction.atomic
def import_cronograma(plan: Plan, rows: list[ImportRow], *, by: Any) -> list[Activity]:
    """Create the activities and products of a checked file, all or nothing. A product written
    on several rows is created once and delivers all those activities."""
    if not rows:
        raise ServiceError(_("The file has no activities under the header."))
    next_order: dict[int, int] = {}
    created: list[Activity] = []
    product_activities: dict[str, list[Activity]] = {}
    for row in rows:
        if row.stage.pk not in next_order:
            last = row.stage.activities.order_by("-order").values_list("order", flat=True).first()
            next_order[row.stage.pk] = (last or 0) + 1
        activity = services.add_activity(
            row.stage,
            data={
                "code": row.code,
                "title": row.title,
                "responsible_unit": row.unit,
                "planned_start": row.planned_start,
                "planned_end": row.planned_end,
                "sites": row.sites,
                "order": next_order[row.stage.pk],
            },
            by=by,
        )
        next_order[row.stage.pk] += 1
        created.append(activity)
        for title in row.products:
            product_activities.setdefault(title, []).append(activity)
    for title, activities in product_activities.items():
        services.add_product(plan, title=title, activities=activities, by=by)
    return created
