"""Who is told what when a version moves (issue 9 #8, #9): each step e-mails whoever must act
next, never the person who acted, in Spanish, naming the document and linking to it; the page
says what happened and who is next; the document page offers its latest version's buttons."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.notifications import person_label
from documents import services, workflows
from documents.models import VersionStatus
from documents.tests.page_support import draft, fresh, latest, load_types, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def mails(outbox: list[Any]) -> dict[str, list[str]]:
    """Recipient address → subjects received."""
    out: dict[str, list[str]] = {}
    for m in outbox:
        assert len(m.to) == 1  # one message per person
        out.setdefault(m.to[0], []).append(m.subject)
    return out


def step(outbox: list[Any], capture: Any, run: Any) -> dict[str, list[str]]:
    outbox.clear()
    with capture(execute=True):
        run()
    return mails(outbox)


def test_each_step_tells_whoever_acts_next_and_never_the_actor(
    cmg, uppm, direccion, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    version = latest(draft(cmg, "Procedimiento de auditoría", endorsing_units=[unit("UPPM")]))
    code = version.document.code
    reviewers = {u.email for u in workflows.VERSION.actors(version, workflows.VERSION.get("review"))}
    assert uppm.email in reviewers

    # Sent to review, from an English page: the reviewers get a Spanish mail with the link.
    with translation.override("en"):
        sent = step(mailoutbox, capture, lambda: services.submit_for_review(version, by=cmg))
    assert cmg.email not in sent
    assert set(sent) == reviewers - {cmg.email}
    assert sent[uppm.email] == [f"[sig] Documento por revisar: {code}"]
    body = next(m.body for m in mailoutbox if m.to == [uppm.email])
    assert "espera su revisión" in body
    assert f"{settings.SITE_URL}{version.get_absolute_url()}" in body

    # Reviewed by the UPPM head, who also endorses for UPPM: nobody else is told to endorse.
    sent = step(mailoutbox, capture, lambda: services.review(fresh(version), by=uppm))
    assert uppm.email not in sent

    # The last endorsement: the approvers (the director) are told.
    sent = step(mailoutbox, capture, lambda: services.endorse(fresh(version), by=uppm, unit=unit("UPPM")))
    assert sent[direccion.email] == [f"[sig] Documento por aprobar: {code}"]
    assert uppm.email not in sent

    # Approved without publishing: the drafter hears it, and those who publish are asked to.
    sent = step(mailoutbox, capture, lambda: services.approve(fresh(version), by=direccion))
    assert direccion.email not in sent
    assert f"[sig] Documento aprobado: {code}" in sent[cmg.email]
    assert f"[sig] Documento por publicar: {code}" in sent[cmg.email]

    # In force: every person of its distribution (here: everyone) is asked to read it.
    sent = step(mailoutbox, capture, lambda: services.publish(fresh(version), by=cmg))
    audience = {u.email for u in services.distribution_audience(version.document) if u.email}
    assert set(sent) == audience - {cmg.email}
    assert sent[direccion.email] == [f"[sig] Documento vigente: {code}"]
    assert fresh(version).status == VersionStatus.CURRENT


def test_returning_a_version_tells_its_drafter_why(cmg, uppm, mailoutbox, django_capture_on_commit_callbacks):
    version = latest(draft(cmg, "Instructivo devuelto"))
    services.submit_for_review(version, by=cmg)
    sent = step(
        mailoutbox,
        django_capture_on_commit_callbacks,
        lambda: services.reject(fresh(version), by=uppm, reason="Falta el alcance"),
    )
    assert list(sent) == [cmg.email]
    assert "Falta el alcance" in mailoutbox[0].body and "devuelta a borrador" in mailoutbox[0].body


def test_the_page_says_what_happened_and_who_is_next(client_as, cmg, uppm):
    version = latest(draft(cmg, "Procedimiento con aviso"))
    url = reverse("documents:version_action", args=[version.document_id, version.number, "enviar"])
    response = client_as(cmg).post(url, {"enviar-comment": ""}, follow=True)
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    reviewers = workflows.VERSION.next_actors(fresh(version)) or []
    assert reviewers and text.startswith("Enviado a revisión: ")
    assert person_label(reviewers[0]) in text  # "Diana Silva (UPPM)"
    assert person_label(cmg) not in text


def test_with_nobody_holding_the_next_role_the_page_says_so(client_as, cmg):
    version = latest(draft(cmg, "Procedimiento sin revisor"))
    reviewers = workflows.VERSION.actors(version, workflows.VERSION.get("review"))
    User.objects.filter(pk__in=[u.pk for u in reviewers if u.pk != cmg.pk]).update(is_active=False)
    url = reverse("documents:version_action", args=[version.document_id, version.number, "enviar"])
    response = client_as(cmg).post(url, {"enviar-comment": ""}, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert text.startswith("Enviado a revisión. Nadie tiene asignado")


def test_the_document_page_offers_the_latest_versions_buttons_and_returns_there(client_as, cmg, uppm, lector):
    document = draft(cmg, "Procedimiento en curso")
    detail = reverse("documents:document_detail", args=[document.pk])
    html = client_as(cmg).get(detail).content.decode()
    assert 'data-testid="do-enviar"' in html and 'name="from" value="document"' in html
    # A reader sees no buttons on the same page.
    assert 'data-testid="do-' not in client_as(lector).get(detail).content.decode()
    # Submitting from the document page comes back to it; the reviewer then finds "revisar" there.
    version = latest(document)
    url = reverse("documents:version_action", args=[document.pk, version.number, "enviar"])
    response = client_as(cmg).post(url, {"enviar-comment": "", "from": "document"})
    assert response.status_code == 302 and response["Location"] == detail
    reviewer_page = client_as(uppm).get(detail).content.decode()
    assert 'data-testid="do-revisar"' in reviewer_page
    assert re.search(r"Versión 01 en curso \(En revisión\)", reviewer_page)
    # The drafter may not review their own version: no "revisar" button for them.
    assert 'data-testid="do-revisar"' not in client_as(cmg).get(detail).content.decode()
