"""Benchmark data and scenarios for document control (harness: bench/__init__.py).

Issue 3 asks for the master list and its search with 20,000 documents / 60,000 versions: that
is the "small" size (DOCUMENTS below). Documents are spread over the Sede Central's units and
each UT's own unit, every document type, process and classification. Most are vigente with 2-3
versions (the older ones obsoleto); some have a new version in the workflow, some were never
published, a few were withdrawn; external documents have one vigente version without approval.
Each version has Spanish Markdown content (~200 words), its Control de Cambios row(s) and the
workflow steps its status implies; vigente and obsoleto versions carry a unique 7-letter
verification code. `Document.current_version`, `latest_version`, `status` and `search_text`
are filled exactly as documents.services._refresh_document computes them.

Rows go in with executemany and explicit ids (bulk_create spends most of its time compiling
SQL). On PostgreSQL the full-text column `search_vector` is a stored generated column
(migration 0003): the database computes it on insert, so nothing extra is written here.

Search words: FREQUENT_WORD appears in nearly every document, RARE_WORD in one document of
RARE_EVERY (40 at the small size)."""

from __future__ import annotations

import datetime
import os
import random
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Prefetch
from django.urls import reverse

from accounts.models import User
from bench import sql
from bench.bulk import Table, reset_sequences
from bench.context import GenContext, RunContext
from bench.registry import Scenario, Statement
from catalog.models import Requirement
from core.pagination import CappedPaginator, capped_count
from documents import fts, waiting
from documents.access import can_register, documents_visible_to, versions_visible_to
from documents.forms import DocumentFilterForm
from documents.models import (
    ChangeEntry,
    Classification,
    CodeScheme,
    CodeSequence,
    Document,
    DocumentType,
    DocumentVersion,
    ReadConfirmation,
    VersionStatus,
    WorkflowRule,
    WorkflowStep,
)
from documents.selectors import filter_documents, list_columns
from organization.models import ManagementSystem, OrgUnit, Process
from reports.models import IssuedDocument, VerificationAttempt

ORDER = 60  # after the people (accounts, 30): documents are drafted by them
GENERATOR_VERSION = 3  # 3: the distribution rows carry the version in force and its date
PAGE = 50  # documents.views.PAGE_SIZE
CHUNK = 5000  # versions queued before a flush
DOCUMENTS = {"tiny": 200, "small": 20_000, "medium": 50_000, "large": 200_000}
# Versions per document, in blocks of 20 documents with 60 versions: 3 per document on average,
# most documents with 2-3 (the 20,000 / 60,000 at the small size).
VERSIONS_BLOCK = [1] * 2 + [2] * 4 + [3] * 8 + [4] * 4 + [5] * 2
FREQUENT_WORD = "hogares"
RARE_WORD = "friaje"
RARE_EVERY = 500
CENTRAL_SHARE = 0.5  # of the documents; the rest is spread evenly over the UTs
S = VersionStatus
A = WorkflowStep.Action
T = TypeVar("T")

# --- words ------------------------------------------------------------------------------------

