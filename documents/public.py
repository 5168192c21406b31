"""Public verification of controlled copies (no login): the page /verifica/ and the JSON
endpoint /api/v1/public/verify/{code} both go through this module.

Codes must not be enumerable, so every lookup answers alike whether the code is right, wrong
or malformed: the same HTTP status (200: "not found" is an answer, not an error), the same
template or the same JSON keys (null values when nothing matches), and at least
SIG_VERIFY_MIN_MS milliseconds from the start of the request (`pad`). Lookups are rate-limited
per client address (SIG_VERIFY_MAX_PER_HOUR, counted in VerificationAttempt); over the limit
the answer is 429 whatever the code.

Only vigente and obsoleto versions that carry a verification code are findable; drafts and
versions in the workflow never are. Closed actas of the Comité del SIG (committee.Session) are
findable by their acta code too. The facts shown are those printed on the copy itself.

An uploaded copy is never stored, not even in a temporary file: `HashingUploadHandler` hashes
the bytes as they arrive and drops them."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import ServiceError
from documents.codes import normalise_verification_code
from documents.models import DocumentVersion, VerificationAttempt, VersionStatus

if TYPE_CHECKING:
    from committee.models import Session

FINDABLE = [VersionStatus.CURRENT, VersionStatus.OBSOLETE]
WINDOW = datetime.timedelta(hours=1)
# Attempts older than this are deleted as new ones arrive (the table is a rate limiter and a
# short log, not an archive).
KEEP = datetime.timedelta(days=30)


# --- timing and rate limit -----------------------------------------------------------------


def pad(started: float) -> None:
    """Sleep until SIG_VERIFY_MIN_MS milliseconds have passed since `started` (a
    time.monotonic() reading taken when the request arrived), so that the answer time says
    nothing about whether the code exists."""
    remaining = settings.SIG_VERIFY_MIN_MS / 1000 - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def _attempts(ip: str | None) -> Any:
    qs = VerificationAttempt.objects.all()
    return qs.filter(ip_address=ip) if ip else qs.filter(ip_address__isnull=True)


def over_limit(ip: str | None) -> bool:
    """True when `ip` already made SIG_VERIFY_MAX_PER_HOUR lookups in the last hour."""
    since = timezone.now() - WINDOW
    return bool(_attempts(ip).filter(at__gte=since).count() >= settings.SIG_VERIFY_MAX_PER_HOUR)


def record_attempt(ip: str | None) -> None:
    now = timezone.now()
    VerificationAttempt.objects.filter(at__lt=now - KEEP).delete()
    VerificationAttempt.objects.create(ip_address=ip, at=now)


def rate_limit_message() -> str:
    return _("Too many verifications from your address. Try again in an hour.")


# --- lookup --------------------------------------------------------------------------------


def find_version(raw_code: str | None) -> DocumentVersion | None:
    """The vigente or obsoleto version whose verification code is `raw_code`, or None. A
    malformed code costs the same query as a well-formed one."""
    code = normalise_verification_code(raw_code or "")
    qs = DocumentVersion.objects.select_related("document").filter(status__in=FINDABLE)
    return qs.filter(verification_code=code or "").first()


def find_acta(raw_code: str | None) -> Session | None:
    """The closed Comité del SIG acta whose verification code is `raw_code`, or None."""
    from committee.models import Session

    code = normalise_verification_code(raw_code or "")
    return Session.objects.filter(status=Session.Status.CLOSED, acta_verification_code=code or "").first()


def find_record(raw_code: str | None) -> DocumentVersion | Session | None:
    """A controlled copy of a document version, else a closed acta. Both lookups always run,
    so the work done says nothing about which kind of record (if any) matched."""
    version = find_version(raw_code)
    acta = find_acta(raw_code)
    return version if version is not None else acta


@dataclass(frozen=True)
class PublicFacts:
    """What the verification answers; every field is None when the code matched nothing."""

    found: bool
    verification_code: str | None = None
    document_code: str | None = None
    title: str | None = None
    version: str | None = None
    status: str | None = None
    status_label: str | None = None
    obsolete_on: datetime.date | None = None
    obsolete_reason: str | None = None
    approved_on: datetime.date | None = None
    approval_instrument: str | None = None
    effective_on: datetime.date | None = None
    controlled_sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


NOT_FOUND = PublicFacts(found=False)


def facts(version: DocumentVersion | Session | None) -> PublicFacts:
    if version is None:
        return NOT_FOUND
    if not isinstance(version, DocumentVersion):
        return acta_facts(version)
    obsolete = version.status == VersionStatus.OBSOLETE
    return PublicFacts(
        found=True,
        verification_code=version.verification_code,
        document_code=version.document.code,
        title=version.document.title,
        version=version.label,
        status=version.status,
        status_label=str(version.get_status_display()),
        obsolete_on=version.obsolete_on if obsolete else None,
        obsolete_reason=(version.obsolete_reason or None) if obsolete else None,
        approved_on=version.approved_on,
        approval_instrument=version.approval_instrument or None,
        effective_on=version.effective_on,
        controlled_sha256=version.controlled_sha256 or None,
    )


def acta_facts(session: Session) -> PublicFacts:
    """A closed acta, as its header prints it: code, version 01, the session's date."""
    from committee.acta import acta_code

    return PublicFacts(
        found=True,
        verification_code=session.acta_verification_code,
        document_code=acta_code(session),
        title=f"Acta de sesión {session.number}",
        version="01",
        status=VersionStatus.CURRENT,
        status_label=str(session.get_status_display()),
        approved_on=timezone.localdate(session.date),
        controlled_sha256=session.acta_sha256 or None,
    )


# --- comparing an uploaded copy --------------------------------------------------------------


class HashedCopy(UploadedFile[bytes]):
    """What stays of an uploaded copy (as request.FILES holds it): name, size and SHA-256 —
    never its bytes."""

    def __init__(self, name: str, size: int, sha256: str) -> None:
        super().__init__(file=None, name=name, content_type="application/octet-stream", size=size)
        self.sha256 = sha256


class HashingUploadHandler(FileUploadHandler):
    """Upload handler that hashes each file while it streams in and keeps nothing. Files over
    SIG_MAX_UPLOAD_MB are marked `too_large` and no longer hashed."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.max_bytes = settings.SIG_MAX_UPLOAD_MB * 1024 * 1024
        self.too_large = False
        self._digest = hashlib.sha256()
        self._size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._digest = hashlib.sha256()
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > self.max_bytes:
            self.too_large = True
        else:
            self._digest.update(raw_data)

    def file_complete(self, file_size: int) -> HashedCopy | None:
        if self._size > self.max_bytes:
            return None
        return HashedCopy(name=self.file_name or "", size=self._size, sha256=self._digest.hexdigest())


def check_copy(copy: Any, *, too_large: bool, field: str = "file") -> HashedCopy:
    """The hashed copy, or a ServiceError for a missing, empty or oversize upload."""
    if too_large:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": settings.SIG_MAX_UPLOAD_MB}, field=field)
    if not isinstance(copy, HashedCopy):
        raise ServiceError(_("Choose the file of your copy."), field=field)
    if copy.size == 0:
        raise ServiceError(_("The file is empty."), field=field)
    return copy


def is_identical(version: DocumentVersion | Session | None, copy: HashedCopy) -> bool:
    """Whether the copy is byte for byte the controlled PDF of `version` (or the acta PDF)."""
    if isinstance(version, DocumentVersion):
        expected = version.controlled_sha256
    else:
        expected = version.acta_sha256 if version is not None else ""
    return bool(expected) and hmac.compare_digest(expected, copy.sha256)
