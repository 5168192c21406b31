"""The catalogue is readable by every person with a role. The licensee's official text is
maintained by reference editors only."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from catalog.models import Edition, HarmonizedClause, Requirement, Standard
from core.access import get_or_404, get_scope
from organization.access import is_reference_editor


def _readable(user: Any) -> bool:
    return bool(get_scope(user).roles)


def standards_visible_to(user: Any) -> models.QuerySet[Standard]:
    return Standard.objects.all() if _readable(user) else Standard.objects.none()


def editions_visible_to(user: Any) -> models.QuerySet[Edition]:
    qs = Edition.objects.select_related("standard")
    return qs if _readable(user) else qs.none()


def requirements_visible_to(user: Any) -> models.QuerySet[Requirement]:
    qs = Requirement.objects.select_related("edition__standard", "hs_clause")
    return qs if _readable(user) else qs.none()


def hs_clauses_visible_to(user: Any) -> models.QuerySet[HarmonizedClause]:
    return HarmonizedClause.objects.all() if _readable(user) else HarmonizedClause.objects.none()


def get_edition_for_user(user: Any, pk: Any) -> Edition:
    return get_or_404(editions_visible_to(user), pk=pk)


def get_requirement_for_user(user: Any, pk: Any, write: bool = False) -> Requirement:
    req = get_or_404(requirements_visible_to(user), pk=pk)
    if write and not is_reference_editor(user):
        raise PermissionDenied
    return req


def require_readable(user: Any) -> None:
    if not _readable(user):
        raise Http404
