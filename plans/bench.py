"""Benchmark data and scenarios for the SIG development plan and the Comité del SIG (harness:
bench/__init__.py).

Issue 4 asks for "Gantt and dashboard for a plan of 2,000 activities and 10 years of plans".
For each of the last YEARS[size] years (2017–2026 at the small size) there is a SIG development
plan and an ISMS implementation plan of realistic size (SIG_ACTIVITIES, ISMS_ACTIVITIES; the
seed's 2020 plan has 37 activities), except where the demo data already has that year's plan;
the current year's SIG plan is the big one (BIG_ACTIVITIES[size]). Past years' plans are closed,
the current year's approved. Every plan has the seed's stages, activities with responsible
unit/person, sites spread over the Sede Central and the 21 UTs, planned and actual dates, 1–3
products each, dependencies, a few milestones, budget tasks linked to activities, its approved
versions (PlanVersion snapshots) with their change requests, Committee session and change-control
rows, the §5 responsibilities and the legal basis.

Status, progress and products agree the way plans.services keeps them: an activity's progress
follows from its delivered products (round(100 × delivered / products)); a delivered product has
`delivered_on` and an EvidenceLink to a vigente controlled document; a completed activity has
every product delivered and its actual end on the last delivery. "Retrasada" is never stored:
activities left open past their dates are what the delayed figures count.

The Committee meets SESSIONS_PER_YEAR times a year (one extraordinary); past sessions are held
(attendance and agenda recorded; their actas are not rendered here: the PDF renderer would
dominate the build), future ones scheduled. Each held session has 3–6 acuerdos
(actions.ActionItem of kind "acuerdo") assigned to people of the Sede Central and the UTs; most
of the old ones are done, some are still open past their due date (the overdue figures).

Rows go in with bulk_create (batch_size=BATCH); auto_now_add timestamps (proposed_at of change
requests) are set afterwards with an update, as plans.demo does."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Avg, Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions.access import action_items_visible_to
from actions.forms import ActionFilterForm
from actions.models import ActionItem
from actions.selectors import filter_items
from bench import sql
from bench.common import dashboard_sql
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement
from committee.access import committee_members
from committee.models import AgendaItem, Session
from documents.access import documents_visible_to
from documents.models import Document
from evidence.models import EvidenceLink
from organization.models import LegalNorm, OrgUnit, Site
from plans import selectors
from plans.access import activities_visible_to, plans_visible_to
from plans.demo_data import RESPONSIBILITIES
from plans.models import (
    Activity,
    BudgetTask,
    ChangeRequest,
    Plan,
    PlanChangeEntry,
    PlanResponsibility,
    PlanVersion,
    Product,
    Stage,
)
from plans.services import plan_snapshot

ORDER = 70  # after documents (60): delivered products link vigente documents as evidence
GENERATOR_VERSION = 1
BATCH = 1000
YEARS = {"tiny": 2, "small": 10, "medium": 10, "large": 10}
BIG_ACTIVITIES = {"tiny": 200, "small": 2000, "medium": 2000, "large": 2000}
SIG_ACTIVITIES = (50, 70)
ISMS_ACTIVITIES = (25, 40)
SESSIONS_PER_YEAR = 5
ACUERDOS_PER_SESSION = (3, 6)
PAGE = 50  # plans.views.PAGE_SIZE, actions.views.PAGE_SIZE and the API page below
GANTT_PAGE = 300  # plans.gantt.PAGE_SIZE

S = Activity.Status
SIG_STAGES = ["Mantenimiento", "Seguimiento, medición y análisis de procesos", "Mejora"]
ISMS_STAGES = ["Planificación del SGSI", "Implementación de controles", "Verificación y certificación"]
BIG_STAGE_SHARES = [0.35, 0.25, 0.40]
ENTITY = "MIDIS/PNADP"

# --- words ------------------------------------------------------------------------------------

TOPICS = [
    "gestión de riesgos",
    "control de documentos",
    "no conformidades y acciones de mejora",
    "debida diligencia de socios de negocio",
    "indicadores del SIG",
    "política y objetivos del SIG",
    "continuidad operativa",
    "incidentes de seguridad de la información",
    "control de accesos a los sistemas",
    "atención de quejas, reclamos y denuncias",
    "alertas de los Comités de Transparencia y Vigilancia Ciudadana",
    "verificación del cumplimiento de corresponsabilidades",
    "liquidación y transferencia de incentivos",
    "afiliación de hogares",
    "acompañamiento familiar",
    "conflictos de intereses",
    "regalos, donaciones y hospitalidades",
    "gestión del archivo documental",
    "satisfacción de las usuarias",
    "revisión por la dirección",
]
SIG_TEMPLATES = [
    ("Auditoría interna al SIG en {place}", ["Informe de auditoría", "Plan de acción de no conformidades"]),
    ("Supervisión integral a {place}", ["Informe de supervisión", "Matriz de mejora de la supervisión"]),
    ("Capacitación en {topic} a los servidores de {place}", ["Informe de capacitación", "Registro de asistencia"]),
    ("Seguimiento a {topic}", ["Informe de seguimiento de {topic}"]),
    ("Actualización del procedimiento de {topic}", ["Procedimiento de {topic} actualizado", "Informe técnico"]),
    ("Revisión de la matriz de {topic}", ["Matriz de {topic} actualizada"]),
    ("Aplicación de encuestas de satisfacción en {place}", ["Informe de resultados de las encuestas"]),
    ("Difusión de {topic} en {place}", ["Material de difusión", "Informe de difusión"]),
    ("Análisis de datos de {topic}", ["Acta de reunión de análisis de datos"]),
    ("Evaluación de riesgos de {topic}", ["Matriz de riesgos actualizada", "Plan de tratamiento de riesgos"]),
]
ISMS_TEMPLATES = [
    ("Inventario y valoración de activos de información de {topic}", ["Inventario de activos de información"]),
    ("Evaluación de riesgos de seguridad de la información de {topic}", ["Matriz de riesgos del SGSI"]),
    ("Implementación de controles del Anexo A para {topic}", ["Informe de implementación de controles"]),
    ("Capacitación en seguridad de la información en {place}", ["Registro de asistencia", "Informe de capacitación"]),
    ("Elaboración de la política de {topic}", ["Política aprobada"]),
    ("Prueba del plan de continuidad de {topic}", ["Informe de la prueba de continuidad"]),
]
EXTRA_PRODUCTS = ["Informe de cierre", "Acta de conformidad", "Registro fotográfico", "Lista de verificación aplicada"]
AGENDA = [
    "Avance del Plan de Desarrollo del SIG",
    "Estado de las acciones de mejora",
    "Resultados de la auditoría interna",
    "Revisión de los indicadores del SIG",
    "Seguimiento de los acuerdos de la sesión anterior",
    "Propuesta de modificación del Plan",
    "Avance de la implementación del SGSI",
    "Riesgos de soborno identificados",
]
ACUERDOS = [
    "Remitir el informe de {topic} a la Dirección Ejecutiva.",
    "Actualizar la matriz de {topic} y presentarla en la próxima sesión.",
    "Coordinar con las Unidades Territoriales el seguimiento de {topic}.",
    "Presentar el cronograma de {topic}.",
    "Difundir los resultados de {topic} a todas las unidades.",
    "Elaborar el plan de acción sobre {topic}.",
]
CR_REASONS = [
    "Reprogramar actividades por la coyuntura institucional.",
    "Incorporar actividades del Sistema de Gestión de Seguridad de la Información.",
    "Ajustar los productos de la etapa de Mejora a los resultados de la auditoría.",
    "Actualizar el presupuesto por la modificación del POI.",
]


# --- generation -------------------------------------------------------------------------------


@dataclass
class _World:
    """What the generator draws from, read once."""

    rng: random.Random
    now: datetime.datetime
    today: datetime.date
    central: Site
    uts: list[Site]
    central_units: dict[str, int]  # code → pk (the demo's Sede Central units)
    ut_units: dict[int, int]  # site pk → the UT's own unit
    people: dict[int, list[tuple[int, int | None]]]  # site pk → (user pk, unit pk)
    user_site: dict[int, int]
    documents: list[int]  # vigente documents, linked as evidence of delivered products
    norms: list[int]
    members: list[int]  # attendees of every session (the Committee and its secretary)
    cmg: int
    director: int
    session_type: ContentType
    product_type: ContentType
    document_type: ContentType
    numbers: dict[str, int] = field(default_factory=dict)  # last informe/RDE number per year and kind


def _world(ctx: GenContext) -> _World:
    central = ctx.central_site
    uts = [s for s in ctx.sites if not s.is_central]
    units = list(OrgUnit.objects.filter(is_active=True).values_list("pk", "code", "site_id"))
    central_units = {code: pk for pk, code, site_id in units if site_id == central.pk and "-EQ" not in code}
    site_codes = {s.pk: s.code for s in uts}
    ut_units = {site_id: pk for pk, code, site_id in units if site_codes.get(site_id) == code}
    people: dict[int, list[tuple[int, int | None]]] = {}
    user_site: dict[int, int] = {}
    for pk, site_id, unit_id in User.objects.filter(is_active=True, site__isnull=False).values_list(
        "pk", "site_id", "unit_id"
    ):
        people.setdefault(site_id, []).append((pk, unit_id))
        user_site[pk] = site_id
    names = dict(User.objects.filter(username__in=["cmg", "direccion"]).values_list("username", "pk"))
    members = sorted({*committee_members().values_list("pk", flat=True), names["cmg"]})
    documents = list(
        Document.objects.filter(current_version__isnull=False).order_by("pk").values_list("pk", flat=True)[:2000]
    )
    return _World(
        rng=ctx.rng,
        now=ctx.now,
        today=timezone.localdate(ctx.now),
        central=central,
        uts=uts,
        central_units=central_units,
        ut_units=ut_units,
        people=people,
        user_site=user_site,
        documents=documents,
        norms=list(LegalNorm.objects.values_list("pk", flat=True)),
        members=members,
        cmg=names["cmg"],
        director=names["direccion"],
        session_type=ContentType.objects.get_for_model(Session),
        product_type=ContentType.objects.get_for_model(Product),
        document_type=ContentType.objects.get_for_model(Document),
    )


def _number(world: _World, kind: str, year: int) -> int:
    key = f"{kind}-{year}"
    world.numbers[key] = world.numbers.get(key, 0) + world.rng.randint(3, 25)
    return world.numbers[key]


def _informe(world: _World, year: int) -> str:
    return f"Informe {_number(world, 'informe', year):03d}-{year}-{ENTITY}-UPPM-CMG"


def _rde(world: _World, year: int) -> str:
    return f"RDE N.° {_number(world, 'rde', year):03d}-{year}-{ENTITY}-DE"


def _day(year: int, month: int, rng: random.Random) -> datetime.date:
    return datetime.date(year, month, rng.randint(3, 26))


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


def _clamp(day: datetime.date, low: datetime.date, high: datetime.date) -> datetime.date:
    return max(low, min(day, high))


# --- Committee sessions and acuerdos ------------------------------------------------------------


def _sessions(ctx: GenContext, world: _World, years: list[int]) -> dict[int, list[Session]]:
    """SESSIONS_PER_YEAR sessions a year with attendance, agenda and acuerdos; held sessions by year."""
    rng = world.rng
    used = set(Session.objects.values_list("number", flat=True))
    sessions: list[Session] = []
    for year in years:
        months = sorted([2, 5, 8, 11, rng.choice([3, 4, 6, 7, 9, 10])])
        extraordinary = rng.randrange(len(months))
        n = 0
        for i, month in enumerate(months):
            n += 1
            while f"{n:02d}-{year}" in used:
                n += 1
            date = _at(_day(year, month, rng), rng.choice([9, 10, 15]))
            past = date < world.now
            sessions.append(
                Session(
                    number=f"{n:02d}-{year}",
                    kind=Session.Kind.EXTRAORDINARY if i == extraordinary else Session.Kind.ORDINARY,
                    date=date,
                    place=rng.choice(["Sala de reuniones, Sede Central", "Sesión virtual"]),
                    minutes="Se revisaron los temas de la agenda y se adoptaron los acuerdos." if past else "",
                    status=Session.Status.HELD if past else Session.Status.SCHEDULED,
                    created_by_id=world.cmg,
                )
            )
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    attendance: list[Any] = []
    agenda: list[AgendaItem] = []
    acuerdos: list[ActionItem] = []
    central_people = [pk for pk, _unit in world.people.get(world.central.pk, [])]
    for session in sessions:
        for order, topic in enumerate(rng.sample(AGENDA, rng.randint(2, 4)), start=1):
            agenda.append(AgendaItem(session=session, order=order, topic=topic))
        if session.status != Session.Status.HELD:
            continue
        present = set(world.members) | set(rng.sample(central_people, min(len(central_people), rng.randint(0, 3))))
        attendance += [Session.attendees.through(session_id=session.pk, user_id=pk) for pk in sorted(present)]
        for i in range(1, rng.randint(*ACUERDOS_PER_SESSION) + 1):
            acuerdos.append(_acuerdo(world, session, i))
    Session.attendees.through.objects.bulk_create(attendance, batch_size=BATCH)
    AgendaItem.objects.bulk_create(agenda, batch_size=BATCH)
    ActionItem.objects.bulk_create(acuerdos, batch_size=BATCH)
    ctx.add("committee sessions", len(sessions))
    ctx.add("acuerdos", len(acuerdos))
    held: dict[int, list[Session]] = {}
    for session in sessions:
        if session.status == Session.Status.HELD:
            held.setdefault(session.date.year, []).append(session)
    return held


def _acuerdo(world: _World, session: Session, i: int) -> ActionItem:
    """One acuerdo: most of the old ones done or cancelled, some still open past their due date."""
    rng = world.rng
    site = world.central if rng.random() < 0.7 or not world.uts else rng.choice(world.uts)
    person, unit = rng.choice(world.people.get(site.pk) or world.people[world.central.pk])
    due = session.date.date() + datetime.timedelta(days=rng.randint(15, 120))
    status, closed_on, note = ActionItem.Status.PENDING, None, ""
    if due < world.today:
        r = rng.random()
        if r < 0.86:
            status, note = ActionItem.Status.DONE, "Cumplido; se adjunta el informe."
            closed_on = _clamp(due + datetime.timedelta(days=rng.randint(-20, 10)), session.date.date(), world.today)
        elif r < 0.90:
            status, note = ActionItem.Status.CANCELLED, "Sin efecto por acuerdo del Comité."
            closed_on = _clamp(due, session.date.date(), world.today)
        else:
            status = rng.choice([ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS])
    elif rng.random() < 0.4:
        status = ActionItem.Status.IN_PROGRESS
    return ActionItem(
        kind=ActionItem.AGREEMENT,
        source_type=world.session_type,
        source_id=session.pk,
        number=f"{session.number}-{i:02d}",
        title=rng.choice(ACUERDOS).format(topic=rng.choice(TOPICS)),
        responsible_id=person,
        responsible_unit_id=unit,
        site_id=world.user_site.get(person, world.central.pk),
        due_date=due,
        status=status,
        closed_on=closed_on,
        closing_note=note,
    )


# --- plans ------------------------------------------------------------------------------------


@dataclass
class _Spec:
    """A plan to generate, before its rows exist."""

    year: int
    kind: str
    activities: int
    status: str
    version: int
    plan: Plan | None = None
    approvals: dict[int, tuple[datetime.date | None, str]] = field(default_factory=dict)  # version → (date, RDE)


@dataclass
class _Rows:
    """Rows waiting for their parents' primary keys, inserted phase by phase."""

    activities: list[Activity] = field(default_factory=list)
    products_per_activity: list[tuple[int, int]] = field(default_factory=list)  # (products, delivered)
    product_titles: list[list[str]] = field(default_factory=list)
    predecessors: list[list[int]] = field(default_factory=list)  # indexes into `activities`
    sites: list[list[int]] = field(default_factory=list)


