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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core import importer
from core import text as textrules
from core.exports import new_workbook, put, sheet_value, workbook_bytes
from core.importer import Importer, RowError
from core.limits import DATE_MAX, DATE_MIN
from organization.models import OrgUnit, Site
from plans import services
from plans.models import Activity, Plan, Product, Stage
from reports.base import Identity, Report

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
MAX_MONTHS = 120  # a span longer than ten years is cut (the PDF would have no room)


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
    sites: str  # codes of the sites or UTs, "SC, UT-CUS" (activity rows)
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
            Prefetch("products", queryset=Product.objects.order_by("order", "pk")), "sites"
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
                sites=", ".join(site.code for site in a.sites.all()),
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
                    sites="",
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
    "Sedes",
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
            row.sites,
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
            cell.alignment = Alignment(vertical="top", wrap_text=col in (1, 3, 4, 6))
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
    widths = [22, 8, 60, 45, 14, 16, 12, 12, 12, 12, 9, 12]
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


class CronogramaReport(Report):
    """Anexo 01: the cronograma as PDF (landscape, seed format) and XLSX (months as columns),
    for the activities the reader may see (reports.base.Report)."""

    template = PRINT_TEMPLATE
    landscape = True

    def __init__(self, plan: Plan, activities: QuerySet[Activity], *, stage: int | None = None) -> None:
        self.plan = plan
        self.activities = activities
        self.stage = stage
        self._crono: dict[int | None, Cronograma] = {}

    def crono(self, max_rows: int | None = None) -> Cronograma:
        if max_rows not in self._crono:
            self._crono[max_rows] = build_cronograma(self.plan, self.activities, max_rows=max_rows)
        return self._crono[max_rows]

    def identity(self) -> Identity:
        plan = self.plan
        return Identity(
            title=cronograma_title(plan),
            code=plan.document.code if plan.document_id and plan.document else "",
            version=f"{plan.version:02d}",
            filename=f"cronograma-{plan.year}-{plan.kind}-v{plan.version:02d}",
        )

    def filename(self, fmt: str) -> str:
        return f"{self.identity().filename}.{fmt}"

    def audit_subject(self) -> Any:
        return self.plan

    def context(self) -> dict[str, Any]:
        crono = self.crono(PDF_MAX_ROWS)
        plan = self.plan
        stages: list[tuple[Stage, list[CronogramaRow]]] = []
        for row in crono.rows:
            if not stages or stages[-1][0].pk != row.stage.pk:
                stages.append((row.stage, []))
            stages[-1][1].append(row)
        return {
            "crono": crono,
            "plan": plan,
            "plan_status": PLAN_STATUS_ES.get(plan.status, plan.status),
            "stages": stages,
            "month_labels": [MONTHS_ES[m.month - 1].capitalize() for m in crono.months],
            "legend": LEGEND,
        }

    def xlsx(self) -> bytes:
        return cronograma_xlsx(self.crono())


def pdf_context(crono: Cronograma) -> dict[str, Any]:
    """Everything the print template shows (the frame included), for the rows of `crono`."""
    from reports.pdf import A4

    report = CronogramaReport(crono.plan, Activity.objects.none())
    report._crono[PDF_MAX_ROWS] = crono
    with translation.override("es"):
        return {"frame": report.frame(), "page": A4.landscape(), **report.context()}


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


STAGE_CELL_RE = re.compile(r"^\s*(\d{1,9})\s*(?:[.)\-:]\s*.*)?$", re.DOTALL)


def stage_number(value: Any) -> int:
    """A stage cell: its number (1) or, as sig exports it, the number and the name ("1. Planificación")."""
    match = STAGE_CELL_RE.match(str(value if value is not None else ""))
    if match is None:
        return importer.integer(value)  # says plainly what is wrong
    return int(match.group(1))


