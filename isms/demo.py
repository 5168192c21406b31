"""Demo SGSI data: the asset inventory of Liquidación y transferencia (Sede Central), a 2013
Statement of Applicability decided control by control, the 2022 one migrated from it and
completed, and a few incidents (one a personal-data breach). Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from catalog.models import Edition
from isms import services
from isms.models import Asset, Incident, Threat, Vulnerability
from organization.models import Process
from risks.models import Control, Risk

ASSETS = [
    # code, name, type, location, classification, C, I, A, depends on
    (
        "ACT-01",
        "Padrón de hogares afiliados",
        "information",
        "Base de datos central (Sede Central)",
        "restricted",
        3,
        3,
        2,
        ["ACT-05"],
    ),
    (
        "ACT-02",
        "Archivo de liquidación bimestral",
        "information",
        "Servidor de aplicaciones",
        "restricted",
        3,
        3,
        3,
        ["ACT-04"],
    ),
    (
        "ACT-03",
        "Planillas de transferencia al Banco de la Nación",
        "information",
        "Carpeta compartida cifrada",
        "confidential",
        3,
        3,
        3,
        ["ACT-02"],
    ),
    (
        "ACT-04",
        "Sistema de liquidación y transferencias",
        "software",
        "Centro de datos Sede Central",
        "confidential",
        2,
        3,
        3,
        ["ACT-05", "ACT-06"],
    ),
    (
        "ACT-05",
        "Servidor de base de datos",
        "hardware",
        "Centro de datos Sede Central",
        "confidential",
        3,
        3,
        3,
        ["ACT-07"],
    ),
    (
        "ACT-06",
        "Enlace de datos con el Banco de la Nación",
        "service",
        "Proveedor de telecomunicaciones",
        "confidential",
        2,
        3,
        3,
        [],
    ),
    ("ACT-07", "Centro de datos de la Sede Central", "facility", "Sede Central, Lima", "internal", 1, 2, 3, []),
    ("ACT-08", "Equipo de liquidación (analistas)", "people", "Unidad de Operaciones", "internal", 2, 2, 2, []),
    ("ACT-09", "Copias de respaldo", "information", "Cintoteca externa", "restricted", 3, 3, 2, ["ACT-05"]),
    (
        "ACT-10",
        "Reportes de conciliación bancaria",
        "information",
        "Unidad de Administración",
        "confidential",
        2,
        3,
        2,
        ["ACT-03"],
    ),
]
THREATS = [
    ("AM-01", "Acceso no autorizado a la información", "deliberate", "CI"),
    ("AM-02", "Suplantación de identidad de usuarios", "deliberate", "CI"),
    ("AM-03", "Código malicioso (incluido secuestro de datos)", "deliberate", "CIA"),
    ("AM-04", "Alteración indebida de registros por personal interno", "deliberate", "I"),
    ("AM-05", "Robo o pérdida de equipos o soportes", "deliberate", "CA"),
    ("AM-06", "Error de operación o de procesamiento", "accidental", "IA"),
    ("AM-07", "Divulgación accidental de información", "accidental", "C"),
    ("AM-08", "Falla de hardware o de software", "accidental", "A"),
    ("AM-09", "Interrupción del servicio de comunicaciones", "accidental", "A"),
    ("AM-10", "Corte de energía eléctrica", "environmental", "A"),
    ("AM-11", "Sismo, incendio o inundación", "environmental", "A"),
]
VULNERABILITIES = [
    ("VU-01", "Cuentas genéricas o contraseñas compartidas", "software, information"),
    ("VU-02", "Privilegios excesivos sin revisión periódica", "software"),
    ("VU-03", "Ausencia de cifrado de la información en reposo", "information, hardware"),
    ("VU-04", "Procesamiento manual en hojas de cálculo", "information"),
    ("VU-05", "Parches de seguridad no aplicados", "software, hardware"),
    ("VU-06", "Copias de respaldo sin prueba de restauración", "information"),
    ("VU-07", "Punto único de falla sin redundancia", "hardware, service"),
    ("VU-08", "Personal sin capacitación en seguridad de la información", "people"),
    ("VU-09", "Equipos portátiles sin bloqueo ni cifrado", "hardware"),
    ("VU-10", "Dependencia de un único proveedor de comunicaciones", "service"),
]
EXCLUDED_2013 = {
    "A.14.2.7": "No se desarrolla software de forma externalizada en el alcance.",
    "A.11.2.5": "Los equipos no salen de la Sede Central en el alcance.",
    "A.6.2.2": "El teletrabajo no forma parte del proceso en el alcance.",
}


def load() -> int:
    for code, name, category, affects in THREATS:
        Threat.objects.get_or_create(code=code, defaults={"name": name, "category": category, "affects": affects})
    for code, name, types in VULNERABILITIES:
        Vulnerability.objects.get_or_create(code=code, defaults={"name": name, "asset_types": types})
    if Asset.objects.exists():
        return 0
    officer = User.objects.get(username="oficial.si")
    tecnico = User.objects.filter(username="tecnico").first() or officer
    process = Process.objects.filter(code__in=["M01.04", "M01"]).order_by("-code").first()
    security_risks = list(Risk.objects.filter(lens_security=True, site__is_central=True).order_by("code"))
    assets: dict[str, Asset] = {}
    for code, name, kind, location, cls, c, i, a, _deps in ASSETS:
        assets[code] = services.create_asset(
            data={
                "code": code,
                "name": name,
                "type": kind,
                "owner": officer if kind in ("software", "hardware", "facility", "service") else tecnico,
                "location": location,
                "process": process,
                "classification": cls,
                "confidentiality": c,
                "integrity": i,
                "availability": a,
                "in_scope": True,
                "risks": security_risks[:2] if kind == "information" else security_risks[2:3],
            },
            by=officer,
        )
    for code, *_rest, deps in ASSETS:
        if deps:
            services.update_asset(assets[code], data={"depends_on": [assets[d] for d in deps]}, by=officer)

    # An asset-based risk in the one register
    services.register_asset_risk(
        assets["ACT-02"],
        threat=Threat.objects.get(code="AM-04"),
        vulnerability=Vulnerability.objects.get(code="VU-04"),
        code="R-SI-ACT-02",
        by=officer,
    )

    # The 2013 SoA, decided control by control, then migrated to 2022 and completed.
    security_controls = list(Control.objects.filter(type="security").order_by("code"))
    old = services.create_soa(
        edition=Edition.objects.get(label="ISO/IEC 27001:2013"), title="Declaración de aplicabilidad 2013", by=officer
    )
    for index, entry in enumerate(old.entries.select_related("control").order_by("control__order")):
        number = entry.control.number
        if number in EXCLUDED_2013:
            data = {"applicable": False, "justification": EXCLUDED_2013[number], "implementation": "not_implemented"}
        else:
            data = {
                "applicable": True,
                "justification": "Requerido por la evaluación de riesgos del proceso de liquidación y transferencia.",
                "implementation": ["implemented", "implemented", "partial", "planned"][index % 4],
                "evidence": "Procedimientos del SGSI y registros de operación",
            }
            if number.startswith(("A.9", "A.12.3")) and security_controls:
                data["controls"] = security_controls
                data["risks"] = security_risks[:2]
        services.update_entry(entry, data=data, by=officer)
    new = services.migrate_soa(old, by=officer, title="Declaración de aplicabilidad 2022")
    for entry in new.entries.filter(needs_decision=True).select_related("control"):
        data = {
            "applicable": True if entry.applicable is None else entry.applicable,
            "justification": entry.justification
            or "Nuevo control de 2022 adoptado por la evaluación de riesgos del SGSI.",
            "implementation": entry.implementation if entry.applicable else "planned",
        }
        services.update_entry(entry, data=data, by=officer)

    # Incidents
    ut = User.objects.filter(username="ut.cusco").first() or officer
    lector = User.objects.filter(username="lector").first() or officer
    now = timezone.now()
    phishing = services.report_incident(
        data={
            "title": "Correo de suplantación del Banco de la Nación",
            "description": "Varios analistas recibieron un correo que pedía sus credenciales.",
            "occurred_at": now - datetime.timedelta(days=40),
        },
        by=lector,
    )
    services.handle_incident(
        phishing,
        data={
            "status": Incident.Status.CLOSED,
            "severity": "medium",
            "category": "phishing",
            "containment": "Bloqueo del remitente y cambio de contraseñas de los afectados.",
            "root_cause": "Ausencia de filtro de correo para dominios parecidos.",
            "lessons_learned": "Campaña de concientización trimestral y filtro de dominios similares.",
            "assets": [assets["ACT-08"]],
        },
        by=officer,
    )
    laptop = services.report_incident(
        data={
            "title": "Pérdida de laptop con padrón de la UT",
            "description": "Se extravió una laptop con una copia local del padrón de hogares de la UT.",
            "occurred_at": now - datetime.timedelta(hours=10),
            "personal_data_breach": True,
        },
        by=ut,
    )
    services.handle_incident(
        laptop,
        data={
            "status": Incident.Status.TRIAGED,
            "severity": "high",
            "category": "loss",
            "containment": "Bloqueo remoto del equipo y revocación de accesos.",
            "assets": [assets["ACT-01"]],
            "risks": security_risks[:1],
        },
        by=officer,
    )
    outage = services.report_incident(
        data={
            "title": "Caída del enlace con el Banco de la Nación",
            "description": "El enlace estuvo caído 3 horas durante el cierre de la liquidación.",
            "occurred_at": now - datetime.timedelta(days=5),
        },
        by=tecnico,
    )
    services.handle_incident(
        outage,
        data={
            "status": Incident.Status.CONTAINED,
            "severity": "high",
            "category": "outage",
            "assets": [assets["ACT-06"]],
        },
        by=officer,
    )
    return len(assets)
