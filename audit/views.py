import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import AUDIT_TRAIL_READERS
from audit.access import audit_events_visible_to, get_audit_event_for_user
from audit.forms import AuditFilterForm
from audit.models import AuditEvent
from audit.selectors import KEYSET, filter_events
from audit.services import Subject, record
from core.access import require_visible_roles
from core.exports import csv_response, xlsx_response
from core.pagination import BadCursor, paginate

PAGE_SIZE = 50


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    require_visible_roles(request.user, AUDIT_TRAIL_READERS)
    form = AuditFilterForm(request.GET or None)
    qs = audit_events_visible_to(request.user)
    if form.is_valid():
        qs = filter_events(qs, form.cleaned_data)
    elif form.is_bound:
        qs = qs.none()
    status = 400 if form.is_bound and not form.is_valid() else 200
    try:
        page = paginate(qs, PAGE_SIZE, request.GET, KEYSET)
    except BadCursor as exc:
        context = {"form": form, "page": None, "cursor_error": exc, "cursor_field": exc.field}
        return render(request, "audit/event_list.html", context, status=400)
    return render(request, "audit/event_list.html", {"form": form, "page": page}, status=status)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_audit_event_for_user(request.user, pk)
    return render(request, "audit/event_detail.html", {"event": event})


def _rows(qs: Any) -> Any:
    for ev in qs.iterator(chunk_size=2000):
        yield [
            ev.pk,
            timezone.localtime(ev.timestamp).strftime("%d/%m/%Y %H:%M:%S"),
            ev.actor_label,
            ev.action,
            ev.object_type,
            ev.object_id,
            ev.object_repr,
            ev.site.name if ev.site else "",
            json.dumps(ev.changes, ensure_ascii=False, sort_keys=True),
            ev.ip_address or "",
            ev.prev_hash,
            ev.hash,
        ]


HEADER = [
    "id",
    "fecha",
    "usuario",
    "acción",
    "tipo",
    "id objeto",
    "objeto",
    "sede",
    "cambios",
    "ip",
    "hash anterior",
    "hash",
]


@login_required
def event_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    require_visible_roles(request.user, AUDIT_TRAIL_READERS)
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/event_list.html", {"form": form, "page": None}, status=400)
    qs = filter_events(audit_events_visible_to(request.user), form.cleaned_data if form.is_bound else {})
    qs = qs.order_by("id")
    with transaction.atomic():
        record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            obj=Subject("audit.auditevent", "", "Audit trail export"),
            changes={
                "format": fmt,
                "filters": {k: str(v) for k, v in (form.cleaned_data if form.is_bound else {}).items() if v},
            },
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        return csv_response(f"auditoria-{stamp}.csv", HEADER, _rows(qs))
    return xlsx_response(f"auditoria-{stamp}.xlsx", "Auditoría", HEADER, _rows(qs))
