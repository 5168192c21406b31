"""The data behind a plan's cronograma page: the Gantt chart, drawn on the server (a fixed column
with each activity's code and name beside its bars, one small SVG per row, no JavaScript) and
the accessible table that lists the same activities.

Activities come through plans.access.activities_visible_to (a UT sees the activities that
involve it). Big plans are shown a page at a time: optionally one stage, and at most
PAGE_SIZE activities per page, so a plan of 2,000 activities stays usable in the browser.
Stage rows (summary bars) are computed over every visible activity of the stage, not only
the ones on the page."""

from __future__ import annotations

import dataclasses
import datetime
import html
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.access import get_scope
from core.limits import DATE_MAX, DATE_MIN
from plans.access import activities_visible_to
from plans.models import Activity, Plan, Product, Stage

PAGE_SIZE = 300


def escape(text: Any) -> str:
    """django.utils.html.escape without its lazy-text wrapper (same output: Django's is
    html.escape(str(text)) marked safe); a page escapes some 4,000 texts (issue 10)."""
    return html.escape(str(text))


# Status (derived: "delayed" is never stored) → badge class of sig.css.
STATUS_BADGES = {
    "completed": "ok",
    "in_progress": "warn",
    "delayed": "danger",
    "cancelled": "",
    "not_started": "",
}


def status_labels() -> dict[str, str]:
    labels = {str(value): str(label) for value, label in Activity.Status.choices}
    labels["delayed"] = _("Delayed")
    return labels


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    status: str  # not_started / in_progress / completed / cancelled / delayed (derived)
    status_label: str
    badge: str
    depends_on: list[str]  # codes of the activities it depends on
    products: int
    delivered: int
    bar: Bar | None = None
    chart_tr: SafeString = SafeString("")  # its line of the chart and of the table (RowWriter)
    table_tr: SafeString = SafeString("")


@dataclass(frozen=True)
class StageSummary:
    stage: Stage
    count: int
    start: datetime.date | None
    end: datetime.date | None
    progress: int


@dataclass(frozen=True)
class StageGroup:
    summary: StageSummary
    rows: list[ActivityRow]
    bar: Bar | None = None
    svg: SafeString = SafeString("")


@dataclass(frozen=True)
class GanttPage:
    plan: Plan
    stages: list[StageSummary]  # every stage, for the stage selector
    stage: Stage | None  # the stage shown, or None for all
    page: Page[Activity]
    groups: list[StageGroup]
    chart: Any  # Chart: the timeline's columns and today line

    @property
    def total(self) -> int:
        return self.page.paginator.count


def plan_activities(user: Any, plan: Plan) -> QuerySet[Activity]:
    """The plan's activities the user may see, in cronograma order."""
    return activities_visible_to(user).filter(plan=plan).order_by("stage__number", "order", "pk")


def stage_summaries(user: Any, plan: Plan) -> list[StageSummary]:
    """Every stage with the span, count and mean progress of its visible activities (one query)."""
    # Someone who sees every activity (a central role) needs no filter: the IN over the plan's
    # activities cost more than the aggregates themselves (issue 10).
    visible = (
        None
        if get_scope(user).all_sites
        else Q(activities__in=activities_visible_to(user).filter(plan=plan).values("pk"))
    )
    stages = (
        Stage.objects.filter(plan=plan)
        .annotate(
            n=Count("activities", filter=visible),
            start=Min("activities__planned_start", filter=visible),
            end=Max("activities__planned_end", filter=visible),
            progress=Avg("activities__progress", filter=visible),
        )
        .order_by("number")
    )
    return [StageSummary(stage=s, count=s.n, start=s.start, end=s.end, progress=round(s.progress or 0)) for s in stages]


def _dependencies(ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    through = Activity.depends_on.through
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        through.objects.filter(from_activity_id__in=ids)
        .order_by("to_activity__stage__number", "to_activity__order", "to_activity_id")
        .values_list("from_activity_id", "to_activity_id", "to_activity__code")
    )
    for src, dst, code in rows:
        out[src].append((dst, code))
    return out


def _product_counts(ids: list[int]) -> dict[int, tuple[int, int]]:
    through = Product.activities.through
    rows = (
        through.objects.filter(activity_id__in=ids)
        .values("activity_id")
        .annotate(n=Count("product_id"), done=Count("product_id", filter=Q(product__delivered_on__isnull=False)))
    )
    return {row["activity_id"]: (row["n"], row["done"]) for row in rows}


