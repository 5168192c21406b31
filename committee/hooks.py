"""What the Comité del SIG contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _central(scope: Any) -> bool:
    return bool(scope.central_roles)


def _visible_sessions(user: Any) -> Any:
    from committee.access import sessions_visible_to

    return sessions_visible_to(user)


def _acta_facts(session: Any) -> Any:
    from committee.verification import facts

    return facts(session)


def _agreement_source(user: Any, item: Any) -> tuple[str, str] | None:
    """An acuerdo links to its session for those who see sessions (central roles)."""
    from django.urls import reverse

    from core.access import get_scope

    if not get_scope(user).central_roles:
        return None
    return str(_("Session")), reverse("committee:session_detail", args=[item.source_id])


def _agreement_reports(user: Any) -> list[tuple[str, str]]:
    from django.urls import reverse

    from core.access import get_scope

    if not get_scope(user).central_roles:
        return []
    label = _("Acuerdos follow-up")
    return [
        (f"{label} (PDF)", reverse("committee:agreement_report", args=["pdf"])),
        (f"{label} (XLSX)", reverse("committee:agreement_report", args=["xlsx"])),
    ]


def register() -> None:
    from committee.access import SECRETARIES

    registry.register_nav(
        registry.NavItem("committee", "follow_up", _("SIG Committee"), "committee:session_list", 10, _central)
    )
    registry.register_evidence(registry.EvidenceKind("committee.session", _("Committee session"), _visible_sessions))
    registry.register_verifiable(registry.VerifiableKind("committee.acta", _("Committee acta"), _acta_facts))
    registry.register_action_kind(
        registry.ActionKind(
            "acuerdo",
            _("Committee agreement (acuerdo)"),
            managers=SECRETARIES,
            evidence_required=True,
            source=_agreement_source,
            reports=_agreement_reports,
        )
    )
