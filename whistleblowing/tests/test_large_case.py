"""Opening a case with 50 messages and 20 attachments (the size of issue 13's benchmark, which
times it: whistleblowing/bench.py): everything is decrypted for the officer, the page reads the
attachments' metadata but never their contents, and each download decrypts exactly its file."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from core.files import InspectedFile
from whistleblowing import crypto, services
from whistleblowing.models import Case
from whistleblowing.tests.helpers import pdf_bytes, unlock

pytestmark = pytest.mark.django_db


def _file(i: int) -> tuple[InspectedFile, str]:
    data = pdf_bytes() + b"%" + f"anexo {i} ".encode() * 10_000  # about 90 KB each, all different
    return InspectedFile(kind="pdf", size=len(data), sha256=f"{i:064d}", text="", data=data), f"a{i}.pdf"


def test_open_case_with_50_messages_and_20_attachments(integridad: Any) -> None:
    files = [_file(i) for i in range(20)]
    filed = services.file_case(facts="Caso grande de prueba", channel=Case.Channel.WEB, attachments=files[:10])
    found = services.open_with_receipt(filed.receipt)
    assert found is not None
    case, key = found
    services.filer_reply(case, key, body="Más archivos", attachments=files[10:])
    for i in range(49):
        services.filer_reply(case, key, body=f"Mensaje {i + 1} del denunciante")
    assert case.messages.count() == 50 and case.attachments.count() == 20

    officer = Client()
    officer.force_login(integridad)
    unlock(officer)
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_id=str(case.pk)).count()
    with CaptureQueriesContext(connection) as queries:
        page = officer.get(f"/denuncias/casos/{case.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Caso grande de prueba" in body
    assert all(f"Mensaje {i} del denunciante" in body for i in range(1, 50)) and "Más archivos" in body
    assert all(f"a{i}.pdf" in body for i in range(20))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.READ, object_id=str(case.pk)).count() == reads + 1
    attachment_selects = [q["sql"] for q in queries.captured_queries if "whistleblowing_attachment" in q["sql"]]
    assert attachment_selects, "the page lists the attachments"
    assert not any("data_ct" in sql for sql in attachment_selects), "the page must not load the files' contents"

    for attachment, (inspected, name) in zip(case.attachments.order_by("created_at", "pk"), files, strict=True):
        download = officer.get(f"/denuncias/casos/{case.pk}/adjuntos/{attachment.pk}/")
        assert download.status_code == 200
        assert download.content == inspected.data and name in download["Content-Disposition"]
    assert crypto.decrypt(key, bytes(case.facts_ct)) == b"Caso grande de prueba"
