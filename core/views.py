from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import dashboard
from core.pending import pending_for


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
    return JsonResponse(
        {"status": "ok" if db == "ok" else "error", "database": db, "vendor": connection.vendor}, status=status
    )


def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)
