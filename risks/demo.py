"""Demo risk data: the two shipped methods (the CGR-style one in force), a control catalogue and
about 60 risks and opportunities across the three lenses, the Sede Central and several UTs,
with evaluations, treatment actions in every state and accepted residual risks. Built through
the services, so every record has its audit entry. Idempotent: skipped when risks exist."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from accounts.models import User
from actions.models import ActionItem
from actions.services import set_action_status
from catalog.models import Requirement
from organization.models import Process, Site
from risks import services
from risks.method import SHIPPED
from risks.models import Control, Evaluation, Risk, RiskMethod

CONTROLS = [
    ("CTL-FIN-01", "Conciliación bancaria mensual de las transferencias", "financial", "monthly", "cmg"),
    ("CTL-FIN-02", "Doble firma en órdenes de pago", "financial", "on_event", "uppm"),
    (
        "CTL-FIN-03",
        "Verificación del padrón de hogares antes de cada transferencia",
        "financial",
        "on_event",
        "tecnico",
    ),
    (
        "CTL-NF-01",
        "Declaración jurada de intereses del personal en puestos clave",
        "non_financial",
        "yearly",
        "integridad",
    ),
    ("CTL-NF-02", "Cláusula antisoborno en contratos y convenios", "non_financial", "on_event", "integridad"),
    ("CTL-NF-03", "Registro de regalos, cortesías y atenciones", "non_financial", "continuous", "integridad"),
    (
        "CTL-NF-04",
        "Supervisión de campo de la verificación de corresponsabilidades",
        "non_financial",
        "monthly",
        "tecnico",
    ),
    ("CTL-SI-01", "Control de accesos por rol al sistema de liquidación", "security", "continuous", "oficial.si"),
    (
        "CTL-SI-02",
        "Copias de respaldo diarias con prueba de restauración trimestral",
        "security",
        "daily",
        "oficial.si",
    ),
    ("CTL-SI-03", "Revisión trimestral de cuentas privilegiadas", "security", "quarterly", "oficial.si"),
    ("CTL-SCI-01", "Seguimiento del Plan de Acción Anual del SCI", "internal", "quarterly", "cmg"),
    ("CTL-SCI-02", "Segregación de funciones en liquidación y transferencia", "internal", "continuous", "tecnico"),
]

# (lens set, process code, event, cause, consequence)
SCENARIOS = [
    (
        {"bribery"},
        "M01",
        "Solicitud de dádivas a usuarias para mantener la afiliación",
        "Contacto directo del gestor local con los hogares sin supervisión",
        "Exclusión indebida, denuncias y daño a la imagen",
    ),
    (
        {"bribery"},
        "A01",
        "Direccionamiento de una contratación a cambio de un beneficio",
        "Términos de referencia elaborados por una sola persona",
        "Pérdida de recursos y responsabilidad penal",
    ),
    (
        {"bribery", "quality"},
        "M01",
        "Inclusión de hogares que no cumplen criterios a cambio de favores",
        "Validación del padrón con información desactualizada",
        "Transferencias indebidas y observaciones de la CGR",
    ),
    (
        {"quality"},
        "M01",
        "Retraso en la verificación del cumplimiento de corresponsabilidades",
        "Falta de información oportuna de salud y educación",
        "Transferencias fuera de plazo",
    ),
    (
        {"quality"},
        "E02",
        "Documentos normativos desactualizados",
        "Ausencia de revisión periódica de procedimientos",
        "Procesos ejecutados con criterios distintos",
    ),
    (
        {"quality"},
        "A02",
        "Rotación del personal de campo sin inducción",
        "Contratos de corta duración",
        "Errores en el acompañamiento familiar",
    ),
    (
        {"security"},
        "A03",
        "Acceso no autorizado a la base de datos de hogares",
        "Cuentas genéricas y contraseñas compartidas",
        "Fuga de datos personales y sanción de la ANPD",
    ),
    (
        {"security"},
        "M01",
        "Pérdida de integridad del archivo de liquidación",
        "Procesamiento manual de archivos en hojas de cálculo",
        "Pagos erróneos a los hogares",
    ),
    (
        {"security", "quality"},
        "A03",
        "Indisponibilidad del sistema de transferencias",
        "Servidor sin redundancia",
        "Retraso del pago bimestral",
    ),
    (
        {"security", "bribery"},
        "M01",
        "Alteración del padrón por un usuario con privilegios a cambio de pago",
        "Privilegios excesivos sin revisión",
        "Transferencias a hogares ficticios",
    ),
]
OPPORTUNITIES = [
    (
        {"quality"},
        "M01",
        "Pago digital mediante cuentas de ahorro de las usuarias",
        "Convenio con el Banco de la Nación",
        "Menor costo y mayor seguridad de la transferencia",
    ),
    (
        {"security"},
        "A03",
        "Intercambio de datos con RENIEC por servicio web",
        "Plataforma de interoperabilidad del Estado",
        "Padrón más exacto y menos carga manual",
    ),
]
UT_CODES = ["UT-CUS", "UT-PUN", "UT-AYA", "UT-HUV", "UT-APU", "UT-CAJ"]


def _users() -> dict[str, User]:
    return {
        u.username: u
        for u in User.objects.filter(
            username__in=["cmg", "uppm", "tecnico", "integridad", "oficial.si", "ut.cusco", "ut.puno"]
        )
    }


def _owner_for(site: Site, lenses: set[str], users: dict[str, User]) -> User:
    if site.code == "UT-CUS":
        return users["ut.cusco"]
    if site.code == "UT-PUN":
        return users["ut.puno"]
    if "security" in lenses:
        return users["oficial.si"]
    if "bribery" in lenses:
        return users["integridad"]
    return users["tecnico"]


def load() -> int:
    if Risk.objects.exists():
        return 0
    import json

    users = _users()
    cmg = users["cmg"]
    if not RiskMethod.objects.exists():
        services.load_method(definition=json.loads(SHIPPED["default-5x5"].read_bytes()), by=cmg)
        services.load_method(definition=json.loads(SHIPPED["cgr-5x5"].read_bytes()), by=cmg)
    general = RiskMethod.objects.get(code="GEN-5X5", version=1)
    cgr = RiskMethod.objects.filter(code="CGR-5X5").order_by("-version").first()
    controls = {}
    for code, name, ctype, freq, keeper in CONTROLS:
        controls[code] = Control.objects.filter(code=code).first() or services.create_control(
            data={
                "code": code,
                "name": name,
                "type": ctype,
                "frequency": freq,
                "owner": users.get(keeper, cmg),
                "evidence": "Registro en el expediente del proceso",
                "last_tested_on": datetime.date(2020, 3, 31),
                "last_test_result": "Operó según lo diseñado",
            },
            by=cmg,
        )
    rng = random.Random(2020)
    processes = {p.code: p for p in Process.objects.all()}
    sites = [Site.objects.get(is_central=True), *Site.objects.filter(code__in=UT_CODES).order_by("order")]
    reqs = {
        "quality": list(
            Requirement.objects.filter(edition__label="ISO 9001:2015", number__in=["6.1", "6.1.1", "6.1.2"])
        ),
        "bribery": list(Requirement.objects.filter(edition__label="ISO 37001:2016", number__in=["4.5", "8.2", "8.3"])),
        "security": list(
            Requirement.objects.filter(edition__label="ISO/IEC 27001:2022", number__in=["6.1.2", "6.1.3", "8.2"])
        ),
    }
    by_lens = {
        "quality": ["CTL-NF-04", "CTL-SCI-01", "CTL-FIN-03"],
        "bribery": ["CTL-NF-01", "CTL-NF-02", "CTL-NF-03", "CTL-FIN-02"],
        "security": ["CTL-SI-01", "CTL-SI-02", "CTL-SI-03", "CTL-SCI-02"],
    }
    today = timezone.localdate()
    n = 0
    states = ["identified", "assessed", "pending", "in_progress", "done", "cancelled", "accepted"]
    for s_index, site in enumerate(sites):
        scenarios = SCENARIOS if site.is_central else SCENARIOS[:7]
        extras = OPPORTUNITIES if s_index < 3 else []
        for index, (lenses, pcode, event, cause, consequence) in enumerate([*scenarios, *extras]):
            n += 1
            is_opp = index >= len(scenarios)
            owner = _owner_for(site, lenses, users)
            author = owner if not site.is_central else cmg
            prefix = "O" if is_opp else "R"
            risk = services.create_risk(
                data={
                    "code": f"{prefix}-{site.code.replace('UT-', '')}-{index + 1:02d}",
                    "title": event,
                    "kind": Risk.Kind.OPPORTUNITY if is_opp else Risk.Kind.RISK,
                    **{f"lens_{lens}": lens in lenses for lens in Risk.Lens.values},
                    "process": processes.get(pcode) or next(iter(processes.values())),
                    "site": site,
                    "cause": cause,
                    "event": event,
                    "consequence": consequence,
                    "owner": owner,
                    "method": general if (s_index == 1 and index == 0) else cgr,
                    "requirements": [r for lens in lenses for r in reqs[lens]],
                    "controls": [controls[c] for lens in lenses for c in by_lens[lens][:2]],
                    "next_review_on": today + datetime.timedelta(days=180 + index),
                },
                by=author,
            )
            state = states[(index + s_index) % len(states)]
            if state == "identified":
                continue
            p, i = rng.randint(2, 5), rng.randint(2, 5)
            services.evaluate(
                risk,
                kind=Evaluation.Kind.INHERENT,
                probability=p,
                impact=i,
                trigger=Evaluation.Trigger.INITIAL,
                by=author,
                on=datetime.date(2020, 2, 15),
            )
            if state == "assessed":
                continue
            rp, ri = max(1, p - rng.randint(1, 2)), max(1, i - rng.randint(0, 1))
            if state == "accepted":
                rp, ri = 1, min(ri, 3)
            services.decide_treatment(
                risk,
                treatment=Risk.Treatment.EXPLOIT if is_opp else Risk.Treatment.REDUCE,
                rationale="Reforzar los controles existentes",
                by=author,
            )
            item = services.add_treatment_action(
                risk,
                title=f"Implementar medida de control: {controls[by_lens[sorted(lenses)[0]][0]].name}",
                responsible=owner,
                due_date=today + datetime.timedelta(days=rng.randint(-30, 120)),
                by=author,
            )
            if state in ("in_progress", "done", "accepted"):
                set_action_status(item, status=ActionItem.Status.IN_PROGRESS, by=owner)
            if state in ("done", "accepted"):
                set_action_status(item, status=ActionItem.Status.DONE, note="Control implementado", by=owner)
            if state == "cancelled":
                set_action_status(item, status=ActionItem.Status.CANCELLED, note="Sustituida por otra medida", by=cmg)
            if state in ("done", "accepted", "in_progress"):
                services.evaluate(
                    risk,
                    kind=Evaluation.Kind.RESIDUAL,
                    probability=rp,
                    impact=ri,
                    trigger=Evaluation.Trigger.TREATMENT,
                    by=author,
                )
            if (
                state == "accepted"
                and risk.residual_score is not None
                and risk.residual_score <= risk.method.spec.tolerance
            ):
                services.accept_residual(
                    risk,
                    expires_on=today + datetime.timedelta(days=365),
                    note="Riesgo residual dentro de la tolerancia",
                    by=owner,
                )
    return n
