"""The follow-up pages work under the strict CSP and label every field (the per-row status
forms included)."""

from __future__ import annotations

import datetime
import re

import pytest

from actions.tests.helpers import LIST, acuerdo, detail_url, session
from organization.tests.helpers import find_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(cmg, ut_cusco):
    return acuerdo(session(cmg), cmg, ut_cusco, "Remitir el informe", datetime.date(2020, 4, 15))


@pytest.mark.parametrize("which", ["list", "detail"])
def test_the_pages_need_no_inline_script_or_style_and_label_every_field(client_as, cmg, item, which):
    response = client_as(cmg).get(LIST if which == "list" else detail_url(item))
    assert response.status_code == 200
    html = response.content.decode()
    ids = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html)
    assert ids
    for field_id in ids:
        assert find_all(response.content, "label", **{"for": field_id}), field_id
