"""The stored open flag (ActionItem.open) and the queries that read it instead of the status
(issue 10): the flag follows every way a status is written, and each page's query gives the same
rows, in the same order, as the status-based query it replaced, for central and UT users."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from actions.access import action_items_visible_to
from actions.forms import ActionFilterForm
from actions.models import ActionItem
from actions.selectors import OPEN, filter_items, open_assigned_to
from actions.services import create_action, set_action_status
from actions.tests.helpers import acuerdo, session
from organization.models import OrgUnit

pytestmark = pytest.mark.django_db
S = ActionItem.Status
OPEN_STATUSES = [S.PENDING, S.IN_PROGRESS]
USERS = ["cmg", "uppm", "ut_cusco", "ut_puno", "lector", "no_role_user"]


def _flag(item: ActionItem) -> bool:
    return ActionItem.objects.values_list("open", flat=True).get(pk=item.pk)


@pytest.fixture
def items(cmg: Any, ut_cusco: Any, ut_puno: Any, uppm: Any) -> list[ActionItem]:
    """Acuerdos of both UTs and the centre, on the same and on different days, some with no due
    date, some assigned to a unit with nobody named; then moved through every status."""
    s = session(cmg)
    today = timezone.localdate()
    made = []
    for n, who in enumerate([ut_cusco, ut_puno, uppm, ut_cusco, ut_puno, uppm, ut_cusco, ut_cusco]):
        due = None if n % 4 == 3 else today + datetime.timedelta(days=(n % 3 - 1) * 7)
        made.append(acuerdo(s, cmg, who, f"Acuerdo {n}", due))
    for unit_owner in [ut_cusco, ut_puno, ut_cusco]:
        made.append(
            create_action(
                kind=ActionItem.AGREEMENT,
                source=s,
                title=f"Para la unidad de {unit_owner.username}",
                site=unit_owner.site,
                by=cmg,
                responsible_unit=unit_owner.unit,
                due_date=today - datetime.timedelta(days=3),
            )
        )
    set_action_status(made[0], status=S.IN_PROGRESS, by=cmg)
    set_action_status(made[1], status=S.CANCELLED, note="Sin efecto.", by=cmg)
    set_action_status(made[2], status=S.IN_PROGRESS, by=cmg)
    set_action_status(made[2], status=S.CANCELLED, note="Sustituido.", by=cmg)
    return made


def test_the_flag_follows_the_status_whichever_way_it_is_written(items: list[ActionItem], cmg: Any) -> None:
    for item in ActionItem.objects.all():
        assert _flag(item) is item.is_open, item
    item = items[3]
    assert _flag(item) is True
    set_action_status(item, status=S.IN_PROGRESS, by=cmg)
    assert _flag(item) is True
    # a bulk write (as the bench's loaders or a data migration would make) keeps it too
    ActionItem.objects.filter(pk=item.pk).update(status=S.DONE)
    assert _flag(item) is False
    ActionItem.objects.filter(pk=item.pk).update(status=S.PENDING)
    assert _flag(item) is True


def _old_filter(qs: Any, data: dict[str, Any], today: datetime.date) -> Any:
    """actions.selectors.filter_items as it was: the open statuses by name."""
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("status") == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("overdue"):
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    return qs


FILTERS: list[dict[str, Any]] = [
    {},
    {"overdue": True},
    {"status": OPEN},
    {"status": OPEN, "overdue": True},
    {"status": S.DONE, "overdue": True},
    {"kind": ActionItem.AGREEMENT, "overdue": True},
    {"status": S.CANCELLED},
]


@pytest.mark.parametrize("who", USERS)
def test_the_list_gives_the_same_rows_in_the_same_order_as_the_status_query(
    items: list[ActionItem], who: str, request: pytest.FixtureRequest, cmg: Any
) -> None:
    user = request.getfixturevalue(who)
    today = timezone.localdate()

    def both() -> list[tuple[list[int], list[int]]]:
        visible = action_items_visible_to(user)
        return [
            (
                list(filter_items(visible, data, today).order_by("due_date", "pk").values_list("pk", flat=True)),
                list(_old_filter(visible, data, today).order_by("due_date", "pk").values_list("pk", flat=True)),
            )
            for data in FILTERS
        ]

    before = both()
    for new, old in before:
        assert new == old
    for item in (items[4], items[6]):  # transitions in between, at either UT
        set_action_status(item, status=S.DONE, note="Cumplido.", by=cmg)
        for new, old in both():
            assert new == old


def _old_pending(user: Any, limit: int) -> list[ActionItem]:
    """What actions.hooks._pending read before: one query with OR over the status index."""
    mine = Q(responsible=user)
    if getattr(user, "unit_id", None) is not None:
        mine |= Q(responsible__isnull=True, responsible_unit_id=user.unit_id)
    return list(action_items_visible_to(user).filter(mine, status__in=OPEN_STATUSES).order_by("due_date", "pk")[:limit])


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_pending_work_is_the_same_as_the_single_query(
    items: list[ActionItem], who: str, limit: int, request: pytest.FixtureRequest, cmg: Any
) -> None:
    """Merged from two queries (the person's, the unit's), cut at the limit, scoped in Python."""
    user = request.getfixturevalue(who)
    assert open_assigned_to(user, limit) == _old_pending(user, limit)
    set_action_status(items[6], status=S.DONE, note="Cumplido.", by=cmg)
    assert open_assigned_to(user, limit) == _old_pending(user, limit)


def test_pending_work_of_a_unit_outside_the_users_scope_is_not_shown(ut_cusco: Any, cmg: Any) -> None:
    """An item assigned to the person's unit but filed under a site they do not see stays out,
    as the site-scoped query left it out."""
    s = session(cmg)
    other_site = OrgUnit.objects.exclude(site=ut_cusco.site).exclude(site__isnull=True).first()
    assert other_site is not None
    create_action(
        kind=ActionItem.AGREEMENT,
        source=s,
        title="De otra sede",
        site=other_site.site,
        by=cmg,
        responsible_unit=ut_cusco.unit,
        due_date=timezone.localdate(),
    )
    assert open_assigned_to(ut_cusco, 100) == _old_pending(ut_cusco, 100)
    assert all(i.site_id == ut_cusco.site_id for i in open_assigned_to(ut_cusco, 100))


def _plan(qs: Any) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner has no statistics to go by")
def test_on_sqlite_the_overdue_page_walks_its_index_in_order(items: list[ActionItem], cmg: Any, ut_cusco: Any) -> None:
    """No sort of every open overdue item (a temporary B-tree): the page stops after its rows.
    The filter's people and units of a UT are found through the person's / unit's index."""
    today = timezone.localdate()
    central = filter_items(action_items_visible_to(cmg), {"overdue": True}, today).order_by("due_date", "pk")[:50]
    ut = filter_items(action_items_visible_to(ut_cusco), {"overdue": True}, today).order_by("due_date", "pk")[:50]
    assert "action_open_due_idx" in _plan(central) and "TEMP B-TREE" not in _plan(central)
    assert "action_site_open_due_idx" in _plan(ut) and "TEMP B-TREE" not in _plan(ut)
    form = ActionFilterForm(visible=action_items_visible_to(ut_cusco))
    assert "action_responsible_site_idx" in _plan(form.fields["responsible"].queryset)  # type: ignore[attr-defined]
    assert "action_unit_site_idx" in _plan(form.fields["unit"].queryset)  # type: ignore[attr-defined]
