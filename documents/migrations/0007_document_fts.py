"""SQLite only: the FTS5 trigram index of the master list's search and the triggers that keep it
in step with documents_document (documents/fts.py). PostgreSQL has its own index (0003)."""

from django.db import migrations


def create(apps, schema_editor):
    from documents import fts

    fts.create(schema_editor.connection)


def drop(apps, schema_editor):
    from documents import fts

    fts.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0006_issue_existing_controlled_copies"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
