"""Every XLSX and CSV the product writes neutralises formulas and drops what XLSX cannot hold
(issue 7, point 4). The values are stored straight into the database, as old data or an append-only
audit entry may hold them, and then exported through the pages."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from actions.models import ActionItem
from audit.services import Subject, record
from core.exports import csv_value, is_formula_like, sheet_value
from documents.models import Document
from plans.models import Activity, Plan
from tests.security.corpus import FORMULAS, UNHOLDABLE

pytestmark = pytest.mark.django_db


def _storable(value: str) -> bool:
    """PostgreSQL refuses NUL and lone surrogates in text: such values only exist on SQLite."""
    if connection.vendor != "postgresql":
        return True
    return "\x00" not in value and not any(0xD800 <= ord(c) <= 0xDFFF for c in value)


def _cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_safe_xlsx(content: bytes, value: str) -> None:
    cells = _cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a string became a formula"
    # XML reads a carriage return as a newline; a full name is stripped of its outer spaces.
    expected = sheet_value(value).replace("\r", "\n").strip()
    assert any(isinstance(c.value, str) and expected in c.value.replace("\r", "\n") for c in cells), expected


# --- one stored value per export ---------------------------------------------------------------


def _audit_entry(value: str, **_: Any) -> None:
    with transaction.atomic():
        record(actor=value, action="login_failed", obj=Subject("accounts.user", "", value))


def _document_title(value: str, cmg: Any, **_: Any) -> None:
    from documents.tests.page_support import draft

    document = draft(cmg, "Procedimiento exportable")
    Document.objects.filter(pk=document.pk).update(title=value)


def _agreement_title(value: str, cmg: Any, ut_cusco: Any, **_: Any) -> None:
    from committee.tests.helpers import agreement, make_session

    item = agreement(make_session(cmg, "T09-2020", "05/03/2020"), cmg, ut_cusco, "Acuerdo", datetime.date(2020, 4, 1))
    ActionItem.objects.filter(pk=item.pk).update(title=value)


def _activity_title(value: str, cmg: Any, **_: Any) -> None:
    from plans.tests.api_support import add_activity, make_plan

    plan = make_plan(cmg, year=2033)
    activity = add_activity(plan, "1.1", by=cmg)
    Activity.objects.filter(pk=activity.pk).update(title=value)
    Plan.objects.filter(pk=plan.pk).update(title=value)


def _person_name(value: str, **_: Any) -> None:
    User.objects.filter(username="ut.puno").update(first_name=value)


def _plan_url(fmt: str) -> str:
    return reverse("plans:cronograma_xlsx", args=[Plan.objects.get(year=2033).pk])


EXPORTS: list[tuple[str, Callable[..., None], str, Callable[[], str]]] = [
    ("audit xlsx", _audit_entry, "auditor", lambda: "/auditoria/exportar.xlsx"),
    ("master list xlsx", _document_title, "cmg", lambda: "/documentos/exportar/xlsx/"),
    ("acuerdos xlsx", _agreement_title, "cmg", lambda: reverse("committee:agreement_report", args=["xlsx"])),
    ("cronograma xlsx", _activity_title, "cmg", lambda: _plan_url("xlsx")),
    ("access review xlsx", _person_name, "oficial_si", lambda: "/cuenta/personas/revision-accesos/?format=xlsx"),
]


@pytest.mark.parametrize("value", FORMULAS + UNHOLDABLE)
@pytest.mark.parametrize(("name", "store", "reader", "url"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_every_xlsx_export_neutralises_formulas_and_drops_unholdable_characters(
    request, client_as, cmg, ut_cusco, name, store, reader, url, value
):
    if not _storable(value):
        pytest.skip("PostgreSQL cannot store this value")
    store(value, cmg=cmg, ut_cusco=ut_cusco)
    response = client_as(request.getfixturevalue(reader)).get(url())
    assert response.status_code == 200, name
    _assert_safe_xlsx(response.content, value)


@pytest.mark.parametrize("value", FORMULAS + UNHOLDABLE)
def test_the_audit_csv_neutralises_formulas(client_as, auditor, value):
    if not _storable(value):
        pytest.skip("PostgreSQL cannot store this value")
    _audit_entry(value)
    response = client_as(auditor).get("/auditoria/exportar.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    written = [field for row in rows for field in row]
    assert csv_value(value) in written
    assert not [f for f in written if is_formula_like(f)], "a field starts with a formula prefix"


def test_the_stored_text_is_kept_as_written_in_xlsx(client_as, auditor):
    _audit_entry("-5 intentos")
    response = client_as(auditor).get("/auditoria/exportar.xlsx")
    assert "-5 intentos" in [c.value for c in _cells(response.content)]
