"""The workflow of a Comité del SIG session, declared once (core.workflow): programada →
realizada (once attendance is recorded) → acta cerrada. Only the Committee's secretaries keep
sessions; a closed acta never changes again."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.access import SECRETARIES
from committee.models import Session
from core.services import ServiceError
from core.workflow import Transition, Workflow, states

OPEN = states(Session.Status.SCHEDULED, Session.Status.HELD)


def _attendance_recorded(user: Any, session: Session) -> ServiceError | None:
    if not session.attendees.exists():
        return ServiceError(_("Record the attendance before closing the acta."), field="attendees")
    return None


SESSION = Workflow(
    key="committee.session",
    transitions=(
        Transition("edit", OPEN, "", gettext_lazy("Edit the session"), roles=SECRETARIES, style="secondary"),
        Transition(
            "close",
            OPEN,
            Session.Status.CLOSED,
            gettext_lazy("Close the acta"),
            roles=SECRETARIES,
            guards=(_attendance_recorded,),
        ),
    ),
)
