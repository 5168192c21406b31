"""Plan pages. Thin: parse with plans.forms, authorise with plans.access, change through
plans.services, read through plans.selectors. A refused operation (ServiceError) re-renders the
form with the error (400, nothing stored); a step the user may not take is 403; a plan, activity
or request they may not see is 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import User
from committee.access import can_manage_sessions
from core.access import get_or_404, get_scope
from core.forms import add_service_error, run_form_action
from core.http import page_or_partial, require_role, save_form
from core.notifications import step_message
from core.services import ServiceError
from evidence.selectors import evidence_for
from evidence.services import upload_evidence_file
from plans import selectors, services, workflows
from plans.access import (
    can_approve_plans,
    can_deliver_product,
    can_edit_plans,
    get_activity_for_user,
    get_change_request_for_user,
    get_plan_for_user,
    get_product_for_user,
    plans_visible_to,
    require_deliver_product,
)
from plans.forms import (
    ActivityCreateForm,
    ActivityEditForm,
    ActivityFilterForm,
    BudgetTaskForm,
    ChangeRequestForm,
    ChangesEditor,
    CommitteeReviewForm,
    CommunicationsForm,
    DecisionForm,
    DeliverForm,
    PlanApproveForm,
    PlanCreateForm,
    PlanFilterForm,
    PlanForm,
    ProductForm,
)
from plans.models import Activity, BudgetTask, ChangeRequest, Plan, Product
from plans.rows import ActivityRowWriter, ProgressTableWriter

PAGE_SIZE = 50
NAV = "plans"
EVIDENCE_FIELDS = {"document": "documents.document", "session": "committee.session", "file": "evidence.evidencefile"}


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require_editor(user: Any) -> None:
    if not can_edit_plans(user):
        raise PermissionDenied


def _save(
    request: HttpRequest,
    form: forms.Form,
    template: str,
    ctx: dict[str, Any],
    save: Callable[[dict[str, Any]], Any],
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    return save_form(request, form, save, template=template, context={**ctx, "nav": NAV}, aliases=aliases)


# --- plans -----------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    form = PlanFilterForm(request.GET or None, years=selectors.plan_years(request.user))
    plans = plans_visible_to(request.user).order_by("-year", "kind", "pk")
    status = 200
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["year"]:
                plans = plans.filter(year=form.cleaned_data["year"])
            if form.cleaned_data["kind"]:
                plans = plans.filter(kind=form.cleaned_data["kind"])
        else:
            plans, status = plans.none(), 400
    ctx = {"form": form, "plans": plans, "nav": NAV, "can_edit": can_edit_plans(request.user)}
    return render(request, "plans/plan_list.html", ctx, status=status)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    _require_editor(request.user)
    form = PlanCreateForm(request.POST or None, user=request.user, initial={"year": timezone.localdate().year})
    return _save(
        request, form, "plans/plan_form.html", {}, lambda data: services.create_plan(data=data, by=_me(request))
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    initial = {f: getattr(plan, f) for f in services.PLAN_FIELDS}
    initial["legal_basis"] = list(plan.legal_basis.all())
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    return _save(
        request,
        form,
        "plans/plan_form.html",
        {"plan": plan},
        lambda data: services.update_plan(plan, data=data, by=_me(request)),
    )


def _detail_context(request: HttpRequest, plan: Plan, **bound: Any) -> dict[str, Any]:
    user = request.user
    can_edit = can_edit_plans(user)
    ctx: dict[str, Any] = {
        "plan": plan,
        "nav": NAV,
        "today": timezone.localdate(),
        "can_edit": can_edit and plan.status != Plan.Status.CLOSED,
        # An approved plan's content changes only through a change request (§13).
        "can_plan": can_edit and plan.status in {Plan.Status.DRAFT, Plan.Status.COMMITTEE_REVIEW},
        "frozen": plan.status == Plan.Status.APPROVED,
        "pending_changes": selectors.pending_changes(plan),
        "can_approve": can_approve_plans(user),
        "approve_form": PlanApproveForm(prefix="approve", initial={"approved_on": timezone.localdate()}),
        **selectors.plan_tree(user, plan, deliverer=_deliverer(user), unit_id=getattr(user, "unit_id", None)),
    }
    ctx.update(bound)
    return ctx


def _deliverer(user: Any) -> Any:
    """Who may deliver which products: True for plan editors, else the sites the user writes at."""
    if can_edit_plans(user):
        return True
    scope = get_scope(user)
    return frozenset(site for site in scope.site_ids if scope.can_write_site(site))


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "plans/plan_detail.html", _detail_context(request, plan))


@login_required
def plan_stage(request: HttpRequest, pk: int, stage: int) -> HttpResponse:
    """The rows of one stage of a big plan (its first STAGE_ROWS activities with their products
    and evidence), loaded by the plan page when the stage comes into view."""
    plan = get_plan_for_user(request.user, pk)
    stage_obj = get_or_404(plan.stages.all(), number=stage)
    user = request.user
    activities, _deliverable = selectors.stage_rows(
        user, plan, _deliverer(user), getattr(user, "unit_id", None), stage_number=stage
    )
    total = selectors.plan_activities(user, plan).filter(stage=stage_obj).count()
    row = {"stage": stage_obj, "activities": activities, "total": total, "lazy": False}
    return render(request, "plans/_stage_rows.html", {"row": row, "plan": plan, "today": timezone.localdate()})


def _plan_action(
    request: HttpRequest,
    pk: int,
    allowed: Callable[[Any], bool],
    run: Callable[[Plan, dict[str, Any]], Any],
    form: forms.Form | None = None,
    news: Any = None,
) -> HttpResponse:
    """A workflow button of the plan page: 403 unless allowed; a refusal re-renders the page
    (400); done, the page says what happened and who acts next."""
    plan = get_plan_for_user(request.user, pk)
    if not allowed(request.user):
        raise PermissionDenied
    done, error = run_form_action(form, lambda data: run(plan, data))
    if done:
        plan.refresh_from_db()
        message = step_message(news, workflows.PLAN.next_actors(plan)) if news else _("Changes saved.")
        messages.success(request, message)
        return redirect(plan)
    bound = {"approve_form": form} if form is not None else {}
    ctx = _detail_context(request, plan, action_error=error, **bound)
    return render(request, "plans/plan_detail.html", ctx, status=400)


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        can_edit_plans,
        lambda plan, data: services.submit_plan_to_committee(plan, by=_me(request)),
        news=gettext_lazy("Sent to the SIG Committee; the Executive Director approves it"),
    )


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the Director approves, citing the resolution and its date."""
    return _plan_action(
        request,
        pk,
        can_approve_plans,
        lambda plan, data: services.approve_plan(
            plan, resolution=data["resolution"], approved_on=data["approved_on"], by=_me(request)
        ),
        PlanApproveForm(request.POST, prefix="approve"),
        news=gettext_lazy("Plan approved"),
    )


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        can_edit_plans,
        lambda plan, data: services.close_plan(plan, by=_me(request)),
        news=gettext_lazy("Plan closed"),
    )


