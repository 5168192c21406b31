"""The ISO/IEC 27001 Annex A cross-walk 2013 → 2022."""

import re

from django.urls import reverse

from catalog.models import Requirement

URL = reverse("catalog:mapping_27001")
ROW = re.compile(r'<tr data-source="([^"]+)" data-target="([^"]+)" data-relation="([^"]+)">')
NEW_IN_2022 = [
    "A.5.7",
    "A.5.23",
    "A.5.30",
    "A.7.4",
    "A.8.9",
    "A.8.10",
    "A.8.11",
    "A.8.12",
    "A.8.16",
    "A.8.23",
    "A.8.28",
]


def _new_controls(html: str) -> list[str]:
    start = html.index('<section id="new-controls">')
    section = html[start : html.index("</section>", start)]
    return re.findall(r'<li data-number="([^"]+)">', section)


def test_it_lists_the_117_correspondences(client_as, lector):
    rows = ROW.findall(client_as(lector).get(URL).content.decode())
    assert len(rows) == 117
    assert ("A.5.1.1", "A.5.1", "equal") in rows
    assert ("A.5.1.2", "A.5.1", "subset") in rows


def test_every_2013_control_appears_in_order(client_as, lector):
    rows = ROW.findall(client_as(lector).get(URL).content.decode())
    sources = list(dict.fromkeys(source for source, _, _ in rows))
    expected = Requirement.objects.filter(edition__label="ISO/IEC 27001:2013", kind="control").order_by("order")
    assert sources == list(expected.values_list("number", flat=True))


def test_each_row_links_both_controls(client_as, lector):
    html = client_as(lector).get(URL).content.decode()
    row = html[html.index('data-source="A.6.2.2"') :].split("</tr>")[0]
    assert Requirement.objects.get(edition__label="ISO/IEC 27001:2013", number="A.6.2.2").get_absolute_url() in row
    assert Requirement.objects.get(edition__label="ISO/IEC 27001:2022", number="A.6.7").get_absolute_url() in row


def test_the_columns_are_headed_by_the_edition_labels(client_as, lector):
    html = client_as(lector).get(URL).content.decode()
    head = html[html.index('<table id="mapping-table">') : html.index("</thead>")]
    assert "ISO/IEC 27001:2013" in head
    assert "ISO/IEC 27001:2022" in head


def test_it_lists_the_11_controls_new_in_2022(client_as, lector):
    html = client_as(lector).get(URL).content.decode()
    assert _new_controls(html) == NEW_IN_2022
    item = html[html.index('<li data-number="A.5.23">') :].split("</li>")[0]
    assert Requirement.objects.get(edition__label="ISO/IEC 27001:2022", number="A.5.23").get_absolute_url() in item


def test_its_query_count_is_pinned(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    # session, user, role assignments, mappings with both controls and editions, new controls
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200
