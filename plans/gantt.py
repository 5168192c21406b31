"""The data behind a plan's cronograma page: the Gantt chart (frappe-gantt tasks, passed to the
browser as a JSON data block) and the accessible table that shows the same activities without
JavaScript.

Activities come through plans.access.activities_visible_to (a UT sees the activities that
involve it). Big plans are shown a page at a time: optionally one stage, and at most
PAGE_SIZE activities per page, so a plan of 2,000 activities stays usable in the browser.
Stage rows (summary bars) are computed over every visible activity of the stage, not only
the ones on the page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.limits import DATE_MAX, DATE_MIN
from plans.access import activities_visible_to
from plans.models import Activity, Plan, Product, Stage

PAGE_SIZE = 300
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


@dataclass(frozen=True)
class GanttPage:
    plan: Plan
    stages: list[StageSummary]  # every stage, for the stage selector
    stage: Stage | None  # the stage shown, or None for all
    page: Page[Activity]
    groups: list[StageGroup]
    data: dict[str, Any]  # what gantt.js draws

    @property
    def total(self) -> int:
        return self.page.paginator.count


def plan_activities(user: Any, plan: Plan) -> QuerySet[Activity]:
    """The plan's activities the user may see, in cronograma order."""
    return activities_visible_to(user).filter(plan=plan).order_by("stage__number", "order", "pk")


def stage_summaries(user: Any, plan: Plan) -> list[StageSummary]:
    """Every stage with the span, count and mean progress of its visible activities (one query)."""
    visible = Q(activities__in=activities_visible_to(user).filter(plan=plan).values("pk"))
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


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def _dmy(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _task(row: ActivityRow, today: datetime.date, dependencies: list[int]) -> dict[str, Any]:
    a = row.activity
    actual_end = a.actual_end
    if a.actual_start and not actual_end:
        actual_end = max(a.actual_start, today)  # under way: the actual bar runs up to today
    return {
        "id": f"a{a.pk}",
        "name": f"{a.code} {a.title}",
        "start": _iso(a.planned_start),
        "end": _iso(a.planned_end),
        "progress": a.progress,
        "dependencies": ", ".join(f"a{pk}" for pk in dependencies),
        # One class token only (frappe-gantt adds it with classList.add); gantt.js adds "milestone".
        "custom_class": f"status-{row.status}",
        "code": a.code,
        "title": a.title,
        "responsible": a.responsible_unit.code,
        "planned": f"{_dmy(a.planned_start)} – {_dmy(a.planned_end)}",
        "actual": f"{_dmy(a.actual_start) or '…'} – {_dmy(a.actual_end) or '…'}"
        if a.actual_start or a.actual_end
        else "",
        "actual_start": _iso(a.actual_start),
        "actual_end": _iso(actual_end if a.actual_start else None),
        "status": row.status,
        "status_label": row.status_label,
        "milestone": a.is_milestone,
        "depends_on": row.depends_on,
    }


def gantt_page(
    user: Any,
    plan: Plan,
    *,
    stage_number: int | None = None,
    page_number: Any = 1,
    today: datetime.date | None = None,
    language: str = "es",
) -> GanttPage:
    """One page of the plan's cronograma for `user`: the stage groups for the table and the
    frappe-gantt data (stage summary rows, then their activities; dependencies between
    activities on the page; milestones; progress; planned and actual dates)."""
    today = today or timezone.localdate()
    summaries = stage_summaries(user, plan)
    stage = next((s.stage for s in summaries if s.stage.number == stage_number), None)
    qs = plan_activities(user, plan).select_related("stage", "responsible_unit")
    if stage is not None:
        qs = qs.filter(stage=stage)
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    activities = list(page.object_list)
    ids = [a.pk for a in activities]
    deps = _dependencies(ids)
    counts = _product_counts(ids)
    labels = status_labels()
    on_page = set(ids)

    by_stage: dict[int, list[ActivityRow]] = defaultdict(list)
    tasks_by_stage: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in activities:
        status = a.display_status(today)
        n, done = counts.get(a.pk, (0, 0))
        row = ActivityRow(
            activity=a,
            status=status,
            status_label=labels.get(status, status),
            badge=STATUS_BADGES.get(status, ""),
            depends_on=[code for _pk, code in deps.get(a.pk, [])],
            products=n,
            delivered=done,
        )
        by_stage[a.stage_id].append(row)
        # Arrows only between bars on this page (frappe-gantt draws nothing for unknown ids).
        shown = [pk for pk, _code in deps.get(a.pk, []) if pk in on_page]
        tasks_by_stage[a.stage_id].append(_task(row, today, shown))

    groups: list[StageGroup] = []
    tasks: list[dict[str, Any]] = []
    for summary in summaries:
        rows = by_stage.get(summary.stage.pk)
        if not rows:
            continue
        groups.append(StageGroup(summary=summary, rows=rows))
        tasks.append(
            {
                "id": f"stage-{summary.stage.number}",
                "name": str(summary.stage),
                "start": _iso(summary.start),
                "end": _iso(summary.end),
                "progress": summary.progress,
                "dependencies": "",
                "custom_class": "gantt-stage",
                "stage_row": True,
                "count": summary.count,
            }
        )
        tasks.extend(tasks_by_stage[summary.stage.pk])

    starts = [a.planned_start for a in activities] + [a.actual_start for a in activities if a.actual_start]
    ends = [a.planned_end for a in activities] + [a.actual_end for a in activities if a.actual_end]
    # Clamped to core.limits' calendar: rows stored before the bounds existed cannot overflow.
    span_start = max(min(starts), DATE_MIN) if starts else None
    span_end = min(max(ends), DATE_MAX) if ends else None
    # Open on today when it falls on (or about a month either side of) the page's activities.
    margin = datetime.timedelta(days=31)
    in_span = bool(span_start and span_end and span_start - margin <= today <= span_end + margin)
    data = {
        "language": language,
        "today": _iso(today),
        "view_mode": "Month" if span_start and span_end and (span_end - span_start).days > 120 else "Week",
        "scroll_to": "today" if in_span else "start",
        "labels": {
            "code": _("Code"),
            "responsible": _("Responsible unit"),
            "planned": _("Planned"),
            "actual": _("Actual"),
            "progress": _("Progress"),
            "status": _("Status"),
            "milestone": _("Milestone"),
            "depends_on": _("Depends on"),
            "activities": _("Activities"),
            "not_started_yet": _("Not started"),
        },
        "tasks": tasks,
    }
    return GanttPage(plan=plan, stages=summaries, stage=stage, page=page, groups=groups, data=data)
