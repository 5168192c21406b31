"""What risk management contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _treatment_source(user: Any, item: Any) -> tuple[str, str] | None:
    from risks.access import risks_visible_to

    risk = risks_visible_to(user).filter(pk=item.source_id).first()
    if risk is None:
        return None
    return f"{_('Risk')} {risk.code}", risk.get_absolute_url()


def _visible_risks(user: Any) -> Any:
    from risks.access import risks_visible_to

    return risks_visible_to(user)


def _load_demo() -> Any:
    from risks.demo import load

    return load()


def register() -> None:
    from risks.access import RISK_MANAGERS

    registry.register_nav(registry.NavItem("risks", "planning", _("Risks"), "risks:risk_list", 40))
    registry.register_action_kind(
        registry.ActionKind(
            "risk_treatment",
            _("Risk treatment"),
            managers=RISK_MANAGERS,
            evidence_required=False,
            source=_treatment_source,
        )
    )
    registry.register_evidence(registry.EvidenceKind("risks.risk", _("Risk"), _visible_risks))
    registry.register_demo(registry.DemoLoader("risks", _load_demo, 70))