# --- the chart ---------------------------------------------------------------------------------

MONTH_WIDTH = 46  # px per month (month scale; gantt.css draws the column lines at this step)
YEAR_WIDTH = 150  # px per year (year scale; likewise)
ROW_HEIGHT = 26
MONTHS_ES = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic"]


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    width: float

    @property
    def text_x(self) -> float:
        return round(self.x + 4, 2)


@dataclass(frozen=True)
class Bar:
    """One row of the chart: every number an SVG attribute (the CSP allows no inline style)."""

    kind: str  # "stage" or "activity"
    status: str
    x: float
    width: float
    progress_width: float
    actual_x: float | None
    actual_width: float
    milestone_x: float | None
    title: str

    @property
    def milestone_points(self) -> str:
        """The diamond drawn at the milestone's date."""
        m = self.milestone_x or 0.0
        return f"{m},3 {round(m + 7, 2)},10 {m},17 {round(m - 7, 2)},10"


@dataclass(frozen=True)
class Chart:
    scale: str  # "month" or "year"
    width: float
    groups: list[Column]  # the upper header (years, or decades of years on the year scale: none)
    columns: list[Column]  # months, or years
    today_x: float | None
    row_height: int = ROW_HEIGHT

    def row_svg(self, bar: Bar | None) -> SafeString:
        """One row's picture as SVG markup. Written here rather than in a template: a page draws
        300 of them, and a template include per row cost ten times the page's queries."""
        h = self.row_height
        label = escape(bar.title) if bar is not None else ""
        parts = [
            f'<svg class="gbar" width="{self.width}" height="{h}" viewBox="0 0 {self.width} {h}" '
            f'preserveAspectRatio="none" role="img" aria-label="{label}">'
        ]
        if bar is not None and bar.kind == "stage":
            parts.append(
                f'<rect class="stage-bar" x="{bar.x}" y="8" width="{bar.width}" height="9"/>'
                f'<rect class="stage-progress" x="{bar.x}" y="8" width="{bar.progress_width}" height="9"/>'
            )
        elif bar is not None:
            status = escape(bar.status)
            parts.append(
                f'<rect class="bar planned status-{status}" data-status="{status}" x="{bar.x}" y="4" '
                f'width="{bar.width}" height="13" rx="2"/>'
                f'<rect class="bar progress status-{status}" x="{bar.x}" y="4" width="{bar.progress_width}" '
                f'height="13" rx="2"/>'
            )
            if bar.actual_x is not None:
                parts.append(
                    f'<rect class="bar actual" x="{bar.actual_x}" y="19" width="{bar.actual_width}" height="4"/>'
                )
            if bar.milestone_x is not None:
                parts.append(f'<polygon class="milestone" points="{bar.milestone_points}"/>')
        if self.today_x is not None:
            parts.append(f'<line class="today" x1="{self.today_x}" x2="{self.today_x}" y1="0" y2="{h}"/>')
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - numbers and escaped text only


