"""The dashboard's documents panel: reviews due or overdue (in the user's scope) and versions
waiting for the user's step."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Document
from documents.tests.page_support import draft, find, find_all, latest, load_types, text_of, vigente

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


def test_documents_at_a_glance_charts_status_and_reviews_due_in_the_users_scope(
    client_as, cmg, uppm, direccion, ut_cusco
):
    today = timezone.localdate()
    Document.objects.update(next_review_on=today + datetime.timedelta(days=400))
    overdue = vigente(cmg, uppm, direccion, title="Vencido").document
    Document.objects.filter(pk=overdue.pk).update(next_review_on=today - datetime.timedelta(days=3))
    draft(cmg, "Borrador nuevo")
    url = reverse("documents:indicators")

    def bars(user, chart):
        figure = find(client_as(user).get(url).content, "figure", data_chart=chart)
        return {
            text: dict(r.attributes)["data-value"]
            for r in find_all(figure, "rect")
            if "data-value" in dict(r.attributes)
            for text in [dict(r.attributes).get("data-series")]
        }, figure

    from documents.access import documents_visible_to

    mine = documents_visible_to(cmg)
    _values, status_figure = bars(cmg, "documents-by-status")
    table = find(status_figure, "table")
    rows = {text_of(find(tr, "th")): text_of(find(tr, "td")) for tr in find_all(table, "tr") if find_all(tr, "td")}
    assert rows["Borrador"] == str(mine.filter(status="draft").count())
    assert rows["Vigente"] == str(mine.filter(status="current").count())
    _values, review_figure = bars(cmg, "documents-reviews")
    reviews = {
        text_of(find(tr, "th")): text_of(find(tr, "td"))
        for tr in find_all(find(review_figure, "table"), "tr")
        if find_all(tr, "td")
    }
    assert reviews["Vencidas"] == "1"
    assert client_as(ut_cusco).get(url).status_code == 200
