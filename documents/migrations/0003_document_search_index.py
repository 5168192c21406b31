"""Full-text search support, on PostgreSQL only (SQLite searches with LIKE; see
documents/selectors.py):

- the text search configuration `sig_spanish`: PostgreSQL's 'spanish' (stemming, stop words)
  with accents removed first (the `unaccent` extension), so "auditoria" finds "auditoría". Where
  the extension cannot be created (no privilege), the configuration is a plain copy of 'spanish'
  and accents must be typed as written.
- `documents_document.search_vector`: a stored generated tsvector column — code and title with
  weight A, the versions' text (search_text) with weight D — that PostgreSQL keeps up to date on
  every write. The model does not declare it (SQLite has no tsvector); documents.selectors reads
  it with RawSQL. Storing it lets ts_rank read the vector instead of re-parsing every matching
  document's text (seconds for a common word over 20,000 documents).
- a GIN index on that column."""

from django.db import migrations, transaction

CONFIG = "sig_spanish"
COLUMN = "search_vector"
INDEX = "documents_document_fts"
EXPRESSION = (
    f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(code, '') || ' ' || coalesce(title, '')), 'A') "
    f"|| setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(search_text, '')), 'D')"
)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        unaccent = True
    except Exception:  # noqa: BLE001 - without the privilege, search is accent-sensitive
        unaccent = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
        exists = cursor.fetchone() is not None
    if not exists:
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.spanish)")
        if unaccent:
            schema_editor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem"
            )
    schema_editor.execute(
        f"ALTER TABLE documents_document ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({EXPRESSION}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document USING gin ({COLUMN})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE documents_document DROP COLUMN IF EXISTS {COLUMN}")
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_document_review_reminded_on"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