def _specs(world: _World, years: list[int], big: int) -> list[_Spec]:
    existing = set(Plan.objects.values_list("year", "kind"))
    out = []
    current = world.today.year
    rng = world.rng
    for year in years:
        for kind in (Plan.Kind.SIG, Plan.Kind.ISMS):
            if (year, kind) in existing:
                continue
            if kind == Plan.Kind.SIG and year == current:
                n, version = big, 2
            else:
                n = rng.randint(*(SIG_ACTIVITIES if kind == Plan.Kind.SIG else ISMS_ACTIVITIES))
                version = rng.choice([1, 1, 2, 2, 3]) if year < current else rng.choice([1, 2])
            status = Plan.Status.CLOSED if year < current else Plan.Status.APPROVED
            out.append(_Spec(year=year, kind=kind, activities=n, status=status, version=version))
    return out


def _plan(world: _World, spec: _Spec) -> Plan:
    rng = world.rng
    sig = spec.kind == Plan.Kind.SIG
    budget = (
        Decimal(rng.choice([100_000, 120_000, 130_000, 150_000, 180_000]))
        if sig
        else Decimal(rng.choice([40_000, 60_000, 80_000]))
    )
    if spec.activities > 500:
        budget = Decimal(1_800_000)
    approved = _day(spec.year, 1, rng)
    return Plan(
        year=spec.year,
        kind=spec.kind,
        title=(
            f"Plan de Desarrollo del Sistema Integrado de Gestión {spec.year}"
            if sig
            else f"Plan de implementación del SGSI {spec.year}"
        ),
        objective=(
            "Establecer las actividades para la planificación, mantenimiento y mejora del SIG "
            f"(ISO 9001, ISO 37001 e ISO/IEC 27001) durante el año {spec.year}."
            if sig
            else f"Implementar y mantener el SGSI en los procesos del alcance durante el año {spec.year}."
        ),
        scope="Sede Central y las 21 Unidades Territoriales."
        if sig
        else "Procesos del alcance del SGSI, Sede Central.",
        owner_unit_id=world.central_units["UPPM-CMG" if sig else "UTI"],
        version=spec.version,
        status=spec.status,
        approving_resolution=_rde(world, spec.year),
        approved_on=approved,
        budget_amount=budget,
        budget_source=f"POI {spec.year}",
    )


