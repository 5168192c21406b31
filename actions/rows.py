"""The action tracker's rows, written in Python (issue 10).

Profiled at the bench's large size, the row loop of actions/item_list.html was most of the
coordinator's overdue list (~26 ms in-process for ~2 ms of SQL): 50 rows of ~240 variable
lookups each, a due badge through an inclusion tag and a status form per row. This writes the
same markup, byte for byte (actions/tests/test_rows.py renders the old template as the oracle);
every text is escaped, dates are the active language's SHORT_DATE_FORMAT."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import ActionItem
from core.deadlines import badge, days_late, due_state
from core.rows import DateWriter, escape, table_rows, url_pattern


class ItemRowWriter:
    """`item.status_choices` and `item.origin` are the view's (actions.views.item_list)."""

    def __init__(self, request: HttpRequest, today: datetime.date) -> None:
        self.request = request
        self.today = today
        self.date = DateWriter()
        self.detail = url_pattern("actions:item_detail")
        self.status_url = url_pattern("actions:item_status")
        self.new_status = escape(_("New status"))
        self.note = escape(_("Closing note"))
        self.change = escape(_("Change"))
        self.next = escape(request.get_full_path())
        self.token: str | None = None  # read when a row first needs it, as the template did
        self.kinds: dict[str, str] = {}
        self.statuses: dict[str, str] = {}
        self.options: dict[tuple[tuple[str, str], ...], str] = {}

    def kind(self, item: ActionItem) -> str:
        out = self.kinds.get(item.kind)
        if out is None:
            out = self.kinds[item.kind] = escape(item.kind_label)
        return out

    def status(self, item: ActionItem) -> str:
        out = self.statuses.get(item.status)
        if out is None:
            out = self.statuses[item.status] = escape(item.get_status_display())
        return out

    def due_badge(self, due: datetime.date | None) -> str:
        """core/_due_badge.html through the `due_badge` tag (its file ends with a newline)."""
        if not isinstance(due, datetime.date):
            return "\n"
        state = due_state(due, self.today)
        if state is None:
            return f"{self.date(due)}\n"
        late = days_late(due, self.today)
        text = self.date(due)
        if late:
            # blocktranslate inserts the translation as it is and its escaped (unlocalised int) count
            text += " · " + ngettext("%(n)s day late", "%(n)s days late", late) % {"n": late}
        return f'<span class="badge {escape(badge(state))}" data-due="{escape(state)}">{text}</span>\n'

    def due(self, item: ActionItem) -> str:
        if item.is_open:
            out = self.due_badge(item.due_date)
        else:
            out = self.date(item.due_date) or "—"
        return out if item.due_date else out + "—"

    def responsible(self, item: ActionItem) -> str:
        person, unit = item.responsible, item.responsible_unit
        out = escape(person.get_full_name() or person.username) if person is not None else ""
        if unit is not None:
            out += f' <span class="muted">({escape(unit.code)})</span>'
        return out if person is not None or unit is not None else "—"

    def select(self, choices: list[tuple[str, str]]) -> str:
        key = tuple(choices)
        out = self.options.get(key)
        if out is None:
            out = self.options[key] = "".join(
                f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices
            )
        return out

    def status_form(self, item: ActionItem) -> str:
        choices = item.status_choices  # type: ignore[attr-defined]
        if not choices:
            return "—"
        if self.token is None:
            self.token = escape(get_token(self.request))
        pk = item.pk
        return (
            f'\n        <form method="post" action="{self.status_url.format(pk)}" class="inline-status"'
            ' data-testid="status-form">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.token}">\n'
            f'          <input type="hidden" name="next" value="{self.next}">\n'
            f'          <label for="status-{pk}" class="sr-only">{self.new_status}</label>\n'
            f'          <select id="status-{pk}" name="status">{self.select(choices)}</select>\n'
            f'          <label for="note-{pk}" class="sr-only">{self.note}</label>\n'
            f'          <input id="note-{pk}" name="note" type="text" maxlength="4000" placeholder="{self.note}">\n'
            f'          <button type="submit" class="btn small">{self.change}</button>\n'
            "        </form>\n      "
        )

    def row(self, item: ActionItem) -> str:
        number = escape(item.number)
        due = item.due_date
        overdue = "yes" if item.is_open and due and due < self.today else "no"
        origin = item.origin  # type: ignore[attr-defined]
        source = f'<br><a href="{escape(origin[1])}">{escape(origin[0])}</a>' if origin else ""
        closed = f" · {self.date(item.closed_on)}" if item.closed_on else ""
        return (
            f'\n    <tr data-number="{number}" data-status="{escape(item.status)}" data-overdue="{overdue}">\n'
            f'      <td><a href="{self.detail.format(item.pk)}">{number or item.pk}</a><br>'
            f'<span class="muted">{self.kind(item)}</span>\n'
            f"        {source}</td>\n"
            f"      <td>{escape(item.title)}</td>\n"
            f"      <td>{self.responsible(item)}</td>\n"
            f"      <td>{self.due(item)}</td>\n"
            f"      <td>{self.status(item)}{closed}</td>\n"
            f"      <td>{self.status_form(item)}</td>\n"
            "    </tr>\n  "
        )

    def rows(self, items: Iterable[ActionItem]) -> SafeString:
        return table_rows(map(self.row, items), columns=6, empty=_("No items match."))
