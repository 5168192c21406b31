"""Glossary (seed §4 plus the Spanish domain words kept in the UI): list, detail, create/edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organization.models import GlossaryTerm
from organization.tests.helpers import attr_values, events, find, find_all, has_field_error, last_event, term, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("organization:glossary_list")
CREATE = reverse("organization:glossary_create")


def detail(text: str) -> str:
    return reverse("organization:glossary_detail", args=[term(text).pk])


def edit(text: str) -> str:
    return reverse("organization:glossary_edit", args=[term(text).pk])


def new_term_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "term": "Parte interesada",
        "is_acronym": "",
        "source": "Plan §4",
        "definition": "Persona u organización que puede afectar o verse afectada por una decisión.",
        "definition_en": "Person or organisation that can affect or be affected by a decision.",
    }
    data.update(overrides)
    return data


def edit_data(text: str, **overrides: object) -> dict[str, object]:
    t = term(text)
    data: dict[str, object] = {
        "term": t.term,
        "is_acronym": "on" if t.is_acronym else "",
        "definition": t.definition,
        "definition_en": t.definition_en,
        "source": t.source,
    }
    data.update(overrides)
    return data


# --- reading -----------------------------------------------------------------------------


def test_it_lists_every_term_alphabetically_with_its_definition(client_as, lector):
    response = client_as(lector).get(LIST)
    assert response.status_code == 200
    terms = attr_values(find(response.content, "table", data_testid="glossary-table"), "data-term", tag="tr")
    assert len(terms) == GlossaryTerm.objects.count() == 21
    assert terms == list(GlossaryTerm.objects.values_list("term", flat=True))  # the model's alphabetical order
    assert {"Calidad", "Soborno", "SIG", "UT", "QRD", "RDE", "Acta"} <= set(terms)
    assert "Grado en el que un conjunto de características" in text_of(
        find(response.content, "tr", data_term="Calidad")
    )


def test_it_flags_acronyms(client_as, lector):
    response = client_as(lector).get(LIST)
    assert find_all(find(response.content, "tr", data_term="SGSI"), data_testid="acronym")
    assert not find_all(find(response.content, "tr", data_term="Soborno"), data_testid="acronym")


def test_english_readers_get_the_english_definition(client_as, lector):
    client = client_as(lector)
    client.cookies["sig_language"] = "en"
    row = text_of(find(client.get(LIST).content, "tr", data_term="Calidad"))
    assert "Degree to which a set of inherent characteristics" in row


def test_the_detail_shows_definition_and_source(client_as, ut_cusco):
    response = client_as(ut_cusco).get(detail("QRD"))
    assert response.status_code == 200
    assert "Quejas, reclamos y denuncias" in text_of(find(response.content, data_testid="term-definition"))
    assert "Plan Tabla 03" in response.content.decode()


def test_new_and_edit_buttons_show_for_editors_only(client_as, cmg, lector):
    assert find_all(client_as(cmg).get(LIST).content, "a", href=CREATE)
    assert find_all(client_as(cmg).get(detail("SIG")).content, "a", href=edit("SIG"))
    assert not find_all(client_as(lector).get(LIST).content, "a", href=CREATE)
    assert not find_all(client_as(lector).get(detail("SIG")).content, "a", href=edit("SIG"))


# --- denied ------------------------------------------------------------------------------

PAGES = [lambda: LIST, lambda: CREATE, lambda: detail("SIG"), lambda: edit("SIG")]


@pytest.mark.parametrize("url", PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(client_as, url):
    response = client_as(None).get(url())
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", PAGES)
def test_it_hides_every_page_from_users_without_a_role(client_as, no_role_user, url):
    assert client_as(no_role_user).get(url()).status_code == 404


@pytest.mark.parametrize("user", ["lector", "auditor"])
def test_only_reference_editors_may_create_or_edit_a_term(client_as, request, user):
    client = client_as(request.getfixturevalue(user))
    before, n = events(), GlossaryTerm.objects.count()
    assert client.post(CREATE, new_term_data()).status_code == 403
    assert client.post(edit("SIG"), edit_data("SIG", definition="Otra cosa.")).status_code == 403
    assert GlossaryTerm.objects.count() == n and term("SIG").definition.startswith("Sistema Integrado")
    assert events() == before


# --- writing -----------------------------------------------------------------------------


def test_the_coordinator_adds_a_term_and_it_is_audited(client_as, cmg):
    client = client_as(cmg)
    response = client.post(CREATE, new_term_data())
    created = term("Parte interesada")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    event = last_event()
    assert event.action == "create" and event.object_type == "organization.glossaryterm" and event.actor == cmg
    assert event.changes["term"] == [None, "Parte interesada"]
    assert find_all(client.get(LIST).content, "tr", data_term="Parte interesada")


def test_the_coordinator_edits_a_definition_and_it_is_audited(client_as, cmg):
    client = client_as(cmg)
    before = events()
    assert (
        client.post(edit("POI"), edit_data("POI", definition="Plan Operativo Institucional (anual).")).status_code
        == 302
    )
    assert term("POI").definition == "Plan Operativo Institucional (anual)." and events() == before + 1
    assert last_event().changes == {
        "definition": ["Plan Operativo Institucional.", "Plan Operativo Institucional (anual)."]
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term": ""}, "term"),
        ({"definition": ""}, "definition"),
        ({"term": "Calidad"}, "term"),
        ({"term": "x" * 151}, "term"),
        ({"source": "x" * 101}, "source"),
    ],
    ids=["empty-term", "empty-definition", "duplicate-term", "too-long-term", "too-long-source"],
)
def test_it_rejects_bad_input_and_stores_nothing(client_as, cmg, overrides, field):
    client = client_as(cmg)
    before, n = events(), GlossaryTerm.objects.count()
    response = client.post(CREATE, new_term_data(**overrides))
    assert response.status_code == 400 and has_field_error(response, field)
    assert GlossaryTerm.objects.count() == n and events() == before


# --- queries -----------------------------------------------------------------------------


def test_the_glossary_runs_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get(LIST)
    with django_assert_num_queries(4):
        client.get(LIST)
    for i in range(5):
        GlossaryTerm.objects.create(term=f"Término {i}", definition=f"Definición {i}.")
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(attr_values(response.content, "data-term", tag="tr")) == 26
