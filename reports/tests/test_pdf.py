"""The shared print frame: every report page carries the header and footer of the seed."""

import io
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from reports.pdf import html_document, print_frame, render_pdf

ENTITY = SimpleNamespace(
    name="Programa Nacional de Apoyo Directo a los Más Pobres “JUNTOS”",
    short_name="Programa JUNTOS",
    sector="Ministerio de Desarrollo e Inclusión Social (MIDIS)",
    portal_name="Portal Web JUNTOS PODEMOS",
)

pytestmark = pytest.mark.pdf


def _text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_has_the_header_legend_and_verification_code() -> None:
    frame = print_frame(
        entity=ENTITY,
        title="Informe de auditoría interna",
        code="PNADP-UPPM-CMG-INF-001",
        version="01",
        verification_code="HIDHUEE",
    )
    with translation.override("es"):  # decimals must not turn into commas inside the page CSS
        pdf = render_pdf("reports/base_print.html", {"frame": frame})

    reader = PdfReader(io.BytesIO(pdf))
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    [text] = _text(pdf)
    assert "Ministerio de Desarrollo e Inclusión Social Programa JUNTOS" in text  # "(MIDIS)" dropped
    assert "INFORME DE AUDITORÍA INTERNA" in text
    assert "Código: PNADP-UPPM-CMG-INF-001" in text
    assert "Versión: 01" in text
    assert "Página: 1 de 1" in text
    assert "fuera del entorno del Portal Web JUNTOS PODEMOS es una COPIA NO CONTROLADA" in text
    assert (
        f"dirección web: {settings.SITE_URL}/verifica/ e ingresando el siguiente código de verificación: HIDHUEE"
        in text
    )


def test_a_report_without_verification_code_has_no_authenticity_paragraph() -> None:
    frame = print_frame(entity=ENTITY, title="Acta", uncontrolled_legend=False)
    [text] = _text(render_pdf("reports/base_print.html", {"frame": frame}))
    assert "Página: 1 de 1" in text
    assert "COPIA NO CONTROLADA" not in text
    assert "copia auténtica" not in text


def test_rendering_loads_data_uris_but_never_local_files(tmp_path) -> None:
    secret = tmp_path / "leak.css"
    secret.write_text('body::after { content: "LEAKED" }')
    html = (
        f'<link rel="stylesheet" href="file://{secret}">'
        '<link rel="stylesheet" href="data:text/css,body::before%7Bcontent:%22INLINE%22%7D"><p>x</p>'
    )
    text = html_document(html).write_pdf()
    [page] = _text(text)
    assert "INLINE" in page
    assert "LEAKED" not in page
