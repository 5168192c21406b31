from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record
from core.access import get_scope
from core.files import InspectedFile
from core.services import ServiceError
from evidence.models import EvidenceFile, EvidenceLink
from evidence.registry import visible_evidence


@transaction.atomic
def upload_evidence_file(*, upload: InspectedFile, title: str, site: Any, by: Any, file_name: str = "") -> EvidenceFile:
    if not title.strip():
        raise ServiceError(_("Give the file a title."), field="title")
    item = EvidenceFile(
        title=title[:300],
        file_name=(file_name or f"evidencia.{upload.kind}")[:255],
        file_type=upload.kind,
        file_size=upload.size,
        sha256=upload.sha256,
        site=site,
        uploaded_by=by,
    )
    item.file.save(f"{upload.sha256[:16]}.{upload.kind}", ContentFile(upload.data), save=False)
    item.save()
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=item,
        changes={"title": [None, item.title], "sha256": [None, item.sha256]},
    )
    return item


def resolve_evidence(user: Any, label: str, pk: Any) -> models.Model:
    """The evidence the user designated, or a ServiceError naming the field when it is not
    a kind of evidence, does not exist, or is not visible to the user (same message)."""
    obj = visible_evidence(user, label, pk)
    if obj is None:
        raise ServiceError(
            _("Choose evidence you can see: a document, an evidence file or a session."), field="evidence"
        )
    return obj


@transaction.atomic
def link_evidence(*, target: models.Model, evidence: models.Model, note: str = "", by: Any) -> EvidenceLink:
    link = EvidenceLink.objects.create(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        evidence_type=ContentType.objects.get_for_model(evidence),
        evidence_id=evidence.pk,
        note=note[:500],
        linked_by=by,
    )
    record(
        actor=by,
        action=AuditEvent.Action.CREATE,
        obj=link,
        changes={
            "target": [None, f"{target._meta.label_lower}:{target.pk}"],
            "evidence": [None, f"{evidence._meta.label_lower}:{evidence.pk}"],
        },
        site_id=getattr(target, "audit_site_id", None),
    )
    return link


@transaction.atomic
def unlink_evidence(link: EvidenceLink, *, by: Any) -> EvidenceLink:
    if link.removed_at is not None:
        raise ServiceError(_("The link was already removed."))
    link.removed_at = timezone.now()
    link.save(update_fields=["removed_at"])
    record(actor=by, action=AuditEvent.Action.DELETE, obj=link, changes={"removed_at": [None, link.removed_at]})
    return link


def links_for(target: models.Model) -> models.QuerySet[EvidenceLink]:
    return EvidenceLink.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk, removed_at__isnull=True
    ).select_related("evidence_type")


# --- evidence of a requirement (clause or control) --------------------------------------------


def can_link_to_requirements(user: Any) -> bool:
    """Anyone who writes somewhere may say what evidences a clause or control; what they link
    must be visible to them, and readers of the page see only the evidence visible to them."""
    return get_scope(user).can_write


@transaction.atomic
def link_requirement_evidence(
    requirement: models.Model, *, evidence: models.Model, note: str = "", by: Any
) -> EvidenceLink:
    if not can_link_to_requirements(by):
        raise PermissionDenied
    existing = links_for(requirement).filter(
        evidence_type=ContentType.objects.get_for_model(evidence), evidence_id=evidence.pk
    )
    if existing.exists():
        raise ServiceError(_("That evidence is already linked to this requirement."), field="evidence")
    return link_evidence(target=requirement, evidence=evidence, note=note, by=by)


def unlink_requirement_evidence(link: EvidenceLink, *, by: Any) -> EvidenceLink:
    """Whoever linked it, or a reference editor, removes a link (it stays in the audit trail)."""
    from accounts.roles import REFERENCE_EDITORS

    if link.linked_by_id != getattr(by, "pk", None) and not (get_scope(by).central_roles & REFERENCE_EDITORS):
        raise PermissionDenied
    return unlink_evidence(link, by=by)


def resolve_attached(*, data: dict[str, Any], by: Any, site: Any) -> models.Model:
    """The evidence a form designates: a document the user can see (by its code), or a file
    uploaded now, filed as an evidence file of `site` (where the user must write)."""
    from core.access import get_scope as scope_of

    upload = data.get("upload")
    if upload is not None:
        if site is None:
            raise ServiceError(_("Your account has no site to file the evidence under."), field="file")
        if not scope_of(by).can_write_site(site.pk):
            raise PermissionDenied
        return upload_evidence_file(
            upload=upload, title=data.get("file_title") or "", site=site, by=by, file_name=data.get("file_name") or ""
        )
    from documents.access import documents_visible_to

    code = (data.get("document_code") or "").strip().upper()
    found = documents_visible_to(by).filter(code=code).first()
    if found is None:
        raise ServiceError(_("No document you can see has the code %(c)s.") % {"c": code[:100]}, field="evidence")
    return found


@transaction.atomic
def link_evidence_to_requirement(requirement: models.Model, *, data: dict[str, Any], by: Any) -> EvidenceLink:
    """Link a document the user can see (by its code) or a file uploaded now (stored as an
    evidence file of the user's site) as evidence of `requirement`."""
    if not can_link_to_requirements(by):
        raise PermissionDenied
    evidence = resolve_attached(data=data, by=by, site=getattr(by, "site", None))
    return link_requirement_evidence(requirement, evidence=evidence, note=data.get("note") or "", by=by)


def has_evidence(target: models.Model) -> bool:
    return links_for(target).exists()
