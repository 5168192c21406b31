from typing import Any

from django.utils import timezone

from accounts.models import RoleAssignment


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
