"""Document-control state changes. Each function owns its transaction, the audit entries and
the notifications; views, API, commands and tests all call these."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RoleAssignment, User
from audit.models import AuditEvent
from audit.services import diff, record, snapshot
from core.files import InspectedFile
from core.notifications import notify
from core.services import ServiceError
from documents import codes, waiting, workflows
from documents.access import people_who_can, require_step
from documents.models import (
    ChangeEntry,
    Distribution,
    Document,
    DocumentType,
    DocumentVersion,
    ReadConfirmation,
    VersionStatus,
    WorkflowRule,
    WorkflowStep,
)
from documents.verification import KIND
from organization.models import OrgUnit
from reports.verification import issue, new_verification_code

Step = WorkflowRule.Step
DOCUMENT_FIELDS = ["title", "process", "classification", "review_period_months", "external_issuer"]
M2M_FIELDS = ["systems", "requirements", "distribution_units"]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _person_step(
    version: DocumentVersion,
    action: str,
    by: User,
    comment: str = "",
    unit: OrgUnit | None = None,
    at: datetime.datetime | None = None,
) -> WorkflowStep:
    return WorkflowStep.objects.create(
        version=version,
        action=action,
        person=by,
        person_name=by.get_full_name() or by.get_username(),
        position=by.position,
        unit=unit or by.unit,
        at=at or timezone.now(),
        comment=comment,
    )


def _elaborator_id(version: DocumentVersion) -> int:
    return workflows.elaborator_id(version)


def _refresh_document(document: Document) -> None:
    latest = document.versions.order_by("-number").first()
    current = document.versions.filter(status=VersionStatus.CURRENT).first()
    texts = [document.code, document.title]
    # UT users of other sites see a document's published versions only: once it has one, drafts
    # stay out of the search text, or a search would reveal words of an invisible draft.
    rows = list(document.versions.values_list("status", "content", "extracted_text"))
    published = [r for r in rows if r[0] in (VersionStatus.CURRENT, VersionStatus.OBSOLETE)]
    for _status, content, extracted in published or rows:
        texts.append(content)
        texts.append(extracted)
    document.latest_version = latest
    document.current_version = current
    if current is not None:
        document.status = VersionStatus.CURRENT
    elif latest is not None:
        document.status = latest.status
    document.search_text = "\n".join(t for t in texts if t)[:200_000]
    document.save(update_fields=["latest_version", "current_version", "status", "search_text"])
    # The distribution rows carry the version in force and its date (the units' reading lists).
    Distribution.objects.filter(document=document).update(
        current_version=current, effective_on=current.effective_on if current is not None else None
    )


def _set_content(
    version: DocumentVersion, *, content: str | None, upload: InspectedFile | None, file_name: str = ""
) -> None:
    if upload is not None:
        replaced = version.file.name if version.file else ""
        version.file.save(
            f"{version.document.code}-v{version.label}.{upload.kind}", ContentFile(upload.data), save=False
        )
        if replaced and replaced != version.file.name:  # a draft's file replaced: no orphan on disk
            storage = version.file.storage
            transaction.on_commit(lambda: storage.delete(replaced))
        version.file_name = file_name[:255] or f"{version.document.code}.{upload.kind}"
        version.file_type = upload.kind
        version.file_size = upload.size
        version.file_sha256 = upload.sha256
        version.extracted_text = upload.text
    if content is not None:
        version.content = content
        if upload is None and not version.file_sha256:
            version.extracted_text = ""


def _people_who_can(document: Document, step: str) -> list[User]:
    return list(people_who_can(document, step))


def _tell_next(version: DocumentVersion, by: User, subject: Any, body: Any, **extra: Any) -> int:
    """E-mail whoever must act next on the version (documents.workflows), never `by`."""
    return notify(
        workflows.VERSION.next_actors(version) or [],
        subject,
        body,
        link=version.get_absolute_url(),
        actor=by,
        c=version.document.code,
        t=version.document.title,
        v=version.label,
        **extra,
    )


# --- registration and drafting ----------------------------------------------------------


@transaction.atomic
def register_document(*, data: dict[str, Any], by: User, upload: InspectedFile | None = None) -> Document:
    """Create a document with its code and version 01 in borrador."""
    doc_type: DocumentType = data["document_type"]
    unit: OrgUnit = data["owner_unit"]
    probe = Document(document_type=doc_type, owner_unit=unit, site_id=unit.site_id)
    require_step(by, probe, Step.ELABORATE)
    if not doc_type.requires_approval:
        raise ServiceError(_("This type is registered as an external document."), field="document_type")
    if not data.get("content") and upload is None:
        raise ServiceError(_("Write the content or upload a file."), field="file")
    code = (
        codes.reserve_legacy_code(data["legacy_code"])
        if data.get("legacy_code")
        else codes.next_document_code(doc_type, unit)
    )
    document = Document.objects.create(
        code=code,
        document_type=doc_type,
        owner_unit=unit,
        site_id=unit.site_id,
        created_by=by,
        review_period_months=data.get("review_period_months") or doc_type.default_review_months,
        **{
            k: data[k]
            for k in ["title", "process", "classification", "external_issuer"]
            if k in data and data[k] is not None
        },
    )
    for name in M2M_FIELDS:
        if data.get(name):
            getattr(document, name).set(data[name])
    version = DocumentVersion(document=document, number=1, created_by=by)
    _set_content(version, content=data.get("content", ""), upload=upload, file_name=data.get("file_name", ""))
    version.save()
    if data.get("endorsing_units"):
        version.endorsing_units.set(data["endorsing_units"])
    ChangeEntry.objects.create(
        version=version,
        date=data.get("date", timezone.localdate()),
        responsible=data.get("responsible") or unit.code,
        justification=data.get("justification") or _("Initial drafting of the document"),
        texts_modified=data.get("texts_modified", ""),
        supporting_reference=data.get("supporting_reference", ""),
    )
    _refresh_document(document)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=document,
        changes=diff({}, snapshot(document, ["code", "title", "document_type", "owner_unit", "classification"])),
    )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=version,
        changes={"number": [None, 1], "file_sha256": [None, version.file_sha256 or None]},
    )
    return document


@transaction.atomic
def register_external_document(*, data: dict[str, Any], by: User, upload: InspectedFile | None = None) -> Document:
    """External documents (laws, norms) are registered as vigente, without approval flow."""
    doc_type: DocumentType = data["document_type"]
    unit: OrgUnit = data["owner_unit"]
    probe = Document(document_type=doc_type, owner_unit=unit, site_id=unit.site_id)
    require_step(by, probe, Step.ELABORATE)
    if not data.get("external_issuer"):
        raise ServiceError(_("Say who issued the external document."), field="external_issuer")
    document = Document.objects.create(
        code=codes.next_document_code(doc_type, unit),
        document_type=doc_type,
        owner_unit=unit,
        site_id=unit.site_id,
        created_by=by,
        is_external=True,
        title=data["title"],
        external_issuer=data["external_issuer"],
        classification=data.get("classification") or "public",
        process=data.get("process"),
        review_period_months=data.get("review_period_months") or doc_type.default_review_months,
    )
    for name in M2M_FIELDS:
        if data.get(name):
            getattr(document, name).set(data[name])
    today = timezone.localdate()
    version = DocumentVersion(
        document=document,
        number=1,
        created_by=by,
        status=VersionStatus.CURRENT,
        effective_on=data.get("effective_on") or today,
    )
    _set_content(version, content=data.get("content", ""), upload=upload, file_name=data.get("file_name", ""))
    version.save()
    _person_step(version, WorkflowStep.Action.PUBLISHED, by, comment=_("External document registered"))
    document.next_review_on = _add_months(today, document.review_period_months)
    document.save(update_fields=["next_review_on"])
    _refresh_document(document)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=document,
        changes=diff({}, snapshot(document, ["code", "title", "document_type", "owner_unit", "external_issuer"])),
    )
    return document


def issued_record_of(origin: Any) -> Document | None:
    """The document that registers the records `origin` issued, if any."""
    from django.contrib.contenttypes.models import ContentType

    return (
        Document.objects.filter(origin_type=ContentType.objects.get_for_model(origin), origin_id=origin.pk)
        .select_related("current_version", "latest_version")
        .first()
    )


@transaction.atomic
def register_issued_record(
    *,
    origin: Any,
    code: str,
    title: str,
    document_type: DocumentType,
    owner_unit: OrgUnit,
    pdf: bytes,
    file_name: str,
    by: User,
    justification: str,
    file_type: str = "pdf",
    verification_code: str | None = None,
    external_issuer: str = "",
    classification: str = "restricted",
    process: Any = None,
    systems: Any = None,
    requirements: Any = None,
    effective_on: datetime.date | None = None,
) -> DocumentVersion:
    """Register in document control a record another area issued (an audit report): the first
    time a document with `code`, linked back to `origin`; afterwards a new version of it, the
    previous one becoming obsoleto (still readable). The version is vigente at once and carries
    the issued PDF itself, byte for byte, as its file and controlled copy; the approval flow of
    this app does not apply (the issuing area's service has checked who may issue it, and issues
    the verification code). An external record (`external_issuer`) has no controlled copy."""
    from django.contrib.contenttypes.models import ContentType

    if not pdf:
        raise ServiceError(_("The record has no file."), field="file")
    digest = hashlib.sha256(pdf).hexdigest()
    origin_type = ContentType.objects.get_for_model(origin)
    document = Document.objects.select_for_update().filter(origin_type=origin_type, origin_id=origin.pk).first()
    day = effective_on or timezone.localdate()
    if document is None:
        code = code.strip().upper()
        if Document.objects.filter(code=code).exists():
            raise ServiceError(_("The code %(c)s is already used.") % {"c": code}, field="code")
        document = Document.objects.create(
            code=code,
            title=title[:300],
            document_type=document_type,
            owner_unit=owner_unit,
            site_id=owner_unit.site_id,
            created_by=by,
            is_external=bool(external_issuer),
            external_issuer=external_issuer[:200],
            classification=classification,
            process=process,
            review_period_months=document_type.default_review_months,
            origin_type=origin_type,
            origin_id=origin.pk,
        )
        for name, value in (("systems", systems), ("requirements", requirements)):
            if value:
                getattr(document, name).set(value)
        record(
            actor=by,
            action=AuditEvent.Action.CREATE,
            obj=document,
            changes={
                **diff({}, snapshot(document, ["code", "title", "document_type", "owner_unit", "classification"])),
                "origin": [None, f"{origin_type.app_label}.{origin_type.model}:{origin.pk}"],
            },
        )
        number = 1
    else:
        latest = document.versions.order_by("-number").first()
        number = (latest.number + 1) if latest is not None else 1
        if document.title != title[:300]:
            document.title = title[:300]
            document.save(update_fields=["title"])
    previous = document.versions.select_for_update().filter(status=VersionStatus.CURRENT).first()
    version = DocumentVersion(
        document=document,
        number=number,
        created_by=by,
        status=VersionStatus.CURRENT,
        approved_on=day,
        effective_on=day,
        file_name=file_name[:255],
        file_type=file_type,
        file_size=len(pdf),
        file_sha256=digest,
        verification_code=verification_code,
    )
    version.file.save(f"{document.code}-v{version.label}.{file_type}", ContentFile(pdf), save=False)
    if verification_code and not external_issuer and file_type == "pdf":
        version.controlled_sha256 = digest
        version.controlled_pdf.save(
            f"{document.code}-v{version.label}-{verification_code}.pdf", ContentFile(pdf), save=False
        )
    if previous is not None:
        previous.status = VersionStatus.OBSOLETE
        previous.obsolete_on = day
        previous.obsolete_reason = (_("Replaced by version %(v)s") % {"v": version.label})[:300]
        previous.save(update_fields=["status", "obsolete_on", "obsolete_reason"])
        record(
            actor=by,
            action=AuditEvent.Action.STATE,
            obj=previous,
            changes={"status": [VersionStatus.CURRENT, VersionStatus.OBSOLETE], "obsolete_on": [None, day]},
        )
    version.save()
    ChangeEntry.objects.create(
        version=version,
        date=day,
        justification=justification[:500],
        responsible=(by.get_full_name() or by.get_username())[:150],
    )
    _person_step(version, WorkflowStep.Action.PUBLISHED, by, comment=justification[:500])
    document.next_review_on = _add_months(day, document.review_period_months)
    document.save(update_fields=["next_review_on"])
    _refresh_document(document)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=version,
        changes={
            "number": [None, version.number],
            "status": [None, VersionStatus.CURRENT],
            "file_sha256": [None, digest],
            "verification_code": [None, verification_code],
        },
    )
    return version


@transaction.atomic
def update_document(document: Document, *, data: dict[str, Any], by: User) -> Document:
    require_step(by, document, Step.ELABORATE)
    fields = [f for f in DOCUMENT_FIELDS if f in data]
    before = snapshot(document, fields)
    for name in fields:
        setattr(document, name, data[name])
    changes = diff(before, snapshot(document, fields))
    for name in M2M_FIELDS:
        if name in data:
            old = sorted(getattr(document, name).values_list("pk", flat=True))
            new = sorted(o.pk for o in data[name])
            if old != new:
                getattr(document, name).set(data[name])
                changes[name] = [old, new]
    if changes:
        document.full_clean(exclude=["site", "created_by", "search_text", "status"])
        document.save(update_fields=[f for f in changes if f not in M2M_FIELDS] or None)
        _refresh_document(document)
        record(actor=by, action=AuditEvent.Action.UPDATE, obj=document, changes=changes)
    return document


@transaction.atomic
def start_new_version(
    document: Document, *, data: dict[str, Any], by: User, upload: InspectedFile | None = None
) -> DocumentVersion:
    require_step(by, document, Step.ELABORATE)
    if document.is_issued_record:
        raise ServiceError(_("This record is issued by its area: a new version comes from there."))
    if document.is_external:
        raise ServiceError(_("External documents have no approval flow; register the new one instead."))
    latest = document.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.status not in (VersionStatus.CURRENT, VersionStatus.OBSOLETE):
        raise ServiceError(_("Version %(v)s is still in progress.") % {"v": latest.label})
    if not data.get("justification"):
        raise ServiceError(_("Give the justification of the change."), field="justification")
    version = DocumentVersion(document=document, number=(latest.number + 1) if latest else 1, created_by=by)
    base_content = latest.content if latest is not None else ""
    content = data.get("content") if data.get("content") else (base_content if upload is None else "")
    _set_content(version, content=content, upload=upload, file_name=data.get("file_name", ""))
    version.save()
    ChangeEntry.objects.create(
        version=version,
        date=data.get("date") or timezone.localdate(),
        justification=data["justification"],
        texts_modified=data.get("texts_modified", ""),
        supporting_reference=data.get("supporting_reference", ""),
        responsible=data.get("responsible") or document.owner_unit.code,
    )
    if data.get("endorsing_units"):
        version.endorsing_units.set(data["endorsing_units"])
    _refresh_document(document)
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=version,
        changes={"number": [None, version.number], "file_sha256": [None, version.file_sha256 or None]},
    )
    return version


@transaction.atomic
def update_draft(
    version: DocumentVersion, *, data: dict[str, Any], by: User, upload: InspectedFile | None = None
) -> DocumentVersion:
    version = _lock(version, by, "edit")
    before = snapshot(version, ["content", "file_sha256"])
    _set_content(version, content=data.get("content"), upload=upload, file_name=data.get("file_name", ""))
    version.save()
    if "endorsing_units" in data:
        version.endorsing_units.set(data["endorsing_units"])
    changes = diff(before, snapshot(version, ["content", "file_sha256"]))
    if "content" in changes:
        changes["content"] = [f"{len(before['content'] or '')} chars", f"{len(version.content)} chars"]
    _refresh_document(version.document)
    record(actor=by, action=AuditEvent.Action.UPDATE, obj=version, changes=changes)
    return version


@transaction.atomic
def add_change_entry(version: DocumentVersion, *, data: dict[str, Any], by: User) -> ChangeEntry:
    version = _lock(version, by, "change_entry")
    entry = ChangeEntry.objects.create(
        version=version,
        date=data.get("date"),
        justification=data["justification"],
        texts_modified=data.get("texts_modified", ""),
        supporting_reference=data.get("supporting_reference", ""),
        responsible=data.get("responsible") or version.document.owner_unit.code,
        order=version.changes.count(),
    )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=entry,
        changes=diff({}, snapshot(entry, ["justification", "texts_modified", "supporting_reference", "date"])),
        site_id=version.document.site_id,
    )
    return entry


# --- workflow -----------------------------------------------------------------------------


def _lock(version: DocumentVersion, by: User, action: str) -> DocumentVersion:
    """Lock the version's row, then check the workflow table: may `by` take `action` on it now?"""
    locked = DocumentVersion.objects.select_for_update().select_related("document__document_type").get(pk=version.pk)
    workflows.VERSION.check(by, locked, action)
    return locked


