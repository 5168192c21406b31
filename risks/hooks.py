"""What risk management contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _treatment_source(user: Any, item: Any) -> tuple[str, str] | None:
    """The risk a treatment comes from. No query (lists show many items): a treatment is
    assigned to its risk's site and numbered after the risk's code, so whoever sees the item
    sees the risk (both are scoped by site)."""
    from django.urls import reverse

    from core.access import get_scope

    if not get_scope(user).can_see_site(item.site_id):
        return None
    code = item.number.rsplit("-T", 1)[0] if item.number else str(item.source_id)
    return f"{_('Risk')} {code}", reverse("risks:risk_detail", args=[item.source_id])


def _visible_risks(user: Any) -> Any:
    from risks.access import risks_visible_to

    return risks_visible_to(user)


def _requirement_panel(user: Any, requirement: Any) -> dict[str, Any] | None:
    """The risks (visible to the person) linked to the clause or control, and our controls that
    answer an Annex A control."""
    from risks.access import controls_visible_to, risks_visible_to

    risks = list(risks_visible_to(user).filter(requirements=requirement).order_by("code")[:50])
    controls = (
        list(controls_visible_to(user).filter(annex_controls=requirement).order_by("code")[:50])
        if requirement.kind == "control"
        else []
    )
    if not risks and not controls:
        return None
    return {"title": _("Risks and controls"), "risks": risks, "controls": controls}


def _pending(user: Any) -> list[registry.PendingItem]:
    """For a risk's owner: residual risks to accept or whose acceptance expires within 30 days,
    and risks due for review."""
    import datetime

    from django.db.models import Q
    from django.utils import timezone

    from risks.access import risks_visible_to
    from risks.models import Risk

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=30)
    rows = (
        risks_visible_to(user)
        .filter(owner=user)
        .filter(
            Q(status=Risk.Status.ACCEPTED, acceptance_expires_on__lte=soon)
            | Q(next_review_on__lte=soon)
            | Q(status=Risk.Status.IDENTIFIED)
        )
        .order_by("code")[:50]
    )
    out = []
    for risk in rows:
        if risk.status == Risk.Status.IDENTIFIED:
            action, due = _("Evaluate"), risk.next_review_on
        elif risk.status == Risk.Status.ACCEPTED and risk.acceptance_expires_on and risk.acceptance_expires_on <= soon:
            action, due = _("Renew or treat the accepted risk"), risk.acceptance_expires_on
        else:
            action, due = _("Review"), risk.next_review_on
        out.append(
            registry.PendingItem(
                area=_("Risks"),
                label=f"{risk.code} · {risk.title[:100]}",
                action=action,
                url=risk.get_absolute_url(),
                due=due,
                sort_key=(2, risk.pk),
            )
        )
    return out


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
    registry.register_requirement_panel(
        registry.RequirementPanel("risks", "risks/_requirement_risks.html", _requirement_panel, 30)
    )
    registry.register_pending(registry.PendingSource("risks", _pending, 30))
