from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.services import record
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
