"""The one PDF renderer: a print template (extending reports/base_print.html) and a context in,
PDF bytes out (WeasyPrint).

Every printed page carries the seed's frame: a header with the entity, the title, the code, the
version and "Página: X de Y", and a footer with the uncontrolled-copy legend and, when the
report has one, the verification code with its URL and QR. Areas build a `PrintFrame` with
`print_frame()` and put it in the context as `frame`.

Rendering never fetches anything: only data: URIs are loaded (no file://, no HTTP), so text
written by users cannot make the server read local files or call internal addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from reports.qr import qr_data_uri

BASE_TEMPLATE = "reports/base_print.html"
MM_TO_PT = 72 / 25.4
VERIFY_PATH = "/verifica/"


@dataclass(frozen=True)
class PageGeometry:
    """Page size and margins in millimetres. The header and footer live in the margins, so
    code that places content on a rendered page (e.g. stamping an uploaded PDF) uses these
    same numbers to find the body area."""

    width: float = 210.0
    height: float = 297.0
    top: float = 33.0
    right: float = 18.0
    bottom: float = 37.0
    left: float = 18.0

    @property
    def body_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def body_height(self) -> float:
        return self.height - self.top - self.bottom

    def landscape(self) -> PageGeometry:
        return PageGeometry(self.height, self.width, self.top, self.right, self.bottom, self.left)


A4 = PageGeometry()


@dataclass(frozen=True)
class PrintFrame:
    """What the header and footer of every page show."""

    entity_name: str
    ministry: str
    entity_short_name: str
    title: str
    code: str = ""
    version: str = ""
    # Uncontrolled-copy legend ("… fuera del entorno del <portal> …"); empty: no legend.
    portal_name: str = ""
    verification_code: str = ""
    verification_url: str = ""  # the page where any code can be typed in
    verification_link: str = ""  # that page with this code filled in (what the QR encodes)
    qr: str = ""
    # Diagonal text on every page, e.g. for a version that is not vigente.
    watermark: str = ""


def verification_url() -> str:
    return settings.SITE_URL + VERIFY_PATH


def verification_link(code: str) -> str:
    """What the QR encodes: the verification page with the code filled in."""
    return f"{verification_url()}?codigo={code}"


def _ministry(sector: str) -> str:
    # "Ministerio de Desarrollo e Inclusión Social (MIDIS)" → the name as the state's header shows it.
    return re.sub(r"\s*\([A-Z]{2,}\)\s*$", "", sector or "")


def print_frame(
    *,
    entity: Any,
    title: str,
    code: str = "",
    version: str = "",
    verification_code: str = "",
    uncontrolled_legend: bool = True,
    watermark: str = "",
) -> PrintFrame:
    """Build the page frame from an organization.Entity and the report's identity."""
    return PrintFrame(
        entity_name=entity.name,
        ministry=_ministry(entity.sector),
        entity_short_name=entity.short_name,
        title=title,
        code=code,
        version=version,
        portal_name=(entity.portal_name or entity.short_name) if uncontrolled_legend else "",
        verification_code=verification_code,
        verification_url=verification_url() if verification_code else "",
        verification_link=verification_link(verification_code) if verification_code else "",
        qr=qr_data_uri(verification_link(verification_code)) if verification_code else "",
        watermark=watermark,
    )


def _url_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=1, allow_redirects=False)


def render_html(template_name: str, context: dict[str, Any]) -> str:
    ctx = {"page": A4, **context}
    return render_to_string(template_name, ctx)


def html_document(html: str) -> Any:
    """Lay out `html` and return WeasyPrint's Document (pages with their anchors), for callers
    that need to know where things landed before writing the PDF."""
    from weasyprint import HTML  # slow import: only when printing

    return HTML(string=html, base_url=None, url_fetcher=_url_fetcher()).render()


def render_document(template_name: str, context: dict[str, Any]) -> Any:
    return html_document(render_html(template_name, context))


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a rendered print template. Same HTML gives the same bytes."""
    pdf: bytes = html_document(html).write_pdf()
    return pdf


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a print template to PDF bytes. Same inputs give the same bytes."""
    pdf: bytes = render_document(template_name, context).write_pdf()
    return pdf
