"""What /verifica/ shows for an approved Statement of Applicability (VerifiableKind "isms.soa")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from isms.models import Soa
from reports.verification import NOT_FOUND, PublicFacts

KIND = "isms.soa"


def facts(soa: Soa) -> PublicFacts:
    if soa.status != Soa.Status.APPROVED:
        return NOT_FOUND
    return PublicFacts(
        found=True,
        verification_code=soa.verification_code,
        kind=KIND,
        kind_label=_("Statement of Applicability"),
        document_code=soa.code,
        title=soa.title,
        version=f"{soa.version:02d}",
        status="current",
        status_label=str(soa.get_status_display()),
        approved_on=soa.approved_on,
        controlled_sha256=soa.pdf_sha256 or None,
        restricted=False,
    )
