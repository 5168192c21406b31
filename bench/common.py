"""Scenarios that belong to no single area: the health check and the dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse

from audit.access import audit_events_visible_to
from bench import sql
from bench.context import RunContext
from bench.registry import Scenario, Statement
from organization.models import ManagementSystem, Process, Site

ORDER = 0


def _healthz_sql(ctx: RunContext) -> list[Statement]:
    return [("SELECT 1", [])]


def _dashboard_sql(ctx: RunContext) -> list[Statement]:
    """The panels of core.dashboard.build for a central SIG coordinator."""
    user = ctx.user("cmg")
    return [
        sql.select(ManagementSystem.objects.select_related("edition").order_by("order")),
        sql.select(Process.objects.filter(is_active=True).values_list("type").annotate(n=Count("id"))),
        sql.count(Site.objects.filter(kind=Site.Kind.CENTRAL, is_active=True)),
        sql.count(Site.objects.filter(kind=Site.Kind.TERRITORIAL, is_active=True)),
        sql.select(audit_events_visible_to(user), 5),
        *_documents_panel_sql(user),
    ]


def _documents_panel_sql(user: Any) -> list[Statement]:
    """core.dashboard._documents_panel: reviews due and versions awaiting the user's step."""
    from django.utils import timezone

    from documents.access import documents_visible_to
    from documents.selectors import reviews_due, versions_awaiting

    due = reviews_due(documents_visible_to(user), timezone.localdate())
    awaiting = versions_awaiting(user)
    return [sql.select(due, 5), sql.count(due), sql.select(awaiting, 5), sql.count(awaiting)]


SCENARIOS = [
    Scenario("healthz", "/healthz", None, auth="none", sql=_healthz_sql, note="floor: one SELECT 1"),
    Scenario("dashboard", lambda ctx: reverse("core:dashboard"), "cmg", sql=_dashboard_sql),
]
