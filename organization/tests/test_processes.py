"""Process map (level 0 in three bands, level 1 inside), process table, detail, create/edit."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from organization.models import Process
from organization.tests.helpers import (
    attr_values,
    events,
    find,
    find_all,
    has_field_error,
    last_event,
    process,
    text_of,
)

pytestmark = pytest.mark.django_db

MAP = reverse("organization:process_map")
LIST = reverse("organization:process_list")
CREATE = reverse("organization:process_create")
M01_CHILDREN = ["M01.01", "M01.02", "M01.03", "M01.04", "M01.05", "M01.06"]


def detail(code: str) -> str:
    return reverse("organization:process_detail", args=[process(code).pk])


def edit(code: str) -> str:
    return reverse("organization:process_edit", args=[process(code).pk])


def new_process_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "A05",
        "name": "Gestión Documental",
        "name_en": "Document management",
        "type": "support",
        "parent": "",
        "owner_unit": process("A01").owner_unit_id,
        "description": "",
        "is_active": "on",
        "order": "30",
    }
    data.update(overrides)
    return data


def edit_data(code: str, **overrides: object) -> dict[str, object]:
    p = process(code)
    data: dict[str, object] = {
        "code": p.code,
        "name": p.name,
        "name_en": p.name_en,
        "type": p.type,
        "parent": p.parent_id or "",
        "owner_unit": p.owner_unit_id or "",
        "description": p.description,
        "is_active": "on" if p.is_active else "",
        "order": p.order,
    }
    data.update(overrides)
    return data


# --- the map -----------------------------------------------------------------------------


def test_the_map_shows_level_0_in_three_bands(client_as, lector):
    response = client_as(lector).get(MAP)
    assert response.status_code == 200
    bands = {
        band: attr_values(find(response.content, data_band=band), "data-code", tag="article")
        for band in ("strategic", "mission", "support")
    }
    assert bands == {
        "strategic": ["E01", "E02", "E03", "E04"],
        "mission": ["M01"],
        "support": ["A01", "A02", "A03", "A04"],
    }
    for band in bands:  # the classes that draw each band in its colour
        assert dict(find(response.content, data_band=band).attributes)["class"] == f"band band-{band}"


def test_the_six_operational_processes_appear_inside_m01(client_as, lector):
    response = client_as(lector).get(MAP)
    m01 = find(response.content, "article", data_code="M01")
    assert attr_values(m01, "data-code", tag="li") == M01_CHILDREN
    assert "Afiliación" in text_of(m01) and "Acompañamiento familiar" in text_of(m01)
    assert not find_all(response.content, "article", data_code="M01.01")


def test_each_process_card_names_its_owner_unit_and_links_to_the_process(client_as, lector):
    response = client_as(lector).get(MAP)
    card = find(response.content, "article", data_code="E04")
    assert "OCI" in text_of(card) and "Gestión del Control Institucional" in text_of(card)
    assert find_all(card, "a", href=detail("E04"))
    assert find_all(find(response.content, "article", data_code="M01"), "a", href=detail("M01.04"))


def test_the_map_shows_english_names_to_english_readers(client_as, lector):
    client = client_as(lector)
    client.cookies["sig_language"] = "en"
    card = find(client.get(MAP).content, "article", data_code="M01")
    assert "Operations management" in text_of(card) and "Enrolment" in text_of(card)


def test_the_map_links_to_the_table_view(client_as, lector):
    assert find_all(client_as(lector).get(MAP).content, "a", href=LIST)


def test_the_map_leaves_out_inactive_processes(client_as, lector):
    Process.objects.filter(code="M01.06").update(is_active=False)
    m01 = find(client_as(lector).get(MAP).content, "article", data_code="M01")
    assert attr_values(m01, "data-code", tag="li") == M01_CHILDREN[:5]


def test_the_map_has_no_inline_script_style_or_event_handlers(client_as, cmg):
    html = client_as(cmg).get(MAP).content.decode()
    for script in re.findall(r"<script\b[^>]*>", html, re.IGNORECASE):
        assert "src=" in script


# --- table and detail --------------------------------------------------------------------


def test_the_table_lists_every_process_with_type_level_parent_and_owner(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    codes = attr_values(find(response.content, "table", data_testid="process-table"), "data-code", tag="tr")
    assert set(codes) == set(Process.objects.values_list("code", flat=True)) and len(codes) == 17
    row = text_of(find(response.content, "tr", data_code="M01.04"))
    assert "Liquidación y transferencia" in row and "M01" in row and "UOP" in row and " 1 " in f" {row} "
    assert find_all(find(response.content, "tr", data_code="M01.04"), "a", href=detail("M01"))


def test_the_detail_shows_owner_parent_children_and_systems(client_as, lector):
    response = client_as(lector).get(detail("M01"))
    assert response.status_code == 200
    assert "UOP" in text_of(find(response.content, "dd", data_testid="process-owner"))
    children = find(response.content, "ul", data_testid="process-children")
    for code in M01_CHILDREN:
        assert find_all(children, "a", href=detail(code))
    child = client_as(lector).get(detail("M01.04"))
    assert find_all(child.content, "a", href=detail("M01"))
    systems = text_of(find(child.content, "ul", data_testid="process-systems"))
    assert "SGC" in systems and "SGAS" in systems and "SGSI" in systems


def test_a_process_outside_every_scope_lists_no_system(client_as, lector):
    response = client_as(lector).get(detail("E01"))
    assert not find_all(response.content, data_testid="process-systems")
    assert list(response.context["systems"]) == []


def test_edit_and_new_buttons_show_for_editors_only(client_as, cmg, lector):
    assert find_all(client_as(cmg).get(MAP).content, "a", href=CREATE)
    assert find_all(client_as(cmg).get(detail("E01")).content, "a", href=edit("E01"))
    assert not find_all(client_as(lector).get(MAP).content, "a", href=CREATE)
    assert not find_all(client_as(lector).get(LIST).content, "a", href=CREATE)
    assert not find_all(client_as(lector).get(detail("E01")).content, "a", href=edit("E01"))


# --- denied ------------------------------------------------------------------------------

PAGES = [lambda: MAP, lambda: LIST, lambda: CREATE, lambda: detail("M01"), lambda: edit("M01")]


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client_as, url):
    response = client_as(None).get(url())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", PAGES)
def test_it_hides_every_page_from_users_without_a_role(client_as, no_role_user, url):
    assert client_as(no_role_user).get(url()).status_code == 404


def test_a_reader_cannot_create_or_edit_a_process(client_as, lector):
    client = client_as(lector)
    before, n = events(), Process.objects.count()
    assert client.post(CREATE, new_process_data()).status_code == 403
    assert client.post(edit("E01"), edit_data("E01", name="Cambiado")).status_code == 403
    assert Process.objects.count() == n and process("E01").name == "Gestión del Programa Presupuestal"
    assert events() == before


def test_a_ut_head_cannot_edit_a_process(client_as, ut_cusco):
    client = client_as(ut_cusco)
    before = events()
    assert client.post(edit("M01.06"), edit_data("M01.06", name="Cambiado")).status_code == 403
    assert process("M01.06").name == "Acompañamiento familiar" and events() == before


# --- writing -----------------------------------------------------------------------------


def test_the_coordinator_creates_a_process_that_appears_on_the_map(client_as, cmg):
    client = client_as(cmg)
    response = client.post(CREATE, new_process_data())
    created = process("A05")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    event = last_event()
    assert event.action == "create" and event.object_id == str(created.pk) and event.actor == cmg
    support = find(client.get(MAP).content, data_band="support")
    assert "A05" in attr_values(support, "data-code", tag="article")


def test_the_coordinator_edits_a_process_and_the_change_is_audited(client_as, cmg):
    client = client_as(cmg)
    before = events()
    response = client.post(edit("E03"), edit_data("E03", name="Gestión de la Comunicación"))
    assert response.status_code == 302
    assert process("E03").name == "Gestión de la Comunicación" and events() == before + 1
    event = last_event()
    assert event.action == "update" and event.object_type == "organization.process" and event.actor == cmg
    assert event.changes == {
        "name": ["Gestión de la Comunicación e Imagen Institucional", "Gestión de la Comunicación"]
    }


def test_moving_a_process_recomputes_the_level_of_its_whole_subtree(client_as, cmg):
    grandchild = Process.objects.create(code="E02.02.01", name="Sub", type="strategic", parent=process("E02.02"))
    assert grandchild.level == 2
    response = client_as(cmg).post(edit("E02"), edit_data("E02", parent=process("E01").pk))
    assert response.status_code == 302
    assert [process(c).level for c in ("E02", "E02.02", "E02.02.01")] == [1, 2, 3]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": ""}, "code"),
        ({"name": ""}, "name"),
        ({"code": "A01"}, "code"),
        ({"name": "x" * 201}, "name"),
        ({"code": "A" * 21}, "code"),
        ({"parent": "999999"}, "parent"),
        ({"owner_unit": "999999"}, "owner_unit"),
        ({"type": "other"}, "type"),
    ],
    ids=[
        "empty-code",
        "empty-name",
        "duplicate-code",
        "too-long-name",
        "too-long-code",
        "unknown-parent",
        "unknown-owner",
        "unknown-type",
    ],
)
def test_it_rejects_bad_input_for_a_new_process_and_stores_nothing(client_as, cmg, overrides, field):
    client = client_as(cmg)
    before, n = events(), Process.objects.count()
    response = client.post(CREATE, new_process_data(**overrides))
    assert response.status_code == 400
    assert has_field_error(response, field)
    assert Process.objects.count() == n and events() == before


@pytest.mark.parametrize("new_parent", ["M01", "M01.01"], ids=["own-parent", "own-grandparent"])
def test_it_refuses_to_make_a_process_its_own_ancestor(client_as, cmg, new_parent):
    client = client_as(cmg)
    before = events()
    response = client.post(edit("M01"), edit_data("M01", parent=process(new_parent).pk))
    assert response.status_code == 400
    assert has_field_error(response, "parent")
    assert process("M01").parent is None and process("M01").level == 0 and events() == before


# --- queries -----------------------------------------------------------------------------


def _add_processes() -> None:
    for i in range(3):
        top = Process.objects.create(
            code=f"X0{i}", name=f"Extra {i}", type="support", order=90 + i, owner_unit=process("A01").owner_unit
        )
        for j in range(3):
            Process.objects.create(
                code=f"X0{i}.0{j}",
                name=f"Extra {i}.{j}",
                type="support",
                parent=top,
                owner_unit=process("A01").owner_unit,
            )


def test_the_map_runs_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get(MAP)
    with django_assert_num_queries(5):
        client.get(MAP)
    _add_processes()
    with django_assert_num_queries(5):
        response = client.get(MAP)
    assert attr_values(find(response.content, "article", data_code="X02"), "data-code", tag="li") == [
        "X02.00",
        "X02.01",
        "X02.02",
    ]


def test_the_table_runs_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get(LIST)
    with django_assert_num_queries(4):
        client.get(LIST)
    _add_processes()
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert find_all(response.content, "tr", data_code="X02.02")
