"""An edition's page: its requirements as an indented tree, with a filter that also works via HTMX."""

import re

import pytest
from django.urls import reverse

from catalog.models import Edition, Requirement

ITEM = re.compile(r'<li class="d(\d)" data-number="([^"]+)" data-kind="([^"]+)">')


def _url(label: str) -> str:
    return reverse("catalog:edition_detail", args=[Edition.objects.get(label=label).pk])


def _items(html: str) -> list[tuple[int, str, str]]:
    return [(int(depth), number, kind) for depth, number, kind in ITEM.findall(html)]


def _numbers(html: str) -> list[str]:
    return [number for _, number, _ in _items(html)]


def test_it_lists_the_clause_tree_in_order_with_indentation_by_depth(client_as, lector):
    items = _items(client_as(lector).get(_url("ISO 9001:2015")).content.decode())
    assert items[:3] == [(0, "4", "clause"), (1, "4.1", "clause"), (1, "4.2", "clause")]
    depths = dict((number, depth) for depth, number, _ in items)
    assert depths["7.1"] == 1
    assert depths["7.1.1"] == 2
    assert [n for _, n, _ in items if "." not in n] == ["4", "5", "6", "7", "8", "9", "10"]


def test_it_lists_every_requirement_of_the_edition_once(client_as, lector):
    edition = Edition.objects.get(label="ISO/IEC 27001:2013")
    numbers = _numbers(client_as(lector).get(_url(edition.label)).content.decode())
    assert numbers == list(edition.requirements.order_by("order").values_list("number", flat=True))
    assert len(numbers) == 198


def test_each_requirement_links_to_its_page_and_its_harmonized_clause(client_as, lector):
    req = Requirement.objects.get(edition__label="ISO 9001:2015", number="8.2")
    html = client_as(lector).get(_url("ISO 9001:2015")).content.decode()
    item = html[html.index('data-number="8.2"') :].split("</li>")[0]
    assert f'href="{req.get_absolute_url()}"' in item
    assert f'href="{reverse("catalog:hs_detail", args=["8.1"])}"' in item


def test_annex_a_controls_carry_no_harmonized_clause_badge(client_as, lector):
    html = client_as(lector).get(_url("ISO/IEC 27001:2022")).content.decode()
    item = html[html.index('data-number="A.5.1"') :].split("</li>")[0]
    assert "estructura-armonizada" not in item


def test_the_filter_narrows_by_number_prefix(client_as, lector):
    html = client_as(lector).get(_url("ISO 9001:2015"), {"q": "9.2"}).content.decode()
    assert _numbers(html) == ["9.2", "9.2.1", "9.2.2"]


def test_the_filter_finds_titles_in_either_language(client_as, lector):
    client = client_as(lector)
    spanish = _numbers(client.get(_url("ISO 37001:2016"), {"q": "debida diligencia"}).content.decode())
    english = _numbers(client.get(_url("ISO 37001:2016"), {"q": "vetting"}).content.decode())
    assert "8.2" in spanish
    assert "8.2" in english


def test_the_filter_narrows_by_kind(client_as, lector):
    html = client_as(lector).get(_url("ISO/IEC 27001:2013"), {"kind": "control"}).content.decode()
    items = _items(html)
    assert len(items) == 114
    assert {kind for _, _, kind in items} == {"control"}


def test_the_filter_combines_number_and_kind(client_as, lector):
    html = client_as(lector).get(_url("ISO/IEC 27001:2022"), {"q": "A.8.1", "kind": "control"}).content.decode()
    assert _numbers(html) == ["A.8.1"] + [f"A.8.{i}" for i in range(10, 20)]


def test_an_unknown_kind_is_refused_with_400(client_as, lector):
    response = client_as(lector).get(_url("ISO 9001:2015"), {"kind": "everything"})
    assert response.status_code == 400


def test_an_htmx_filter_request_gets_only_the_list(client_as, lector):
    response = client_as(lector).get(_url("ISO 9001:2015"), {"q": "9.2"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="filters"' not in html
    assert 'id="requirement-count" data-count="3"' in html
    assert _numbers(html) == ["9.2", "9.2.1", "9.2.2"]
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client_as, lector):
    response = client_as(lector).get(
        _url("ISO 9001:2015"),
        {"q": "9.2"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_the_filter_form_is_wired_for_htmx(client_as, lector):
    url = _url("ISO 9001:2015")
    html = client_as(lector).get(url).content.decode()
    form = html[html.index('<form class="filters"') :].split(">")[0]
    assert 'method="get"' in form
    assert f'hx-get="{url}"' in form
    assert 'hx-target="#requirement-list"' in form
    assert 'id="requirement-list"' in html


def test_an_unknown_edition_is_404(client_as, lector):
    assert client_as(lector).get(reverse("catalog:edition_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("label", ["ISO 9001:2015", "ISO/IEC 27001:2013"])
def test_its_query_count_does_not_grow_with_the_number_of_requirements(
    client_as, cmg, label, django_assert_num_queries
):
    client = client_as(cmg)
    url = _url(label)
    # session, user, role assignments, edition, requirements (with edition and HS clause joined)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert response.status_code == 200
