# ruff: noqa: S608 - SQL built from this module's constant names only; user text is always a parameter
"""The SQLite full-text index of the master list's search (PostgreSQL has its own: migration 0003).

The search matches a text as a case-insensitive substring of a document's code, title or
`search_text` (the text of its versions, see documents.services._refresh_document). On SQLite that
was a LIKE over every row: a scan of all the versions' text. Here an FTS5 table with the
`trigram` tokenizer indexes the same three columns: a phrase query of three or more characters
finds exactly the rows that contain it as a substring, ignoring case, from the index.

- `documents_document_fts` is an *external-content* FTS5 table over `documents_document` (the
  text is not stored twice, only the index).
- Triggers on `documents_document` keep it in step with every INSERT, UPDATE of code, title or
  search_text, and DELETE, inside the writing transaction.
- Django's SQLite schema editor rebuilds a table (copy, drop, rename) for some ALTERs, which drops
  its triggers: `ensure()` (run after every `migrate`) recreates missing triggers and rebuilds the
  index when it did so. `./sig manage rebuild_search_index` rebuilds it by hand.
- `suspended()` drops the triggers for a bulk load (the benchmark's generator) and rebuilds the
  index once at the end, which is several times faster than row-by-row maintenance.

Semantics kept identical to the LIKE search: the trigram tokenizer folds case per Unicode, SQLite's
LIKE only for ASCII letters, so a query with non-ASCII characters is re-checked with the LIKE
predicate on the rows the index found; a query shorter than three characters cannot use trigrams
and falls back to the plain LIKE.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

TABLE = "documents_document_fts"
SOURCE = "documents_document"
COLUMNS = ("code", "title", "search_text")
TRIGGERS = {
    f"{TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_ai AFTER INSERT ON {SOURCE} BEGIN "
        f"INSERT INTO {TABLE}(rowid, code, title, search_text) "
        "VALUES (new.id, new.code, new.title, new.search_text); END"
    ),
    f"{TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_ad AFTER DELETE ON {SOURCE} BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, code, title, search_text) "
        "VALUES ('delete', old.id, old.code, old.title, old.search_text); END"
    ),
    f"{TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_au AFTER UPDATE OF code, title, search_text ON {SOURCE} BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, code, title, search_text) "
        "VALUES ('delete', old.id, old.code, old.title, old.search_text); "
        f"INSERT INTO {TABLE}(rowid, code, title, search_text) "
        "VALUES (new.id, new.code, new.title, new.search_text); END"
    ),
}
MIN_CHARS = 3  # a trigram index cannot find a shorter text


def supported(conn: Any = None) -> bool:
    return (conn or connection).vendor == "sqlite"


def _names(cursor: Any, kind: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {row[0] for row in cursor.fetchall()}


def exists(conn: Any = None) -> bool:
    conn = conn or connection
    if not supported(conn):
        return False
    with conn.cursor() as cursor:
        return TABLE in _names(cursor, "table")


def create(conn: Any = None) -> None:
    """Create the index table and its triggers, and fill it (idempotent)."""
    conn = conn or connection
    if not supported(conn):
        return
    with conn.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
            f"{', '.join(COLUMNS)}, content='{SOURCE}', content_rowid='id', tokenize='trigram')"
        )
        for sql in TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def drop(conn: Any = None) -> None:
    conn = conn or connection
    if not supported(conn):
        return
    with conn.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def rebuild(conn: Any = None) -> None:
    """Re-read every document into the index (after a bulk load or to repair it)."""
    conn = conn or connection
    if not supported(conn):
        return
    with conn.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def ensure(conn: Any = None) -> bool:
    """Recreate the table or any trigger a table rebuild dropped; returns True when it repaired
    something (the index was then rebuilt, as writes may have happened without triggers)."""
    conn = conn or connection
    if not supported(conn):
        return False
    with conn.cursor() as cursor:
        tables = _names(cursor, "table")
        if SOURCE not in tables:
            return False
        if TABLE in tables and set(TRIGGERS) <= _names(cursor, "trigger"):
            return False
    create(conn)
    return True


@contextmanager
def suspended(conn: Any = None) -> Iterator[None]:
    """Bulk loads: no per-row index maintenance inside; one rebuild at the end."""
    conn = conn or connection
    if not supported(conn):
        yield
        return
    with conn.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        create(conn)


def phrase(text: str) -> str:
    """An FTS5 query matching `text` as one substring (a quoted phrase; quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


def usable(text: str) -> bool:
    """The index answers this search (on SQLite, where migration 0007 created it)."""
    return supported() and len(text) >= MIN_CHARS


def matching_ids_sql(text: str) -> tuple[str, list[str]]:
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [phrase(text)]


def frequent(text: str, cap: int) -> bool:
    """More than `cap` documents contain `text`: counted from the index, stopping at `cap + 1`
    (FTS5 walks its matches lazily, so this costs at most ~cap rows, never the whole list)."""
    sql, params = matching_ids_sql(text)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s)", [*params, cap + 1])
        return int(cursor.fetchone()[0]) > cap
