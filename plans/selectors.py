"""Read-side queries of the plan pages: filtered activity lists, the plan detail's prefetched
tree, and the dashboard figures. Every figure is computed in SQL over the activities the user
may see (a UT sees the activities that involve it), and every figure has a filter of the
activity list that shows its records (drill-down)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any, cast

from django.db.models import Avg, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from actions.access import action_items_visible_to
from actions.models import ActionItem
from core.limits import DATE_MAX, DATE_MIN
from evidence.selectors import evidence_for
from plans.access import activities_visible_to, plans_visible_to
from plans.models import Activity, BudgetTask, ChangeRequest, Plan, Product

DEADLINE_DAYS = 30
PANEL_PLANS = 3
DASHBOARD_ROWS = 10
DONE = [Activity.Status.COMPLETED, Activity.Status.CANCELLED]

# Status filter of the activity list: English values in the URL (as every filter), Spanish labels.
STATUS_FILTERS: dict[str, Any] = {
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "completed": _("Completed"),
    "delayed": _("Delayed"),
    "cancelled": _("Cancelled"),
}


def delayed_q(today: datetime.date) -> Q:
    """SQL twin of Activity.is_delayed(): open and past its end, or not started past its start."""
    return ~Q(status__in=DONE) & (
        Q(planned_end__lt=today) | Q(status=Activity.Status.NOT_STARTED, planned_start__lt=today)
    )


def status_q(slug: str, today: datetime.date) -> Q:
    """The derived status shown on the badge: 'delayed' wins over the stored status."""
    late = delayed_q(today)
    return {
        "not_started": Q(status=Activity.Status.NOT_STARTED) & ~late,
        "in_progress": Q(status=Activity.Status.IN_PROGRESS) & ~late,
        "completed": Q(status=Activity.Status.COMPLETED),
        "cancelled": Q(status=Activity.Status.CANCELLED),
        "delayed": late,
    }[slug]


def due_soon_q(today: datetime.date, days: int = DEADLINE_DAYS) -> Q:
    return ~Q(status__in=DONE) & Q(planned_end__gte=today, planned_end__lte=today + datetime.timedelta(days=days))


def plan_activities(user: Any, plan: Plan) -> QuerySet[Activity]:
    return activities_visible_to(user).filter(plan=plan)


def _plain(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """The same activities without the scoping joins, so that grouping never counts one twice."""
    return Activity.objects.filter(pk__in=qs.values("pk"))


def filter_activities(qs: QuerySet[Activity], data: dict[str, Any], today: datetime.date) -> QuerySet[Activity]:
    if data.get("q"):
        qs = qs.filter(Q(code__icontains=data["q"]) | Q(title__icontains=data["q"]))
    if data.get("stage"):
        qs = qs.filter(stage__number=data["stage"])
    if data.get("status"):
        qs = qs.filter(status_q(data["status"], today))
    if data.get("unit"):
        qs = qs.filter(responsible_unit=data["unit"])
    if data.get("site"):
        qs = qs.filter(pk__in=Activity.sites.through.objects.filter(site=data["site"]).values("activity_id"))
    if data.get("due_within"):
        qs = qs.filter(due_soon_q(today, int(data["due_within"])))
    return qs


def activity_list_url(plan: Plan, **params: Any) -> str:
    url = reverse("plans:activity_list", args=[plan.pk])
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


# --- evidence shown next to products -----------------------------------------------------------


def with_evidence(user: Any, products: list[Product], deliverable: set[int]) -> list[Product]:
    """Attach the visible evidence and the user's right to deliver to each product."""
    evidence = evidence_for(user, products)
    for product in products:
        product.evidence_items = evidence.get(product.pk, [])  # type: ignore[attr-defined]
        product.can_deliver = product.pk in deliverable  # type: ignore[attr-defined]
    return products


# --- plan detail -------------------------------------------------------------------------------


def budget_summary(plan: Plan, tasks: list[BudgetTask]) -> dict[str, Any]:
    """Per task: executed over programmed. Plan: executed over the assigned amount."""
    rows = []
    for task in tasks:
        pct = round(100 * task.executed_amount / task.programmed_amount) if task.programmed_amount else 0
        rows.append({"task": task, "pct": pct})
    programmed = sum((t.programmed_amount for t in tasks), Decimal("0.00"))
    executed = sum((t.executed_amount for t in tasks), Decimal("0.00"))
    return {
        "rows": rows,
        "programmed": programmed,
        "executed": executed,
        "uncommitted": plan.budget_amount - programmed,
        "pct": round(100 * executed / plan.budget_amount) if plan.budget_amount else 0,
        "programmed_pct": round(100 * programmed / plan.budget_amount) if plan.budget_amount else 0,
    }


