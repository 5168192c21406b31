"""What document control contributes to the platform (core.registry)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core import registry

PANEL_ROWS = 5
PENDING_ROWS = 50
# What the home page's document rows show (code, title, version, status, link): read alone, a
# hundred rows cost half of what whole versions and documents did (issue 10).
ROW_COLUMNS = ("id", "document_id", "number", "status", "document__id", "document__code", "document__title")


def _documents_panel(user: Any) -> dict[str, Any] | None:
    """Document reviews due within 30 days or overdue, and versions waiting for the user's step
    (review, endorsement, approval, publication). Five queries whatever the numbers."""
    from core.access import get_scope
    from core.pagination import capped_count
    from documents.access import documents_visible_to
    from documents.selectors import awaiting_count, reviews_due

    if not get_scope(user).roles:
        return None
    today = timezone.localdate()
    shown = documents_visible_to(user).select_related(None).only("id", "code", "title", "next_review_on")
    due = reviews_due(shown, today)
    due_count = capped_count(due)
    awaiting = _awaiting_rows(user)
    return {
        "title": _("Documents"),
        "due": [(d, d.next_review_on is not None and d.next_review_on < today) for d in due[:PANEL_ROWS]],
        # Counted up to COUNT_CAP from the (next_review_on, current_version, code) index.
        "due_count": _count_label(due_count),
        "due_more": due_count > PANEL_ROWS,
        "due_url": reverse("documents:document_list") + "?review=due",
        "awaiting": awaiting[:PANEL_ROWS],
        # Fewer rows than were read: that is the count; else counted in the waiting index.
        "awaiting_count": len(awaiting) if len(awaiting) < PENDING_ROWS else awaiting_count(user),
        "url": reverse("documents:document_list"),
    }


def _count_label(n: int) -> str:
    from core.pagination import COUNT_CAP, cap_label

    return _("more than %(n)s") % {"n": cap_label()} if n > COUNT_CAP else str(n)


def _awaiting_rows(user: Any) -> list[Any]:
    """The first PENDING_ROWS versions waiting for the user's step, read once per request: the
    home page's panel and its pending work both show them (issue 10)."""
    from core.request_context import current_request
    from documents.selectors import versions_awaiting

    request = current_request()
    cache: dict[int, list[Any]] = getattr(request, "_sig_versions_awaiting", {}) if request is not None else {}
    if user.pk not in cache:
        cache[user.pk] = list(versions_awaiting(user, limit=PENDING_ROWS).only(*ROW_COLUMNS))
        if request is not None:
            request._sig_versions_awaiting = cache
    return cache[user.pk]


def version_url() -> Any:
    """DocumentVersion.get_absolute_url for many rows: the route reversed once (a hundred reverse()
    calls were a tenth of the home page's time), the ids formatted in."""
    pattern = reverse("documents:version_detail", args=[111111111, 222222222])
    pattern = pattern.replace("{", "{{").replace("}", "}}").replace("111111111", "{0}").replace("222222222", "{1}")
    return lambda v: pattern.format(v.document_id, v.number)


def _pending(user: Any) -> list[registry.PendingItem]:
    """Versions waiting for the user's workflow step, and versions in force distributed to the
    user's unit that they have not confirmed as read (the newest PENDING_ROWS). Two queries."""
    from documents.access import versions_visible_to
    from documents.models import ReadConfirmation, VersionStatus

    area = gettext_lazy("Documents")
    actions = {
        VersionStatus.IN_REVIEW: pgettext_lazy("pending action", "Review"),
        VersionStatus.IN_ENDORSEMENT: pgettext_lazy("pending action", "Endorse (visar)"),
        VersionStatus.IN_APPROVAL: pgettext_lazy("pending action", "Approve"),
        VersionStatus.APPROVED: pgettext_lazy("pending action", "Publish"),
    }
    url = version_url()
    items = [
        registry.PendingItem(
            area=area,
            label=f"{v.document.code} v{v.label} · {v.document.title}",
            action=actions.get(v.status) or v.get_status_display(),
            url=url(v),
            sort_key=(1, v.document.code),
        )
        for v in _awaiting_rows(user)
    ]
    if getattr(user, "unit_id", None) is None:
        return items
    # The unit's distribution rows carry the version in force and its date (Distribution): read
    # newest first off the (unit, effective date, version) index, the walk stops after a page
    # instead of sorting every distributed document's version (issue 10: 13 ms on SQLite and
    # 8–17 ms on PostgreSQL at 2,310 documents per unit → under 1 ms).
    unread = (
        versions_visible_to(user)
        .filter(status=VersionStatus.CURRENT, distribution_rows__orgunit_id=user.unit_id)
        .exclude(Exists(ReadConfirmation.objects.filter(version=OuterRef("pk"), user=user)))
        .only(*ROW_COLUMNS)
        .order_by("-distribution_rows__effective_on", "distribution_rows__current_version_id")[:PENDING_ROWS]
    )
    items += [
        registry.PendingItem(
            area=area,
            label=f"{v.document.code} v{v.label} · {v.document.title}",
            action=gettext_lazy("Read and confirm"),
            url=url(v),
            due=None,
            sort_key=(2, v.document.code),
        )
        for v in unread
    ]
    return items


def _remind_reviews(day: datetime.date) -> int:
    from documents.management.commands.send_review_reminders import remind_due_reviews

    return remind_due_reviews(day)[1]


def _load_demo() -> dict[str, Any]:
    from documents import demo

    return demo.load()


def _visible_documents(user: Any) -> Any:
    from documents.access import documents_visible_to

    return documents_visible_to(user)


def _version_facts(version: Any) -> Any:
    from documents.verification import facts

    return facts(version)


def _requirement_panel(user: Any, requirement: Any) -> dict[str, Any] | None:
    """The documents (visible to the person) that declare they serve the requirement."""
    from documents.access import documents_visible_to

    docs = list(documents_visible_to(user).filter(requirements=requirement).order_by("code")[:50])
    if not docs:
        return None
    return {"title": _("Documents that serve this requirement"), "documents": docs}


def register() -> None:
    registry.register_nav(
        registry.NavItem(
            "documents",
            "documents",
            gettext_lazy("Master list"),
            "documents:document_list",
            10,
            lambda scope: scope.authenticated,
        )
    )
    registry.register_panel(registry.Panel("documents", "documents/panels/_documents.html", _documents_panel, 20))
    registry.register_demo(registry.DemoLoader("documents", _load_demo, 50))
    registry.register_evidence(
        registry.EvidenceKind("documents.document", gettext_lazy("Document"), _visible_documents)
    )
    registry.register_verifiable(
        registry.VerifiableKind("documents.version", gettext_lazy("Controlled copy"), _version_facts)
    )
    registry.register_pending(registry.PendingSource("documents", _pending, 20))
    registry.register_requirement_panel(
        registry.RequirementPanel("documents", "documents/_requirement_documents.html", _requirement_panel, 10)
    )
    registry.register_reminder(registry.Reminder("documents.reviews", _remind_reviews, 20))
