"""Who sees and keeps risks. Central roles see every risk; a UT role sees its UT's risks;
anyone else sees none (404). Risk managers (central, writing) keep every risk; a UT head keeps
the risks of their UT; the owner of a risk evaluates it and accepts its residual risk. Methods
are kept by the SIG coordinator; the control catalogue by the risk managers. Readers and
auditors read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.roles import Role
from core.access import get_or_404, get_scope, scope_by_site
from risks.models import Control, Risk, RiskMethod

RISK_MANAGERS = frozenset(
    {
        Role.SIG_COORDINATOR,
        Role.UPPM_HEAD,
        Role.DIRECTOR,
        Role.TECH_COORDINATOR,
        Role.INTEGRITY_OFFICER,
        Role.SECURITY_OFFICER,
    }
)
METHOD_KEEPERS = frozenset({Role.SIG_COORDINATOR, Role.ADMIN})


def risks_visible_to(user: Any) -> models.QuerySet[Risk]:
    return scope_by_site(Risk.objects.all(), user)


def is_manager(user: Any) -> bool:
    scope = get_scope(user)
    return bool(scope.central_roles & RISK_MANAGERS) and scope.can_write


def is_site_head(user: Any, site_id: int | None) -> bool:
    scope = get_scope(user)
    return site_id is not None and Role.UNIT_HEAD in scope.site_roles.get(site_id, frozenset())


def can_register_risks(user: Any) -> bool:
    scope = get_scope(user)
    return is_manager(user) or any(Role.UNIT_HEAD in roles for roles in scope.site_roles.values())


def can_edit_risk(user: Any, risk: Risk) -> bool:
    if is_manager(user) or is_site_head(user, risk.site_id):
        return True
    return risk.owner_id == getattr(user, "pk", None) and get_scope(user).can_write_site(risk.site_id)


def writable_site_ids(user: Any) -> frozenset[int] | None:
    """The sites where the user may register risks; None means all of them."""
    if is_manager(user):
        return None
    scope = get_scope(user)
    return frozenset(site for site, roles in scope.site_roles.items() if Role.UNIT_HEAD in roles)


def get_risk_for_user(user: Any, pk: Any, write: bool = False) -> Risk:
    risk = get_or_404(risks_visible_to(user).select_related("method", "site", "process", "owner"), pk=pk)
    if write and not can_edit_risk(user, risk):
        raise PermissionDenied
    return risk


def methods_visible_to(user: Any) -> models.QuerySet[RiskMethod]:
    return RiskMethod.objects.all() if get_scope(user).roles else RiskMethod.objects.none()


def can_keep_methods(user: Any) -> bool:
    scope = get_scope(user)
    return bool(scope.central_roles & METHOD_KEEPERS) and scope.can_write


def get_method_for_user(user: Any, pk: Any) -> RiskMethod:
    return get_or_404(methods_visible_to(user), pk=pk)


def controls_visible_to(user: Any) -> models.QuerySet[Control]:
    return Control.objects.all() if get_scope(user).roles else Control.objects.none()


def can_keep_controls(user: Any) -> bool:
    return is_manager(user)