def _day(value: datetime.date | None) -> str:
    """dd/mm/aaaa, as strftime("%d/%m/%Y") (the year unpadded, as glibc prints it)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value is not None else "—"


class RowWriter:
    """An activity's line of the chart and of the table, as markup. A page has up to 300 of each;
    written in Python they cost a tenth of what a template's tags per row did (profiled: the
    template was 80 % of the page). Every text is escaped; dates are dd/mm/aaaa in any language."""

    def __init__(self) -> None:
        from django.urls import reverse

        self.url = reverse("plans:activity_detail", args=[987654321]).replace("987654321", "{}")
        self.milestone = escape(_("Milestone"))
        self.progress = escape(_("Progress"))

    def link(self, a: Activity) -> str:
        return self.url.format(a.pk)

    def chart_tr(self, row: ActivityRow, chart: Chart) -> SafeString:
        a = row.activity
        return mark_safe(  # noqa: S308 - escaped text and numbers only
            f'<tr data-activity="{escape(a.code)}" data-status="{escape(row.status)}">'
            f'<th scope="row" class="gchart-label"><a href="{self.link(a)}"><span class="code">{escape(a.code)}</span> '
            f"{escape(a.title)}</a></th>"
            f'<td class="gcell">{chart.row_svg(row.bar)}</td></tr>'
        )

    def table_tr(self, row: ActivityRow) -> SafeString:
        a = row.activity
        code = escape(a.code)
        milestone = (
            f'<span class="milestone-mark" title="{self.milestone}">◆</span> '
            f'<span class="sr-only">{self.milestone}:</span> '
            if a.is_milestone
            else ""
        )
        products = (
            ' <span class="muted">('
            + escape(_("%(d)s of %(n)s products delivered") % {"d": row.delivered, "n": row.products})
            + ")</span>"
            if row.products
            else ""
        )
        return mark_safe(  # noqa: S308 - escaped text and numbers only
            f'<tr data-activity="{code}" data-status="{escape(row.status)}">'
            f'<td><a href="{self.link(a)}">{code}</a></td>'
            f"<td>{milestone}{escape(a.title)}{products}</td>"
            f"<td>{escape(a.responsible_unit.code)}</td>"
            f"<td>{_day(a.planned_start)}</td><td>{_day(a.planned_end)}</td>"
            f"<td>{_day(a.actual_start)}</td><td>{_day(a.actual_end)}</td>"
            f'<td><progress max="100" value="{a.progress}" aria-label="{self.progress} {code}">{a.progress} %</progress>'
            f" {a.progress} %</td>"
            f'<td><span class="badge {escape(row.badge)}">{escape(row.status_label)}</span></td>'
            f"<td>{escape(', '.join(row.depends_on)) or '—'}</td></tr>"
        )


class Timeline:
    """Where a date falls on the chart: months (or years) of equal width, days in proportion."""

    def __init__(self, start: datetime.date, end: datetime.date, scale: str) -> None:
        self.scale = scale
        self._xs: dict[datetime.date, float] = {}
        if scale == "year":
            self.start = datetime.date(start.year, 1, 1)
            self.end = datetime.date(end.year, 12, 31)
        else:
            self.start = start.replace(day=1)
            self.end = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)

    def _after(self, day: datetime.date) -> datetime.date:
        """The day after `day`, clamped to the chart (a stored 9999-12-31 has no day after)."""
        return min(day, self.end) + datetime.timedelta(days=1)

    def x(self, day: datetime.date) -> float:
        """Memoised: the rows of a page share most of their dates."""
        found = self._xs.get(day)
        if found is None:
            found = self._xs[day] = self._x(day)
        return found

    def _x(self, day: datetime.date) -> float:
        day = min(max(day, self.start), self.end + datetime.timedelta(days=1))
        if self.scale == "year":
            days = (datetime.date(day.year + 1, 1, 1) - datetime.date(day.year, 1, 1)).days
            return round(
                (day.year - self.start.year) * YEAR_WIDTH + (day.timetuple().tm_yday - 1) / days * YEAR_WIDTH, 2
            )
        months = (day.year - self.start.year) * 12 + day.month - self.start.month
        first = day.replace(day=1)
        days = ((first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - first).days
        return round(months * MONTH_WIDTH + (day.day - 1) / days * MONTH_WIDTH, 2)

    def span(self, start: datetime.date, end: datetime.date) -> tuple[float, float]:
        """x and width of [start, end], both days included (at least a visible sliver)."""
        x0, x1 = self.x(start), self.x(self._after(end))
        return x0, max(round(x1 - x0, 2), 2.0)

    def chart(self, today: datetime.date) -> Chart:
        columns: list[Column] = []
        groups: list[Column] = []
        if self.scale == "year":
            for year in range(self.start.year, self.end.year + 1):
                columns.append(Column(str(year), (year - self.start.year) * YEAR_WIDTH, YEAR_WIDTH))
        else:
            day = self.start
            while day <= self.end:
                x = self.x(day)
                columns.append(Column(MONTHS_ES[day.month - 1], x, MONTH_WIDTH))
                if not groups or groups[-1].label != str(day.year):
                    groups.append(Column(str(day.year), x, 0))
                day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            groups = [
                Column(g.label, g.x, (groups[i + 1].x if i + 1 < len(groups) else len(columns) * MONTH_WIDTH) - g.x)
                for i, g in enumerate(groups)
            ]
        width = (columns[-1].x + columns[-1].width) if columns else 0
        today_x = self.x(today) if self.start <= today <= self.end else None
        return Chart(self.scale, width, groups, columns, today_x)

    def bar(self, kind: str, status: str, start: datetime.date | None, end: datetime.date | None, progress: int,
            title: str, actual: tuple[datetime.date | None, datetime.date | None] = (None, None),
            milestone: bool = False) -> Bar | None:  # fmt: skip
        if start is None or end is None:
            return None
        x, width = self.span(start, end)
        actual_x, actual_width = None, 0.0
        if actual[0] is not None:
            actual_x, actual_width = self.span(actual[0], actual[1] or actual[0])
        return Bar(
            kind=kind,
            status=status,
            x=x,
            width=width,
            progress_width=round(width * max(0, min(progress, 100)) / 100, 2),
            actual_x=actual_x,
            actual_width=actual_width,
            milestone_x=self.x(self._after(end)) if milestone else None,
            title=title,
        )


def gantt_page(
    user: Any,
    plan: Plan,
    *,
    stage_number: int | None = None,
    page_number: Any = 1,
    today: datetime.date | None = None,
    language: str = "es",
    scale: str = "month",
) -> GanttPage:
    """One page of the plan's cronograma for `user`: the stage groups with their activities, each
    with its bars on a timeline of months (or years) spanning the plan's year and every date of
    the page (planned bar with its progress, actual bar, milestone, today)."""
    today = today or timezone.localdate()
    summaries = stage_summaries(user, plan)
    stage = next((s.stage for s in summaries if s.stage.number == stage_number), None)
    # The rows show the responsible unit only (grouped by stage_id): no stage or person objects.
    qs = plan_activities(user, plan).select_related(None).select_related("responsible_unit")
    if stage is not None:
        qs = qs.filter(stage=stage)
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    activities = list(page.object_list)
    ids = [a.pk for a in activities]
    deps = _dependencies(ids)
    counts = _product_counts(ids)
    labels = status_labels()

    starts = [a.planned_start for a in activities] + [a.actual_start for a in activities if a.actual_start]
    ends = [a.planned_end for a in activities] + [a.actual_end for a in activities if a.actual_end]
    # The plan's year at least; clamped to core.limits' calendar (rows stored before the bounds).
    span_start = max(min([*starts, datetime.date(plan.year, 1, 1)]), DATE_MIN)
    span_end = min(max([*ends, datetime.date(plan.year, 12, 31)]), DATE_MAX)
    if scale != "year" and (span_end.year - span_start.year) > 6:
        scale = "year"  # decades of months would not read; the year scale shows them all
    timeline = Timeline(span_start, span_end, scale)

    by_stage: dict[int, list[ActivityRow]] = defaultdict(list)
    for a in activities:
        status = a.display_status(today)
        n, done = counts.get(a.pk, (0, 0))
        actual_end = a.actual_end or (max(a.actual_start, today) if a.actual_start else None)
        by_stage[a.stage_id].append(
            ActivityRow(
                activity=a,
                status=status,
                status_label=labels.get(status, status),
                badge=STATUS_BADGES.get(status, ""),
                depends_on=[code for _pk, code in deps.get(a.pk, [])],
                products=n,
                delivered=done,
                bar=timeline.bar(
                    "activity",
                    status,
                    a.planned_start,
                    a.planned_end,
                    a.progress,
                    f"{a.code} {a.title}",
                    actual=(a.actual_start, actual_end),
                    milestone=a.is_milestone,
                ),
            )
        )

    chart = timeline.chart(today)
    rows_html = RowWriter()
    groups: list[StageGroup] = []
    for summary in summaries:
        rows = by_stage.get(summary.stage.pk)
        if not rows:
            continue
        bar = timeline.bar("stage", "stage", summary.start, summary.end, summary.progress, str(summary.stage))
        drawn = [
            dataclasses.replace(row, chart_tr=rows_html.chart_tr(row, chart), table_tr=rows_html.table_tr(row))
            for row in rows
        ]  # fmt: skip
        groups.append(StageGroup(summary=summary, rows=drawn, bar=bar, svg=chart.row_svg(bar)))
    return GanttPage(plan=plan, stages=summaries, stage=stage, page=page, groups=groups, chart=chart)