SUBJECTS = [
    "la atención de consultas de las usuarias",
    "la afiliación de hogares",
    "la verificación del cumplimiento de corresponsabilidades",
    "el mantenimiento del padrón de hogares",
    "la liquidación y transferencia de incentivos",
    "la entrega del incentivo monetario condicionado",
    "el acompañamiento familiar",
    "la gestión de quejas, reclamos y denuncias",
    "el control de documentos del SIG",
    "las auditorías internas del SIG",
    "la gestión de riesgos de soborno",
    "la debida diligencia de socios de negocio",
    "la gestión de incidentes de seguridad de la información",
    "el control de accesos a los sistemas de información",
    "las copias de respaldo de la información",
    "la gestión de no conformidades y acciones correctivas",
    "la revisión por la dirección",
    "la capacitación del personal",
    "la contratación de bienes y servicios",
    "el registro de visitas domiciliarias",
    "la supervisión de gestores locales",
    "la evaluación de proveedores",
    "la gestión de conflictos de intereses",
    "la recepción de regalos, donaciones y hospitalidades",
    "el uso de vehículos institucionales",
    "la gestión del archivo documental",
    "las solicitudes de acceso a la información pública",
    "la comunicación interna y externa",
    "la medición de la satisfacción de las usuarias",
    "el seguimiento de indicadores de desempeño",
    "la formulación del plan operativo institucional",
    "la programación de rutas de pago",
    "la validación de información de salud y educación",
    "la actualización de datos de los hogares",
    "la suspensión y reincorporación de hogares",
    "la gestión de cambios en los procesos",
    "la continuidad operativa",
    "el tratamiento de información clasificada",
    "la gestión de activos de información",
    "la denuncia de presuntos actos de soborno",
    "la gestión de la mejora continua",
    "el control de la información documentada",
    "la identificación de requisitos legales",
    "la gestión de riesgos y oportunidades",
    "el monitoreo de los Comités de Transparencia y Vigilancia Ciudadana",
]
TITLE_PATTERNS: dict[str, list[str]] = {
    "M": ["Manual de {s}", "Manual de procesos para {s}"],
    "POL": ["Política de {s}", "Lineamientos de política para {s}"],
    "PL": ["Plan de trabajo para {s} {y}", "Plan de mejora de {s} {y}", "Plan de capacitación sobre {s} {y}"],
    "P": ["Procedimiento para {s}", "Procedimiento de {s}"],
    "G": ["Guía para {s}", "Guía metodológica de {s}"],
    "I": ["Instructivo para {s}", "Instructivo de llenado del registro de {s}"],
    "F": ["Formato de registro de {s}", "Formato de control de {s}", "Ficha de {s}"],
    "R": ["Registro de {s}", "Registro de asistencia a {s}"],
    "MT": ["Matriz de riesgos de {s}", "Matriz de requisitos legales de {s}", "Matriz de comunicaciones de {s}"],
    "INF": ["Informe de seguimiento de {s} {y}", "Informe de resultados de {s} {y}", "Informe de evaluación de {s}"],
    "A": ["Acta de reunión sobre {s}", "Acta de la sesión del Comité del SIG sobre {s}"],
    "RDE": ["Resolución que aprueba el documento de {s}", "Resolución que modifica disposiciones sobre {s}"],
    "MEM": ["Memorando múltiple sobre {s}", "Memorando de coordinación sobre {s}"],
}
EXTERNAL_TITLES = [
    ("Ley N.° 27806, Ley de Transparencia y Acceso a la Información Pública", "Congreso de la República"),
    ("Ley N.° 29733, Ley de Protección de Datos Personales", "Congreso de la República"),
    ("Decreto Supremo N.° 092-2017-PCM, Política Nacional de Integridad y Lucha contra la Corrupción", "PCM"),
    ("Norma Técnica Peruana NTP-ISO/IEC 27001:2014", "INACAL"),
    ("Norma ISO 9001:2015 Sistemas de gestión de la calidad. Requisitos", "ISO"),
    ("Norma ISO 37001:2016 Sistemas de gestión antisoborno", "ISO"),
    ("Directiva de control interno para las entidades del Estado", "Contraloría General de la República"),
    ("Lineamientos para la gestión de programas sociales", "MIDIS"),
]
ACTORS = [
    "El gestor local",
    "La Jefatura de la Unidad Territorial",
    "El responsable del proceso",
    "El Coordinador Técnico",
    "El personal de la Unidad de Operaciones",
    "La Coordinación de Modernización de la Gestión",
    "El Oficial de Seguridad de la Información",
    "El Oficial de Cumplimiento",
    "El especialista de afiliación",
    "El equipo de acompañamiento familiar",
    "El especialista de verificación",
    "La Unidad de Administración",
]
VERBS = [
    "verifica",
    "registra",
    "revisa",
    "remite",
    "consolida",
    "valida",
    "archiva",
    "comunica",
    "actualiza",
    "supervisa",
    "evalúa",
    "analiza",
]
OBJECTS = [
    "la información de los hogares usuarios",
    "el padrón de hogares afiliados",
    "los formatos de visita domiciliaria",
    "las evidencias del cumplimiento de corresponsabilidades",
    "el informe de resultados del periodo",
    "la relación de hogares abonados",
    "los expedientes de quejas y reclamos",
    "las alertas emitidas por los comités de vigilancia",
    "la matriz de riesgos del proceso",
    "los registros de capacitación del personal",
    "el cronograma de actividades",
    "las solicitudes de actualización de datos",
    "los reportes del sistema de información",
    "las observaciones de la auditoría interna",
    "los indicadores del proceso",
    "la documentación de sustento",
]
ENDINGS = [
    "en el plazo de cinco días hábiles",
    "a través del Sistema de Gestión Documental",
    "antes del cierre del periodo de verificación",
    "conforme a la normativa vigente",
    "y deja constancia en el registro correspondiente",
    "en coordinación con la Unidad Territorial",
    "según el formato aprobado",
    "mediante memorando múltiple",
    "cuando se identifica una no conformidad",
    "de acuerdo con la norma ISO 9001:2015",
    "en el marco del Sistema Integrado de Gestión",
    "con la periodicidad establecida en el plan",
    "y reporta las desviaciones a la jefatura inmediata",
]
OBJECTIVES = [
    "Establecer las actividades para {s}, asegurando la calidad del servicio que reciben los hogares usuarios.",
    "Definir los criterios y responsabilidades para {s} en Sede Central y en las Unidades Territoriales.",
    "Uniformizar la ejecución de {s} en el marco del Sistema Integrado de Gestión del Programa JUNTOS.",
]
SCOPES = [
    "El presente documento es de aplicación obligatoria para la Sede Central y las 21 Unidades Territoriales.",
    "Aplica a todos los órganos y unidades que intervienen en el proceso, incluidos los gestores locales.",
    "Aplica al personal de la Unidad Territorial y a los actores locales que participan en el proceso.",
]
RARE_SENTENCE = (
    f"Ante heladas y {RARE_WORD} en las zonas altoandinas, la Unidad Territorial reprograma las visitas "
    "y comunica el cambio a las familias afectadas."
)
JUSTIFICATIONS = [
    "Actualización",
    "Adecuación a la norma ISO 37001:2016",
    "Mejora del proceso",
    "Cambio de la estructura orgánica",
    "Resultado de la auditoría interna",
    "Incorporación de controles del SGSI",
    "Simplificación administrativa",
]
TEXTS_MODIFIED = [
    "Numeral 5. Responsabilidades",
    "Numeral 6. Desarrollo: actividades 3 a 7",
    "Se actualizan los formatos anexos",
    "Se precisa el alcance y las definiciones",
    "Se reemplaza el flujograma del proceso",
]
COMMENTS = ["", "", "", "Conforme.", "Sin observaciones.", "Conforme, proceder."]
REJECTION = "Precisar el alcance y las responsabilidades antes de continuar."
DEPARTMENT_PREFIX = "Unidad Territorial "
TYPE_WEIGHTS = {"F": 22, "R": 10, "P": 14, "I": 10, "G": 7, "INF": 9, "A": 6, "MEM": 5, "MT": 5, "PL": 4, "M": 2}
TYPE_WEIGHTS |= {"POL": 1, "RDE": 2, "EXT": 0}  # EXT is drawn apart (one version, no approval)
TOP_APPROVAL = {"M", "POL", "PL", "P", "G", "RDE", "EXT"}  # documents.demo: approved by the Dirección
IN_PROGRESS = [S.DRAFT] * 7 + [S.IN_REVIEW] * 5 + [S.IN_ENDORSEMENT] * 2 + [S.IN_APPROVAL] * 4 + [S.APPROVED] * 2
CLASSES = [Classification.PUBLIC] * 20 + [Classification.INTERNAL] * 65 + [Classification.RESTRICTED] * 10
CLASSES += [Classification.CONFIDENTIAL] * 5


