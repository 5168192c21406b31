"""Sites: the Sede Central and the 21 UT, their detail and who may edit what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organization.models import Entity, OrgUnit, Site
from organization.tests.helpers import events, find, find_all, has_field_error, last_event, site, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("organization:site_list")


def detail(code: str) -> str:
    return reverse("organization:site_detail", args=[site(code).pk])


def edit(code: str) -> str:
    return reverse("organization:site_edit", args=[site(code).pk])


def full_data(code: str, **overrides: object) -> dict[str, object]:
    s = site(code)
    data: dict[str, object] = {
        "name": s.name,
        "department": s.department,
        "address": s.address,
        "phone": s.phone,
        "is_demo": "on" if s.is_demo else "",
        "is_active": "on" if s.is_active else "",
    }
    data.update(overrides)
    return data


# --- reading -----------------------------------------------------------------------------


def test_it_lists_the_sede_central_and_the_21_territorial_units(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    assert len(find_all(response.content, "tr", data_kind="central")) == 1
    assert len(find_all(response.content, "tr", data_kind="territorial")) == 21
    row = find(response.content, "tr", data_code="UT-CUS")
    assert "UT Cusco" in text_of(row) and "Cusco" in text_of(row)


def test_it_counts_the_units_at_each_site(client_as, lector):
    response = client_as(lector).get(LIST)
    counts = {s.code: s.n_units for s in response.context["sites"]}
    assert counts["UT-CUS"] == 1
    assert counts["SC"] == OrgUnit.objects.filter(site__code="SC").count() == 13


def test_it_flags_the_invented_demo_sites_and_explains_the_badge(client_as, lector):
    response = client_as(lector).get(LIST)
    assert len(find_all(response.content, data_testid="demo-badge")) == 21
    assert not find_all(find(response.content, "tr", data_code="SC"), data_testid="demo-badge")
    assert find_all(response.content, data_testid="demo-note")


def test_the_site_detail_shows_its_units_and_the_systems_that_cover_it(client_as, lector):
    response = client_as(lector).get(detail("UT-CUS"))
    assert response.status_code == 200
    units = find(response.content, "ul", data_testid="site-units")
    assert find_all(units, "a", href=reverse("organization:unit_detail", args=[OrgUnit.objects.get(code="UT-CUS").pk]))
    scopes = text_of(find(response.content, "ul", data_testid="site-scopes"))
    assert "SGC" in scopes and "SGAS" in scopes and "SGSI" not in scopes


def test_the_sede_central_is_covered_by_all_three_systems(client_as, lector):
    scopes = text_of(find(client_as(lector).get(detail("SC")).content, "ul", data_testid="site-scopes"))
    assert "SGC" in scopes and "SGAS" in scopes and "SGSI" in scopes


def test_the_edit_button_shows_only_where_the_user_may_edit(client_as, ut_cusco, lector, cmg):
    assert find_all(client_as(ut_cusco).get(detail("UT-CUS")).content, "a", href=edit("UT-CUS"))
    assert not find_all(client_as(ut_cusco).get(detail("UT-PUN")).content, "a", href=edit("UT-PUN"))
    assert not find_all(client_as(ut_cusco).get(detail("SC")).content, "a", href=edit("SC"))
    assert not find_all(client_as(lector).get(detail("UT-CUS")).content, "a", href=edit("UT-CUS"))
    assert find_all(client_as(cmg).get(detail("SC")).content, "a", href=edit("SC"))


def test_a_ut_head_reads_every_site(client_as, ut_puno):
    assert client_as(ut_puno).get(LIST).status_code == 200
    assert client_as(ut_puno).get(detail("UT-CUS")).status_code == 200


# --- denied ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [lambda: LIST, lambda: detail("UT-CUS"), lambda: edit("UT-CUS")])
def test_it_sends_anonymous_visitors_to_the_login_page(client_as, url):
    response = client_as(None).get(url())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [lambda: LIST, lambda: detail("UT-CUS"), lambda: edit("UT-CUS")])
def test_it_hides_every_page_from_users_without_a_role(client_as, no_role_user, url):
    assert client_as(no_role_user).get(url()).status_code == 404


def test_a_reader_cannot_edit_a_site(client_as, lector):
    client = client_as(lector)
    before = events()
    assert client.get(edit("UT-CUS")).status_code == 403
    assert client.post(edit("UT-CUS"), full_data("UT-CUS", address="Av. Sol 100")).status_code == 403
    assert site("UT-CUS").address == "" and events() == before


@pytest.mark.parametrize("code", ["UT-PUN", "SC"])
def test_a_ut_head_cannot_edit_another_site(client_as, ut_cusco, code):
    client = client_as(ut_cusco)
    address = site(code).address
    before = events()
    assert client.get(edit(code)).status_code == 403
    assert client.post(edit(code), {"address": "Jr. Falso 1", "phone": "000"}).status_code == 403
    assert site(code).address == address and events() == before


# --- writing -----------------------------------------------------------------------------


def test_a_ut_head_is_offered_only_the_contact_details_of_their_site(client_as, ut_cusco):
    response = client_as(ut_cusco).get(edit("UT-CUS"))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"address", "phone"}
    assert not find_all(response.content, "input", name="name")
    assert find_all(response.content, "a", href=detail("UT-CUS"))  # cancel


def test_a_ut_head_updates_the_contact_details_of_their_site(client_as, ut_cusco):
    client = client_as(ut_cusco)
    before = events()
    response = client.post(edit("UT-CUS"), {"address": "Av. El Sol 814, Cusco", "phone": "084 123456"})
    assert response.status_code == 302 and response.url == detail("UT-CUS")
    cusco = site("UT-CUS")
    assert cusco.address == "Av. El Sol 814, Cusco" and cusco.phone == "084 123456"
    assert events() == before + 1
    event = last_event()
    assert event.action == "update" and event.object_type == "organization.site"
    assert event.actor == ut_cusco and event.site_id == cusco.pk
    assert event.changes == {"address": ["", "Av. El Sol 814, Cusco"], "phone": ["", "084 123456"]}


def test_a_ut_head_cannot_rename_their_site(client_as, ut_cusco):
    response = client_as(ut_cusco).post(
        edit("UT-CUS"), {"name": "UT Qosqo", "is_demo": "", "address": "Av. El Sol 814", "phone": ""}
    )
    assert response.status_code == 302
    cusco = site("UT-CUS")
    assert cusco.name == "UT Cusco" and cusco.is_demo is True and cusco.address == "Av. El Sol 814"
    assert set(last_event().changes) == {"address"}


def test_the_coordinator_edits_any_site_field(client_as, cmg):
    client = client_as(cmg)
    response = client.post(edit("UT-PUN"), full_data("UT-PUN", name="UT Puno (Juliaca)", is_demo=""))
    assert response.status_code == 302
    puno = site("UT-PUN")
    assert puno.name == "UT Puno (Juliaca)" and puno.is_demo is False
    assert last_event().changes == {"name": ["UT Puno", "UT Puno (Juliaca)"], "is_demo": [True, False]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"address": "x" * 301}, "address"), ({"phone": "9" * 51}, "phone")],
    ids=["too-long-address", "too-long-phone"],
)
def test_it_rejects_over_long_contact_details_and_stores_nothing(client_as, ut_cusco, overrides, field):
    client = client_as(ut_cusco)
    before = events()
    response = client.post(edit("UT-CUS"), {"address": "", "phone": "", **overrides})
    assert response.status_code == 400
    assert has_field_error(response, field)
    assert site("UT-CUS").address == "" and site("UT-CUS").phone == "" and events() == before


def test_it_rejects_an_empty_site_name(client_as, cmg):
    client = client_as(cmg)
    before = events()
    response = client.post(edit("UT-PUN"), full_data("UT-PUN", name=""))
    assert response.status_code == 400 and has_field_error(response, "name")
    assert site("UT-PUN").name == "UT Puno" and events() == before


# --- queries -----------------------------------------------------------------------------


def test_the_site_list_runs_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get(LIST)
    with django_assert_num_queries(4):
        client.get(LIST)
    entity = Entity.objects.get()
    for i in range(4):
        extra = Site.objects.create(
            entity=entity, code=f"UT-X{i}", name=f"UT Extra {i}", kind="territorial", is_demo=True, order=100 + i
        )
        OrgUnit.objects.create(entity=entity, code=f"UT-X{i}", name=f"Unidad Extra {i}", kind="territorial", site=extra)
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(find_all(response.content, "tr", data_kind="territorial")) == 25
