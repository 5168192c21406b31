"""What /verifica/ shows for an issued audit report (core.registry.VerifiableKind "audits.report")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audits.models import Audit
from audits.report import report_code
from reports.verification import NOT_FOUND, PublicFacts

KIND = "audits.report"


def facts(audit: Audit) -> PublicFacts:
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