# --- generation -------------------------------------------------------------------------------


@dataclass
class _Person:
    pk: int
    name: str
    position: str
    unit_id: int | None


@dataclass
class _World:
    """What the generator draws from, read once."""

    rng: random.Random
    pattern: str
    entity: str
    types: list[DocumentType]
    type_weights: list[int]
    external: DocumentType | None
    units: list[tuple[OrgUnit, str]]  # (unit, place name for titles)
    unit_weights: list[float]
    processes: list[int]
    systems: list[int]
    requirements: list[int]
    all_units: list[int]
    people: dict[int, list[_Person]]  # by site id
    persona: dict[str, _Person]
    sentences: list[str]
    numbers: dict[str, int]  # last number per code prefix
    codes: set[str]
    verification_codes: set[str] = field(default_factory=set)


def _people(ctx: GenContext) -> tuple[dict[int, list[_Person]], dict[str, _Person]]:
    rows = {
        pk: _Person(pk, f"{first} {last}".strip() or username, position, unit_id)
        for pk, username, first, last, position, unit_id in User.objects.values_list(
            "pk", "username", "first_name", "last_name", "position", "unit_id"
        )
    }
    names = dict(User.objects.values_list("username", "pk"))
    persona: dict[str, _Person] = {u: rows[names[u]] for u in ("cmg", "uppm", "direccion") if u in names}
    fallback = [persona["cmg"]] if "cmg" in persona else list(rows.values())[:1]
    by_site = {s.pk: [rows[pk] for pk in ctx.people_by_site.get(s.pk, []) if pk in rows] or fallback for s in ctx.sites}
    return by_site, persona


def _world(ctx: GenContext) -> _World:
    rng = ctx.rng
    scheme = CodeScheme.objects.first()
    entity = OrgUnit.objects.select_related("entity").order_by("pk").first()
    assert entity is not None, "load_demo must run before the generators"
    types = [t for t in DocumentType.objects.order_by("order", "code") if t.requires_approval]
    external = DocumentType.objects.filter(requires_approval=False).order_by("order", "code").first()
    # Sede Central units and each UT's own unit (not the "-EQnn" teams organization.bench adds).
    site_ids = {s.pk for s in ctx.sites}
    units: list[tuple[OrgUnit, str]] = []
    weights: list[float] = []
    central = [
        u for u in OrgUnit.objects.filter(site__is_central=True, is_active=True).order_by("pk") if "-EQ" not in u.code
    ]
    uts = [
        u
        for u in OrgUnit.objects.filter(site__is_central=False, is_active=True).select_related("site").order_by("pk")
        if u.code == u.site.code and u.site_id in site_ids
    ]
    for u in central:
        units.append((u, ""))
        weights.append(CENTRAL_SHARE / len(central))
    for u in uts:
        units.append((u, u.site.name.removeprefix("UT ").removeprefix(DEPARTMENT_PREFIX)))
        weights.append((1 - CENTRAL_SHARE) / len(uts))
    by_site, persona = _people(ctx)
    numbers = dict(CodeSequence.objects.values_list("prefix", "last_number"))
    sentences = [
        f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ENDINGS)}." for _ in range(4000)
    ]
    return _World(
        rng=rng,
        pattern=scheme.pattern if scheme else str(CodeScheme._meta.get_field("pattern").default),
        entity=entity.entity.acronym,
        types=types,
        type_weights=[TYPE_WEIGHTS.get(t.code, 3) for t in types],
        external=external,
        units=units,
        unit_weights=weights,
        processes=list(Process.objects.filter(is_active=True).values_list("pk", flat=True)),
        systems=list(ManagementSystem.objects.order_by("order", "code").values_list("pk", flat=True)),
        requirements=list(
            Requirement.objects.filter(edition__in=ManagementSystem.objects.values("edition"))
            .exclude(kind__in=[Requirement.Kind.DOMAIN, Requirement.Kind.OBJECTIVE])
            .values_list("pk", flat=True)
        ),
        all_units=[u.pk for u, _place in units],
        people=by_site,
        persona=persona,
        sentences=sentences,
        numbers=numbers,
        codes=set(Document.objects.values_list("code", flat=True)),
        verification_codes={
            c for c in DocumentVersion.objects.values_list("verification_code", flat=True) if c is not None
        },
    )


