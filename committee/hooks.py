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


def register() -> None:
    from committee.access import SECRETARIES

    registry.register_nav(
        registry.NavItem("committee", "follow_up", _("SIG Committee"), "committee:session_list", 10, _central)
    )
    registry.register_evidence(registry.EvidenceKind("committee.session", _("Committee session"), _visible_sessions))
    registry.register_verifiable(registry.VerifiableKind("committee.acta", _("Committee acta"), _acta_facts))
    registry.register_action_kind(
        registry.ActionKind("acuerdo", _("Committee agreement (acuerdo)"), managers=SECRETARIES, evidence_required=True)
    )
