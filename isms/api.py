"""The SGSI over the API: assets (/assets), Statements of Applicability (/soa) and incidents
(/incidents). Same access helpers and services as the pages."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from catalog.models import Edition
from core.access import get_or_404
from core.api_helpers import OMITTED, PageIn, PageOut, StrictIn, choices_schema, field_error, page, resolve_fk
from core.http import require_role
from isms import access, services
from isms.models import Asset, Incident, Soa, SoaEntry
from organization.models import Process, Site
from risks.forms import people
from risks.models import Control, Risk

router = Router(tags=["isms"])
TEXT = settings.SIG_MAX_TEXT
IDS = 500
AssetType = Annotated[Asset.Type, choices_schema(Asset.Type, "AssetType")]
AssetClassification = Annotated[Asset.Classification, choices_schema(Asset.Classification, "AssetClassification")]
SoaStatus = Annotated[Soa.Status, choices_schema(Soa.Status, "SoaStatus")]
Implementation = Annotated[SoaEntry.Implementation, choices_schema(SoaEntry.Implementation, "SoaImplementation")]
IncidentStatus = Annotated[Incident.Status, choices_schema(Incident.Status, "IncidentStatus")]
IncidentSeverity = Annotated[Incident.Severity, choices_schema(Incident.Severity, "IncidentSeverity")]
IncidentCategory = Annotated[Incident.Category, choices_schema(Incident.Category, "IncidentCategory")]


def _many(qs: Any, ids: list[int], field: str) -> list[Any]:
    found = list(qs.filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise field_error(field, "No such record, or it is not available to you.", "not_found")
    return found


# --- assets ----------------------------------------------------------------------------------


class AssetOut(Schema):
    id: int
    code: str
    name: str
    type: AssetType
    description: str
    owner_id: int
    location: str
    process_id: int | None
    classification: AssetClassification
    confidentiality: int
    integrity: int
    availability: int
    value: int
    in_scope: bool
    depends_on_ids: list[int]
    risk_ids: list[int]

    @staticmethod
    def resolve_depends_on_ids(obj: Asset) -> list[int]:
        return sorted(a.pk for a in obj.depends_on.all())

    @staticmethod
    def resolve_risk_ids(obj: Asset) -> list[int]:
        return sorted(r.pk for r in obj.risks.all())


class AssetPage(PageOut):
    items: list[AssetOut]


class AssetIn(StrictIn):
    code: str = Field(..., min_length=1, max_length=30)
    name: str = Field(..., min_length=1, max_length=300)
    type: AssetType
    description: str = Field("", max_length=TEXT)
    owner: StrictInt
    location: str = Field(..., min_length=1, max_length=300)
    process: StrictInt | None = None
    classification: AssetClassification
    confidentiality: StrictInt = Field(..., ge=1, le=3)
    integrity: StrictInt = Field(..., ge=1, le=3)
    availability: StrictInt = Field(..., ge=1, le=3)
    in_scope: StrictBool = True
    depends_on: list[StrictInt] = Field([], max_length=IDS)
    risks: list[StrictInt] = Field([], max_length=IDS)


@router.get("/assets", response=AssetPage, summary="Information assets of the SGSI (central roles)")
def asset_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    access.require_reader(request.user)
    qs = access.assets_visible_to(request.user).prefetch_related("depends_on", "risks").order_by("code")
    return page(qs, paging)


@router.get("/assets/{pk}", response=AssetOut, summary="One information asset")
def asset_detail(request: HttpRequest, pk: int) -> Asset:
    return access.get_asset_for_user(request.user, pk)


@router.post("/assets", response={201: AssetOut}, summary="Add an asset (Information Security Officer)")
def asset_create(request: HttpRequest, payload: AssetIn) -> Status[Asset]:
    access.require_keeper(request.user)
    data = payload.model_dump()
    data["owner"] = resolve_fk(people(), payload.owner, "owner")
    data["process"] = resolve_fk(Process.objects.all(), payload.process, "process")
    data["depends_on"] = _many(Asset.objects.all(), payload.depends_on, "depends_on")
    data["risks"] = _many(Risk.objects.all(), payload.risks, "risks")
    return Status(201, services.create_asset(data=data, by=request.user))


# --- SoA -------------------------------------------------------------------------------------


class SoaEntryOut(Schema):
    id: int
    control_id: int
    control_number: str
    control_title: str
    applicable: bool | None
    justification: str
    implementation: Implementation
    control_ids: list[int] = Field(..., description="Our controls (risks.Control) that answer it.")
    risk_ids: list[int]
    evidence: str
    needs_decision: bool
    migration_note: str

    @staticmethod
    def resolve_control_number(obj: SoaEntry) -> str:
        return obj.control.number

    @staticmethod
    def resolve_control_title(obj: SoaEntry) -> str:
        return obj.control.title

    @staticmethod
    def resolve_control_ids(obj: SoaEntry) -> list[int]:
        return sorted(c.pk for c in obj.controls.all())

    @staticmethod
    def resolve_risk_ids(obj: SoaEntry) -> list[int]:
        return sorted(r.pk for r in obj.risks.all())


class SoaOut(Schema):
    id: int
    title: str
    edition: str
    version: int
    status: SoaStatus
    migrated_from_id: int | None
    approved_on: datetime.date | None
    verification_code: str | None

    @staticmethod
    def resolve_edition(obj: Soa) -> str:
        return obj.edition.label


class SoaPage(PageOut):
    items: list[SoaOut]


class SoaDetailOut(SoaOut):
    entries: list[SoaEntryOut]

    @staticmethod
    def resolve_entries(obj: Soa) -> list[SoaEntry]:
        return list(obj.entries.all())


class SoaIn(StrictIn):
    edition: str = Field(..., description='"ISO/IEC 27001:2013" or "ISO/IEC 27001:2022".', max_length=60)
    title: str = Field("Declaración de aplicabilidad", min_length=1, max_length=200)


class SoaEntryIn(StrictIn):
    applicable: StrictBool | None = Field(OMITTED, description="true, false (justify it) or null (undecided).")
    justification: str = Field(OMITTED, max_length=TEXT)
    implementation: Implementation = Field(OMITTED)
    controls: list[StrictInt] = Field(OMITTED, max_length=IDS)
    risks: list[StrictInt] = Field(OMITTED, max_length=IDS)
    evidence: str = Field(OMITTED, max_length=500)


def _soa(request: HttpRequest, pk: int) -> Soa:
    entries = (
        SoaEntry.objects.select_related("control").prefetch_related("controls", "risks").order_by("control__order")
    )
    return get_or_404(
        access.soas_visible_to(request.user)
        .select_related("edition")
        .prefetch_related(Prefetch("entries", queryset=entries)),
        pk=pk,
    )


@router.get("/soa", response=SoaPage, summary="Statements of Applicability (central roles)")
def soa_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    access.require_reader(request.user)
    return page(access.soas_visible_to(request.user).select_related("edition").order_by("-created_at", "-pk"), paging)


@router.get("/soa/{pk}", response=SoaDetailOut, summary="One SoA with every control's decision")
def soa_detail(request: HttpRequest, pk: int) -> Soa:
    return _soa(request, pk)


@router.post("/soa", response={201: SoaDetailOut}, summary="Start an SoA for an Annex A edition")
def soa_create(request: HttpRequest, payload: SoaIn) -> Status[Soa]:
    access.require_keeper(request.user)
    edition = Edition.objects.filter(label=payload.edition).first()
    if edition is None:
        raise field_error("edition", "Unknown edition.")
    soa = services.create_soa(edition=edition, title=payload.title, by=request.user)
    return Status(201, _soa(request, soa.pk))


@router.post("/soa/{pk}/migrate", response={201: SoaDetailOut}, summary="Migrate a 2013 SoA to Annex A 2022")
def soa_migrate(request: HttpRequest, pk: int) -> Status[Soa]:
    soa = access.get_soa_for_user(request.user, pk)
    new = services.migrate_soa(soa, by=request.user)
    return Status(201, _soa(request, new.pk))


@router.patch("/soa/{pk}/entries/{entry_pk}", response=SoaEntryOut, summary="Decide one control of the SoA")
def soa_entry_update(request: HttpRequest, pk: int, entry_pk: int, payload: SoaEntryIn) -> SoaEntry:
    soa = access.get_soa_for_user(request.user, pk)
    access.require_keeper(request.user)
    entry = get_or_404(SoaEntry.objects.select_related("soa", "control"), pk=entry_pk, soa=soa)
    data = payload.changes()
    if "controls" in data:
        data["controls"] = _many(Control.objects.all(), data["controls"], "controls")
    if "risks" in data:
        data["risks"] = _many(Risk.objects.all(), data["risks"], "risks")
    services.update_entry(entry, data=data, by=request.user)
    return get_or_404(SoaEntry.objects.select_related("control").prefetch_related("controls", "risks"), pk=entry.pk)


# --- incidents -------------------------------------------------------------------------------


class IncidentOut(Schema):
    id: int
    code: str
    title: str
    description: str
    site_id: int
    occurred_at: datetime.datetime | None
    reported_by_id: int
    reported_at: datetime.datetime
    status: IncidentStatus
    severity: str
    category: str
    personal_data_breach: bool
    breach_detected_at: datetime.datetime | None
    notice_hours: int
    notify_by: datetime.datetime | None = Field(..., description="Deadline to notify the data-protection authority.")
    authority_notified_at: datetime.datetime | None
    seconds_left: int | None = Field(..., description="Until the deadline (negative: overdue); null when notified.")
    containment: str
    root_cause: str
    lessons_learned: str

    @staticmethod
    def resolve_seconds_left(obj: Incident) -> int | None:
        return obj.notice_seconds_left()


class IncidentPage(PageOut):
    items: list[IncidentOut]


class IncidentIn(StrictIn):
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field(..., min_length=1, max_length=TEXT)
    occurred_at: datetime.datetime | None = None
    site: StrictInt | None = None
    personal_data_breach: StrictBool = False


class IncidentHandlingIn(StrictIn):
    status: IncidentStatus = Field(OMITTED)
    severity: IncidentSeverity = Field(OMITTED)
    category: IncidentCategory = Field(OMITTED)
    personal_data_breach: StrictBool = Field(OMITTED)
    notice_hours: StrictInt = Field(OMITTED, ge=1, le=720)
    authority_notified_at: datetime.datetime | None = Field(OMITTED)
    containment: str = Field(OMITTED, max_length=TEXT)
    root_cause: str = Field(OMITTED, max_length=TEXT)
    lessons_learned: str = Field(OMITTED, max_length=TEXT)
    assets: list[StrictInt] = Field(OMITTED, max_length=IDS)
    risks: list[StrictInt] = Field(OMITTED, max_length=IDS)


@router.get("/incidents", response=IncidentPage, summary="Information-security incidents visible to you")
def incident_list(request: HttpRequest, paging: Query[PageIn]) -> dict[str, Any]:
    require_role(request.user)
    return page(access.incidents_visible_to(request.user).order_by("-reported_at", "-pk"), paging)


@router.get("/incidents/{pk}", response=IncidentOut, summary="One incident")
def incident_detail(request: HttpRequest, pk: int) -> Incident:
    return access.get_incident_for_user(request.user, pk)


@router.post("/incidents", response={201: IncidentOut}, summary="Report an incident (anyone with a role)")
def incident_report(request: HttpRequest, payload: IncidentIn) -> Status[Incident]:
    require_role(request.user)
    data = payload.model_dump()
    data["site"] = resolve_fk(Site.objects.filter(is_active=True), payload.site, "site")
    return Status(201, services.report_incident(data=data, by=request.user))


@router.patch("/incidents/{pk}", response=IncidentOut, summary="Handle an incident (Information Security Officer)")
def incident_handle(request: HttpRequest, pk: int, payload: IncidentHandlingIn) -> Incident:
    incident = access.get_incident_for_user(request.user, pk)
    if not access.keeps_isms(request.user):
        raise PermissionDenied
    data = payload.changes()
    if "assets" in data:
        data["assets"] = _many(Asset.objects.all(), data["assets"], "assets")
    if "risks" in data:
        data["risks"] = _many(Risk.objects.all(), data["risks"], "risks")
    return services.handle_incident(incident, data=data, by=request.user)