def _transition(
    version: DocumentVersion,
    new: str,
    by: User,
    action: str,
    comment: str = "",
    unit: OrgUnit | None = None,
    extra: dict[str, Any] | None = None,
) -> DocumentVersion:
    old = version.status
    version.status = new
    fields = ["status", *(extra or {}).keys()]
    for k, v in (extra or {}).items():
        setattr(version, k, v)
    fields += waiting.stamp(version)
    version.save(update_fields=fields)
    _person_step(version, action, by, comment=comment, unit=unit)
    _refresh_document(version.document)
    changes: dict[str, Any] = {"status": [old, new]}
    changes.update({k: [None, v] for k, v in (extra or {}).items() if k not in {"controlled_pdf"}})
    if comment:
        changes["comment"] = [None, comment[:500]]
    record(actor=by, action=AuditEvent.Action.STATE, obj=version, changes=changes)
    return version


@transaction.atomic
def submit_for_review(version: DocumentVersion, *, by: User, comment: str = "") -> DocumentVersion:
    version = _lock(version, by, "submit")
    if not version.content.strip() and not version.file_sha256:
        raise ServiceError(_("The version has no content: write it or upload a file."), field="content")
    if not version.changes.exists():
        raise ServiceError(_("Add the change-control row of this version."), field="justification")
    _transition(version, VersionStatus.IN_REVIEW, by, WorkflowStep.Action.ELABORATED, comment)
    _tell_next(
        version,
        by,
        gettext_lazy("Document to review: %(c)s"),
        gettext_lazy("%(t)s, version %(v)s, awaits your review."),
    )
    return version


