"""Who is told when a plan or a change request moves (issue 9 #8): the director when a plan
or a change request awaits her, the Committee's secretaries when a request is proposed, the
proposer when it is decided; never the person who acted; in Spanish, with a link; and the page
says who is next."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from plans import services
from plans.models import ChangeRequest
from plans.tests.api_support import A_CHANGE
from plans.tests.page_support import approve, cr_url, plan, plan_url, session

pytestmark = pytest.mark.django_db


def sent(outbox: list[Any]) -> dict[str, str]:
    return {m.to[0]: m.subject for m in outbox}


def test_submitting_a_plan_tells_the_director_and_the_page_names_her(
    client_as, cmg, direccion, mailoutbox, django_capture_on_commit_callbacks
):
    p = plan(cmg)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(cmg).post(plan_url(p, "plan_submit"), follow=True)
    assert response.status_code == 200
    mails = sent(mailoutbox)
    assert cmg.email not in mails
    assert mails[direccion.email] == f"[sig] Plan por aprobar: {p.title}"
    body = next(m.body for m in mailoutbox if m.to == [direccion.email])
    assert f"{settings.SITE_URL}{p.get_absolute_url()}" in body
    news = " ".join(str(m) for m in response.context["messages"])
    assert news.startswith("Enviado al Comité del SIG; lo aprueba la Dirección Ejecutiva: ")
    assert direccion.get_full_name() in news


def test_a_change_request_reaches_the_secretaries_then_the_director_then_its_proposer(
    client_as, cmg, uppm, direccion, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    p = approve(plan(cmg), cmg, direccion)
    acta = session(cmg, "05-2041")
    mailoutbox.clear()
    with capture(execute=True), translation.override("en"):  # an English page: Spanish mail
        cr = services.propose_change(
            p, data={"reason": "Nuevo alcance", "supporting_report": "Informe 9", "changes": A_CHANGE}, by=cmg
        )
    mails = sent(mailoutbox)
    assert cmg.email not in mails
    assert mails[uppm.email] == f"[sig] Solicitud de cambio por revisar: {p.title}"
    assert "Nuevo alcance" in next(m.body for m in mailoutbox if m.to == [uppm.email])

    mailoutbox.clear()
    with capture(execute=True):
        response = client_as(cmg).post(
            cr_url(cr, "change_request_review"), {"review-session": acta.pk, "review-opinion": "Conforme."}, follow=True
        )
    assert sent(mailoutbox) == {direccion.email: f"[sig] Solicitud de cambio por decidir: {p.title}"}
    news = " ".join(str(m) for m in response.context["messages"])
    assert news == f"Revisión del Comité registrada; decide la Dirección Ejecutiva: {direccion.get_full_name()} (DE)"

    mailoutbox.clear()
    with capture(execute=True):
        response = client_as(direccion).post(
            cr_url(cr, "change_request_decide"),
            {"decision-decision": "approve", "decision-resolution": "RDE N.° 2", "decision-decided_on": "2041-08-02"},
            follow=True,
        )
    assert ChangeRequest.objects.get(pk=cr.pk).status == ChangeRequest.Status.APPROVED
    assert sent(mailoutbox) == {cmg.email: f"[sig] Solicitud de cambio aprobada: {p.title}"}
    news = " ".join(str(m) for m in response.context["messages"])
    assert news.startswith("Solicitud de cambio aprobada: rige la versión 02 del plan")