@login_required
def plan_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """An approved version as it was frozen (the plan may have changed since)."""
    plan = get_plan_for_user(request.user, pk)
    version = get_or_404(plan.versions.all(), number=number)
    ctx = {"plan": plan, "version": version, "snapshot": selectors.version_snapshot(version.snapshot), "nav": NAV}
    return render(request, "plans/plan_version.html", ctx)


@login_required
def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    ctx = {"plan": plan, "nav": NAV, **selectors.plan_dashboard(request.user, plan)}
    ctx.update(selectors.dashboard_charts(plan, ctx))
    ctx["progress_chart"] = selectors.progress_over_time(request.user, plan)["chart"]
    tables = ProgressTableWriter(reverse("plans:activity_list", args=[plan.pk]))
    ctx.update(
        stage_rows=tables.stages(ctx["stages"]),
        unit_rows=tables.units(ctx["units"]),
        site_rows=tables.sites(ctx["sites"]),
    )
    ctx["progress_caption"] = _(
        "Planned: each activity advancing evenly between its planned dates. Actual: each activity "
        "advancing evenly from its actual start to its end, or to today's recorded progress."
    )
    return render(request, "plans/plan_dashboard.html", ctx)


# --- activities --------------------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    form = ActivityFilterForm(request.GET or None, plan=plan)
    qs = (
        selectors.plan_activities(request.user, plan).prefetch_related("sites").order_by("stage__number", "order", "pk")
    )
    status = 200
    if form.is_bound:
        if form.is_valid():
            qs = selectors.filter_activities(qs, form.cleaned_data, timezone.localdate())
        else:
            qs, status = qs.none(), 400
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    ctx = {
        "plan": plan,
        "form": form,
        "page": page,
        "rows": ActivityRowWriter(today).rows(page),  # plans.rows (issue 10)
        "nav": NAV,
        "today": today,
        "query": query.urlencode(),
    }
    return page_or_partial(request, "plans/activity_list.html", "plans/_activity_rows.html", ctx, status=status)


