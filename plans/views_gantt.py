"""The cronograma pages of a plan: the Gantt chart with its accessible table, the XLSX and PDF
exports, and the XLSX import (editors only; all or nothing, with a row-by-row error report)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.files import inspect_upload
from core.forms import Form
from core.importer import RowError
from core.services import ServiceError
from plans import cronograma
from plans.access import can_edit_plans, get_plan_for_user
from plans.gantt import gantt_page, plan_activities
from plans.models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CronogramaImportForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Cronograma file (XLSX)"),
        help_text=gettext_lazy("One row per activity under the template's header."),
    )


def _int(value: Any) -> int | None:
    """A stage number from the address, or None (also for numbers no stage can have)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 32767 else None


def _filename(plan: Plan, ext: str) -> str:
    return f"cronograma-{plan.year}-{plan.kind}-v{plan.version:02d}.{ext}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plan_gantt(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    gantt = gantt_page(
        request.user,
        plan,
        stage_number=_int(request.GET.get("stage")),
        page_number=request.GET.get("page"),
        language=translation.get_language() or "es",
        scale="year" if request.GET.get("scale") == "year" else "month",
    )
    return render(
        request,
        "plans/gantt.html",
        {"plan": plan, "gantt": gantt, "can_edit": can_edit_plans(request.user), "nav": "plans"},
    )


def _report(request: HttpRequest, plan: Plan) -> cronograma.CronogramaReport:
    """The cronograma the user may see; `?stage=N` keeps one stage."""
    activities = plan_activities(request.user, plan)
    stage = _int(request.GET.get("stage"))
    if stage is not None:
        activities = activities.filter(stage__number=stage)
    return cronograma.CronogramaReport(plan, activities, stage=stage)


@login_required
def cronograma_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = _report(request, get_plan_for_user(request.user, pk))
    return report.download(request, "xlsx", changes={"what": "cronograma", "stage": report.stage})


@login_required
def cronograma_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = _report(request, get_plan_for_user(request.user, pk))
    return report.download(request, "pdf", changes={"what": "cronograma", "stage": report.stage})


@login_required
def cronograma_template(request: HttpRequest, pk: int) -> HttpResponse:
    get_plan_for_user(request.user, pk, write=True)
    return _download(cronograma.template_xlsx(), XLSX, "plantilla-cronograma.xlsx")


@login_required
def cronograma_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = CronogramaImportForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        try:
            upload = inspect_upload(form.cleaned_data["file"])
            if upload.kind != "xlsx":
                raise ServiceError(_("The cronograma is imported from an XLSX file."), field="file")
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            created, errors = cronograma.CronogramaImporter(plan).run(upload.data, by=request.user)
            if not errors:
                messages.success(request, _("%(n)s activities imported.") % {"n": len(created)})
                return redirect(reverse("plans:plan_gantt", args=[plan.pk]))
    context = {
        "plan": plan,
        "form": form,
        "errors": errors,
        "columns": list(zip(cronograma.IMPORT_HEADER, cronograma.import_help(), strict=True)),
        "today": timezone.localdate(),
        "nav": "plans",
    }
    return render(request, "plans/cronograma_import.html", context, status=400 if form.is_bound else 200)
