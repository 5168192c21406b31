"""Overdue actions per unit: where follow-up is needed, within the user's scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.tests.helpers import acuerdo, session
from organization.tests.helpers import find, find_all

pytestmark = pytest.mark.django_db
URL = reverse("actions:overdue_by_unit")


@pytest.fixture
def overdue(cmg, ut_cusco, ut_puno, uppm):
    s = session(cmg)
    late = timezone.localdate() - datetime.timedelta(days=5)
    acuerdo(s, cmg, ut_cusco, "Atrasado en Cusco", late)
    acuerdo(s, cmg, ut_cusco, "Otro atrasado en Cusco", late - datetime.timedelta(days=2))
    acuerdo(s, cmg, ut_puno, "Atrasado en Puno", late)
    acuerdo(s, cmg, uppm, "A tiempo", timezone.localdate() + datetime.timedelta(days=20))


def _counts(response) -> dict[str, int]:
    table = find(response.content, data_testid="overdue-by-unit")
    out: dict[str, int] = {}
    for row in find_all(table, "tr"):
        attrs = dict(row.attributes)
        if "data-site" in attrs:
            link = find(row, "a")
            out[attrs["data-site"]] = out.get(attrs["data-site"], 0) + int(dict(link.attributes)["data-count"])
    return out


def test_central_roles_see_every_units_overdue_items(client_as, cmg, overdue, ut_cusco, ut_puno):
    counts = _counts(client_as(cmg).get(URL))
    assert counts[ut_cusco.site.code] >= 2 and counts[ut_puno.site.code] >= 1


def test_a_ut_head_sees_only_their_ut(client_as, ut_cusco, overdue):
    counts = _counts(client_as(ut_cusco).get(URL))
    assert set(counts) == {ut_cusco.site.code}


def test_the_page_costs_the_same_whatever_the_number_of_items(client_as, cmg, overdue, django_assert_max_num_queries):
    client = client_as(cmg)
    client.get(URL)
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200


def test_people_without_a_role_get_404(client_as, no_role_user):
    assert client_as(no_role_user).get(URL).status_code == 404
