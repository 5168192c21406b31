"""Slow work happens outside locks: the PDFs a service issues (controlled copies, actas) are
printed before the service opens its transaction, so no other audited write or login waits on
WeasyPrint (STYLE 6c). The probe records, when printing starts, how deep the connection is in
atomic blocks compared with the test's own, and how many audit entries the service wrote."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from audit.models import AuditEvent
from committee import acta
from committee import services as committee_services
from committee.tests.helpers import attend, make_session
from documents import controlled
from documents import services as document_services
from documents.tests.api_support import draft, latest, load_types

pytestmark = pytest.mark.django_db


class Probe:
    def __init__(self) -> None:
        self.baseline = len(connection.savepoint_ids)
        self.events_before = AuditEvent.objects.count()
        self.seen: list[tuple[int, int]] = []

    def __call__(self, real: Any) -> Any:
        def printing(*args: Any, **kwargs: Any) -> Any:
            self.seen.append((len(connection.savepoint_ids) - self.baseline, AuditEvent.objects.count()))
            return real(*args, **kwargs)

        return printing


def test_publishing_prints_the_controlled_copy_before_its_transaction(monkeypatch, cmg, uppm, direccion):
    load_types()
    version = latest(draft(cmg, "Procedimiento impreso fuera del candado"))
    document_services.submit_for_review(version, by=cmg)
    document_services.review(version, by=uppm)
    document_services.approve(version, by=direccion, instrument="RDE 1", approved_on=datetime.date(2024, 3, 1))
    probe = Probe()
    monkeypatch.setattr(controlled, "render_controlled_pdf", probe(controlled.render_controlled_pdf))
    document_services.publish(version, by=direccion, effective_on=datetime.date(2024, 3, 2))
    assert probe.seen, "the controlled copy was not printed"
    depth, events = probe.seen[0]
    assert depth == 0, "printed inside the service's transaction"
    assert events == probe.events_before, "printed after the service wrote to the audit trail"


def test_closing_an_acta_prints_it_before_its_transaction(monkeypatch, cmg, direccion, uppm):
    session = make_session(cmg, "T09-2020")
    attend(session, cmg, direccion, uppm)
    probe = Probe()
    monkeypatch.setattr(acta, "html_to_pdf", probe(acta.html_to_pdf))
    import reports.pdf

    monkeypatch.setattr(reports.pdf, "html_to_pdf", probe(reports.pdf.html_to_pdf))
    committee_services.close_acta(session, by=cmg)
    assert probe.seen
    depth, events = probe.seen[0]
    assert depth == 0 and events == probe.events_before
