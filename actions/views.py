"""Acuerdos y acciones: the follow-up of every action item the user may see (acuerdos of the
Comité del SIG for now), with filters and the status change. A UT sees the items of its UT
(actions.access); only the responsible person or a manager changes an item's status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions.access import action_items_visible_to, can_update_action, get_action_item_for_user
from actions.forms import ActionFilterForm, StatusForm
from actions.models import ActionItem
from actions.selectors import filter_items
from actions.services import set_action_status
from core.access import get_scope
from core.http import require_role
from core.services import ServiceError

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
    page = Paginator(qs.order_by("due_date", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.can_update = item.is_open and can_update_action(request.user, item)  # type: ignore[attr-defined]
    return render(
        request,
        "actions/item_list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "statuses": ActionItem.Status.choices,
            "sees_sessions": bool(get_scope(request.user).central_roles),
            "nav": NAV,
        },
        status=status,
    )


def _detail(request: HttpRequest, item: ActionItem, form: StatusForm | None = None, status: int = 200) -> HttpResponse:
    can_update = item.is_open and can_update_action(request.user, item)
    return render(
        request,
        "actions/item_detail.html",
        {
            "item": item,
            "form": form if form is not None else (StatusForm() if can_update else None),
            "today": timezone.localdate(),
            "sees_sessions": bool(get_scope(request.user).central_roles),
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
