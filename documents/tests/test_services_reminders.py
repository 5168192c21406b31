"""Periodic-review reminders (`manage.py send_review_reminders`): one e-mail per person listing
the documents in force whose review is overdue or due within 30 days, at most once a day."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from documents import services
from documents.management.commands.send_review_reminders import remind_due_reviews
from documents.models import Document
from documents.tests.page_support import draft, fresh, latest, load_types, vigente

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


@pytest.fixture
def due(cmg, uppm, direccion):
    """Three documents in force: review overdue, due in 20 days, due in 90 days (no reminder);
    and a draft whose date is past (drafts are not reviewed). Demo documents are set far ahead."""
    today = timezone.localdate()
    Document.objects.update(next_review_on=today + datetime.timedelta(days=400))
    overdue = vigente(cmg, uppm, direccion, title="Procedimiento vencido").document
    soon = vigente(cmg, uppm, direccion, title="Procedimiento próximo").document
    later = vigente(cmg, uppm, direccion, title="Procedimiento lejano").document
    pending = draft(cmg, "Borrador")
    for doc, days in ((overdue, -10), (soon, 20), (later, 90), (pending, -10)):
        Document.objects.filter(pk=doc.pk).update(next_review_on=today + datetime.timedelta(days=days))
    return {"overdue": overdue, "soon": soon, "later": later, "draft": pending}


def send(capture) -> None:
    with capture(execute=True):
        call_command("send_review_reminders", verbosity=0)


def test_owners_get_one_mail_listing_their_due_and_overdue_documents(
    mailoutbox, django_capture_on_commit_callbacks, due
):
    send(django_capture_on_commit_callbacks)
    by_person = {m.to[0]: m for m in mailoutbox}
    assert all(len(m.to) == 1 for m in mailoutbox)
    # Drafters and reviewers of a Sede Central procedure: central roles only.
    assert {"cmg@juntos.example", "uppm@juntos.example"} <= set(by_person)
    assert not {
        "ut.cusco@juntos.example",
        "ut.puno@juntos.example",
        "lector@juntos.example",
        "direccion@juntos.example",
    } & set(by_person)
    body = by_person["cmg@juntos.example"].body
    assert due["overdue"].code in body and due["soon"].code in body
    assert due["later"].code not in body and due["draft"].code not in body


def test_running_twice_the_same_day_sends_nothing_more(mailoutbox, django_capture_on_commit_callbacks, due):
    send(django_capture_on_commit_callbacks)
    sent = len(mailoutbox)
    assert sent
    send(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == sent
    assert fresh(due["overdue"]).review_reminded_on == timezone.localdate()


def test_the_next_day_the_reminder_comes_again(mailoutbox, django_capture_on_commit_callbacks, due):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due_reviews(today)[0] == 2
        assert remind_due_reviews(today) == (0, 0)
        assert remind_due_reviews(today + datetime.timedelta(days=1))[0] == 2


def test_a_ut_document_is_reminded_to_its_ut_not_to_another(
    mailoutbox, django_capture_on_commit_callbacks, ut_cusco, cmg, uppm, due
):
    cusco = draft(ut_cusco, "Instructivo Cusco", unit_code="UT-CUS", type_code="I")
    version = latest(cusco)
    services.submit_for_review(version, by=ut_cusco)
    services.review(version, by=cmg)
    services.approve(version, by=uppm, publish_on=timezone.localdate())  # instructivos: the UPPM head approves
    Document.objects.filter(pk=cusco.pk).update(next_review_on=timezone.localdate() - datetime.timedelta(days=1))
    send(django_capture_on_commit_callbacks)
    recipients = {m.to[0]: m.body for m in mailoutbox}
    assert cusco.code in recipients["ut.cusco@juntos.example"]
    assert "ut.puno@juntos.example" not in recipients
    assert due["overdue"].code not in recipients["ut.cusco@juntos.example"]
