"""Supervision pages: the list (scoped by UT), one supervision with its checklist, report and
matriz de mejora, and the status report of the matrices across UTs. Thin: parse, authorise
through supervisions.access, call one service, render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions.selectors import count_per_source
from actions.services import items_for
from core.http import form_on_page, require_role, save_form
from supervisions import services
from supervisions.access import get_supervision_for_user, is_manager, require_manager, supervisions_visible_to
from supervisions.forms import CheckForm, ImprovementForm, ReportForm, SupervisionForm
from supervisions.models import ACTION_KIND, Supervision

PAGE_SIZE = 50
NAV = "supervisions"


@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    today = timezone.localdate()
    qs = (
        supervisions_visible_to(request.user)
        .select_related("site")
        .annotate(
            n_items=count_per_source(Supervision, ACTION_KIND),
            n_open=count_per_source(Supervision, ACTION_KIND, open_only=True),
            n_overdue=count_per_source(Supervision, ACTION_KIND, overdue_on=today),
        )
    )
    page = Paginator(qs.order_by("-start_date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervisions/list.html", {"page": page, "nav": NAV, "can_manage": is_manager(request.user)})


@login_required
def supervision_create(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    require_manager(request.user)
    form = SupervisionForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda d: services.create_supervision(data={**d, "supervisors": list(d["supervisors"])}, by=request.user),
        template="supervisions/form.html",
        context={"nav": NAV},
    )


def _detail(
    request: HttpRequest, sup: Supervision, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    manage = is_manager(request.user)
    editing = manage and sup.status != Supervision.Status.REPORTED
    ctx: dict[str, Any] = {
        "sup": sup,
        "nav": NAV,
        "today": timezone.localdate(),
        "supervisors": list(sup.supervisors.order_by("last_name", "first_name")),
        "checks": list(sup.checks.select_related("process").order_by("order", "pk")),
        "items": list(items_for(sup).filter(kind=ACTION_KIND).select_related("responsible").order_by("number", "pk")),
        "check_form": CheckForm(prefix="check") if editing else None,
        "report_form": ReportForm(prefix="report") if editing else None,
        "improvement_form": ImprovementForm(prefix="item", site_id=sup.site_id) if manage else None,
    }
    ctx.update(bound or {})
    return render(request, "supervisions/detail.html", ctx, status=status)


@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_supervision_for_user(request.user, pk))


def _apply(
    request: HttpRequest,
    sup: Supervision,
    form: forms.Form,
    name: str,
    save: Callable[[dict[str, Any]], Any],
    anchor: str,
) -> HttpResponse:
    def rerender() -> HttpResponse:
        sup.refresh_from_db()
        return _detail(request, sup, bound={name: form}, status=400)

    return form_on_page(request, sup, form, save, anchor=anchor, rerender=rerender)


def _managed(request: HttpRequest, pk: int) -> Supervision:
    sup = get_supervision_for_user(request.user, pk)
    if not is_manager(request.user):
        raise PermissionDenied
    return sup


@login_required
@require_POST
def check_add(request: HttpRequest, pk: int) -> HttpResponse:
    sup = _managed(request, pk)
    form = CheckForm(request.POST, prefix="check")
    return _apply(request, sup, form, "check_form", lambda d: services.add_check(sup, by=request.user, **d), "checks")


@login_required
@require_POST
def improvement_add(request: HttpRequest, pk: int) -> HttpResponse:
    sup = _managed(request, pk)
    form = ImprovementForm(request.POST, prefix="item", site_id=sup.site_id)
    return _apply(
        request, sup, form, "improvement_form", lambda d: services.add_improvement(sup, by=request.user, **d), "matrix"
    )


@login_required
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    sup = _managed(request, pk)
    form = ReportForm(request.POST, prefix="report")
    return _apply(
        request,
        sup,
        form,
        "report_form",
        lambda d: services.record_report(sup, report=d["report"], by=request.user),
        "report",
    )


@login_required
def status_report(request: HttpRequest, fmt: str) -> HttpResponseBase:
    from supervisions.reports import MatrixStatusReport

    require_role(request.user)
    return MatrixStatusReport(request.user).download(request, fmt)
