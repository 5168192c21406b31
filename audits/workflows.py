"""The workflow of an audit, declared once (core.workflow): planificada → en ejecución →
concluida. Its team (or a manager) starts it; it is concluded with the report, which is issued
as a PDF with a verification code (audits.services.complete_audit)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.access import can_audit
from audits.models import Audit, ChecklistQuestion
from core.services import ServiceError
from core.workflow import Transition, Workflow, states

S = Audit.Status


def _checklist_done(user: Any, audit: Audit) -> ServiceError | None:
    if not audit.questions.exists():
        return ServiceError(_("Generate the checklist first."), field="questions")
    if audit.questions.filter(result=ChecklistQuestion.Result.PENDING).exists():
        return ServiceError(_("Every question of the checklist needs a result."), field="questions")
    if not audit.conclusions.strip():
        return ServiceError(_("Write the conclusions of the audit."), field="conclusions")
    return None


AUDIT = Workflow(
    key="audits.audit",
    transitions=(
        Transition("start", states(S.PLANNED), S.IN_PROGRESS, gettext_lazy("Start the audit"), may=can_audit),
        Transition(
            "complete",
            states(S.IN_PROGRESS),
            S.COMPLETED,
            gettext_lazy("Conclude and issue the report"),
            may=can_audit,
            guards=(_checklist_done,),
        ),
    ),
)
OPEN = states(S.PLANNED, S.IN_PROGRESS)
