from typing import Any

from django.db import models

from actions.models import ActionItem
from actions.workflows import BY_STATUS, ITEM, is_manager, is_responsible, is_site_head
from core.access import get_or_404, scope_by_site


def action_items_visible_to(user: Any) -> models.QuerySet[ActionItem]:
    """Central roles see every item; a UT role sees its UT's items."""
    return scope_by_site(ActionItem.objects.select_related("responsible", "responsible_unit", "site"), user)


def get_action_item_for_user(user: Any, pk: Any) -> ActionItem:
    return get_or_404(action_items_visible_to(user), pk=pk)


def can_update_action(user: Any, item: ActionItem) -> bool:
    """Whether the item's status is the user's to change at all: its responsible person, the head
    of its UT or a manager of its kind (actions.workflows; which changes, the workflow table says)."""
    return is_responsible(user, item) or is_site_head(user, item) or is_manager(user, item)


def status_choices(user: Any, item: ActionItem) -> list[tuple[str, str]]:
    """The statuses this person may move the item to now (the status form's choices)."""
    names = {t.name for t in ITEM.offered(user, item)}
    return [(s, str(label)) for s, label in ActionItem.Status.choices if BY_STATUS.get(ActionItem.Status(s)) in names]
