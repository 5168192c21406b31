"""Supervisions are seen by central roles and by the head of the supervised UT (404 for the
others); they are kept by the Coordinador/a Técnico/a and the SIG coordinator."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.roles import Role
from core.access import get_or_404, get_scope, scope_by_site
from supervisions.models import Supervision

MANAGERS = frozenset({Role.TECH_COORDINATOR, Role.SIG_COORDINATOR})


def supervisions_visible_to(user: Any) -> models.QuerySet[Supervision]:
    return scope_by_site(Supervision.objects.all(), user)


def get_supervision_for_user(user: Any, pk: Any) -> Supervision:
    return get_or_404(supervisions_visible_to(user).select_related("site"), pk=pk)


def is_manager(user: Any) -> bool:
    scope = get_scope(user)
    return any(Role(r).can_write for r in scope.central_roles & MANAGERS)


def require_manager(user: Any) -> None:
    if not is_manager(user):
        raise PermissionDenied
