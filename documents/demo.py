"""Demo document control: types, workflow rules, the seed's own plan (two versions, change
control §15, approval steps) and procedures named in the seed's Tabla 03."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from documents import services
from documents.models import CodeScheme, Document, DocumentType, DocumentVersion, WorkflowRule, WorkflowStep
from organization.models import ManagementSystem, OrgUnit, Process

# code, name es, name en, requires approval, author may approve, review months
TYPES = [
    ("M", "Manual", "Manual", True, False, 24),
    ("POL", "Política", "Policy", True, False, 24),
    ("PL", "Plan", "Plan", True, False, 12),
    ("P", "Procedimiento", "Procedure", True, False, 24),
    ("G", "Guía", "Guide", True, False, 24),
    ("I", "Instructivo", "Work instruction", True, False, 24),
    ("F", "Formato", "Form", True, False, 36),
    ("R", "Registro", "Record", True, False, 36),
    ("MT", "Matriz", "Matrix", True, False, 12),
    ("INF", "Informe", "Report", True, True, 36),
    ("A", "Acta", "Minutes (acta)", True, True, 36),
    ("RDE", "Resolución de Dirección Ejecutiva", "Executive Direction resolution", True, False, 60),
    ("MEM", "Memorando", "Memorandum", True, True, 36),
    ("EXT", "Documento externo", "External document", False, False, 24),
]
DRAFTERS = [
    Role.SIG_COORDINATOR,
    Role.UNIT_HEAD,
    Role.TECH_COORDINATOR,
    Role.UPPM_HEAD,
    Role.SECURITY_OFFICER,
    Role.INTEGRITY_OFFICER,
]
TOP_APPROVAL = {"M", "POL", "PL", "P", "G", "RDE", "EXT"}


def load_types() -> None:
    CodeScheme.objects.get_or_create(pk=1)
    for order, (code, name, name_en, requires, self_ok, months) in enumerate(TYPES):
        dtype, created = DocumentType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "requires_approval": requires,
                "allow_self_approval": self_ok,
                "default_review_months": months,
                "order": order,
            },
        )
        if not created:
            continue
        rules: list[tuple[str, str]] = [(WorkflowRule.Step.ELABORATE, r) for r in DRAFTERS]
        rules += [(WorkflowRule.Step.REVIEW, Role.UPPM_HEAD), (WorkflowRule.Step.REVIEW, Role.SIG_COORDINATOR)]
        rules += [(WorkflowRule.Step.ENDORSE, Role.UNIT_HEAD), (WorkflowRule.Step.ENDORSE, Role.UPPM_HEAD)]
        approver = Role.DIRECTOR if code in TOP_APPROVAL else Role.UPPM_HEAD
        rules += [(WorkflowRule.Step.APPROVE, approver)]
        rules += [(WorkflowRule.Step.PUBLISH, r) for r in (Role.SIG_COORDINATOR, Role.UPPM_HEAD, Role.DIRECTOR)]
        WorkflowRule.objects.bulk_create(WorkflowRule(document_type=dtype, step=s, role=r) for s, r in rules)


PLAN_V1 = """## 1. Objetivo

Establecer las actividades para la planificación, mantenimiento y mejora del Sistema de Gestión de la Calidad (SGC) y Antisoborno (SGAS) basado en las normas ISO 9001:2015 e ISO 37001:2016 en el Programa Nacional de Apoyo Directo a los Más Pobres "JUNTOS".

## 2. Alcance

El presente Plan aplica a todos los procesos involucrados en el alcance del Sistema de Gestión de la Calidad y Antisoborno.
"""

PLAN_V2 = """## 1. Objetivo

Establecer las actividades para la planificación, mantenimiento y mejora del Sistema de Gestión de la Calidad (SGC) y Antisoborno (SGAS) basado en las normas ISO 9001:2015 e ISO 37001:2016, así como implementar el Sistema de Gestión de Seguridad de la Información (SGSI) en el marco de la norma NTP ISO/IEC 27001:2014, en el Programa Nacional de Apoyo Directo a los Más Pobres "JUNTOS".

## 2. Alcance

El presente Plan aplica a todos los procesos involucrados en el alcance del Sistema de Gestión de la Calidad y Antisoborno (Cuadro N.º 01: Afiliación, Verificación del cumplimiento de corresponsabilidades, Mantenimiento de Padrón de Hogares, Liquidación y transferencia, Entrega del incentivo monetario condicionado y Acompañamiento familiar, en Sede Central y 21 Unidades Territoriales). El SGSI comprende el proceso de Liquidación y transferencia en la Sede Central.

## 5. Responsabilidades