@transaction.atomic
def review(version: DocumentVersion, *, by: User, comment: str = "") -> DocumentVersion:
    version = _lock(version, by, "review")
    new = VersionStatus.IN_ENDORSEMENT if version.endorsing_units.exists() else VersionStatus.IN_APPROVAL
    _transition(version, new, by, WorkflowStep.Action.REVIEWED, comment)
    if new == VersionStatus.IN_ENDORSEMENT:
        _tell_next(
            version,
            by,
            gettext_lazy("Document to endorse: %(c)s"),
            gettext_lazy("%(t)s, version %(v)s, was reviewed and awaits your unit's endorsement (visado)."),
        )
    else:
        _tell_next(
            version,
            by,
            gettext_lazy("Document to approve: %(c)s"),
            gettext_lazy("%(t)s, version %(v)s, awaits your approval."),
        )
    return version


def pending_endorsements(version: DocumentVersion) -> list[OrgUnit]:
    return workflows.pending_endorsement_units(version)


@transaction.atomic
def endorse(version: DocumentVersion, *, by: User, unit: OrgUnit, comment: str = "") -> DocumentVersion:
    version = _lock(version, by, "endorse")
    pending = pending_endorsements(version)
    if unit not in pending:
        raise ServiceError(_("That unit does not have to endorse this version, or already did."), field="unit")
    member = by.unit_id == unit.pk or RoleAssignment.objects.active().filter(user=by, unit=unit).exists()
    if not member:
        raise ServiceError(_("You can only endorse on behalf of your own unit."), field="unit")
    _person_step(version, WorkflowStep.Action.ENDORSED, by, comment=comment, unit=unit)
    record(actor=by, action=AuditEvent.Action.STATE, obj=version, changes={"endorsed_by_unit": [None, unit.code]})
    if len(pending) == 1:
        version.status = VersionStatus.IN_APPROVAL
        version.save(update_fields=["status", *waiting.stamp(version)])
        _refresh_document(version.document)
        record(
            actor=by,
            action=AuditEvent.Action.STATE,
            obj=version,
            changes={"status": [VersionStatus.IN_ENDORSEMENT, VersionStatus.IN_APPROVAL]},
        )
        _tell_next(
            version,
            by,
            gettext_lazy("Document to approve: %(c)s"),
            gettext_lazy("%(t)s, version %(v)s, awaits your approval."),
        )
    return version


