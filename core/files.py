"""Upload checks: the type is decided by the content, not the name; size is limited; the
SHA-256 is recorded; text is extracted for search."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.services import ServiceError

ALLOWED = {"pdf", "docx", "xlsx"}
_OOXML_MAIN = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class InspectedFile:
    kind: str
    size: int
    sha256: str
    text: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """'pdf', 'docx', 'xlsx' or None, from the bytes alone."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        for kind, main in _OOXML_MAIN.items():
            if main in names:
                return kind
    return None


def extract_text(kind: str, data: bytes, limit: int = 200_000) -> str:
    """Best-effort plain text for search; never raises on odd files."""
    try:
        if kind == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            out = []
            for page in reader.pages[:200]:
                out.append(page.extract_text() or "")
                if sum(map(len, out)) > limit:
                    break
            return "\n".join(out)[:limit]
        if kind in _OOXML_MAIN:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                parts = [n for n in zf.namelist() if n == _OOXML_MAIN[kind] or n.startswith("xl/sharedStrings")]
                xml = " ".join(zf.read(n)[:2_000_000].decode("utf-8", "ignore") for n in parts)
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", xml)).strip()[:limit]
    except Exception:  # noqa: BLE001 - unreadable content only loses search text
        return ""
    return ""


def inspect_upload(upload: Any, *, field: str = "file") -> InspectedFile:
    """Validate an uploaded file (Django UploadedFile or bytes-like with .read/.name)."""
    max_bytes = settings.SIG_MAX_UPLOAD_MB * 1024 * 1024
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": settings.SIG_MAX_UPLOAD_MB}, field=field)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": settings.SIG_MAX_UPLOAD_MB}, field=field)
    if not data:
        raise ServiceError(_("The file is empty."), field=field)
    kind = sniff(data)
    name = (getattr(upload, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if kind is None:
        raise ServiceError(_("Only PDF, DOCX and XLSX files are accepted."), field=field)
    if ext != kind:
        raise ServiceError(
            _("The content is %(kind)s but the name ends in .%(ext)s.") % {"kind": kind.upper(), "ext": ext or "—"},
            field=field,
        )
    return InspectedFile(
        kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(), text=extract_text(kind, data), data=data
    )
