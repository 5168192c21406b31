"""What /verifica/ shows for an issued audit report (core.registry.VerifiableKind "audits.report")."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from audits.models import Audit
from audits.report import report_code
from documents.models import DocumentVersion, VersionStatus
from reports.verification import NOT_FOUND, PublicFacts

KIND = "audits.report"


def facts(issued: Any) -> PublicFacts:
    """An issued report: a version of the audit's record in document control (vigente, or
    obsoleto once re-issued), or — reports issued before they were registered — the audit."""
    if isinstance(issued, DocumentVersion):
        return _version_facts(issued)
    audit: Audit = issued
    if audit.status != Audit.Status.COMPLETED or not audit.report_verification_code:
        return NOT_FOUND
    return PublicFacts(
        found=True,
        verification_code=audit.report_verification_code,
        kind=KIND,
        kind_label=_("audit report"),
        document_code=report_code(audit),
        title=f"Informe de auditoría {audit.code}",
        version="01",
        status="current",
        status_label=str(audit.get_status_display()),
        approved_on=audit.end_date,
        controlled_sha256=audit.report_sha256 or None,
        restricted=False,
    )


def _version_facts(version: DocumentVersion) -> PublicFacts:
    if version.status not in (VersionStatus.CURRENT, VersionStatus.OBSOLETE):
        return NOT_FOUND
    obsolete = version.status == VersionStatus.OBSOLETE
    return PublicFacts(
        found=True,
        verification_code=version.verification_code,
        kind=KIND,
        kind_label=_("audit report"),
        document_code=version.document.code,
        title=version.document.title,
        version=version.label,
        status=version.status,
        status_label=str(version.get_status_display()),
        obsolete_on=version.obsolete_on if obsolete else None,
        obsolete_reason=(version.obsolete_reason or None) if obsolete else None,
        approved_on=version.approved_on,
        effective_on=version.effective_on,
        controlled_sha256=version.controlled_sha256 or None,
        restricted=False,
    )