def _code(world: _World, unit: OrgUnit, dtype: DocumentType) -> str:
    parts = {"entity": world.entity, "unit": unit.code, "type": dtype.code}
    prefix = world.pattern.split("{number")[0].format(**parts)
    while True:  # as documents.codes.next_document_code: the prefix's next number, never reused
        world.numbers[prefix] = world.numbers.get(prefix, 0) + 1
        code = world.pattern.format(number=world.numbers[prefix], **parts)
        if code not in world.codes:
            world.codes.add(code)
            return code


def _verification_code(world: _World) -> str:
    while True:
        code = "".join(world.rng.choices(string.ascii_uppercase, k=7))
        if code not in world.verification_codes:
            world.verification_codes.add(code)
            return code


def _title(world: _World, dtype: DocumentType, place: str, year: int) -> str:
    rng = world.rng
    patterns = TITLE_PATTERNS.get(dtype.code) or [f"{dtype.name} de {{s}}"]
    title = rng.choice(patterns).format(s=rng.choice(SUBJECTS), y=year)
    if place:
        title += f" en la UT {place}"
    elif rng.random() < 0.3:
        title += " del Programa JUNTOS"
    return title[:300]


def _body(world: _World, rare: bool) -> list[str]:
    """The sentences of a document's first version (each later version changes a few)."""
    rng = world.rng
    body = rng.sample(world.sentences, rng.randint(9, 12))
    if rare:
        body.insert(rng.randrange(len(body) + 1), RARE_SENTENCE)
    return body


