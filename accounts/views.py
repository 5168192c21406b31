import math
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import services
from accounts.access import (
    account_authority,
    can_manage_accounts,
    can_review_access,
    get_assignment_for_user,
    get_person_for_user,
    get_token_for_user,
    people_visible_to,
    tokens_visible_to,
)
from accounts.forms import (
    LinkPasswordForm,
    LoginForm,
    OwnPasswordForm,
    PasswordLinkRequestForm,
    PersonEditForm,
    PersonForm,
    RoleAssignmentForm,
)
from accounts.models import RoleAssignment, User
from accounts.rows import PersonRowWriter
from accounts.selectors import access_review_rows, list_columns
from audit.models import AuditEvent
from audit.services import Subject, record, record_read
from core.access import require_roles
from core.exports import xlsx_response
from core.http import page_or_partial
from core.middleware import client_ip
from core.pagination import CappedPaginator

PAGE_SIZE = 50


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = LoginForm(request, data=request.POST or None)
    status = 200
    blocked = ""
    retry_after = 0
    if request.method == "POST":
        # One normalisation before throttling and authentication (the form cleans the same way).
        username = services.normalize_username(request.POST.get("username", ""))
        ip = client_ip(request)
        throttle = services.login_throttle(username, ip)
        if throttle.blocked:
            form = LoginForm(request, initial={"username": username})
            retry_after = throttle.retry_after
            minutes = max(1, math.ceil(retry_after / 60))
            blocked = ngettext(
                "Too many failed attempts. Wait %(minutes)s minute and try again.",
                "Too many failed attempts. Wait %(minutes)s minutes and try again.",
                minutes,
            ) % {"minutes": minutes}
            status = 429
        elif form.is_valid():
            services.clear_login_failures(username, ip)
            login(request, form.get_user())
            return HttpResponseRedirect(next_url or reverse("core:dashboard"))
        else:
            services.register_login_failure(username, ip)
            status = 400
    response = render(
        request, "accounts/login.html", {"form": form, "next": next_url, "blocked": blocked}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    qs = people_visible_to(request.user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(last_name__icontains=q) | qs.filter(first_name__icontains=q) | qs.filter(username__icontains=q)
    if request.GET.get("inactive") != "1":
        qs = qs.filter(is_active=True)
    qs = list_columns(qs).order_by("last_name", "first_name", "pk")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_or_partial(
        request,
        "accounts/person_list.html",
        "accounts/_person_rows.html",
        {
            "page": page,
            "rows": PersonRowWriter().rows(page),
            "q": q,
            "nav": "people",
            "can_manage": can_manage_accounts(request.user),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    assignments = (
        RoleAssignment.objects.filter(user=person).select_related("site", "unit").order_by("-revoked_at", "role")
    )
    authority = account_authority(request.user)
    ctx: dict[str, Any] = {
        "person": person,
        "assignments": assignments,
        "nav": "people",
        "can_manage": authority.manages_person(person),
    }
    if ctx["can_manage"] and person.pk != request.user.pk:  # nobody assigns their own roles
        ctx["role_form"] = RoleAssignmentForm(
            authority=authority, initial={"site": person.site_id, "unit": person.unit_id}
        )
    return render(request, "accounts/person_detail.html", ctx)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require_roles(request.user, ["admin"])
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.create_person(data=form.cleaned_data, by=request.user)
        messages.success(request, _("Person created."))
        return redirect(person)
    status = 400 if form.is_bound else 200
    return render(request, "accounts/person_form.html", {"form": form, "nav": "people"}, status=status)


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = PersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.update_person(person, data=form.cleaned_data, by=request.user)
        messages.success(request, _("Changes saved."))
        return redirect(person)
    person.refresh_from_db()
    status = 400 if form.is_bound else 200
    return render(
        request, "accounts/person_form.html", {"form": form, "person": person, "nav": "people"}, status=status
    )


@login_required
@require_POST
def role_assign(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = RoleAssignmentForm(request.POST, authority=account_authority(request.user))
    if form.is_valid():
        try:
            services.assign_role(user=person, by=request.user, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Role assigned."))
            return redirect(person)
    assignments = RoleAssignment.objects.filter(user=person).select_related("site", "unit")
    return render(
        request,
        "accounts/person_detail.html",
        {"person": person, "assignments": assignments, "role_form": form, "can_manage": True, "nav": "people"},
        status=400,
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_assignment_for_user(request.user, pk)
    try:
        services.revoke_role(assignment, by=request.user)
        messages.success(request, _("Role revoked."))
    except services.ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(assignment.user)
    return redirect(assignment.user)


@login_required
@require_POST
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    try:
        if request.POST.get("active") == "1":
            services.reactivate_user(person, by=request.user)
            messages.success(request, _("Account reactivated."))
        else:
            services.deactivate_user(person, by=request.user)
            messages.success(request, _("Account deactivated."))
    except services.ServiceError as exc:
        messages.error(request, exc.message)
        response = render(
            request,
            "accounts/person_detail.html",
            {
                "person": person,
                "assignments": RoleAssignment.objects.filter(user=person),
                "can_manage": True,
                "nav": "people",
            },
            status=400,
        )
        return response
    return redirect(person)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """Your API tokens (and, for an administrator, those of the people they manage)."""
    qs = tokens_visible_to(request.user)
    person = _int(request.GET.get("persona"))
    if person is not None:
        qs = qs.filter(user_id=person)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/token_list.html", {"page": page, "now": timezone.now(), "nav": "people"})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_token_for_user(request.user, pk)
    try:
        services.revoke_token(token, by=request.user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token revoked: it no longer works."))
    return redirect("accounts:token_list")


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@login_required
def access_review(request: HttpRequest) -> HttpResponse:
    if not can_review_access(request.user):
        raise Http404
    rows = access_review_rows()
    if request.GET.get("format") == "xlsx":
        with transaction.atomic():
            record(
                actor=request.user,
                action=AuditEvent.Action.EXPORT,
                obj=Subject("accounts.roleassignment", "", "Access review export"),
                changes={"format": "xlsx", "rows": len(rows)},
            )
        return xlsx_response(
            "revision-accesos.xlsx",
            "Revisión de accesos",
            ACCESS_REVIEW_HEADER,
            (
                [
                    r["username"],
                    r["name"],
                    r["active"],
                    r["role"],
                    r["site"],
                    r["unit"],
                    r["valid_from"],
                    r["valid_until"],
                    r["last_login"],
                ]
                for r in rows
            ),
        )
    record_read(request.user, Subject("accounts.roleassignment", "", "Access review"), "access_review", rows=len(rows))
    return render(request, "accounts/access_review.html", {"rows": rows, "nav": "people"})


ACCESS_REVIEW_HEADER = ["usuario", "nombre", "activo", "rol", "sede", "unidad", "desde", "hasta", "último acceso"]


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """The person changes their own password, knowing the current one."""
    me = cast(User, request.user)
    form = OwnPasswordForm(me, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(me, old=form.cleaned_data["old_password"], new=form.cleaned_data["new_password1"])
        except services.ServiceError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            update_session_auth_hash(request, me)  # this session stays; the others end
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:person_detail", me.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form, "nav": "people"}, status=status)


def password_forgotten(request: HttpRequest) -> HttpResponse:
    """Ask for a link to set a new password. The answer is the same whether or not the name or
    address belongs to an account (nobody learns who has one here)."""
    form = PasswordLinkRequestForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_password_link(form.cleaned_data["identifier"])
        return render(request, "accounts/password_forgotten.html", {"sent": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_forgotten.html", {"form": form}, status=status)


def password_set(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page a single-use link opens: the new password twice."""
    user = services.user_for_password_link(uidb64, token)
    if user is None:
        return render(request, "accounts/password_set.html", {"invalid": True}, status=400)
    form = LinkPasswordForm(user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password_with_link(uidb64, token, new=form.cleaned_data["new_password1"])
        except services.ServiceError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, _("Your password is set: log in with it."))
            return redirect("accounts:login")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_set.html", {"form": form, "person": user}, status=status)


@login_required
@require_POST
def person_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator e-mails the person a link to set their password."""
    person = get_person_for_user(request.user, pk, write=True)
    try:
        services.send_password_link(person, by=request.user)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("A link to set the password was sent to %(email)s.") % {"email": person.email})
    return redirect(person)
