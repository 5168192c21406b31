from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from core.access import get_scope

router = Router(tags=["me"])


class RoleOut(Schema):
    role: str
    role_label: str
    site: str | None
    site_id: int | None
    unit: str | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    position: str
    site_id: int | None
    unit_id: int | None
    sees_all_sites: bool
    site_ids: list[int]
    roles: list[RoleOut]


@router.get("/me", response=MeOut, summary="The authenticated user, their roles and scope")
def me(request: HttpRequest) -> dict[str, Any]:
    from accounts.models import RoleAssignment

    user: Any = request.user
    scope = get_scope(user)
    roles = [
        {
            "role": a.role,
            "role_label": a.get_role_display(),
            "site": a.site.name if a.site else None,
            "site_id": a.site_id,
            "unit": a.unit.code if a.unit else None,
        }
        for a in RoleAssignment.objects.active().filter(user=user).select_related("site", "unit")
    ]
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "position": user.position,
        "site_id": user.site_id,
        "unit_id": user.unit_id,
        "sees_all_sites": scope.all_sites,
        "site_ids": sorted(scope.site_ids),
        "roles": roles,
    }
