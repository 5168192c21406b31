"""Legal basis registry (seed §3): list, detail, create/edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organization.models import LegalNorm
from organization.tests.helpers import attr_values, events, find, find_all, has_field_error, last_event, norm, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("organization:legal_list")
CREATE = reverse("organization:legal_create")


def detail(number: str) -> str:
    return reverse("organization:legal_detail", args=[norm(number).pk])


def edit(number: str) -> str:
    return reverse("organization:legal_edit", args=[norm(number).pk])


def new_norm_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "rde",
        "number": "045-2024-MIDIS/PNADP-DE",
        "year": "2024",
        "issuer": "PNADP-DE",
        "title": "Aprueba la actualización del Manual del SIG",
        "is_current": "on",
        "url": "",
        "seed_ref": "",
    }
    data.update(overrides)
    return data


def edit_data(number: str, **overrides: object) -> dict[str, object]:
    n = norm(number)
    data: dict[str, object] = {
        "kind": n.kind,
        "number": n.number,
        "year": n.year or "",
        "issuer": n.issuer,
        "title": n.title,
        "is_current": "on" if n.is_current else "",
        "url": n.url,
        "seed_ref": n.seed_ref,
    }
    data.update(overrides)
    return data


# --- reading -----------------------------------------------------------------------------


def test_it_lists_the_15_norms_of_the_plan(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    numbers = attr_values(find(response.content, "table", data_testid="legal-table"), "data-number", tag="tr")
    assert len(numbers) == 15 and numbers[0] == "27658" and numbers[-1] == "ISO/IEC 27001:2013"
    row = text_of(find(response.content, "tr", data_number="130-2020-MIDIS/PNADP-DE"))
    for value in ("2020", "PNADP-DE", "Aprueba la Organización del Sistema Integrado de Gestión", "3.9"):
        assert value in row


def test_the_detail_shows_the_norm(client_as, ut_puno):
    response = client_as(ut_puno).get(detail("27658"))
    assert response.status_code == 200
    assert "Ley Marco de la Modernización" in text_of(find(response.content, data_testid="norm-title"))
    assert "Congreso de la República" in response.content.decode()


def test_new_and_edit_buttons_show_for_editors_only(client_as, cmg, lector):
    assert find_all(client_as(cmg).get(LIST).content, "a", href=CREATE)
    assert find_all(client_as(cmg).get(detail("27658")).content, "a", href=edit("27658"))
    assert not find_all(client_as(lector).get(LIST).content, "a", href=CREATE)
    assert not find_all(client_as(lector).get(detail("27658")).content, "a", href=edit("27658"))


# --- denied ------------------------------------------------------------------------------

PAGES = [lambda: LIST, lambda: CREATE, lambda: detail("27658"), lambda: edit("27658")]


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client_as, url):
    response = client_as(None).get(url())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", PAGES)
def test_it_hides_every_page_from_users_without_a_role(client_as, no_role_user, url):
    assert client_as(no_role_user).get(url()).status_code == 404


@pytest.mark.parametrize("user", ["lector", "ut_cusco"])
def test_only_reference_editors_may_create_or_edit_a_norm(client_as, request, user):
    client = client_as(request.getfixturevalue(user))
    before, n = events(), LegalNorm.objects.count()
    assert client.post(CREATE, new_norm_data()).status_code == 403
    assert client.post(edit("27658"), edit_data("27658", is_current="")).status_code == 403
    assert LegalNorm.objects.count() == n and norm("27658").is_current and events() == before


# --- writing -----------------------------------------------------------------------------


def test_the_coordinator_registers_a_norm_and_it_is_audited(client_as, cmg):
    client = client_as(cmg)
    response = client.post(CREATE, new_norm_data())
    created = norm("045-2024-MIDIS/PNADP-DE")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    event = last_event()
    assert event.action == "create" and event.object_type == "organization.legalnorm" and event.actor == cmg
    assert event.changes["number"] == [None, "045-2024-MIDIS/PNADP-DE"]
    assert find_all(client.get(LIST).content, "tr", data_number="045-2024-MIDIS/PNADP-DE")


def test_the_coordinator_marks_a_norm_as_no_longer_in_force(client_as, cmg):
    client = client_as(cmg)
    response = client.post(edit("ISO/IEC 27001:2013"), edit_data("ISO/IEC 27001:2013", is_current=""))
    assert response.status_code == 302
    assert norm("ISO/IEC 27001:2013").is_current is False
    assert last_event().changes == {"is_current": [True, False]}


def test_a_link_without_scheme_is_stored_as_https(client_as, cmg):
    client = client_as(cmg)
    assert client.post(CREATE, new_norm_data(url="www.gob.pe/juntos")).status_code == 302
    assert norm("045-2024-MIDIS/PNADP-DE").url == "https://www.gob.pe/juntos"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"number": ""}, "number"),
        ({"kind": "ley", "number": "27658"}, "__all__"),
        ({"number": "x" * 101}, "number"),
        ({"title": "x" * 501}, "title"),
        ({"year": "dos mil"}, "year"),
        ({"url": "javascript:alert(1)"}, "url"),
    ],
    ids=[
        "empty-title",
        "empty-number",
        "duplicate-kind-and-number",
        "too-long-number",
        "too-long-title",
        "bad-year",
        "bad-url",
    ],
)
def test_it_rejects_bad_input_and_stores_nothing(client_as, cmg, overrides, field):
    client = client_as(cmg)
    before, n = events(), LegalNorm.objects.count()
    response = client.post(CREATE, new_norm_data(**overrides))
    assert response.status_code == 400 and has_field_error(response, field)
    assert LegalNorm.objects.count() == n and events() == before


# --- queries -----------------------------------------------------------------------------


def test_the_legal_list_runs_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get(LIST)
    with django_assert_num_queries(4):
        client.get(LIST)
    for i in range(5):
        LegalNorm.objects.create(kind="rde", number=f"{i:03d}-2025-MIDIS/PNADP-DE", year=2025, title=f"Extra {i}")
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(attr_values(response.content, "data-number", tag="tr")) == 20