@login_required
def activity_create(request: HttpRequest, pk: int, stage: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    stage_obj = get_or_404(plan.stages.all(), number=stage)
    form = ActivityCreateForm(request.POST or None, initial={"code": services.next_activity_code(stage_obj)})
    return _save(
        request,
        form,
        "plans/activity_form.html",
        {"plan": plan, "stage": stage_obj},
        lambda data: _activity_url(services.add_activity(stage_obj, data=data, by=_me(request))),
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk)
    products = list(activity.products.order_by("order", "pk"))
    deliverable = {p.pk for p in products if can_deliver_product(request.user, p)}
    ctx = {
        "activity": activity,
        "plan": activity.plan,
        "nav": NAV,
        "today": timezone.localdate(),
        "sites": activity.sites.all(),
        "products": selectors.with_evidence(request.user, products, deliverable),
        "budget_tasks": activity.budget_tasks.all(),
        "can_edit": can_edit_plans(request.user) and activity.plan.status != Plan.Status.CLOSED,
    }
    return render(request, "plans/activity_detail.html", ctx)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, pk, write=True)
    has_products = activity.products.exists()
    fields = [*services.ACTIVITY_FIELDS, "progress"]
    initial = {f: getattr(activity, f) for f in fields}
    initial["sites"] = list(activity.sites.all())
    frozen = activity.plan.status == Plan.Status.APPROVED
    form = ActivityEditForm(request.POST or None, initial=initial, has_products=has_products, frozen=frozen)
    ctx = {"plan": activity.plan, "activity": activity, "has_products": has_products}
    return _save(
        request,
        form,
        "plans/activity_form.html",
        ctx,
        lambda data: _activity_url(services.update_activity(activity, data=data, by=_me(request))),
    )


def _plan_url(plan: Plan, anchor: str = "") -> str:
    return plan.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _activity_url(activity: Activity) -> str:
    return reverse("plans:activity_detail", args=[activity.pk])


# --- products ----------------------------------------------------------------------------------


@login_required
def product_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    activities = plan.activities.select_related("stage").order_by("stage__number", "order", "pk")
    preselected = request.GET.get("actividad")
    initial = {"activities": [preselected]} if preselected and preselected.isdigit() else None
    form = ProductForm(request.POST or None, activities=activities, initial=initial)
    return _save(
        request,
        form,
        "plans/product_form.html",
        {"plan": plan},
        lambda data: _plan_url(
            services.add_product(
                plan,
                title=data["title"],
                activities=list(data["activities"]),
                expected_type=data["expected_type"],
                by=_me(request),
            ).plan,
            "activities",
        ),
    )


