"""Comité del SIG pages: members, sessions (attendance, agenda, minutes, acuerdos), the acta
PDF and the follow-up report of acuerdos. Thin: parse, authorise through committee.access,
call one service, render or redirect.

Sessions are seen by central roles only (anyone else: 404) and kept by the secretaries
(committee.access.can_manage_sessions; others: 403 on writes). Once the acta is closed the
session is read-only: every edit answers 400 with the reason and stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import RoleAssignment
from accounts.roles import Role
from actions.models import ActionItem
from actions.selectors import count_per_source
from actions.services import items_for
from committee import selectors, services
from committee.access import can_manage_sessions, committee_members, get_session_for_user, sessions_visible_to
from committee.forms import AgendaItemForm, AgreementForm, AttendanceForm, MinutesForm, SessionCreateForm, SessionForm
from committee.models import AgendaItem, Session
from committee.reports import AgreementFollowUp
from core.access import get_scope
from core.http import PDF, audited_download, form_on_page, save_form
from core.services import ServiceError

PAGE_SIZE = 50
NAV = "committee"


def _require_visible(user: Any) -> None:
    """The Committee's pages exist only for central roles (as its sessions do)."""
    if not get_scope(user).central_roles:
        raise Http404


def _closed_message() -> str:
    return _("The acta is closed; the session can no longer change.")


# --- members and sessions ----------------------------------------------------------------------


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    _require_visible(request.user)
    held = RoleAssignment.objects.active().filter(role__in=[Role.COMMITTEE, Role.DIRECTOR]).order_by("role")
    members = (
        committee_members()
        .select_related("unit")
        .prefetch_related(Prefetch("role_assignments", queryset=held, to_attr="committee_roles"))
    )
    return render(
        request,
        "committee/member_list.html",
        {"members": members, "nav": NAV, "can_manage": can_manage_sessions(request.user)},
    )


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    _require_visible(request.user)
    today = timezone.localdate()
    qs = sessions_visible_to(request.user).annotate(
        n_attendees=Count("attendees", distinct=True),
        n_agreements=count_per_source(Session, ActionItem.AGREEMENT),
        n_open=count_per_source(Session, ActionItem.AGREEMENT, open_only=True),
        n_overdue=count_per_source(Session, ActionItem.AGREEMENT, overdue_on=today),
    )
    page = Paginator(qs.order_by("-date", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committee/session_list.html",
        {
            "page": page,
            "nav": NAV,
            "can_manage": can_manage_sessions(request.user),
            "agreements_chart": selectors.agreements_chart(request.user, today),
        },
    )


def _save(
    request: HttpRequest,
    form: forms.Form,
    template: str,
    ctx: dict[str, Any],
    save: Callable[[dict[str, Any]], Any],
) -> HttpResponse:
    return save_form(request, form, save, template=template, context={**ctx, "nav": NAV})


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    _require_visible(request.user)
    if not can_manage_sessions(request.user):
        raise PermissionDenied
    form = SessionCreateForm(request.POST or None, initial={"kind": Session.Kind.ORDINARY})
    return _save(
        request,
        form,
        "committee/session_form.html",
        {},
        lambda data: services.create_session(data=data, by=request.user),
    )


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)
    ctx = {"session": session}
    if session.status == Session.Status.CLOSED:
        return render(
            request,
            "committee/session_form.html",
            {**ctx, "form": None, "error": _closed_message(), "nav": NAV},
            status=400 if request.method == "POST" else 200,
        )
    initial = {"number": session.number, "kind": session.kind, "date": session.date, "place": session.place}
    form = SessionForm(request.POST or None, initial=initial)
    return _save(
        request,
        form,
        "committee/session_form.html",
        ctx,
        lambda data: services.update_session(session, data=data, by=request.user),
    )


# --- session detail and its forms ------------------------------------------------------------


def _detail(
    request: HttpRequest,
    session: Session,
    *,
    status: int = 200,
    error: str = "",
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    """The session page. `bound` replaces one of the default forms with a form carrying errors."""
    manage = can_manage_sessions(request.user)
    is_open = session.status != Session.Status.CLOSED
    agenda = list(session.agenda.all())
    bound = dict(bound or {})
    bound_item = bound.pop("item_form", None)
    editing = manage and is_open
    ctx: dict[str, Any] = {
        "session": session,
        "nav": NAV,
        "today": timezone.localdate(),
        "quorum": selectors.quorum(session),
        "attendees": list(session.attendees.select_related("unit").order_by("last_name", "first_name")),
        "agreements": list(
            items_for(session).select_related("responsible", "responsible_unit").order_by("number", "pk")
        ),
        "change_requests": list(session.change_requests.select_related("plan").order_by("pk")),
        "can_manage": manage,
        "editing": editing,
        "error": error,
        "agenda": [
            (
                item,
                (
                    bound_item
                    if bound_item is not None and bound_item.prefix == f"item-{item.pk}"
                    else AgendaItemForm(prefix=f"item-{item.pk}", initial={"topic": item.topic, "notes": item.notes})
                )
                if editing
                else None,
            )
            for item in agenda
        ],
    }
    if editing:
        ctx.update(
            attendance_form=AttendanceForm(
                session=session,
                prefix="attendance",
                initial={"attendees": [u.pk for u in ctx["attendees"]], "guests": session.guests},
            ),
            agenda_form=AgendaItemForm(prefix="agenda"),
            minutes_form=MinutesForm(prefix="minutes", initial={"minutes": session.minutes}),
            agreement_form=AgreementForm(prefix="agreement"),
            close_errors=[],
        )
        ctx.update(bound)
    return render(request, "committee/session_detail.html", ctx, status=status)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_session_for_user(request.user, pk))


