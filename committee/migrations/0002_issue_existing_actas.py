"""Every acta closed before the shared table existed gets its row in reports.IssuedDocument, so
/verifica/ keeps finding it."""

from django.db import migrations


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Session = apps.get_model("committee", "Session")
    IssuedDocument = apps.get_model("reports", "IssuedDocument")
    ct, _ = ContentType.objects.get_or_create(app_label="committee", model="session")
    rows = [
        IssuedDocument(
            verification_code=s.acta_verification_code,
            kind="committee.acta",
            object_type_id=ct.pk,
            object_id=s.pk,
            code=f"CSIG-{s.number}"[:100],
            title=f"Acta de sesión {s.number}"[:500],
            version="01",
            sha256=s.acta_sha256 or "",
        )
        for s in Session.objects.filter(acta_verification_code__isnull=False)
    ]
    IssuedDocument.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0001_initial"),
        ("reports", "0001_issued_documents"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
