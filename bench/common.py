"""Scenarios that belong to no single area: the health check and the dashboard."""

from __future__ import annotations

from django.urls import reverse

from bench import sql
from bench.context import RunContext
from bench.registry import Scenario, Statement

ORDER = 0


def _healthz_sql(ctx: RunContext) -> list[Statement]:
    return [("SELECT 1", [])]


def dashboard_sql(ctx: RunContext, username: str = "cmg") -> list[Statement]:
    """core.views.dashboard_view for a person: every registered panel and their pending work,
    captured as the page runs them (bench.sql.captured)."""
    from core import dashboard
    from core.pending import pending_for

    user = ctx.user(username)

    def page() -> None:
        dashboard.build(user)
        pending_for(user)

    return sql.captured(page)


SCENARIOS = [
    Scenario("healthz", "/healthz", None, auth="none", sql=_healthz_sql, note="floor: one SELECT 1"),
    Scenario("dashboard", lambda ctx: reverse("core:dashboard"), "cmg", sql=dashboard_sql),
    Scenario(
        "dashboard.ut",
        lambda ctx: reverse("core:dashboard"),
        "ut.cusco",
        sql=lambda ctx: dashboard_sql(ctx, "ut.cusco"),
        note="the home of a UT head (site-scoped panels and pending work)",
    ),
]