def approve(
    version: DocumentVersion,
    *,
    by: User,
    instrument: str = "",
    approved_on: datetime.date | None = None,
    comment: str = "",
    publish_on: datetime.date | None = None,
) -> DocumentVersion:
    """Approve; with `publish_on` the version also becomes vigente that day (the approver may
    publish what they approve). The approval commits first; the controlled copy is then printed
    outside any transaction and published in a second one."""
    with transaction.atomic():
        version = _lock(version, by, "approve")
        day = approved_on or timezone.localdate()
        _transition(
            version,
            VersionStatus.APPROVED,
            by,
            WorkflowStep.Action.APPROVED,
            comment,
            extra={"approval_instrument": instrument, "approved_on": day},
        )
        elaborator = User.objects.filter(pk=_elaborator_id(version)).first()
        if elaborator is not None:
            notify(
                [elaborator],
                gettext_lazy("Document approved: %(c)s"),
                gettext_lazy("Version %(v)s of %(t)s was approved."),
                link=version.get_absolute_url(),
                actor=by,
                c=version.document.code,
                t=version.document.title,
                v=version.label,
            )
        if publish_on is None:
            _tell_next(
                version,
                by,
                gettext_lazy("Document to publish: %(c)s"),
                gettext_lazy("%(t)s, version %(v)s, was approved: put it in force."),
            )
    if publish_on is not None:
        return _publish(version, by=by, effective_on=publish_on, check=False)
    return version


