"""One benchmark run, inside the process whose settings point at the bench database."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import django
from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.urls import reverse

from bench import compare, sql
from bench.client import LoadResult, LoginError, drive, get_status, login
from bench.context import SIZES, RunContext
from bench.dataset import describe_database, prepare, table_counts
from bench.registry import Scenario, all_scenarios, discover, select
from bench.report import ms, table
from bench.server import HOST, Server

Write = Callable[[str], None]


@dataclass
class Options:
    size: str = "small"
    seconds: float = 5.0
    clients: int = 4
    workers: int = 2
    scenarios: list[str] = field(default_factory=list)
    regenerate: bool = False
    keep_server: bool = False
    max_requests: int = 20_000

    @property
    def serial_seconds(self) -> float:
        return max(0.5, self.seconds / 4)


@dataclass
class Row:
    scenario: Scenario
    url: str
    status: str = ""  # "200", or why it was not measured
    serial: LoadResult | None = None
    load: LoadResult | None = None
    sql_ms: float | None = None
    sql_error: str = ""

    @property
    def measured(self) -> bool:
        return self.load is not None

    @property
    def ratio(self) -> float | None:
        if self.serial is None or not self.sql_ms:
            return None
        return self.serial.p50 / self.sql_ms


def machine_lines(opts: Options) -> list[str]:
    load1, load5, _ = os.getloadavg()
    return [
        f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}; "
        f"load average {load1:.2f} (1 min) {load5:.2f} (5 min) at start",
        f"software: Python {platform.python_version()}, Django {django.get_version()}, gunicorn {importlib.metadata.version('gunicorn')}",
        f"database: {describe_database()}",
        f"server: gunicorn {opts.workers} sync workers on {HOST}; clients: {opts.clients} threads, "
        f"{opts.seconds:g} s per scenario (+ {opts.serial_seconds:g} s with 1 client), cap {opts.max_requests:,} requests",
    ]


def run(opts: Options, write: Write) -> list[Row]:
    if opts.size not in SIZES:
        raise CommandError(f"unknown size {opts.size!r}")
    areas = discover()
    chosen = select(all_scenarios(areas), opts.scenarios)
    if not chosen:
        raise CommandError(f"no scenario matches {opts.scenarios}")
    write(f"sig bench — {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    for line in machine_lines(opts):
        write(line)
    write("")
    prepare(SIZES[opts.size], areas, regenerate=opts.regenerate, log=write)
    write("")
    counts = table_counts()
    sites = dict(counts).get("organization.Site", 0)
    write(f"dataset (size {opts.size}: {describe_size(opts.size, sites)}), rows per table:")
    write(table(["table", "rows"], [[label, f"{n:,}"] for label, n in counts], right=[False, True]))
    write("")

    ctx = RunContext()
    tokens = _issue_tokens(chosen, ctx)
    server = Server(
        workers=opts.workers, env=_server_env(), cwd=settings.BASE_DIR, log_path=settings.DATA_DIR / "server.log"
    )
    rows: list[Row] = []
    try:
        t0 = time.perf_counter()
        server.start()
        write(
            f"server up at {server.url} (pid {server.pid}) in {time.perf_counter() - t0:.1f} s; log: {server.log_path}"
        )
        cookies, login_errors = _log_in(chosen, server.port)
        for error in login_errors.values():
            write(f"  ! {error}")
        for i, scenario in enumerate(chosen, 1):
            row = _measure(scenario, ctx, opts, server.port, cookies, tokens)
            rows.append(row)
            write(
                f"  [{i}/{len(chosen)}] {scenario.name}: "
                + (
                    f"p50 {ms(row.load.p50)} ms, {row.load.rps:.0f} req/s"
                    if row.load
                    else f"not measured ({row.status})"
                )
            )
        write("")
        write(results_table(rows))
        for line in legend(rows):
            write(line)
        for line in growth_lines(opts, rows, chosen):
            write(line)
        load1, load5, _ = os.getloadavg()
        write(f"load average at the end: {load1:.2f} (1 min) {load5:.2f} (5 min)")
        if opts.keep_server:
            write(f"\nserver left running at {server.url} (pid {server.pid}); Ctrl-C stops it")
            try:
                while server.proc is not None and server.proc.poll() is None:
                    time.sleep(1)
            except KeyboardInterrupt:
                write("server stopped")
    finally:
        server.stop()
    return rows


def growth_lines(opts: Options, rows: list[Row], chosen: list[Scenario]) -> list[str]:
    """Save this run's figures, then print small against every bigger size saved (bench.compare)."""
    from django.db import connection

    vendor = connection.vendor
    compare.save(compare.results_path(settings.DATA_DIR, vendor, opts.size), opts.size, vendor, rows)
    bigger = [
        s for s in SIZES if s not in {"tiny", "small"} and compare.results_path(settings.DATA_DIR, vendor, s).exists()
    ]
    if opts.size == "tiny" or not bigger or not compare.results_path(settings.DATA_DIR, vendor, "small").exists():
        return []
    return ["", *compare.report(settings.DATA_DIR, vendor, ["small", *bigger], [s.name for s in chosen])]


def describe_size(name: str, sites: int) -> str:
    s = SIZES[name]
    return (
        f"{s.years} year(s) × {sites} sites, {s.units_per_site} extra units and {s.people_per_site} people per site, "
        f"{s.audit_events:,} audit events"
    )


def _issue_tokens(chosen: list[Scenario], ctx: RunContext) -> dict[str, str]:
    from accounts.services import issue_token

    personas = sorted({s.persona for s in chosen if s.auth == "token" and s.persona})
    return {p: issue_token(ctx.user(p), by="system:bench") for p in personas}


