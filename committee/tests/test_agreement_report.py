"""The follow-up report of the Committee's acuerdos ("Actas de reuniones del Comité del SIG" is
a product of the plan): every acuerdo with its session, responsible, due date, status, days
late and closing, as XLSX and as PDF in the seed's format."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.services import set_action_status
from audit.models import AuditEvent
from committee.tests.helpers import agreement, flat, make_session, pdf_text

pytestmark = pytest.mark.django_db

XLSX = reverse("committee:agreement_report", args=["xlsx"])
PDF = reverse("committee:agreement_report", args=["pdf"])


@pytest.fixture
def acuerdos(cmg, uppm, ut_cusco):
    session = make_session(cmg, "T07-2020", "05/03/2020")
    late = agreement(session, cmg, ut_cusco, "Remitir el informe de avance de la UT Cusco", datetime.date(2020, 4, 15))
    done = agreement(session, cmg, uppm, "Actualizar el mapa de procesos del SIG", datetime.date(2020, 5, 30))
    set_action_status(done, status="done", note="Mapa aprobado con RDE N.° 050-2020", by=uppm,
                      on=datetime.date(2020, 5, 20))  # fmt: skip
    return late, done


def rows_of(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_xlsx_has_one_row_per_acuerdo_with_status_and_days_late(client_as, lector, acuerdos):
    response = client_as(lector).get(XLSX)
    assert response.status_code == 200
    rows = rows_of(response)
    header, body = rows[0], {row[2]: row for row in rows[1:]}
    assert header[:4] == ("Sesión", "Fecha de sesión", "N.° de acuerdo", "Acuerdo")
    late = body["T07-2020-01"]
    assert late[0] == "T07-2020" and late[3] == "Remitir el informe de avance de la UT Cusco"
    assert late[4] == "Carmen Condori Huallpa" and late[7] == "Pendiente" and late[8] == "Sí"
    assert late[9] == (timezone.localdate() - datetime.date(2020, 4, 15)).days
    done = body["T07-2020-02"]
    assert done[7] == "Cumplido" and done[8] == "No" and done[9] is None
    assert done[11] == "Mapa aprobado con RDE N.° 050-2020"


@pytest.mark.pdf
def test_the_pdf_lists_the_acuerdos_in_the_seed_format(client_as, cmg, acuerdos):
    response = client_as(cmg).get(PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    assert "SEGUIMIENTO DE ACUERDOS DEL COMITÉ DEL SIG" in text.upper() and "Página: 1 de" in text
    assert "Remitir el informe de avance de la UT Cusco" in text and "Actualizar el mapa de procesos del SIG" in text
    assert "Cumplido" in text and "Pendiente" in text


def test_each_export_is_recorded_in_the_audit_trail(client_as, cmg, acuerdos):
    client = client_as(cmg)
    before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
    client.get(XLSX)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == before + 1


def test_only_central_roles_get_the_report(client_as, ut_cusco, no_role_user, acuerdos):
    for user in (ut_cusco, no_role_user):
        assert client_as(user).get(XLSX).status_code == 404
        assert client_as(user).get(PDF).status_code == 404


def test_an_unknown_format_is_not_found(client_as, cmg):
    assert client_as(cmg).get(reverse("committee:agreement_report", args=["csv"])).status_code == 404


@pytest.mark.pdf
def test_the_pdf_draws_acuerdos_by_status_as_a_picture_above_the_table(client_as, cmg, acuerdos):
    """The chart is vector drawing in the PDF (SVG rendered by WeasyPrint), with its labels as text."""
    from committee.reports import AgreementFollowUp

    report = AgreementFollowUp(cmg)
    chart = report.context()["chart"]
    values = {(row.label, b.series.key): b.value for row in chart.rows for b in row.bars}
    rows = report.rows()
    pending = [i for i, _s in rows if i.status == "pending"]
    assert values[("Pendiente", "overdue")] == sum(1 for i in pending if i.is_overdue(timezone.localdate())) >= 1
    assert values[("Cumplido", "on_time")] == sum(1 for i, _s in rows if i.status == "done") >= 1
    response = client_as(cmg).get(PDF)
    text = flat(pdf_text(response.content))
    assert "A tiempo o cerrados" in text and "Vencidos" in text  # the legend, under the picture
    assert text.index("Vencidos") < text.index("Remitir el informe de avance de la UT Cusco")
