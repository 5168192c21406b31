"""Organisation reference data over the API: units, sites, processes, management systems, legal
basis and glossary. Same access helpers (organization.access) and services
(organization.services) as the pages."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictInt

from core.api_helpers import OMITTED, PageIn, PageOut, QueryIn, StrictIn, choices_schema, page, resolve_fk
from organization import access, services
from organization.models import GlossaryTerm, LegalNorm, ManagementSystem, OrgUnit, Process, Site

router = Router(tags=["organization"])
TEXT = settings.SIG_MAX_TEXT
SMALLINT = 32767
UnitKind = Annotated[OrgUnit.Kind, choices_schema(OrgUnit.Kind, "UnitKind")]
SiteKind = Annotated[Site.Kind, choices_schema(Site.Kind, "SiteKind")]
ProcessType = Annotated[Process.Type, choices_schema(Process.Type, "ProcessType")]
CertificationStatus = Annotated[
    ManagementSystem.Certification, choices_schema(ManagementSystem.Certification, "CertificationStatus")
]
LegalNormKind = Annotated[LegalNorm.Kind, choices_schema(LegalNorm.Kind, "LegalNormKind")]


def _require_readable(request: HttpRequest) -> None:
    """Lists of reference data are 404 for a person without any role, as the pages are."""
    if not access.units_visible_to(request.user).exists():
        raise Http404


# --- units ------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: UnitKind
    parent_id: int | None
    parent_code: str | None
    site_id: int
    site_code: str
    is_active: bool
    order: int

    @staticmethod
    def resolve_parent_code(obj: OrgUnit) -> str | None:
        return obj.parent.code if obj.parent else None

    @staticmethod
    def resolve_site_code(obj: OrgUnit) -> str:
        return obj.site.code


class UnitPage(PageOut):
    items: list[UnitOut]


class UnitPatch(StrictIn):
    code: str = Field(OMITTED, min_length=1, max_length=40)
    name: str = Field(OMITTED, min_length=1, max_length=200)
    kind: UnitKind = Field(OMITTED)
    parent: StrictInt | None = Field(None, description="Id of the parent unit, or null.")
    site: StrictInt = Field(OMITTED, description="Id of the site.")
    is_active: StrictBool = Field(OMITTED)
    order: StrictInt = Field(OMITTED, ge=0, le=2147483647)


@router.get("/units", response=UnitPage, summary="Organic units")
def unit_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    _require_readable(request)
    return page(access.units_visible_to(request.user).order_by("order", "code", "pk"), paging)


@router.get("/units/{pk}", response=UnitOut, summary="One organic unit")
def unit_detail(request: HttpRequest, pk: int) -> OrgUnit:
    return access.get_unit_for_user(request.user, pk)


@router.patch("/units/{pk}", response=UnitOut, summary="Change an organic unit (reference editors)")
def unit_update(request: HttpRequest, pk: int, payload: UnitPatch) -> OrgUnit:
    unit = access.get_unit_for_user(request.user, pk, write=True)
    data = payload.changes()
    if "parent" in data:
        data["parent"] = resolve_fk(access.units_visible_to(request.user), data["parent"], "parent")
    if "site" in data:
        data["site"] = resolve_fk(access.sites_visible_to(request.user), data["site"], "site")
    return services.update_unit(unit, data=data, by=request.user)


# --- sites ------------------------------------------------------------------------------


class SiteOut(Schema):
    id: int
    code: str
    name: str
    kind: SiteKind
    is_central: bool
    department: str
    address: str
    phone: str
    is_demo: bool
    is_active: bool
    order: int


class SitePage(PageOut):
    items: list[SiteOut]


class SitePatch(StrictIn):
    name: str = Field(OMITTED, min_length=1, max_length=200)
    department: str = Field(OMITTED, max_length=100)
    address: str = Field(OMITTED, max_length=300)
    phone: str = Field(OMITTED, max_length=50)
    is_demo: StrictBool = Field(OMITTED)
    is_active: StrictBool = Field(OMITTED)


@router.get("/sites", response=SitePage, summary="Sites (Sede Central and UTs)")
def site_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    _require_readable(request)
    return page(access.sites_visible_to(request.user).order_by("order", "name", "pk"), paging)


@router.get("/sites/{pk}", response=SiteOut, summary="One site")
def site_detail(request: HttpRequest, pk: int) -> Site:
    return access.get_site_for_user(request.user, pk)


@router.patch(
    "/sites/{pk}",
    response=SiteOut,
    summary="Change a site (reference editors; a UT head only the address and phone of their UT)",
)
def site_update(request: HttpRequest, pk: int, payload: SitePatch) -> Site:
    site = access.get_site_for_user(request.user, pk, write=True)
    allowed = access.site_editable_fields(request.user, site)
    data = payload.changes()
    refused = sorted(set(data) - set(allowed))
    if refused:
        raise HttpError(403, _("Your role does not allow changing: %(fields)s.") % {"fields": ", ".join(refused)})
    return services.update_site(site, data=data, by=request.user)


# --- processes --------------------------------------------------------------------------


class ProcessOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    type: ProcessType
    level: int
    parent_id: int | None
    parent_code: str | None
    owner_unit_id: int | None
    owner_unit_code: str | None
    description: str
    is_active: bool
    order: int

    @staticmethod
    def resolve_parent_code(obj: Process) -> str | None:
        return obj.parent.code if obj.parent else None

    @staticmethod
    def resolve_owner_unit_code(obj: Process) -> str | None:
        return obj.owner_unit.code if obj.owner_unit else None


class ProcessPage(PageOut):
    items: list[ProcessOut]


class ProcessFilter(QueryIn):
    type: ProcessType | None = None
    level: int | None = Field(None, ge=0, le=SMALLINT)
    parent: int | None = Field(None, description="Id of the parent process.")


class ProcessPatch(StrictIn):
    code: str = Field(OMITTED, min_length=1, max_length=20)
    name: str = Field(OMITTED, min_length=1, max_length=200)
    name_en: str = Field(OMITTED, max_length=200)
    type: ProcessType = Field(OMITTED)
    parent: StrictInt | None = Field(None, description="Id of the parent process, or null.")
    owner_unit: StrictInt | None = Field(None, description="Id of the owner unit, or null.")
    description: str = Field(OMITTED, max_length=TEXT)
    is_active: StrictBool = Field(OMITTED)
    order: StrictInt = Field(OMITTED, ge=0, le=2147483647)


@router.get("/processes", response=ProcessPage, summary="Processes (filter by type, level, parent)")
def process_list(request: HttpRequest, filters: Query[ProcessFilter], paging: Query[PageIn]) -> dict[str, Any]:
    _require_readable(request)
    qs = access.processes_visible_to(request.user)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.level is not None:
        qs = qs.filter(level=filters.level)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    return page(qs.order_by("order", "code", "pk"), paging)


@router.get("/processes/{pk}", response=ProcessOut, summary="One process")
def process_detail(request: HttpRequest, pk: int) -> Process:
    return access.get_process_for_user(request.user, pk)


@router.patch("/processes/{pk}", response=ProcessOut, summary="Change a process (reference editors)")
def process_update(request: HttpRequest, pk: int, payload: ProcessPatch) -> Process:
    process = access.get_process_for_user(request.user, pk, write=True)
    data = payload.changes()
    if "parent" in data:
        data["parent"] = resolve_fk(access.processes_visible_to(request.user), data["parent"], "parent")
    if "owner_unit" in data:
        data["owner_unit"] = resolve_fk(access.units_visible_to(request.user), data["owner_unit"], "owner_unit")
    return services.update_process(process, data=data, by=request.user)


# --- management systems -----------------------------------------------------------------


class ScopeOut(Schema):
    id: int
    name: str
    statement: str
    process_codes: list[str]
    site_codes: list[str]


class SystemOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    edition_id: int
    edition_label: str
    standard_code: str
    objective: str
    certification_status: CertificationStatus
    certification_body: str
    certificate_number: str
    certified_until: datetime.date | None
    order: int
    scope: ScopeOut
    shared_with: list[str] = Field(..., description="Codes of the other systems that share this scope.")

    @staticmethod
    def resolve_edition_label(obj: ManagementSystem) -> str:
        return obj.edition.label

    @staticmethod
    def resolve_standard_code(obj: ManagementSystem) -> str:
        return obj.edition.standard.code

    @staticmethod
    def resolve_scope(obj: ManagementSystem) -> dict[str, Any]:
        scope = obj.scope
        return {
            "id": scope.pk,
            "name": scope.name,
            "statement": scope.statement,
            "process_codes": [p.code for p in scope.processes.all()],
            "site_codes": [s.code for s in scope.sites.all()],
        }

    @staticmethod
    def resolve_shared_with(obj: ManagementSystem) -> list[str]:
        return [s.code for s in obj.scope.systems.all() if s.pk != obj.pk]


class SystemPage(PageOut):
    items: list[SystemOut]


class SystemPatch(StrictIn):
    objective: str = Field(OMITTED, min_length=1, max_length=TEXT)
    certification_status: CertificationStatus = Field(OMITTED)
    certification_body: str = Field(OMITTED, max_length=200)
    certificate_number: str = Field(OMITTED, max_length=100)
    certified_until: datetime.date | None = None


def _systems(request: HttpRequest) -> Any:
    """Systems with their scope's processes, sites and sharing systems in three queries."""
    return access.systems_visible_to(request.user).prefetch_related(
        Prefetch("scope__processes", queryset=Process.objects.order_by("order", "code")),
        Prefetch("scope__sites", queryset=Site.objects.order_by("order", "name")),
        Prefetch("scope__systems", queryset=ManagementSystem.objects.order_by("order", "code")),
    )