def _content(title: str, body: list[str], objective: str, scope: str) -> str:
    half = max(2, len(body) // 3)
    return (
        f"# {title}\n\n## 1. Objetivo\n\n{objective}\n\n## 2. Alcance\n\n{scope}\n\n"
        f"## 3. Responsabilidades\n\n" + "\n".join(f"- {s}" for s in body[:half]) + "\n\n"
        "## 4. Desarrollo\n\n" + " ".join(body[half:]) + "\n"
    )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


@dataclass
class _Tables:
    documents: Table
    versions: Table
    changes: Table
    steps: Table
    systems: Table
    requirements: Table
    distribution: Table
    endorsing: Table

    def labelled(self) -> list[tuple[str, Table]]:
        """Every table, in insertion order, with the label it is counted under (if any)."""
        return [
            ("documents", self.documents),
            ("document versions", self.versions),
            ("change-control rows", self.changes),
            ("workflow steps", self.steps),
            ("", self.systems),
            ("", self.requirements),
            ("", self.distribution),
            ("", self.endorsing),
        ]


def _tables() -> _Tables:
    return _Tables(
        documents=Table(Document, with_pk=True),
        versions=Table(DocumentVersion, with_pk=True),
        changes=Table(ChangeEntry, with_pk=False),
        steps=Table(WorkflowStep, with_pk=False),
        systems=Table(Document.systems.through, with_pk=False),
        requirements=Table(Document.requirements.through, with_pk=False),
        distribution=Table(Document.distribution_units.through, with_pk=False),
        endorsing=Table(DocumentVersion.endorsing_units.through, with_pk=False),
    )


def generate(ctx: GenContext) -> None:
    """DOCUMENTS[size] documents with 3 versions each on average (see the module docstring)."""
    n_docs = DOCUMENTS.get(ctx.size.name, DOCUMENTS["small"])
    world = _world(ctx)
    if not world.units or not world.types:
        raise RuntimeError("document control needs the demo units and document types (load_demo)")
    tables = _tables()
    counts: dict[str, int] = {}
    endorsing_unit = OrgUnit.objects.filter(code="UPPM").values_list("pk", flat=True).first()
    # No per-row search-index maintenance during the load: one rebuild at the end (documents.fts).
    with transaction.atomic(), fts.suspended(), connection.cursor() as cursor:
        doc_id = (Document.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        version_id = (DocumentVersion.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        block: list[int] = []
        for i in range(n_docs):
            if not block:
                block = list(VERSIONS_BLOCK)
                world.rng.shuffle(block)
            n_versions = block.pop()
            version_id = _document(ctx, world, tables, doc_id, version_id, n_versions, i, endorsing_unit)
            doc_id += 1
            if len(tables.versions.rows) >= CHUNK:
                _flush(cursor, tables, counts)
            if (i + 1) % 10_000 == 0 and i + 1 < n_docs:
                ctx.log(f"    {i + 1:,} of {n_docs:,} documents…")
        _flush(cursor, tables, counts)
        reset_sequences([Document, DocumentVersion])  # explicit ids
        _save_sequences(world.numbers)
    # The rows were inserted without the services: stamp the waiting versions as they would have.
    waiting.refresh(DocumentVersion.objects.filter(status__in=list(waiting.WAITING_STEP)))
    for label, n in counts.items():
        ctx.add(label, n)


def _flush(cursor: Any, tables: _Tables, counts: dict[str, int]) -> None:
    """Insert what is queued, parents first (the documents' pointers to their versions are
    deferred foreign keys, checked at commit)."""
    for label, table in tables.labelled():
        n = table.flush(cursor)
        if label:
            counts[label] = counts.get(label, 0) + n


def _save_sequences(numbers: dict[str, int]) -> None:
    """Leave CodeSequence past every number used, so the app never issues a generated code again."""
    existing = {s.prefix: s for s in CodeSequence.objects.all()}
    changed = []
    for prefix, last in numbers.items():
        seq = existing.get(prefix)
        if seq is not None and seq.last_number < last:
            seq.last_number = last
            changed.append(seq)
    CodeSequence.objects.bulk_update(changed, ["last_number"], batch_size=500)
    CodeSequence.objects.bulk_create(
        [CodeSequence(prefix=p, last_number=n) for p, n in numbers.items() if p not in existing], batch_size=500
    )


def _document(
    ctx: GenContext,
    world: _World,
    tables: _Tables,
    doc_id: int,
    first_version_id: int,
    n_versions: int,
    index: int,
    endorsing_unit: int | None,
) -> int:
    """Queue one document with its versions, changes, steps and M2M rows; returns the next free
    version id."""
    rng = world.rng
    unit, place = rng.choices(world.units, weights=world.unit_weights)[0]
    external = n_versions == 1 and world.external is not None and rng.random() < 0.2
    dtype = world.external if external and world.external is not None else None
    if dtype is None:
        dtype = rng.choices(world.types, weights=world.type_weights)[0]
    people = world.people[unit.site_id]
    author = rng.choice(people)
    reviewer = world.persona.get(rng.choice(["uppm", "cmg"])) or author
    approver = world.persona.get("direccion" if dtype.code in TOP_APPROVAL else "uppm") or author
    roles = _Roles(author, reviewer, approver, world.persona.get("uppm") or author)

    # Fate: never published, vigente (maybe with a new version in the workflow), or withdrawn.
    roll = rng.random()
    if external:
        published, in_progress, withdrawn = 1, None, False
    elif n_versions == 1:
        never = roll < 0.55
        published, in_progress, withdrawn = (0, rng.choice(IN_PROGRESS), False) if never else (1, None, False)
    elif roll < 0.14:
        published, in_progress, withdrawn = n_versions - 1, rng.choice(IN_PROGRESS), False
    elif roll < 0.18:
        published, in_progress, withdrawn = n_versions, None, True
    else:
        published, in_progress, withdrawn = n_versions, None, False

    span = (ctx.now - ctx.start).total_seconds() / 86400
    d0 = rng.uniform(0, span * 0.5)
    gap = (span - d0) / (n_versions + 0.4) * rng.uniform(0.7, 1.0)

    base = datetime.datetime.combine(ctx.start.date(), datetime.time(), tzinfo=ctx.start.tzinfo)

    def day(days: float) -> datetime.date:
        return (base + datetime.timedelta(days=int(days))).date()

    def at(days: float) -> datetime.datetime:
        """During office hours of day `days` (so a step's date is `day(days)`)."""
        return base + datetime.timedelta(days=int(days), minutes=rng.randrange(8 * 60, 18 * 60))

    year = day(d0).year
    code = _code(world, unit, dtype)
    if external:
        title, issuer = rng.choice(EXTERNAL_TITLES)
    else:
        title, issuer = _title(world, dtype, place, year), ""
    rare = index % RARE_EVERY == 7
    body = _body(world, rare)
    objective = rng.choice(OBJECTIVES).format(s=rng.choice(SUBJECTS))
    scope = rng.choice(SCOPES)
    classification = Classification.PUBLIC if external else rng.choice(CLASSES)

    current_id: int | None = None
    current_effective: datetime.date | None = None
    contents: list[tuple[str, str]] = []  # (status, content) per version
    effective_on: datetime.date | None = None
    version_id = first_version_id
    for k in range(n_versions):
        number = k + 1
        created = d0 + k * gap
        status = S.CURRENT if external else (S.OBSOLETE if k < published else in_progress or S.DRAFT)
        if not external and k == published - 1:
            status = S.OBSOLETE if withdrawn else S.CURRENT
        if k > 0:  # a new version rewrites a few sentences
            for _ in range(3):
                body[rng.randrange(len(body))] = rng.choice(world.sentences)
        content = _content(title, body, objective, scope) if not external else ""
        contents.append((status, content))
        version: dict[str, Any] = {
            "id": version_id,
            "document_id": doc_id,
            "number": number,
            "status": status,
            "content": content,
            "created_by_id": author.pk,
            "created_at": at(created),
        }
        is_published = status in (S.CURRENT, S.OBSOLETE)
        endorsed = not external and endorsing_unit is not None and rng.random() < 0.2
        if status == S.IN_ENDORSEMENT:
            endorsed = True
        if endorsed and endorsing_unit is not None:
            tables.endorsing.add({"documentversion_id": version_id, "orgunit_id": endorsing_unit})
        step_gap = gap * 0.08  # steps a few days to weeks apart
        for action, person, when, comment, step_unit in _steps(
            rng, status, external, endorsed, roles, created, step_gap, endorsing_unit
        ):
            tables.steps.add(
                {
                    "version_id": version_id,
                    "action": action,
                    "person_id": person.pk,
                    "person_name": person.name,
                    "position": person.position,
                    "unit_id": step_unit,
                    "at": at(when),
                    "comment": comment,
                }
            )
        approved_step = status in (S.APPROVED, S.CURRENT, S.OBSOLETE) and not external
        if approved_step:
            approved = day(created + 3 * step_gap)
            version["approved_on"] = approved
            instrument = "RDE" if dtype.code in TOP_APPROVAL else "Memorando"
            suffix = "DE" if dtype.code in TOP_APPROVAL else "UPPM"
            version["approval_instrument"] = (
                f"{instrument} N.° {rng.randint(1, 250):03d}-{approved.year}-MIDIS/PNADP-{suffix}"
            )
        if is_published:
            effective_on = day(created + (0 if external else 3.2 * step_gap))
            version["effective_on"] = effective_on
            if not external:
                version["verification_code"] = _verification_code(world)
                version["controlled_sha256"] = f"{rng.getrandbits(256):064x}"
            if status == S.CURRENT:
                current_id = version_id
                current_effective = effective_on
        if status == S.OBSOLETE:
            if withdrawn and k == published - 1:
                version["obsolete_on"] = day(created + 0.6 * gap)
                version["obsolete_reason"] = "Retirado: el proceso fue integrado en otro documento"
            else:
                version["obsolete_on"] = day(d0 + (k + 1) * gap + 3.2 * step_gap)  # the next one's effective_on
                version["obsolete_reason"] = f"Reemplazada por la versión {number + 1:02d}"
        tables.versions.add(version)
        if not external:
            _changes(world, tables, version_id, number, unit, day(created))
        version_id += 1

    texts = [code, title]
    published_texts = [c for s, c in contents if s in (S.CURRENT, S.OBSOLETE)]
    texts += published_texts or [c for _s, c in contents]
    latest_status = contents[-1][0]
    doc_status = S.CURRENT if current_id is not None else latest_status
    period = dtype.default_review_months
    next_review = None
    if current_id is not None and effective_on is not None:
        next_review = _add_months(effective_on, period)
        today = ctx.now.date()
        if next_review < today and rng.random() < 0.85:  # reviewed on time (mark_reviewed)
            next_review = today + datetime.timedelta(days=rng.randint(31, 30 * period))
    tables.documents.add(
        {
            "id": doc_id,
            "code": code,
            "title": title,
            "document_type_id": dtype.pk,
            "owner_unit_id": unit.pk,
            "site_id": unit.site_id,
            "process_id": rng.choice(world.processes) if world.processes and rng.random() < 0.9 else None,
            "classification": classification,
            "is_external": external,
            "external_issuer": issuer,
            "review_period_months": period,
            "next_review_on": next_review,
            "current_version_id": current_id,
            "latest_version_id": version_id - 1,
            "status": doc_status,
            "search_text": "\n".join(t for t in texts if t)[:200_000],
            "created_by_id": author.pk,
            "created_at": at(d0),
        }
    )
    for system in _some(rng, world.systems, 1, 2):
        tables.systems.add({"document_id": doc_id, "managementsystem_id": system})
    for requirement in _some(rng, world.requirements, 0, 2):
        tables.requirements.add({"document_id": doc_id, "requirement_id": requirement})
    if rng.random() < 0.2:
        for target in _some(rng, world.all_units, 1, 3):
            tables.distribution.add(
                {
                    "document_id": doc_id,
                    "orgunit_id": target,
                    "current_version_id": current_id,
                    "effective_on": current_effective,
                }
            )
    return version_id


@dataclass(frozen=True)
class _Roles:
    author: _Person
    reviewer: _Person
    approver: _Person
    endorser: _Person


# How far along the workflow a version in each status got (elaborated, reviewed, approved, published).
REACHED = {
    S.DRAFT: 0,
    S.IN_REVIEW: 1,
    S.IN_ENDORSEMENT: 2,
    S.IN_APPROVAL: 2,
    S.APPROVED: 3,
    S.CURRENT: 4,
    S.OBSOLETE: 4,
}
Step = tuple[str, _Person, float, str, int | None]  # action, person, day, comment, unit


def _steps(
    rng: random.Random,
    status: str,
    external: bool,
    endorsed: bool,
    roles: _Roles,
    created: float,
    step_gap: float,
    endorsing_unit: int | None,
) -> list[Step]:
    """The workflow steps a version in `status` has recorded, as documents.services records them."""
    author, reviewer, approver = roles.author, roles.reviewer, roles.approver
    if external:  # services.register_external_document: published at once, no approval flow
        return [(A.PUBLISHED, author, created, "Documento externo registrado", author.unit_id)]
    reached = REACHED[VersionStatus(status)]
    steps: list[Step] = []
    if status == S.DRAFT and rng.random() < 0.2:  # submitted once and returned to draft
        steps.append((A.ELABORATED, author, created + step_gap, "", author.unit_id))
        steps.append((A.REJECTED, reviewer, created + 2 * step_gap, REJECTION, reviewer.unit_id))
    if reached >= 1:
        steps.append((A.ELABORATED, author, created + step_gap, "", author.unit_id))
    if reached >= 2:
        steps.append((A.REVIEWED, reviewer, created + 2 * step_gap, rng.choice(COMMENTS), reviewer.unit_id))
    if reached >= 2 and endorsed and status != S.IN_ENDORSEMENT:
        steps.append((A.ENDORSED, roles.endorser, created + 2.5 * step_gap, "Visado", endorsing_unit))
    if reached >= 3:
        steps.append((A.APPROVED, approver, created + 3 * step_gap, "", approver.unit_id))
    if reached >= 4:
        steps.append((A.PUBLISHED, approver, created + 3.2 * step_gap, "", approver.unit_id))
    return steps


def _some(rng: random.Random, pool: list[int], low: int, high: int) -> Iterable[int]:
    return rng.sample(pool, min(len(pool), rng.randint(low, high))) if pool else []


def _changes(
    world: _World,
    tables: _Tables,
    version_id: int,
    number: int,
    unit: OrgUnit,
    day: datetime.date,
) -> None:
    rng = world.rng
    rows = 1 + (number > 1 and rng.random() < 0.1)
    for order in range(rows):
        first = number == 1
        tables.changes.add(
            {
                "version_id": version_id,
                "date": day + datetime.timedelta(days=order * 7),
                "justification": "Elaboración inicial del documento" if first else rng.choice(JUSTIFICATIONS),
                "texts_modified": "" if first else rng.choice(TEXTS_MODIFIED),
                "supporting_reference": ""
                if first
                else f"Informe N.° {rng.randint(1, 300):03d}-{day.year}-MIDIS/PNADP-{unit.code}",
                "responsible": unit.code,
                "order": order,
            }
        )


# --- scenarios --------------------------------------------------------------------------------


def _list_path(params: Callable[[RunContext], dict[str, Any]]) -> Callable[[RunContext], str]:
    def path(ctx: RunContext) -> str:
        query = urlencode(params(ctx))
        return reverse("documents:document_list") + (f"?{query}" if query else "")

    return path


def _no_filter(ctx: RunContext) -> dict[str, Any]:
    return {}


def _quietly(lookup: Callable[[], T]) -> T | None:
    """`lookup()`, or None where the database has no tables yet (`./sig bench --list` reads the
    regular database, which may not be migrated)."""
    try:
        return lookup()
    except DatabaseError:
        return None


def _type_and_status(ctx: RunContext) -> dict[str, Any]:
    dtype = _quietly(lambda: DocumentType.objects.filter(code="P").values_list("pk", flat=True).first())
    return {"document_type": dtype or "", "status": S.CURRENT}


def _frequent(ctx: RunContext) -> dict[str, Any]:
    return {"q": FREQUENT_WORD}


def _rare(ctx: RunContext) -> dict[str, Any]:
    return {"q": RARE_WORD}


def _form_choices() -> list[Statement]:
    """The master list's filter form renders every type, unit, process and system as options."""
    form = DocumentFilterForm()
    names = ("document_type", "owner_unit", "process", "system")
    return [sql.select(form.fields[name].queryset) for name in names]  # type: ignore[attr-defined]


def _list_sql(username: str, params: Callable[[RunContext], dict[str, Any]]) -> Callable[[RunContext], list[Statement]]:
    def statements(ctx: RunContext) -> list[Statement]:
        """documents.views.document_list, captured as it runs: the search index's capped match
        count (a text search on SQLite), the paginator's capped COUNT, the first page (three
        joins, only the columns its rows show), can_register's rule lookup; and the filter
        form's choices."""
        user = ctx.user(username)

        def page() -> None:
            qs = list_columns(filter_documents(documents_visible_to(user), params(ctx)))
            list(CappedPaginator(qs, PAGE).get_page(1))
            can_register(user)

        return [*sql.captured(page), *_form_choices()]

    return statements


def _api_sql(params: Callable[[RunContext], dict[str, Any]]) -> Callable[[RunContext], list[Statement]]:
    def statements(ctx: RunContext) -> list[Statement]:
        """documents.api.document_list, captured as it runs: the page, the systems of its rows
        and the capped count (core.api_helpers.page)."""
        user = ctx.user("cmg")

        def page() -> None:
            systems = Prefetch("systems", queryset=ManagementSystem.objects.order_by("order", "code"))
            qs = filter_documents(
                documents_visible_to(user).prefetch_related(systems).order_by("code", "pk"), params(ctx)
            )
            list(qs[:PAGE])
            capped_count(qs)

        return sql.captured(page)

    return statements


def _api_path(params: Callable[[RunContext], dict[str, Any]]) -> Callable[[RunContext], str]:
    def path(ctx: RunContext) -> str:
        return "/api/v1/documents?" + urlencode({"limit": PAGE, **params(ctx)})

    return path


def _three_versions() -> Document | None:
    """A vigente document whose third version is the vigente one (the plan of the demo data, with
    two versions, when there is no bench data)."""
    qs = Document.objects.order_by("code")
    found = qs.filter(current_version__number=3, latest_version__number=3, is_external=False).first()
    return found or qs.filter(current_version__isnull=False).order_by("-latest_version__number", "code").first()


def _detail_path(ctx: RunContext) -> str:
    document = _quietly(_three_versions)
    return reverse("documents:document_detail", args=[document.pk if document else 0])


def _detail_sql(ctx: RunContext) -> list[Statement]:
    """documents.views.document_detail for the SIG coordinator: the document, the rules of each
    workflow step, the visible versions with their steps, the change-control rows, systems,
    distribution, requirements and the read confirmations of the vigente version."""
    document = _three_versions()
    assert document is not None
    user = ctx.user("cmg")
    out = [sql.select(documents_visible_to(user).filter(pk=document.pk))]
    for step in WorkflowRule.Step.values:
        rules = WorkflowRule.objects.filter(document_type_id=document.document_type_id, step=step)
        out.append(sql.select(rules.values_list("unit_id", "role")))
    versions = versions_visible_to(user).filter(document=document).order_by("-number")
    ids = sql.page_ids(versions, 1000)
    steps = WorkflowStep.objects.select_related("unit").filter(version_id__in=ids).order_by("at", "pk")
    changes = ChangeEntry.objects.filter(version__in=ids).select_related("version")
    out += [sql.select(versions), sql.select(steps), sql.select(changes.order_by("version__number", "order", "pk"))]
    out += [
        sql.select(document.systems.all()),
        sql.select(document.distribution_units.all()),
        sql.select(document.requirements.select_related("edition")),
    ]
    if document.current_version_id is not None:
        confirmations = ReadConfirmation.objects.filter(version_id=document.current_version_id)
        audience = User.objects.filter(is_active=True)
        not_read = audience.exclude(pk__in=confirmations.values("user_id")).order_by("last_name", "first_name", "pk")
        out += [
            sql.select(document.distribution_units.values_list("pk", flat=True)),
            sql.exists(audience.filter(pk=user.pk)),
            sql.exists(confirmations.filter(user=user)),
            sql.select(confirmations.select_related("user").order_by("-at"), 100),
            sql.count(confirmations),
            sql.select(not_read, 100),
            sql.count(not_read),
        ]
    return out


def _verification_code_in_use() -> str:
    """The code of the newest vigente version (a generated one once bench data exists)."""
    code = (
        DocumentVersion.objects.filter(status=S.CURRENT, verification_code__isnull=False)
        .order_by("-pk")
        .values_list("verification_code", flat=True)
        .first()
    )
    return code or "AAAAAAA"


def _verify_path(ctx: RunContext) -> str:
    code = _quietly(_verification_code_in_use) or "AAAAAAA"
    return reverse("public:verify") + "?" + urlencode({"codigo": code})


def _verify_sql(ctx: RunContext) -> list[Statement]:
    """reports.public_views.verify: the rate-limit count for the address and the lookup of
    reports.verification.find (one table of issued documents for every kind). The attempt's
    INSERT and the purge of old attempts are writes, not timed here."""
    from reports.verification import WINDOW

    code = _verification_code_in_use()
    since = ctx.now - WINDOW
    attempts = VerificationAttempt.objects.filter(ip_address="127.0.0.1", at__gte=since)
    lookup = IssuedDocument.objects.filter(verification_code=code).select_related("object_type")
    return [sql.count(attempts), sql.select(lookup, 1)]


def _verify_note() -> str:
    """The padding the bench server runs with (bench/runner.py: 0 unless set in the environment)."""
    padding = os.environ.get("SIG_VERIFY_MIN_MS", "0")
    return f"public /verifica/ with a real code; answers padded to SIG_VERIFY_MIN_MS={padding} ms (production: 250)"


def search_counts() -> dict[str, int]:
    """How many documents the two search scenarios match (for the report)."""
    return {word: filter_documents(Document.objects.all(), {"q": word}).count() for word in (FREQUENT_WORD, RARE_WORD)}


SCENARIOS = [
    Scenario("docs.list", _list_path(_no_filter), "cmg", sql=_list_sql("cmg", _no_filter), note="first page"),
    Scenario(
        "docs.list.ut",
        _list_path(_no_filter),
        "ut.cusco",
        sql=_list_sql("ut.cusco", _no_filter),
        note="UT head: own UT + others' vigente public/internal",
    ),
    Scenario(
        "docs.list.filtered",
        _list_path(_type_and_status),
        "cmg",
        sql=_list_sql("cmg", _type_and_status),
        note="type=procedimiento, status=vigente",
    ),
    Scenario(
        "docs.search.frequent",
        _list_path(_frequent),
        "cmg",
        sql=_list_sql("cmg", _frequent),
        note=f"q={FREQUENT_WORD} (in nearly every document)",
    ),
    Scenario(
        "docs.search.rare",
        _list_path(_rare),
        "cmg",
        sql=_list_sql("cmg", _rare),
        note=f"q={RARE_WORD} (1 document in {RARE_EVERY})",
    ),
    Scenario("api.documents", _api_path(_no_filter), "cmg", auth="token", sql=_api_sql(_no_filter)),
    Scenario(
        "api.documents.search",
        _api_path(_frequent),
        "cmg",
        auth="token",
        sql=_api_sql(_frequent),
        note=f"q={FREQUENT_WORD}",
    ),
    Scenario("docs.detail", _detail_path, "cmg", sql=_detail_sql, note="a document whose 3rd version is vigente"),
    Scenario(
        "docs.verifica",
        _verify_path,
        None,
        auth="none",
        sql=_verify_sql,
        note=_verify_note(),
    ),
]
