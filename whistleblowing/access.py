"""Who may do what in the channel. Only the integrity function (Oficial de Integridad, role held
centrally) sees cases at all: anybody else, the platform administrator included, gets 404. Even a
member reads a case only with the case key sealed for their own unlocked key pair, so a role
alone opens nothing. Statistics without content are for management and the administrator."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404

from accounts.roles import Role
from core.access import get_or_404, get_scope
from whistleblowing.models import Case

MEMBERS = frozenset({Role.INTEGRITY_OFFICER})
STATISTICS_READERS = frozenset(
    {Role.INTEGRITY_OFFICER, Role.ADMIN, Role.DIRECTOR, Role.UPPM_HEAD, Role.SIG_COORDINATOR, Role.COMMITTEE}
)


def is_member(user: Any) -> bool:
    return bool(get_scope(user).central_roles & MEMBERS)


def require_member(user: Any) -> None:
    if not is_member(user):
        raise Http404


def can_see_statistics(user: Any) -> bool:
    return bool(get_scope(user).central_roles & STATISTICS_READERS)


def can_register_intake(user: Any) -> bool:
    """Anyone with a writing role may register a denuncia handed in at their desk (mesa de
    partes); once saved they cannot read it back."""
    return get_scope(user).can_write


def cases_visible_to(user: Any) -> models.QuerySet[Case]:
    return Case.objects.all() if is_member(user) else Case.objects.none()


def get_case_for_user(user: Any, pk: Any) -> Case:
    return get_or_404(cases_visible_to(user), pk=pk)


def member_users() -> models.QuerySet[Any]:
    """People holding the integrity role centrally today."""
    from accounts.models import RoleAssignment, User

    ids = (
        RoleAssignment.objects.active()
        .filter(role__in=MEMBERS)
        .filter(models.Q(site__isnull=True) | models.Q(site__is_central=True))
        .values_list("user_id", flat=True)
    )
    return User.objects.filter(pk__in=ids, is_active=True)
