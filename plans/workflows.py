"""The plan's workflows, declared once (core.workflow): the plan itself (borrador → revisión del
Comité → aprobado → cerrado) and its change requests (§13: propuesto → revisado por el Comité →
aprobado / rechazado). Services enforce them; pages, API and "what waits for me" read them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.workflow import Transition, Workflow, states
from plans.models import ChangeRequest, Plan

EDITORS = frozenset({Role.SIG_COORDINATOR, Role.UPPM_HEAD})
APPROVERS = frozenset({Role.DIRECTOR})
# The Committee's secretaries record its reviews (committee.access.SECRETARIES).
SECRETARIES = frozenset({Role.SIG_COORDINATOR, Role.UPPM_HEAD, Role.DIRECTOR})

PLAN = Workflow(
    key="plans.plan",
    transitions=(
        Transition(
            "submit",
            states(Plan.Status.DRAFT),
            Plan.Status.COMMITTEE_REVIEW,
            _("Send to the Committee"),
            roles=EDITORS,
            next_actor=_("the SIG Committee, then the Executive Director"),
        ),
        Transition(
            "approve",
            states(Plan.Status.COMMITTEE_REVIEW),
            Plan.Status.APPROVED,
            _("Approve"),
            roles=APPROVERS,
        ),
        Transition(
            "close",
            states(Plan.Status.APPROVED),
            Plan.Status.CLOSED,
            _("Close the plan"),
            roles=EDITORS,
            style="secondary",
        ),
    ),
)


def _not_closed(user: Any, cr: ChangeRequest) -> str | None:
    if cr.plan.status == Plan.Status.CLOSED:
        return str(_("The plan is closed."))
    return None


CHANGE_REQUEST = Workflow(
    key="plans.changerequest",
    transitions=(
        Transition(
            "review",
            states(ChangeRequest.Status.PROPOSED),
            ChangeRequest.Status.COMMITTEE_REVIEWED,
            _("Record the Committee's review"),
            roles=SECRETARIES,
            guards=(_not_closed,),
            next_actor=_("the Executive Director"),
        ),
        Transition(
            "decide",
            states(ChangeRequest.Status.COMMITTEE_REVIEWED),
            "",
            _("Decide"),
            roles=APPROVERS,
            guards=(_not_closed,),
            next_actor=_("UPPM (oficio and memorando múltiple)"),
        ),
        Transition(
            "report",
            states(ChangeRequest.Status.APPROVED),
            ChangeRequest.Status.APPROVED,
            _("Record the communications"),
            roles=EDITORS | APPROVERS,
            style="secondary",
        ),
    ),
)