def _as_published(version: DocumentVersion, code: str, effective_on: datetime.date) -> DocumentVersion:
    """A fresh in-memory copy of `version` as it will be once vigente (for printing)."""
    probe = DocumentVersion.objects.select_related("document__document_type", "document__owner_unit").get(pk=version.pk)
    probe.verification_code = code
    probe.effective_on = effective_on
    probe.status = VersionStatus.CURRENT
    return probe


def _publish(version: DocumentVersion, *, by: User, effective_on: datetime.date, check: bool = True) -> DocumentVersion:
    """Approved → vigente. The controlled PDF is printed before the transaction (WeasyPrint
    takes seconds, and inside the transaction every audited write and login would wait on the
    audit chain); inside it, the version is locked and its printable content compared with what
    was printed. If someone changed it meanwhile, the copy is printed again (once), else refused."""
    from documents.controlled import controlled_fingerprint, render_controlled_pdf

    if check:  # refuse early, before printing anything
        fresh = DocumentVersion.objects.select_related("document__document_type").get(pk=version.pk)
        workflows.VERSION.check(by, fresh, "publish")
    code = new_verification_code()
    for _attempt in range(2):
        probe = _as_published(version, code, effective_on)
        printed = controlled_fingerprint(probe)
        pdf = render_controlled_pdf(probe)
        with transaction.atomic():
            if check:
                version = _lock(version, by, "publish")
            else:
                version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
                if version.status != VersionStatus.APPROVED:
                    raise ServiceError(_("Only an approved version can be published."))
            if controlled_fingerprint(_as_published(version, code, effective_on)) != printed:
                continue
            return _store_published(version, by=by, effective_on=effective_on, code=code, pdf=pdf)
    raise ServiceError(_("The version changed while its controlled copy was being printed; publish it again."))


