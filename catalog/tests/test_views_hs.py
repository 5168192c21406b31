"""The harmonized structure: its 21 clauses, and each clause with the requirements of every edition."""

import re

from django.urls import reverse

from catalog.models import HarmonizedClause, Requirement

LIST_URL = reverse("catalog:hs_list")
ROW = re.compile(r'<tr data-hs="([^"]+)">.*?<td class="n-requirements">(\d+)</td>', re.S)


def _detail_url(number: str) -> str:
    return reverse("catalog:hs_detail", args=[number])


def test_it_lists_the_21_clauses_in_order_with_their_number_of_requirements(client_as, lector):
    rows = ROW.findall(client_as(lector).get(LIST_URL).content.decode())
    assert [number for number, _ in rows] == list(HarmonizedClause.objects.values_list("number", flat=True))
    assert len(rows) == 21
    for number, count in rows:
        assert int(count) == Requirement.objects.filter(hs_clause__number=number).count(), number


def test_each_clause_links_to_its_page(client_as, lector):
    html = client_as(lector).get(LIST_URL).content.decode()
    assert f'<a href="{_detail_url("9.2")}">9.2</a>' in html
    assert f'<a href="{_detail_url("10.1")}">10.1</a>' in html


def test_a_clause_page_groups_the_requirements_of_every_edition(client_as, lector):
    html = client_as(lector).get(_detail_url("9.2")).content.decode()
    assert re.findall(r'<section class="hs-edition" data-edition="([^"]+)">', html) == [
        "ISO 9001:2015",
        "ISO 37001:2016",
        "ISO/IEC 27001:2013",
        "ISO/IEC 27001:2022",
    ]
    for label in ["ISO 9001:2015", "ISO 37001:2016", "ISO/IEC 27001:2013", "ISO/IEC 27001:2022"]:
        req = Requirement.objects.get(edition__label=label, number="9.2")
        assert f'href="{req.get_absolute_url()}" data-edition="{label}" data-number="9.2"' in html


def test_a_clause_page_lists_exactly_the_requirements_mapped_to_it(client_as, lector):
    html = client_as(lector).get(_detail_url("10.2")).content.decode()
    shown = re.findall(r'data-edition="([^"]+)" data-number="([^"]+)"', html)
    expected = Requirement.objects.filter(hs_clause__number="10.2").values_list("edition__label", "number")
    assert sorted(shown) == sorted(expected)
    assert ("ISO 9001:2015", "10.3") in shown
    assert ("ISO/IEC 27001:2022", "10.1") in shown


def test_a_clause_page_shows_both_titles(client_as, lector):
    clause = HarmonizedClause.objects.get(number="9.2")
    html = client_as(lector).get(_detail_url("9.2")).content.decode()
    assert f'<dd lang="es">{clause.title}</dd>' in html
    assert f'<dd lang="en">{clause.title_en}</dd>' in html


def test_an_unknown_clause_is_404(client_as, lector):
    assert client_as(lector).get(_detail_url("11.1")).status_code == 404


def test_the_list_query_count_is_pinned(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    # session, user, role assignments, clauses with their counts
    with django_assert_num_queries(4):
        assert client.get(LIST_URL).status_code == 200


def test_the_clause_page_query_count_is_pinned(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    # session, user, role assignments, clause, requirements with their editions
    with django_assert_num_queries(5):
        assert client.get(_detail_url("8.1")).status_code == 200
