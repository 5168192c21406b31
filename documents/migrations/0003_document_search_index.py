"""GIN index for the master list's full-text search, on PostgreSQL only (SQLite searches with
LIKE; see documents/selectors.py). The indexed expression is exactly the SQL that
documents.selectors.search_vector() compiles to; if one changes, change the other or
PostgreSQL stops using the index."""

from django.db import migrations

INDEX = "documents_document_fts"
EXPRESSION = (
    "to_tsvector('spanish'::regconfig, COALESCE(\"code\", '') || ' ' || COALESCE(\"title\", '') || ' ' "
    "|| COALESCE(\"search_text\", ''))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document USING gin ({EXPRESSION})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_document_review_reminded_on"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
