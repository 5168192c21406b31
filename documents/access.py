"""Who sees and acts on documents.

- Central roles see every document and version.
- A UT role sees its own UT's documents (all versions) and, from other sites, the documents
  that have a vigente version and are not confidential or restricted — and of those only the
  vigente and obsolete versions (drafts of other sites stay invisible: 404).
- Workflow steps are allowed by WorkflowRule (per document type and owner unit) to roles held
  centrally or at the document's site.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from core.access import get_or_404, get_scope
from documents.models import Classification, Document, DocumentVersion, VersionStatus, WorkflowRule

PUBLISHED = [VersionStatus.CURRENT, VersionStatus.OBSOLETE]
OPEN_CLASSES = [Classification.PUBLIC, Classification.INTERNAL]


def documents_visible_to(user: Any) -> models.QuerySet[Document]:
    scope = get_scope(user)
    qs = Document.objects.select_related("document_type", "owner_unit", "process", "current_version", "latest_version")
    if not scope.roles:
        return qs.none()
    if scope.all_sites:
        return qs
    return qs.filter(Q(site_id__in=scope.site_ids) | Q(current_version__isnull=False, classification__in=OPEN_CLASSES))


def versions_visible_to(user: Any) -> models.QuerySet[DocumentVersion]:
    scope = get_scope(user)
    qs = DocumentVersion.objects.select_related("document")
    if not scope.roles:
        return qs.none()
    if scope.all_sites:
        return qs
    return qs.filter(
        Q(document__site_id__in=scope.site_ids)
        | Q(document__current_version__isnull=False, document__classification__in=OPEN_CLASSES, status__in=PUBLISHED)
    )


def get_document_for_user(user: Any, pk: Any) -> Document:
    return get_or_404(documents_visible_to(user), pk=pk)


def get_version_for_user(user: Any, document_pk: Any, number: Any) -> DocumentVersion:
    return get_or_404(
        versions_visible_to(user).select_related("document__document_type"), document_id=document_pk, number=number
    )


def allowed_roles(document: Document, step: str) -> set[str]:
    """The roles the document type's rules allow for `step` (those specific to the owner unit,
    else the general ones). The type's rules are read once per document object."""
    rules = getattr(document, "_workflow_rules", None)
    if rules is None:
        rules = list(
            WorkflowRule.objects.filter(document_type_id=document.document_type_id).values_list(
                "step", "unit_id", "role"
            )
        )
        document._workflow_rules = rules  # type: ignore[attr-defined]
    specific = {role for s, unit_id, role in rules if s == step and unit_id == document.owner_unit_id}
    return specific or {role for s, unit_id, role in rules if s == step and unit_id is None}


def can_take_step(user: Any, document: Document, step: str) -> bool:
    roles = allowed_roles(document, step)
    return bool(roles) and get_scope(user).has_any(roles, site_id=document.site_id)


def people_who_can(document: Document, step: str) -> models.QuerySet[Any]:
    """Active people who may take `step` on `document` today (central roles, or roles at the
    document's site): whom to tell that a step waits for them."""
    from accounts.models import RoleAssignment, User

    roles = allowed_roles(document, step)
    ids = (
        RoleAssignment.objects.active()
        .filter(role__in=roles)
        .filter(Q(site__isnull=True) | Q(site__is_central=True) | Q(site_id=document.site_id))
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True).select_related("unit").order_by("last_name", "first_name")


def require_step(user: Any, document: Document, step: str) -> None:
    """403 unless the user may take `step` on `document` (visibility is checked before)."""
    if not can_take_step(user, document, step):
        raise PermissionDenied


def can_register(user: Any) -> bool:
    """Anyone who may draft some type of document somewhere may open the registration form."""
    roles = set(WorkflowRule.objects.filter(step=WorkflowRule.Step.ELABORATE).values_list("role", flat=True))
    return get_scope(user).has_any(roles)


def log_sensitive_read(user: Any, document: Document, what: str, version: DocumentVersion | None = None) -> None:
    """Reading a confidential or restricted document (its page, a version, its original file, its
    controlled copy; pages and API alike) writes a READ entry to the audit trail."""
    if document.classification in OPEN_CLASSES:
        return
    from audit.services import record_read

    details = {"version": version.number} if version is not None else {}
    record_read(user, document, what, classification=document.classification, **details)