def _sites_for(world: _World, kind: str) -> tuple[list[int], int]:
    """(sites where the activity happens, responsible unit), spread over the 22 sites."""
    rng = world.rng
    central_unit = rng.choice(list(world.central_units.values()))
    every_ut = [s.pk for s in world.uts]
    r = rng.random()
    if kind == Plan.Kind.ISMS or r < 0.35 or not every_ut:
        return [world.central.pk], central_unit
    if r < 0.50:
        return [world.central.pk, *every_ut], central_unit
    if r < 0.60:
        return every_ut, central_unit
    chosen = rng.sample(every_ut, rng.randint(1, 4))
    if len(chosen) == 1 and rng.random() < 0.6:
        return chosen, world.ut_units.get(chosen[0], central_unit)
    return chosen, central_unit


def _state(
    world: _World, start: datetime.date, end: datetime.date, past: bool
) -> tuple[str, int, int]:  # (status, products, delivered)
    rng = world.rng
    today = world.today
    n = rng.choice([1, 1, 2, 2, 2, 3])
    if end < today:
        r = rng.random()
        done = 0.9 if past else 0.72
        if r < done:
            return S.COMPLETED, n, n
        if r < done + 0.04:
            return S.CANCELLED, n, rng.randint(0, n - 1)
        delivered = rng.randint(0, n - 1)
        return (S.IN_PROGRESS if delivered or rng.random() < 0.5 else S.NOT_STARTED), n, delivered
    if start <= today:
        if rng.random() < 0.25:
            return S.NOT_STARTED, n, 0  # delayed: not started past its start
        return S.IN_PROGRESS, n, rng.randint(0, n - 1)
    return (S.NOT_STARTED if rng.random() < 0.95 else S.IN_PROGRESS), n, 0


