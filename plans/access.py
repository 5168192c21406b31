"""Plans are read by every person with a role; a UT role sees the plan and, in lists of
activities, the activities that involve its UT (held there or owned by its unit). Plans are
maintained by the SIG coordinator and the UPPM head; the Director approves plans and changes."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from accounts.roles import Role
from core.access import get_or_404, get_scope
from plans.models import Activity, ChangeRequest, Plan, Product

EDITORS = frozenset({Role.SIG_COORDINATOR, Role.UPPM_HEAD})
APPROVERS = frozenset({Role.DIRECTOR})


def plans_visible_to(user: Any) -> models.QuerySet[Plan]:
    qs = Plan.objects.select_related("owner_unit")
    return qs if get_scope(user).roles else qs.none()


def activities_visible_to(user: Any) -> models.QuerySet[Activity]:
    scope = get_scope(user)
    qs = Activity.objects.select_related("stage", "responsible_unit", "responsible_person")
    if not scope.roles:
        return qs.none()
    if scope.all_sites:
        return qs
    return qs.filter(Q(sites__in=scope.site_ids) | Q(responsible_unit__site_id__in=scope.site_ids)).distinct()


def can_edit_plans(user: Any) -> bool:
    return bool(get_scope(user).central_roles & EDITORS)


def require_editor(user: Any) -> None:
    """403 unless the user maintains plans (SIG coordinator, UPPM head)."""
    if not can_edit_plans(user):
        raise PermissionDenied


def can_approve_plans(user: Any) -> bool:
    return bool(get_scope(user).central_roles & APPROVERS)


def get_plan_for_user(user: Any, pk: Any, write: bool = False) -> Plan:
    plan = get_or_404(plans_visible_to(user), pk=pk)
    if write and not can_edit_plans(user):
        raise PermissionDenied
    return plan


def get_activity_for_user(user: Any, pk: Any, write: bool = False) -> Activity:
    activity = get_or_404(activities_visible_to(user), pk=pk)
    if write and not can_edit_plans(user):
        raise PermissionDenied
    return activity


def get_change_request_for_user(user: Any, pk: Any) -> ChangeRequest:
    return get_or_404(ChangeRequest.objects.filter(plan__in=plans_visible_to(user)).select_related("plan"), pk=pk)


def products_visible_to(user: Any) -> models.QuerySet[Product]:
    """Products of visible plans; a UT role sees those with an activity that involves the UT."""
    qs = Product.objects.filter(plan__in=plans_visible_to(user)).select_related("plan__owner_unit")
    if not get_scope(user).all_sites:
        qs = qs.filter(activities__in=activities_visible_to(user)).distinct()
    return qs


def get_product_for_user(user: Any, pk: Any) -> Product:
    return get_or_404(products_visible_to(user), pk=pk)


def can_deliver_product(user: Any, product: Product) -> bool:
    """Plan editors deliver any product; a UT role that writes delivers the products of the
    activities that involve its UT (held there or owned by one of its units)."""
    if can_edit_plans(user):
        return True
    scope = get_scope(user)
    writable = {site for site in scope.site_ids if scope.can_write_site(site)}
    if not writable:
        return False
    activities = product.activities.all()
    return activities.filter(Q(sites__in=writable) | Q(responsible_unit__site_id__in=writable)).exists()


def require_deliver_product(user: Any, product: Product) -> None:
    if not can_deliver_product(user, product):
        raise PermissionDenied
