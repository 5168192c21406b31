"""Opening a case with 50 messages and 20 attachments (the issue's benchmark): everything is
decrypted for the officer, and in well under a second of crypto work per attachment."""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest
from django.test import Client

from core.files import InspectedFile
from whistleblowing import crypto, services
from whistleblowing.models import Case
from whistleblowing.tests.helpers import pdf_bytes, unlock

pytestmark = pytest.mark.django_db


def test_open_case_with_50_messages_and_20_attachments(integridad: Any, capsys: Any) -> None:
    data = pdf_bytes() + b"%" + b"x" * 500_000  # about half a megabyte each
    inspected = InspectedFile(kind="pdf", size=len(data), sha256="0" * 64, text="", data=data)
    filed = services.file_case(
        facts="Caso grande de prueba",
        channel=Case.Channel.WEB,
        attachments=[(inspected, f"a{i}.pdf") for i in range(10)],
    )
    found = services.open_with_receipt(filed.receipt)
    assert found is not None
    case, key = found
    services.filer_reply(case, key, body="Más archivos", attachments=[(inspected, f"a{i}.pdf") for i in range(10, 20)])
    for i in range(49):
        services.filer_reply(case, key, body=f"Mensaje {i + 1} del denunciante")
    officer = Client()
    officer.force_login(integridad)
    unlock(officer)
    started = time.monotonic()
    page = officer.get(f"/denuncias/casos/{case.pk}/")
    page_seconds = time.monotonic() - started
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mensaje 49 del denunciante" in body and "a19.pdf" in body
    key_view = services.member_key_for(integridad)
    assert key_view is not None
    private = services.unlock_member_key(key_view, "juntos2020")
    assert private is not None
    started = time.monotonic()
    for a in case.attachments.all():
        meta, content = services.read_attachment(case, a.pk, by=integridad, private_key=private)
        assert content == data
    download_seconds = time.monotonic() - started
    with capsys.disabled():
        sys.stdout.write(f"\n[bench] open case 50 messages + 20 attachments: page {page_seconds * 1000:.0f} ms; "
              f"decrypt 20 × {len(data) // 1024} KiB attachments {download_seconds * 1000:.0f} ms\n")  # fmt: skip
    assert case.messages.count() == 50 and case.attachments.count() == 20
    assert page_seconds < 20  # generous: a shared, loaded test machine
    assert crypto.decrypt(key, bytes(case.facts_ct)) == b"Caso grande de prueba"
