"""Read-side queries of the Comité del SIG, shared by the pages, the acta and the API."""

from __future__ import annotations

from typing import Any

from committee.access import committee_members
from committee.models import Session


def quorum(session: Session) -> dict[str, Any]:
    """Members present over members today; quorum is more than half (RDE 216-2019 [I])."""
    members = set(committee_members().values_list("pk", flat=True))
    present = members & set(session.attendees.values_list("pk", flat=True))
    return {"members": len(members), "present": len(present), "reached": len(present) * 2 > len(members)}