class CronogramaImporter(Importer[Activity]):
    """Activities and their products from an XLSX (core.importer): the template's columns, or a
    cronograma sig exported (its title rows and month columns are skipped, its product rows are
    read with their activity)."""

    sheet_title = "Cronograma"
    max_rows = MAX_IMPORT_ROWS
    ignore_unknown_columns = True

    def __init__(self, plan: Plan | None) -> None:
        """`plan` None: only the columns (for the template)."""
        super().__init__()
        help_texts = import_help()
        parsers: list[Any] = [
            stage_number,
            importer.max_length(CODE_MAX, textrules.Kind.CODE),
            importer.max_length(TITLE_MAX),
            importer.text,
            importer.date,
            importer.date,
            importer.split(","),
            importer.split(";"),
        ]
        keys = ["stage", "code", "title", "unit", "start", "end", "sites", "products"]
        widths = [8, 10, 60, 18, 16, 16, 22, 60]
        self.columns = [
            importer.Column(
                key,
                header,
                help_texts[i],
                required=key not in {"sites", "products"},
                parse=parsers[i],
                width=widths[i],
                as_text=key in {"code", "start", "end"},
                aliases=("Producto",) if key == "products" else (),
            )
            for i, (key, header) in enumerate(zip(keys, IMPORT_HEADER, strict=True))
        ]
        if plan is None:
            return
        self.plan = plan
        self.stages = {s.number: s for s in plan.stages.all()}
        self.units = {u.code.casefold(): u for u in OrgUnit.objects.filter(is_active=True)}
        self.sites = {s.code.casefold(): s for s in Site.objects.filter(is_active=True)}
        self.existing = set(plan.activities.values_list("code", flat=True))
        self.next_order: dict[int, int] = {}
        self.product_activities: dict[str, list[Activity]] = {}

    def parse(self, data: bytes) -> tuple[list[importer.Row], list[RowError]]:
        if self.plan.status == Plan.Status.CLOSED:
            return [], [RowError(None, "", _("The plan is closed."))]
        return super().parse(data)

    def attach(self, values: dict[str, Any], previous: importer.Row, error: Any) -> bool:
        """A product row of an exported cronograma (its activity's code, no activity, one product)
        adds its product to the activity row above it."""
        title, product = importer.cell_text(values["title"]), importer.cell_text(values["products"])
        if (
            title
            or not product
            or importer.cell_text(values["code"]) != importer.cell_text(previous.values.get("code"))
        ):
            return False
        if len(product) > PRODUCT_MAX:
            error("products", _("A product has more than %(n)s characters.") % {"n": PRODUCT_MAX})
        elif previous.obj is not None and product not in previous.obj.products:
            previous.obj.products.append(product)
        return True

    def check_row(self, row: importer.Row, error: Any) -> None:
        v = row.values
        stage = self.stages.get(v["stage"])
        if stage is None:
            error("stage", _("The plan has no stage %(s)s.") % {"s": v["stage"]})
        unit = self.units.get(v["unit"].casefold())
        if unit is None:
            error("unit", _("There is no active unit with code %(code)s.") % {"code": v["unit"]})
        if v["end"] < v["start"]:
            error("end", _("The end date is before the start date."))
        if v["code"] in self.existing:
            error("code", _("The plan already has an activity with code %(code)s.") % {"code": v["code"]})
        sites: list[Site] = []
        for code in v["sites"] or []:
            site = self.sites.get(code.casefold())
            if site is None:
                error("sites", _("There is no site with code %(code)s.") % {"code": code})
            elif site not in sites:
                sites.append(site)
        for product in v["products"] or []:
            if len(product) > PRODUCT_MAX:
                error("products", _("A product has more than %(n)s characters.") % {"n": PRODUCT_MAX})
        if stage is not None and unit is not None:
            row.obj = ImportRow(
                row.number, stage, v["code"], v["title"], unit, v["start"], v["end"], sites, v["products"] or []
            )

    def check_rows(self, rows: list[importer.Row], error: Any) -> None:
        first: dict[str, int] = {}
        for row in rows:
            code = row.values["code"]
            if code in first:
                error(
                    row,
                    "code",
                    _("Code %(code)s is repeated (first in row %(row)s).") % {"code": code, "row": first[code]},
                )
            else:
                first[code] = row.number

    def apply_row(self, row: importer.Row, by: Any) -> Activity:
        item: ImportRow = row.obj
        if item.stage.pk not in self.next_order:
            last = item.stage.activities.order_by("-order").values_list("order", flat=True).first()
            self.next_order[item.stage.pk] = (last or 0) + 1
        activity = services.add_activity(
            item.stage,
            data={
                "code": item.code,
                "title": item.title,
                "responsible_unit": item.unit,
                "planned_start": item.planned_start,
                "planned_end": item.planned_end,
                "sites": item.sites,
                "order": self.next_order[item.stage.pk],
            },
            by=by,
        )
        self.next_order[item.stage.pk] += 1
        for title in item.products:
            self.product_activities.setdefault(title, []).append(activity)
        return activity

    def finish(self, rows: list[importer.Row], by: Any) -> None:
        """A product written on several rows is created once and delivers all those activities."""
        for title, activities in self.product_activities.items():
            services.add_product(self.plan, title=title, activities=activities, by=by)


def template_xlsx() -> bytes:
    """The empty import template (core.importer): header, text-formatted code and date columns,
    and an instructions sheet."""
    return CronogramaImporter(None).template_xlsx()
