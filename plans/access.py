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


def product_scope(product: Product) -> set[int]:
    """The sites a product is delivered in: those of the activities it delivers."""
    return set(Activity.sites.through.objects.filter(activity__products=product).values_list("site_id", flat=True))


# Roles that carry out plan activities (auditors audit them, readers read, the Director approves).
DELIVERERS = frozenset({Role.UNIT_HEAD, Role.TECH_COORDINATOR, Role.SECURITY_OFFICER, Role.INTEGRITY_OFFICER})


def owns_product(user: Any, product: Product) -> bool:
    """Plan editors, and the people of the unit that owns one of the product's activities who
    carry out activities (DELIVERERS, held there or with that unit as their own), deliver a
    product whole."""
    if can_edit_plans(user):
        return True
    scope = get_scope(user)
    if not scope.roles & DELIVERERS:
        return False
    units = set(product.activities.values_list("responsible_unit_id", flat=True))
    if getattr(user, "unit_id", None) in units:
        return True
    from accounts.models import RoleAssignment

    return RoleAssignment.objects.active().filter(user=user, unit_id__in=units, role__in=DELIVERERS).exists()


def delivery_sites(user: Any, product: Product) -> list[int]:
    """The sites whose share of `product` this person may deliver: the UTs of the product's
    scope where they hold a role that carries out activities."""
    scope = get_scope(user)
    mine = {site for site, roles in scope.site_roles.items() if roles & DELIVERERS}
    if scope.central_roles & DELIVERERS:  # the Sede Central's share, by its own people
        from organization.models import Site

        mine |= set(Site.objects.filter(is_central=True).values_list("pk", flat=True))
    return sorted(mine & product_scope(product))


def can_deliver_product(user: Any, product: Product) -> bool:
    """The owner delivers the whole product; a UT delivers only its own share, and only of a
    product held in its UT. Nobody outside the owner and the activities' scope delivers it."""
    return owns_product(user, product) or bool(delivery_sites(user, product))


def require_deliver_product(user: Any, product: Product) -> None:
    if not can_deliver_product(user, product):
        raise PermissionDenied
