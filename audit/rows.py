"""The audit trail's rows, written in Python (issue 10).

Profiled at the small bench size, the row loop of audit/event_list.html was most of the page (50
rows, each with a date formatted through the locale machinery, the record kind's and changed
fields' labels through filters). This writes the same markup, byte for byte
(audit/tests/test_rows.py renders the old template as the oracle); every text is escaped."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from audit import labels
from audit.models import AuditEvent
from core.rows import DateWriter, escape, table_rows, url_pattern


class EventRowWriter:
    def __init__(self) -> None:
        self.detail = url_pattern("audit:event_detail")
        self.moment = DateWriter("SHORT_DATETIME_FORMAT")
        self.actions: dict[str, str] = {}

    def action(self, ev: AuditEvent) -> str:
        out = self.actions.get(ev.action)
        if out is None:
            out = self.actions[ev.action] = escape(ev.get_action_display())
        return out

    def row(self, ev: AuditEvent) -> str:
        site = escape(ev.site) if ev.site else "—"
        return (
            "\n  <tr>\n"
            f'    <td><a href="{self.detail.format(ev.pk)}">{ev.pk}</a></td>\n'
            f"    <td>{self.moment(ev.timestamp)}</td>\n"
            f"    <td>{escape(ev.actor_label)}</td>\n"
            f"    <td>{self.action(ev)}</td>\n"
            f'    <td><span class="muted">{escape(labels.record_kind(ev.object_type))}</span> '
            f"{escape(ev.object_repr)}</td>\n"
            f"    <td>{site}</td>\n"
            f"    <td>{escape(labels.changed_fields(ev.object_type, ev.changes))}</td>\n"
            "  </tr>\n  "
        )

    def rows(self, events: Iterable[AuditEvent]) -> SafeString:
        return table_rows(map(self.row, events), columns=7, empty=_("No entries match."), lead="")