def _session_key(scenario: Scenario) -> str:
    """Scenarios of one persona share a session, unless they post a form after the login."""
    return f"{scenario.persona}+{scenario.after_login}" if scenario.after_login else str(scenario.persona)


def _log_in(chosen: list[Scenario], port: int) -> tuple[dict[str, str], dict[str, str]]:
    """One login per persona (the login throttle counts failures, so never retry)."""
    cookies: dict[str, str] = {}
    errors: dict[str, str] = {}
    wanted = {_session_key(s): s for s in chosen if s.auth == "session" and s.persona}
    for key in sorted(wanted):
        s = wanted[key]
        assert s.persona is not None
        try:
            cookies[key] = login(
                HOST, port, reverse("accounts:login"), s.persona, settings.SIG_DEMO_PASSWORD, then=s.after_login
            )
        except LoginError as exc:
            errors[key] = str(exc)
    return cookies, errors


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SIG_DATA_DIR": str(settings.DATA_DIR),
            "SIG_ENV": "local",
            "SIG_DEBUG": "0",
            "SIG_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    # Public verification (/verifica/): thousands of lookups from one address must not hit the
    # per-address limit, and the answer padding (250 ms in production) would hide the page's
    # own cost. Both can be set in the environment to measure with them (e.g. SIG_VERIFY_MIN_MS=250).
    env.setdefault("SIG_VERIFY_MAX_PER_HOUR", "1000000000")
    env.setdefault("SIG_VERIFY_MIN_MS", "0")
    # Whistleblowing receipts: the same minimum answer time (300 ms in production) would hide
    # the Argon2id and decryption cost of the filer's view.
    env.setdefault("SIG_WB_MIN_MS", "0")
    return env


def _measure(
    scenario: Scenario, ctx: RunContext, opts: Options, port: int, cookies: dict[str, str], tokens: dict[str, str]
) -> Row:
    row = Row(scenario, scenario.url(ctx))
    headers: dict[str, str] = dict(scenario.headers(ctx)) if scenario.headers else {}
    if scenario.auth == "session" and scenario.persona:
        if _session_key(scenario) not in cookies:
            row.status = "login failed"
        else:
            headers["Cookie"] = cookies[_session_key(scenario)]
    elif scenario.auth == "token" and scenario.persona:
        headers["Authorization"] = f"Bearer {tokens[scenario.persona]}"
    if not row.status:
        status, _ = get_status(HOST, port, row.url, headers)
        row.status = str(status) if status else "connection failed"
    if row.status == "200":
        # Warm every worker (templates, caches), then one client (latency), then N (throughput).
        drive(HOST, port, row.url, headers, clients=opts.workers, seconds=5, max_requests=4 * opts.workers)
        row.serial = drive(
            HOST,
            port,
            row.url,
            headers,
            clients=1,
            seconds=opts.serial_seconds,
            max_requests=opts.max_requests,
            min_requests=5,
        )
        row.load = drive(
            HOST, port, row.url, headers, clients=opts.clients, seconds=opts.seconds, max_requests=opts.max_requests
        )
    if scenario.sql is not None:
        try:
            row.sql_ms = sql.median(sql.time_statements(scenario.sql(ctx)))
        except DatabaseError as exc:
            row.sql_error = str(exc).splitlines()[0][:80]
    return row


RESULT_HEADER = [
    "scenario",
    "as",
    "HTTP",
    "requests",
    "non-200",
    "p50 ms",
    "p95 ms",
    "req/s",
    "1-client p50",
    "SQL p50 ms",
    "app/SQL",
]


def results_table(rows: list[Row]) -> str:
    out = []
    for r in rows:
        s = r.scenario
        who = s.persona or "anonymous"
        who += " (token)" if s.auth == "token" else ""
        status = r.status if r.status == "200" else f"{r.status} !"
        if r.load is not None and r.serial is not None:
            nums = [
                f"{r.load.requests:,}",
                f"{r.load.not_ok:,}",
                ms(r.load.p50),
                ms(r.load.p95),
                f"{r.load.rps:.0f}",
                ms(r.serial.p50),
            ]
        else:
            nums = ["—"] * 6
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "—"
        sql_cell = "error" if r.sql_error else ms(r.sql_ms)
        out.append([s.name, who, status, *nums, sql_cell, ratio])
    return table(RESULT_HEADER, out, right=[False, False, False] + [True] * 8)


def legend(rows: list[Row]) -> list[str]:
    lines = [
        "",
        "p50/p95/req/s: all clients at once, whole HTTP round trip on loopback (client threads share the 2 cores).",
        "1-client p50: one client alone (no queueing); app/SQL = 1-client p50 ÷ SQL p50, the app's overhead",
        "  over running the page's own queries (compiled from its querysets) directly on the same database.",
        "Machines are noisy: compare medians across runs, not single numbers.",
    ]
    bad = [r for r in rows if not r.measured]
    if bad:
        lines.append("! not measured: " + "; ".join(f"{r.scenario.name} → {r.status} at {r.url}" for r in bad))
    errors = [r for r in rows if r.load is not None and r.load.not_ok]
    for r in errors:
        assert r.load is not None
        detail = ", ".join(
            f"HTTP {k or 'connection error'} ×{v}" for k, v in sorted(r.load.statuses.items()) if k != 200
        )
        lines.append(f"! {r.scenario.name}: {detail} during the run")
    for r in rows:
        if r.sql_error:
            lines.append(f"! {r.scenario.name}: direct SQL failed: {r.sql_error}")
    notes = [f"  {r.scenario.name}: {r.scenario.note}" for r in rows if r.scenario.note]
    if notes:
        lines += ["notes:", *notes]
    return lines
