"""What the audits area contributes to the platform (core.registry): its menu entry, the audit
report as a verifiable document, the findings under every requirement they cite, what waits
for the audit team, and its demo data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry

PENDING_ROWS = 50


def _report_facts(audit: Any) -> Any:
    from audits.verification import facts

    return facts(audit)


def _requirement_panel(user: Any, requirement: Any) -> dict[str, Any] | None:
    """The findings citing this clause or control, in every audit the person may see."""
    from django.utils.translation import gettext as _t

    from audits.access import findings_visible_to

    rows = list(
        findings_visible_to(user)
        .filter(requirements=requirement)
        .select_related("audit", "grade", "site")
        .order_by("-audit__start_date", "pk")[:50]
    )
    if not rows:
        return None
    return {"title": _t("Audit findings"), "findings": rows}


def _pending(user: Any) -> list[registry.PendingItem]:
    from django.db.models import Q

    from audits.models import Audit, Finding
    from audits.workflows import OPEN

    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for audit in (
        Audit.objects.filter(Q(team=user) | Q(lead=user), status__in=OPEN)
        .distinct()
        .order_by("start_date")[:PENDING_ROWS]
    ):
        items.append(
            registry.PendingItem(
                _("Audits"),
                f"{audit.code} · {audit.title[:100]}",
                _("Carry out the audit"),
                audit.get_absolute_url(),
                audit.start_date,
            )
        )
    from audits.access import can_respond, findings_visible_to
    from core.rows import url_pattern

    # Finding.get_absolute_url with the audit's route reversed once; only the columns the rows
    # and can_respond read, not the findings' texts (issue 10: 5 → 2 ms for fifty findings).
    audit_url = url_pattern("audits:audit_detail")
    for finding in (
        findings_visible_to(user)
        .filter(response=Finding.Response.PENDING)
        .only("pk", "number", "site_id", "audit_id")
        .order_by("pk")[:PENDING_ROWS]
    ):
        if finding.site_id in _ut_sites(user) and can_respond(user, finding):
            items.append(
                registry.PendingItem(
                    _("Audits"),
                    f"{finding.number}",
                    _("Accept or contest the finding"),
                    audit_url.format(finding.audit_id) + f"#finding-{finding.pk}",
                )
            )
    return items


def _ut_sites(user: Any) -> frozenset[int]:
    from core.access import get_scope

    return get_scope(user).site_ids


def _load_demo() -> Any:
    from audits import demo

    return demo.load()


def register() -> None:
    registry.register_nav(registry.NavItem("audits", "follow_up", _("Audits"), "audits:audit_list", 25))
    registry.register_verifiable(registry.VerifiableKind("audits.report", _("Audit report"), _report_facts))
    registry.register_requirement_panel(
        registry.RequirementPanel("audits", "audits/_requirement_findings.html", _requirement_panel, 30)
    )
    registry.register_pending(registry.PendingSource("audits", _pending, 35))
    registry.register_demo(registry.DemoLoader("audits", _load_demo, 80))
