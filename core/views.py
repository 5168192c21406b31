from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import dashboard


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"panels": dashboard.build(request.user)})


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