def _may_deliver(activity: Activity, sites: frozenset[int], unit_id: int | None) -> bool:
    """Whether the person delivers the products of `activity`: its owning unit's people deliver
    them whole, the UTs of its scope their share (plans.access.can_deliver_product)."""
    return activity.responsible_unit_id == unit_id or any(s.pk in sites for s in activity.sites.all())


def product_shares(products: list[Product]) -> dict[int, dict[str, Any]]:
    """For each product: the sites of its scope, the deliveries, whether it is delivered whole,
    and the share delivered. Two queries, whatever the number of products."""
    from plans.models import ProductDelivery

    ids = [p.pk for p in products]
    scope: dict[int, set[int]] = defaultdict(set)
    for product_id, site_id in (
        Activity.sites.through.objects.filter(activity__products__in=ids)
        .values_list("activity__products", "site_id")
        .distinct()
    ):
        scope[product_id].add(site_id)
    deliveries: dict[int, list[ProductDelivery]] = defaultdict(list)
    for d in ProductDelivery.objects.filter(product__in=ids).select_related("site").order_by("delivered_on", "pk"):
        deliveries[d.product_id].append(d)
    out: dict[int, dict[str, Any]] = {}
    for pk in ids:
        mine = deliveries.get(pk, [])
        whole = any(d.site_id is None for d in mine)
        sites = scope.get(pk, set())
        done = {d.site_id for d in mine if d.site_id is not None} & sites
        out[pk] = {
            "whole": whole,
            "scope": len(sites),
            "delivered_sites": done,
            "n_delivered": len(sites) if whole else len(done),
            "deliveries": mine,
        }
    return out


STAGE_ROWS = 100
# Up to this many activities the plan page shows every stage's rows at once; a bigger plan
# shows each stage's figures and loads its rows when the stage comes into view (plan_stage).
INLINE_ACTIVITIES = 300


def stage_rows(
    user: Any,
    plan: Plan,
    deliverer: bool | frozenset[int] = False,
    unit_id: int | None = None,
    stage_number: int | None = None,
) -> tuple[list[Activity], set[int]]:
    """The user's visible activities of the plan (or of one stage, its first STAGE_ROWS), with
    their products, evidence and delivery shares; and the products the user may deliver. A fixed
    number of queries."""
    qs = (
        plan_activities(user, plan)
        .select_related("responsible_unit", "responsible_person", "stage")
        .prefetch_related("sites", Prefetch("products", queryset=Product.objects.order_by("order", "pk")))
        .order_by("stage__number", "order", "pk")
    )
    activities = list(qs.filter(stage__number=stage_number)[:STAGE_ROWS] if stage_number is not None else qs)
    products: dict[int, Product] = {}
    deliverable: set[int] = set()
    for activity in activities:
        may = deliverer is True or _may_deliver(activity, cast(frozenset[int], deliverer or frozenset()), unit_id)
        for product in activity.products.all():
            products[product.pk] = product
            if may:
                deliverable.add(product.pk)
    evidence = evidence_for(user, list(products.values()))
    shares = product_shares(list(products.values()))
    mine = cast(frozenset[int], deliverer) if deliverer is not True else frozenset()
    for activity in activities:  # each activity holds its own instances of the shared products
        for product in activity.products.all():
            product.evidence_items = evidence.get(product.pk, [])  # type: ignore[attr-defined]
            share = shares[product.pk]
            product.share = share  # type: ignore[attr-defined]
            # A UT whose share is in: nothing more for it to deliver (it may still add evidence).
            product.can_deliver = product.pk in deliverable  # type: ignore[attr-defined]
            product.my_share_done = bool(mine) and mine <= share["delivered_sites"]  # type: ignore[attr-defined]
    return activities, deliverable