def _evidence_site(user: Any, product: Product) -> Any:
    """Where an uploaded evidence file belongs: the plan's site for central roles, else the UT
    of the user that the product's activities involve."""
    scope = get_scope(user)
    if scope.all_sites:
        return product.plan.owner_unit.site
    from organization.models import Site

    return Site.objects.filter(pk__in=[s for s in scope.site_ids if scope.can_write_site(s)]).order_by("pk").first()


def _deliver(user: User, product: Product, data: dict[str, Any]) -> Product:
    kind = data["kind"]
    with transaction.atomic():
        if kind == "file":
            evidence_id = upload_evidence_file(
                upload=data["upload"],
                title=data["file_title"],
                site=_evidence_site(user, product),
                by=user,
                file_name=data["file"].name,
            ).pk
        else:
            evidence_id = data[kind].pk
        return services.deliver_product(
            product,
            evidence_label=EVIDENCE_FIELDS[kind],
            evidence_id=evidence_id,
            by=user,
            note=data["note"],
            delivered_on=data["delivered_on"],
        )


@login_required
def product_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_product_for_user(request.user, pk)
    require_deliver_product(request.user, product)
    form = DeliverForm(request.POST or None, request.FILES or None, user=request.user)
    kind = request.POST.get("kind", "document")
    ctx = {
        "plan": product.plan,
        "product": product,
        "activities": product.activities.order_by("stage__number", "order", "pk"),
        "evidence": evidence_for(request.user, [product]).get(product.pk, []),
    }
    aliases = {"evidence": kind if kind in EVIDENCE_FIELDS else "kind", "title": "file_title"}
    return _save(
        request,
        form,
        "plans/product_deliver.html",
        ctx,
        lambda data: _plan_url(_deliver(_me(request), product, data).plan, "activities"),
        aliases,
    )


# --- budget ------------------------------------------------------------------------------------


def _budget_task_form(request: HttpRequest, plan: Plan, task: BudgetTask | None) -> HttpResponse:
    activities = plan.activities.select_related("stage").order_by("stage__number", "order", "pk")
    initial = None
    if task is not None:
        initial = {
            "title": task.title,
            "programmed_amount": task.programmed_amount,
            "executed_amount": task.executed_amount,
            "activities": list(task.activities.all()),
        }
    form = BudgetTaskForm(request.POST or None, activities=activities, initial=initial)
    return _save(
        request,
        form,
        "plans/budget_task_form.html",
        {"plan": plan, "task": task, "committed": selectors.budget_total(plan)},
        lambda data: _plan_url(services.save_budget_task(plan, data=data, by=_me(request), task=task).plan, "budget"),
    )


@login_required
def budget_task_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    return _budget_task_form(request, plan, None)