@router.get("/management-systems", response=SystemPage, summary="Management systems and their scope")
def system_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    _require_readable(request)
    return page(_systems(request).order_by("order", "code", "pk"), paging)


@router.get("/management-systems/{pk}", response=SystemOut, summary="One management system and its scope")
def system_detail(request: HttpRequest, pk: int) -> ManagementSystem:
    access.get_system_for_user(request.user, pk)
    return _systems(request).get(pk=pk)


@router.patch(
    "/management-systems/{pk}",
    response=SystemOut,
    summary="Change a system's objective and certification (reference editors)",
)
def system_update(request: HttpRequest, pk: int, payload: SystemPatch) -> ManagementSystem:
    system = access.get_system_for_user(request.user, pk, write=True)
    services.update_system(system, data=payload.changes(), by=request.user)
    return _systems(request).get(pk=pk)


# --- legal basis ------------------------------------------------------------------------


class LegalNormOut(Schema):
    id: int
    kind: LegalNormKind
    number: str
    year: int | None
    issuer: str
    title: str
    is_current: bool
    url: str
    seed_ref: str
    order: int


class LegalNormPage(PageOut):
    items: list[LegalNormOut]


class LegalNormIn(StrictIn):
    kind: LegalNormKind
    number: str = Field(..., min_length=1, max_length=100)
    year: StrictInt | None = Field(None, ge=1, le=SMALLINT)
    issuer: str = Field("", max_length=100)
    title: str = Field(..., min_length=1, max_length=500)
    is_current: StrictBool = True
    url: str = Field("", max_length=200, description="An http(s) address, or empty.")
    seed_ref: str = Field("", max_length=20)


