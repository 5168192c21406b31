"""Reminders before an item's due date and escalation after it, through the platform's daily
reminder job: to the person who must act, once a day at most, in Spanish, with a link."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from actions.models import ActionItem
from actions.reminders import remind_actions
from actions.tests.helpers import acuerdo, session

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def sent(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://sig.example.gob.pe"
    mail.outbox.clear()

    def run(day: datetime.date = TODAY) -> list:
        with django_capture_on_commit_callbacks(execute=True):
            remind_actions(day)
        out = list(mail.outbox)
        mail.outbox.clear()
        return out

    return run


def _to(messages: list, user, about: str) -> list:
    """The messages to `user` that mention `about` (the demo data has other overdue acuerdos)."""
    return [m for m in messages if user.email in m.to and about in m.body]


def test_the_person_responsible_is_reminded_a_week_and_a_day_before(sent, cmg, ut_cusco):
    item = acuerdo(session(cmg), cmg, ut_cusco, "Remitir el informe de la UT", TODAY + datetime.timedelta(days=7))
    about = "Remitir el informe de la UT"
    messages = _to(sent(), ut_cusco, about)
    assert len(messages) == 1
    assert "por vencer" in messages[0].subject.lower()
    assert f"https://sig.example.gob.pe/acciones/{item.pk}/" in messages[0].body
    assert _to(sent(), ut_cusco, about) == []  # the same day again: nothing more
    assert _to(sent(TODAY + datetime.timedelta(days=1)), ut_cusco, about) == []  # 6 days before
    assert len(_to(sent(TODAY + datetime.timedelta(days=6)), ut_cusco, about)) == 1  # the day before


def test_an_overdue_item_goes_to_its_owner_and_the_managers_of_its_kind_then_weekly(sent, cmg, uppm, ut_cusco):
    about = "Actualizar el mapa de riesgos"
    acuerdo(session(cmg), cmg, ut_cusco, about, TODAY - datetime.timedelta(days=1))
    messages = sent()
    assert _to(messages, ut_cusco, about) and _to(messages, cmg, about) and _to(messages, uppm, about)
    assert "vencid" in _to(messages, cmg, about)[0].subject.lower()
    assert _to(sent(TODAY + datetime.timedelta(days=1)), ut_cusco, about) == []
    assert _to(sent(TODAY + datetime.timedelta(days=7)), ut_cusco, about)


def test_closed_items_are_never_reminded(sent, cmg, ut_cusco):
    item = acuerdo(session(cmg), cmg, ut_cusco, "Ya cumplido", TODAY - datetime.timedelta(days=3))
    ActionItem.objects.filter(pk=item.pk).update(status=ActionItem.Status.DONE)
    assert not any("Ya cumplido" in m.body for m in sent())


def test_the_daily_job_runs_every_registered_reminder(cmg, ut_cusco, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", verbosity=1)
    out = capsys.readouterr().out
    assert "actions.due:" in out and "documents.reviews:" in out


def test_an_acuerdo_assigned_tells_its_owner_at_once_never_the_one_who_recorded_it(
    settings, cmg, ut_cusco, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://sig.example.gob.pe"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        item = acuerdo(session(cmg), cmg, ut_cusco, "Difundir la política antisoborno", TODAY)
        acuerdo(session(cmg, "02-2026"), cmg, cmg, "Preparar el informe de revisión", TODAY)  # her own
    assert [m.to for m in mail.outbox] == [[ut_cusco.email]]
    message = mail.outbox[0]
    assert message.subject == f"[sig] Nueva acción asignada: {item.number}"
    assert "Acuerdo del Comité asignado a usted o a su unidad: Difundir la política antisoborno" in message.body
    assert f"https://sig.example.gob.pe/acciones/{item.pk}/" in message.body
