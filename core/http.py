"""View helpers shared by every area's pages: the no-role guard, the HTMX partial-or-page
branch, the form save that shows a service's refusal, and the audited download. Views stay
thin by calling these instead of carrying their own copies."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import Subject, record
from core.access import get_scope
from core.forms import add_service_error, run_form_action
from core.services import ServiceError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def require_role(user: Any) -> None:
    """Pages that exist only for people with some role: anyone else gets 404, as if the page
    did not exist (an account without a role learns nothing from the URL)."""
    if not get_scope(user).roles:
        raise Http404


def is_partial(request: HttpRequest) -> bool:
    """An HTMX request for a fragment (not a history restore, which needs the whole page)."""
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def page_or_partial(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The whole page, or only `partial` for an HTMX request. The response varies on
    HX-Request so a cache never serves one for the other."""
    response = render(request, partial if is_partial(request) else template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def form_on_page(
    request: HttpRequest,
    obj: Any,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    anchor: str,
    rerender: Callable[[], HttpResponse],
) -> HttpResponse:
    """A form posted from a record's own page (a step, a section): valid and accepted by the
    service, back to the record at `anchor` with "Changes saved."; otherwise `rerender()`, the
    page with the bound form and its errors (a refused service call on the field it names)."""
    done, _error = run_form_action(form, save)
    if done:
        messages.success(request, _("Changes saved."))
        return redirect(obj.get_absolute_url() + f"#{anchor}")
    return rerender()


def save_form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    context: dict[str, Any] | None = None,
    success: str | None = None,
    redirect_to: Callable[[Any], Any] | str | None = None,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """The one way a page saves a form: on POST validate, call the service with the cleaned
    data and redirect (to `redirect_to`, else to the saved object); a refused service call puts
    its reason on the field it names; an invalid or refused form is re-rendered with 400."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc, aliases)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success or _("Changes saved."))
            if callable(redirect_to):
                return redirect(redirect_to(obj))
            return redirect(redirect_to or obj)
    status = 400 if form.is_bound else 200
    return render(request, template, {**(context or {}), "form": form}, status=status)


def audited_download(
    request: HttpRequest,
    *,
    filename: str,
    content_type: str,
    subject: models.Model | Subject,
    content: bytes | None = None,
    file: IO[bytes] | None = None,
    changes: dict[str, Any] | None = None,
    action: str = AuditEvent.Action.EXPORT,
    inline: bool = False,
) -> HttpResponseBase:
    """A file download that writes its audit entry first (EXPORT by default; READ for the
    reads of sensitive records). Give either the bytes or an open file."""
    with transaction.atomic():
        record(actor=request.user, action=action, obj=subject, changes={"file": filename, **(changes or {})})
    if file is not None:
        return FileResponse(file, as_attachment=not inline, filename=filename, content_type=content_type)
    response = HttpResponse(content or b"", content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
