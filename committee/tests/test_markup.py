"""Every Committee page works under the strict CSP (no inline script, style or handlers) and
every form field has a label."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from committee.tests.helpers import agreement, attend, make_session
from organization.tests.helpers import find_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cmg, direccion, ut_cusco):
    held = make_session(cmg)
    attend(held, cmg, direccion)
    agreement(held, cmg, ut_cusco)
    return held


PAGES = {
    "session_list": lambda s: reverse("committee:session_list"),
    "member_list": lambda s: reverse("committee:member_list"),
    "session_create": lambda s: reverse("committee:session_create"),
    "session_detail": lambda s: s.get_absolute_url(),
    "session_edit": lambda s: reverse("committee:session_edit", args=[s.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_the_page_needs_no_inline_script_or_style(client_as, cmg, session, page):
    response = client_as(cmg).get(PAGES[page](session))
    assert response.status_code == 200
    html = response.content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html, re.IGNORECASE))


def test_every_field_of_the_session_page_has_a_label(client_as, cmg, session):
    response = client_as(cmg).get(session.get_absolute_url())
    html = response.content
    ids = re.findall(rb'<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"', html)
    assert len(ids) > 8
    for field_id in ids:
        assert find_all(html, "label", **{"for": field_id.decode()}), field_id


@pytest.mark.parametrize("page", ["session_create", "session_edit"])
def test_every_form_field_has_a_label(client_as, cmg, session, page):
    response = client_as(cmg).get(PAGES[page](session))
    for field in response.context["form"].visible_fields():
        assert find_all(response.content, "label", **{"for": field.id_for_label}), field.name
