"""What /verifica/ shows for a closed acta of the Comité del SIG (core.registry.VerifiableKind
"committee.acta"): code, version 01 and the session's date, as its header prints them."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from committee.acta import acta_code
from committee.models import Session
from reports.verification import NOT_FOUND, PublicFacts

KIND = "committee.acta"


def facts(session: Session) -> PublicFacts:
    if session.status != Session.Status.CLOSED:
        return NOT_FOUND
    return PublicFacts(
        found=True,
        verification_code=session.acta_verification_code,
        kind=KIND,
        kind_label=_("acta of the SIG Committee"),
        document_code=acta_code(session),
        title=f"Acta de sesión {session.number}",
        version="01",
        status="current",
        status_label=str(session.get_status_display()),
        approved_on=timezone.localdate(session.date),
        controlled_sha256=session.acta_sha256 or None,
        restricted=False,
    )
