"""Turn the app's own querysets into the SQL statements a page runs, so they can be timed
directly (no ORM, no HTTP, no templates). Compiling happens once; only execution is timed."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

from bench.registry import Statement


def select(qs: QuerySet[Any], limit: int | None = None) -> Statement:
    """The SELECT the queryset runs (with its joins), optionally its first `limit` rows."""
    if limit is not None:
        qs = qs[:limit]
    sql, params = qs.query.sql_with_params()
    return sql, params


def count(qs: QuerySet[Any]) -> Statement:
    """The COUNT a paginator runs for this queryset."""
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) bench_count", params  # noqa: S608 - compiled by the ORM


def capped_count(qs: QuerySet[Any], cap: int | None = None) -> Statement:
    """The COUNT a capped paginator or the API's envelope runs (core.pagination): at most cap + 1."""
    from core.pagination import COUNT_CAP

    sql, params = qs.order_by().values("pk")[: (cap or COUNT_CAP) + 1].query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) bench_count", params  # noqa: S608 - compiled by the ORM


def exists(qs: QuerySet[Any]) -> Statement:
    return select(qs.order_by().values("pk"), limit=1)


def captured(fn: Callable[[], Any]) -> list[Statement]:
    """The SELECTs `fn` runs (a selector, a panel builder, a page's context), captured as it
    runs them: the bench then times exactly what the page runs, not a copy of its queries."""
    statements: list[Statement] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, list(params or [])))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return [(q, p) for q, p in statements if q.lstrip()[:6].upper() in {"SELECT", "WITH R"}]


def page_ids(qs: QuerySet[Any], limit: int) -> list[Any]:
    """Primary keys of the first page (run once, at compile time) for prefetch statements."""
    return list(qs.values_list("pk", flat=True)[:limit])


def model_table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def run(statements: list[Statement]) -> int:
    """Execute the statements and fetch every row; returns the number of rows."""
    rows = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return rows


def time_statements(statements: list[Statement], *, budget_s: float = 0.5, max_reps: int = 1000) -> list[float]:
    """Milliseconds per execution of the whole list, repeated within a time budget (≥ 3 runs)."""
    run(statements)  # warm the page cache and the statement cache
    out: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(out) < 3 or (len(out) < max_reps and time.perf_counter() < deadline):
        t0 = time.perf_counter()
        run(statements)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
