from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from django.test import Client
from pypdf import PdfWriter

RECEIPT = re.compile(r'data-testid="receipt">([\d ]+)<')


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def file_public(client: Client, facts: str, **extra: Any) -> str:
    """File through the public page; the receipt's digits."""
    data = {"category": "bribery", "facts": facts, **extra}
    response = client.post("/denuncias/", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    match = RECEIPT.search(response.content.decode())
    assert match, "no receipt shown"
    return match.group(1).replace(" ", "")


def unlock(client: Client, password: str | None = None) -> None:
    response = client.post("/denuncias/casos/clave/", {"password": password or settings.SIG_DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
