"""Demo: the seed's 2020 SIG development plan loaded in full (plans/demo_data.py), its ISMS
implementation plan (inferred, Anexo 02 is an image), Committee sessions with acuerdos, and a
2021 plan in borrador to show the yearly cycle."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from actions.models import ActionItem
from actions.services import set_action_status
from committee import services as committee
from committee.models import Session
from documents.models import Document
from evidence.services import link_evidence
from organization.models import LegalNorm, OrgUnit, Site
from plans import services
from plans.demo_data import (
    BUDGET_TASKS,
    CHANGE_CONTROL,
    ISMS_ACTIVITIES,
    OBJECTIVE_2020,
    RESPONSIBILITIES,
    SCOPE_2020,
    SHARED_PRODUCTS,
    STAGES,
)
from plans.models import Activity, ChangeRequest, Plan, PlanChangeEntry, PlanVersion, Product


def _month(year: int, month: int, last: bool = False) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1] if last else 1)


def _dt(y: int, m: int, d: int, h: int = 10) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, 0, tzinfo=timezone.get_current_timezone())


def _sites(where: str) -> list[Site]:
    if where == "SC":
        return list(Site.objects.filter(is_central=True))
    if where == "UT":
        return list(Site.objects.filter(is_central=False))
    return list(Site.objects.all())


def _load_plan(year: int, *, by: User, units: dict[str, OrgUnit], full: bool) -> tuple[Plan, dict[str, Activity]]:
    plan = services.create_plan(
        by=by,
        data={
            "year": year,
            "kind": Plan.Kind.SIG,
            "title": f"Plan de Desarrollo del Sistema Integrado de Gestión {year}",
            "objective": OBJECTIVE_2020,
            "scope": SCOPE_2020,
            "owner_unit": units["UPPM-CMG"],
            "budget_amount": "130000.00" if full else "0.00",
            "budget_source": f"POI {year}",
            "legal_basis": list(LegalNorm.objects.all()),
            "responsibilities": RESPONSIBILITIES,
            "stages": [name for name, _desc, _rows in STAGES],
        },
    )
    for stage, (_name, desc, _rows) in zip(plan.stages.order_by("number"), STAGES, strict=True):
        stage.description = desc
        stage.save(update_fields=["description"])
    activities: dict[str, Activity] = {}
    shared: dict[str, list[Activity]] = {}
    stages = list(plan.stages.order_by("number"))
    for stage, (_name, _desc, rows) in zip(stages, STAGES, strict=True):
        for order, (code, title, products, unit_code, where, (m1, m2)) in enumerate(rows):
            if not full and order > 2:
                break
            activity = services.add_activity(
                stage,
                by=by,
                data={
                    "code": code,
                    "title": title,
                    "responsible_unit": units[unit_code],
                    "planned_start": _month(year, m1),
                    "planned_end": _month(year, m2, last=True),
                    "sites": _sites(where),
                    "order": order,
                    "is_milestone": code.startswith("3.15"),
                },
            )
            activities[code] = activity
            for title_p in products:
                if title_p.startswith("@"):
                    shared.setdefault(title_p, []).append(activity)
                else:
                    services.add_product(plan, title=title_p, activities=[activity], by=by)
    for key, acts in shared.items():
        services.add_product(plan, title=SHARED_PRODUCTS[key], activities=acts, by=by)
    return plan, activities


def load() -> dict[str, Any]:
    if Plan.objects.exists():
        return {}
    cmg = User.objects.get(username="cmg")
    uppm = User.objects.get(username="uppm")
    director = User.objects.get(username="direccion")
    units = {u.code: u for u in OrgUnit.objects.all()}

    # --- 2020 SIG development plan, version 02 -----------------------------------------------
    plan, acts = _load_plan(2020, by=cmg, units=units, full=True)
    for title, programmed, executed, codes in BUDGET_TASKS:
        services.save_budget_task(
            plan,
            by=cmg,
            data={
                "title": title,
                "programmed_amount": programmed,
                "executed_amount": executed,
                "activities": [acts[c] for c in codes],
            },
        )
    acts["3.14"].depends_on.set([acts["3.12"]])
    acts["3.15.2"].depends_on.set([acts["3.14"]])
    acts["1.3"].depends_on.set([acts["1.1"]])
    services.submit_plan_to_committee(plan, by=cmg)
    services.approve_plan(
        plan, by=director, resolution="RDE N.° 013-2020-MIDIS/PNADP-DE", approved_on=datetime.date(2020, 1, 14)
    )
    # v02 (RDE of 17/08/2020) came from two updates, both recorded under version 02 in §15.
    plan.version = 2
    plan.approving_resolution = "Resolución de Dirección Ejecutiva del 17/08/2020"
    plan.approved_on = datetime.date(2020, 8, 17)
    plan.document = Document.objects.filter(code="PNADP-UPPM-CMG-PL-001").first()
    plan.save(update_fields=["version", "approving_resolution", "approved_on", "document"])
    PlanChangeEntry.objects.filter(plan=plan).delete()
    for order, (version, day, justification, texts, responsible) in enumerate(CHANGE_CONTROL):
        PlanChangeEntry.objects.create(
            plan=plan,
            version=version,
            justification=justification,
            texts_modified=texts,
            responsible=responsible,
            date=datetime.date(*reversed([int(x) for x in day.split("/")])) if day else None,
            order=order,
        )
    PlanVersion.objects.create(
        plan=plan,
        number=2,
        snapshot=services.plan_snapshot(plan),
        approved_on=plan.approved_on,
        approving_resolution=plan.approving_resolution,
    )

    # Committee sessions of 2020 with their acuerdos.
    members = [director, uppm, User.objects.get(username="cmg")]
    s1 = committee.create_session(
        by=cmg,
        data={
            "number": "01-2020",
            "kind": Session.Kind.ORDINARY,
            "date": _dt(2020, 2, 20),
            "place": "Sala de reuniones, Sede Central",
            "minutes": "Se revisó el Plan de Desarrollo del SIG 2020 y el avance de las acciones de mejora.",
            "agenda": ["Revisión del Plan de Desarrollo del SIG 2020", "Estado de las acciones de mejora"],
        },
    )
    committee.set_attendance(s1, attendees=members, by=cmg)
    a1 = committee.record_agreement(
        s1,
        title="Presentar el cronograma de auditorías internas 2020.",
        responsible=cmg,
        due_date=datetime.date(2020, 4, 30),
        by=cmg,
    )
    committee.record_agreement(
        s1,
        title="Remitir el estado de las matrices de mejora de supervisión de la UT Cusco.",
        responsible=User.objects.get(username="ut.cusco"),
        due_date=datetime.date(2020, 6, 30),
        by=cmg,
    )
    committee.close_acta(s1, by=cmg)
    s2 = committee.create_session(
        by=cmg,
        data={
            "number": "02-2020",
            "kind": Session.Kind.EXTRAORDINARY,
            "date": _dt(2020, 8, 10),
            "place": "Sesión virtual",
            "minutes": "Se revisó la propuesta de actualización del Plan (Informes 043 y 114-2020).",
            "agenda": ["Actualización del Plan de Desarrollo del SIG 2020 (incorporación del SGSI y reprogramación)"],
        },
    )
    committee.set_attendance(s2, attendees=members, by=cmg)
    committee.record_agreement(
        s2,
        title="Elevar la actualización del Plan a la Dirección Ejecutiva para su aprobación.",
        responsible=uppm,
        due_date=datetime.date(2020, 8, 14),
        by=cmg,
    )
    committee.record_agreement(
        s2,
        title="Comunicar la actualización del Plan a la DGCGPS y a las unidades.",
        responsible=cmg,
        due_date=datetime.date(2020, 9, 30),
        by=cmg,
    )
    # The Committee reviewed both change requests in session 02-2020, before its acta was closed.
    for report, reason, proposed in [
        (
            "Informe 043-2020-MIDIS/PNADP-UPPM-CMG",
            "Incorporar el Sistema de Gestión de Seguridad de la Información al SIG.",
            datetime.date(2020, 3, 12),
        ),
        (
            "Informe 114-2020-MIDIS/PNADP-UPPM-CMG",
            "Reestructurar el cronograma por el contexto de la emergencia sanitaria.",
            datetime.date(2020, 8, 2),
        ),
    ]:
        cr = ChangeRequest.objects.create(
            plan=plan,
            reason=reason,
            affected_sections="§1, §2, §12, Anexo 01, Anexo 02",
            supporting_report=report,
            status=ChangeRequest.Status.APPROVED,
            proposed_by=cmg,
            committee_session=s2,
            committee_opinion="Conforme; se eleva a la Dirección Ejecutiva.",
            decided_by=director,
            decided_on=datetime.date(2020, 8, 17),
            resolution=plan.approving_resolution,
            resulting_version=2,
        )
        ChangeRequest.objects.filter(pk=cr.pk).update(proposed_at=_dt(proposed.year, proposed.month, proposed.day))
    committee.close_acta(s2, by=cmg)
    # The first acuerdo was fulfilled by presenting the cronograma in session 02-2020.
    link_evidence(target=a1, evidence=s2, note="Cronograma presentado en la sesión 02-2020.", by=cmg)
    set_action_status(
        a1,
        status=ActionItem.Status.DONE,
        note="Cronograma presentado en la sesión 02-2020.",
        by=cmg,
        on=datetime.date(2020, 8, 10),
    )
    # Products already delivered: procedures now vigente, and the Committee's actas.
    for code, doc_code in [
        ("3.3", "PNADP-UPPM-CMG-P-001"),
        ("3.6", "PNADP-UPPM-CMG-P-002"),
        ("3.8", "PNADP-UPPM-CMG-P-003"),
    ]:
        doc = Document.objects.get(code=doc_code)
        for product in acts[code].products.all():
            services.deliver_product(
                product,
                evidence_label="documents.document",
                evidence_id=doc.pk,
                by=cmg,
                delivered_on=datetime.date(2020, 10, 1),
            )
    for product in acts["2.7"].products.all():
        for session in (s1, s2):
            services.deliver_product(
                product,
                evidence_label="committee.session",
                evidence_id=session.pk,
                by=cmg,
                delivered_on=session.date.date(),
            )
    Activity.objects.filter(pk__in=[acts[c].pk for c in ("1.6", "3.10", "3.11", "3.12")]).update(
        status=Activity.Status.IN_PROGRESS, actual_start=datetime.date(2020, 5, 4)
    )

    # --- ISMS implementation plan 2020 (Anexo 02, inferred) -------------------------------------
    isms = services.create_plan(
        by=cmg,
        data={
            "year": 2020,
            "kind": Plan.Kind.ISMS,
            "title": "Gantt de implementación del SGSI 2020 (Anexo 02)",
            "objective": "Implementar y certificar el SGSI en el proceso de Liquidación y transferencia (Sede Central). "
            "Actividades de demostración: el Anexo 02 del plan es una imagen no incluida en el texto.",
            "scope": "Proceso de Liquidación y transferencia, Sede Central.",
            "owner_unit": units["UTI"],
            "stages": ["Implementación del SGSI"],
        },
    )
    stage = isms.stages.get()
    previous: Activity | None = None
    for order, (code, title, (m1, m2)) in enumerate(ISMS_ACTIVITIES):
        activity = services.add_activity(
            stage,
            by=cmg,
            data={
                "code": code,
                "title": title,
                "responsible_unit": units["UTI"],
                "order": order,
                "planned_start": _month(2020, m1),
                "planned_end": _month(2020, m2, last=True),
                "sites": _sites("SC"),
                "is_milestone": code == "S.7",
            },
        )
        if previous is not None:
            activity.depends_on.set([previous])
        previous = activity

    # --- 2021 plan in borrador: the yearly cycle starts again ---------------------------------
    draft, _ = _load_plan(2021, by=cmg, units=units, full=False)
    return {
        "plans": Plan.objects.count(),
        "activities": Activity.objects.count(),
        "products": Product.objects.count(),
        "budget": str(sum((Decimal(t[1]) for t in BUDGET_TASKS), Decimal("0"))),
    }
