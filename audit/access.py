from typing import Any

from django.db import models

from accounts.roles import AUDIT_TRAIL_READERS
from audit.models import AuditEvent
from core.access import get_or_404, get_scope


def audit_events_visible_to(user: Any) -> models.QuerySet[AuditEvent]:
    """Central audit-trail readers see every entry; a reader confined to a UT sees that UT's."""
    scope = get_scope(user)
    qs = AuditEvent.objects.select_related("site")
    if scope.central_roles & AUDIT_TRAIL_READERS:
        return qs
    sites = [sid for sid, roles in scope.site_roles.items() if roles & AUDIT_TRAIL_READERS]
    return qs.filter(site_id__in=sites) if sites else qs.none()


def get_audit_event_for_user(user: Any, pk: Any) -> AuditEvent:
    return get_or_404(audit_events_visible_to(user), pk=pk)
