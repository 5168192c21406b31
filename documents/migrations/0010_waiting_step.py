"""The stamp of the step each version waits for (documents.waiting), filled for existing rows.

The text columns are added with a constant database default, as one ALTER TABLE each on SQLite
and PostgreSQL alike (Django would rebuild the whole versions table on SQLite for a NOT NULL
column). Only versions in a waiting status are then stamped; the index is built last."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "documents_documentversion"
WAITING_STEP = {"in_review": "review", "in_endorsement": "endorse", "in_approval": "approve", "approved": "publish"}
BARRED_STATUSES = {"in_review", "in_approval"}
BATCH = 1000


def _text_column(name: str, max_length: int) -> migrations.SeparateDatabaseAndState:
    field = models.CharField(blank=True, default="", db_default="", editable=False, max_length=max_length)
    return migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL(
                f"ALTER TABLE {TABLE} ADD COLUMN {name} varchar({max_length}) DEFAULT '' NOT NULL",
                f"ALTER TABLE {TABLE} DROP COLUMN {name}",
            )
        ],
        state_operations=[migrations.AddField(model_name="documentversion", name=name, field=field)],
    )


def stamp_waiting_versions(apps, schema_editor):
    """As documents.waiting.refresh(), on the historical models."""
    DocumentVersion = apps.get_model("documents", "DocumentVersion")
    WorkflowRule = apps.get_model("documents", "WorkflowRule")
    rules = {}
    for type_id, unit_id, step, role in WorkflowRule.objects.filter(step__in=set(WAITING_STEP.values())).values_list(
        "document_type_id", "unit_id", "step", "role"
    ):
        rules.setdefault((type_id, step), {}).setdefault(unit_id, set()).add(role)
    rows = DocumentVersion.objects.filter(status__in=list(WAITING_STEP)).values_list(
        "pk",
        "status",
        "created_by_id",
        "document__document_type_id",
        "document__owner_unit_id",
        "document__site_id",
        "document__code",
        "document__document_type__allow_self_approval",
    )
    fields = ["waiting_step", "waiting_roles", "waiting_site", "waiting_code", "waiting_barred"]
    batch = []
    for pk, status, created_by_id, type_id, unit_id, site_id, code, self_ok in rows.iterator(chunk_size=BATCH):
        step = WAITING_STEP[status]
        by_unit = rules.get((type_id, step), {})
        roles = by_unit.get(unit_id) or by_unit.get(None) or set()
        batch.append(
            DocumentVersion(
                pk=pk,
                waiting_step=step,
                waiting_roles=" ".join(sorted(roles)),
                waiting_site_id=site_id,
                waiting_code=code,
                waiting_barred_id=created_by_id if status in BARRED_STATUSES and not self_ok else None,
            )
        )
        if len(batch) >= BATCH:
            DocumentVersion.objects.bulk_update(batch, fields, batch_size=BATCH)
            batch = []
    if batch:
        DocumentVersion.objects.bulk_update(batch, fields, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0009_review_due_and_type_indexes"),
        ("organization", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        _text_column("waiting_step", 10),
        _text_column("waiting_roles", 200),
        _text_column("waiting_code", 100),
        migrations.AddField(
            model_name="documentversion",
            name="waiting_site",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organization.site",
            ),
        ),
        migrations.AddField(
            model_name="documentversion",
            name="waiting_barred",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(stamp_waiting_versions, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="documentversion",
            index=models.Index(
                fields=["waiting_roles", "waiting_site", "waiting_code", "number", "waiting_barred"],
                name="version_waiting_idx",
            ),
        ),
    ]
