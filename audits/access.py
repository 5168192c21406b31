"""Who sees and keeps audits. The audit programme is a central matter: central roles see it,
the SIG coordinator, the UPPM head and the Director keep it (plan audits, name teams). An audit
is seen by central roles other than auditors, by the auditors on its team, and by the heads of
the UTs it visits; a finding by those who see its audit, a UT head only her UT's findings.
Team members keep the checklist and the findings; the head of the finding's UT answers it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from accounts.roles import Role
from audits.models import Audit, AuditProgramme, Finding
from core.access import get_or_404, get_scope

MANAGERS = frozenset({Role.SIG_COORDINATOR, Role.UPPM_HEAD, Role.DIRECTOR})


def sees_all(user: Any) -> bool:
    """Central roles other than the auditor's see every audit."""
    return bool(get_scope(user).central_roles - {Role.AUDITOR})


def is_manager(user: Any) -> bool:
    scope = get_scope(user)
    return any(Role(r).can_write for r in scope.central_roles & MANAGERS)


def programmes_visible_to(user: Any) -> models.QuerySet[AuditProgramme]:
    return AuditProgramme.objects.all() if get_scope(user).central_roles else AuditProgramme.objects.none()


def audits_visible_to(user: Any) -> models.QuerySet[Audit]:
    scope = get_scope(user)
    if not scope.roles:
        return Audit.objects.none()
    if sees_all(user):
        return Audit.objects.all()
    mine = Audit.objects.filter(Q(team=user) | Q(sites__in=scope.site_ids)).values("pk")
    return Audit.objects.filter(pk__in=mine)


def findings_visible_to(user: Any) -> models.QuerySet[Finding]:
    scope = get_scope(user)
    if not scope.roles:
        return Finding.objects.none()
    if sees_all(user):
        return Finding.objects.all()
    return Finding.objects.filter(
        Q(audit__in=Audit.objects.filter(team=user).values("pk")) | Q(site__in=scope.site_ids)
    )


def get_programme_for_user(user: Any, pk: Any) -> AuditProgramme:
    return get_or_404(programmes_visible_to(user), pk=pk)


def get_audit_for_user(user: Any, pk: Any) -> Audit:
    return get_or_404(audits_visible_to(user).select_related("programme", "lead"), pk=pk)


def get_finding_for_user(user: Any, pk: Any) -> Finding:
    return get_or_404(findings_visible_to(user).select_related("audit", "grade", "site", "process"), pk=pk)


def is_team_member(user: Any, audit: Audit) -> bool:
    if not get_scope(user).can_write:
        return False
    pk = getattr(user, "pk", None)
    return pk is not None and (audit.lead_id == pk or audit.team.filter(pk=pk).exists())


def can_audit(user: Any, audit: Audit) -> bool:
    """Team members fill the checklist and record findings; managers may too."""
    return is_team_member(user, audit) or is_manager(user)


def require_manager(user: Any) -> None:
    if not get_scope(user).central_roles:
        raise Http404
    if not is_manager(user):
        raise PermissionDenied


def can_respond(user: Any, finding: Finding) -> bool:
    """The head of the finding's UT, or a manager for the Sede Central."""
    scope = get_scope(user)
    if Role.UNIT_HEAD in scope.site_roles.get(finding.site_id, frozenset()) and scope.can_write_site(finding.site_id):
        return True
    return is_manager(user)
