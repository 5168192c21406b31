"""The acta PDF in the seed's format: header with the title, code and "Página X de Y"; place,
date and time; attendees with positions and the quorum line; agenda and its development;
acuerdos with responsible and due date; signatures; verification code once closed. The
closed acta downloads exactly as stored (its SHA-256 is what /verifica/ answers)."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from committee import services
from committee.acta import acta_context, render_acta_pdf
from committee.tests.helpers import agreement, attend, detail_url, flat, make_session, pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]


@pytest.fixture
def held(cmg, direccion, uppm, ut_cusco):
    session = make_session(cmg, "T03-2020", guests="Silvia Villanueva Gavidia (secretaria técnica)")
    attend(session, cmg, direccion, uppm)
    topic = session.agenda.first()
    assert topic is not None
    services.update_agenda_item(topic, data={"notes": "Se presentó el avance de la **etapa 1**."}, by=cmg)
    services.update_session(session, data={"minutes": "La sesión concluyó a las 11:40."}, by=cmg)
    agreement(session, cmg, ut_cusco, "Remitir el informe de avance de la UT Cusco", datetime.date(2020, 4, 15))
    agreement(session, cmg, uppm, "Actualizar el mapa de procesos del SIG", datetime.date(2020, 5, 30))
    return session


def test_the_closed_acta_carries_the_session_the_attendees_the_acuerdos_and_its_code(held, cmg):
    session = services.close_acta(held, by=cmg)
    with session.acta_pdf.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == session.acta_sha256
    text = flat(pdf_text(data))
    assert "ACTA DE SESIÓN ORDINARIA N.° T03-2020" in text
    assert "Código: CSIG-T03-2020" in text and "Página: 1 de" in text
    assert "Jessica Niño de Guzmán Esaine" in text and "Directora Ejecutiva" in text
    assert "Diana Silva Pretel" in text
    assert "Quórum: 2 de 2 miembros — quórum alcanzado" in text
    assert "Revisión del Plan de Desarrollo del SIG 2020" in text and "Se presentó el avance de la etapa 1" in text
    assert "La sesión concluyó a las 11:40." in text
    assert "T03-2020-01" in text and "Remitir el informe de avance de la UT Cusco" in text
    assert "Carmen Condori Huallpa" in text and "15/04/2020" in text
    assert "05/03/2020" in text and "10:00" in text
    assert session.acta_verification_code in text and "BORRADOR" not in text


def test_an_open_session_prints_as_a_draft_without_a_verification_code(held):
    text = flat(pdf_text(render_acta_pdf(held)))
    assert "BORRADOR" in text and "código de verificación" not in text.lower()
    assert "T03-2020" in text and "Página: 1 de" in text


def test_the_quorum_line_says_when_it_is_not_reached(cmg, uppm):
    session = make_session(cmg, "T04-2020")
    attend(session, cmg, uppm)
    context = acta_context(session)
    assert context["quorum"] == {"members": 2, "present": 1, "reached": False}
    assert "Quórum: 1 de 2 miembros — quórum no alcanzado" in flat(pdf_text(render_acta_pdf(session)))


def test_the_acta_is_printed_in_spanish_whatever_the_reader_language(held, client_as, cmg):
    client = client_as(cmg)
    client.cookies["sig_language"] = "en"
    response = client.get(detail_url(held, "acta_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    assert "5 de marzo de 2020" in text and "Asistentes" in text


def test_the_closed_acta_downloads_byte_for_byte_as_stored(held, client_as, cmg, lector):
    session = services.close_acta(held, by=cmg)
    response = client_as(lector).get(detail_url(session, "acta_pdf"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == session.acta_sha256
    assert f"acta-{session.number}.pdf" in response["Content-Disposition"]


def test_a_ut_head_cannot_download_an_acta(held, client_as, ut_cusco):
    assert client_as(ut_cusco).get(detail_url(held, "acta_pdf")).status_code == 404