def plan_tree(
    user: Any, plan: Plan, deliverer: bool | frozenset[int] = False, unit_id: int | None = None
) -> dict[str, Any]:
    """Stages with the user's visible activities, their products and evidence, the budget, the
    change requests, versions and change-control rows: a fixed number of queries.

    A plan of more than INLINE_ACTIVITIES activities gets its stages' counts only (`lazy`): the
    page loads each stage's rows on demand (stage_rows), so that a 2,000-activity plan opens in
    a blink. `deliverer` is True when the user delivers any product, or the sites where they may
    deliver the products of the activities that involve them (plans.access.can_deliver_product)."""
    visible = plan_activities(user, plan)
    counts = dict(_plain(visible).values_list("stage_id").annotate(n=Count("pk")).values_list("stage_id", "n"))
    total = sum(counts.values())
    lazy = total > INLINE_ACTIVITIES
    by_stage: dict[int, list[Activity]] = defaultdict(list)
    deliverable: set[int] = set()
    if not lazy:
        activities, deliverable = stage_rows(user, plan, deliverer, unit_id)
        for activity in activities:
            by_stage[activity.stage_id].append(activity)
    # A big stage shows its first rows; the paginated activity list (filtered by stage) the rest.
    stages = [
        {
            "stage": s,
            "activities": by_stage.get(s.pk, [])[:STAGE_ROWS],
            "total": counts.get(s.pk, 0),
            "lazy": lazy and counts.get(s.pk, 0) > 0,
        }
        for s in plan.stages.order_by("number")
    ]
    tasks = list(plan.budget_tasks.prefetch_related(Prefetch("activities", queryset=Activity.objects.only("code"))))
    return {
        "stages": stages,
        "n_activities": total,
        "deliverable": deliverable,
        "budget": budget_summary(plan, tasks),
        "change_requests": list(
            plan.change_requests.select_related("proposed_by", "committee_session", "decided_by").order_by(
                "-proposed_at", "-pk"
            )
        ),
        "versions": list(plan.versions.defer("snapshot").order_by("-number")),
        "change_entries": list(plan.change_entries.order_by("version", "order", "pk")),
        "responsibilities": list(plan.responsibilities.all()),
        "legal_basis": list(plan.legal_basis.all()),
    }


def version_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The frozen JSON of a PlanVersion with its dates and amounts parsed for display."""

    def day(value: Any) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    def money(value: Any) -> Decimal:
        try:
            return Decimal(str(value))
        except ArithmeticError:
            return Decimal("0.00")

    stages = []
    for stage in snapshot.get("stages", []):
        activities = [
            {**a, "planned_start": day(a.get("planned_start")), "planned_end": day(a.get("planned_end"))}
            for a in stage.get("activities", [])
        ]
        stages.append({**stage, "activities": activities})
    tasks = [{**t, "programmed": money(t.get("programmed"))} for t in snapshot.get("budget_tasks", [])]
    return {**snapshot, "stages": stages, "budget_tasks": tasks, "budget_amount": money(snapshot.get("budget_amount"))}


def change_request_context(cr: ChangeRequest) -> dict[str, Any]:
    from plans.changes import describe

    return {
        "affected": list(cr.affected_activities.order_by("stage__number", "order", "pk").only("code", "title")),
        # An approved request's changes are in the plan now: its diff is against what it replaced.
        "diff": describe(cr.plan, cr.changes) if cr.status != ChangeRequest.Status.APPROVED else [],
        "applied": cr.status == ChangeRequest.Status.APPROVED,
    }


def pending_changes(plan: Plan) -> list[dict[str, Any]]:
    """The requests under review (proposed or reviewed by the Committee), each with its diff
    against the plan as it is now: what the Director would approve."""
    from plans.changes import PlanState, describe

    pending = list(
        plan.change_requests.filter(
            status__in=[ChangeRequest.Status.PROPOSED, ChangeRequest.Status.COMMITTEE_REVIEWED]
        ).order_by("proposed_at", "pk")
    )
    if not pending:
        return []
    state = PlanState.of(plan)
    return [{"cr": cr, "diff": describe(plan, cr.changes, state)} for cr in pending]


# --- dashboard ---------------------------------------------------------------------------------


def _progress_rows(qs: QuerySet[Activity], key: str, name: str, today: datetime.date) -> list[dict[str, Any]]:
    """Average progress (cancelled activities left out) and counts, grouped by `key`."""
    # A filter, not an exclude: over the sites (many-to-many) an exclude is a NOT EXISTS per
    # activity (9 ms of the dashboard's 14 at 2,000 activities); the filter's inner join gives the
    # same (activity, site) pairs to group.
    return list(
        qs.filter(**{f"{key}__isnull": False})
        .values(key, name)
        .annotate(
            n=Count("pk"),
            avg=Avg("progress", filter=~Q(status=Activity.Status.CANCELLED)),
            delayed=Count("pk", filter=delayed_q(today)),
        )
        .order_by(key)
    )


def overdue_agreements(user: Any, today: datetime.date) -> QuerySet[ActionItem]:
    return action_items_visible_to(user).filter(
        kind=ActionItem.AGREEMENT,
        status__in=[ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS],
        due_date__lt=today,
    )


def plan_agreements(user: Any, plan: Plan, today: datetime.date) -> QuerySet[ActionItem]:
    """The overdue acuerdos of the plan's period: those of the Comité del SIG sessions held in the
    plan's year (a 2026 acuerdo is not the 2020 plan's business)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    session_model = apps.get_model("committee", "Session")
    sessions = session_model.objects.filter(date__year=plan.year).values("pk")
    return overdue_agreements(user, today).filter(
        source_type=ContentType.objects.get_for_model(session_model), source_id__in=sessions
    )