def _activities(world: _World, spec: _Spec, stages: list[Stage], rows: _Rows) -> None:
    """spec.activities activities over the plan's stages, in planned order within each stage."""
    rng = world.rng
    plan = spec.plan
    assert plan is not None
    sig = spec.kind == Plan.Kind.SIG
    shares = BIG_STAGE_SHARES if sig else [1 / len(stages)] * len(stages)
    counts = [max(1, round(spec.activities * s)) for s in shares]
    counts[-1] = max(1, spec.activities - sum(counts[:-1]))
    year_end = datetime.date(spec.year, 12, 31)
    people = world.people
    templates = SIG_TEMPLATES if sig else ISMS_TEMPLATES
    for stage, count in zip(stages, counts, strict=True):
        spans = []
        for _ in range(count):
            start = datetime.date(spec.year, 1, 6) + datetime.timedelta(days=rng.randint(0, 320))
            end = min(year_end, start + datetime.timedelta(days=rng.choice([14, 30, 45, 60, 90, 120, 180, 240])))
            spans.append((start, end))
        spans.sort()
        first = len(rows.activities)
        for i, (start, end) in enumerate(spans):
            sites, unit = _sites_for(world, spec.kind)
            status, n_products, delivered = _state(world, start, end, spec.year < world.today.year)
            progress = round(100 * delivered / n_products)
            actual_start = None
            if status in (S.IN_PROGRESS, S.COMPLETED) or delivered:
                actual_start = _clamp(start + datetime.timedelta(days=rng.randint(-5, 20)), start, world.today)
            place = rng.choice([world.central, *world.uts]).name if len(sites) > 1 else _site_name(world, sites[0])
            template, product_titles = rng.choice(templates)
            topic = rng.choice(TOPICS)
            unit_site = world.central.pk if unit in world.central_units.values() else sites[0]
            person = rng.choice(people[unit_site])[0] if people.get(unit_site) and rng.random() < 0.5 else None
            rows.activities.append(
                Activity(
                    stage=stage,
                    plan=plan,
                    code=f"{stage.number}.{i + 1}",
                    title=template.format(topic=topic, place=place),
                    responsible_unit_id=unit,
                    responsible_person_id=person,
                    planned_start=start,
                    planned_end=end,
                    actual_start=actual_start,
                    progress=progress,
                    status=status,
                    is_milestone=rng.random() < 0.02,
                    order=i,
                )
            )
            rows.products_per_activity.append((n_products, delivered))
            titles = [t.format(topic=topic) for t in product_titles][:n_products]
            rows.product_titles.append(titles + rng.sample(EXTRA_PRODUCTS, n_products - len(titles)))
            rows.sites.append(sites)
            index = first + i
            before = [j for j in range(max(first, index - 15), index) if spans[j - first][1] <= start]
            chosen: list[int] = []
            if before and rng.random() < 0.25:
                chosen = rng.sample(before, 2 if len(before) > 1 and rng.random() < 0.2 else 1)
            rows.predecessors.append(chosen)


