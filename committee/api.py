"""Comité del SIG over the API (/api/v1/committee/sessions/…): sessions with attendance, quorum,
agenda and acuerdos, and the closing of the acta. Same access helpers (committee.access) and
services (committee.services) as the pages: sessions exist only for central roles (404 for a UT
or a person without a role) and are kept by the Committee secretaries (403 for the others)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, StrictInt

from accounts.models import User
from actions.api import ActionItemOut, items_visible_to
from actions.models import ActionItem
from actions.services import items_for
from committee import selectors, services
from committee.access import can_manage_sessions, committee_members, get_session_for_user, sessions_visible_to
from committee.forms import MAX_TOPICS, responsible_choices
from committee.models import AgendaItem, Session
from core.access import get_or_404, get_scope
from core.api_helpers import PageIn, PageOut, QueryIn, StrictIn, choices_schema, field_error, page, resolve_fk
from organization.access import units_visible_to

router = Router(tags=["committee"])

TEXT = settings.SIG_MAX_TEXT
IDS = 500
SessionKind = Annotated[Session.Kind, choices_schema(Session.Kind, "SessionKind")]
SessionStatus = Annotated[Session.Status, choices_schema(Session.Status, "SessionStatus")]


def _aware(value: datetime.datetime) -> datetime.datetime:
    """A date and time without an offset is read in the platform's time zone (America/Lima)."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


AwareDateTime = Annotated[datetime.datetime, AfterValidator(_aware)]


# --- output schemas ---------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    number: str
    kind: SessionKind
    date: datetime.datetime
    place: str
    guests: str
    status: SessionStatus
    has_acta: bool = Field(..., description="Whether the acta is closed and its PDF stored.")
    acta_url: str = Field(..., description="The acta as PDF (a draft while the session is open).")
    acta_sha256: str
    acta_verification_code: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_has_acta(obj: Session) -> bool:
        return bool(obj.acta_pdf)

    @staticmethod
    def resolve_acta_url(obj: Session) -> str:
        return reverse("committee:acta_pdf", args=[obj.pk])


class SessionPage(PageOut):
    items: list[SessionOut]


class SessionAttendeeOut(Schema):
    id: int
    full_name: str
    position: str
    is_member: bool = Field(..., description="Holds the Committee role (or the Director's) today.")


class SessionQuorumOut(Schema):
    members: int
    present: int = Field(..., description="Members present.")
    reached: bool = Field(..., description="More than half of the members are present.")


class SessionAgendaItemOut(Schema):
    order: int
    topic: str
    notes: str


class SessionDetailOut(SessionOut):
    minutes: str
    attendees: list[SessionAttendeeOut]
    quorum: SessionQuorumOut
    agenda: list[SessionAgendaItemOut]
    agreements: list[ActionItemOut] = Field(..., description="The acuerdos of the session, followed up to closure.")
    change_request_ids: list[int] = Field(..., description="Plan change requests the session reviewed.")

    # `_session()` computes the rows below once per request.
    @staticmethod
    def resolve_attendees(obj: Any) -> list[dict[str, Any]]:
        return list(obj.attendee_rows)

    @staticmethod
    def resolve_quorum(obj: Any) -> dict[str, Any]:
        return dict(obj.quorum_row)

    @staticmethod
    def resolve_agreements(obj: Any) -> list[ActionItem]:
        return list(obj.agreement_rows)

    @staticmethod
    def resolve_change_request_ids(obj: Session) -> list[int]:
        return [cr.pk for cr in obj.change_requests.all()]


# --- input schemas ----------------------------------------------------------------------


class SessionFilter(QueryIn):
    kind: SessionKind | None = None
    status: SessionStatus | None = None
    year: int | None = Field(None, ge=1, le=9999)


class SessionIn(StrictIn):
    number: str = Field(..., min_length=1, max_length=30, description='e.g. "01-2020".')
    kind: SessionKind = Session.Kind.ORDINARY
    date: AwareDateTime = Field(..., description="Date and time (without an offset: Lima time).")
    place: str = Field("", max_length=200)
    guests: str = Field("", max_length=500)
    minutes: str = Field("", max_length=TEXT)
    agenda: list[Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        [], max_length=MAX_TOPICS, description="Topics of the agenda, in order."
    )


class SessionAttendanceIn(StrictIn):
    attendees: list[StrictInt] = Field(
        ..., max_length=IDS, description="Ids of the Committee members present (replaces the list)."
    )


class SessionAgreementIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=1000, description="What was agreed.")
    responsible: StrictInt = Field(..., description="Id of the person responsible (someone holding a role).")
    responsible_unit: StrictInt | None = Field(None, description="Id of the unit responsible (default the person's).")
    due_date: datetime.date | None = None


# --- helpers ----------------------------------------------------------------------------


def _require_sessions_readable(request: HttpRequest) -> None:
    """Sessions do not exist for a UT role or a person without a role (404)."""
    if not get_scope(request.user).central_roles:
        raise Http404


def _session(request: HttpRequest, pk: int) -> Session:
    """One session with what SessionDetailOut shows; 404 when the user may not see it."""
    session = get_or_404(
        sessions_visible_to(request.user).prefetch_related(
            Prefetch("attendees", queryset=User.objects.order_by("last_name", "first_name", "pk")),
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk")),
            "change_requests",
        ),
        pk=pk,
    )
    members = set(committee_members().values_list("pk", flat=True))
    session.attendee_rows = [  # type: ignore[attr-defined]
        {"id": u.pk, "full_name": u.get_full_name(), "position": u.position, "is_member": u.pk in members}
        for u in session.attendees.all()
    ]
    session.quorum_row = selectors.quorum(session)  # type: ignore[attr-defined]
    session.agreement_rows = list(  # type: ignore[attr-defined]
        items_for(session)
        .select_related("responsible", "responsible_unit", "site", "source_type")
        .order_by("number", "pk")
    )
    return session


def _resolve_many(qs: models.QuerySet[Any], ids: list[int], field: str) -> list[Any]:
    """The rows `ids` of `qs`, or a 422 naming `field` when one is missing."""
    wanted = set(ids)
    found = list(qs.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise field_error(field, _("No such record, or it is not available to you."), "not_found")
    return found


# --- sessions ---------------------------------------------------------------------------


@router.get("/committee/sessions", response=SessionPage, summary="Sessions of the Comité del SIG (central roles)")
def session_list(request: HttpRequest, filters: Query[SessionFilter], paging: Query[PageIn]) -> dict[str, Any]:
    _require_sessions_readable(request)
    qs: models.QuerySet[Session] = sessions_visible_to(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year is not None:
        qs = qs.filter(date__year=filters.year)
    return page(qs.order_by("-date", "-pk"), paging)


@router.post(
    "/committee/sessions", response={201: SessionDetailOut}, summary="Schedule a session (Committee secretaries)"
)
def session_create(request: HttpRequest, payload: SessionIn) -> Status[Session]:
    _require_sessions_readable(request)
    if not can_manage_sessions(request.user):
        raise PermissionDenied
    session = services.create_session(data=payload.model_dump(), by=request.user)
    return Status(201, _session(request, session.pk))


@router.get(
    "/committee/sessions/{pk}",
    response=SessionDetailOut,
    summary="One session with its attendees, quorum, agenda and acuerdos",
)
def session_detail(request: HttpRequest, pk: int) -> Session:
    return _session(request, pk)


@router.post(
    "/committee/sessions/{pk}/attendance",
    response=SessionDetailOut,
    summary="Record who attended (replaces the list; the session becomes held)",
)
def session_attendance(request: HttpRequest, pk: int, payload: SessionAttendanceIn) -> Session:
    session = get_session_for_user(request.user, pk, write=True)
    attendees = _resolve_many(committee_members(), payload.attendees, "attendees")
    services.set_attendance(session, attendees=attendees, by=request.user)
    return _session(request, pk)


@router.post(
    "/committee/sessions/{pk}/agreements",
    response={201: ActionItemOut},
    summary="Record an acuerdo of the session, with its responsible and due date",
)
def session_agreement(request: HttpRequest, pk: int, payload: SessionAgreementIn) -> Status[ActionItem]:
    session = get_session_for_user(request.user, pk, write=True)
    responsible = resolve_fk(responsible_choices(), payload.responsible, "responsible")
    unit = resolve_fk(
        units_visible_to(request.user).filter(is_active=True), payload.responsible_unit, "responsible_unit"
    )
    item = services.record_agreement(
        session,
        title=payload.title,
        responsible=responsible,
        responsible_unit=unit,
        due_date=payload.due_date,
        by=request.user,
    )
    return Status(201, get_or_404(items_visible_to(request.user), pk=item.pk))


@router.post(
    "/committee/sessions/{pk}/close",
    response=SessionDetailOut,
    summary="Close the acta: the session is frozen and its acta rendered as PDF",
)
def session_close(request: HttpRequest, pk: int) -> Session:
    session = get_session_for_user(request.user, pk, write=True)
    services.close_acta(session, by=request.user)
    return _session(request, pk)