def _apply(
    request: HttpRequest,
    session: Session,
    form: forms.Form,
    name: str,
    save: Callable[[dict[str, Any]], Any],
    anchor: str,
) -> HttpResponse:
    """Common path of the session's POST forms: closed → 400; invalid → 400 with the form's
    errors; a refused service call → 400 with the reason on its field; else redirect."""
    if session.status == Session.Status.CLOSED:
        return _detail(request, session, status=400, error=_closed_message())
    return form_on_page(
        request,
        session,
        form,
        save,
        anchor=anchor,
        rerender=lambda: _detail(request, session, status=400, bound={name: form}),
    )


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)

    def save(data: dict[str, Any]) -> Session:
        with transaction.atomic():
            services.set_attendance(session, attendees=list(data["attendees"]), by=request.user)
            return services.update_session(session, data={"guests": data["guests"]}, by=request.user)

    form = AttendanceForm(request.POST, session=session, prefix="attendance")
    return _apply(request, session, form, "attendance_form", save, "attendance")


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)
    form = AgendaItemForm(request.POST, prefix="agenda")
    return _apply(
        request,
        session,
        form,
        "agenda_form",
        lambda d: services.add_agenda_item(session, topic=d["topic"], notes=d["notes"], by=request.user),
        "agenda",
    )


@login_required
@require_POST
def agenda_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)
    try:
        item = session.agenda.get(pk=item_pk)
    except (AgendaItem.DoesNotExist, ValueError):
        raise Http404 from None
    form = AgendaItemForm(request.POST, prefix=f"item-{item.pk}")
    return _apply(
        request,
        session,
        form,
        "item_form",
        lambda d: services.update_agenda_item(item, data=d, by=request.user),
        f"item-{item.pk}",
    )


@login_required
@require_POST
def session_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)
    form = MinutesForm(request.POST, prefix="minutes")
    return _apply(
        request,
        session,
        form,
        "minutes_form",
        lambda d: services.update_session(session, data={"minutes": d["minutes"]}, by=request.user),
        "minutes",
    )


@login_required
@require_POST
def agreement_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)
    form = AgreementForm(request.POST, prefix="agreement")
    return _apply(
        request,
        session,
        form,
        "agreement_form",
        lambda d: services.record_agreement(
            session,
            title=d["title"],
            responsible=d["responsible"],
            due_date=d["due_date"],
            evidence_required=d["evidence_required"],
            by=request.user,
        ),
        "agreements",
    )


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, write=True)
    if session.status == Session.Status.CLOSED:
        return _detail(request, session, status=400, error=_closed_message())
    try:
        services.close_acta(session, by=request.user)
    except ServiceError as exc:
        return _detail(request, session, status=400, bound={"close_errors": [exc.message]})
    messages.success(request, _("The acta is closed and its PDF generated."))
    return redirect(session)


@login_required
def acta_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The closed acta exactly as stored (what /verifica/ checks); an open session's acta is
    rendered on the fly as a draft (watermark, no verification code). Both downloads are in the
    audit trail."""
    from committee.acta import ActaReport

    session = get_session_for_user(request.user, pk)
    if session.status == Session.Status.CLOSED and session.acta_pdf:
        return audited_download(
            request,
            filename=f"acta-{session.number}.pdf",
            content_type=PDF,
            subject=session,
            file=session.acta_pdf.open("rb"),
            changes={"format": "pdf", "what": "acta", "sha256": session.acta_sha256},
        )
    return ActaReport(session).download(request, "pdf", changes={"what": "acta draft"})


# --- follow-up report of acuerdos --------------------------------------------------------------


@login_required
def agreement_report(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Seguimiento de acuerdos del Comité del SIG, as PDF (seed format) or XLSX."""
    _require_visible(request.user)
    report = AgreementFollowUp(request.user)
    return report.download(request, fmt, changes={"rows": len(report.rows())})