def _site_name(world: _World, site_id: int) -> str:
    if site_id == world.central.pk:
        return "la Sede Central"
    return next((s.name for s in world.uts if s.pk == site_id), "la Sede Central")


def _products(world: _World, rows: _Rows) -> tuple[int, int]:
    """Products of every activity (their titles follow the activity's template), delivered ones
    with their evidence link; the completed activities' actual end. Returns (products, links)."""
    rng = world.rng
    products: list[Product] = []
    owners: list[int] = []  # index of the activity each product closes
    order_in_plan: dict[int, int] = {}
    for index, activity in enumerate(rows.activities):
        n_products, delivered = rows.products_per_activity[index]
        titles = rows.product_titles[index]
        last_delivery: datetime.date | None = None
        for k, title in enumerate(titles):
            delivered_on = None
            if k < delivered:
                low = activity.actual_start or activity.planned_start
                high = min(world.today, activity.planned_end + datetime.timedelta(days=30))
                delivered_on = low + datetime.timedelta(days=rng.randint(0, max(0, (high - low).days)))
                last_delivery = max(last_delivery or delivered_on, delivered_on)
            order = order_in_plan.get(activity.plan_id, 0)
            order_in_plan[activity.plan_id] = order + 1
            products.append(Product(plan_id=activity.plan_id, title=title, delivered_on=delivered_on, order=order))
            owners.append(index)
        if activity.status == S.COMPLETED:
            activity.actual_end = last_delivery
    Product.objects.bulk_create(products, batch_size=BATCH)
    through = Product.activities.through
    Product.activities.through.objects.bulk_create(
        [through(product_id=p.pk, activity_id=rows.activities[i].pk) for p, i in zip(products, owners, strict=True)],
        batch_size=BATCH,
    )
    Activity.objects.bulk_update(
        [a for a in rows.activities if a.actual_end is not None], ["actual_end"], batch_size=BATCH
    )
    links = [
        EvidenceLink(
            target_type=world.product_type,
            target_id=p.pk,
            evidence_type=world.document_type,
            evidence_id=rng.choice(world.documents),
            note="",
            linked_by_id=world.cmg,
        )
        for p in products
        if p.delivered_on is not None and world.documents
    ]
    EvidenceLink.objects.bulk_create(links, batch_size=BATCH)
    return len(products), len(links)


def _budget(world: _World, spec: _Spec, activity_ids: list[int]) -> tuple[list[BudgetTask], list[list[int]]]:
    """Tasks programming 85–100 % of the assigned budget (never more), executed as the year went."""
    rng = world.rng
    plan = spec.plan
    assert plan is not None
    n = 40 if spec.activities > 500 else (6 if spec.kind == Plan.Kind.SIG else 3)
    total_cents = int(plan.budget_amount * 100 * Decimal(rng.uniform(0.85, 1.0)))
    weights = [rng.random() + 0.2 for _ in range(n)]
    tasks: list[BudgetTask] = []
    linked: list[list[int]] = []
    elapsed = 1.0 if spec.year < world.today.year else world.today.timetuple().tm_yday / 365
    for i, w in enumerate(weights):
        cents = int(total_cents * w / sum(weights))
        executed = int(cents * rng.uniform(0.6, 1.0) * elapsed)
        tasks.append(
            BudgetTask(
                plan=plan,
                title=f"Servicio de {rng.choice(TOPICS)} ({i + 1:02d})",
                programmed_amount=Decimal(cents) / 100,
                executed_amount=Decimal(executed) / 100,
                order=i,
            )
        )
        size = rng.randint(5, 25) if spec.activities > 500 else rng.randint(1, 3)
        linked.append(rng.sample(activity_ids, min(size, len(activity_ids))))
    return tasks, linked


def _history(
    world: _World, spec: _Spec, held: dict[int, list[Session]], activity_ids: list[int]
) -> tuple[list[ChangeRequest], list[list[int]], list[PlanChangeEntry]]:
    """The approved change requests that made versions 02, 03…, their change-control rows (after
    the initial one) and, in the current year, one request still waiting for the Committee."""
    rng = world.rng
    plan = spec.plan
    assert plan is not None
    sessions = sorted(held.get(spec.year, []), key=lambda s: s.date)
    requests: list[ChangeRequest] = []
    affected: list[list[int]] = []
    entries = [
        PlanChangeEntry(
            plan=plan,
            version=1,
            date=plan.approved_on,
            justification="Elaboración inicial del documento",
            responsible="UPPM-CMG",
            order=0,
        )
    ]
    for version in range(2, spec.version + 1):
        session = sessions[min(len(sessions) - 1, version - 1)] if sessions else None
        decided = (session.date.date() if session else _day(spec.year, 6, rng)) + datetime.timedelta(days=7)
        decided = min(decided, world.today)
        informe = _informe(world, spec.year)
        resolution = _rde(world, spec.year)
        requests.append(
            ChangeRequest(
                plan=plan,
                reason=rng.choice(CR_REASONS),
                affected_sections="Anexo 01 (cronograma)",
                supporting_report=informe,
                status=ChangeRequest.Status.APPROVED,
                proposed_by_id=world.cmg,
                committee_session=session,
                committee_opinion="Conforme; se eleva a la Dirección Ejecutiva.",
                decided_by_id=world.director,
                decided_on=decided,
                resolution=resolution,
                oficio_dgcgps=f"Oficio N.° {_number(world, 'oficio', spec.year):03d}-{spec.year}-{ENTITY}-DE",
                memorando_multiple=f"Memorando Múltiple N.° {_number(world, 'memo', spec.year):03d}-{spec.year}-{ENTITY}-DE",
                resulting_version=version,
            )
        )
        affected.append(rng.sample(activity_ids, min(len(activity_ids), rng.randint(1, 3))))
        entries.append(
            PlanChangeEntry(
                plan=plan,
                version=version,
                date=decided,
                justification="Actualización",
                texts_modified=informe,
                responsible="UPPM-CMG",
                order=0,
            )
        )
        plan.approving_resolution, plan.approved_on = resolution, decided
        spec.approvals[version] = (decided, resolution)
    if spec.year == world.today.year:
        requests.append(
            ChangeRequest(
                plan=plan,
                reason=rng.choice(CR_REASONS),
                affected_sections="Anexo 01 (cronograma)",
                supporting_report=_informe(world, spec.year),
                proposed_by_id=world.cmg,
            )
        )
        affected.append(rng.sample(activity_ids, min(len(activity_ids), 3)))
    return requests, affected, entries


