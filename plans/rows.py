"""The plan's activity list rows, written in Python (issue 10).

Profiled at the bench's large size, the delayed activities of plan 19 took ~30 ms in-process for
~1 ms of SQL: the row loop of plans/_activity_rows.html included three templates per row (sites,
progress, status badge). This writes the same markup, byte for byte (plans/tests/test_rows.py
renders the old template as the oracle); every text is escaped, dates are the active language's
SHORT_DATE_FORMAT."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.template.defaultfilters import floatformat, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.rows import DateWriter, escape, table_rows, truncate, url_pattern
from plans.models import Activity

# plans/_activity_status.html: derived status → the badge's extra class.
BADGE_CLASSES = {"completed": " ok", "delayed": " danger", "in_progress": " warn"}


class ActivityRowWriter:
    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.date = DateWriter()
        self.detail = url_pattern("plans:activity_detail")
        self.progress_label = escape(_("Progress"))
        labels = {str(value): str(label) for value, label in Activity.Status.choices}
        labels["delayed"] = _("Delayed")
        self.badges = {
            status: (
                f'<span class="badge{BADGE_CLASSES.get(status, "")}" data-status="{escape(status)}">'
                f"{escape(label)}</span>\n"
            )
            for status, label in labels.items()
        }

    def status(self, a: Activity) -> str:
        """plans/_activity_status.html (its file ends with a newline)."""
        st = a.display_status(self.today)
        out = self.badges.get(st)
        if out is None:  # a stored value outside the choices: shown as it is, as get_status_display does
            out = self.badges[st] = f'<span class="badge" data-status="{escape(st)}">{escape(st)}</span>\n'
        return out

    def sites(self, a: Activity) -> str:
        """plans/_sites.html with sites=a.sites.all (its file ends with a newline)."""
        sites = list(a.sites.all())
        if not sites:
            return '<span class="muted">—</span>\n'
        chips = "".join(
            f'<span class="badge site-chip" data-site="{escape(s.code)}" title="{escape(s.name)}">{escape(s.code)}</span> '
            for s in sites
        )
        n = len(sites)
        if n > 4:
            # blocktranslate inserts the translation as it is and its (unlocalised int) count
            summary = ngettext("%(n)s site", "%(n)s sites", n) % {"n": n}
            chips = f'<details class="plan-sites"><summary>{summary}</summary>{chips}</details>'
        return chips + "\n"

    def progress(self, value: int, label: str) -> str:
        """plans/_progress.html with value=a.progress label=a.code (its file ends with a newline)."""
        aria = f"{self.progress_label} {label}" if label else self.progress_label
        return (
            f'<span class="plan-progress"><progress value="{value}" max="100" aria-label="{aria}: {value} %">'
            f'{value} %</progress> <span data-progress="{value}">{value} %</span></span>\n'
        )

    def row(self, a: Activity) -> str:
        code = escape(a.code)
        return (
            f'\n    <tr data-activity="{code}">\n'
            f'      <td><a href="{self.detail.format(a.pk)}">{code}</a></td>\n'
            f"      <td>{escape(truncate(a.title, 160))}</td>\n"
            f"      <td>{a.stage.number}</td>\n"
            f"      <td>{escape(a.responsible_unit.code)}</td>\n"
            f"      <td>{self.sites(a)}</td>\n"
            f"      <td>{self.date(a.planned_start)} – {self.date(a.planned_end)}</td>\n"
            f"      <td>{self.progress(a.progress, code)}</td>\n"
            f"      <td>{self.status(a)}</td>\n"
            "    </tr>\n  "
        )

    def rows(self, activities: Iterable[Activity]) -> SafeString:
        return table_rows(map(self.row, activities), columns=8, empty=_("No activities match."))


class ProgressTableWriter:
    """The rows of the dashboard's progress tables (per stage, per responsible unit, per site),
    as plans/plan_dashboard.html wrote them with a loop that included plans/_progress.html per row
    (issue 10: ~60 rows of the biggest plan, a quarter of the page's template time). Byte for byte
    the old loop's markup (plans/tests/test_dashboard_rows.py keeps it as the oracle)."""

    def __init__(self, activities_url: str) -> None:
        self.activities_url = escape(activities_url)
        self.progress_label = escape(_("Progress"))

    def progress(self, avg: Any, label: Any) -> str:
        """{% with avg=r.avg|default:0|floatformat:"0" %}{% include "plans/_progress.html" with
        value=avg label=… %}: the average as a whole percent (half up), the label escaped."""
        value = floatformat(avg or 0, "0")
        aria = f"{self.progress_label} {escape(label)}" if label else self.progress_label
        return (
            f'<span class="plan-progress"><progress value="{value}" max="100" aria-label="{aria}: {value} %">'
            f'{value} %</progress> <span data-progress="{value}">{value} %</span></span>\n'
        )

    def _rows(self, rows: list[dict[str, Any]], attribute: str, param: str, cells: Any) -> SafeString:
        out = []
        for r in rows:
            key, head, label, query = cells(r)
            out.append(
                f'<tr data-{attribute}="{key}">\n'
                f'    <td><a href="{self.activities_url}?{param}={query}">{head}</td>\n'
                f"    <td>{r['n']}</td>\n"
                f"    <td>{self.progress(r['avg'], label)}</td>\n"
                f'    <td><a href="{self.activities_url}?{param}={query}&amp;status=delayed" data-figure="delayed">'
                f"{r['delayed']}</a></td>\n"
                "  </tr>"
            )
        return mark_safe("".join(out) or '<tr><td colspan="4">—</td></tr>')  # noqa: S308 - every text escaped

    def stages(self, rows: list[dict[str, Any]]) -> SafeString:
        def cells(r: dict[str, Any]) -> tuple[str, str, Any, str]:
            number = escape(r["stage__number"])
            return number, f"{number}. {escape(r['stage__name'])}</a>", r["stage__name"], number

        return self._rows(rows, "stage", "stage", cells)

    def _coded(self, rows: list[dict[str, Any]], attribute: str, param: str, prefix: str) -> SafeString:
        def cells(r: dict[str, Any]) -> tuple[str, str, Any, str]:
            code = r[f"{prefix}__code"]
            shown = escape(code)
            head = f'{shown}</a> <span class="muted">{escape(r[f"{prefix}__name"])}</span>'
            return shown, head, code, escape(urlencode(code))

        return self._rows(rows, attribute, param, cells)

    def units(self, rows: list[dict[str, Any]]) -> SafeString:
        return self._coded(rows, "unit", "unit", "responsible_unit")

    def sites(self, rows: list[dict[str, Any]]) -> SafeString:
        return self._coded(rows, "site", "site", "sites")
