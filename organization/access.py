"""Organisation reference data is readable by every person with a role; it is maintained by the
reference editors (platform admin, SIG coordinator). A UT head may also update their own
site's contact details."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from accounts.roles import REFERENCE_EDITORS, Role
from core.access import get_or_404, get_scope
from organization.models import GlossaryTerm, LegalNorm, ManagementSystem, OrgUnit, Process, Site

SITE_CONTACT_FIELDS = ["address", "phone"]


def _readable(user: Any) -> bool:
    return bool(get_scope(user).roles)


def is_reference_editor(user: Any) -> bool:
    return bool(get_scope(user).central_roles & REFERENCE_EDITORS)


def _check(user: Any, write: bool) -> None:
    if not _readable(user):
        raise Http404
    if write and not is_reference_editor(user):
        raise PermissionDenied


def units_visible_to(user: Any) -> models.QuerySet[OrgUnit]:
    qs = OrgUnit.objects.select_related("parent", "site")
    return qs if _readable(user) else qs.none()


def sites_visible_to(user: Any) -> models.QuerySet[Site]:
    return Site.objects.all() if _readable(user) else Site.objects.none()


def processes_visible_to(user: Any) -> models.QuerySet[Process]:
    qs = Process.objects.select_related("parent", "owner_unit")
    return qs if _readable(user) else qs.none()


def systems_visible_to(user: Any) -> models.QuerySet[ManagementSystem]:
    qs = ManagementSystem.objects.select_related("edition__standard", "scope")
    return qs if _readable(user) else qs.none()


def legal_norms_visible_to(user: Any) -> models.QuerySet[LegalNorm]:
    return LegalNorm.objects.all() if _readable(user) else LegalNorm.objects.none()


def glossary_visible_to(user: Any) -> models.QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.all() if _readable(user) else GlossaryTerm.objects.none()


def get_unit_for_user(user: Any, pk: Any, write: bool = False) -> OrgUnit:
    _check(user, write)
    return get_or_404(units_visible_to(user), pk=pk)


def get_process_for_user(user: Any, pk: Any, write: bool = False) -> Process:
    _check(user, write)
    return get_or_404(processes_visible_to(user), pk=pk)


def get_system_for_user(user: Any, pk: Any, write: bool = False) -> ManagementSystem:
    _check(user, write)
    return get_or_404(systems_visible_to(user), pk=pk)


def get_legal_norm_for_user(user: Any, pk: Any, write: bool = False) -> LegalNorm:
    _check(user, write)
    return get_or_404(legal_norms_visible_to(user), pk=pk)


def get_glossary_term_for_user(user: Any, pk: Any, write: bool = False) -> GlossaryTerm:
    _check(user, write)
    return get_or_404(glossary_visible_to(user), pk=pk)


def site_editable_fields(user: Any, site: Site) -> list[str]:
    """Fields of `site` the user may change: all for reference editors, contact details for
    the head of that UT, none otherwise."""
    if is_reference_editor(user):
        return ["name", "department", "address", "phone", "is_demo", "is_active"]
    if get_scope(user).has_any([Role.UNIT_HEAD], site_id=site.pk) and not site.is_central:
        return list(SITE_CONTACT_FIELDS)
    return []


def get_site_for_user(user: Any, pk: Any, write: bool = False) -> Site:
    if not _readable(user):
        raise Http404
    site = get_or_404(sites_visible_to(user), pk=pk)
    if write and not site_editable_fields(user, site):
        raise PermissionDenied
    return site
