"""Demo audits (seed Tablas 01–03): the 2020 integrated internal-audit programme of the SIG over
the Sede Central and several UTs, with two concluded audits (one remote) whose findings cite
requirements of more than one standard (the NC findings raise their nonconformities), and one
planned audit of UT Puno."""

from __future__ import annotations

import datetime
from typing import Any

from accounts.models import User
from audits import services
from audits.models import Audit, AuditProgramme, FindingGrade
from catalog.models import Requirement
from organization.models import ManagementSystem, Process, Site

DEFAULT_GRADES = [
    ("NCM", "No conformidad mayor", "major", 1),
    ("NCm", "No conformidad menor", "minor", 2),
    ("OBS", "Observación", "", 3),
    ("OM", "Oportunidad de mejora", "", 4),
    ("FOR", "Fortaleza", "", 5),
]


def _req(label: str, number: str) -> Requirement:
    return Requirement.objects.get(edition__label=label, number=number)


def _sites(*codes: str) -> list[Site]:
    return list(Site.objects.filter(code__in=codes))


def load() -> dict[str, Any]:
    if AuditProgramme.objects.exists():
        return {}
    cmg = User.objects.get(username="cmg")
    auditor = User.objects.get(username="auditor")
    security = User.objects.get(username="oficial.si")
    integrity = User.objects.get(username="integridad")
    from audits.competence import evaluate, save_profile
    from catalog.models import Standard

    standards = {s.code: s for s in Standard.objects.all()}
    for person, codes, training in [
        (auditor, ["ISO 9001", "ISO 37001", "ISO/IEC 27001"], "Curso de auditor interno SIG (40 h), 2019."),
        (security, ["ISO/IEC 27001"], "Auditor interno ISO/IEC 27001 (24 h), 2020."),
        (integrity, ["ISO 37001"], "Auditor interno ISO 37001 (24 h), 2020."),
    ]:
        save_profile(
            person, standards=[standards[c] for c in codes if c in standards], iso19011=True, training=training, by=cmg
        )
    programme = services.create_programme(
        data={
            "year": 2020,
            "title": "Programa anual de auditorías internas del SIG 2020",
            "objectives": "Determinar la conformidad del SIG (ISO 9001, ISO 37001 e ISO/IEC 27001) en la Sede "
            "Central y las Unidades Territoriales, y su eficacia para lograr los resultados previstos.",
            "risks": "Riesgo: restricciones de viaje (auditorías remotas como alternativa). Oportunidad: auditar "
            "las tres normas a la vez en cada visita.",
            "scope": "SGC, SGAS y SGSI; procesos M01 y E02; Sede Central, UT Cusco y UT Puno.",
            "resources": "Equipo de auditores internos formados en ISO 19011; meta presupuestal de la UPPM.",
            "systems": list(ManagementSystem.objects.all()),
        },
        by=cmg,
    )
    m01 = Process.objects.filter(code="M01").first()
    common = [
        _req("ISO 9001:2015", "8.5.1"),
        _req("ISO 37001:2016", "8.2"),
        _req("ISO 9001:2015", "7.5.3"),
        _req("ISO 37001:2016", "7.5.3"),
        _req("ISO/IEC 27001:2022", "7.5.3"),
    ]
    on_site = services.create_audit(
        programme,
        data={
            "code": "AI-01-2020",
            "title": "Auditoría interna integrada — UT Cusco",
            "kind": Audit.Kind.INTERNAL,
            "objectives": "Verificar la implementación de los controles operacionales y de la información "
            "documentada del SIG en la UT Cusco.",
            "scope": "Proceso M01 (Gestión de Operaciones) en la UT Cusco.",
            "sites": _sites("UT-CUS"),
            "processes": [m01] if m01 else [],
            "criteria": common,
            "start_date": datetime.date(2020, 9, 14),
            "end_date": datetime.date(2020, 9, 15),
            "lead": auditor,
            "team": [security],
            "method": Audit.Method.ON_SITE,
        },
        by=cmg,
    )
    remote = services.create_audit(
        programme,
        data={
            "code": "AI-02-2020",
            "title": "Auditoría interna integrada remota — UT Puno",
            "kind": Audit.Kind.INTERNAL,
            "objectives": "Verificar el control de la información documentada y la debida diligencia en la UT Puno.",
            "scope": "Proceso M01 en la UT Puno, por videoconferencia.",
            "sites": _sites("UT-PUN"),
            "processes": [m01] if m01 else [],
            "criteria": common[2:] + [_req("ISO 37001:2016", "8.2")],
            "start_date": datetime.date(2020, 10, 6),
            "end_date": datetime.date(2020, 10, 7),
            "lead": auditor,
            "team": [integrity],
            "method": Audit.Method.REMOTE,
            "meeting_link": "https://reuniones.example.gob.pe/auditoria-ai-02-2020",
            "consent_to_record": True,
            "connection_notes": "Prueba de conexión el 05/10/2020; un corte de 10 minutos durante la entrevista.",
        },
        by=cmg,
    )
    # The default grades come with the migrations; a flushed database (browser tests) lacks them.
    for code, name, nc_grade, order in DEFAULT_GRADES:
        FindingGrade.objects.get_or_create(code=code, defaults={"name": name, "nc_grade": nc_grade, "order": order})
    grades = {g.code: g for g in FindingGrade.objects.all()}
    _conduct(
        on_site,
        auditor,
        [
            (
                "NCm",
                [common[0], common[1]],
                "UT-CUS",
                "Entregas de incentivos sin verificación previa de la debida diligencia.",
                "3 de 12 expedientes de la muestra sin la verificación firmada.",
            ),
            (
                "OBS",
                [common[2], common[4]],
                "UT-CUS",
                "Registros archivados sin índice de conservación.",
                "Archivo de la UT revisado el 14/09/2020.",
            ),
            (
                "FOR",
                [common[1]],
                "UT-CUS",
                "El personal conoce el canal de denuncias.",
                "Entrevista a 4 gestores locales.",
            ),
        ],
        grades,
        "El SIG está implementado en la UT Cusco; se registró una no conformidad menor y una observación.",
    )
    _conduct(
        remote,
        auditor,
        [
            (
                "NCM",
                [common[2], common[3], common[4]],
                "UT-PUN",
                "No se controla la versión vigente de los formatos del SIG.",
                "Se usaron formatos de 2018 en 5 de 8 registros revisados por pantalla.",
            ),
            (
                "OM",
                [_req("ISO 37001:2016", "8.2")],
                "UT-PUN",
                "Automatizar la debida diligencia de proveedores locales.",
                "Entrevista al especialista de la UT.",
            ),
        ],
        grades,
        "El control de la información documentada requiere acción correctiva inmediata en la UT Puno.",
    )
    services.create_audit(
        programme,
        data={
            "code": "AI-03-2020",
            "title": "Auditoría interna integrada — Sede Central",
            "kind": Audit.Kind.INTERNAL,
            "objectives": "Verificar los procesos estratégicos del SIG en la Sede Central.",
            "sites": _sites("SC"),
            "processes": [],
            "criteria": common,
            "start_date": datetime.date(2020, 11, 16),
            "end_date": datetime.date(2020, 11, 18),
            "lead": security,
            "team": [integrity],
            "method": Audit.Method.ON_SITE,
        },
        by=cmg,
    )
    # The lead auditor issued the reports (registered in document control); the coordinator, who
    # keeps the plan, delivers with them the audited UTs' shares of "Informes de auditorías".
    for audit in (on_site, remote):
        services.deliver_plan_product(audit, by=cmg)
    evaluate(on_site, auditor=security, rating=4, comment="Buen manejo de la muestra.", by=cmg)
    evaluate(remote, auditor=integrity, rating=5, comment="Conducción remota ordenada.", by=cmg)
    return {"programmes": 1, "audits": 3}


