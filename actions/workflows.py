"""The workflow of an action item, declared once (core.workflow): pendiente → en proceso →
cumplida, or anulada. The responsible person, the head of the UT it is assigned to and the
managers of the item's kind (registered by its area, core.registry.ActionKind) take the steps;
only a manager cancels. An item that requires evidence is done only with evidence linked."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from actions.models import ActionItem
from core.access import get_scope
from core.registry import action_kind
from core.services import ServiceError
from core.workflow import Transition, Workflow, states

S = ActionItem.Status
OPEN = states(S.PENDING, S.IN_PROGRESS)


def is_manager(user: Any, item: ActionItem) -> bool:
    """A central, writing role that manages the item's kind (e.g. the Committee's secretaries)."""
    kind = action_kind(item.kind)
    scope = get_scope(user)
    return kind is not None and bool(kind.managers & scope.central_roles) and scope.can_write_site(item.site_id)


def is_responsible(user: Any, item: ActionItem) -> bool:
    """The person responsible (never with a read-only role: a reader named responsible reads)."""
    if item.responsible_id is None or item.responsible_id != getattr(user, "pk", None):
        return False
    return get_scope(user).can_write_site(item.site_id)


def is_site_head(user: Any, item: ActionItem) -> bool:
    """The head of the UT the item is assigned to (a writing unit-head role at its site): they
    follow their UT's items even when someone else is named responsible."""
    from accounts.roles import Role

    scope = get_scope(user)
    return Role.UNIT_HEAD in scope.site_roles.get(item.site_id, frozenset()) and scope.can_write_site(item.site_id)


def owners(item: ActionItem) -> list[Any]:
    """Whom the item waits for: the person responsible, else the heads of the UT it is assigned
    to (told when it is assigned, reminded before it falls due)."""
    if item.responsible is not None:
        return [item.responsible]
    from accounts.roles import Role
    from accounts.selectors import holders

    return list(holders([Role.UNIT_HEAD], item.site_id).filter(site_id=item.site_id))


def _keeper(user: Any, item: ActionItem) -> bool:
    return is_responsible(user, item) or is_site_head(user, item) or is_manager(user, item)


def _evidence_if_required(user: Any, item: ActionItem) -> ServiceError | None:
    from evidence.services import has_evidence

    if item.evidence_required and not has_evidence(item):
        return ServiceError(_("Link the evidence that it was done before marking it done."), field="evidence")
    return None


ITEM = Workflow(
    key="actions.actionitem",
    transitions=(
        Transition("start", states(S.PENDING), S.IN_PROGRESS, _("Mark in progress"), may=_keeper, style="secondary"),
        Transition("pause", states(S.IN_PROGRESS), S.PENDING, _("Back to pending"), may=_keeper, style="secondary"),
        Transition("complete", OPEN, S.DONE, _("Mark done"), may=_keeper, guards=(_evidence_if_required,)),
        Transition("cancel", OPEN, S.CANCELLED, _("Cancel"), may=is_manager, style="danger"),
    ),
)
# The status a person asks for → the transition that leads there.
BY_STATUS = {S.PENDING: "pause", S.IN_PROGRESS: "start", S.DONE: "complete", S.CANCELLED: "cancel"}
