"""Document control over the API (/api/v1/documents/…): the master list, registration, versions
and their workflow. Same access helpers (documents.access) and services (documents.services)
as the pages: invisible documents and versions are 404, steps the user's role may not take are
403, business rules refused by a service are 400 naming the field.

The public verification of controlled copies (/api/v1/public/verify/{code}) is in
reports.api, for every kind of issued document."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, cast

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import StrictInt

from accounts.models import User
from catalog.access import requirements_visible_to
from core.access import get_or_404, get_scope
from core.api_helpers import (
    OMITTED,
    KeysetPageIn,
    PageOut,
    QueryIn,
    StrictIn,
    choices_schema,
    field_error,
    page,
    resolve_fk,
)
from core.files import inspect_upload
from core.services import ServiceError
from documents import services
from documents.access import (
    documents_visible_to,
    get_document_for_user,
    get_version_for_user,
    log_sensitive_read,
    versions_visible_to,
)
from documents.models import (
    ChangeEntry,
    Classification,
    Document,
    DocumentType,
    DocumentVersion,
    ReadConfirmation,
    VersionStatus,
    WorkflowStep,
)
from documents.selectors import KEYSET, filter_documents
from organization.access import processes_visible_to, systems_visible_to, units_visible_to
from organization.models import ManagementSystem

router = Router(tags=["documents"])

TEXT = settings.SIG_MAX_TEXT
CONTENT = 200_000  # longest Markdown content of a version
IDS = 500  # longest list of ids in one field
ClassificationName = Annotated[Classification, choices_schema(Classification, "DocumentClassification")]
VersionStatusName = Annotated[VersionStatus, choices_schema(VersionStatus, "VersionStatus")]
StepAction = Annotated[WorkflowStep.Action, choices_schema(WorkflowStep.Action, "WorkflowAction")]
IdList = list[StrictInt]


# --- output schemas ---------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    code: str
    title: str
    type_id: int
    type_code: str
    type_name: str
    owner_unit_id: int
    owner_unit_code: str
    site_id: int
    process_id: int | None
    process_code: str | None
    system_codes: list[str]
    classification: ClassificationName
    is_external: bool
    external_issuer: str
    status: VersionStatusName = Field(..., description="Status of the vigente version, else of the latest one.")
    current_version: int | None = Field(..., description="Number of the vigente version.")
    latest_version: int | None = Field(..., description="Number of the latest version.")
    review_period_months: int
    next_review_on: datetime.date | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_type_id(obj: Document) -> int:
        return obj.document_type_id

    @staticmethod
    def resolve_type_code(obj: Document) -> str:
        return obj.document_type.code

    @staticmethod
    def resolve_type_name(obj: Document) -> str:
        return str(obj.document_type)

    @staticmethod
    def resolve_owner_unit_code(obj: Document) -> str:
        return obj.owner_unit.code

    @staticmethod
    def resolve_process_code(obj: Document) -> str | None:
        return obj.process.code if obj.process else None

    @staticmethod
    def resolve_system_codes(obj: Document) -> list[str]:
        return [s.code for s in obj.systems.all()]

    @staticmethod
    def resolve_current_version(obj: Document) -> int | None:
        return obj.current_version.number if obj.current_version else None

    @staticmethod
    def resolve_latest_version(obj: Document) -> int | None:
        return obj.latest_version.number if obj.latest_version else None


class DocumentPage(PageOut):
    items: list[DocumentOut]


class VersionSummary(Schema):
    number: int
    label: str
    status: VersionStatusName
    approved_on: datetime.date | None
    effective_on: datetime.date | None
    obsolete_on: datetime.date | None
    verification_code: str | None
    created_at: datetime.datetime


class DocumentDetailOut(DocumentOut):
    system_ids: list[int]
    requirement_ids: list[int]
    distribution_unit_ids: list[int]
    versions: list[VersionSummary] = Field(..., description="The versions visible to you, oldest first.")

    @staticmethod
    def resolve_system_ids(obj: Document) -> list[int]:
        return [s.pk for s in obj.systems.all()]

    @staticmethod
    def resolve_requirement_ids(obj: Document) -> list[int]:
        return [r.pk for r in obj.requirements.all()]

    @staticmethod
    def resolve_distribution_unit_ids(obj: Document) -> list[int]:
        return [u.pk for u in obj.distribution_units.all()]

    @staticmethod
    def resolve_versions(obj: Any) -> list[DocumentVersion]:
        return list(obj.visible_versions)


class ChangeOut(Schema):
    id: int
    date: datetime.date | None
    justification: str
    texts_modified: str
    supporting_reference: str
    responsible: str


class StepOut(Schema):
    id: int
    action: StepAction
    person_name: str
    position: str
    unit_code: str | None
    at: datetime.datetime
    comment: str

    @staticmethod
    def resolve_unit_code(obj: WorkflowStep) -> str | None:
        return obj.unit.code if obj.unit else None


class VersionOut(VersionSummary):
    document_id: int
    document_code: str
    content: str = Field(..., description="Content written in the app (Markdown).")
    file_name: str
    file_type: str = Field(..., description='"pdf", "docx", "xlsx", or empty when there is no file.')
    file_size: int | None
    file_sha256: str
    approval_instrument: str
    obsolete_reason: str
    controlled_sha256: str = Field(..., description="SHA-256 of the controlled PDF (vigente and obsoleto versions).")
    endorsing_unit_codes: list[str]
    pending_endorsements: list[str] = Field(..., description="Units that still have to endorse (visar).")
    changes: list[ChangeOut] = Field(..., description="Rows of the Control de Cambios table.")
    steps: list[StepOut] = Field(..., description="Workflow steps taken, oldest first.")

    @staticmethod
    def resolve_document_code(obj: DocumentVersion) -> str:
        return obj.document.code

    @staticmethod
    def resolve_endorsing_unit_codes(obj: DocumentVersion) -> list[str]:
        return [u.code for u in obj.endorsing_units.all()]

    @staticmethod
    def resolve_pending_endorsements(obj: DocumentVersion) -> list[str]:
        if obj.status != VersionStatus.IN_ENDORSEMENT:
            return []
        return [u.code for u in services.pending_endorsements(obj)]

    @staticmethod
    def resolve_changes(obj: DocumentVersion) -> list[ChangeEntry]:
        return list(obj.changes.all())

    @staticmethod
    def resolve_steps(obj: DocumentVersion) -> list[WorkflowStep]:
        return list(obj.steps.all())


class ReadOut(Schema):
    document_id: int
    version: int
    at: datetime.datetime

    @staticmethod
    def resolve_document_id(obj: ReadConfirmation) -> int:
        return obj.version.document_id

    @staticmethod
    def resolve_version(obj: ReadConfirmation) -> int:
        return obj.version.number


# --- input schemas ----------------------------------------------------------------------


class DocumentFilter(QueryIn):
    type: int | None = Field(None, description="Id of the document type.")
    unit: int | None = Field(None, description="Id of the owner unit.")
    process: int | None = Field(None, description="Id of the process.")
    system: int | None = Field(None, description="Id of a management system the document serves.")
    status: VersionStatusName | None = None
    classification: ClassificationName | None = None
    q: str | None = Field(None, max_length=100, description="Words of the code, title or text of the versions.")


class ChangeIn(StrictIn):
    """The Control de Cambios row of a new version."""

    justification: str = Field("", max_length=500)
    texts_modified: str = Field("", max_length=TEXT)
    supporting_reference: str = Field("", max_length=200, description="e.g. the number of the supporting informe.")
    responsible: str = Field("", max_length=150, description="Defaults to the owner unit's code.")


class DocumentIn(ChangeIn):
    title: str = Field(..., min_length=1, max_length=300)
    document_type: StrictInt = Field(..., description="Id of the document type.")
    owner_unit: StrictInt = Field(..., description="Id of the owner unit.")
    process: StrictInt | None = Field(None, description="Id of the process, or null.")
    classification: ClassificationName | None = Field(
        None, description="Defaults to internal (public for external documents)."
    )
    systems: IdList = Field([], max_length=IDS, description="Ids of the management systems served.")
    requirements: IdList = Field([], max_length=IDS, description="Ids of the requirements served.")
    distribution_units: IdList = Field([], max_length=IDS, description="Ids of the units it is distributed to.")
    review_period_months: StrictInt | None = Field(None, ge=1, le=120, description="Defaults to the type's.")
    external_issuer: str = Field("", max_length=200, description="Issuer of an external document (required then).")
    legacy_code: str = Field("", max_length=100, description="A code it already has (migration); else one is assigned.")
    content: str = Field("", max_length=CONTENT, description="Content of version 01 (Markdown).")
    endorsing_units: IdList = Field([], max_length=IDS, description="Ids of the units that must endorse (visar).")
    effective_on: datetime.date | None = Field(None, description="External documents: in force since (default today).")


class DocumentPatch(StrictIn):
    title: str = Field(OMITTED, min_length=1, max_length=300)
    process: StrictInt | None = Field(None, description="Id of the process, or null.")
    classification: ClassificationName = Field(OMITTED)
    review_period_months: StrictInt = Field(OMITTED, ge=1, le=120)
    external_issuer: str = Field(OMITTED, max_length=200)
    systems: IdList = Field(OMITTED, max_length=IDS)
    requirements: IdList = Field(OMITTED, max_length=IDS)
    distribution_units: IdList = Field(OMITTED, max_length=IDS)


class VersionIn(ChangeIn):
    content: str = Field("", max_length=CONTENT, description="Markdown; empty keeps the previous version's text.")
    date: datetime.date | None = Field(None, description="Date of the change-control row (default today).")
    endorsing_units: IdList = Field([], max_length=IDS)


class DraftPatch(StrictIn):
    content: str = Field(OMITTED, max_length=CONTENT)
    endorsing_units: IdList = Field(OMITTED, max_length=IDS)


class ChangeEntryIn(ChangeIn):
    justification: str = Field(..., min_length=1, max_length=500)
    date: datetime.date | None = None


class CommentIn(StrictIn):
    comment: str = Field("", max_length=TEXT)


class EndorseIn(CommentIn):
    unit: StrictInt = Field(..., description="Id of the unit on whose behalf you endorse.")


class ApproveIn(CommentIn):
    instrument: str = Field("", max_length=150, description="Approving instrument, e.g. an RDE number.")
    approved_on: datetime.date | None = Field(None, description="Default today.")
    publish_on: datetime.date | None = Field(None, description="Also make the version vigente on this day.")


class PublishIn(StrictIn):
    effective_on: datetime.date | None = Field(None, description="In force since (default today).")


class ReasonIn(StrictIn):
    reason: str = Field("", max_length=300)  # as the pages' ReasonForm (a version's obsolete reason)


# --- helpers ----------------------------------------------------------------------------


def _resolve_many(qs: models.QuerySet[Any], ids: list[int], field: str) -> list[Any]:
    """The rows `ids` of `qs`, or a 422 naming `field` when one is missing."""
    wanted = set(ids)
    found = list(qs.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise field_error(field, _("No such record, or it is not available to you."), "not_found")
    return found


def _resolve(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in a request body → the objects the services expect (through the same scoping
    functions as the pages' choices)."""
    user = request.user
    units = units_visible_to(user).filter(is_active=True)
    if "document_type" in data:
        data["document_type"] = resolve_fk(DocumentType.objects.all(), data["document_type"], "document_type")
    if "owner_unit" in data:
        data["owner_unit"] = resolve_fk(units, data["owner_unit"], "owner_unit")
    if "process" in data:
        data["process"] = resolve_fk(processes_visible_to(user), data["process"], "process")
    if "unit" in data:
        data["unit"] = resolve_fk(units, data["unit"], "unit")
    many: dict[str, models.QuerySet[Any]] = {
        "systems": systems_visible_to(user),
        "requirements": requirements_visible_to(user),
        "distribution_units": units,
        "endorsing_units": units,
    }
    for name, qs in many.items():
        if name in data:
            data[name] = _resolve_many(qs, data[name], name)
    return data


