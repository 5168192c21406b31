"""Demo supervision (seed Tabla 03, "Supervisión integral de los procesos"): UT Cusco, September
2020, with its checklist, report and a matriz de mejora of three items (one implemented with
evidence, one open, one overdue)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from actions.models import ActionItem
from actions.services import add_item_evidence, set_action_status
from organization.models import Process, Site
from supervisions import services
from supervisions.models import Supervision

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load() -> dict[str, Any]:
    if Supervision.objects.exists():
        return {}
    tecnico = User.objects.get(username="tecnico")
    head = User.objects.get(username="ut.cusco")
    sup = services.create_supervision(
        data={
            "code": "SUP-03-2020",
            "site": Site.objects.get(code="UT-CUS"),
            "title": "Supervisión integral de los procesos — UT Cusco",
            "plan": "Verificar la afiliación, la verificación de corresponsabilidades y la transferencia de incentivos; "
            "reunión de apertura el 21/09/2020, visitas a 3 distritos, reunión de cierre el 23/09/2020.",
            "start_date": datetime.date(2020, 9, 21),
            "end_date": datetime.date(2020, 9, 23),
            "supervisors": [tecnico],
        },
        by=tecnico,
    )
    m01 = Process.objects.filter(code="M01").first()
    checks = [
        ("Padrón de hogares actualizado", "meets", ""),
        ("Verificación de corresponsabilidades en plazo", "partial", "2 distritos con retraso de una semana."),
        ("Archivo de expedientes de afiliación", "fails", "Expedientes sin foliar ni índice."),
    ]
    for aspect, result, observation in checks:
        services.add_check(sup, aspect=aspect, result=result, observation=observation, process=m01, by=tecnico)
    items = [
        ("Foliar e indexar los expedientes de afiliación", datetime.date(2020, 10, 30)),
        ("Programar la verificación de corresponsabilidades con los gestores locales", datetime.date(2020, 11, 30)),
        (
            "Capacitar a los gestores locales en el procedimiento de archivo",
            timezone.localdate() + datetime.timedelta(days=60),
        ),
    ]
    made = [services.add_improvement(sup, title=t, due_date=d, responsible=head, by=tecnico) for t, d in items]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.files import inspect_upload

    upload = inspect_upload(SimpleUploadedFile("archivo.pdf", PDF, content_type="application/pdf"))
    add_item_evidence(made[0], data={"upload": upload, "file_title": "Índice del archivo de la UT"}, by=head)
    set_action_status(made[0], status=ActionItem.Status.DONE, note="Expedientes foliados e indexados.", by=head)
    services.record_report(
        sup, report="La UT Cusco cumple en lo esencial; se acordó una matriz de mejora de tres ítems.", by=tecnico
    )
    return {"supervisions": 1, "items": len(made)}
