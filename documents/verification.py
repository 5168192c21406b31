"""What /verifica/ shows for a controlled copy of a document version (core.registry.VerifiableKind
"documents.version"): the facts printed on the copy itself, within what the document's publicity
classification allows — a confidential or restricted document's code confirms authenticity and
status, never its title."""

from __future__ import annotations

from django.utils.translation import gettext as _

from documents.models import Classification, DocumentVersion, VersionStatus
from reports.verification import NOT_FOUND, PublicFacts

KIND = "documents.version"
FINDABLE = [VersionStatus.CURRENT, VersionStatus.OBSOLETE]
PRIVATE = {Classification.RESTRICTED, Classification.CONFIDENTIAL}


def facts(version: DocumentVersion) -> PublicFacts:
    if version.status not in FINDABLE:
        return NOT_FOUND
    document = version.document
    obsolete = version.status == VersionStatus.OBSOLETE
    private = document.classification in PRIVATE
    return PublicFacts(
        found=True,
        verification_code=version.verification_code,
        kind=KIND,
        kind_label=_("controlled copy of a document"),
        document_code=document.code,
        title=None if private else document.title,
        version=version.label,
        status=version.status,
        status_label=str(version.get_status_display()),
        obsolete_on=version.obsolete_on if obsolete else None,
        obsolete_reason=(version.obsolete_reason or None) if obsolete and not private else None,
        approved_on=version.approved_on,
        approval_instrument=version.approval_instrument or None,
        effective_on=version.effective_on,
        controlled_sha256=version.controlled_sha256 or None,
        restricted=private,
    )