def _require_some_role(request: HttpRequest) -> None:
    """The register is 404 for a person without any role, as the other lists are."""
    if not get_scope(request.user).roles:
        raise Http404


def _by(request: HttpRequest) -> User:
    """The authenticated user (every operation of `router` requires authentication)."""
    return cast(User, request.user)


def _document(request: HttpRequest, pk: int) -> Document:
    """One document with what DocumentDetailOut shows (its versions visible to the user);
    404 when the user may not see it."""
    document = get_or_404(
        documents_visible_to(request.user).prefetch_related(
            Prefetch("systems", queryset=ManagementSystem.objects.order_by("order", "code")),
            "requirements",
            "distribution_units",
        ),
        pk=pk,
    )
    document.visible_versions = list(  # type: ignore[attr-defined]
        versions_visible_to(request.user).filter(document=document).order_by("number")
    )
    return document


def _version(request: HttpRequest, pk: int, number: int) -> DocumentVersion:
    """One version with what VersionOut shows; 404 when the user may not see it."""
    return get_or_404(
        versions_visible_to(request.user).prefetch_related(
            "endorsing_units",
            Prefetch("changes", queryset=ChangeEntry.objects.order_by("order", "date", "pk")),
            Prefetch("steps", queryset=WorkflowStep.objects.select_related("unit").order_by("at", "pk")),
        ),
        document_id=pk,
        number=number,
    )