def _conduct(
    audit: Audit, lead: Any, findings: list[tuple[Any, ...]], grades: dict[str, FindingGrade], conclusion: str
) -> None:
    services.start_audit(audit, by=lead)
    team = list(audit.team.order_by("pk"))
    auditees = list(User.objects.filter(site__in=audit.sites.all(), is_active=True).order_by("username")[:2])
    services.record_meeting(
        audit,
        meeting="opening",
        on=audit.start_date,
        present=[*team, *auditees],
        externals=[
            {"name": "Representante de la Defensoría del Pueblo", "organisation": "Observador", "present": True}
        ],
        by=lead,
    )
    services.record_meeting(
        audit,
        meeting="closing",
        on=audit.end_date,
        present=[*team, *auditees],
        externals=[
            {"name": "Representante de la Defensoría del Pueblo", "organisation": "Observador", "present": False}
        ],
        other="Se explicó el tratamiento de los hallazgos y el plazo para responderlos.",
        by=lead,
    )
    questions = services.generate_checklist(audit, by=lead)
    for q in questions:
        services.answer_question(
            q,
            data={"result": "conform", "notes": "Evidencia revisada en la muestra.", "interviewee": "Jefe/a de la UT"},
            by=lead,
        )
    for grade, reqs, site, description, evidence in findings:
        services.add_finding(
            audit,
            data={
                "grade": grades[grade],
                "requirements": reqs,
                "site": Site.objects.get(code=site),
                "process": audit.processes.first(),
                "description": description,
                "evidence": evidence,
            },
            by=lead,
        )
    if questions:
        first = questions[0]
        services.answer_question(first, data={"result": "nonconform", "notes": findings[0][3]}, by=lead)
    services.update_conclusions(audit, conclusions=conclusion, by=lead)
    services.complete_audit(audit, by=lead)