def _average(total: int, count: int) -> Decimal | None:
    """AVG(progress) of `count` activities whose progress adds up to `total` (None for none)."""
    return Decimal(total) / Decimal(count) if count else None


def _stage_unit_totals(
    plain: QuerySet[Activity], today: datetime.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """Progress per stage, per responsible unit and of the whole plan from one query grouped by
    (unit, stage), added up here (issue 10: three scans of the activities at 2,000 became one).
    The rows are those _progress_rows gave: the same keys, the units in the database's order of
    their codes, the stages by number; the average is the exact sum over the count (a Decimal,
    rounded for display to the same whole percent as the database's AVG)."""
    live = ~Q(status=Activity.Status.CANCELLED)
    groups = (
        plain.values("responsible_unit__code", "responsible_unit__name", "stage__number", "stage__name")
        .annotate(
            n=Count("pk"),
            live=Count("progress", filter=live),
            progress_sum=Sum("progress", filter=live),
            delayed=Count("pk", filter=delayed_q(today)),
            due=Count("pk", filter=due_soon_q(today)),
        )
        .order_by("responsible_unit__code")
    )
    stages: dict[tuple[Any, Any], list[int]] = {}
    units: dict[tuple[Any, Any], list[int]] = {}
    whole = [0, 0, 0, 0, 0]  # n, live, progress_sum, delayed, due
    for g in groups:
        figures = (g["n"], g["live"], g["progress_sum"] or 0, g["delayed"], g["due"])
        sums = [whole]
        if g["stage__number"] is not None:
            sums.append(stages.setdefault((g["stage__number"], g["stage__name"]), [0, 0, 0, 0, 0]))
        if g["responsible_unit__code"] is not None:
            sums.append(units.setdefault((g["responsible_unit__code"], g["responsible_unit__name"]), [0, 0, 0, 0, 0]))
        for target in sums:
            for i, value in enumerate(figures):
                target[i] += value

    def rows(sums: dict[tuple[Any, Any], list[int]], key: str, name: str) -> list[dict[str, Any]]:
        return [
            {key: k, name: nm, "n": f[0], "avg": _average(f[2], f[1]), "delayed": f[3]} for (k, nm), f in sums.items()
        ]

    totals = {"n": whole[0], "avg": _average(whole[2], whole[1]), "delayed": whole[3], "due": whole[4]}
    return (
        sorted(rows(stages, "stage__number", "stage__name"), key=lambda r: r["stage__number"]),
        rows(units, "responsible_unit__code", "responsible_unit__name"),
        totals,
    )


def plan_dashboard(user: Any, plan: Plan, today: datetime.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    visible = plan_activities(user, plan)
    plain = _plain(visible)
    stages, units, totals = _stage_unit_totals(plain, today)
    sites = _progress_rows(plain, "sites__code", "sites__name", today)
    rows = plain.select_related("responsible_unit")
    agreements = plan_agreements(user, plan, today)
    tasks = list(plan.budget_tasks.all())
    return {
        "today": today,
        "deadline_days": DEADLINE_DAYS,
        "totals": totals,
        "stages": stages,
        "units": units,
        "sites": sites,
        "delayed": list(rows.filter(delayed_q(today)).order_by("planned_end", "pk")[:DASHBOARD_ROWS]),
        "deadlines": list(rows.filter(due_soon_q(today)).order_by("planned_end", "pk")[:DASHBOARD_ROWS]),
        "agreements": list(agreements.order_by("due_date", "pk")[:DASHBOARD_ROWS]),
        "agreements_count": agreements.count(),
        "agreements_url": agreements_url(),
        "budget": budget_summary(plan, tasks),
        "rows_cap": DASHBOARD_ROWS,
    }


def home_plans(user: Any) -> list[Plan]:
    """The plans the home shows: the current approved plan of each kind (the latest approved
    year) first, then the plans being prepared (draft or in the Committee's review), newest first.
    A draft of a later year never hides the plan in force. Two queries whatever the number of plans."""
    visible = plans_visible_to(user)
    approved = visible.filter(status=Plan.Status.APPROVED)
    current = list(
        approved.filter(
            pk=Subquery(approved.filter(kind=OuterRef("kind")).order_by("-year", "-version", "-pk").values("pk")[:1])
        ).order_by("kind")
    )
    preparing = list(
        visible.filter(status__in=[Plan.Status.DRAFT, Plan.Status.COMMITTEE_REVIEW]).order_by("-year", "kind", "pk")[
            :PANEL_PLANS
        ]
    )
    return current + preparing


def home_panel(user: Any, today: datetime.date | None = None) -> dict[str, Any] | None:
    """The home dashboard's plan panel: the plan in force of each kind and those being prepared,
    with their progress, delayed activities and next deadlines, and the overdue acuerdos."""
    today = today or timezone.localdate()
    plans = home_plans(user)
    if not plans:
        return None
    figures: dict[int, dict[str, Any]] = {
        row["plan"]: dict(row)
        for row in _plain(activities_visible_to(user).filter(plan__in=[p.pk for p in plans]))
        .values("plan")
        .annotate(
            avg=Avg("progress", filter=~Q(status=Activity.Status.CANCELLED)),
            delayed=Count("pk", filter=delayed_q(today)),
            due=Count("pk", filter=due_soon_q(today)),
        )
        .order_by()
    }
    items = []
    for plan in plans:
        row = figures.get(plan.pk, {})
        items.append(
            {
                "plan": plan,
                "in_force": plan.status == Plan.Status.APPROVED,
                "avg": round(row.get("avg") or 0),
                "delayed": row.get("delayed", 0),
                "due": row.get("due", 0),
                "delayed_url": activity_list_url(plan, status="delayed"),
                "due_url": activity_list_url(plan, due_within=DEADLINE_DAYS),
                "dashboard_url": reverse("plans:plan_dashboard", args=[plan.pk]),
            }
        )
    return {
        "title": _("Plans"),
        "kind": "plans",
        "items": items,
        "agreements_overdue": overdue_agreements(user, today).count(),
        "agreements_url": agreements_url(),
        "deadline_days": DEADLINE_DAYS,
        "url": reverse("plans:plan_list"),
    }


def agreements_url() -> str:
    """The action tracker filtered to overdue acuerdos."""
    return reverse("actions:item_list") + "?" + urlencode({"kind": ActionItem.AGREEMENT, "overdue": "on"})


def plan_years(user: Any) -> list[int]:
    return list(plans_visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


def budget_total(plan: Plan) -> Decimal:
    return plan.budget_tasks.aggregate(s=Sum("programmed_amount"))["s"] or Decimal("0.00")


# --- charts ------------------------------------------------------------------------------------

CHART_MAX_MONTHS = 60


def _month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months: list[datetime.date] = []
    day = start.replace(day=1)
    while day <= end and len(months) < CHART_MAX_MONTHS:
        following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        months.append(following - datetime.timedelta(days=1))
        day = following
    return months


def _fraction(start: datetime.date, end: datetime.date, day: datetime.date) -> float:
    """How much of [start, end] has passed on `day` (0 to 1, both days included)."""
    if day < start:
        return 0.0
    if day >= end:
        return 1.0
    return ((day - start).days + 1) / ((end - start).days + 1)


def _dated_rows(user: Any, plan: Plan) -> list[tuple[Any, ...]]:
    """The dates and progress of the plan's visible activities that are not cancelled, in the
    activities' order (the chart adds floats up in it). Ordered by stage, order and pk: within one
    plan the model's ordering ("plan", then stage…) is the same, but ordering by the plan joined
    it and sorted on its year and kind too (issue 10: 7 → 4 ms at 2,000 activities)."""
    return list(
        _plain(plan_activities(user, plan))
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("stage__number", "order", "pk")
        .values_list("planned_start", "planned_end", "actual_start", "actual_end", "progress")
    )


def progress_over_time(user: Any, plan: Plan, today: datetime.date | None = None) -> dict[str, Any]:
    """Planned against actual progress at the end of each month of the plan's span (activities the
    reader sees, cancelled ones left out), for the dashboard's line chart. Planned: each activity
    advancing evenly between its planned dates. Actual: an ended activity reached 100 % evenly from
    its actual start to its end; one under way reached today's recorded progress evenly since its
    actual start (the platform keeps today's figure, not
    a monthly history); nothing after today. The last actual point is the dashboard's average."""
    from reports.charts import lines

    today = today or timezone.localdate()
    rows = _dated_rows(user, plan)
    if not rows:
        return {"chart": None}
    start = max(min(r[0] for r in rows), DATE_MIN)
    end = min(max(max(r[1] for r in rows), start), DATE_MAX)
    months = _month_ends(start, end)
    planned: list[float | None] = []
    actual: list[float | None] = []
    # Days as ordinals and _fraction written inline: the same arithmetic in the same order (the
    # same figures), at a third of the cost for 2,000 activities × the plan's months (issue 10).
    spans = [(r[0].toordinal(), r[1].toordinal()) for r in rows]
    # 0 stands for "no date" (ordinals start at 1).
    done = [
        (
            (actual_start or actual_end).toordinal() if actual_end is not None else 0,
            actual_end.toordinal() if actual_end is not None else 0,
            actual_start.toordinal() if actual_start is not None else 0,
            max(today, actual_start).toordinal() if actual_start is not None else 0,
            progress or 0,
        )
        for _ps, _pe, actual_start, actual_end, progress in rows
    ]
    for month_end in months:
        d = month_end.toordinal()
        planned.append(
            round(
                100 * sum(0.0 if d < s else 1.0 if d >= e else (d - s + 1) / (e - s + 1) for s, e in spans) / len(rows),
                1,
            )
        )
        if month_end.replace(day=1) > today:
            actual.append(None)
            continue
        d = min(month_end, today).toordinal()
        total = 0.0
        for from_, end_, start_, until, progress in done:
            if end_:  # reached 100 % evenly from its actual start to its end
                total += 100 * (0.0 if d < from_ else 1.0 if d >= end_ else (d - from_ + 1) / (end_ - from_ + 1))
            elif start_ and start_ <= d:
                total += progress * (
                    0.0 if d < start_ else 1.0 if d >= until else (d - start_ + 1) / (until - start_ + 1)
                )
        actual.append(round(total / len(rows), 1))
    labels = [f"{MONTH_ABBR[m.month - 1]}-{m.year % 100:02d}" for m in months]
    today_index = next((i for i, m in enumerate(months) if m.year == today.year and m.month == today.month), None)
    chart = lines(
        str(_("Planned and actual progress")),
        labels,
        [("planned", str(_("Planned")), planned), ("actual", str(_("Actual")), actual)],
        today_index=today_index,
        slug="progress-over-time",
    )
    return {"chart": chart}


MONTH_ABBR = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic"]


def dashboard_charts(plan: Plan, data: dict[str, Any]) -> dict[str, Any]:
    """Bar charts of the dashboard from the figures it already has: progress per site or UT, and
    budget programmed against executed per task."""
    from core.templatetags.sig import soles
    from reports.charts import bars

    activities_url = reverse("plans:activity_list", args=[plan.pk])
    sites = data["sites"]
    per_site = bars(
        str(_("Progress per site and UT")),
        [(r["sites__code"], f"{activities_url}?{urlencode({'site': r['sites__code']})}") for r in sites],
        [("progress", str(_("Average progress")))],
        {(i, "progress"): round(r["avg"] or 0) for i, r in enumerate(sites)},
        fmt=lambda v: f"{round(float(v))} %",
        maximum=100,
        slug="progress-per-site",
    )
    tasks = data["budget"]["rows"]
    budget = bars(
        str(_("Budget programmed and executed per task")),
        [(str(r["task"].title), "") for r in tasks],
        [("programmed", str(_("Programmed"))), ("executed", str(_("Executed")))],
        {
            **{(i, "programmed"): r["task"].programmed_amount for i, r in enumerate(tasks)},
            **{(i, "executed"): r["task"].executed_amount for i, r in enumerate(tasks)},
        },
        fmt=lambda v: soles(v),
        slug="budget-per-task",
    )
    return {"per_site_chart": per_site, "budget_chart": budget}
