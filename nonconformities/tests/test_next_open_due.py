"""The NC's stored earliest open due date (next_open_due, which the register's overdue filter
reads) always equals the one computed from its actions, after every step of the loop; and the
overdue filter returns the same NCs, in the same order, as the lookup of the actions it replaced."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from actions.models import ActionItem
from actions.selectors import OPEN_STATUSES
from actions.services import set_action_status
from nonconformities import services
from nonconformities.access import ncs_visible_to
from nonconformities.models import EffectivenessCheck, Nonconformity
from nonconformities.selectors import filter_ncs, open_due_of, register_rows
from nonconformities.tests.helpers import action, analysed, done_with_evidence, raise_nc

pytestmark = pytest.mark.django_db


def _check(nc: Nonconformity) -> datetime.date | None:
    nc.refresh_from_db()
    assert nc.next_open_due == open_due_of([nc.pk]).get(nc.pk)
    return nc.next_open_due


def test_the_stored_date_follows_every_transition(ut_cusco, cmg, auditor):
    nc = raise_nc(ut_cusco)
    assert _check(nc) is None
    analysed(nc, ut_cusco)
    assert _check(nc) is None
    late = action(nc, ut_cusco, ut_cusco, due=datetime.date(2020, 7, 1))
    assert _check(nc) == datetime.date(2020, 7, 1)
    later = action(nc, ut_cusco, ut_cusco, due=datetime.date(2020, 9, 1))
    earliest = action(nc, ut_cusco, ut_cusco, due=datetime.date(2020, 6, 15))
    assert _check(nc) == datetime.date(2020, 6, 15)
    services.take_step(nc, action="approve_plan", by=cmg)
    services.take_step(nc, action="execute", by=ut_cusco)
    assert _check(nc) == datetime.date(2020, 6, 15)
    set_action_status(earliest, status=ActionItem.Status.IN_PROGRESS, by=ut_cusco)
    assert _check(nc) == datetime.date(2020, 6, 15)  # in progress is still open
    set_action_status(earliest, status=ActionItem.Status.CANCELLED, note="Sustituida", by=cmg)
    assert _check(nc) == datetime.date(2020, 7, 1)
    done_with_evidence(late, ut_cusco)
    assert _check(nc) == datetime.date(2020, 9, 1)
    done_with_evidence(later, ut_cusco)
    assert _check(nc) is None
    services.take_step(nc, action="request_verification", by=ut_cusco)
    services.verify_effectiveness(nc, rating=EffectivenessCheck.Rating.INEFFECTIVE, note="Persiste", by=auditor)
    assert _check(nc) is None
    again = action(nc, ut_cusco, ut_cusco, due=datetime.date(2020, 12, 1))
    assert _check(nc) == datetime.date(2020, 12, 1)
    done_with_evidence(again, ut_cusco)
    assert _check(nc) is None


def _old_overdue(qs, today: datetime.date):
    """The filter as it was: a lookup of each NC's open actions past their due date."""
    return qs.filter(
        Exists(
            ActionItem.objects.filter(
                source_type=ContentType.objects.get_for_model(Nonconformity),
                source_id=OuterRef("pk"),
                status__in=OPEN_STATUSES,
                due_date__lt=today,
            )
        )
    )


@pytest.mark.parametrize("username", ["cmg", "ut.cusco"])
def test_the_overdue_filter_returns_what_the_action_lookup_returned(username, ut_cusco, cmg):
    from accounts.models import User

    for site_code, due in [("UT-CUS", datetime.date(2020, 7, 1)), ("UT-PUN", datetime.date(2020, 6, 2)), ("SC", None)]:
        nc = analysed(raise_nc(cmg, site_code=site_code, grade="major"), cmg)
        if due is not None:
            action(nc, cmg, None, due=due)
    user = User.objects.get(username=username)
    base = ncs_visible_to(user)
    for today in (datetime.date(2020, 6, 20), datetime.date(2020, 7, 2), datetime.date.today()):
        for data in ({"overdue": "on"}, {"overdue": "on", "grade": "major"}, {"overdue": "on", "site": None}):
            new = list(register_rows(filter_ncs(base, data, today), today).values_list("pk", flat=True))
            rest = {k: v for k, v in data.items() if k != "overdue"}
            old = list(
                register_rows(_old_overdue(filter_ncs(base, rest, today), today), today).values_list("pk", flat=True)
            )
            assert new == old
    assert Nonconformity.objects.filter(next_open_due__isnull=False).exists()