def _store_published(
    version: DocumentVersion, *, by: User, effective_on: datetime.date, code: str, pdf: bytes
) -> DocumentVersion:
    document = version.document
    previous = document.versions.select_for_update().filter(status=VersionStatus.CURRENT).first()
    if previous is not None:
        previous.status = VersionStatus.OBSOLETE
        previous.obsolete_on = effective_on
        previous.obsolete_reason = _("Replaced by version %(v)s") % {"v": version.label}
        previous.save(update_fields=["status", "obsolete_on", "obsolete_reason", *waiting.stamp(previous)])
        record(
            actor=by,
            action=AuditEvent.Action.STATE,
            obj=previous,
            changes={"status": [VersionStatus.CURRENT, VersionStatus.OBSOLETE], "obsolete_on": [None, effective_on]},
        )
    version.verification_code = code
    version.effective_on = effective_on
    version.controlled_sha256 = hashlib.sha256(pdf).hexdigest()
    version.controlled_pdf.save(f"{document.code}-v{version.label}-{code}.pdf", ContentFile(pdf), save=False)
    _transition(
        version,
        VersionStatus.CURRENT,
        by,
        WorkflowStep.Action.PUBLISHED,
        extra={
            "verification_code": code,
            "effective_on": effective_on,
            "controlled_sha256": version.controlled_sha256,
            "controlled_pdf": version.controlled_pdf,
        },
    )
    issue(
        obj=version,
        kind=KIND,
        verification_code=code,
        code=document.code,
        title=document.title,
        version=version.label,
        sha256=version.controlled_sha256,
        by=by,
    )
    document.next_review_on = _add_months(effective_on, document.review_period_months)
    document.save(update_fields=["next_review_on"])
    notify(
        distribution_audience(document),
        gettext_lazy("Document in force: %(c)s"),
        gettext_lazy("%(t)s, version %(v)s, is in force from %(d)s. Read it and confirm that you did in sig."),
        link=document.get_absolute_url(),
        actor=by,
        c=document.code,
        t=document.title,
        v=version.label,
        d=effective_on.strftime("%d/%m/%Y"),
    )
    return version


