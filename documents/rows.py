"""The master list's rows, written in Python (issue 10).

Profiled at the small bench size, the row loop of documents/_document_rows.html cost ~11 ms of a
~22 ms page (50 rows × ~25 tags, an include of the status badge per row). This writes the same
markup, byte for byte (documents/tests/test_rows.py renders the old template as the oracle);
every text is escaped, dates are the active language's SHORT_DATE_FORMAT."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.rows import DateWriter, escape, table_rows, url_pattern
from documents.models import Document
from documents.templatetags.document_tags import status_badge, status_label


class DocumentRowWriter:
    def __init__(self, today: datetime.date, due_limit: datetime.date) -> None:
        self.today = today
        self.due_limit = due_limit
        self.date = DateWriter()
        self.detail = url_pattern("documents:document_detail")
        self.origin = url_pattern("documents:document_origin")
        self.origin_text = escape(_("issued record: see its source"))
        self.overdue = escape(_("overdue"))
        self.badges: dict[str, str] = {}
        self.types: dict[int, str] = {}

    def badge(self, status: str) -> str:
        """documents/_status_badge.html (its file ends with a newline)."""
        out = self.badges.get(status)
        if out is None:
            out = self.badges[status] = (
                f'<span class="badge {escape(status_badge(status))}" data-status="{escape(status)}">'
                f"{escape(status_label(status))}</span>\n"
            )
        return out

    def type_name(self, d: Document) -> str:
        out = self.types.get(d.document_type_id)
        if out is None:
            out = self.types[d.document_type_id] = escape(d.document_type.name_l)
        return out

    def review(self, d: Document) -> str:
        day = d.next_review_on
        if d.current_version is None or not day:
            return "—"
        if day < self.today:
            return f'<span class="badge danger" data-review="overdue">{self.date(day)} · {self.overdue}</span>'
        if day <= self.due_limit:
            return f'<span class="badge warn" data-review="due">{self.date(day)}</span>'
        return self.date(day)

    def row(self, d: Document) -> str:
        code = escape(d.code)
        title = escape(d.title)
        if d.is_external:
            title += f' <span class="muted">({escape(d.external_issuer)})</span>'
        if d.origin_type_id:
            title += (
                f' <a class="muted" href="{self.origin.format(d.pk)}" data-testid="record-origin">'
                f"({self.origin_text})</a>"
            )
        current = d.current_version
        version = f"{escape(current.label)} · {self.date(current.effective_on)}" if current is not None else "—"
        return (
            f'\n    <tr data-code="{code}">\n'
            f'      <td><a href="{self.detail.format(d.pk)}">{code}</a></td>\n'
            f"      <td>{title}</td>\n"
            f"      <td>{self.type_name(d)}</td>\n"
            f"      <td>{escape(d.owner_unit.code)}</td>\n"
            f"      <td>{version}</td>\n"
            f"      <td>{self.badge(d.status)}</td>\n"
            f"      <td>{self.review(d)}</td>\n"
            "    </tr>\n  "
        )

    def rows(self, documents: Iterable[Document]) -> SafeString:
        return table_rows(map(self.row, documents), columns=7, empty=_("No documents match."))
