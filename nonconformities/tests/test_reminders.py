"""An NC's overdue corrective action escalates through the action tracker's daily job to its
owner and to the NC managers (the kind's managers)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from actions.reminders import remind_actions
from nonconformities.tests.helpers import action, analysed, raise_nc

pytestmark = pytest.mark.django_db


def test_an_overdue_corrective_action_is_escalated_to_the_nc_managers(
    ut_cusco, cmg, tecnico, settings, django_capture_on_commit_callbacks
):
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    item = action(nc, ut_cusco, ut_cusco, due=datetime.date(2020, 7, 1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        remind_actions(datetime.date(2020, 7, 2))
    about = [m for m in mail.outbox if item.number in m.body]
    to = {addr for m in about for addr in m.to}
    assert {ut_cusco.email, cmg.email, tecnico.email} <= to
