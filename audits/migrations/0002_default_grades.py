"""The default grades of findings (configurable afterwards): NC mayor / NC menor raise a
nonconformity; Observación, Oportunidad de mejora and Fortaleza do not."""

from typing import Any

from django.db import migrations

GRADES = [
    ("NCM", "No conformidad mayor", "major", 1),
    ("NCm", "No conformidad menor", "minor", 2),
    ("OBS", "Observación", "", 3),
    ("OM", "Oportunidad de mejora", "", 4),
    ("FOR", "Fortaleza", "", 5),
]


def add(apps: Any, schema_editor: Any) -> None:
    grade = apps.get_model("audits", "FindingGrade")
    for code, name, nc_grade, order in GRADES:
        grade.objects.get_or_create(code=code, defaults={"name": name, "nc_grade": nc_grade, "order": order})


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
