"""Committee sessions are visible to central roles (the Committee works at the Sede Central);
they are kept by the SIG coordinator (technical secretary), the UPPM head and the Director.
Acuerdos are action items: a UT sees the ones assigned to its site through actions.access."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.roles import Role
from committee.models import Session
from core.access import get_or_404, get_scope

SECRETARIES = frozenset({Role.SIG_COORDINATOR, Role.UPPM_HEAD, Role.DIRECTOR})


def sessions_visible_to(user: Any) -> models.QuerySet[Session]:
    scope = get_scope(user)
    return Session.objects.all() if scope.central_roles else Session.objects.none()


def can_manage_sessions(user: Any) -> bool:
    return bool(get_scope(user).central_roles & SECRETARIES)


def require_secretary(user: Any) -> None:
    """403 unless the user keeps the Committee's sessions."""
    if not can_manage_sessions(user):
        raise PermissionDenied


def get_session_for_user(user: Any, pk: Any, write: bool = False) -> Session:
    session = get_or_404(sessions_visible_to(user), pk=pk)
    if write and not can_manage_sessions(user):
        raise PermissionDenied
    return session


def committee_members() -> models.QuerySet[Any]:
    """People holding the Committee role (or the Director's) today."""
    from accounts.models import RoleAssignment, User

    ids = (
        RoleAssignment.objects.active()
        .filter(role__in=[Role.COMMITTEE, Role.DIRECTOR])
        .values_list("user_id", flat=True)
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name")
