"""Plan state changes. Each owns its transaction and audit entry."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from core.notifications import notify
from core.services import ServiceError, lock
from evidence.services import link_evidence, resolve_evidence
from organization.models import OrgUnit, Site
from plans import changes, workflows
from plans.access import delivery_sites, owns_product, product_scope, require_deliver_product, require_editor
from plans.models import (
    Activity,
    BudgetTask,
    ChangeRequest,
    Plan,
    PlanChangeEntry,
    PlanResponsibility,
    PlanVersion,
    Product,
    ProductDelivery,
    Stage,
)

PLAN_FIELDS = [
    "year",
    "kind",
    "title",
    "objective",
    "scope",
    "owner_unit",
    "budget_amount",
    "budget_source",
    "document",
]
ACTIVITY_FIELDS = [
    "code",
    "title",
    "responsible_unit",
    "responsible_person",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "status",
    "is_milestone",
    "order",
]
CENT = Decimal("0.01")


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception:  # noqa: BLE001 - any unparseable amount is a field error
        raise ServiceError(_("Enter an amount such as 1250.50."), field=field) from None
    if amount < 0:
        raise ServiceError(_("The amount cannot be negative."), field=field)
    if amount != amount.quantize(CENT):
        raise ServiceError(_("Amounts have at most two decimals."), field=field)
    return amount.quantize(CENT)


def _dates(start: datetime.date | None, end: datetime.date | None, field: str = "planned_end") -> None:
    if start and end and end < start:
        raise ServiceError(_("The end date is before the start date."), field=field)


def _require_editable(plan: Plan) -> None:
    if plan.status == Plan.Status.CLOSED:
        raise ServiceError(_("The plan is closed."))


def _frozen(plan: Plan) -> bool:
    """An approved plan's content (activities, products, dates, budget) changes only through an
    approved change request (§13), while it is being applied."""
    return plan.status == Plan.Status.APPROVED and not changes.applying()


def _require_unfrozen(plan: Plan, field: str | None = None) -> None:
    if _frozen(plan):
        raise ServiceError(
            _("The plan is approved: its activities, dates and budget change only through a change request."),
            field=field,
        )


def _require_planner(by: Any) -> None:
    """Plan editors change a plan's content; while an approved change request is applied, the
    Director's decision (checked by the request's workflow) is what authorises it."""
    if not changes.applying():
        require_editor(by)


# What may still change in an activity of an approved plan: its execution, not its planning.
EXECUTION_FIELDS = {"actual_start", "actual_end", "progress", "status"}


# --- plans -----------------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, data: dict[str, Any], by: Any) -> Plan:
    require_editor(by)
    data = {**data, "budget_amount": _money(data.get("budget_amount") or 0, "budget_amount")}
    plan = Plan.objects.create(**{k: data[k] for k in PLAN_FIELDS if k in data})
    if data.get("legal_basis"):
        plan.legal_basis.set(data["legal_basis"])
    for order, (role, text) in enumerate(data.get("responsibilities") or []):
        PlanResponsibility.objects.create(plan=plan, role=role, responsibility=text, order=order)
    for number, name in enumerate(data.get("stages") or [], start=1):
        Stage.objects.create(plan=plan, number=number, name=name)
    record(actor=by, action=AuditEvent.Action.CREATE, obj=plan, changes=diff({}, snapshot(plan, PLAN_FIELDS)))
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, data: dict[str, Any], by: Any) -> Plan:
    require_editor(by)
    _require_editable(plan)
    if plan.status == Plan.Status.APPROVED:
        raise ServiceError(_("An approved plan changes only through an approved change request."))
    if "budget_amount" in data:
        data = {**data, "budget_amount": _money(data["budget_amount"], "budget_amount")}
        committed = plan.budget_tasks.aggregate(s=Sum("programmed_amount"))["s"] or Decimal("0")
        if data["budget_amount"] < committed:
            raise ServiceError(
                _("The tasks already program S/ %(c)s, more than that amount.") % {"c": f"{committed:,.2f}"},
                field="budget_amount",
            )
    fields = [f for f in PLAN_FIELDS if f in data]
    before = snapshot(plan, fields)
    for name in fields:
        setattr(plan, name, data[name])
    changes = diff(before, snapshot(plan, fields))
    saved = list(changes)
    if "legal_basis" in data:
        old = sorted(plan.legal_basis.values_list("pk", flat=True))
        new = sorted(n.pk for n in data["legal_basis"])
        if old != new:
            plan.legal_basis.set(data["legal_basis"])
            changes["legal_basis"] = [old, new]
    if changes:
        if saved:
            plan.save(update_fields=saved)
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=plan, changes=changes)
    return plan


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """Everything a reader of an earlier version needs, frozen as JSON."""
    stages = []
    activities = Activity.objects.select_related("responsible_unit").prefetch_related("products", "sites")
    for stage in plan.stages.prefetch_related(Prefetch("activities", queryset=activities)).order_by("number"):
        stages.append(
            {
                "number": stage.number,
                "name": stage.name,
                "activities": [
                    {
                        "code": a.code,
                        "title": a.title,
                        "responsible_unit": a.responsible_unit.code,
                        "planned_start": a.planned_start.isoformat(),
                        "planned_end": a.planned_end.isoformat(),
                        "sites": sorted(s.code for s in a.sites.all()),
                        "products": [p.title for p in a.products.all()],
                    }
                    for a in stage.activities.all()
                ],
            }
        )
    return {
        "title": plan.title,
        "year": plan.year,
        "version": plan.version,
        "objective": plan.objective,
        "scope": plan.scope,
        "budget_amount": str(plan.budget_amount),
        "budget_source": plan.budget_source,
        "budget_tasks": [{"title": t.title, "programmed": str(t.programmed_amount)} for t in plan.budget_tasks.all()],
        "stages": stages,
    }


@transaction.atomic
def submit_plan_to_committee(plan: Plan, *, by: Any) -> Plan:
    lock(plan)
    workflows.PLAN.check(by, plan, "submit")
    plan.status = Plan.Status.COMMITTEE_REVIEW
    plan.save(update_fields=["status"])
    record(actor=by, action=AuditEvent.Action.STATE, obj=plan, changes={"status": ["draft", plan.status]})
    notify(
        workflows.PLAN.next_actors(plan) or [],
        gettext_lazy("Plan to approve: %(p)s"),
        gettext_lazy("%(p)s was sent to the SIG Committee and awaits your approval."),
        link=plan.get_absolute_url(),
        actor=by,
        p=plan.title,
    )
    return plan


@transaction.atomic
def approve_plan(plan: Plan, *, resolution: str, approved_on: datetime.date, by: Any) -> Plan:
    lock(plan)
    workflows.PLAN.check(by, plan, "approve")
    if not resolution.strip():
        raise ServiceError(_("Cite the approving resolution."), field="resolution")
    plan.status = Plan.Status.APPROVED
    plan.approving_resolution = resolution
    plan.approved_on = approved_on
    plan.save(update_fields=["status", "approving_resolution", "approved_on"])
    PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        snapshot=plan_snapshot(plan),
        approved_on=approved_on,
        approving_resolution=resolution,
    )
    if not plan.change_entries.filter(version=plan.version).exists():
        PlanChangeEntry.objects.create(
            plan=plan,
            version=plan.version,
            date=None,
            justification=_("Initial drafting of the document"),
            responsible=plan.owner_unit.code,
        )
    record(
        actor=by,
        action=AuditEvent.Action.STATE,
        obj=plan,
        changes={"status": [Plan.Status.COMMITTEE_REVIEW, Plan.Status.APPROVED], "resolution": [None, resolution]},
    )
    notify(
        workflows.PLAN.actors(plan, workflows.PLAN.transition("submit")),  # those who drafted it
        gettext_lazy("Plan approved: %(p)s"),
        gettext_lazy("%(p)s was approved by %(r)s on %(d)s."),
        link=plan.get_absolute_url(),
        actor=by,
        p=plan.title,
        r=resolution,
        d=approved_on.strftime("%d/%m/%Y"),
    )
    return plan


@transaction.atomic
def close_plan(plan: Plan, *, by: Any) -> Plan:
    lock(plan)
    workflows.PLAN.check(by, plan, "close")
    plan.status = Plan.Status.CLOSED
    plan.save(update_fields=["status"])
    record(
        actor=by,
        action=AuditEvent.Action.STATE,
        obj=plan,
        changes={"status": [Plan.Status.APPROVED, Plan.Status.CLOSED]},
    )
    return plan


# --- stages, activities, products ------------------------------------------------------------


@transaction.atomic
def add_activity(stage: Stage, *, data: dict[str, Any], by: Any) -> Activity:
    _require_planner(by)
    _require_editable(stage.plan)
    _require_unfrozen(stage.plan)
    _dates(data.get("planned_start"), data.get("planned_end"))
    _dates(data.get("actual_start"), data.get("actual_end"), "actual_end")
    if Activity.objects.filter(plan=stage.plan, code__iexact=data["code"]).exists():
        raise ServiceError(_("Another activity of the plan has that code."), field="code")
    activity = Activity.objects.create(
        stage=stage, plan=stage.plan, **{k: data[k] for k in ACTIVITY_FIELDS if k in data}
    )
    if data.get("sites"):
        activity.sites.set(data["sites"])
    if data.get("depends_on"):
        activity.depends_on.set(data["depends_on"])
    record(
        actor=by, action=AuditEvent.Action.CREATE, obj=activity, changes=diff({}, snapshot(activity, ACTIVITY_FIELDS))
    )
    for title in data.get("products") or []:  # Tabla 01 pairs each activity with its products
        add_product(stage.plan, title=title, activities=[activity], by=by)
    return activity


def next_activity_code(stage: Stage) -> str:
    """The code a new activity of `stage` would naturally take: "2.4" after 2.1–2.3 (the highest
    "N.x" of the stage plus one; codes written another way are not counted)."""
    prefix = f"{stage.number}."
    highest = 0
    for code in Activity.objects.filter(plan_id=stage.plan_id, code__startswith=prefix).values_list("code", flat=True):
        tail = code[len(prefix) :]
        if tail.isdigit() and len(tail) < 7:
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1}"


@transaction.atomic
def update_activity(activity: Activity, *, data: dict[str, Any], by: Any) -> Activity:
    _require_planner(by)
    _require_editable(activity.plan)
    if _frozen(activity.plan):
        for name in data:
            if name in EXECUTION_FIELDS and not (name == "status" and data[name] == Activity.Status.CANCELLED):
                continue
            current = getattr(activity, name) if name != "sites" else None
            if name == "sites":
                if sorted(s.pk for s in data[name]) != sorted(activity.sites.values_list("pk", flat=True)):
                    _require_unfrozen(activity.plan, name)
            elif current != data[name]:
                _require_unfrozen(activity.plan, name)
    start = data.get("planned_start", activity.planned_start)
    end = data.get("planned_end", activity.planned_end)
    _dates(start, end)
    _dates(data.get("actual_start", activity.actual_start), data.get("actual_end", activity.actual_end), "actual_end")
    taken = Activity.objects.filter(plan_id=activity.plan_id, code__iexact=data.get("code")).exclude(pk=activity.pk)
    if "code" in data and taken.exists():
        raise ServiceError(_("Another activity of the plan has that code."), field="code")
    if "progress" in data:
        progress = data["progress"]
        if not isinstance(progress, int) or not 0 <= progress <= 100:
            raise ServiceError(_("Progress is a whole number from 0 to 100."), field="progress")
        if activity.products.exists():
            raise ServiceError(_("Progress follows from the products of this activity."), field="progress")
    fields = [f for f in [*ACTIVITY_FIELDS, "progress"] if f in data]
    before = snapshot(activity, fields)
    for name in fields:
        setattr(activity, name, data[name])
    changes = diff(before, snapshot(activity, fields))
    if "sites" in data:
        old = sorted(activity.sites.values_list("pk", flat=True))
        new = sorted(s.pk for s in data["sites"])
        if old != new:
            activity.sites.set(data["sites"])
            changes["sites"] = [old, new]
    if changes:
        activity.save(update_fields=[f for f in changes if f != "sites"] or None)
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=activity, changes=changes)
    return activity


@transaction.atomic
def add_product(plan: Plan, *, title: str, activities: list[Activity], by: Any, expected_type: str = "") -> Product:
    _require_planner(by)
    _require_editable(plan)
    _require_unfrozen(plan)
    if not activities:
        raise ServiceError(_("Choose the activities the product delivers."), field="activities")
    if any(a.plan_id != plan.pk for a in activities):
        raise ServiceError(_("The activities must belong to this plan."), field="activities")
    product = Product.objects.create(plan=plan, title=title, expected_type=expected_type, order=plan.products.count())
    product.activities.set(activities)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=product,
        changes={"title": [None, title], "activities": [None, [a.pk for a in activities]]},
        site_id=plan.audit_site_id,
    )
    for activity in activities:
        recompute_progress(activity, by=by)
    return product


def product_fraction(product: Product, scope: set[int], deliveries: list[ProductDelivery]) -> float:
    """How much of a product is delivered: all of it once delivered whole, else the share of
    the sites of its scope that delivered their part."""
    if any(d.site_id is None for d in deliveries):
        return 1.0
    if not scope:
        return 0.0
    return len({d.site_id for d in deliveries} & scope) / len(scope)


def recompute_progress(activity: Activity, *, by: Any) -> Activity:
    """An activity with products progresses as its products are delivered: each product counts
    whole, or by the share of its sites that delivered their part."""
    products = list(activity.products.prefetch_related("deliveries"))
    if not products:
        return activity
    fractions = [product_fraction(p, product_scope(p), list(p.deliveries.all())) for p in products]
    progress = round(100 * sum(fractions) / len(fractions))
    status = activity.status
    if activity.status != Activity.Status.CANCELLED:
        status = (
            Activity.Status.COMPLETED
            if progress == 100
            else Activity.Status.IN_PROGRESS
            if progress > 0
            else activity.status
        )
    changes = diff(snapshot(activity, ["progress", "status"]), {"progress": progress, "status": str(status)})
    if changes:
        activity.progress = progress
        activity.status = status
        delivered_days = [d.delivered_on for p in products for d in p.deliveries.all()]
        if delivered_days and activity.actual_start is None:
            activity.actual_start = min(delivered_days)
            changes["actual_start"] = [None, activity.actual_start]
        if status == Activity.Status.COMPLETED and activity.actual_end is None:
            activity.actual_end = max(delivered_days)
            changes["actual_end"] = [None, activity.actual_end]
        activity.save(update_fields=list(changes))
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=activity, changes=changes)
    return activity


@transaction.atomic
def deliver_product(
    product: Product,
    *,
    evidence_label: str,
    evidence_id: Any,
    by: Any,
    note: str = "",
    delivered_on: datetime.date | None = None,
    site: Any = None,
) -> Product:
    """Link the evidence that proves the product (it must be visible to the user).

    The owner (plan editors, the unit that owns its activities) delivers it whole; a UT delivers
    its own share of a product held in several sites (`site`, or the only site of the product's
    scope where the person writes). Progress follows (recompute_progress)."""
    require_deliver_product(by, product)
    _require_editable(product.plan)
    lock(product)
    owner = owns_product(by, product)
    whole = owner and site is None
    if not whole:
        # The owner may deliver any site's share (an audit report delivers the audited UT's).
        mine = sorted(product_scope(product)) if owner else delivery_sites(by, product)
        if site is not None and getattr(site, "pk", site) not in mine:
            raise ServiceError(_("You cannot deliver the share of that site."), field="site")
        if site is None and len(mine) != 1:
            raise ServiceError(_("Choose the site whose share you deliver."), field="site")
        site_id = getattr(site, "pk", site) if site is not None else mine[0]
    else:
        site_id = None
    evidence = resolve_evidence(by, evidence_label, evidence_id)
    link = link_evidence(target=product, evidence=evidence, note=note, by=by)
    day = delivered_on or timezone.localdate()
    delivery = ProductDelivery.objects.filter(product=product, site=site_id).first()
    if delivery is None:
        delivery = ProductDelivery.objects.create(
            product=product, site_id=site_id, delivered_on=day, delivered_by=by, evidence_link=link
        )
        record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            obj=delivery,
            changes={"product": [None, product.pk], "site": [None, site_id], "delivered_on": [None, day]},
        )
    deliveries = list(product.deliveries.all())
    if product.delivered_on is None and product_fraction(product, product_scope(product), deliveries) >= 1:
        product.delivered_on = max(d.delivered_on for d in deliveries)
        product.save(update_fields=["delivered_on"])
        record(
            actor=by,
            action=AuditEvent.Action.STATE,
            obj=product,
            changes={"delivered_on": [None, product.delivered_on]},
            site_id=product.plan.audit_site_id,
        )
    for activity in product.activities.all():
        recompute_progress(activity, by=by)
    return product


def _apply_changes(plan: Plan, ops: list[dict[str, Any]], *, by: Any) -> None:
    """Apply an approved request's changes exactly as proposed (plans.changes), through the same
    services as any edit, while the plan is unfrozen for them. Checked again first: the plan may
    have moved on since the request was proposed."""
    ops = changes.validate(plan, ops)
    with changes.applying_change():
        codes = {a.code: a for a in plan.activities.all()}
        for op in ops:
            kind = op["op"]
            if kind == "reschedule":
                update_activity(
                    codes[op["activity"]],
                    data={
                        "planned_start": datetime.date.fromisoformat(op["planned_start"]),
                        "planned_end": datetime.date.fromisoformat(op["planned_end"]),
                    },
                    by=by,
                )
            elif kind == "cancel_activity":
                update_activity(codes[op["activity"]], data={"status": Activity.Status.CANCELLED}, by=by)
            elif kind == "add_activity":
                stage = plan.stages.get(number=op["stage"])
                last = stage.activities.order_by("-order").values_list("order", flat=True).first() or 0
                activity = add_activity(
                    stage,
                    data={
                        "code": op["code"],
                        "title": op["title"],
                        "responsible_unit": OrgUnit.objects.get(code__iexact=op["unit"]),
                        "planned_start": datetime.date.fromisoformat(op["planned_start"]),
                        "planned_end": datetime.date.fromisoformat(op["planned_end"]),
                        "sites": list(Site.objects.filter(code__in=op["sites"])),
                        "order": last + 1,
                    },
                    by=by,
                )
                codes[activity.code] = activity
                for title in op["products"]:
                    add_product(plan, title=title, activities=[activity], by=by)
            elif kind == "add_product":
                add_product(plan, title=op["title"], activities=[codes[c] for c in op["activities"]], by=by)
            elif kind == "budget":
                task = plan.budget_tasks.get(pk=op["task"])
                save_budget_task(plan, data={"programmed_amount": op["programmed_amount"]}, by=by, task=task)
            elif kind == "plan_text":
                field = op["field"]
                old = getattr(plan, field)
                setattr(plan, field, op["value"])
                plan.save(update_fields=[field])
                record(actor=by, action=AuditEvent.Action.UPDATE, obj=plan, changes={field: [old, op["value"]]})


# --- budget ------------------------------------------------------------------------------------


@transaction.atomic
def save_budget_task(plan: Plan, *, data: dict[str, Any], by: Any, task: BudgetTask | None = None) -> BudgetTask:
    _require_planner(by)
    _require_editable(plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    programmed = _money(data.get("programmed_amount", task.programmed_amount if task else 0), "programmed_amount")
    executed = _money(data.get("executed_amount", task.executed_amount if task else 0), "executed_amount")
    if _frozen(plan):  # an approved plan records what it spends; what it programs changes by §13
        if task is None:
            _require_unfrozen(plan)
        elif programmed != task.programmed_amount:
            _require_unfrozen(plan, "programmed_amount")
        elif "title" in data and data["title"] != task.title:
            _require_unfrozen(plan, "title")
        elif data.get("activities") is not None and sorted(a.pk for a in data["activities"]) != sorted(
            task.activities.values_list("pk", flat=True)
        ):
            _require_unfrozen(plan, "activities")
    if executed > programmed:
        raise ServiceError(_("The executed amount exceeds the programmed amount."), field="executed_amount")
    siblings = plan.budget_tasks.exclude(pk=task.pk) if task is not None else plan.budget_tasks.all()
    others = siblings.aggregate(s=Sum("programmed_amount"))["s"] or Decimal("0")
    if others + programmed > plan.budget_amount:
        raise ServiceError(
            _("Over-commitment: the tasks would program S/ %(t)s of a budget of S/ %(b)s.")
            % {"t": f"{others + programmed:,.2f}", "b": f"{plan.budget_amount:,.2f}"},
            field="programmed_amount",
        )
    activities = data.get("activities")
    if activities is not None and any(a.plan_id != plan.pk for a in activities):
        raise ServiceError(_("The activities must belong to this plan."), field="activities")
    if task is None:
        task = BudgetTask.objects.create(
            plan=plan,
            title=data["title"],
            programmed_amount=programmed,
            executed_amount=executed,
            order=plan.budget_tasks.count(),
        )
        changes: dict[str, Any] = {
            "title": [None, task.title],
            "programmed_amount": [None, programmed],
            "executed_amount": [None, executed],
        }
        if activities:
            task.activities.set(activities)
            changes["activities"] = [None, sorted(a.pk for a in activities)]
        record(actor=by, action=AuditEvent.Action.CREATE, obj=task, changes=changes, site_id=plan.audit_site_id)
        return task
    before = snapshot(task, ["title", "programmed_amount", "executed_amount"])
    task.title = data.get("title", task.title)
    task.programmed_amount = programmed
    task.executed_amount = executed
    changes = diff(before, snapshot(task, ["title", "programmed_amount", "executed_amount"]))
    if changes:
        task.save(update_fields=list(changes))
    if activities is not None:
        old = sorted(task.activities.values_list("pk", flat=True))
        new_ids = sorted(a.pk for a in activities)
        if old != new_ids:
            task.activities.set(activities)
            changes["activities"] = [old, new_ids]
    if changes:
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=task, changes=changes, site_id=plan.audit_site_id)
    return task


# --- change requests (§13) --------------------------------------------------------------------


@transaction.atomic
def propose_change(plan: Plan, *, data: dict[str, Any], by: Any) -> ChangeRequest:
    require_editor(by)
    if plan.status != Plan.Status.APPROVED:
        raise ServiceError(_("Changes are requested on an approved plan."))
    if not (data.get("reason") or "").strip():
        raise ServiceError(_("Give the reason for the change."), field="reason")
    if not (data.get("supporting_report") or "").strip():
        raise ServiceError(_("Cite the supporting informe."), field="supporting_report")
    proposed = changes.validate(plan, data.get("changes"))
    cr = ChangeRequest.objects.create(
        plan=plan,
        changes=proposed,
        reason=data["reason"],
        affected_sections=data.get("affected_sections", ""),
        supporting_report=data["supporting_report"],
        proposed_by=by,
    )
    if data.get("affected_activities"):
        cr.affected_activities.set(data["affected_activities"])
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=cr,
        changes={
            "reason": [None, cr.reason],
            "supporting_report": [None, cr.supporting_report],
            "changes": [None, proposed],
        },
    )
    _tell_next(
        cr,
        by,
        gettext_lazy("Change request to review: %(p)s"),
        gettext_lazy("A change request to %(p)s awaits the SIG Committee's review. Reason: %(r)s"),
    )
    return cr


def _tell_next(cr: ChangeRequest, by: Any, subject: Any, body: Any) -> int:
    """E-mail whoever acts next on the change request (plans.workflows), never `by`."""
    return notify(
        workflows.CHANGE_REQUEST.next_actors(cr) or [],
        subject,
        body,
        link=reverse("plans:change_request_detail", args=[cr.pk]),
        actor=by,
        p=cr.plan.title,
        r=cr.reason,
    )


@transaction.atomic
def record_committee_review(cr: ChangeRequest, *, session: Any, opinion: str, by: Any) -> ChangeRequest:
    lock(cr)
    workflows.CHANGE_REQUEST.check(by, cr, "review")
    if session is None:
        raise ServiceError(_("Choose the session where the Committee reviewed it."), field="session")
    if session.status == session.Status.CLOSED:
        raise ServiceError(_("That session's acta is closed: choose an open session."), field="session")
    if timezone.localdate(session.date) < timezone.localdate(cr.proposed_at):
        raise ServiceError(_("That session was held before the request was proposed."), field="session")
    cr.status = ChangeRequest.Status.COMMITTEE_REVIEWED
    cr.committee_session = session
    cr.committee_opinion = opinion
    cr.save(update_fields=["status", "committee_session", "committee_opinion"])
    record(
        actor=by,
        action=AuditEvent.Action.STATE,
        obj=cr,
        changes={"status": [ChangeRequest.Status.PROPOSED, cr.status], "session": [None, session.pk]},
    )
    _tell_next(
        cr,
        by,
        gettext_lazy("Change request to decide: %(p)s"),
        gettext_lazy("The SIG Committee reviewed a change request to %(p)s: it awaits your decision. Reason: %(r)s"),
    )
    return cr


@transaction.atomic
def decide_change(
    cr: ChangeRequest,
    *,
    approve: bool,
    by: Any,
    resolution: str = "",
    note: str = "",
    decided_on: datetime.date | None = None,
) -> ChangeRequest:
    """The Director decides. Approval makes a new plan version with its change-control row;
    the earlier version stays readable as a frozen PlanVersion."""
    cr = ChangeRequest.objects.select_for_update().select_related("plan__owner_unit").get(pk=cr.pk)
    workflows.CHANGE_REQUEST.check(by, cr, "decide")
    day = decided_on or timezone.localdate()
    plan = Plan.objects.select_for_update().get(pk=cr.plan_id)
    if approve:
        if not resolution.strip():
            raise ServiceError(_("Cite the approving resolution."), field="resolution")
        texts = changes.summary(plan, cr.changes)
        _apply_changes(plan, cr.changes, by=by)
        plan.refresh_from_db()
        plan.version += 1
        plan.approving_resolution = resolution
        plan.approved_on = day
        plan.save(update_fields=["version", "approving_resolution", "approved_on"])
        PlanChangeEntry.objects.create(
            plan=plan,
            version=plan.version,
            date=day,
            justification=cr.reason[:500],
            texts_modified="\n".join(t for t in (cr.supporting_report, texts) if t),
            responsible=plan.owner_unit.code,
        )
        PlanVersion.objects.create(
            plan=plan,
            number=plan.version,
            snapshot=plan_snapshot(plan),
            approved_on=day,
            approving_resolution=resolution,
        )
        cr.resulting_version = plan.version
    cr.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
    cr.decided_by = by
    cr.decided_on = day
    cr.decision_note = note
    cr.resolution = resolution
    cr.save(update_fields=["status", "decided_by", "decided_on", "decision_note", "resolution", "resulting_version"])
    record(
        actor=by,
        action=AuditEvent.Action.STATE,
        obj=cr,
        changes={
            "status": [ChangeRequest.Status.COMMITTEE_REVIEWED, cr.status],
            "resulting_version": [None, cr.resulting_version],
            "resolution": [None, resolution],
        },
    )
    notify(
        [cr.proposed_by],
        gettext_lazy("Change request approved: %(p)s") if approve else gettext_lazy("Change request rejected: %(p)s"),
        gettext_lazy("The change request to %(p)s (reason: %(r)s) was decided on %(d)s. %(n)s"),
        link=reverse("plans:change_request_detail", args=[cr.pk]),
        actor=by,
        p=plan.title,
        r=cr.reason,
        d=day.strftime("%d/%m/%Y"),
        n=note,
    )
    return cr


@transaction.atomic
def record_communications(cr: ChangeRequest, *, oficio: str, memorando: str, by: Any) -> ChangeRequest:
    """§13.2: the oficio to MIDIS's DGCGPS and the memorando múltiple to the units."""
    lock(cr)
    workflows.CHANGE_REQUEST.check(by, cr, "report")
    before = snapshot(cr, ["oficio_dgcgps", "memorando_multiple"])
    cr.oficio_dgcgps = oficio
    cr.memorando_multiple = memorando
    changes = diff(before, snapshot(cr, ["oficio_dgcgps", "memorando_multiple"]))
    if changes:
        cr.save(update_fields=list(changes))
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=cr, changes=changes)
    return cr
