"""The home page's query count is pinned and does not grow with the registers behind its panels
and pending work (issue 10): more NCs, corrective actions and acuerdos, same queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.tests.helpers import acuerdo, session
from nonconformities.tests.helpers import action, analysed, raise_nc

pytestmark = pytest.mark.django_db
HOME = reverse("core:dashboard")
# At most this many for anyone (session, user, roles, every panel and pending source); measured
# 27 for the SIG coordinator, 26 for the UPPM head and 25 for a UT head when pinned.
MAX_QUERIES = 30


def _grow(cmg: Any, ut_cusco: Any, ut_puno: Any, uppm: Any, direccion: Any) -> None:
    from documents import services as documents
    from documents.tests.page_support import draft, in_approval, latest, load_types, vigente

    # documents in force to read (distributed to everyone's unit) and versions waiting for steps
    load_types()
    units = sorted({u.unit_id for u in (cmg, ut_cusco, ut_puno, uppm) if u.unit_id is not None})
    for n in range(3):
        vigente(cmg, uppm, direccion, title=f"Vigente {n}", distribution_units=units)
        in_approval(cmg, uppm, title=f"En aprobación {n}")
        documents.submit_for_review(latest(draft(cmg, f"En revisión {n}")), by=cmg)
    s = session(cmg, number="A77-2020")
    late = timezone.localdate() - datetime.timedelta(days=3)
    for n in range(4):
        nc = analysed(raise_nc(ut_cusco if n % 2 else ut_puno, site_code="UT-CUS" if n % 2 else "UT-PUN"), cmg)
        action(nc, cmg, ut_cusco if n % 2 else ut_puno)
        acuerdo(s, cmg, ut_cusco if n % 2 else cmg, f"Acuerdo {n}", late)


@pytest.mark.parametrize("who", ["cmg", "ut_cusco", "uppm"])
def test_the_home_page_costs_the_same_whatever_the_size_of_the_registers(
    who: str,
    request: pytest.FixtureRequest,
    client_as: Any,
    cmg: Any,
    ut_cusco: Any,
    ut_puno: Any,
    uppm: Any,
    direccion: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as(request.getfixturevalue(who))
    client.get(HOME)  # warm the session
    with django_assert_max_num_queries(MAX_QUERIES) as before:
        assert client.get(HOME).status_code == 200
    _grow(cmg, ut_cusco, ut_puno, uppm, direccion)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(HOME)
    assert page.status_code == 200
    if who in ("cmg", "uppm"):  # the rows the growth put on their home are there
        assert "Vigente" in page.content.decode()
