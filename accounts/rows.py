"""The people list's rows, written in Python (issue 10).

Profiled at the small bench size, the row loop of accounts/_person_rows.html cost ~11 ms for 50
people (~20 lookups per row and a loop over each person's roles). This writes the same markup,
byte for byte (accounts/tests/test_rows.py renders the old template as the oracle); every text
is escaped."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, User
from core.rows import escape, table_rows, url_pattern


class PersonRowWriter:
    def __init__(self) -> None:
        self.detail = url_pattern("accounts:person_detail")
        self.active = f'<span class="badge ok">{escape(_("active"))}</span>'
        self.deactivated = f'<span class="badge danger">{escape(_("deactivated"))}</span>'
        self.role_labels: dict[str, str] = {}

    def role(self, a: RoleAssignment) -> str:
        label = self.role_labels.get(a.role)
        if label is None:
            label = self.role_labels[a.role] = escape(a.get_role_display())
        site = a.site
        return f"{label} ({escape(site)})" if site and not site.is_central else label

    def row(self, p: User) -> str:
        assignments = p.active_roles  # type: ignore[attr-defined]
        roles = "; ".join(self.role(a) for a in assignments) if assignments else "—"
        site = escape(p.site) if p.site else "—"
        return (
            "\n    <tr>\n"
            f'      <td><a href="{self.detail.format(p.pk)}">{escape(p.get_full_name() or p.username)}</a></td>\n'
            f"      <td>{escape(p.username)}</td>\n"
            f"      <td>{escape(p.position)}</td>\n"
            f"      <td>{site}</td>\n"
            f"      <td>{roles}</td>\n"
            f"      <td>{self.active if p.is_active else self.deactivated}</td>\n"
            "    </tr>\n  "
        )

    def rows(self, people: Iterable[User]) -> SafeString:
        return table_rows(map(self.row, people), columns=6, empty=_("No people match."))
