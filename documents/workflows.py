"""The workflow of a document version, declared once (core.workflow): borrador → en revisión →
(en visado) → en aprobación → aprobado → vigente → obsoleto, with "devolver" back to borrador.

Who may take each step is data: the document type's workflow rules (documents.WorkflowRule,
read by documents.access.can_take_step), optionally specific to the owner unit. Where the type
forbids it, whoever drafted the version can neither review nor approve it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workflow import Transition, Workflow, states
from documents.access import can_take_step, people_who_can
from documents.models import DocumentVersion, VersionStatus, WorkflowRule, WorkflowStep

Step = WorkflowRule.Step
S = VersionStatus

# Which step's rules decide who may return a version to borrador, by its status.
REJECT_STEP = {S.IN_REVIEW: Step.REVIEW, S.IN_ENDORSEMENT: Step.ENDORSE, S.IN_APPROVAL: Step.APPROVE}


def _step(step: str) -> Callable[[Any, DocumentVersion], bool]:
    def may(user: Any, version: DocumentVersion) -> bool:
        return can_take_step(user, version.document, step)

    return may


def _may_reject(user: Any, version: DocumentVersion) -> bool:
    step = REJECT_STEP.get(VersionStatus(version.status))
    if step is None:  # not in the flow: the rules of any of its steps let the person try
        return any(can_take_step(user, version.document, s) for s in REJECT_STEP.values())
    return can_take_step(user, version.document, step)


def elaborator_id(version: DocumentVersion) -> int:
    step = version.steps.filter(action=WorkflowStep.Action.ELABORATED).order_by("-at", "-pk").first()
    return step.person_id if step else version.created_by_id


def pending_endorsement_units(version: DocumentVersion) -> list[Any]:
    """The units that must still endorse the version since its last review."""
    last = version.steps.filter(action=WorkflowStep.Action.REVIEWED).order_by("-at").first()
    since = last.at if last else version.created_at
    done = set(
        version.steps.filter(action=WorkflowStep.Action.ENDORSED, at__gte=since).values_list("unit_id", flat=True)
    )
    return [u for u in version.endorsing_units.all() if u.pk not in done]


def _people(step: str) -> Callable[[DocumentVersion], Any]:
    def actors(version: DocumentVersion) -> Any:
        return people_who_can(version.document, step)

    return actors


def _drafter(version: DocumentVersion) -> list[Any]:
    from accounts.models import User

    return list(User.objects.filter(pk=elaborator_id(version), is_active=True).select_related("unit"))


def _endorsers(version: DocumentVersion) -> Any:
    """People who may endorse, of the units that still must (their own unit, or a role held in it)."""
    units = [u.pk for u in pending_endorsement_units(version)]
    return (
        people_who_can(version.document, Step.ENDORSE)
        .filter(
            Q(unit_id__in=units) | Q(role_assignments__unit_id__in=units, role_assignments__revoked_at__isnull=True)
        )
        .distinct()
    )


def _not_own(user: Any, version: DocumentVersion) -> str | None:
    if not version.document.document_type.allow_self_approval and elaborator_id(version) == getattr(user, "pk", None):
        return _("You drafted this version: someone else must review and approve it.")
    return None


VERSION = Workflow(
    key="documents.version",
    transitions=(
        Transition(
            "edit",
            states(S.DRAFT),
            S.DRAFT,
            gettext_lazy("Edit the draft"),
            may=_step(Step.ELABORATE),
            style="secondary",
        ),
        Transition(
            "change_entry",
            states(S.DRAFT),
            S.DRAFT,
            gettext_lazy("Add a change-control row"),
            may=_step(Step.ELABORATE),
            style="secondary",
        ),
        Transition(
            "submit",
            states(S.DRAFT),
            S.IN_REVIEW,
            gettext_lazy("Send to review"),
            may=_step(Step.ELABORATE),
            actors=_drafter,
            next_actor=gettext_lazy("the reviewers"),
        ),
        Transition(
            "review",
            states(S.IN_REVIEW),
            "",  # en visado when units must endorse it, else en aprobación
            gettext_lazy("Mark as reviewed"),
            may=_step(Step.REVIEW),
            actors=_people(Step.REVIEW),
            hides=(_not_own,),
            next_actor=gettext_lazy("the endorsing units or the approver"),
        ),
        Transition(
            "endorse",
            states(S.IN_ENDORSEMENT),
            "",
            gettext_lazy("Endorse (visar)"),
            may=_step(Step.ENDORSE),
            actors=_endorsers,
            next_actor=gettext_lazy("the approver, once every unit endorsed it"),
        ),
        Transition(
            "approve",
            states(S.IN_APPROVAL),
            S.APPROVED,
            gettext_lazy("Approve"),
            may=_step(Step.APPROVE),
            actors=_people(Step.APPROVE),
            hides=(_not_own,),
            next_actor=gettext_lazy("whoever publishes it"),
        ),
        Transition(
            "publish",
            states(S.APPROVED),
            S.CURRENT,
            gettext_lazy("Publish (vigente)"),
            may=_step(Step.PUBLISH),
            actors=_people(Step.PUBLISH),
            next_actor=gettext_lazy("the readers of its distribution"),
        ),
        Transition(
            "reject",
            states(S.IN_REVIEW, S.IN_ENDORSEMENT, S.IN_APPROVAL),
            S.DRAFT,
            gettext_lazy("Return to draft"),
            may=_may_reject,
            style="danger",
            next_actor=gettext_lazy("whoever drafted it"),
        ),
    ),
)
