"""The tracker list renders the same page as before its rows were made cheaper (issue 10: per-row
constants out of the loop, URLs built once per page): the page is rendered again through the
template as it was, with the same context, and the two must match, token values aside."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.utils import timezone

from actions.tests.helpers import LIST, acuerdo, session

pytestmark = pytest.mark.django_db
BEFORE = Path(__file__).parent / "data" / "item_list_before_issue10.html"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _normal(html: str) -> str:
    return re.sub(r"\s+", " ", TOKEN.sub('name="csrfmiddlewaretoken" value="-"', html)).strip()


@pytest.mark.parametrize("who", ["cmg", "ut_cusco", "tecnico"])
@pytest.mark.parametrize("query", [{}, {"overdue": "on"}, {"status": "open", "page": "1"}])
def test_the_rows_render_as_the_template_rendered_them_before(
    who: str, query: dict[str, str], request: Any, client_as: Any, cmg: Any, ut_cusco: Any, ut_puno: Any
) -> None:
    s = session(cmg)
    today = timezone.localdate()
    for n, person in enumerate([ut_cusco, ut_puno, cmg, ut_cusco]):
        acuerdo(
            s, cmg, person, f"Acuerdo <{n}> & cía", today + datetime.timedelta(days=7 * (n - 2)) if n != 3 else None
        )
    response = client_as(request.getfixturevalue(who)).get(LIST, query)
    assert response.status_code == 200 and response.context["page"].object_list
    context = {k: response.context[k] for k in ("form", "page", "today", "reports", "nav")}
    before = engines["django"].from_string(BEFORE.read_text()).render(context, response.wsgi_request)
    assert _normal(response.content.decode()) == _normal(before)
    assert 'data-testid="status-form"' in before or who == "tecnico"
