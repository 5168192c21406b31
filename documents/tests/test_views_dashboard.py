"""The dashboard's documents panel: reviews due or overdue (in the user's scope) and versions
waiting for the user's step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Document
from documents.tests.page_support import draft, find, find_all, latest, load_types, vigente

pytestmark = pytest.mark.django_db
HOME = reverse("core:dashboard")


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def listed(response, testid: str) -> list[str]:
    return [
        dict(li.attributes)["data-code"]
        for li in find_all(find(response.content, "ul", data_testid=testid), "li")
        if "data-code" in dict(li.attributes)
    ]


def test_overdue_and_due_reviews_show_on_the_dashboard(client_as, cmg, uppm, direccion):
    today = timezone.localdate()
    Document.objects.update(next_review_on=today + datetime.timedelta(days=400))
    overdue = vigente(cmg, uppm, direccion, title="Vencido").document
    soon = vigente(cmg, uppm, direccion, title="Próximo").document
    Document.objects.filter(pk=overdue.pk).update(next_review_on=today - datetime.timedelta(days=3))
    Document.objects.filter(pk=soon.pk).update(next_review_on=today + datetime.timedelta(days=12))
    response = client_as(cmg).get(HOME)
    assert listed(response, "reviews-due") == [overdue.code, soon.code]
    row = find(find(response.content, "ul", data_testid="reviews-due"), "li", data_code=overdue.code)
    assert find(row, "span", data_review="overdue")


def test_the_reviews_panel_respects_the_users_scope(client_as, cmg, uppm, direccion, ut_cusco):
    today = timezone.localdate()
    Document.objects.update(next_review_on=today + datetime.timedelta(days=400))
    secret = vigente(cmg, uppm, direccion, title="Confidencial", classification="confidential").document
    Document.objects.filter(pk=secret.pk).update(next_review_on=today)
    assert secret.code in listed(client_as(cmg).get(HOME), "reviews-due")
    assert secret.code not in listed(client_as(ut_cusco).get(HOME), "reviews-due")


def test_versions_waiting_for_the_users_step_show_on_the_dashboard(client_as, cmg, uppm, lector):
    version = latest(draft(cmg, "Para revisar"))
    services.submit_for_review(version, by=cmg)
    assert version.document.code in listed(client_as(uppm).get(HOME), "awaiting")
    assert version.document.code not in listed(client_as(cmg).get(HOME), "awaiting")
    assert listed(client_as(lector).get(HOME), "awaiting") == []


def test_a_person_without_roles_gets_no_documents_panel(client_as, no_role_user):
    response = client_as(no_role_user).get(HOME)
    assert response.status_code == 200
    assert not find_all(response.content, "ul", data_testid="reviews-due")
