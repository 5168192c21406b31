"""Who sees and keeps the integrity registers. The integrity function (Oficial de Integridad)
and the SIG coordinator keep partners, key positions and due diligence; central roles see them,
a UT head sees their UT's (and the central ones with no site). Gifts and declarations: each
person registers and sees their own; the integrity function and the auditor see all; a gift
above the threshold is decided only by the integrity function, and nobody decides their own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from core.access import get_or_404, get_scope
from integrity.models import BusinessPartner, ConflictDeclaration, DueDiligence, Gift, KeyPosition

KEEPERS = frozenset({Role.INTEGRITY_OFFICER, Role.SIG_COORDINATOR})
OVERSEERS = frozenset({Role.INTEGRITY_OFFICER, Role.AUDITOR})
GIFT_DECIDERS = frozenset({Role.INTEGRITY_OFFICER, Role.DIRECTOR, Role.UNIT_HEAD, Role.UPPM_HEAD})


def can_keep(user: Any) -> bool:
    return bool(get_scope(user).central_roles & KEEPERS)


def require_keeper(user: Any) -> None:
    if not can_keep(user):
        raise PermissionDenied


def is_integrity(user: Any) -> bool:
    return Role.INTEGRITY_OFFICER in get_scope(user).central_roles


def _by_site(qs: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
    scope = get_scope(user)
    if not scope.roles:
        return qs.none()
    if scope.all_sites:
        return qs
    return qs.filter(Q(site__in=scope.site_ids) | Q(site__isnull=True))


def partners_visible_to(user: Any) -> models.QuerySet[BusinessPartner]:
    return _by_site(BusinessPartner.objects.all(), user)


def key_positions_visible_to(user: Any) -> models.QuerySet[KeyPosition]:
    return _by_site(KeyPosition.objects.all(), user)


def due_diligence_visible_to(user: Any) -> models.QuerySet[DueDiligence]:
    scope = get_scope(user)
    if scope.roles and scope.all_sites:
        # Every partner and key position is visible, and every due diligence has one of them
        # (constraint integrity_dd_one_subject): no subqueries, so the register's order index serves.
        return DueDiligence.objects.all()
    return DueDiligence.objects.filter(
        Q(partner__in=partners_visible_to(user)) | Q(key_position__in=key_positions_visible_to(user))
    )


def gifts_visible_to(user: Any) -> models.QuerySet[Gift]:
    scope = get_scope(user)
    if not scope.roles:
        return Gift.objects.none()
    if scope.central_roles & (OVERSEERS | {Role.DIRECTOR}):
        return Gift.objects.all()
    if scope.has_any({Role.UNIT_HEAD}):
        return Gift.objects.filter(Q(servant=user) | Q(site__in=scope.site_ids))
    return Gift.objects.filter(servant=user)


def declarations_visible_to(user: Any) -> models.QuerySet[ConflictDeclaration]:
    scope = get_scope(user)
    if not scope.roles:
        return ConflictDeclaration.objects.none()
    if scope.central_roles & OVERSEERS:
        return ConflictDeclaration.objects.all()
    return ConflictDeclaration.objects.filter(person=user)


def get_partner_for_user(user: Any, pk: Any, write: bool = False) -> BusinessPartner:
    partner = get_or_404(partners_visible_to(user), pk=pk)
    if write:
        require_keeper(user)
    return partner


def get_key_position_for_user(user: Any, pk: Any, write: bool = False) -> KeyPosition:
    position = get_or_404(key_positions_visible_to(user), pk=pk)
    if write:
        require_keeper(user)
    return position


def get_dd_for_user(user: Any, pk: Any, write: bool = False) -> DueDiligence:
    dd = get_or_404(due_diligence_visible_to(user), pk=pk)
    if write:
        require_keeper(user)
    return dd


def get_gift_for_user(user: Any, pk: Any) -> Gift:
    return get_or_404(gifts_visible_to(user), pk=pk)


def can_decide_gift(user: Any, gift: Gift, above_threshold: bool) -> bool:
    if user.pk in (gift.servant_id, gift.created_by_id):
        return False
    scope = get_scope(user)
    if above_threshold:
        return Role.INTEGRITY_OFFICER in scope.central_roles
    return scope.has_any(GIFT_DECIDERS, gift.site_id)
