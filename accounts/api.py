"""People and their role assignments over the API. Same scoping (accounts.access) and services
(accounts.services) as the pages: a UT head sees only their UT's people; only account managers
assign and revoke roles."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from accounts import services
from accounts.access import (
    get_assignment_for_user,
    get_person_for_user,
    get_token_for_user,
    people_visible_to,
    tokens_visible_to,
)
from accounts.models import ApiToken, RoleAssignment, User
from accounts.roles import Role
from core.api_helpers import PageIn, PageOut, QueryIn, StrictIn, choices_schema, page, resolve_fk
from organization.models import OrgUnit, Site

router = Router(tags=["people"])
RoleName = Annotated[Role, choices_schema(Role, "RoleName")]


class ActiveRoleOut(Schema):
    id: int
    role: RoleName
    role_label: str
    site_id: int | None
    site_code: str | None
    unit_id: int | None
    valid_from: datetime.date
    valid_until: datetime.date | None

    @staticmethod
    def resolve_role_label(obj: RoleAssignment) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_site_code(obj: RoleAssignment) -> str | None:
        return obj.site.code if obj.site else None


class RoleAssignmentOut(ActiveRoleOut):
    user_id: int
    unit_code: str | None
    note: str
    revoked_at: datetime.datetime | None
    is_active: bool

    @staticmethod
    def resolve_unit_code(obj: RoleAssignment) -> str | None:
        return obj.unit.code if obj.unit else None

    @staticmethod
    def resolve_is_active(obj: RoleAssignment) -> bool:
        return obj.is_active_on(timezone.localdate())


class PersonOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    full_name: str
    email: str
    position: str
    site_id: int | None
    site_code: str | None
    unit_id: int | None
    unit_code: str | None
    is_active: bool
    roles: list[ActiveRoleOut] = Field(..., description="Role assignments in force today.")

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()

    @staticmethod
    def resolve_site_code(obj: User) -> str | None:
        return obj.site.code if obj.site else None

    @staticmethod
    def resolve_unit_code(obj: User) -> str | None:
        return obj.unit.code if obj.unit else None

    @staticmethod
    def resolve_roles(obj: Any) -> list[RoleAssignment]:
        return list(obj.active_roles)


class PersonPage(PageOut):
    items: list[PersonOut]


class PersonDetailOut(PersonOut):
    assignments: list[RoleAssignmentOut] = Field(..., description="Every role assignment, revoked ones included.")


class PersonFilter(QueryIn):
    q: str | None = Field(None, max_length=100, description="Part of the name or username.")
    inactive: bool = Field(False, description="Include deactivated accounts.")


class RoleAssignIn(StrictIn):
    role: RoleName
    site: StrictInt = Field(..., description="Id of the site; a UT confines the role to that UT.")
    unit: StrictInt | None = Field(None, description="Id of the organic unit, or null.")
    valid_from: datetime.date
    valid_until: datetime.date | None = None
    note: str = Field("", max_length=300)


@router.get("/people", response=PersonPage, summary="People visible to you, with their roles in force")
def person_list(request: HttpRequest, filters: Query[PersonFilter], paging: Query[PageIn]) -> dict[str, Any]:
    qs = people_visible_to(request.user)
    if filters.q:
        qs = qs.filter(
            Q(last_name__icontains=filters.q) | Q(first_name__icontains=filters.q) | Q(username__icontains=filters.q)
        )
    if not filters.inactive:
        qs = qs.filter(is_active=True)
    return page(qs.order_by("last_name", "first_name", "pk"), paging)


def _detail(person: User) -> User:
    person.assignments = list(  # type: ignore[attr-defined]
        RoleAssignment.objects.filter(user=person).select_related("site", "unit").order_by("-revoked_at", "role", "pk")
    )
    return person


@router.get("/people/{pk}", response=PersonDetailOut, summary="One person and all their role assignments")
def person_detail(request: HttpRequest, pk: int) -> User:
    return _detail(get_person_for_user(request.user, pk))


@router.post("/people/{pk}/roles", response={201: RoleAssignmentOut}, summary="Assign a role (account managers)")
def role_assign(request: HttpRequest, pk: int, payload: RoleAssignIn) -> Status[RoleAssignment]:
    person = get_person_for_user(request.user, pk, write=True)
    data = payload.model_dump()
    # The same choices as the page's form: active sites and units only.
    data["site"] = resolve_fk(Site.objects.filter(is_active=True), data["site"], "site")
    data["unit"] = resolve_fk(OrgUnit.objects.filter(is_active=True), data["unit"], "unit")
    return Status(201, services.assign_role(user=person, by=request.user, **data))


@router.post("/roles/{pk}/revoke", response=RoleAssignmentOut, summary="Revoke a role assignment (account managers)")
def role_revoke(request: HttpRequest, pk: int) -> RoleAssignment:
    return services.revoke_role(get_assignment_for_user(request.user, pk), by=request.user)


# --- API tokens -----------------------------------------------------------------------------


class TokenOut(Schema):
    id: int
    user_id: int
    username: str
    prefix: str = Field(..., description="The first characters after sig_, to recognise the token.")
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    is_active: bool

    @staticmethod
    def resolve_username(obj: ApiToken) -> str:
        return obj.user.username

    @staticmethod
    def resolve_is_active(obj: ApiToken) -> bool:
        return obj.revoked_at is None and obj.expires_at > timezone.now() and obj.user.is_active


class TokenPage(PageOut):
    items: list[TokenOut]


class TokenFilter(QueryIn):
    user: int | None = Field(None, ge=1, le=2**63 - 1, description="Only the tokens of this person (id).")
    active: bool = Field(False, description="Only tokens that still work.")


@router.get("/tokens", response=TokenPage, summary="API tokens: your own, and an administrator's people's")
def token_list(request: HttpRequest, filters: Query[TokenFilter], paging: Query[PageIn]) -> dict[str, Any]:
    qs = tokens_visible_to(request.user)
    if filters.user is not None:
        qs = qs.filter(user_id=filters.user)
    if filters.active:
        qs = qs.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
    return page(qs, paging)


@router.post("/tokens/{pk}/revoke", response=TokenOut, summary="Revoke an API token (its owner or an administrator)")
def token_revoke(request: HttpRequest, pk: int) -> ApiToken:
    return services.revoke_token(get_token_for_user(request.user, pk), by=request.user)
