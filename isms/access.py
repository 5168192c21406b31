"""Who sees and keeps the SGSI's records. The Oficial de Seguridad de la Información owns the
ISMS views (assets, SoA, incident handling); other central roles read them; the SGSI's scope
is the Sede Central, so a UT role does not see assets or the SoA (404). Anyone with a role
reports an incident and sees the incidents they reported; a UT head also sees their UT's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from accounts.roles import Role
from core.access import get_or_404, get_scope
from isms.models import Asset, Incident, Soa

OWNERS = frozenset({Role.SECURITY_OFFICER})


def reads_isms(user: Any) -> bool:
    return bool(get_scope(user).central_roles)


def require_reader(user: Any) -> None:
    if not reads_isms(user):
        raise Http404


def keeps_isms(user: Any) -> bool:
    scope = get_scope(user)
    return bool(scope.central_roles & OWNERS) and scope.can_write


def require_keeper(user: Any) -> None:
    require_reader(user)
    if not keeps_isms(user):
        raise PermissionDenied


def assets_visible_to(user: Any) -> models.QuerySet[Asset]:
    return Asset.objects.all() if reads_isms(user) else Asset.objects.none()


def soas_visible_to(user: Any) -> models.QuerySet[Soa]:
    return Soa.objects.all() if reads_isms(user) else Soa.objects.none()


def incidents_visible_to(user: Any) -> models.QuerySet[Incident]:
    scope = get_scope(user)
    if not scope.roles:
        return Incident.objects.none()
    if scope.central_roles:
        return Incident.objects.all()
    heads = [site for site, roles in scope.site_roles.items() if Role.UNIT_HEAD in roles]
    return Incident.objects.filter(Q(reported_by=user) | Q(site_id__in=heads))


def get_asset_for_user(user: Any, pk: Any) -> Asset:
    return get_or_404(assets_visible_to(user), pk=pk)


def get_soa_for_user(user: Any, pk: Any) -> Soa:
    return get_or_404(soas_visible_to(user).select_related("edition"), pk=pk)


def get_incident_for_user(user: Any, pk: Any) -> Incident:
    return get_or_404(incidents_visible_to(user).select_related("site", "reported_by"), pk=pk)
