"""The standards list: every edition with its structure and size, and the ways into the catalogue."""

import re

import pytest
from django.urls import reverse

from catalog.models import Edition

URL = reverse("catalog:standard_list")
ROW = re.compile(
    r'<tr data-edition="(?P<label>[^"]+)">\s*<th scope="row"><a href="(?P<href>[^"]+)">.*?'
    r'<td class="n-clauses">(?P<clauses>[^<]+)</td>\s*<td class="n-controls">(?P<controls>[^<]+)</td>',
    re.S,
)


def _rows(html: str) -> dict[str, dict[str, str]]:
    return {m["label"]: m.groupdict() for m in ROW.finditer(html)}


def test_it_lists_the_four_editions_in_standard_order(client_as, lector):
    html = client_as(lector).get(URL).content.decode()
    assert list(_rows(html)) == ["ISO 9001:2015", "ISO 37001:2016", "ISO/IEC 27001:2013", "ISO/IEC 27001:2022"]


def test_it_groups_the_two_27001_editions_under_one_standard(client_as, lector):
    html = client_as(lector).get(URL).content.decode()
    assert re.findall(r'<section class="standard" data-standard="([^"]+)">', html) == [
        "ISO 9001",
        "ISO 37001",
        "ISO/IEC 27001",
    ]


def test_it_counts_114_annex_a_controls_in_2013_and_93_in_2022(client_as, lector):
    rows = _rows(client_as(lector).get(URL).content.decode())
    assert rows["ISO/IEC 27001:2013"]["controls"] == "114"
    assert rows["ISO/IEC 27001:2022"]["controls"] == "93"
    assert rows["ISO 9001:2015"]["controls"] == "—"


def test_it_counts_the_clauses_of_each_edition(client_as, lector):
    rows = _rows(client_as(lector).get(URL).content.decode())
    for edition in Edition.objects.all():
        assert rows[edition.label]["clauses"] == str(edition.requirements.filter(kind="clause").count())


def test_it_links_each_edition_to_its_page(client_as, lector):
    rows = _rows(client_as(lector).get(URL).content.decode())
    for edition in Edition.objects.all():
        assert rows[edition.label]["href"] == reverse("catalog:edition_detail", args=[edition.pk])


def test_it_shows_the_national_adoption_and_structure(client_as, lector):
    client = client_as(lector)
    client.cookies["sig_language"] = "en"
    html = client.get(URL).content.decode()
    assert "NTP-ISO 37001:2017" in html
    row_2022 = html[html.index('data-edition="ISO/IEC 27001:2022"') :]
    assert "Harmonized structure (2021)" in row_2022.split("</tr>")[0]
    row_2013 = html[html.index('data-edition="ISO/IEC 27001:2013"') :]
    assert "High-level structure (2012)" in row_2013.split("</tr>")[0]


def test_it_links_to_the_harmonized_structure_and_the_27001_mapping(client_as, lector):
    html = client_as(lector).get(URL).content.decode()
    assert f'href="{reverse("catalog:hs_list")}"' in html
    assert f'href="{reverse("catalog:mapping_27001")}"' in html


def test_it_says_that_no_iso_text_is_shown(client_as, lector):
    html = client_as(lector).get(URL).content.decode()
    assert 'id="copyright-note"' in html


@pytest.mark.parametrize("persona", ["cmg", "lector", "ut_puno", "auditor", "integridad"])
def test_every_person_with_a_role_can_read_it(client_as, db, persona, request):
    assert client_as(request.getfixturevalue(persona)).get(URL).status_code == 200


def test_its_query_count_is_pinned(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    # session, user, role assignments, editions with both counts in one query
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200
