"""The benchmark harness behind `./sig bench` (a benchmark, not a test: nothing here passes or fails).

It builds a large synthetic dataset in its own database (`bench-data/`, or the PostgreSQL
database given by `--database-url` / `DATABASE_URL`), starts the real server (gunicorn) on a free
loopback port, drives each scenario with concurrent keep-alive clients for a bounded time and
prints p50/p95/throughput next to the time of the same queries run directly in SQL.

Each area contributes through an optional `<app>/bench.py` module (found automatically):

    ORDER = 10                 # generation order (audit runs last: its events point at all rows)
    GENERATOR_VERSION = 1      # bump when generate() changes, to regenerate existing bench DBs
    def generate(ctx: GenContext) -> None: ...   # bulk-create this area's synthetic rows
    SCENARIOS = [Scenario(...), ...]             # pages/endpoints to time, with their SQL twin

See bench/registry.py (Scenario), bench/context.py (GenContext, RunContext) and bench/sql.py
(helpers that turn the app's own querysets into the SQL statements timed directly).
"""
