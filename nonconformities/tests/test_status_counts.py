"""The NCs per site and status kept by the services (StatusCount, issue 10): after every kind of
transition they equal a count over the NCs themselves, for central and UT users, and the home
panel shows the figures the count over every NC showed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from actions.access import action_items_visible_to
from actions.models import ActionItem
from nonconformities import counts, hooks, services
from nonconformities.access import ncs_visible_to
from nonconformities.models import ACTION_KIND, Nonconformity, StatusCount
from nonconformities.tests.helpers import action, analysed, in_verification, raise_nc

pytestmark = pytest.mark.django_db
USERS = ["cmg", "uppm", "ut_cusco", "ut_puno", "lector", "no_role_user"]


def _counted(user: Any) -> dict[str, int]:
    """The panel's figures as they were read: a count over the NCs the user sees."""
    return dict(ncs_visible_to(user).order_by().values_list("status").annotate(n=Count("pk")))


def _old_panel_items(user: Any) -> list[tuple[str, int]]:
    S = Nonconformity.Status
    got = _counted(user)
    overdue = (
        action_items_visible_to(user)
        .filter(
            kind=ACTION_KIND,
            status__in=[ActionItem.Status.PENDING, ActionItem.Status.IN_PROGRESS],
            due_date__lt=timezone.localdate(),
        )
        .count()
    )
    return [(str(label), got.get(value, 0)) for value, label in S.choices if value != S.CLOSED] + [
        ("Overdue corrective actions", overdue)
    ]


def _check(request: pytest.FixtureRequest) -> None:
    for who in USERS:
        user = request.getfixturevalue(who)
        assert counts.counts_for(user) == _counted(user), who
        panel = hooks._panel(user)
        if panel is None:
            assert not _counted(user)
            continue
        got = [(str(label), n) for label, n in panel["items"]]
        want = _old_panel_items(user)
        assert [n for _, n in got] == [n for _, n in want], who


def test_the_counters_follow_every_transition(
    request: pytest.FixtureRequest, ut_cusco: Any, ut_puno: Any, cmg: Any
) -> None:
    _check(request)  # the demo's NCs, counted by the migration / the services that made them
    nc = raise_nc(ut_cusco)
    other = raise_nc(ut_puno, site_code="UT-PUN")
    _check(request)
    analysed(nc, ut_cusco)  # open -> analysis
    analysed(other, ut_puno)
    _check(request)
    action(nc, ut_cusco, ut_cusco)
    services.take_step(nc, action="approve_plan", by=cmg)
    _check(request)
    services.take_step(nc, action="execute", by=ut_cusco)
    _check(request)
    waiting, _item = in_verification(ut_cusco, cmg)
    _check(request)
    services.verify_effectiveness(waiting, rating="ineffective", note="Persisten expedientes sin firma.", by=cmg)
    _check(request)  # reopened: back to analysis
    closing, _item = in_verification(ut_cusco, cmg)
    services.verify_effectiveness(closing, rating="effective", note="Muestreo sin hallazgos.", by=cmg)
    _check(request)  # closed


def test_recount_rebuilds_the_same_counters(ut_cusco: Any, cmg: Any) -> None:
    """What the bench's bulk load and the migration do: one GROUP BY over the NCs."""
    analysed(raise_nc(ut_cusco), ut_cusco)
    kept = sorted(StatusCount.objects.filter(n__gt=0).values_list("site_id", "status", "n"))
    StatusCount.objects.all().delete()
    counts.recount()
    assert sorted(StatusCount.objects.filter(n__gt=0).values_list("site_id", "status", "n")) == kept
    assert sum(n for _s, _t, n in kept) == Nonconformity.objects.count()