def publish(version: DocumentVersion, *, by: User, effective_on: datetime.date | None = None) -> DocumentVersion:
    """Approved → vigente; the previous vigente version becomes obsoleto."""
    return _publish(version, by=by, effective_on=effective_on or timezone.localdate())


@transaction.atomic
def reject(version: DocumentVersion, *, by: User, reason: str) -> DocumentVersion:
    """Return a version under review, endorsement or approval to borrador, with the reason."""
    locked = _lock(version, by, "reject")
    if not reason.strip():
        raise ServiceError(_("Give the reason for returning the version."), field="reason")
    _transition(locked, VersionStatus.DRAFT, by, WorkflowStep.Action.REJECTED, reason)
    _tell_next(
        locked,
        by,
        gettext_lazy("Document returned: %(c)s"),
        gettext_lazy("%(t)s, version %(v)s, was returned to draft. Reason: %(r)s"),
        r=reason,
    )
    return locked


@transaction.atomic
def withdraw(document: Document, *, by: User, reason: str) -> Document:
    """Withdraw the vigente version without a replacement: it becomes obsoleto."""
    require_step(by, document, Step.APPROVE)
    current = document.versions.select_for_update().filter(status=VersionStatus.CURRENT).first()
    if current is None:
        raise ServiceError(_("The document has no vigente version."))
    if not reason.strip():
        raise ServiceError(_("Give the reason for withdrawing the document."), field="reason")
    _transition(
        current,
        VersionStatus.OBSOLETE,
        by,
        WorkflowStep.Action.WITHDRAWN,
        reason,
        extra={"obsolete_on": timezone.localdate(), "obsolete_reason": reason[:300]},
    )
    return document


# --- reading and periodic review ------------------------------------------------------------


def distribution_audience(document: Document) -> Any:
    """People of the units the document is distributed to (all active people when none)."""
    units = list(document.distribution_units.values_list("pk", flat=True))
    qs = User.objects.filter(is_active=True)
    return qs.filter(unit_id__in=units) if units else qs


@transaction.atomic
def confirm_read(version: DocumentVersion, *, by: User) -> ReadConfirmation:
    if version.status != VersionStatus.CURRENT:
        raise ServiceError(_("Only the vigente version can be confirmed as read."))
    if not distribution_audience(version.document).filter(pk=by.pk).exists():
        raise ServiceError(_("The document is not distributed to your unit."))
    existing = ReadConfirmation.objects.filter(version=version, user=by).first()
    if existing is not None:
        return existing
    confirmation = ReadConfirmation.objects.create(version=version, user=by, at=timezone.now())
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=confirmation,
        changes={"read": [None, version.label]},
        site_id=version.document.site_id,
    )
    return confirmation


@transaction.atomic
def mark_reviewed(document: Document, *, by: User, comment: str = "") -> Document:
    """The periodic review found no change needed: the next review date moves on."""
    require_step(by, document, Step.REVIEW)
    if document.current_version_id is None:
        raise ServiceError(_("The document has no vigente version."))
    old = document.next_review_on
    document.next_review_on = _add_months(timezone.localdate(), document.review_period_months)
    document.save(update_fields=["next_review_on"])
    record(
        actor=by,
        action=AuditEvent.Action.UPDATE,
        obj=document,
        changes={"next_review_on": [old, document.next_review_on], "comment": [None, comment[:500]]},
    )
    return document
