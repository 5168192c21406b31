"""The database refuses UPDATE, DELETE (and, on PostgreSQL, TRUNCATE) on the audit table.

Triggers installed by migration audit.0002 on SQLite and PostgreSQL. They stop every writer that
goes through SQL, the application's own code included; a writer who can drop them (the table's
owner) can still tamper, which the keyed chain and the external anchors then reveal. In
production the application connects to PostgreSQL as a role without UPDATE, DELETE and TRUNCATE
privileges on the table (README, "Audit trail"), so it cannot drop them either.

`unguarded()` drops and re-creates them in one transaction, for the test suite's flush of the
database between transactional tests and for deliberate maintenance by the table's owner.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction

TABLE = "audit_auditevent"
MESSAGE = "the audit trail is append-only"

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
_SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"]

_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()",
]
_PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
]
EXPECTED = {"sqlite": 2, "postgresql": 2}


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection: Any) -> None:
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_INSTALL)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_INSTALL)


def uninstall(connection: Any) -> None:
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_UNINSTALL)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_UNINSTALL)


def installed(connection: Any) -> bool:
    """Are the triggers in place? (SQLite drops them when a migration rebuilds the table.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal", [TABLE]
            )
        else:
            return False
        return int(cursor.fetchone()[0]) >= EXPECTED[connection.vendor]


@contextmanager
def unguarded(using: str = "default") -> Iterator[None]:
    """Lift the triggers for the duration of the block, in one transaction (other connections
    never see the table unguarded; an error rolls the lifting back). The table's owner only."""
    connection = connections[using]
    with transaction.atomic(using=using):
        uninstall(connection)
        yield
        install(connection)
