"""Upload checks: the type is decided by the content, not the name; size is limited; the
SHA-256 is recorded; text is extracted for search.

Zip-based files (DOCX, XLSX, PPTX) are read only through `open_zip()`, which refuses a
decompression bomb before anything is inflated: too many members, more expanded bytes than
SIG_MAX_EXPANDED_MB in all, or a member that expands more than MAX_RATIO times its compressed
size. Members are then read with `read_member()`, which streams and stops at a byte limit. PDFs
are opened through `open_pdf()`, which refuses too many pages or objects, and text extraction
stops after TEXT_SECONDS.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.services import ServiceError

ALLOWED = {"pdf", "docx", "xlsx"}
_OOXML_MAIN = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
# The parts whose text is indexed for search, by kind.
_TEXT_PARTS = {
    "docx": re.compile(r"^word/(document|header\d*|footer\d*)\.xml$"),
    "xlsx": re.compile(r"^xl/sharedStrings\d*\.xml$"),
    "pptx": re.compile(r"^ppt/slides/slide\d+\.xml$"),
}
MAX_MEMBERS = 10_000
MAX_RATIO = 100  # expanded / compressed, for members that expand past RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_PDF_PAGES = 5_000
MAX_PDF_OBJECTS = 2_000_000
TEXT_PAGES = 200
TEXT_SECONDS = 5.0
TEXT_LIMIT = 200_000
PART_LIMIT = 2_000_000


class UnsafeFile(ServiceError):
    """A file refused because reading it would exhaust the server (a bomb, or far too large)."""


@dataclass(frozen=True)
class InspectedFile:
    kind: str
    size: int
    sha256: str
    text: str
    data: bytes


def max_expanded_bytes() -> int:
    return int(settings.SIG_MAX_EXPANDED_MB) * 1024 * 1024


def _bomb(field: str) -> UnsafeFile:
    return UnsafeFile(
        _(
            "The file expands to far more than its size when opened (more than %(mb)s MB, or more than "
            "%(ratio)s times): it looks like a decompression bomb and is refused."
        )
        % {"mb": settings.SIG_MAX_EXPANDED_MB, "ratio": MAX_RATIO},
        field=field,
    )


def open_zip(data: bytes, *, field: str = "file", max_expanded: int | None = None) -> zipfile.ZipFile:
    """A zip archive whose central directory promises nothing dangerous (members, expanded
    size, ratio). zipfile never inflates a member past the size it declares (the CRC check fails),
    so the promise holds while reading. Raises zipfile.BadZipFile for what is not a zip at all."""
    limit = max_expanded if max_expanded is not None else max_expanded_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    total = 0
    safe = len(members) <= MAX_MEMBERS
    for info in members if safe else []:
        total += info.file_size
        ratio_ok = info.file_size <= RATIO_FLOOR or info.file_size <= MAX_RATIO * max(info.compress_size, 1)
        if total > limit or not ratio_ok:
            safe = False
            break
    if not safe:
        archive.close()
        raise _bomb(field)
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most `limit` bytes of a member, inflated in chunks (never the whole member at once)."""
    out = bytearray()
    with archive.open(name) as member:
        while len(out) < limit:
            chunk = member.read(min(64 * 1024, limit - len(out)))
            if not chunk:
                break
            out += chunk
    return bytes(out)


def open_pdf(data: bytes, *, field: str = "file") -> Any:
    """A pypdf reader for a PDF with a bounded number of pages and objects (pypdf itself caps
    what each stream may inflate to)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    size = reader.trailer.get("/Size", 0)
    if int(size) > MAX_PDF_OBJECTS or len(reader.pages) > MAX_PDF_PAGES:
        raise UnsafeFile(
            _("The PDF has more than %(pages)s pages or %(objects)s objects and cannot be processed.")
            % {"pages": MAX_PDF_PAGES, "objects": MAX_PDF_OBJECTS},
            field=field,
        )
    return reader


def sniff(data: bytes, *, field: str = "file") -> str | None:
    """'pdf', 'docx', 'xlsx', 'pptx' or None, from the bytes alone; a zip bomb is refused here."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with open_zip(data, field=field) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        for kind, main in _OOXML_MAIN.items():
            if main in names:
                return kind
    return None


def _pdf_text(data: bytes, limit: int) -> str:
    reader = open_pdf(data)
    deadline = time.monotonic() + TEXT_SECONDS
    out: list[str] = []
    size = 0
    for page in reader.pages[:TEXT_PAGES]:
        text = page.extract_text() or ""
        out.append(text)
        size += len(text)
        if size > limit or time.monotonic() > deadline:
            break
    return "\n".join(out)[:limit]


def _ooxml_text(kind: str, data: bytes, limit: int) -> str:
    with open_zip(data) as archive:
        parts = sorted(n for n in archive.namelist() if _TEXT_PARTS[kind].match(n))
        xml = " ".join(read_member(archive, n, PART_LIMIT).decode("utf-8", "ignore") for n in parts[:50])
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", xml)).strip()[:limit]


def extract_text(kind: str, data: bytes, limit: int = TEXT_LIMIT) -> str:
    """Best-effort plain text for search; never raises on odd files (a bomb is refused before)."""
    try:
        if kind == "pdf":
            return _pdf_text(data, limit)
        if kind in _TEXT_PARTS:
            return _ooxml_text(kind, data, limit)
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
    kind = sniff(data, field=field)
    name = (getattr(upload, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if kind is None or kind not in ALLOWED:
        raise ServiceError(_("Only PDF, DOCX and XLSX files are accepted."), field=field)
    if ext != kind:
        raise ServiceError(
            _("The content is %(kind)s but the name ends in .%(ext)s.") % {"kind": kind.upper(), "ext": ext or "—"},
            field=field,
        )
    if kind == "pdf":
        try:
            open_pdf(data, field=field)
        except UnsafeFile:
            raise
        except Exception:  # noqa: BLE001, S110 - a damaged PDF is accepted as before (attached, not stamped)
            pass
    return InspectedFile(
        kind=kind, size=len(data), sha256=hashlib.sha256(data).hexdigest(), text=extract_text(kind, data), data=data
    )