# --- documents --------------------------------------------------------------------------


@router.get("/documents", response=DocumentPage, summary="Master list of documents (lista maestra)")
def document_list(request: HttpRequest, filters: Query[DocumentFilter], paging: Query[KeysetPageIn]) -> dict[str, Any]:
    _require_some_role(request)
    qs = documents_visible_to(request.user).prefetch_related(
        Prefetch("systems", queryset=ManagementSystem.objects.order_by("order", "code"))
    )
    data = {
        "document_type": filters.type,
        "owner_unit": filters.unit,
        "process": filters.process,
        "system": filters.system,
        "status": filters.status,
        "classification": filters.classification,
        "q": filters.q,
    }
    # Ordered first: on PostgreSQL a text search re-orders by relevance.
    return page(filter_documents(qs.order_by("code", "pk"), data), paging, KEYSET)


@router.post("/documents", response={201: DocumentDetailOut}, summary="Register a document (version 01 in borrador)")
def document_create(request: HttpRequest, payload: DocumentIn) -> Status[Document]:
    _require_some_role(request)
    data = _resolve(request, payload.model_dump())
    if not data["document_type"].requires_approval:
        document = services.register_external_document(data=data, by=_by(request))
    else:
        try:
            document = services.register_document(data=data, by=_by(request))
        except ServiceError as exc:
            # "Write the content or upload a file": over the API the file comes next
            # (…/versions/1/file), so the field to fix is the content.
            raise ServiceError(exc.message, field="content" if exc.field == "file" else exc.field) from exc
    return Status(201, _document(request, document.pk))