def _insert_plans(world: _World, specs: list[_Spec]) -> list[Plan]:
    """The plans with their legal basis, §5 responsibilities and stages."""
    plans = [_plan(world, spec) for spec in specs]
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    for spec, plan in zip(specs, plans, strict=True):
        spec.plan = plan
        spec.approvals[1] = (plan.approved_on, plan.approving_resolution)
    Plan.legal_basis.through.objects.bulk_create(
        [Plan.legal_basis.through(plan_id=p.pk, legalnorm_id=n) for p in plans for n in world.norms],
        batch_size=BATCH,
    )
    PlanResponsibility.objects.bulk_create(
        [
            PlanResponsibility(plan=p, role=role, responsibility=text, order=i)
            for p in plans
            for i, (role, text) in enumerate(RESPONSIBILITIES)
        ],
        batch_size=BATCH,
    )
    return plans


def _insert_activities(world: _World, specs: list[_Spec]) -> _Rows:
    """Stages, then every plan's activities with their sites and dependencies."""
    stages = [
        Stage(plan=spec.plan, number=number, name=name)
        for spec in specs
        for number, name in enumerate(SIG_STAGES if spec.kind == Plan.Kind.SIG else ISMS_STAGES, start=1)
    ]
    Stage.objects.bulk_create(stages, batch_size=BATCH)
    by_plan: dict[int, list[Stage]] = {}
    for stage in stages:
        by_plan.setdefault(stage.plan_id, []).append(stage)
    rows = _Rows()
    for spec in specs:
        assert spec.plan is not None
        _activities(world, spec, by_plan[spec.plan.pk], rows)
    Activity.objects.bulk_create(rows.activities, batch_size=BATCH)
    ids = [a.pk for a in rows.activities]
    through = Activity.sites.through
    through.objects.bulk_create(
        [through(activity_id=ids[i], site_id=s) for i, sites in enumerate(rows.sites) for s in sites],
        batch_size=BATCH,
    )
    depends = Activity.depends_on.through
    depends.objects.bulk_create(
        [
            depends(from_activity_id=ids[i], to_activity_id=ids[j])
            for i, before in enumerate(rows.predecessors)
            for j in before
        ],
        batch_size=BATCH,
    )
    return rows


def _insert_budget_and_history(
    world: _World, specs: list[_Spec], rows: _Rows, held: dict[int, list[Session]]
) -> tuple[int, int]:
    """Budget tasks and change requests with the activities they name, and the change-control
    rows. Returns (budget tasks, change requests)."""
    per_plan: dict[int, list[int]] = {}
    for activity in rows.activities:
        per_plan.setdefault(activity.plan_id, []).append(activity.pk)
    tasks: list[BudgetTask] = []
    task_links: list[list[int]] = []
    requests: list[ChangeRequest] = []
    affected: list[list[int]] = []
    entries: list[PlanChangeEntry] = []
    for spec in specs:
        assert spec.plan is not None
        activity_ids = per_plan[spec.plan.pk]
        t, links = _budget(world, spec, activity_ids)
        tasks += t
        task_links += links
        r, a, e = _history(world, spec, held, activity_ids)
        requests += r
        affected += a
        entries += e
    BudgetTask.objects.bulk_create(tasks, batch_size=BATCH)
    task_through = BudgetTask.activities.through
    task_through.objects.bulk_create(
        [
            task_through(budgettask_id=task.pk, activity_id=a)
            for task, linked in zip(tasks, task_links, strict=True)
            for a in linked
        ],
        batch_size=BATCH,
    )
    ChangeRequest.objects.bulk_create(requests, batch_size=BATCH)
    cr_through = ChangeRequest.affected_activities.through
    cr_through.objects.bulk_create(
        [
            cr_through(changerequest_id=cr.pk, activity_id=a)
            for cr, linked in zip(requests, affected, strict=True)
            for a in linked
        ],
        batch_size=BATCH,
    )
    for cr in requests:  # proposed_at is auto_now_add: date it before the decision
        when = (cr.decided_on or world.today) - datetime.timedelta(days=world.rng.randint(7, 30))
        ChangeRequest.objects.filter(pk=cr.pk).update(proposed_at=_at(when, 9))
    PlanChangeEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(tasks), len(requests)


