"""Demo nonconformities: one in every state of the loop (abierta, en análisis, plan aprobado, en
ejecución, verificación de eficacia, cerrada, and one reopened), from several sources and units,
with corrective actions in the shared tracker, some of them overdue. The NCs raised by the demo
audits' findings come from audits.demo."""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import User
from actions.models import ActionItem
from actions.services import add_item_evidence, set_action_status
from nonconformities import services
from nonconformities.models import Nonconformity
from organization.models import Process, Site

S = Nonconformity.Status
D = datetime.date

# title, source, grade, site, detected, target state, reference
ROWS = [
    ("Queja no atendida dentro del plazo", "complaint", "minor", "UT-CUS", D(2020, 3, 10), S.OPEN, "Queja 014-2020"),
    (
        "Indicador de visitas domiciliarias por debajo de la meta",
        "indicator",
        "minor",
        "UT-PUN",
        D(2020, 4, 2),
        S.ANALYSIS,
        "IND-M01-03",
    ),
    (
        "Acuerdos de la revisión por la dirección sin responsable",
        "review",
        "major",
        "SC",
        D(2020, 5, 5),
        S.PLAN_APPROVED,
        "Revisión por la dirección 2020",
    ),
    ("Contraseñas compartidas en la UT", "self", "major", "UT-CUS", D(2020, 6, 12), S.EXECUTION, ""),
    (
        "Riesgo de soborno sin control en compras menores",
        "risk",
        "minor",
        "SC",
        D(2020, 7, 1),
        S.VERIFICATION,
        "R-SGAS-07",
    ),
    ("Formato de registro de incidencias desactualizado", "self", "minor", "UT-CUS", D(2020, 2, 3), S.CLOSED, ""),
    (
        "Padrón de hogares sin respaldo diario",
        "supervision",
        "major",
        "UT-PUN",
        D(2020, 8, 20),
        S.ANALYSIS,
        "Supervisión integral 03-2020",
    ),
]


def load() -> dict[str, Any]:
    if Nonconformity.objects.filter(source__in=["complaint", "indicator"]).exists():
        return {}
    cmg = User.objects.get(username="cmg")
    auditor = User.objects.get(username="auditor")
    heads = {"UT-CUS": User.objects.get(username="ut.cusco"), "UT-PUN": User.objects.get(username="ut.puno"), "SC": cmg}
    m01 = Process.objects.filter(code="M01").first()
    made = 0
    for n, (title, source, grade, site, detected, target, ref) in enumerate(ROWS):
        keeper = heads[site]
        nc = services.raise_nc(
            data={
                "source": source,
                "source_reference": ref,
                "grade": grade,
                "title": title,
                "description": f"{title}. Detectado el {detected:%d/%m/%Y}.",
                "site": Site.objects.get(code=site),
                "process": m01 if site != "SC" else None,
                "detected_on": detected,
            },
            by=keeper,
        )
        made += 1
        if target == S.OPEN:
            continue
        services.record_correction(nc, correction="Se corrigió el caso detectado.", on=detected, by=keeper)
        services.record_analysis(
            nc,
            whys=["No se aplicó el control", "El procedimiento no lo exige", "No se actualizó tras el cambio de norma"],
            ishikawa={"method": "Procedimiento desactualizado", "people": "Personal nuevo sin inducción"},
            root_cause="El procedimiento no incorpora el control desde la última actualización.",
            by=keeper,
        )
        responsible = keeper if site != "SC" else User.objects.get(username="tecnico")
        # the NC in execution keeps an overdue action; the others' are due later in 2020
        due = detected + datetime.timedelta(days=30 if target == S.EXECUTION else 60)
        item = services.propose_action(
            nc,
            title=f"Actualizar el procedimiento y capacitar ({n + 1})",
            responsible=responsible,
            due_date=due,
            by=keeper,
        )
        if target == S.ANALYSIS and grade == "major":
            # a reopened one: the earlier actions proved ineffective
            services.take_step(nc, action="approve_plan", by=cmg)
            services.take_step(nc, action="execute", by=keeper)
            set_action_status(item, status=ActionItem.Status.CANCELLED, note="Sustituida tras la verificación.", by=cmg)
            services.take_step(nc, action="request_verification", by=keeper)
            services.verify_effectiveness(
                nc, rating="ineffective", note="Se repitió la pérdida de datos en setiembre.", by=auditor
            )
            continue
        if target == S.ANALYSIS:
            continue
        services.take_step(nc, action="approve_plan", by=cmg)
        if target == S.PLAN_APPROVED:
            continue
        services.take_step(nc, action="execute", by=keeper)
        if target == S.EXECUTION:
            continue
        _evidence(item, responsible)
        set_action_status(
            item, status=ActionItem.Status.DONE, note="Procedimiento actualizado y personal capacitado.", by=responsible
        )
        services.take_step(nc, action="request_verification", by=keeper)
        if target == S.VERIFICATION:
            continue
        services.verify_effectiveness(
            nc, rating="effective", note="Sin recurrencia en tres meses de seguimiento.", by=auditor
        )
    return {"nonconformities": made}


# A minimal one-page PDF: the evidence file of the demo's finished actions.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence(item: ActionItem, by: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.files import inspect_upload

    upload = inspect_upload(SimpleUploadedFile("procedimiento.pdf", PDF, content_type="application/pdf"))
    add_item_evidence(item, data={"upload": upload, "file_title": f"Sustento de {item.number}"}, by=by)
