"""The workflow of a nonconformity, declared once (core.workflow):

abierta → en análisis → plan aprobado → en ejecución → verificación de eficacia → cerrada,
and back from verification to analysis when the actions proved not effective (reopening).

The keepers (managers, or the head of the NC's UT) take it through analysis and execution; only
a manager approves the action plan; a verifier who owns none of its actions verifies the
effectiveness and closes it (nonconformities.services.verify_effectiveness)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions.models import ActionItem
from core.services import ServiceError
from core.workflow import Transition, Workflow, states
from nonconformities.access import is_keeper, is_manager, is_verifier
from nonconformities.models import ACTION_KIND, Nonconformity

S = Nonconformity.Status


def actions_of(nc: Nonconformity) -> Any:
    from actions.services import items_for

    return items_for(nc).filter(kind=ACTION_KIND)


def action_owner_ids(nc: Nonconformity) -> set[int]:
    owners: set[int] | None = getattr(nc, "_action_owner_ids", None)
    if owners is not None:  # read for a whole list at once (prefetch_action_owners)
        return owners
    return {pk for pk in actions_of(nc).values_list("responsible_id", flat=True) if pk is not None}


def prefetch_action_owners(ncs: list[Nonconformity]) -> None:
    """action_owner_ids of every NC of a list in one query (the pending work checks a hundred)."""
    from collections import defaultdict

    from django.contrib.contenttypes.models import ContentType

    owners: dict[int, set[int]] = defaultdict(set)
    rows = ActionItem.objects.filter(
        source_type=ContentType.objects.get_for_model(Nonconformity),
        source_id__in=[nc.pk for nc in ncs],
        kind=ACTION_KIND,
    ).values_list("source_id", "responsible_id")
    for source_id, responsible_id in rows:
        if responsible_id is not None:
            owners[source_id].add(responsible_id)
    for nc in ncs:
        nc._action_owner_ids = set(owners.get(nc.pk, set()))  # type: ignore[attr-defined]


def _analysed(user: Any, nc: Nonconformity) -> ServiceError | None:
    if nc.grade in (Nonconformity.Grade.MAJOR, Nonconformity.Grade.MINOR) and not nc.root_cause.strip():
        return ServiceError(_("Record the root cause before the plan is approved."), field="root_cause")
    return None


def _plan_if_major(user: Any, nc: Nonconformity) -> ServiceError | None:
    if nc.requires_plan and not actions_of(nc).exclude(status=ActionItem.Status.CANCELLED).exists():
        return ServiceError(_("A major nonconformity needs at least one corrective action."), field="actions")
    return None


def _actions_finished(user: Any, nc: Nonconformity) -> ServiceError | None:
    if actions_of(nc).filter(status__in=[ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS]).exists():
        return ServiceError(_("Every action must be done (or cancelled) before verification."), field="actions")
    return None


def _not_action_owner(user: Any, nc: Nonconformity) -> ServiceError | None:
    if getattr(user, "pk", None) in action_owner_ids(nc):
        return ServiceError(
            _("You are responsible for one of its actions: someone else verifies their effectiveness."),
            field="verified_by",
        )
    return None


NC = Workflow(
    key="nonconformities.nonconformity",
    transitions=(
        Transition(
            "analyse",
            states(S.OPEN),
            S.ANALYSIS,
            gettext_lazy("Start the analysis"),
            may=is_keeper,
            next_actor=gettext_lazy("the unit, for the root-cause analysis and the action plan"),
        ),
        Transition(
            "approve_plan",
            states(S.ANALYSIS),
            S.PLAN_APPROVED,
            gettext_lazy("Approve the action plan"),
            may=is_manager,
            guards=(_analysed, _plan_if_major),
            next_actor=gettext_lazy("the people responsible for the actions"),
        ),
        Transition(
            "execute",
            states(S.PLAN_APPROVED),
            S.EXECUTION,
            gettext_lazy("Start the execution"),
            may=is_keeper,
        ),
        Transition(
            "request_verification",
            states(S.EXECUTION),
            S.VERIFICATION,
            gettext_lazy("Ask for the effectiveness verification"),
            may=is_keeper,
            guards=(_actions_finished,),
            next_actor=gettext_lazy("a verifier who owns none of its actions"),
        ),
        # Taken by verify_effectiveness with a rating: effective closes, otherwise it reopens.
        Transition(
            "close",
            states(S.VERIFICATION),
            S.CLOSED,
            gettext_lazy("Verify effectiveness and close"),
            may=is_verifier,
            hides=(_not_action_owner,),
        ),
        Transition(
            "reopen",
            states(S.VERIFICATION),
            S.ANALYSIS,
            gettext_lazy("Not effective: reopen"),
            may=is_verifier,
            hides=(_not_action_owner,),
            style="danger",
        ),
    ),
)
# Transitions that need a rating (verify_effectiveness), not a bare step.
VERIFICATION = frozenset({"close", "reopen"})
