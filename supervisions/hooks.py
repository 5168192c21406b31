"""What supervisions contribute to the platform (core.registry): the menu entry, the kind of
action of the matriz de mejora (followed by the Coordinador/a Técnico/a; overdue items escalate
through the action tracker's reminders) with its status report, and the demo supervision."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _source(user: Any, item: Any) -> tuple[str, str] | None:
    from django.urls import reverse

    from core.access import get_scope

    if not get_scope(user).can_see_site(item.site_id):
        return None
    return str(_("Supervision")), reverse("supervisions:detail", args=[item.source_id])


def _reports(user: Any) -> list[tuple[str, str]]:
    from django.urls import reverse

    label = _("Status of the matrices de mejora")
    return [
        (f"{label} (PDF)", reverse("supervisions:status_report", args=["pdf"])),
        (f"{label} (XLSX)", reverse("supervisions:status_report", args=["xlsx"])),
    ]


def _visible(user: Any) -> Any:
    from supervisions.access import supervisions_visible_to

    return supervisions_visible_to(user)


def _load_demo() -> Any:
    from supervisions import demo

    return demo.load()


def register() -> None:
    from supervisions.access import MANAGERS
    from supervisions.models import ACTION_KIND

    registry.register_nav(registry.NavItem("supervisions", "follow_up", _("Supervisions"), "supervisions:list", 27))
    registry.register_action_kind(
        registry.ActionKind(
            ACTION_KIND,
            _("Improvement matrix item (supervision)"),
            managers=MANAGERS,
            evidence_required=True,
            source=_source,
            reports=_reports,
        )
    )
    registry.register_demo(registry.DemoLoader("supervisions", _load_demo, 85))
    registry.register_evidence(registry.EvidenceKind("supervisions.supervision", _("Supervision"), _visible))
