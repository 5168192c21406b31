"""Who sees and keeps nonconformities. Central roles see every NC; a UT role sees its UT's (404
on the others). The SIG coordinator, the Technical Coordinator and the UPPM head keep every NC
and approve action plans; the head of the UT an NC belongs to keeps it (correction, analysis,
actions, execution). Effectiveness is verified by a verifier who owns none of its actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.roles import Role
from core.access import get_or_404, get_scope, scope_by_site
from nonconformities.models import Nonconformity

MANAGERS = frozenset({Role.SIG_COORDINATOR, Role.TECH_COORDINATOR, Role.UPPM_HEAD})
VERIFIERS = MANAGERS | {Role.AUDITOR}


def ncs_visible_to(user: Any) -> models.QuerySet[Nonconformity]:
    return scope_by_site(Nonconformity.objects.all(), user)


def get_nc_for_user(user: Any, pk: Any) -> Nonconformity:
    return get_or_404(ncs_visible_to(user).select_related("site", "unit", "process", "raised_by"), pk=pk)


def is_manager(user: Any, nc: Nonconformity | None = None) -> bool:
    scope = get_scope(user)
    return any(Role(r).can_write for r in scope.central_roles & MANAGERS)


def is_verifier(user: Any, nc: Nonconformity | None = None) -> bool:
    scope = get_scope(user)
    return any(Role(r).can_write for r in scope.central_roles & VERIFIERS)


def is_site_head(user: Any, nc: Nonconformity) -> bool:
    scope = get_scope(user)
    return Role.UNIT_HEAD in scope.site_roles.get(nc.site_id, frozenset()) and scope.can_write_site(nc.site_id)


def is_keeper(user: Any, nc: Nonconformity) -> bool:
    """Whoever carries the NC through its analysis and actions."""
    return is_manager(user, nc) or is_site_head(user, nc)


def can_raise(user: Any, site_id: int | None = None) -> bool:
    """Any writing role may raise an NC, at a site where it writes."""
    scope = get_scope(user)
    if site_id is None:
        return scope.can_write
    return scope.can_write_site(site_id)


def require_raise(user: Any, site_id: int) -> None:
    if not can_raise(user, site_id):
        raise PermissionDenied