class LegalNormPatch(StrictIn):
    kind: LegalNormKind = Field(OMITTED)
    number: str = Field(OMITTED, min_length=1, max_length=100)
    year: StrictInt | None = Field(None, ge=1, le=SMALLINT)
    issuer: str = Field(OMITTED, max_length=100)
    title: str = Field(OMITTED, min_length=1, max_length=500)
    is_current: StrictBool = Field(OMITTED)
    url: str = Field(OMITTED, max_length=200)
    seed_ref: str = Field(OMITTED, max_length=20)


def _require_reference_editor(request: HttpRequest) -> None:
    _require_readable(request)
    if not access.is_reference_editor(request.user):
        raise PermissionDenied


@router.get("/legal-norms", response=LegalNormPage, summary="Legal basis")
def legal_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    _require_readable(request)
    return page(access.legal_norms_visible_to(request.user).order_by("order", "year", "number", "pk"), paging)


@router.post("/legal-norms", response={201: LegalNormOut}, summary="Add a legal norm (reference editors)")
def legal_create(request: HttpRequest, payload: LegalNormIn) -> Status[LegalNorm]:
    _require_reference_editor(request)
    return Status(201, services.create_legal_norm(data=payload.model_dump(), by=request.user))


@router.patch("/legal-norms/{pk}", response=LegalNormOut, summary="Change a legal norm (reference editors)")
def legal_update(request: HttpRequest, pk: int, payload: LegalNormPatch) -> LegalNorm:
    norm = access.get_legal_norm_for_user(request.user, pk, write=True)
    return services.update_legal_norm(norm, data=payload.changes(), by=request.user)


# --- glossary ---------------------------------------------------------------------------


class GlossaryTermOut(Schema):
    id: int
    term: str
    is_acronym: bool
    definition: str
    definition_en: str
    source: str


class GlossaryTermPage(PageOut):
    items: list[GlossaryTermOut]


class GlossaryTermIn(StrictIn):
    term: str = Field(..., min_length=1, max_length=150)
    is_acronym: StrictBool = False
    definition: str = Field(..., min_length=1, max_length=TEXT)
    definition_en: str = Field("", max_length=TEXT)
    source: str = Field("", max_length=100)


class GlossaryTermPatch(StrictIn):
    term: str = Field(OMITTED, min_length=1, max_length=150)
    is_acronym: StrictBool = Field(OMITTED)
    definition: str = Field(OMITTED, min_length=1, max_length=TEXT)
    definition_en: str = Field(OMITTED, max_length=TEXT)
    source: str = Field(OMITTED, max_length=100)


@router.get("/glossary", response=GlossaryTermPage, summary="Glossary")
def glossary_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    _require_readable(request)
    return page(access.glossary_visible_to(request.user).order_by("term", "pk"), paging)


@router.post("/glossary", response={201: GlossaryTermOut}, summary="Add a glossary term (reference editors)")
def glossary_create(request: HttpRequest, payload: GlossaryTermIn) -> Status[GlossaryTerm]:
    _require_reference_editor(request)
    return Status(201, services.create_glossary_term(data=payload.model_dump(), by=request.user))


@router.patch("/glossary/{pk}", response=GlossaryTermOut, summary="Change a glossary term (reference editors)")
def glossary_update(request: HttpRequest, pk: int, payload: GlossaryTermPatch) -> GlossaryTerm:
    term = access.get_glossary_term_for_user(request.user, pk, write=True)
    return services.update_glossary_term(term, data=payload.changes(), by=request.user)
