"""What the evidence store contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _visible_files(user: Any) -> Any:
    from evidence.access import evidence_files_visible_to

    return evidence_files_visible_to(user)


def register() -> None:
    registry.register_evidence(registry.EvidenceKind("evidence.evidencefile", _("Evidence file"), _visible_files))
    registry.register_requirement_panel(
        registry.RequirementPanel("evidence", "evidence/_requirement_evidence.html", _requirement_panel, 20)
    )


def _requirement_panel(user: Any, requirement: Any) -> dict[str, Any] | None:
    """The evidence of a clause or control that this person may see, and the form to add some."""
    from django.utils.translation import gettext as _t

    from core.access import get_scope
    from evidence.forms import EvidenceForm
    from evidence.selectors import evidence_for
    from evidence.services import can_link_to_requirements

    if not get_scope(user).roles:
        return None
    return {
        "title": _t("Evidence"),
        "requirement": requirement,
        "items": evidence_for(user, [requirement]).get(requirement.pk, []),
        "evidence_form": EvidenceForm() if can_link_to_requirements(user) else None,
    }
