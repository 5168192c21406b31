"""The public verification page /verifica/ (no login). The rules — same answer for right and
wrong codes, padding, rate limit, copies never stored — are in reports.verification."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from core import registry
from core.middleware import client_ip
from core.services import ServiceError
from reports import verification as public

CODE_PARAM = "codigo"  # the controlled PDF's QR code points to SITE_URL/verifica/?codigo=CODE
FILE_PARAM = "file"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt  # CSRF is checked by `_verify`, after the upload handler is in place
def verify(request: HttpRequest) -> HttpResponse:
    started = time.monotonic()
    handler = None
    if request.method == "POST":
        # Must happen before anything reads request.POST/FILES (hence csrf_exempt above).
        handler = public.HashingUploadHandler(request)
        request.upload_handlers = [handler]
    return _verify(request, started, handler)


@csrf_protect
def _verify(request: HttpRequest, started: float, handler: public.HashingUploadHandler | None) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    if CODE_PARAM not in params:
        return render(request, "reports/public/verify.html", {"code_param": CODE_PARAM, "entity": registry.entity()})
    ip = client_ip(request)
    if public.over_limit(ip):
        # Not padded: the answer does not depend on the code, and a slow 429 would only hold
        # a worker for the client that is already over its limit.
        return render(
            request,
            "reports/public/verify.html",
            {"code_param": CODE_PARAM, "blocked": public.rate_limit_message(), "entity": registry.entity()},
            status=429,
        )
    public.record_attempt(ip)
    raw = params.get(CODE_PARAM, "")[:50]
    context: dict[str, Any] = {
        "code_param": CODE_PARAM,
        "file_param": FILE_PARAM,
        "submitted": raw.strip(),
        "entity": registry.entity(),
    }
    status = 200
    copy = None
    if handler is not None:
        try:
            copy = public.check_copy(request.FILES.get(FILE_PARAM), too_large=handler.too_large, field=FILE_PARAM)
        except ServiceError as exc:
            context["upload_error"] = exc.message
            status = 400
    issued = public.find(raw)
    context["facts"] = public.facts(issued)
    if copy is not None and issued is not None:
        context["copy"] = copy
        context["identical"] = public.is_identical(issued, copy)
    public.pad(started)
    return render(request, "reports/public/verify_result.html", context, status=status)
