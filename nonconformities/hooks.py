"""What the nonconformities area contributes to the platform (core.registry): its menu entry,
the corrective-action kind of the shared tracker (so overdue actions escalate to the NC
managers through actions' reminders), what waits for each person, and the NCs citing a clause."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry

PENDING_ROWS = 100


def _source(user: Any, item: Any) -> tuple[str, str] | None:
    """The NC an action comes from; an action has its NC's site, so whoever sees the site sees
    the NC (no query: the tracker's list calls this once per row)."""
    from django.urls import reverse

    from core.access import get_scope

    if not get_scope(user).can_see_site(item.site_id):
        return None
    return str(_("Nonconformity")), reverse("nonconformities:nc_detail", args=[item.source_id])


def _reports(user: Any) -> list[tuple[str, str]]:
    from django.urls import reverse

    label = _("Follow-up of improvement actions")
    return [
        (f"{label} (PDF)", reverse("nonconformities:follow_up", args=["pdf"])),
        (f"{label} (XLSX)", reverse("nonconformities:follow_up", args=["xlsx"])),
    ]


def _pending(user: Any) -> list[registry.PendingItem]:
    """NCs whose next step is this person's (the workflow table's primary steps; for the head of
    the UT, the analysis and plan of an NC in analysis), oldest first."""
    from core.rows import url_pattern
    from nonconformities import workflows
    from nonconformities.access import is_site_head, ncs_visible_to
    from nonconformities.models import Nonconformity

    S = Nonconformity.Status
    url = url_pattern("nonconformities:nc_detail")  # Nonconformity.get_absolute_url, reversed once
    out = []
    candidates = list(ncs_visible_to(user).exclude(status=S.CLOSED).order_by("detected_on", "pk")[:PENDING_ROWS])
    workflows.prefetch_action_owners(candidates)  # one query, not one per NC (issue 10)
    for nc in candidates:
        offered = [t for t in workflows.NC.offered(user, nc) if t.style == "primary"]
        if offered:
            label: Any = offered[0].label
        elif nc.status == S.ANALYSIS and is_site_head(user, nc):
            label = _("Record the analysis and the action plan")
        else:
            continue
        out.append(
            registry.PendingItem(
                area=_("Nonconformities"),
                label=f"{nc.code} · {nc.title[:100]}",
                action=label,
                url=url.format(nc.pk),
                sort_key=(2, nc.pk),
            )
        )
    return out


def _requirement_panel(user: Any, requirement: Any) -> dict[str, Any] | None:
    from django.utils.translation import gettext as _t

    from nonconformities.access import ncs_visible_to

    rows = list(
        ncs_visible_to(user).filter(requirements=requirement).select_related("site").order_by("-detected_on")[:50]
    )
    if not rows:
        return None
    return {"title": _t("Nonconformities"), "ncs": rows}


def _panel(user: Any) -> dict[str, Any] | None:
    """The improvement loop at a glance: NCs by state (the per-site counters kept by the services)
    and overdue corrective actions (two queries)."""
    from django.urls import reverse
    from django.utils import timezone

    from actions.access import action_items_visible_to
    from actions.selectors import OPEN_Q
    from core.access import get_scope
    from nonconformities.counts import counts_for
    from nonconformities.models import ACTION_KIND, Nonconformity

    if not get_scope(user).roles:
        return None
    counts = counts_for(user)
    overdue = action_items_visible_to(user).filter(OPEN_Q, kind=ACTION_KIND, due_date__lt=timezone.localdate()).count()
    S = Nonconformity.Status
    return {
        "title": _("Nonconformities"),
        "items": [(label, counts.get(value, 0)) for value, label in S.choices if value != S.CLOSED]
        + [(_("Overdue corrective actions"), overdue)],
        "url": reverse("nonconformities:nc_list"),
        "overdue_url": reverse("actions:item_list") + f"?kind={ACTION_KIND}&overdue=on",
    }


def _load_demo() -> Any:
    from nonconformities import demo

    return demo.load()


def _action_changed(item: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    from nonconformities.models import Nonconformity
    from nonconformities.selectors import refresh_next_open_due

    if item.source_type_id == ContentType.objects.get_for_model(Nonconformity).pk:
        refresh_next_open_due(item.source_id)


def register() -> None:
    from nonconformities.access import MANAGERS
    from nonconformities.models import ACTION_KIND

    registry.register_nav(
        registry.NavItem("nonconformities", "follow_up", _("Nonconformities"), "nonconformities:nc_list", 30)
    )
    registry.register_action_kind(
        registry.ActionKind(
            ACTION_KIND,
            _("Corrective or improvement action"),
            managers=MANAGERS,
            evidence_required=True,
            source=_source,
            reports=_reports,
            changed=_action_changed,
        )
    )
    registry.register_pending(registry.PendingSource("nonconformities", _pending, 40))
    registry.register_panel(registry.Panel("nonconformities", "nonconformities/panels/_loop.html", _panel, 40))
    registry.register_requirement_panel(
        registry.RequirementPanel("nonconformities", "nonconformities/_requirement_ncs.html", _requirement_panel, 40)
    )
    registry.register_demo(registry.DemoLoader("nonconformities", _load_demo, 90))
