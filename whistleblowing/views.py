"""Pages of the channel. The public ones (filing, follow-up) need no login, load nothing from
third parties, store no address or user agent and set no cookie but the form's CSRF cookie;
the receipt travels only in the forms' bodies. The integrity function's pages exist only for its
members (404 for anybody else, the platform administrator included) and show content only with
the member's key unlocked for this session (whistleblowing.keys)."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import inspect_upload
from core.forms import add_service_error
from core.middleware import client_ip
from core.services import ServiceError
from whistleblowing import crypto, keys, ratelimit, selectors, services
from whistleblowing.access import (
    can_register_intake,
    can_see_statistics,
    cases_visible_to,
    get_case_for_user,
    is_member,
    require_member,
)
from whistleblowing.forms import (
    AdmissibilityForm,
    CloseForm,
    FilingForm,
    IntakeForm,
    MessageForm,
    ProtectionForm,
    ReceiptForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReplyForm,
    StepForm,
    UnlockForm,
)
from whistleblowing.models import Case, MemberKey

NAV = "whistleblowing"
PUBLIC = "whistleblowing/public_base.html"


def _min_time(started: float) -> None:
    """Right and wrong receipts answer after the same minimum time."""
    floor = int(getattr(settings, "SIG_WB_MIN_MS", 300)) / 1000
    left = floor - (time.monotonic() - started)
    if left > 0:
        time.sleep(left)


def _inspect_all(form: djforms.Form, field: str = "attachments") -> list[Any] | None:
    out = []
    for upload in form.cleaned_data.get(field) or []:
        try:
            out.append((inspect_upload(upload, field=field), upload.name or "file"))
        except ServiceError as exc:
            form.add_error(field, f"{upload.name}: {exc.message}")
            return None
    return out


# --- public -----------------------------------------------------------------------------------


def file_report(request: HttpRequest) -> HttpResponse:
    form = FilingForm(request.POST or None, request.FILES or None)
    ready = services.channel() is not None
    if request.method == "POST" and ready and form.is_valid():
        files = _inspect_all(form)
        if files is not None:
            try:
                with services.without_address():
                    filed = services.file_case(
                        facts=form.cleaned_data["facts"],
                        category=form.cleaned_data["category"],
                        identity=form.identity(),
                        attachments=files,
                        protection_requested=form.cleaned_data["protection_requested"],
                        channel=Case.Channel.WEB,
                    )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                return _receipt_page(request, filed)
    status = 400 if form.is_bound else 200
    return render(request, "whistleblowing/file.html", {"form": form, "ready": ready}, status=status)


def _receipt_page(request: HttpRequest, filed: services.Filed, staff: bool = False) -> HttpResponse:
    response = render(
        request,
        "whistleblowing/receipt.html",
        {"receipt": crypto.format_receipt(filed.receipt), "raw": filed.receipt, "case": filed.case, "staff": staff},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def receipt_file(request: HttpRequest) -> HttpResponse:
    """The receipt as a text file, made from what the filer's own page sends back (nothing is
    looked up or stored)."""
    receipt = crypto.normalise_receipt(request.POST.get("receipt", ""))
    if receipt is None:
        raise Http404
    body = _(
        "Canal de denuncias — constancia\n\nReceipt: %(receipt)s\n\n"
        "Keep it in a safe place: it is the only way to follow your denuncia at %(url)s.\n"
        "Nobody can recover it for you.\n"
    ) % {"receipt": crypto.format_receipt(receipt), "url": settings.SITE_URL + reverse("whistleblowing:follow")}
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="constancia-denuncia.txt"'
    response["Cache-Control"] = "no-store"
    return response


def _follow_page(
    request: HttpRequest, case: Case, key: bytes, reply: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    view = services.filer_view(case, key)
    receipt = request.POST.get("receipt", "")
    reply = reply or ReplyForm(initial={"receipt": receipt})
    response = render(request, "whistleblowing/follow_case.html", {**view, "reply": reply}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _lookup(request: HttpRequest, raw: str) -> tuple[Case, bytes] | None | str:
    """The case for a receipt; 'blocked' when the address is over the limit."""
    ip = client_ip(request)
    if ratelimit.blocked(ip):
        return "blocked"
    found = services.open_with_receipt(raw)
    if found is None:
        ratelimit.failed(ip)
    return found


def follow(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        started = time.monotonic()
        found = _lookup(request, form.cleaned_data["receipt"])
        _min_time(started)
        if found == "blocked":
            form.add_error(None, _("Too many wrong receipts from here. Wait an hour and try again."))
            return render(request, "whistleblowing/follow.html", {"form": form}, status=429)
        if isinstance(found, tuple):
            return _follow_page(request, *found)
        form.add_error("receipt", _("No denuncia matches that receipt."))
    status = 400 if form.is_bound else 200
    return render(request, "whistleblowing/follow.html", {"form": form}, status=status)


@require_POST
def follow_reply(request: HttpRequest) -> HttpResponse:
    form = ReplyForm(request.POST, request.FILES)
    started = time.monotonic()
    found = _lookup(request, request.POST.get("receipt", ""))
    _min_time(started)
    if not isinstance(found, tuple):
        receipt_form = ReceiptForm()
        receipt_form.add_error(None, _("No denuncia matches that receipt."))
        return render(
            request, "whistleblowing/follow.html", {"form": receipt_form}, status=400 if found is None else 429
        )
    case, key = found
    if form.is_valid():
        files = _inspect_all(form)
        if files is not None:
            try:
                services.filer_reply(case, key, body=form.cleaned_data["body"], attachments=files)
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                return _follow_page(request, case, key)
    return _follow_page(request, case, key, reply=form, status=400)


# --- the integrity function -------------------------------------------------------------------


def _private_or_redirect(request: HttpRequest) -> bytes | HttpResponse:
    private = keys.private_key(request)
    if private is None:
        return redirect(reverse("whistleblowing:unlock") + "?next=" + request.get_full_path())
    return private


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_member(request.user)
    cases = list(cases_visible_to(request.user).order_by("-received_at")[:500])
    key = services.member_key_for(request.user)
    opened = set()
    if key is not None:
        opened = set(key.case_keys.values_list("case_id", flat=True))
    pending = []
    if key is not None and key.approved_at is not None:
        pending = list(
            MemberKey.objects.filter(approved_at__isnull=True, retired_at__isnull=True).select_related("user")
        )
    return render(
        request,
        "whistleblowing/case_list.html",
        {
            "nav": NAV,
            "cases": cases,
            "opened": opened,
            "unlocked": keys.private_key(request) is not None,
            "member_key": key,
            "pending_keys": pending,
            "now": timezone.now(),
        },
    )


@login_required
def unlock(request: HttpRequest) -> HttpResponse:
    require_member(request.user)
    key = services.member_key_for(request.user)
    form = UnlockForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        private = None
        if key is None or request.POST.get("new_key") == "1":
            try:
                key = services.create_member_key(request.user, password)
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                private = services.unlock_member_key(key, password)
        else:
            private = services.unlock_member_key(key, password)
            if private is None:
                form.add_error("password", _("The password does not open your key."))
        if private is not None and key is not None:
            response = redirect(next_url or reverse("whistleblowing:case_list"))
            keys.remember(request, response, key, private)
            messages.success(request, _("Your key is unlocked for this session."))
            return response
    status = 400 if form.is_bound else 200
    return render(
        request,
        "whistleblowing/unlock.html",
        {"nav": NAV, "form": form, "member_key": key, "next": next_url},
        status=status,
    )


@login_required
@require_POST
def lock_key(request: HttpRequest) -> HttpResponse:
    require_member(request.user)
    response = redirect("whistleblowing:case_list")
    keys.forget(request, response)
    return response


@login_required
@require_POST
def approve_key(request: HttpRequest, pk: int) -> HttpResponse:
    require_member(request.user)
    private = _private_or_redirect(request)
    if isinstance(private, HttpResponse):
        return private
    member_key = MemberKey.objects.filter(pk=pk).first()
    if member_key is None:
        raise Http404
    try:
        shared = services.approve_member_key(member_key, by=request.user, private_key=private)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Key admitted; %(n)s cases shared.") % {"n": shared})
    return redirect("whistleblowing:case_list")


def _forms(bound: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "message_form": MessageForm(prefix="message"),
        "admissibility_form": AdmissibilityForm(prefix="admissibility"),
        "protection_form": ProtectionForm(prefix="protection"),
        "step_form": StepForm(prefix="step", initial={"on": timezone.localdate()}),
        "referral_form": ReferralForm(prefix="referral", initial={"referred_on": timezone.localdate()}),
        "outcome_form": ReferralOutcomeForm(prefix="outcome", initial={"on": timezone.localdate()}),
        "close_form": CloseForm(prefix="close"),
    }
    out.update(bound or {})
    return out


def _detail(
    request: HttpRequest, case: Case, private: bytes, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    try:
        view = services.read_case(case, by=request.user, private_key=private)
    except PermissionDenied as exc:
        return render(
            request, "whistleblowing/not_shared.html", {"nav": NAV, "case": case, "reason": str(exc)}, status=403
        )
    return render(
        request,
        "whistleblowing/case_detail.html",
        {"nav": NAV, "view": view, "case": case, "now": timezone.now(), **_forms(bound)},
        status=status,
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    private = _private_or_redirect(request)
    if isinstance(private, HttpResponse):
        return private
    return _detail(request, case, private)


ACTIONS: dict[str, tuple[type[djforms.Form], str, Callable[..., Any]]] = {
    "message": (
        MessageForm,
        "message_form",
        lambda c, u, k, d: services.officer_message(c, by=u, private_key=k, body=d["body"]),
    ),
    "admissibility": (
        AdmissibilityForm,
        "admissibility_form",
        lambda c, u, k, d: services.decide_admissibility(c, by=u, private_key=k, admit=d["admit"], notes=d["notes"]),
    ),
    "protection": (
        ProtectionForm,
        "protection_form",
        lambda c, u, k, d: services.decide_protection(
            c,
            by=u,
            private_key=k,
            kind=d["kind"],
            granted=d["granted"],
            details=d["details"],
            justification=d["justification"],
        ),
    ),
    "step": (
        StepForm,
        "step_form",
        lambda c, u, k, d: services.add_step(
            c, by=u, private_key=k, kind=d["kind"], on=d["on"], notes=d["notes"], evidence=d.get("_evidence")
        ),
    ),
    "referral": (
        ReferralForm,
        "referral_form",
        lambda c, u, k, d: services.add_referral(
            c, by=u, private_key=k, body=d["body"], referred_on=d["referred_on"], reference=d["reference"]
        ),
    ),
    "close": (
        CloseForm,
        "close_form",
        lambda c, u, k, d: services.close_case(
            c, by=u, private_key=k, outcome=d["outcome"], conclusion=d["conclusion"]
        ),
    ),
}


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    private = _private_or_redirect(request)
    if isinstance(private, HttpResponse):
        return private
    form_class, name, run = ACTIONS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if "evidence" in form.fields:
            files = _inspect_all(form, "evidence")
            if files is None:
                return _detail(request, case, private, bound={name: form}, status=400)
            data["_evidence"] = files
        try:
            run(case, request.user, private, data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(reverse("whistleblowing:case_detail", args=[case.pk]) + f"#{action}")
    return _detail(request, case, private, bound={name: form}, status=400)


@login_required
@require_POST
def referral_outcome(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    referral = case.referrals.filter(pk=referral_pk).first()
    if referral is None:
        raise Http404
    private = _private_or_redirect(request)
    if isinstance(private, HttpResponse):
        return private
    form = ReferralOutcomeForm(request.POST, prefix="outcome")
    if form.is_valid():
        try:
            services.set_referral_outcome(
                referral,
                by=request.user,
                private_key=private,
                outcome=form.cleaned_data["outcome"],
                on=form.cleaned_data["on"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(reverse("whistleblowing:case_detail", args=[case.pk]) + "#referrals")
    return _detail(request, case, private, bound={"outcome_form": form}, status=400)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    private = _private_or_redirect(request)
    if isinstance(private, HttpResponse):
        return private
    meta, data = services.read_attachment(case, attachment_pk, by=request.user, private_key=private)
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(data, content_type=types.get(meta["kind"], "application/octet-stream"))
    safe = "".join(ch for ch in meta["name"] if ch.isalnum() or ch in "._-") or f"adjunto.{meta['kind']}"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Mesa de partes and the national platform: staff register a denuncia received elsewhere;
    the receipt is shown once, to hand over to the filer."""
    if not can_register_intake(request.user):
        raise Http404
    form = IntakeForm(request.POST or None, request.FILES or None, initial={"received_on": timezone.localdate()})
    if not is_member(request.user):
        channel_field: Any = form.fields["channel"]
        channel_field.choices = [(Case.Channel.DESK, Case.Channel.DESK.label)]
    if request.method == "POST" and form.is_valid():
        files = _inspect_all(form)
        if files is not None:
            data = form.cleaned_data
            received_at = None
            if data.get("received_on") and data["received_on"] != timezone.localdate():
                if data["received_on"] > timezone.localdate():
                    form.add_error("received_on", _("The date cannot be in the future."))
                else:
                    received_at = timezone.make_aware(datetime.datetime.combine(data["received_on"], datetime.time(9)))
            if not form.errors:
                try:
                    filed = services.file_case(
                        facts=data["facts"],
                        category=data["category"],
                        identity=form.identity(),
                        attachments=files,
                        protection_requested=data["protection_requested"],
                        channel=data["channel"],
                        pdud_number=data.get("pdud_number") or "",
                        by=request.user,
                        received_at=received_at,
                    )
                except ServiceError as exc:
                    add_service_error(form, exc)
                else:
                    return _receipt_page(request, filed, staff=True)
    status = 400 if form.is_bound else 200
    return render(request, "whistleblowing/intake.html", {"nav": NAV, "form": form}, status=status)


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    if not can_see_statistics(request.user):
        raise Http404
    return render(request, "whistleblowing/statistics.html", {"nav": NAV, "stats": selectors.statistics()})
