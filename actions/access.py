from typing import Any

from django.db import models

from accounts.roles import Role
from actions.models import ActionItem
from core.access import get_or_404, get_scope, scope_by_site


def action_items_visible_to(user: Any) -> models.QuerySet[ActionItem]:
    """Central roles see every item; a UT role sees its UT's items."""
    return scope_by_site(ActionItem.objects.select_related("responsible", "responsible_unit", "site"), user)


def get_action_item_for_user(user: Any, pk: Any) -> ActionItem:
    return get_or_404(action_items_visible_to(user), pk=pk)


# Who keeps the items of each kind besides their responsible person (committee acuerdos: the
# Committee's secretaries, as committee.access.SECRETARIES).
MANAGERS: dict[str, frozenset[str]] = {
    ActionItem.Kind.AGREEMENT: frozenset({Role.SIG_COORDINATOR, Role.UPPM_HEAD, Role.DIRECTOR}),
}


def can_update_action(user: Any, item: ActionItem) -> bool:
    """Only the responsible person or a manager of the item's kind changes its status, and never
    with a read-only role (a reader named responsible still reads only)."""
    scope = get_scope(user)
    if not scope.can_write_site(item.site_id):
        return False
    if item.responsible_id is not None and item.responsible_id == getattr(user, "pk", None):
        return True
    return bool(scope.central_roles & MANAGERS.get(item.kind, frozenset()))
