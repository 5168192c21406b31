"""A requirement's page: both short titles, its place in the tree, and — the reason the page exists —
the same harmonized clause in the other standards, one click away."""

import re

from django.urls import reverse

from catalog.models import Requirement

TWIN = re.compile(r'<a href="([^"]+)" data-edition="([^"]+)" data-number="([^"]+)">')


def _req(label: str, number: str) -> Requirement:
    return Requirement.objects.get(edition__label=label, number=number)


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


def _twins(html: str) -> list[tuple[str, str, str]]:
    return TWIN.findall(_section(html, "hs-twins"))


def test_iso37001_internal_audit_links_to_internal_audit_in_9001_and_both_27001_editions(client_as, lector):
    req = _req("ISO 37001:2016", "9.2")
    twins = _twins(client_as(lector).get(req.get_absolute_url()).content.decode())
    for label in ["ISO 9001:2015", "ISO/IEC 27001:2013", "ISO/IEC 27001:2022"]:
        assert (_req(label, "9.2").get_absolute_url(), label, "9.2") in twins


def test_twins_are_grouped_by_edition_in_standard_order_and_exclude_the_requirement_itself(client_as, lector):
    req = _req("ISO 37001:2016", "9.2")
    twins = _twins(client_as(lector).get(req.get_absolute_url()).content.decode())
    editions = [label for _, label, _ in twins]
    assert editions == sorted(editions, key=["ISO 9001:2015", "ISO/IEC 27001:2013", "ISO/IEC 27001:2022"].index)
    assert req.get_absolute_url() not in [href for href, _, _ in twins]
    assert ("ISO 9001:2015", "9.2.1") in [(label, number) for _, label, number in twins]


def test_iso27001_2022_continual_improvement_is_a_twin_of_iso9001_10_3(client_as, lector):
    req = _req("ISO/IEC 27001:2022", "10.1")
    html = client_as(lector).get(req.get_absolute_url()).content.decode()
    assert f'href="{reverse("catalog:hs_detail", args=["10.2"])}" data-field="hs_clause"' in html
    twin = _req("ISO 9001:2015", "10.3")
    assert (twin.get_absolute_url(), "ISO 9001:2015", "10.3") in _twins(html)
    # 27001:2022's own 10.2 (nonconformity) sits on HS 10.1, so it is not a twin.
    assert _req("ISO/IEC 27001:2022", "10.2").get_absolute_url() not in html


def test_it_shows_both_short_titles(client_as, lector):
    req = _req("ISO 37001:2016", "8.2")
    html = client_as(lector).get(req.get_absolute_url()).content.decode()
    assert f'<dd lang="es" data-field="title">{req.title}</dd>' in html
    assert f'<dd lang="en" data-field="title_en">{req.title_en}</dd>' in html


def test_its_heading_uses_the_english_title_when_english_is_active(client_as, lector):
    req = _req("ISO 37001:2016", "8.2")
    client = client_as(lector)
    assert f"<h1>ISO 37001:2016 8.2 · {req.title}</h1>" in client.get(req.get_absolute_url()).content.decode()
    client.cookies["sig_language"] = "en"
    assert f"<h1>ISO 37001:2016 8.2 · {req.title_en}</h1>" in client.get(req.get_absolute_url()).content.decode()


def test_it_links_the_parent_and_the_children(client_as, lector):
    req = _req("ISO 9001:2015", "9.2")
    html = client_as(lector).get(req.get_absolute_url()).content.decode()
    assert f'href="{_req("ISO 9001:2015", "9").get_absolute_url()}" data-field="parent"' in html
    children = _section(html, "children")
    assert f'href="{_req("ISO 9001:2015", "9.2.1").get_absolute_url()}"' in children
    assert f'href="{_req("ISO 9001:2015", "9.2.2").get_absolute_url()}"' in children


def test_an_annex_a_2013_control_shows_where_it_went_in_2022(client_as, lector):
    client = client_as(lector)
    client.cookies["sig_language"] = "en"
    req = _req("ISO/IEC 27001:2013", "A.5.1.2")
    mappings = _section(client.get(req.get_absolute_url()).content.decode(), "mappings")
    assert '<tr data-relation="subset">' in mappings
    assert "Part of" in mappings
    assert f'href="{_req("ISO/IEC 27001:2022", "A.5.1").get_absolute_url()}"' in mappings


def test_an_annex_a_2022_control_shows_every_2013_control_that_maps_to_it(client_as, lector):
    req = _req("ISO/IEC 27001:2022", "A.5.1")
    mappings = _section(client_as(lector).get(req.get_absolute_url()).content.decode(), "mappings")
    assert f'href="{_req("ISO/IEC 27001:2013", "A.5.1.1").get_absolute_url()}"' in mappings
    assert f'href="{_req("ISO/IEC 27001:2013", "A.5.1.2").get_absolute_url()}"' in mappings
    assert re.findall(r'<tr data-relation="(\w+)">', mappings) == ["equal", "subset"]


def test_a_clause_has_no_mapping_section_and_a_control_no_twins_section(client_as, lector):
    client = client_as(lector)
    clause_html = client.get(_req("ISO 9001:2015", "9.2").get_absolute_url()).content.decode()
    control_html = client.get(_req("ISO/IEC 27001:2022", "A.5.7").get_absolute_url()).content.decode()
    assert 'id="mappings"' not in clause_html
    assert 'id="hs-twins"' not in control_html


def test_a_reader_sees_loaded_official_text_but_no_form(client_as, lector):
    req = _req("ISO 9001:2015", "4.1")
    req.official_text = "Licensed wording, line one."
    req.save(update_fields=["official_text"])
    html = client_as(lector).get(req.get_absolute_url()).content.decode()
    official = _section(html, "official-text")
    assert "Licensed wording, line one." in official
    assert "<form" not in official


def test_it_says_when_no_official_text_is_loaded(client_as, lector):
    req = _req("ISO 9001:2015", "4.2")
    official = _section(client_as(lector).get(req.get_absolute_url()).content.decode(), "official-text")
    assert 'data-loaded="no"' in official


def test_an_editor_gets_the_official_text_form(client_as, cmg):
    req = _req("ISO 9001:2015", "4.1")
    official = _section(client_as(cmg).get(req.get_absolute_url()).content.decode(), "official-text")
    assert f'action="{reverse("catalog:requirement_official_text", args=[req.pk])}"' in official
    assert 'method="post"' in official
    assert '<label for="id_official_text">' in official


def test_an_unknown_requirement_is_404(client_as, lector):
    assert client_as(lector).get(reverse("catalog:requirement_detail", args=[999999])).status_code == 404


def test_its_query_count_is_pinned(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    req = _req("ISO 9001:2015", "9.2")
    # session, user, role assignments, requirement, parent, children, twins, mappings,
    # the areas' panels: documents serving it, evidence links (one more per kind of evidence found),
    # audit findings citing it, nonconformities citing it, risks linked to it (controls and SoA
    # decisions only for an Annex A control)
    with django_assert_num_queries(13):
        response = client.get(req.get_absolute_url())
    assert response.status_code == 200


def test_an_annex_a_control_page_costs_the_same_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    req = _req("ISO/IEC 27001:2022", "A.5.9")
    # session, user, role assignments, requirement, parent, children, mappings (twins: none, no query),
    # the areas' panels: documents serving it, evidence links, audit findings, nonconformities,
    # risks and our controls, SoA decisions
    with django_assert_num_queries(14):
        response = client.get(req.get_absolute_url())
    assert response.status_code == 200