def _insert_versions(specs: list[_Spec]) -> None:
    """Each approved version's PlanVersion. The snapshot of the plan as generated stands for
    every version (plans.services.plan_snapshot, once per plan)."""
    versions = []
    for spec in specs:
        assert spec.plan is not None
        frozen = plan_snapshot(spec.plan)
        for number in range(1, spec.version + 1):
            approved_on, resolution = spec.approvals[number]
            versions.append(
                PlanVersion(
                    plan=spec.plan,
                    number=number,
                    snapshot={**frozen, "version": number},
                    approved_on=approved_on,
                    approving_resolution=resolution,
                )
            )
    PlanVersion.objects.bulk_create(versions, batch_size=100)


def generate(ctx: GenContext) -> None:
    """10 years of SIG and ISMS plans, the big plan, Committee sessions and acuerdos (module docstring)."""
    world = _world(ctx)
    if not world.central_units or not world.people.get(world.central.pk):
        raise RuntimeError("plans need the demo units and people (load_demo)")
    years = list(range(world.today.year - YEARS.get(ctx.size.name, 10) + 1, world.today.year + 1))
    with transaction.atomic():
        held = _sessions(ctx, world, years)
        specs = _specs(world, years, BIG_ACTIVITIES.get(ctx.size.name, BIG_ACTIVITIES["small"]))
        plans = _insert_plans(world, specs)
        rows = _insert_activities(world, specs)
        n_products, n_links = _products(world, rows)
        n_tasks, n_requests = _insert_budget_and_history(world, specs, rows, held)
        # The latest version's resolution and date (set by _history) are the plan's.
        Plan.objects.bulk_update(plans, ["approving_resolution", "approved_on"], batch_size=BATCH)
        _insert_versions(specs)
    ctx.add("plans", len(plans))
    ctx.add("activities", len(rows.activities))
    ctx.add("products", n_products)
    ctx.add("evidence links", n_links)
    ctx.add("budget tasks", n_tasks)
    ctx.add("change requests", n_requests)


# --- scenarios --------------------------------------------------------------------------------


def big_plan() -> Plan:
    """The plan with the most activities (the generated big plan; the demo's 2020 plan without
    bench data)."""
    plan = Plan.objects.annotate(n=Count("activities")).order_by("-n", "pk").select_related("owner_unit").first()
    assert plan is not None, "no plan: run load_demo"
    return plan


def _plan_path(name: str, query: str = "") -> Callable[[RunContext], str]:
    def path(ctx: RunContext) -> str:
        return reverse(name, args=[big_plan().pk]) + query

    return path


def _get_plan(user: Any, plan: Plan) -> Statement:
    """plans.access.get_plan_for_user."""
    return sql.select(plans_visible_to(user).filter(pk=plan.pk))


def _evidence(user: Any, product_ids: Sequence[int]) -> list[Statement]:
    """plans.selectors.evidence_for: the product links, then the visible documents they name."""
    links = EvidenceLink.objects.filter(
        target_type=ContentType.objects.get_for_model(Product), target_id__in=product_ids, removed_at__isnull=True
    ).order_by("linked_at", "pk")
    doc_ids = list(
        links.filter(evidence_type=ContentType.objects.get_for_model(Document)).values_list("evidence_id", flat=True)
    )
    return [sql.select(links), sql.select(documents_visible_to(user).filter(pk__in=sorted(set(doc_ids))))]


def _detail_sql(ctx: RunContext) -> list[Statement]:
    """plans.views.plan_detail → selectors.plan_tree: every visible activity with its sites and
    products, the products' evidence, stages, budget tasks with their activities, change
    requests, versions, change-control rows, responsibilities and legal basis."""
    user = ctx.user("cmg")
    plan = big_plan()
    activities = (
        selectors.plan_activities(user, plan)
        .select_related("responsible_unit", "responsible_person", "stage")
        .order_by("stage__number", "order", "pk")
    )
    ids = sql.page_ids(activities, 100_000)
    sites = Activity.sites.through.objects.filter(activity_id__in=ids).select_related("site")
    products = Product.objects.filter(activities__in=ids).order_by("order", "pk")
    product_ids = sql.page_ids(products, 100_000)
    tasks = plan.budget_tasks.all()
    task_activities = Activity.objects.filter(budget_tasks__in=sql.page_ids(tasks, 1000)).only("code")
    return [
        _get_plan(user, plan),
        sql.select(activities),
        sql.select(sites),
        sql.select(products),
        *_evidence(user, product_ids),
        sql.select(plan.stages.order_by("number")),
        sql.select(tasks),
        sql.select(task_activities),
        sql.select(
            plan.change_requests.select_related("proposed_by", "committee_session", "decided_by").order_by(
                "-proposed_at", "-pk"
            )
        ),
        sql.select(plan.versions.defer("snapshot").order_by("-number")),
        sql.select(plan.change_entries.order_by("version", "order", "pk")),
        sql.select(plan.responsibilities.all()),
        sql.select(plan.legal_basis.all()),
    ]


def _gantt_sql(ctx: RunContext) -> list[Statement]:
    """plans.views_gantt.plan_gantt → plans.gantt.gantt_page, first page: stage summaries, the
    paginator's COUNT, GANTT_PAGE activities, their dependencies and product counts."""
    user = ctx.user("cmg")
    plan = big_plan()
    visible = Q(activities__in=activities_visible_to(user).filter(plan=plan).values("pk"))
    summaries = (
        Stage.objects.filter(plan=plan)
        .annotate(
            n=Count("activities", filter=visible),
            start=Min("activities__planned_start", filter=visible),
            end=Max("activities__planned_end", filter=visible),
            progress=Avg("activities__progress", filter=visible),
        )
        .order_by("number")
    )
    activities = (
        activities_visible_to(user)
        .filter(plan=plan)
        .order_by("stage__number", "order", "pk")
        .select_related("stage", "responsible_unit")
    )
    ids = sql.page_ids(activities, GANTT_PAGE)
    dependencies = (
        Activity.depends_on.through.objects.filter(from_activity_id__in=ids)
        .order_by("to_activity__stage__number", "to_activity__order", "to_activity_id")
        .values_list("from_activity_id", "to_activity_id", "to_activity__code")
    )
    product_counts = (
        Product.activities.through.objects.filter(activity_id__in=ids)
        .values("activity_id")
        .annotate(n=Count("product_id"), done=Count("product_id", filter=Q(product__delivered_on__isnull=False)))
    )
    return [
        _get_plan(user, plan),
        sql.select(summaries),
        sql.count(activities),
        sql.select(activities, GANTT_PAGE),
        sql.select(dependencies),
        sql.select(product_counts),
    ]


