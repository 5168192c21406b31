"""Benchmark scenarios for the standards catalogue (harness: bench/__init__.py).

The catalogue is reference data of fixed size (load_demo), so there is nothing to generate."""

from __future__ import annotations

from bench import sql
from bench.context import RunContext
from bench.registry import Scenario, Statement
from catalog.access import requirements_visible_to

ORDER = 20
API_PAGE = 50


def _requirements_by_hs_sql(ctx: RunContext) -> list[Statement]:
    qs = (
        requirements_visible_to(ctx.user("cmg"))
        .filter(hs_clause__number="9.2")
        .order_by("edition__standard__order", "edition__year", "order", "pk")
    )
    return [sql.capped_count(qs), sql.select(qs, API_PAGE)]


SCENARIOS = [
    Scenario(
        "api.requirements.hs",
        "/api/v1/requirements?hs=9.2",
        "cmg",
        auth="token",
        sql=_requirements_by_hs_sql,
        note="requirements on harmonized clause 9.2 (internal audit)",
    ),
]