- **Comité del Sistema Integrado de Gestión:** revisar el Plan de Desarrollo del SIG y sus modificaciones.
- **Director/a Ejecutivo/a:** aprobar el Plan y sus modificaciones.
- **Jefe/a de UPPM:** gestionar la implementación de las acciones en el marco de su competencia.
- **Coordinador/a de Modernización de la Gestión:** realizar el seguimiento de la implementación de las acciones plasmadas en el cronograma de actividades.
- **Coordinador/a Técnico/a:** desarrollar las acciones plasmadas en el cronograma de actividades, en el marco de sus competencias.

## 12. Etapas del Plan de Desarrollo del SIG

Mantenimiento; Seguimiento, medición y análisis de procesos; y Mejora (Tablas n.º 01 a 03).

## 13. Reformulación y mejoras al Plan

Las modificaciones al Plan se realizan según la necesidad del Programa JUNTOS con el sustento de la Unidad de Planeamiento, Presupuesto y Modernización; son revisadas por el Comité del SIG y aprobadas por la Dirección Ejecutiva, y se reportan a la DGCGPS mediante oficio y a los involucrados mediante memorando múltiple.

## 14. Presupuesto asignado

De acuerdo al POI 2020, la Coordinación de Modernización de la Gestión cuenta con un presupuesto de S/ 130,000.00.
"""

# Procedures of Tabla 03: (title, process code, final state, approving RDE, clauses, steps).
# The seed names them; their content is ours (plausible, for the demo), citing clause numbers only.
PROCEDURES = [
    (
        "Procedimiento para la gestión de documentos normativos",
        "E02.01",
        "current",
        "RDE N.° 078-2020-MIDIS/PNADP-DE",
        "ISO 9001 7.5; ISO 37001 7.5; ISO/IEC 27001 7.5",
        [
            ("Identificar la necesidad de crear o modificar un documento normativo", "Unidad usuaria"),
            ("Elaborar el proyecto con la estructura y codificación vigentes", "Unidad usuaria"),
            ("Revisar la coherencia con el SIG y la normativa aplicable", "UPPM-CMG"),
            ("Visar el proyecto por las unidades involucradas", "Unidades involucradas"),
            ("Aprobar mediante Resolución de Dirección Ejecutiva", "Dirección Ejecutiva"),
            ("Publicar en el portal, difundir y retirar la versión obsoleta", "UPPM-CMG"),
        ],
    ),
    (
        "Procedimiento de gestión de No Conformidades y acciones de mejora",
        "E02.02",
        "current",
        "RDE N.° 079-2020-MIDIS/PNADP-DE",
        "ISO 9001 10.2; ISO 37001 10.1; ISO/IEC 27001 10.2",
        [
            ("Registrar la no conformidad y su fuente (auditoría, supervisión, QRD, indicador)", "Quien la detecta"),
            ("Aplicar la corrección inmediata cuando corresponda", "Unidad responsable"),
            ("Analizar la causa raíz (5 porqués o Ishikawa)", "Unidad responsable"),
            ("Proponer y aprobar el plan de acción con responsables y plazos", "UPPM-CMG"),
            ("Ejecutar las acciones y adjuntar la evidencia", "Unidad responsable"),
            ("Verificar la eficacia y cerrar, o reabrir si no fue eficaz", "UPPM-CMG"),
        ],
    ),
    (
        "Procedimiento de auditorías internas del SIG",
        "E02.02",
        "current",
        "RDE N.° 080-2020-MIDIS/PNADP-DE",
        "ISO 9001 9.2; ISO 37001 9.2; ISO/IEC 27001 9.2; ISO 19011",
        [
            ("Elaborar el programa anual de auditorías internas", "UPPM-CMG"),
            ("Designar al equipo auditor, independiente del proceso auditado", "UPPM-CMG"),
            ("Preparar el plan de auditoría y la lista de verificación integrada", "Auditor líder"),
            ("Ejecutar la auditoría (presencial o remota) y registrar evidencias", "Equipo auditor"),
            ("Comunicar los hallazgos en la reunión de cierre", "Auditor líder"),
            ("Emitir el informe de auditoría y hacer seguimiento a las acciones", "Auditor líder / UPPM-CMG"),
        ],
    ),
    (
        "Procedimiento para la revisión del SIG",
        "E02.02",
        "in_review",
        "",
        "ISO 9001 9.3; ISO 37001 9.3; ISO/IEC 27001 9.3",
        [
            ("Programar la revisión por la Dirección", "UPPM-CMG"),
            ("Consolidar las entradas: auditorías, indicadores, riesgos, QRD y acciones", "UPPM-CMG"),
            ("Realizar la sesión de revisión con la Alta Dirección", "Dirección Ejecutiva"),
            ("Registrar las decisiones y acciones en el acta", "Comité del SIG"),
        ],
    ),
    (
        "Procedimiento para la supervisión integral de los procesos",
        "M01",
        "draft",
        "",
        "ISO 9001 8.5.1, 9.1.1",
        [
            ("Programar las supervisiones integrales a las UT", "UOP-CT"),
            ("Aplicar la lista de verificación de los procesos operativos", "Supervisor"),
            ("Elaborar la matriz de mejora con la UT", "Supervisor / Jefe de UT"),
            ("Hacer seguimiento a la implementación de la matriz", "Coordinador Técnico"),
        ],
    ),
    (
        "Procedimiento para la atención de QRD de las usuarias y partes interesadas",
        "E03",
        "draft",
        "",
        "ISO 9001 8.2.1, 9.1.2; ISO 37001 8.9",
        [
            ("Recibir el caso de QRD por cualquier canal de atención", "Mesa de partes / UT"),
            ("Registrar y clasificar el caso; derivar las denuncias al Oficial de Integridad", "Unidad de atención"),
            ("Atender y responder dentro del plazo legal", "Unidad competente"),
            ("Analizar las tendencias y proponer mejoras", "UPPM-CMG"),
        ],
    ),
]


def procedure_content(title: str, clauses: str, steps: list[tuple[str, str]]) -> str:
    """Plausible body of a demo procedure in the entity's usual structure."""
    rows = "\n".join(f"| {i} | {what} | {who} |" for i, (what, who) in enumerate(steps, start=1))
    return (
        f"## 1. Objetivo\n\nEstablecer las actividades para {title[0].lower() + title[1:].removeprefix('procedimiento ')}"
        ", asegurando su aplicación uniforme en la Sede Central y las Unidades Territoriales.\n\n"
        "## 2. Alcance\n\nEs de aplicación a todos los órganos y unidades del Programa JUNTOS, "
        "en la Sede Central y en las 21 Unidades Territoriales.\n\n"
        f"## 3. Base normativa\n\n- Requisitos: {clauses}.\n- Manual del Sistema Integrado de Gestión.\n\n"
        "## 4. Responsabilidades\n\nLa Coordinación de Modernización de la Gestión (UPPM-CMG) vela por su "
        "cumplimiento; cada unidad aplica el procedimiento en su ámbito.\n\n"
        "## 5. Descripción de actividades\n\n| N.° | Actividad | Responsable |\n|---|---|---|\n"
        f"{rows}\n\n"
        "## 6. Registros\n\nLos registros generados se conservan en sig, con su trazabilidad.\n"
    )