def _dashboard_plan_sql(ctx: RunContext) -> list[Statement]:
    """plans.views.plan_dashboard → selectors.plan_dashboard, captured as it runs: progress per
    stage, unit and site, totals, delayed activities, next deadlines, overdue acuerdos, budget."""
    user = ctx.user("cmg")
    plan = big_plan()
    return sql.captured(lambda: selectors.plan_dashboard(user, plan, ctx.today))


def _home_sql(ctx: RunContext) -> list[Statement]:
    """core.views.dashboard_view for the SIG coordinator (every panel, the plans panel
    included, and the pending work), captured as it runs."""
    return dashboard_sql(ctx, "cmg")


def _delayed_sql(ctx: RunContext) -> list[Statement]:
    """plans.views.activity_list?status=delayed: the filter form's choices (stages, units,
    sites), the paginator's COUNT, the first page and its sites."""
    user = ctx.user("cmg")
    plan = big_plan()
    qs = selectors.filter_activities(
        selectors.plan_activities(user, plan).order_by("stage__number", "order", "pk"),
        {"status": "delayed"},
        ctx.today,
    )
    sites = Activity.sites.through.objects.filter(activity_id__in=sql.page_ids(qs, PAGE)).select_related("site")
    return [
        _get_plan(user, plan),
        sql.select(plan.stages.order_by("number")),
        sql.select(OrgUnit.objects.all()),
        sql.select(Site.objects.all()),
        sql.count(qs),
        sql.select(qs, PAGE),
        sql.select(sites),
    ]


def _api_sql(ctx: RunContext) -> list[Statement]:
    """plans.api.activities.activity_list: the page with the sites, dependencies and products
    of its rows, and its COUNT."""
    user = ctx.user("cmg")
    plan = big_plan()
    qs = activities_visible_to(user).filter(plan=plan).order_by("stage__number", "order", "code", "pk")
    ids = sql.page_ids(qs, PAGE)
    sites = Activity.sites.through.objects.filter(activity_id__in=ids).select_related("site")
    depends = Activity.depends_on.through.objects.filter(from_activity_id__in=ids).select_related("to_activity")
    products = Product.objects.filter(activities__in=ids).order_by("order", "pk")
    return [
        _get_plan(user, plan),
        sql.select(qs, PAGE),
        sql.capped_count(qs),
        sql.select(sites.order_by("site__order", "site__name")),
        sql.select(depends.only("from_activity_id", "to_activity__id").order_by("to_activity_id")),
        sql.select(products),
    ]


def _overdue_sql(ctx: RunContext, username: str = "cmg") -> list[Statement]:
    """actions.views.item_list?overdue=on: the filter form's people and units (those appearing in
    the visible items), the paginator's COUNT and the first page."""
    user = ctx.user(username)
    visible = action_items_visible_to(user)
    qs = filter_items(visible, {"overdue": True}, ctx.today).order_by("due_date", "pk")
    form = ActionFilterForm(visible=visible)
    people, units = form.fields["responsible"].queryset, form.fields["unit"].queryset  # type: ignore[attr-defined]
    return [sql.select(people), sql.select(units), sql.capped_count(qs), sql.select(qs, PAGE)]


def _api_path(ctx: RunContext) -> str:
    return f"/api/v1/plans/{big_plan().pk}/activities?limit={PAGE}"


SCENARIOS = [
    Scenario(
        "plan.detail.big",
        _plan_path("plans:plan_detail"),
        "cmg",
        sql=_detail_sql,
        note="whole tree of the plan with the most activities",
    ),
    Scenario(
        "plan.gantt.big",
        _plan_path("plans:plan_gantt"),
        "cmg",
        sql=_gantt_sql,
        note=f"cronograma, first page ({GANTT_PAGE} activities) + stage bars",
    ),
    Scenario("plan.dashboard.big", _plan_path("plans:plan_dashboard"), "cmg", sql=_dashboard_plan_sql),
    Scenario(
        "plan.home-dashboard",
        lambda ctx: reverse("core:dashboard"),
        "cmg",
        sql=_home_sql,
        note="home with the plans panel (3 latest open plans)",
    ),
    Scenario(
        "plan.activities.delayed",
        _plan_path("plans:activity_list", "?status=delayed"),
        "cmg",
        sql=_delayed_sql,
        note="activity list filtered by derived status",
    ),
    Scenario("api.plan-activities", _api_path, "cmg", auth="token", sql=_api_sql, note="first 50 of the big plan"),
    Scenario(
        "acciones.overdue",
        lambda ctx: reverse("actions:item_list") + "?overdue=on",
        "cmg",
        sql=_overdue_sql,
        note="acuerdos open past their due date",
    ),
    Scenario(
        "acciones.overdue.ut",
        lambda ctx: reverse("actions:item_list") + "?overdue=on",
        "ut.cusco",
        sql=lambda ctx: _overdue_sql(ctx, "ut.cusco"),
        note="the same for a UT head (its UT's items)",
    ),
]
