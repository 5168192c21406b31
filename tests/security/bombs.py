"""Decompression bombs, generated at test time (never committed): valid-looking DOCX and XLSX
packages whose main part expands to far more than the file's size."""

from __future__ import annotations

import functools
import io
import zipfile

CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
CHUNK = b"<si><t>" + b"A" * 1000 + b"</t></si>"


def _package(main: str, big_part: str, expanded_mb: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(main, "<workbook/>" if main.startswith("xl/") else "<w:document/>")
        with archive.open(big_part, "w", force_zip64=True) as part:
            block = CHUNK * 1024  # ~1 MB
            for _ in range(expanded_mb):
                part.write(block)
    return out.getvalue()


@functools.cache
def xlsx_bomb(expanded_mb: int = 256) -> bytes:
    """An XLSX of a few hundred KB whose shared strings expand to `expanded_mb` MB."""
    return _package("xl/workbook.xml", "xl/sharedStrings.xml", expanded_mb)


@functools.cache
def docx_bomb(expanded_mb: int = 256) -> bytes:
    return _package("word/document.xml", "word/document2.xml", expanded_mb)
