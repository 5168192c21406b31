"""The plan dashboard's figures and tables (issue 10): progress per stage, per unit and of the
whole plan now come from one query grouped by (unit, stage) and added up in Python, the planned
and actual progress chart reads its rows without joining the plan, and the three progress tables'
rows are written by plans.rows.ProgressTableWriter instead of a template loop with an include per
row. The page is the old code's, byte for byte: the old selector and the old loops are kept here as
the oracle, on varied data (HTML-special characters in stage names, unit and site codes and names;
an average of exactly one half, rounded up as floatformat does; a unit and a stage whose
activities are all cancelled; delayed and due activities; a plan with no activities), in Spanish
and English, for the central coordinator and a UT head."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Avg, Count, Q
from django.template.defaultfilters import floatformat
from django.utils import timezone

from core.tests.template_oracle import old_templates, without_csrf
from organization.models import OrgUnit, Site
from plans import selectors
from plans.models import Activity, Stage
from plans.selectors import (
    DASHBOARD_ROWS,
    DEADLINE_DAYS,
    _plain,
    _progress_rows,
    agreements_url,
    budget_summary,
    delayed_q,
    due_soon_q,
    plan_activities,
    plan_agreements,
)
from plans.tests.page_support import add_activity, days, plan, plan_url

pytestmark = pytest.mark.django_db

TEMPLATE = Path(settings.BASE_DIR) / "plans" / "templates" / "plans" / "plan_dashboard.html"

# The tables' loops of plans/plan_dashboard.html before their rows were written in Python.
OLD_LOOPS = {
    "stage_rows": """<tbody>{% for r in stages %}<tr data-stage="{{ r.stage__number }}">
    <td><a href="{{ activities_url }}?stage={{ r.stage__number }}">{{ r.stage__number }}. {{ r.stage__name }}</a></td>
    <td>{{ r.n }}</td>
    <td>{% with avg=r.avg|default:0|floatformat:"0" %}{% include "plans/_progress.html" with value=avg label=r.stage__name %}{% endwith %}</td>
    <td><a href="{{ activities_url }}?stage={{ r.stage__number }}&amp;status=delayed" data-figure="delayed">{{ r.delayed }}</a></td>
  </tr>{% empty %}<tr><td colspan="4">—</td></tr>{% endfor %}</tbody>""",
    "unit_rows": """<tbody>{% for r in units %}<tr data-unit="{{ r.responsible_unit__code }}">
    <td><a href="{{ activities_url }}?unit={{ r.responsible_unit__code|urlencode }}">{{ r.responsible_unit__code }}</a> <span class="muted">{{ r.responsible_unit__name }}</span></td>
    <td>{{ r.n }}</td>
    <td>{% with avg=r.avg|default:0|floatformat:"0" %}{% include "plans/_progress.html" with value=avg label=r.responsible_unit__code %}{% endwith %}</td>
    <td><a href="{{ activities_url }}?unit={{ r.responsible_unit__code|urlencode }}&amp;status=delayed" data-figure="delayed">{{ r.delayed }}</a></td>
  </tr>{% empty %}<tr><td colspan="4">—</td></tr>{% endfor %}</tbody>""",
    "site_rows": """<tbody>{% for r in sites %}<tr data-site="{{ r.sites__code }}">
    <td><a href="{{ activities_url }}?site={{ r.sites__code|urlencode }}">{{ r.sites__code }}</a> <span class="muted">{{ r.sites__name }}</span></td>
    <td>{{ r.n }}</td>
    <td>{% with avg=r.avg|default:0|floatformat:"0" %}{% include "plans/_progress.html" with value=avg label=r.sites__code %}{% endwith %}</td>
    <td><a href="{{ activities_url }}?site={{ r.sites__code|urlencode }}&amp;status=delayed" data-figure="delayed">{{ r.delayed }}</a></td>
  </tr>{% empty %}<tr><td colspan="4">—</td></tr>{% endfor %}</tbody>""",
}


def old_template() -> str:
    source = TEMPLATE.read_text(encoding="utf-8")
    for name, loop in OLD_LOOPS.items():
        placeholder = "<tbody>{{ " + name + " }}</tbody>"
        assert source.count(placeholder) == 1
        source = source.replace(placeholder, loop)
    return source


def old_plan_dashboard(user, plan, today=None):
    """plans.selectors.plan_dashboard before issue 10's change: one query per grouping."""
    today = today or timezone.localdate()
    visible = plan_activities(user, plan)
    plain = _plain(visible)
    stages = _progress_rows(plain, "stage__number", "stage__name", today)
    units = _progress_rows(plain, "responsible_unit__code", "responsible_unit__name", today)
    sites = _progress_rows(plain, "sites__code", "sites__name", today)
    totals = plain.aggregate(
        n=Count("pk"),
        avg=Avg("progress", filter=~Q(status=Activity.Status.CANCELLED)),
        delayed=Count("pk", filter=delayed_q(today)),
        due=Count("pk", filter=due_soon_q(today)),
    )
    rows = plain.select_related("responsible_unit")
    agreements = plan_agreements(user, plan, today)
    tasks = list(plan.budget_tasks.all())
    return {
        "today": today,
        "deadline_days": DEADLINE_DAYS,
        "totals": totals,
        "stages": stages,
        "units": units,
        "sites": sites,
        "delayed": list(rows.filter(delayed_q(today)).order_by("planned_end", "pk")[:DASHBOARD_ROWS]),
        "deadlines": list(rows.filter(due_soon_q(today)).order_by("planned_end", "pk")[:DASHBOARD_ROWS]),
        "agreements": list(agreements.order_by("due_date", "pk")[:DASHBOARD_ROWS]),
        "agreements_count": agreements.count(),
        "agreements_url": agreements_url(),
        "budget": budget_summary(plan, tasks),
        "rows_cap": DASHBOARD_ROWS,
    }


