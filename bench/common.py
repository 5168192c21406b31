"""Scenarios that belong to no single area: the health check and the dashboard."""

from __future__ import annotations

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
    ]


SCENARIOS = [
    Scenario("healthz", "/healthz", None, auth="none", sql=_healthz_sql, note="floor: one SELECT 1"),
    Scenario("dashboard", lambda ctx: reverse("core:dashboard"), "cmg", sql=_dashboard_sql),
]
