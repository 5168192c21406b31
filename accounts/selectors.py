from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.models import RoleAssignment, User


def access_review_rows() -> list[dict[str, Any]]:
    """Every active role assignment with its holder's last login, for the periodic access review."""
    out = []
    qs = RoleAssignment.objects.active().select_related("user", "site", "unit").order_by("user__username", "role")
    for a in qs:
        last = a.user.last_login
        out.append(
            {
                "username": a.user.username,
                "user_id": a.user_id,
                "name": a.user.get_full_name(),
                "active": "sí" if a.user.is_active else "no",
                "is_active": a.user.is_active,
                "role": a.get_role_display(),
                "site": a.site.name if a.site else "",
                "unit": a.unit.code if a.unit else "",
                "valid_from": a.valid_from.strftime("%d/%m/%Y"),
                "valid_until": a.valid_until.strftime("%d/%m/%Y") if a.valid_until else "",
                "last_login": timezone.localtime(last).strftime("%d/%m/%Y %H:%M") if last else "",
            }
        )
    return out


def holders(roles: Iterable[str], site_id: int | None = None) -> QuerySet[User]:
    """Active people holding one of `roles` today, centrally or (with `site_id`) at that site:
    who to notify for a step, a reminder or an escalation."""
    from django.db.models import Q

    ids = RoleAssignment.objects.active().filter(role__in=list(roles))
    where = Q(site__isnull=True) | Q(site__is_central=True)
    if site_id is not None:
        where |= Q(site_id=site_id)
    return User.objects.filter(pk__in=ids.filter(where).values("user_id"), is_active=True)


def list_columns(qs: QuerySet[User]) -> QuerySet[User]:
    """`qs` (people_visible_to, filtered) reading only what a row of the people list shows
    (accounts.rows): the person's names, position, status and site name; their active roles with
    the site's name and whether it is the Sede Central. Building the page's ~250 model objects
    with every column cost more than its SQL (issue 10)."""
    roles = (
        RoleAssignment.objects.active().select_related("site").only("user", "role", "site__name", "site__is_central")
    )
    return (
        qs.select_related(None)
        .select_related("site")
        .prefetch_related(None)
        .prefetch_related(Prefetch("role_assignments", queryset=roles, to_attr="active_roles"))
        .only("username", "first_name", "last_name", "position", "is_active", "site__name")
    )
