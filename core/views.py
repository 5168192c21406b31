from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import calendar, dashboard
from core.access import get_or_404
from core.forms import NonWorkingDayForm
from core.http import require_role, save_form
from core.models import NonWorkingDay
from core.pending import pending_for
from core.services import ServiceError


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    pending = pending_for(request.user)
    return render(
        request,
        "core/dashboard.html",
        {
            "panels": dashboard.build(request.user),
            "pending": pending[: dashboard.PANEL_ROWS * 2],
            "pending_count": len(pending),
            "today": timezone.localdate(),
            "nav": "home",
        },
    )


@login_required
def pending_view(request: HttpRequest) -> HttpResponse:
    """Mi trabajo pendiente: everything whose next step is this person's, across all areas."""
    return render(
        request,
        "core/pending.html",
        {"items": pending_for(request.user), "today": timezone.localdate(), "nav": "pending"},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = "ok"
    except Exception:  # noqa: BLE001 - any database failure is reported, not raised
        db = "error"
    status = 200 if db == "ok" else 503
    body = {"status": "ok" if db == "ok" else "error", "database": db}
    if request.user.is_authenticated:  # the engine is nobody else's business
        body["vendor"] = connection.vendor
    return JsonResponse(body, status=status)


def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """The business-day calendar: Peru's national holidays of a year and the days registered as
    non-working; reference editors add and withdraw days."""
    require_role(request.user)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    can_keep = calendar.can_keep_calendar(request.user)
    form = NonWorkingDayForm(request.POST or None) if can_keep else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        return save_form(
            request,
            form,
            lambda data: calendar.add_non_working_day(data=data, by=request.user),
            template="core/calendar.html",
            context=_calendar_context(year, can_keep),
            success=_("The day was registered as non-working."),
            redirect_to=lambda day: f"{reverse('core:calendar')}?year={day.date.year}",
        )
    return render(request, "core/calendar.html", {**_calendar_context(year, can_keep), "form": form})


def _calendar_context(year: int, can_keep: bool) -> dict[str, Any]:
    return {
        "year": year,
        "years": [year - 1, year + 1],
        "national": calendar.national_holidays(year),
        "registered": NonWorkingDay.objects.filter(date__year=year).order_by("date"),
        "can_keep": can_keep,
        "nav": "calendar",
    }


@login_required
@require_POST
def calendar_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_or_404(NonWorkingDay.objects.all(), pk=pk)
    try:
        calendar.withdraw_non_working_day(day, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The day was withdrawn."))
    return redirect(f"{reverse('core:calendar')}?year={day.date.year}")