@login_required
def budget_task_edit(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    return _budget_task_form(request, plan, get_or_404(plan.budget_tasks.all(), pk=task))


# --- change requests (§13) -------------------------------------------------------------------


@login_required
def change_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The request with the changes themselves (plans.changes): new dates, new or removed
    activities and products, budget moves, new plan texts."""
    plan = get_plan_for_user(request.user, pk, write=True)
    activities = plan.activities.select_related("stage").order_by("stage__number", "order", "pk")
    form = ChangeRequestForm(request.POST or None, activities=activities)
    editor = ChangesEditor(plan, request.POST or None)
    if request.method == "POST" and not editor.is_valid():
        form.is_valid()
        return render(
            request,
            "plans/change_request_form.html",
            {"plan": plan, "form": form, "editor": editor, "nav": NAV},
            status=400,
        )
    return _save(
        request,
        form,
        "plans/change_request_form.html",
        {"plan": plan, "editor": editor},
        lambda data: _cr_url(
            services.propose_change(
                plan, data={**data, "changes": editor.ops() if request.method == "POST" else []}, by=_me(request)
            )
        ),
    )


def _cr_url(cr: ChangeRequest) -> str:
    return reverse("plans:change_request_detail", args=[cr.pk])


def _cr_context(request: HttpRequest, cr: ChangeRequest, **bound: Any) -> dict[str, Any]:
    user = request.user
    status = ChangeRequest.Status
    ctx: dict[str, Any] = {
        "cr": cr,
        "plan": cr.plan,
        "nav": NAV,
        **selectors.change_request_context(cr),
        "review_form": CommitteeReviewForm(prefix="review", user=user, proposed_at=cr.proposed_at)
        if cr.status == status.PROPOSED and can_manage_sessions(user)
        else None,
        "decision_form": DecisionForm(prefix="decision")
        if cr.status == status.COMMITTEE_REVIEWED and can_approve_plans(user)
        else None,
        "communications_form": CommunicationsForm(
            prefix="communications", initial={"oficio": cr.oficio_dgcgps, "memorando": cr.memorando_multiple}
        )
        if cr.status == status.APPROVED and _may_report(user)
        else None,
    }
    ctx.update(bound)
    return ctx


def _may_report(user: Any) -> bool:
    return can_edit_plans(user) or can_approve_plans(user)


@login_required
def change_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cr = get_change_request_for_user(request.user, pk)
    return render(request, "plans/change_request_detail.html", _cr_context(request, cr))


def _cr_action(
    request: HttpRequest,
    pk: int,
    allowed: Callable[[Any], bool],
    form_key: str,
    make_form: Callable[..., forms.Form],
    run: Callable[[ChangeRequest, dict[str, Any]], Any],
    news: Any = None,
) -> HttpResponse:
    cr = get_change_request_for_user(request.user, pk)
    if not allowed(request.user):
        raise PermissionDenied
    form = make_form(request.POST, prefix=form_key.removesuffix("_form"))
    if form.is_valid():
        try:
            run(cr, form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            cr.refresh_from_db()
            if news:
                done = news(cr) if callable(news) else news
                messages.success(request, step_message(done, workflows.CHANGE_REQUEST.next_actors(cr)))
            else:
                messages.success(request, _("Changes saved."))
            return redirect("plans:change_request_detail", pk=cr.pk)
    ctx = _cr_context(request, cr, **{form_key: form})
    return render(request, "plans/change_request_detail.html", ctx, status=400)


@login_required
@require_POST
def change_request_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _cr_action(
        request,
        pk,
        can_manage_sessions,
        "review_form",
        lambda *a, **k: CommitteeReviewForm(*a, user=request.user, **k),
        lambda cr, data: services.record_committee_review(
            cr, session=data["session"], opinion=data["opinion"], by=_me(request)
        ),
        news=gettext_lazy("The Committee's review is recorded; the Executive Director decides"),
    )


@login_required
@require_POST
def change_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _cr_action(
        request,
        pk,
        can_approve_plans,
        "decision_form",
        DecisionForm,
        lambda cr, data: services.decide_change(
            cr,
            approve=data["decision"] == "approve",
            resolution=data["resolution"] if data["decision"] == "approve" else "",
            note=data["note"],
            decided_on=data["decided_on"],
            by=_me(request),
        ),
        news=lambda cr: (
            _("Change request approved: version %(v)s of the plan is in force") % {"v": f"{cr.resulting_version:02d}"}
            if cr.status == ChangeRequest.Status.APPROVED
            else _("Change request rejected")
        ),
    )


@login_required
@require_POST
def change_request_communications(request: HttpRequest, pk: int) -> HttpResponse:
    return _cr_action(
        request,
        pk,
        _may_report,
        "communications_form",
        CommunicationsForm,
        lambda cr, data: services.record_communications(
            cr, oficio=data["oficio"], memorando=data["memorando"], by=_me(request)
        ),
    )
