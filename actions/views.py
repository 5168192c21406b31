"""Acuerdos y acciones: the follow-up of every action item the user may see (acuerdos of the
Comité del SIG for now), with filters and the status change. A UT sees the items of its UT
(actions.access); only the responsible person or a manager changes an item's status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions.access import action_items_visible_to, can_update_action, get_action_item_for_user, status_choices
from actions.forms import ActionFilterForm, StatusForm
from actions.models import ActionItem
from actions.rows import ItemRowWriter
from actions.selectors import OPEN_Q, filter_items
from actions.services import add_item_evidence, set_action_status
from core.forms import add_service_error
from core.http import require_role
from core.pagination import CappedPaginator
from core.registry import action_kinds
from core.services import ServiceError
from evidence.forms import EvidenceForm
from evidence.selectors import evidence_for

PAGE_SIZE = 50
NAV = "actions"


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    today = timezone.localdate()
    visible = action_items_visible_to(request.user)
    params = request.GET.copy()
    params.pop("page", None)
    form = ActionFilterForm(params or None, visible=visible)
    qs, status = visible, 200
    if form.is_bound:
        if form.is_valid():
            qs = filter_items(qs, form.cleaned_data, today)
        else:
            qs, status = qs.none(), 400
    page = CappedPaginator(qs.order_by("due_date", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:  # what actions.rows.ItemRowWriter shows besides the item's own fields
        item.status_choices = status_choices(request.user, item)
        item.origin = item.source_link(request.user)
    return render(
        request,
        "actions/item_list.html",
        {
            "form": form,
            "page": page,
            "rows": ItemRowWriter(request, today).rows(page),
            "today": today,
            "reports": [r for kind in action_kinds().values() if kind.reports for r in kind.reports(request.user)],
            "nav": NAV,
        },
        status=status,
    )


def _detail(
    request: HttpRequest,
    item: ActionItem,
    form: StatusForm | None = None,
    status: int = 200,
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    can_update = item.is_open and can_update_action(request.user, item)
    return render(
        request,
        "actions/item_detail.html",
        {
            "item": item,
            "form": form
            if form is not None
            else (StatusForm(choices=status_choices(request.user, item)) if can_update else None),
            "today": timezone.localdate(),
            "source": item.source_link(request.user),
            "evidence": evidence_for(request.user, [item]).get(item.pk, []),
            "evidence_form": evidence_form or (EvidenceForm() if can_update else None),
            "nav": NAV,
        },
        status=status,
    )


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_action_item_for_user(request.user, pk))


@login_required
@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_action_item_for_user(request.user, pk)
    if not can_update_action(request.user, item):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            set_action_status(item, status=form.cleaned_data["status"], note=form.cleaned_data["note"], by=request.user)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Status changed."))
            target = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
                return redirect(target)
            return redirect("actions:item_detail", pk=item.pk)
    return _detail(request, item, form, status=400)


@login_required
def overdue_by_unit(request: HttpRequest) -> HttpResponse:
    """Open items past their due date, counted per responsible unit and site (the user's
    scope), oldest due date first: where follow-up is needed. One query."""
    require_role(request.user)
    today = timezone.localdate()
    rows = (
        action_items_visible_to(request.user)
        .filter(OPEN_Q, due_date__lt=today)
        .values("site__code", "site__name", "responsible_unit_id", "responsible_unit__code", "responsible_unit__name")
        .annotate(n=Count("pk"), oldest=Min("due_date"))
        .order_by("oldest", "site__code", "responsible_unit__code")
    )
    return render(
        request,
        "actions/overdue_by_unit.html",
        {"rows": list(rows), "today": today, "list_url": reverse("actions:item_list"), "nav": NAV},
    )


@login_required
@require_POST
def item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the evidence that the item was carried out (a document or a file)."""
    item = get_action_item_for_user(request.user, pk)
    if not can_update_action(request.user, item):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_item_evidence(item, data=form.cleaned_data, by=request.user)
        except ServiceError as exc:
            add_service_error(form, exc, {"evidence": "document_code"})
        else:
            messages.success(request, _("The evidence is linked."))
            return redirect("actions:item_detail", pk=item.pk)
    return _detail(request, item, status=400, evidence_form=form)
