"""Who may see and manage people and their roles."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch

from accounts.models import RoleAssignment, User
from accounts.roles import ACCESS_REVIEWERS, ACCOUNT_MANAGERS
from core.access import get_or_404, get_scope


def people_visible_to(user: Any) -> models.QuerySet[User]:
    """Central roles see everyone; a UT role sees the people whose home site is that UT."""
    scope = get_scope(user)
    qs = User.objects.select_related("site", "unit").prefetch_related(
        Prefetch(
            "role_assignments", queryset=RoleAssignment.objects.active().select_related("site"), to_attr="active_roles"
        )
    )
    if not scope.roles:
        return qs.none()
    if scope.all_sites:
        return qs
    return qs.filter(site_id__in=scope.site_ids)


def get_person_for_user(user: Any, pk: Any, write: bool = False) -> User:
    person = get_or_404(people_visible_to(user), pk=pk)
    if write and not get_scope(user).has_any(ACCOUNT_MANAGERS):
        raise PermissionDenied
    return person


def can_manage_accounts(user: Any) -> bool:
    return get_scope(user).has_any(ACCOUNT_MANAGERS)


def can_review_access(user: Any) -> bool:
    return bool(get_scope(user).central_roles & ACCESS_REVIEWERS)


def get_assignment_for_user(user: Any, pk: Any) -> RoleAssignment:
    assignment = get_or_404(RoleAssignment.objects.select_related("user", "site"), pk=pk)
    get_person_for_user(user, assignment.user_id, write=True)
    return assignment