def _steps_at(version: DocumentVersion, when: dict[str, datetime.datetime]) -> None:
    for action, at in when.items():
        WorkflowStep.objects.filter(version=version, action=action).update(at=at)


def _dt(y: int, m: int, d: int) -> datetime.datetime:
    return datetime.datetime(y, m, d, 10, 0, tzinfo=timezone.get_current_timezone())


def _reissue(version: DocumentVersion, code: str | None = None) -> None:
    """Demo only: after back-dating the workflow steps to 2020 (and, for the plan's version 02,
    giving it the code printed on the seed), render the controlled copy again so the PDF shows
    those dates and that code."""
    import hashlib

    from django.core.files.base import ContentFile

    from documents.controlled import render_controlled_pdf

    version.refresh_from_db()
    code = code or version.verification_code
    assert code is not None
    version.verification_code = code
    pdf = render_controlled_pdf(version)
    version.controlled_sha256 = hashlib.sha256(pdf).hexdigest()
    version.controlled_pdf.save(f"{version.document.code}-v{version.label}-{code}.pdf", ContentFile(pdf), save=False)
    version.save(update_fields=["verification_code", "controlled_sha256", "controlled_pdf"])


def load() -> dict[str, Any]:
    load_types()
    if Document.objects.exists():
        return {}
    cmg = User.objects.get(username="cmg")
    uppm = User.objects.get(username="uppm")
    director = User.objects.get(username="direccion")
    unit = OrgUnit.objects.get(code="UPPM-CMG")
    systems = list(ManagementSystem.objects.all())
    plan_type = DocumentType.objects.get(code="PL")

    # The seed's own plan: version 01 (RDE 013-2020) and version 02 (RDE of 17/08/2020).
    plan = services.register_document(
        by=cmg,
        data={
            "title": "Plan de Desarrollo del Sistema Integrado de Gestión 2020",
            "document_type": plan_type,
            "owner_unit": unit,
            "process": Process.objects.get(code="E02"),
            "classification": "public",
            "systems": systems,
            "content": PLAN_V1,
            "responsible": "UPPM-CMG",
            "justification": "Elaboración inicial del documento",
            "review_period_months": 12,
            "date": None,  # the seed's change-control row for version 01 has no date
        },
    )
    v1 = plan.latest_version
    assert v1 is not None
    services.submit_for_review(v1, by=cmg)
    services.review(v1, by=uppm)
    services.approve(
        v1,
        by=director,
        instrument="RDE N.° 013-2020-MIDIS/PNADP-DE",
        approved_on=datetime.date(2020, 1, 14),
        publish_on=datetime.date(2020, 1, 14),
    )
    _steps_at(
        v1,
        {
            "elaborated": _dt(2020, 1, 8),
            "reviewed": _dt(2020, 1, 10),
            "approved": _dt(2020, 1, 14),
            "published": _dt(2020, 1, 14),
        },
    )
    _reissue(v1)
    v2 = services.start_new_version(
        plan,
        by=cmg,
        data={
            "content": PLAN_V2,
            "justification": "Actualización",
            "date": datetime.date(2020, 3, 12),
            "supporting_reference": "Informe 043-2020-MIDIS/PNADP-UPPM-CMG",
            "responsible": "UPPM-CMG",
            "texts_modified": "Incorporación del SGSI; reestructuración del cronograma",
        },
    )
    services.add_change_entry(
        v2,
        by=cmg,
        data={
            "date": datetime.date(2020, 8, 2),
            "justification": "Actualización",
            "supporting_reference": "Informe 114-2020-MIDIS/PNADP-UPPM-CMG",
            "responsible": "UPPM-CMG",
            "texts_modified": "Cronograma adecuado al contexto de la emergencia sanitaria",
        },
    )
    v2.endorsing_units.set(OrgUnit.objects.filter(code="UPPM"))
    services.submit_for_review(v2, by=cmg)
    services.review(v2, by=uppm)
    services.endorse(v2, by=uppm, unit=OrgUnit.objects.get(code="UPPM"), comment="Visado")
    services.approve(
        v2,
        by=director,
        instrument="Resolución de Dirección Ejecutiva del 17/08/2020 (deja sin efecto la RDE N.° 013-2020-MIDIS/PNADP-DE)",
        approved_on=datetime.date(2020, 8, 17),
        publish_on=datetime.date(2020, 8, 17),
    )
    _steps_at(
        v2,
        {
            "elaborated": _dt(2020, 8, 5),
            "reviewed": _dt(2020, 8, 6),
            "endorsed": _dt(2020, 8, 14),
            "approved": _dt(2020, 8, 17),
            "published": _dt(2020, 8, 17),
        },
    )
    # The seed prints HIDHUEE as the verification code of this copy: keep it for the demo.
    _reissue(v2, "HIDHUEE")

    # The FODA form keeps the code it already has in the seed (§9.2).
    foda = services.register_document(
        by=cmg,
        data={
            "title": "Formato de Matriz FODA del Programa JUNTOS",
            "document_type": DocumentType.objects.get(code="F"),
            "owner_unit": unit,
            "process": Process.objects.get(code="E02"),
            "classification": "internal",
            "legacy_code": "PNADP-UPPM-GMC-F-038",
            "systems": systems,
            "content": "| Factor | Dimensión (AMOFHIT / PESTEC) | Tipo (F/O/D/A) | Descripción | Sistema |\n|---|---|---|---|---|\n| | | | | |\n",
            "date": datetime.date(2020, 2, 3),
        },
    )
    fv = foda.latest_version
    assert fv is not None
    services.submit_for_review(fv, by=cmg)
    services.review(fv, by=uppm)

    procedure = DocumentType.objects.get(code="P")
    for number, (title, process_code, state, rde, clauses, steps) in enumerate(PROCEDURES):
        drafted_on = datetime.date(2020, 9, 1) + datetime.timedelta(days=2 * number)
        doc = services.register_document(
            by=cmg,
            data={
                "title": title,
                "document_type": procedure,
                "owner_unit": unit,
                "process": Process.objects.get(code=process_code),
                "classification": "internal",
                "systems": systems,
                "content": procedure_content(title, clauses, steps),
                "responsible": "UPPM-CMG",
                "justification": "Elaboración inicial del documento",
                "date": drafted_on,  # the change-control row carries the version's date, not the load date
            },
        )
        version = doc.latest_version
        assert version is not None
        if state == "draft":
            continue
        services.submit_for_review(version, by=cmg)
        if state == "in_review":
            continue
        services.review(version, by=uppm)
        services.approve(
            version,
            by=director,
            instrument=rde,
            approved_on=datetime.date(2020, 9, 28),
            publish_on=datetime.date(2020, 10, 1),
        )
        _steps_at(
            version,
            {
                "elaborated": _dt(drafted_on.year, drafted_on.month, drafted_on.day),
                "reviewed": _dt(2020, 9, 15),
                "approved": _dt(2020, 9, 28),
                "published": _dt(2020, 10, 1),
            },
        )
        _reissue(version)
    return {"documents": Document.objects.count()}
