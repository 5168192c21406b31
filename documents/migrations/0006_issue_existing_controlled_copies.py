"""Every controlled copy issued before the shared table existed gets its row in
reports.IssuedDocument, so /verifica/ keeps finding it."""

from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    DocumentVersion = apps.get_model("documents", "DocumentVersion")
    IssuedDocument = apps.get_model("reports", "IssuedDocument")
    ct, _ = ContentType.objects.get_or_create(app_label="documents", model="documentversion")
    rows = []
    qs = DocumentVersion.objects.filter(verification_code__isnull=False).select_related("document")
    for v in qs.iterator(chunk_size=2000):
        rows.append(
            IssuedDocument(
                verification_code=v.verification_code,
                kind="documents.version",
                object_type_id=ct.pk,
                object_id=v.pk,
                code=v.document.code[:100],
                title=v.document.title[:500],
                version=f"{v.number:02d}",
                sha256=v.controlled_sha256 or "",
                issued_by_id=None,
            )
        )
        if len(rows) >= 2000:
            IssuedDocument.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    IssuedDocument.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_verification_moves_to_reports"),
        ("reports", "0001_issued_documents"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