@router.get("/documents/{pk}", response=DocumentDetailOut, summary="One document and its versions visible to you")
def document_detail(request: HttpRequest, pk: int) -> Document:
    document = _document(request, pk)
    log_sensitive_read(request.user, document, "detail")
    return document


@router.patch("/documents/{pk}", response=DocumentDetailOut, summary="Change a document's register data")
def document_update(request: HttpRequest, pk: int, payload: DocumentPatch) -> Document:
    document = get_document_for_user(request.user, pk)
    services.update_document(document, data=_resolve(request, payload.changes()), by=_by(request))
    return _document(request, pk)


@router.post("/documents/{pk}/withdraw", response=DocumentDetailOut, summary="Withdraw the vigente version (obsoleto)")
def document_withdraw(request: HttpRequest, pk: int, payload: ReasonIn) -> Document:
    document = get_document_for_user(request.user, pk)
    services.withdraw(document, by=_by(request), reason=payload.reason)
    return _document(request, pk)


@router.post("/documents/{pk}/read", response=ReadOut, summary="Confirm you read the vigente version")
def document_read(request: HttpRequest, pk: int) -> ReadConfirmation:
    document = get_document_for_user(request.user, pk)
    if document.current_version is None:
        raise ServiceError(_("The document has no vigente version."))
    return services.confirm_read(document.current_version, by=_by(request))


# --- versions ---------------------------------------------------------------------------


@router.post(
    "/documents/{pk}/versions", response={201: VersionOut}, summary="Start a new version (borrador) of a document"
)
def version_create(request: HttpRequest, pk: int, payload: VersionIn) -> Status[DocumentVersion]:
    document = get_document_for_user(request.user, pk)
    version = services.start_new_version(document, data=_resolve(request, payload.model_dump()), by=_by(request))
    return Status(201, _version(request, pk, version.number))


