"""Who may see and manage people and their roles.

Authority over accounts follows the sites: an administrator at the Sede Central (a *central*
administrator) manages everyone and grants any role anywhere; an administrator at a territorial
unit manages only the people of that UT and grants only non-administrator roles at that UT.
Nobody assigns or revokes their own roles. accounts.services enforces this for the pages and the
API alike; the pages also use it to offer only the choices that will be accepted."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch

from accounts.models import ApiToken, RoleAssignment, User
from accounts.roles import ACCESS_REVIEWERS, ACCOUNT_MANAGERS, CENTRAL_GRANT_ONLY
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


@dataclass(frozen=True)
class AccountAuthority:
    """The sites whose people and roles `user` manages."""

    central: bool = False
    site_ids: frozenset[int] = frozenset()

    def manages_site(self, site: Any) -> bool:
        """May manage people whose home site (or roles at a site) is `site` (None: no site)."""
        if self.central:
            return True
        return site is not None and not site.is_central and site.pk in self.site_ids

    def manages_person(self, person: User) -> bool:
        return self.central or (person.site_id is not None and person.site_id in self.site_ids)

    def may_grant(self, role: str, site: Any) -> bool:
        """A role at a site: a central administrator grants anything; a UT administrator grants
        only the roles that are not reserved to central administrators, and only at their UT."""
        if self.central:
            return True
        return role not in CENTRAL_GRANT_ONLY and self.manages_site(site)


def account_authority(user: Any) -> AccountAuthority:
    scope = get_scope(user)
    return AccountAuthority(
        central=bool(scope.central_roles & ACCOUNT_MANAGERS),
        site_ids=frozenset(sid for sid, roles in scope.site_roles.items() if roles & ACCOUNT_MANAGERS),
    )


def tokens_visible_to(user: Any) -> models.QuerySet[ApiToken]:
    """A person's own API tokens; an administrator also those of the people they manage."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    qs = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    authority = account_authority(user)
    if authority.central:
        return qs
    if authority.site_ids:
        return qs.filter(models.Q(user=user) | models.Q(user__site_id__in=authority.site_ids))
    return qs.filter(user=user)


def get_token_for_user(user: Any, pk: Any) -> ApiToken:
    return get_or_404(tokens_visible_to(user), pk=pk)
