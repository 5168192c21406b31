"""Document.distribution_units gets an explicit through model on the table it had (no data moves),
then the version in force and its effective date on each row, filled set-based from the documents,
and the index a unit's reading list is read from (issue 10)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE documents_document_distribution_units SET
    current_version_id = (
        SELECT d.current_version_id FROM documents_document d
        WHERE d.id = documents_document_distribution_units.document_id
    ),
    effective_on = (
        SELECT v.effective_on FROM documents_document d
        JOIN documents_documentversion v ON v.id = d.current_version_id
        WHERE d.id = documents_document_distribution_units.document_id
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0015_waiting_index_includes_id"),
        ("organization", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Distribution",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "document",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="documents.document"),
                        ),
                        (
                            "orgunit",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="organization.orgunit"),
                        ),
                    ],
                    options={
                        "db_table": "documents_document_distribution_units",
                        "unique_together": {("document", "orgunit")},
                    },
                ),
                migrations.AlterField(
                    model_name="document",
                    name="distribution_units",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="distributed_documents",
                        through="documents.Distribution",
                        to="organization.orgunit",
                        verbose_name="distributed to",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="distribution",
            name="current_version",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="distribution_rows",
                to="documents.documentversion",
            ),
        ),
        migrations.AddField(
            model_name="distribution",
            name="effective_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=False),
        migrations.AddIndex(
            model_name="distribution",
            index=models.Index(fields=["orgunit", "-effective_on", "current_version"], name="distribution_reading_idx"),
        ),
    ]