@router.get("/documents/{pk}/versions/{number}", response=VersionOut, summary="One version of a document")
def version_detail(request: HttpRequest, pk: int, number: int) -> DocumentVersion:
    version = _version(request, pk, number)
    log_sensitive_read(request.user, version.document, "version", version)
    return version


@router.patch("/documents/{pk}/versions/{number}", response=VersionOut, summary="Change a draft's content")
def version_update(request: HttpRequest, pk: int, number: int, payload: DraftPatch) -> DocumentVersion:
    version = get_version_for_user(request.user, pk, number)
    services.update_draft(version, data=_resolve(request, payload.changes()), by=_by(request))
    return _version(request, pk, number)


@router.post(
    "/documents/{pk}/versions/{number}/file",
    response=VersionOut,
    summary="Upload the file of a draft (multipart; PDF, DOCX or XLSX, checked by content)",
)
def version_upload(request: HttpRequest, pk: int, number: int, file: File[UploadedFile]) -> DocumentVersion:
    version = get_version_for_user(request.user, pk, number)
    upload = inspect_upload(file, field="file")
    services.update_draft(version, data={"file_name": file.name or ""}, upload=upload, by=_by(request))
    return _version(request, pk, number)


@router.post(
    "/documents/{pk}/versions/{number}/changes",
    response={201: VersionOut},
    summary="Add a row to a draft's Control de Cambios",
)
def version_add_change(request: HttpRequest, pk: int, number: int, payload: ChangeEntryIn) -> Status[DocumentVersion]:
    version = get_version_for_user(request.user, pk, number)
    services.add_change_entry(version, data=payload.model_dump(), by=_by(request))
    return Status(201, _version(request, pk, number))


# --- workflow ---------------------------------------------------------------------------


@router.post("/documents/{pk}/versions/{number}/submit", response=VersionOut, summary="Send a draft to review")
def version_submit(request: HttpRequest, pk: int, number: int, payload: CommentIn) -> DocumentVersion:
    version = get_version_for_user(request.user, pk, number)
    services.submit_for_review(version, by=_by(request), comment=payload.comment)
    return _version(request, pk, number)


@router.post("/documents/{pk}/versions/{number}/review", response=VersionOut, summary="Review (revisar) a version")
def version_review(request: HttpRequest, pk: int, number: int, payload: CommentIn) -> DocumentVersion:
    version = get_version_for_user(request.user, pk, number)
    services.review(version, by=_by(request), comment=payload.comment)
    return _version(request, pk, number)


@router.post(
    "/documents/{pk}/versions/{number}/endorse", response=VersionOut, summary="Endorse (visar) on behalf of a unit"
)
def version_endorse(request: HttpRequest, pk: int, number: int, payload: EndorseIn) -> DocumentVersion:
    version = get_version_for_user(request.user, pk, number)
    data = _resolve(request, payload.model_dump())
    services.endorse(version, by=_by(request), unit=data["unit"], comment=data["comment"])
    return _version(request, pk, number)


@router.post(
    "/documents/{pk}/versions/{number}/approve",
    response=VersionOut,
    summary="Approve a version (optionally citing the instrument and making it vigente)",
)
def version_approve(request: HttpRequest, pk: int, number: int, payload: ApproveIn) -> DocumentVersion:
    version = get_version_for_user(request.user, pk, number)
    services.approve(version, by=_by(request), **payload.model_dump())
    return _version(request, pk, number)


@router.post(
    "/documents/{pk}/versions/{number}/publish",
    response=VersionOut,
    summary="Make an approved version vigente (the previous one becomes obsoleto)",
)
def version_publish(request: HttpRequest, pk: int, number: int, payload: PublishIn) -> DocumentVersion:
    version = get_version_for_user(request.user, pk, number)
    services.publish(version, by=_by(request), effective_on=payload.effective_on)
    return _version(request, pk, number)


@router.post(
    "/documents/{pk}/versions/{number}/reject",
    response=VersionOut,
    summary="Return a version to borrador, with the reason",
)
def version_reject(request: HttpRequest, pk: int, number: int, payload: ReasonIn) -> DocumentVersion:
    version = get_version_for_user(request.user, pk, number)
    services.reject(version, by=_by(request), reason=payload.reason)
    return _version(request, pk, number)
