"""Management systems (SGC, SGAS, SGSI): list, detail with the scope matrix, edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Edition
from organization.models import ManagementSystem, Scope
from organization.tests.helpers import attr_values, events, find, find_all, has_field_error, last_event, system, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("organization:system_list")


def detail(code: str) -> str:
    return reverse("organization:system_detail", args=[system(code).pk])


def edit(code: str) -> str:
    return reverse("organization:system_edit", args=[system(code).pk])


def edit_data(code: str, **overrides: object) -> dict[str, object]:
    s = system(code)
    data: dict[str, object] = {
        "objective": s.objective,
        "certification_status": s.certification_status,
        "certification_body": s.certification_body,
        "certificate_number": s.certificate_number,
        "certified_until": s.certified_until.isoformat() if s.certified_until else "",
    }
    data.update(overrides)
    return data


def matrix_rows(content: bytes, in_scope: str) -> list[str]:
    """Site codes of the matrix rows marked in scope ("yes") or not ("no")."""
    matrix = find(content, "table", data_testid="scope-matrix")
    return [dict(tr.attributes)["data-site"] for tr in find_all(matrix, "tr", data_in_scope=in_scope)]


# --- list --------------------------------------------------------------------------------


def test_it_lists_the_three_systems_with_edition_status_and_scope(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    assert attr_values(find(response.content, data_testid="system-cards"), "data-code", tag="section") == [
        "SGC",
        "SGAS",
        "SGSI",
    ]
    sgsi = find(response.content, "section", data_code="SGSI")
    assert "ISO/IEC 27001:2013" in text_of(sgsi) and "Alcance SGSI" in text_of(sgsi)
    assert find_all(sgsi, "a", href=reverse("catalog:edition_detail", args=[system("SGSI").edition_id]))
    assert find_all(sgsi, "span", data_status="implementing")
    assert find_all(find(response.content, "section", data_code="SGC"), "span", data_status="certified")


def test_it_notes_that_sgc_and_sgas_share_one_scope(client_as, lector):
    response = client_as(lector).get(LIST)
    assert (
        dict(find(find(response.content, "section", data_code="SGC"), data_testid="shared-scope").attributes)[
            "data-shared-with"
        ]
        == "SGAS"
    )
    assert (
        dict(find(find(response.content, "section", data_code="SGAS"), data_testid="shared-scope").attributes)[
            "data-shared-with"
        ]
        == "SGC"
    )
    assert not find_all(find(response.content, "section", data_code="SGSI"), data_testid="shared-scope")


# --- detail ------------------------------------------------------------------------------


def test_the_sgsi_scope_covers_only_the_sede_central(client_as, lector):
    response = client_as(lector).get(detail("SGSI"))
    assert response.status_code == 200
    assert matrix_rows(response.content, "yes") == ["SC"]
    assert len(matrix_rows(response.content, "no")) == 21
    matrix = find(response.content, "table", data_testid="scope-matrix")
    assert attr_values(matrix, "data-code", tag="th") == ["M01.04"]
    assert len(find_all(matrix, "td", **{"class": "yes"})) == 1


def test_the_sgc_scope_covers_six_processes_at_all_22_sites(client_as, lector):
    response = client_as(lector).get(detail("SGC"))
    matrix = find(response.content, "table", data_testid="scope-matrix")
    assert attr_values(matrix, "data-code", tag="th") == ["M01.01", "M01.02", "M01.03", "M01.04", "M01.05", "M01.06"]
    assert len(matrix_rows(response.content, "yes")) == 22 and matrix_rows(response.content, "no") == []
    assert len(find_all(matrix, "td", **{"class": "yes"})) == 22 * 6
    assert "UT Cusco" in text_of(find(matrix, "tr", data_site="UT-CUS"))


def test_the_detail_says_which_systems_share_the_scope(client_as, lector):
    sgc = client_as(lector).get(detail("SGC"))
    assert find_all(find(sgc.content, data_testid="shared-with"), "a", href=detail("SGAS"))
    assert not find_all(client_as(lector).get(detail("SGSI")).content, data_testid="shared-with")


def test_the_detail_shows_objective_statement_and_edition_link(client_as, lector):
    response = client_as(lector).get(detail("SGC"))
    content = response.content.decode()
    assert "Garantizar la capacidad para brindar un servicio" in content
    assert "Procesos de Afiliación" in text_of(find(response.content, data_testid="scope-statement"))
    assert find_all(response.content, "a", href=reverse("catalog:edition_detail", args=[system("SGC").edition_id]))


def test_the_edit_button_shows_for_editors_only(client_as, cmg, lector):
    assert find_all(client_as(cmg).get(detail("SGC")).content, "a", href=edit("SGC"))
    assert not find_all(client_as(lector).get(detail("SGC")).content, "a", href=edit("SGC"))


# --- denied ------------------------------------------------------------------------------

PAGES = [lambda: LIST, lambda: detail("SGC"), lambda: edit("SGC")]


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client_as, url):
    response = client_as(None).get(url())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", PAGES)
def test_it_hides_every_page_from_users_without_a_role(client_as, no_role_user, url):
    assert client_as(no_role_user).get(url()).status_code == 404


@pytest.mark.parametrize("user", ["lector", "ut_cusco", "oficial_si"])
def test_only_reference_editors_may_edit_a_system(client_as, request, user):
    client = client_as(request.getfixturevalue(user))
    before = events()
    response = client.post(edit("SGSI"), edit_data("SGSI", certification_status="certified"))
    assert response.status_code == 403
    assert system("SGSI").certification_status == "implementing" and events() == before


# --- writing -----------------------------------------------------------------------------


def test_the_coordinator_records_a_certification_and_it_is_audited(client_as, cmg):
    client = client_as(cmg)
    response = client.post(
        edit("SGSI"),
        edit_data(
            "SGSI",
            certification_status="certified",
            certification_body="Organismo Demo",
            certificate_number="SI-0001",
            certified_until="2027-12-31",
        ),
    )
    assert response.status_code == 302 and response.url == detail("SGSI")
    sgsi = system("SGSI")
    assert sgsi.certification_status == "certified" and str(sgsi.certified_until) == "2027-12-31"
    event = last_event()
    assert event.action == "update" and event.object_type == "organization.managementsystem"
    assert event.changes["certification_status"] == ["implementing", "certified"]
    assert event.changes["certificate_number"] == ["", "SI-0001"]
    assert "31/12/2027" in client.get(detail("SGSI")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"objective": ""}, "objective"),
        ({"certified_until": "not a date"}, "certified_until"),
        ({"certification_status": "bogus"}, "certification_status"),
        ({"certificate_number": "x" * 101}, "certificate_number"),
    ],
    ids=["empty-objective", "bad-date", "unknown-status", "too-long-number"],
)
def test_it_rejects_bad_input_and_stores_nothing(client_as, cmg, overrides, field):
    client = client_as(cmg)
    before = events()
    response = client.post(edit("SGC"), edit_data("SGC", **overrides))
    assert response.status_code == 400 and has_field_error(response, field)
    assert ManagementSystem.objects.get(code="SGC").objective.startswith("Garantizar") and events() == before


# --- queries -----------------------------------------------------------------------------


def test_the_system_list_runs_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get(LIST)
    with django_assert_num_queries(4):
        client.get(LIST)
    scope = Scope.objects.create(name="Alcance demo", statement="Demo.")
    edition = Edition.objects.get(label="ISO 9001:2015")
    for i in range(3):
        ManagementSystem.objects.create(
            code=f"SGX{i}", name=f"Sistema {i}", edition=edition, objective="Demo", scope=scope, order=10 + i
        )
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(find_all(response.content, data_testid="shared-scope")) == 2 + 3 * 2
