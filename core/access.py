"""Access by role and by unit, shared by every area.

`get_scope(user)` reads the user's active role assignments once per request. A role held at
the Sede Central (or with no site) is *central* and sees every site; a role held at a
territorial unit sees only that UT. Each area builds on this with one access helper per object
type (`get_<thing>_for_user`, 404 when not visible, 403 on a forbidden write) and one scoping
function per list (`<things>_visible_to`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from accounts.roles import Role

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class UserScope:
    central_roles: frozenset[str] = frozenset()
    site_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    authenticated: bool = False

    @property
    def roles(self) -> frozenset[str]:
        out = set(self.central_roles)
        for roles in self.site_roles.values():
            out |= roles
        return frozenset(out)

    @property
    def all_sites(self) -> bool:
        """Central roles see every site's records."""
        return bool(self.central_roles)

    @property
    def site_ids(self) -> frozenset[int]:
        return frozenset(self.site_roles)

    def has_any(self, roles: Iterable[str], site_id: int | None = None) -> bool:
        wanted = set(roles)
        if wanted & self.central_roles:
            return True
        if site_id is None:
            return any(wanted & r for r in self.site_roles.values())
        return bool(wanted & self.site_roles.get(site_id, frozenset()))

    def can_see_site(self, site_id: int | None) -> bool:
        if self.all_sites:
            return True
        return site_id is not None and site_id in self.site_roles

    def can_write_site(self, site_id: int | None) -> bool:
        writers = {r for r in self.central_roles if Role(r).can_write}
        if writers:
            return True
        if site_id is None:
            return False
        return any(Role(r).can_write for r in self.site_roles.get(site_id, frozenset()))

    @property
    def can_write(self) -> bool:
        return any(Role(r).can_write for r in self.roles)


ANONYMOUS = UserScope()


def get_scope(user: Any) -> UserScope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_sig_scope", None)
    if cached is not None:
        return cached
    from accounts.models import RoleAssignment

    central: set[str] = set()
    per_site: dict[int, set[str]] = {}
    rows = RoleAssignment.objects.active().filter(user=user).values_list("role", "site_id", "site__is_central")
    for role, site_id, site_central in rows:
        if site_id is None or site_central:
            central.add(role)
        else:
            per_site.setdefault(site_id, set()).add(role)
    scope = UserScope(
        central_roles=frozenset(central),
        site_roles={k: frozenset(v) for k, v in per_site.items()},
        authenticated=True,
    )
    user._sig_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Call after changing a user's role assignments within the same request."""
    if hasattr(user, "_sig_scope"):
        del user._sig_scope


def scope_by_site(qs: models.QuerySet[M], user: Any, site_field: str = "site") -> models.QuerySet[M]:
    """Records with a site: central roles see all, UT roles their own UT(s), others nothing."""
    scope = get_scope(user)
    if not scope.authenticated or not scope.roles:
        return qs.none()
    if scope.all_sites:
        return qs
    return qs.filter(**{f"{site_field}__in": scope.site_ids})


def require_roles(user: Any, roles: Iterable[str], site_id: int | None = None) -> None:
    """403 unless the user holds one of `roles` (centrally, or at `site_id`)."""
    if not get_scope(user).has_any(roles, site_id):
        raise PermissionDenied


def require_visible_roles(user: Any, roles: Iterable[str]) -> None:
    """404 (not 403) for pages whose very existence is restricted to some roles."""
    if not get_scope(user).has_any(roles):
        raise Http404


def get_or_404(qs: models.QuerySet[M], **lookup: Any) -> M:
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
