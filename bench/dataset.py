"""The bench database: build it (migrate, demo data, every area's generator) only when its
fingerprint changed, and refuse to touch a database that is not a bench database."""

from __future__ import annotations

import io
import json
import resource
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from bench.context import Size, new_gen_context
from bench.registry import Area

MARKER_TABLE = "sig_bench_marker"
# Bump when the harness's own preparation changes in a way that needs fresh data.
HARNESS_DATA_VERSION = 1
BUILD_CACHE_KIB = 512 * 1024

Log = Callable[[str], None]


@dataclass
class Prepared:
    regenerated: bool
    seconds: float
    created: dict[str, int]
    fingerprint: dict[str, Any]


def fingerprint(size: Size, areas: list[Area]) -> dict[str, Any]:
    """What the data depends on: the size, every generator's version and the schema."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        "harness": HARNESS_DATA_VERSION,
        "size": size.name,
        "areas": {a.module: a.version for a in areas},
        "migrations": sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes()),
    }


def read_marker() -> dict[str, Any] | None:
    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE name = %s", ["fingerprint"])  # noqa: S608
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_marker(value: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (name VARCHAR(50) PRIMARY KEY, value TEXT NOT NULL)")
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE name = %s", ["fingerprint"])  # noqa: S608
        cursor.execute(f"INSERT INTO {MARKER_TABLE} (name, value) VALUES (%s, %s)", ["fingerprint", json.dumps(value)])  # noqa: S608


def is_bench_database() -> bool:
    """Empty, or built by this harness. Anything else (e.g. a production DATABASE_URL) is refused."""
    if connection.vendor == "sqlite" and _inside_bench_dir(Path(str(connection.settings_dict["NAME"]))):
        return True
    tables = connection.introspection.table_names()
    return not tables or MARKER_TABLE in tables


def _inside_bench_dir(path: Path) -> bool:
    return settings.DATA_DIR.resolve() in path.resolve().parents


def describe_database() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} at {db['NAME']}"
    return f"{connection.vendor} database {db.get('NAME')!s} on {db.get('HOST') or 'local socket'}"


def _reset() -> None:
    """Empty the bench database. SQLite: delete the file (only inside the bench directory)."""
    if connection.vendor == "sqlite":
        path = Path(str(connection.settings_dict["NAME"])).resolve()
        if not _inside_bench_dir(path):
            raise CommandError(f"refusing to delete {path}: it is outside the bench directory {settings.DATA_DIR}")
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def prepare(size: Size, areas: list[Area], *, regenerate: bool, log: Log) -> Prepared:
    """Reuse the bench database when its fingerprint matches; otherwise rebuild it."""
    wanted = fingerprint(size, areas)
    started, cpu0 = time.perf_counter(), _cpu()
    if not is_bench_database():
        raise CommandError(
            f"{describe_database()} has tables but was not built by `./sig bench`: refusing to overwrite it. "
            "Point --database-url at an empty database."
        )
    current = read_marker()
    if current == wanted and not regenerate and _looks_complete(size):
        log(f"reusing the bench database (size {size.name}; --regenerate to rebuild it)")
        return Prepared(False, time.perf_counter() - started, {}, wanted)
    reason = (
        "--regenerate"
        if regenerate
        else ("no bench data yet" if current is None else "size, schema or generators changed")
    )
    log(f"building the bench database (size {size.name}: {reason})")
    _reset()
    write_marker({"building": True})  # an interrupted build is still recognised as ours
    build_settings(on=True)
    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    log(f"  migrations and demo data: {time.perf_counter() - started:.1f} s")
    created = generate_all(size, areas, log=log)
    from audit.services import verify_chain

    t0 = time.perf_counter()
    result = verify_chain()
    if not result.ok:
        raise CommandError(f"generated audit chain is broken at #{result.broken_id}: {result.reason}")
    log(f"  audit chain verified: {result.checked:,} entries in {time.perf_counter() - t0:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # autovacuum would do this on a live server
    write_marker(wanted)
    build_settings(on=False)
    connection.close()  # the timing that follows uses a connection with default settings, as the server's
    seconds = time.perf_counter() - started
    log(f"  bench database ready in {seconds:.1f} s (CPU of this process: {_cpu() - cpu0:.1f} s)")
    return Prepared(True, seconds, created, wanted)


def build_settings(*, on: bool) -> None:
    """SQLite, for the build only (this connection, closed after it): a large cache (inserting
    into the indexes touches random pages); no fsync and the rollback journal in memory instead of
    the WAL, so the multi-GB load is written once, not to the WAL and then again to the database
    (a build that fails is rebuilt from scratch: the marker still says "building"). `on=False`
    puts back what the server's connections use (config.settings: WAL, synchronous=NORMAL)."""
    if connection.vendor != "sqlite":
        return
    statements = (
        [
            f"PRAGMA cache_size = -{BUILD_CACHE_KIB}",
            "PRAGMA journal_mode = MEMORY",
            "PRAGMA synchronous = OFF",
            "PRAGMA temp_store = MEMORY",
        ]
        if on
        else ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA temp_store = DEFAULT"]
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def generate_all(size: Size, areas: list[Area], *, log: Log) -> dict[str, int]:
    """Run every area's generator in ORDER against the current database."""
    ctx = new_gen_context(size, log=log)
    for area in areas:
        if area.generate is None:
            continue
        t0, cpu0 = time.perf_counter(), _cpu()
        before = dict(ctx.created)
        area.generate(ctx)
        made = {k: v - before.get(k, 0) for k, v in ctx.created.items() if v != before.get(k, 0)}
        what = ", ".join(f"{n:,} {label}" for label, n in made.items()) or "nothing"
        log(f"  {area.module}: {what} in {time.perf_counter() - t0:.1f} s (CPU {_cpu() - cpu0:.1f} s)")
    return ctx.created


def _looks_complete(size: Size) -> bool:
    from audit.models import AuditEvent

    return AuditEvent.objects.count() >= size.audit_events


def table_counts() -> list[tuple[str, int]]:
    """Rows per model table (non-empty ones), largest first."""
    out = []
    existing = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model._meta.db_table not in existing:
            continue
        n = model._base_manager.count()
        if n:
            out.append((model._meta.label, n))
    return sorted(out, key=lambda item: (-item[1], item[0]))