def old_dated_rows(user, plan):
    """The progress chart's rows before issue 10: in the model's ordering (joining the plan)."""
    return list(
        _plain(plan_activities(user, plan))
        .exclude(status=Activity.Status.CANCELLED)
        .values_list("planned_start", "planned_end", "actual_start", "actual_end", "progress")
    )


@pytest.fixture
def empty_plan(cmg):
    return plan(cmg, year=timezone.localdate().year - 1)


@pytest.fixture
def varied(cmg, empty_plan):
    p = plan(cmg, year=timezone.localdate().year)
    spans = [(days(-60), days(-1)), (days(-3), days(50)), (days(1), days(6)), (days(10), days(90))]
    site_sets = [("SC",), ("UT-CUS",), ("UT-CUS", "UT-PUN"), (), ("SC", "UT-PUN")]
    statuses = [
        Activity.Status.NOT_STARTED,
        Activity.Status.IN_PROGRESS,
        Activity.Status.COMPLETED,
        Activity.Status.IN_PROGRESS,
    ]
    made = []
    for n in range(18):
        start, end = spans[n % len(spans)]
        unit = ["UPPM-CMG", "UT-CUS", "UPPM-CMG", "UPPM-CSE"][n % 4]
        a = add_activity(
            p,
            f"{n % 3 + 1}.{n}",
            by=cmg,
            stage=n % 3 + 1,
            unit_code=unit,
            sites=site_sets[n % len(site_sets)],
            start=start,
            end=end,
        )
        Activity.objects.filter(pk=a.pk).update(status=statuses[n % 4], progress=[0, 25, 40, 100, 60, 33][n % 6])
        made.append(a)
    # UPPM-CSE's activities all cancelled: no average (shown as 0).
    Activity.objects.filter(plan=p, responsible_unit__code="UPPM-CSE").update(status=Activity.Status.CANCELLED)
    # Stage 3 (its other activities): exactly 12.5 % on average (0, 25, 0, 25 and a cancelled one):
    # floatformat rounds half up to 13.
    stage3 = Activity.objects.filter(plan=p, stage__number=3).exclude(responsible_unit__code="UPPM-CSE").order_by("pk")
    for a, (value, status) in zip(
        stage3,
        [(0, "in_progress"), (25, "completed"), (0, "not_started"), (25, "in_progress"), (90, "cancelled")],
        strict=True,
    ):
        Activity.objects.filter(pk=a.pk).update(progress=value, status=status)
    Stage.objects.filter(plan=p, number=2).update(name="Etapa <b>\"dos\"</b> & 'más'")
    OrgUnit.objects.filter(code="UPPM-CMG").update(code="UPPM<&>\"' x", name="Unidad <i>&</i>")
    Site.objects.filter(code="SC").update(code="S<C>& /x", name="Sede \"Central\" <&> 'x'")
    return p


def _pages(client, plans, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return [without_csrf(client.get(plan_url(p, "plan_dashboard")).content) for p in plans]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_dashboard_is_the_old_codes_byte_for_byte(
    client_as, cmg, ut_cusco, varied, empty_plan, lang, tmp_path, monkeypatch
):
    empty = empty_plan
    seen = {}
    for user in (cmg, ut_cusco):
        new = _pages(client_as(user), [varied, empty], lang)
        with monkeypatch.context() as m, old_templates(tmp_path, {"plans/plan_dashboard.html": old_template()}):
            m.setattr(selectors, "plan_dashboard", old_plan_dashboard)
            m.setattr(selectors, "_dated_rows", old_dated_rows)
            old = _pages(client_as(user), [varied, empty], lang)
        assert new == old
        seen[user.username] = new[0]
    page = seen["cmg"]
    assert b'data-stage="3"' in page and b'data-progress="13"' in page  # 12.5 rounded half up
    assert b"Etapa &lt;b&gt;&quot;dos&quot;&lt;/b&gt; &amp; &#x27;m\xc3\xa1s&#x27;" in page and b"<b>" not in page
    assert b'data-unit="UPPM&lt;&amp;&gt;&quot;&#x27; x"' in page and b"unit=UPPM%3C%26%3E%22%27%20x" in page
    assert b'data-site="S&lt;C&gt;&amp; /x"' in page and b"site=S%3CC%3E%26%20/x" in page
    assert b'data-unit="UPPM-CSE"' in page
    assert seen["ut.cusco"] != page


def test_the_figures_are_the_old_queries(cmg, ut_cusco, varied):
    """Per stage, per unit and the totals as the old queries gave them; the average to the
    database's precision and to the same whole percent the page shows."""
    today = timezone.localdate()
    for user in (cmg, ut_cusco):
        new, old = selectors.plan_dashboard(user, varied, today), old_plan_dashboard(user, varied, today)
        for key in ("stages", "units", "sites", "totals"):
            rows_new = new[key] if key != "totals" else [new[key]]
            rows_old = old[key] if key != "totals" else [old[key]]
            assert [{k: v for k, v in r.items() if k != "avg"} for r in rows_new] == [
                {k: v for k, v in r.items() if k != "avg"} for r in rows_old
            ]
            for a, b in zip(rows_new, rows_old, strict=True):
                assert (a["avg"] is None) == (b["avg"] is None)
                if a["avg"] is not None:
                    assert abs(Decimal(a["avg"]) - Decimal(b["avg"])) < Decimal("1e-9")
                    assert floatformat(a["avg"], "0") == floatformat(b["avg"], "0")
        assert new["units"] and new["stages"] and new["totals"]["n"] > 0
        assert selectors._dated_rows(user, varied) == old_dated_rows(user, varied)
