"""Organisation home (entity + unit tree), unit detail, unit create/edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organization.models import Entity, OrgUnit
from organization.tests.helpers import events, find, find_all, has_field_error, last_event, unit

pytestmark = pytest.mark.django_db

LIST = reverse("organization:unit_list")
CREATE = reverse("organization:unit_create")


def detail(code: str) -> str:
    return reverse("organization:unit_detail", args=[unit(code).pk])


def edit(code: str) -> str:
    return reverse("organization:unit_edit", args=[unit(code).pk])


def new_unit_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "UPPM-CGR",
        "name": "Coordinación de Gestión de Riesgos",
        "kind": "coordination",
        "parent": unit("UPPM").pk,
        "site": unit("UPPM").site_id,
        "is_active": "on",
        "order": "50",
    }
    data.update(overrides)
    return data


def edit_data(code: str, **overrides: object) -> dict[str, object]:
    u = unit(code)
    data: dict[str, object] = {
        "code": u.code,
        "name": u.name,
        "kind": u.kind,
        "parent": u.parent_id or "",
        "site": u.site_id,
        "is_active": "on" if u.is_active else "",
        "order": u.order,
    }
    data.update(overrides)
    return data


# --- reading -----------------------------------------------------------------------------


def test_it_shows_the_entity_header(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    entity = Entity.objects.get(acronym="PNADP")
    for value in (entity.name, entity.sector, entity.vice_ministry):
        assert value in response.content.decode()


def test_it_shows_the_units_as_a_tree_with_children_under_their_parent(client_as, lector):
    response = client_as(lector).get(LIST)
    rows = find_all(response.content, "tr", data_code="DE")
    assert len(rows) == 1
    depths = {code: depth for depth, code in ((d, u.code) for d, u in response.context["tree"])}
    assert depths["DE"] == 0 and depths["UPPM"] == 1 and depths["UPPM-CMG"] == 2 and depths["UT-CUS"] == 2
    order = [u.code for _, u in response.context["tree"]]
    assert order.index("UPPM") < order.index("UPPM-CMG") < order.index("UPPM-CSE")
    assert order.index("UOP") < order.index("UT-CUS")
    row = find(response.content, "tr", data_code="UT-CUS")
    assert dict(row.attributes)["data-depth"] == "2"
    assert find(row, "a", href=detail("UT-CUS")) is not None
    assert find(row, "a", href=reverse("organization:site_detail", args=[unit("UT-CUS").site_id])) is not None


def test_it_counts_the_people_of_each_unit(client_as, lector):
    response = client_as(lector).get(LIST)
    people = {u.code: u.n_people for _, u in response.context["tree"]}
    assert people["UT-CUS"] == 1 and people["UPPM-CMG"] == 2  # ut.cusco; cmg and the auditor


def test_it_offers_new_unit_to_editors_only(client_as, cmg, lector):
    assert find_all(client_as(cmg).get(LIST).content, "a", href=CREATE)
    assert not find_all(client_as(lector).get(LIST).content, "a", href=CREATE)


def test_it_links_to_the_sites_list(client_as, lector):
    assert find_all(client_as(lector).get(LIST).content, "a", href=reverse("organization:site_list"))


def test_a_ut_head_also_reads_the_organisation(client_as, ut_puno):
    assert client_as(ut_puno).get(LIST).status_code == 200
    assert client_as(ut_puno).get(detail("UT-CUS")).status_code == 200


def test_the_unit_detail_shows_parent_children_and_owned_processes(client_as, lector):
    response = client_as(lector).get(detail("UOP"))
    assert response.status_code == 200
    children = find(response.content, "ul", data_testid="unit-children")
    assert find_all(children, "a", href=detail("UT-CUS")) and find_all(children, "a", href=detail("UOP-CT"))
    processes = find(response.content, "ul", data_testid="unit-processes")
    assert "M01" in str(processes) and "M01.04" in str(processes)
    assert find_all(response.content, "a", href=detail("DE"))


def test_the_unit_detail_offers_edit_to_editors_only(client_as, cmg, lector):
    assert find_all(client_as(cmg).get(detail("UOP")).content, "a", href=edit("UOP"))
    assert not find_all(client_as(lector).get(detail("UOP")).content, "a", href=edit("UOP"))


def test_an_unknown_unit_is_404(client_as, cmg):
    assert client_as(cmg).get(reverse("organization:unit_detail", args=[999999])).status_code == 404


# --- denied ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [lambda: LIST, lambda: CREATE, lambda: detail("UOP"), lambda: edit("UOP")])
def test_it_sends_anonymous_visitors_to_the_login_page(client_as, url):
    response = client_as(None).get(url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", [lambda: LIST, lambda: CREATE, lambda: detail("UOP"), lambda: edit("UOP")])
def test_it_hides_every_page_from_users_without_a_role(client_as, no_role_user, url):
    assert client_as(no_role_user).get(url()).status_code == 404


def test_a_reader_cannot_create_a_unit(client_as, lector):
    client = client_as(lector)
    before, n_units = events(), OrgUnit.objects.count()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, new_unit_data()).status_code == 403
    assert OrgUnit.objects.count() == n_units and events() == before


def test_a_reader_cannot_edit_a_unit(client_as, lector):
    client = client_as(lector)
    before = events()
    assert client.post(edit("UOP"), edit_data("UOP", name="Cambiado")).status_code == 403
    assert unit("UOP").name == "Unidad de Operaciones" and events() == before


def test_a_ut_head_cannot_edit_even_their_own_unit(client_as, ut_cusco):
    client = client_as(ut_cusco)
    before = events()
    assert client.post(edit("UT-CUS"), edit_data("UT-CUS", name="Cambiado")).status_code == 403
    assert unit("UT-CUS").name == "Unidad Territorial Cusco" and events() == before


# --- writing -----------------------------------------------------------------------------


def test_the_coordinator_creates_a_unit_and_it_is_audited(client_as, cmg):
    response = client_as(cmg).post(CREATE, new_unit_data())
    created = unit("UPPM-CGR")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.parent == unit("UPPM") and created.entity.acronym == "PNADP"
    event = last_event()
    assert event.action == "create" and event.object_type == "organization.orgunit"
    assert event.object_id == str(created.pk) and event.actor == cmg
    assert event.changes["code"] == [None, "UPPM-CGR"]


def test_the_coordinator_edits_a_unit_and_the_change_is_audited(client_as, cmg):
    client = client_as(cmg)
    before = events()
    response = client.post(edit("UCI"), edit_data("UCI", name="Unidad de Comunicación"))
    assert response.status_code == 302
    assert unit("UCI").name == "Unidad de Comunicación"
    assert events() == before + 1
    assert last_event().changes == {"name": ["Unidad de Comunicación e Imagen", "Unidad de Comunicación"]}


def test_the_edit_form_has_a_cancel_link_back_to_the_unit(client_as, cmg):
    response = client_as(cmg).get(edit("UCI"))
    assert response.status_code == 200
    assert find_all(response.content, "a", href=detail("UCI"))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"code": "UPPM"}, "code"),
        ({"name": "x" * 201}, "name"),
        ({"parent": "999999"}, "parent"),
        ({"site": "999999"}, "site"),
    ],
    ids=["empty-name", "duplicate-code", "too-long-name", "unknown-parent", "unknown-site"],
)
def test_it_rejects_bad_input_for_a_new_unit_and_stores_nothing(client_as, cmg, overrides, field):
    client = client_as(cmg)
    before, n_units = events(), OrgUnit.objects.count()
    response = client.post(CREATE, new_unit_data(**overrides))
    assert response.status_code == 400
    assert has_field_error(response, field)
    assert OrgUnit.objects.count() == n_units and events() == before


def test_it_refuses_to_make_a_unit_its_own_ancestor(client_as, cmg):
    client = client_as(cmg)
    before = events()
    response = client.post(edit("UPPM"), edit_data("UPPM", parent=unit("UPPM-CMG").pk))
    assert response.status_code == 400
    assert has_field_error(response, "parent")
    assert unit("UPPM").parent == unit("DE") and events() == before


# --- queries -----------------------------------------------------------------------------


def test_the_unit_list_runs_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get(LIST)
    with django_assert_num_queries(5):
        client.get(LIST)
    parent = unit("UOP")
    for i in range(5):
        child = OrgUnit.objects.create(
            entity=parent.entity,
            code=f"EXTRA-{i}",
            name=f"Extra {i}",
            kind="coordination",
            parent=parent,
            site=parent.site,
        )
        OrgUnit.objects.create(
            entity=parent.entity,
            code=f"EXTRA-{i}-A",
            name=f"Extra {i} A",
            kind="coordination",
            parent=child,
            site=parent.site,
        )
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(find_all(response.content, "tr", data_code="EXTRA-4-A")) == 1
