"""Public verification of issued documents (no login): the page /verifica/ and the JSON
endpoint /api/v1/public/verify/{code} both go through this module, for every kind of record an
area registers (core.registry.VerifiableKind) and issues (reports.IssuedDocument).

Codes must not be enumerable, so every lookup answers alike whether the code is right, wrong
or malformed: the same HTTP status (200: "not found" is an answer, not an error), the same
template or the same JSON keys (null values when nothing matches), and at least
SIG_VERIFY_MIN_MS milliseconds from the start of the request (`pad`). Lookups are rate-limited
per client address (SIG_VERIFY_MAX_PER_HOUR, counted in VerificationAttempt); over the limit
the answer is 429 whatever the code.

What a code shows is what its record's publicity allows: a confidential or restricted
document's code confirms that it is authentic and its status, never its title.

An uploaded copy is never stored, not even in a temporary file: `HashingUploadHandler` hashes
the bytes as they arrive and drops them."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import string
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from core import registry
from core.services import ServiceError
from reports.models import IssuedDocument, VerificationAttempt

ALPHABET = string.ascii_uppercase
WINDOW = datetime.timedelta(hours=1)
# Attempts older than this are deleted as new ones arrive (the table is a rate limiter and a
# short log, not an archive).
KEEP = datetime.timedelta(days=30)


# --- codes ---------------------------------------------------------------------------------


def new_verification_code() -> str:
    """7 random uppercase letters (26^7 ≈ 8·10^9) from the OS CSPRNG, free in every kind of
    issued document; unique by a database constraint besides."""
    for _attempt in range(20):
        code = "".join(secrets.choice(ALPHABET) for _ in range(7))
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code
    raise RuntimeError("could not draw a free verification code")  # pragma: no cover - 8e9 codes


def normalise_verification_code(raw: str) -> str | None:
    code = (raw or "").strip().upper()
    return code if len(code) == 7 and all(c in ALPHABET for c in code) else None


def issue(
    *,
    obj: models.Model,
    kind: str,
    verification_code: str,
    code: str,
    title: str,
    version: str,
    sha256: str,
    by: Any = None,
) -> IssuedDocument:
    """Register an issued PDF so that /verifica/ finds it. Runs inside the caller's transaction."""
    if kind not in registry.verifiable_kinds():
        raise ValueError(f"{kind!r} is not a registered verifiable kind")
    return IssuedDocument.objects.create(
        verification_code=verification_code,
        kind=kind,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        code=code[:100],
        title=title[:500],
        version=version[:10],
        sha256=sha256,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
    )


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


@dataclass(frozen=True)
class PublicFacts:
    """What the verification answers; every field is None when the code matched nothing.
    `title` is None too when the record's publicity classification keeps it private."""

    found: bool
    verification_code: str | None = None
    kind: str | None = None
    kind_label: str | None = None
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
    restricted: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


NOT_FOUND = PublicFacts(found=False)


def find(raw_code: str | None) -> IssuedDocument | None:
    """The issued document whose verification code is `raw_code`, or None. A malformed code
    costs the same query as a well-formed one."""
    code = normalise_verification_code(raw_code or "")
    return IssuedDocument.objects.filter(verification_code=code or "").select_related("object_type").first()


def facts(issued: IssuedDocument | None) -> PublicFacts:
    """The public facts of an issued document, from the area that registered its kind."""
    if issued is None:
        return NOT_FOUND
    kind = registry.verifiable_kinds().get(issued.kind)
    obj = issued.issued_object
    if kind is None or obj is None:
        return NOT_FOUND
    out = kind.facts(obj)
    return out if isinstance(out, PublicFacts) else NOT_FOUND


def is_identical(issued: IssuedDocument | None, copy: HashedCopy) -> bool:
    """Whether the copy is byte for byte the PDF that was issued."""
    expected = issued.sha256 if issued is not None else ""
    return bool(expected) and hmac.compare_digest(expected, copy.sha256)


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
