"""Workflow services and the read-side helpers the pages rely on: who a version waits for, the
one-vigente rule, the search text, and the review dates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from documents import services
from documents.access import documents_visible_to
from documents.models import Document, DocumentVersion, VersionStatus
from documents.selectors import reviews_due, versions_awaiting
from documents.tests.page_support import DAY, draft, fresh, latest, load_types, unit, vigente

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def waiting(user) -> set[int]:
    return set(versions_awaiting(user).values_list("pk", flat=True))


def test_a_version_waits_for_whoever_may_take_its_next_step(cmg, uppm, direccion, lector):
    version = latest(draft(cmg, endorsing_units=[unit("UPPM")]))
    assert version.pk not in waiting(uppm)
    services.submit_for_review(version, by=cmg)
    assert version.pk in waiting(uppm)
    assert version.pk not in waiting(cmg)  # drafted it: may not review it
    assert version.pk not in waiting(direccion) and version.pk not in waiting(lector)
    services.review(version, by=uppm)
    assert version.pk in waiting(uppm)  # endorsement by the UPPM head
    services.endorse(version, by=uppm, unit=unit("UPPM"))
    assert version.pk in waiting(direccion) and version.pk not in waiting(uppm)
    services.approve(version, by=direccion)
    # Approved, waiting for publication: the SIG coordinator, the UPPM head or the director.
    assert version.pk in waiting(cmg) and version.pk in waiting(direccion)
    services.publish(fresh(version), by=cmg)
    assert version.pk not in waiting(cmg) | waiting(uppm) | waiting(direccion)


def test_a_ut_version_waits_for_central_reviewers_but_not_for_another_ut(ut_cusco, ut_puno, uppm):
    version = latest(draft(ut_cusco, "Instructivo Cusco", unit_code="UT-CUS", type_code="I"))
    services.submit_for_review(version, by=ut_cusco)
    assert version.pk in waiting(uppm)
    assert version.pk not in waiting(ut_puno) and version.pk not in waiting(ut_cusco)


def test_only_one_version_is_vigente_and_the_previous_one_becomes_obsolete(cmg, uppm, direccion):
    v1 = vigente(cmg, uppm, direccion)
    v2 = services.start_new_version(v1.document, by=cmg, data={"justification": "Cambio", "content": "v2"})
    services.submit_for_review(v2, by=cmg)
    services.review(v2, by=uppm)
    services.approve(v2, by=direccion, publish_on=DAY + datetime.timedelta(days=30))
    statuses = dict(DocumentVersion.objects.filter(document=v1.document).values_list("number", "status"))
    assert statuses == {1: VersionStatus.OBSOLETE, 2: VersionStatus.CURRENT}
    old = fresh(v1)
    assert old.obsolete_on == DAY + datetime.timedelta(days=30) and "02" in old.obsolete_reason
    document = fresh(v1.document)
    assert document.status == VersionStatus.CURRENT and document.current_version_id == v2.pk


def test_publishing_sets_the_next_review_from_the_review_period(cmg, uppm, direccion):
    version = vigente(cmg, uppm, direccion, review_period_months=12)
    assert fresh(version.document).next_review_on == datetime.date(2025, 3, 1)


def test_reviews_due_lists_documents_in_force_due_within_30_days_or_overdue(cmg, uppm, direccion):
    today = timezone.localdate()
    overdue = vigente(cmg, uppm, direccion, title="Vencido").document
    edge = vigente(cmg, uppm, direccion, title="Justo a 30 días").document
    later = vigente(cmg, uppm, direccion, title="A 31 días").document
    pending = draft(cmg, "Borrador")
    for doc, days in ((overdue, -1), (edge, 30), (later, 31), (pending, -1)):
        Document.objects.filter(pk=doc.pk).update(next_review_on=today + datetime.timedelta(days=days))
    due = list(reviews_due(documents_visible_to(cmg), today).values_list("pk", flat=True))
    assert overdue.pk in due and edge.pk in due and due.index(overdue.pk) < due.index(edge.pk)
    assert later.pk not in due and pending.pk not in due


def test_the_search_text_holds_the_published_text_once_a_version_is_in_force(cmg, uppm, direccion):
    draft_only = draft(cmg, "Solo borrador", content="palabra-del-borrador")
    assert "palabra-del-borrador" in fresh(draft_only).search_text
    v1 = vigente(cmg, uppm, direccion, content="texto publicado")
    services.start_new_version(v1.document, by=cmg, data={"justification": "Cambio", "content": "texto nuevo"})
    text = fresh(v1.document).search_text
    assert "texto publicado" in text and "texto nuevo" not in text
