"""One `Report` type for every deliverable the seed names (actas, controlled copies,
cronogramas, follow-up reports, audit reports, matrices…).

A report has an identity (code, title, version, file name), builds one context from the data,
and from that same context gives a PDF in the seed's format (a print template extending
reports/base_print.html: header with code, version and "Página X de Y", uncontrolled-copy
legend, verification code and QR when issued) and, when it has tables, an XLSX. Downloads are
audited (EXPORT). A report issued with a verification code is registered in the table of issued
documents (reports.IssuedDocument), so /verifica/ checks it.

    class FollowUp(Report):
        template = "committee/print/agreements.html"
        landscape = True
        def identity(self): return Identity(code="", title="Seguimiento de acuerdos", filename="seguimiento")
        def context(self): return {"rows": ...}
        def sheets(self, ctx): return [Sheet("Acuerdos", HEADER, ctx["rows"])]

    return FollowUp(user).download(request, "pdf")
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone, translation

from audit.services import Subject
from core import registry
from core.exports import XLSX_TYPE, xlsx_workbook
from core.http import PDF, audited_download
from reports.pdf import A4, PrintFrame, html_to_pdf, print_frame, render_html


@dataclass(frozen=True)
class Identity:
    title: str
    filename: str  # without extension; a timestamp is added for reports that are not issued
    code: str = ""
    version: str = ""


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


class Report:
    template: ClassVar[str] = ""
    landscape: ClassVar[bool] = False
    uncontrolled_legend: ClassVar[bool] = True
    # Printed in Spanish whatever the reader's language (the seed's documents are).
    language: ClassVar[str] = "es"
    # The subject of the audit entry written on each download ("<app>.<model>" of what it reports on).
    audit_type: ClassVar[str] = "reports.report"

    # --- what a report defines ----------------------------------------------------------------

    def identity(self) -> Identity:
        raise NotImplementedError  # pragma: no cover - every report defines it

    def context(self) -> dict[str, Any]:
        raise NotImplementedError  # pragma: no cover - every report defines it

    def sheets(self, context: dict[str, Any]) -> list[Sheet]:
        """The XLSX's sheets from the same context; none when the report is PDF only."""
        return []

    def watermark(self) -> str:
        return ""

    def audit_subject(self) -> Any:
        """What each download's audit entry is about: a record, or a Subject of the report."""
        return Subject(self.audit_type, "", self.identity().title[:300])

    # --- what the platform does with it ---------------------------------------------------------

    def frame(self, verification_code: str = "") -> PrintFrame:
        ident = self.identity()
        return print_frame(
            entity=registry.entity(),
            title=ident.title,
            code=ident.code,
            version=ident.version,
            verification_code=verification_code,
            uncontrolled_legend=self.uncontrolled_legend,
            watermark=self.watermark(),
        )

    def html(self, verification_code: str = "") -> str:
        with translation.override(self.language):
            ctx = {
                "frame": self.frame(verification_code),
                "page": A4.landscape() if self.landscape else A4,
                "printed_at": timezone.localtime(),
                **self.context(),
            }
            return render_html(self.template, ctx)

    def pdf(self, verification_code: str = "") -> bytes:
        return html_to_pdf(self.html(verification_code))

    def xlsx(self) -> bytes:
        with translation.override(self.language):
            sheets = self.sheets(self.context())
            if not sheets:
                raise Http404
            return xlsx_workbook([(s.title, s.header, s.rows, s.widths) for s in sheets])

    def filename(self, fmt: str) -> str:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return f"{self.identity().filename}-{stamp}.{fmt}"

    def download(self, request: HttpRequest, fmt: str, changes: dict[str, Any] | None = None) -> HttpResponseBase:
        """The report as PDF or XLSX, with its EXPORT entry in the audit trail."""
        if fmt == "pdf":
            content, content_type = self.pdf(), PDF
        elif fmt == "xlsx":
            content, content_type = self.xlsx(), XLSX_TYPE
        else:
            raise Http404
        return audited_download(
            request,
            filename=self.filename(fmt),
            content_type=content_type,
            content=content,
            subject=self.audit_subject(),
            changes={"format": fmt, **(changes or {})},
        )
