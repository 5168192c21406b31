"""Master-list text search over codes, titles and the text of versions (including text extracted
from uploaded files). PostgreSQL uses full-text search ('spanish', ranked, GIN index); other
databases a substring match. The tests marked `postgresql` run only there."""

from __future__ import annotations

import pytest
from django.db import connection

from documents import services
from documents.access import documents_visible_to
from documents.selectors import search
from documents.tests.page_support import LIST, draft, find_all, inspected, load_types, pdf_bytes, vigente

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def found(client, q: str) -> list[str]:
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    return [
        dict(r.attributes)["data-code"] for r in find_all(response.content, "tr") if "data-code" in dict(r.attributes)
    ]


def test_a_word_that_only_appears_inside_an_uploaded_pdf_finds_the_document(client_as, cmg):
    document = draft(
        cmg,
        "Procedimiento sin pistas en el título",
        content="",
        upload=inspected("p.pdf", pdf_bytes("Conciliacion bancaria de transferencias")),
    )
    draft(cmg, "Otro procedimiento")
    assert found(client_as(cmg), "conciliacion") == [document.code]


def test_the_title_and_the_written_content_are_searched(client_as, cmg):
    by_title = draft(cmg, "Guía de atención de quejas")
    by_content = draft(cmg, "Instructivo", type_code="I", content="Registrar cada reclamo en el libro")
    client = client_as(cmg)
    assert found(client, "quejas") == [by_title.code]
    assert found(client, "reclamo") == [by_content.code]
    assert found(client, "palabrainexistente") == []


def test_a_code_shaped_query_matches_part_of_the_code(client_as, cmg):
    first = draft(cmg, "Uno", type_code="MT", unit_code="UPPM-CSE")
    second = draft(cmg, "Dos", type_code="MT", unit_code="UPPM-CSE")
    client = client_as(cmg)
    assert set(found(client, "UPPM-CSE-MT")) == {first.code, second.code}
    assert found(client, second.code.lower()) == [second.code]


def test_search_never_widens_the_users_scope(client_as, ut_puno, ut_cusco):
    cusco = draft(ut_cusco, "Instructivo de conciliación Cusco", unit_code="UT-CUS", type_code="I")
    assert found(client_as(ut_puno), "Cusco") == []
    assert found(client_as(ut_cusco), "Cusco") == [cusco.code]


def test_words_of_a_new_draft_are_not_searchable_while_an_earlier_version_is_in_force(
    client_as, cmg, uppm, direccion, ut_cusco
):
    # Other sites see only published versions, so a draft's words must not reveal themselves
    # through the search.
    v1 = vigente(cmg, uppm, direccion, title="Procedimiento de archivo")
    services.start_new_version(
        v1.document, by=cmg, data={"justification": "Cambio", "content": "Texto reservado zanahoria"}
    )
    assert found(client_as(ut_cusco), "zanahoria") == []
    assert found(client_as(ut_cusco), "archivo") == [v1.document.code]


@postgresql_only
def test_postgresql_search_stems_ignores_accents_and_ranks_the_best_match_first(cmg):
    weak = draft(cmg, "Procedimiento general", content="Menciona una fiscalización al pasar.")
    strong = draft(cmg, "Fiscalizaciones internas", content="Plan de fiscalización; fiscalización interna.")
    visible = documents_visible_to(cmg)
    assert [d.code for d in search(visible, "fiscalizacion")] == [strong.code, weak.code]
    assert [d.code for d in search(visible, "fiscalizaciones internas")] == [strong.code]
    assert [d.code for d in search(visible, "fiscalización -interna")] == [weak.code]


@postgresql_only
def test_postgresql_search_uses_the_gin_index(cmg):
    draft(cmg, "Índice")
    qs = search(documents_visible_to(cmg), "indice")
    with connection.cursor() as cursor:
        # A table this small is cheaper to scan whole; leave the planner only bitmap scans, which
        # it can build only from an index whose expression matches the query's.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "documents_document_fts" in plan, plan


@postgresql_only
def test_postgresql_lists_a_word_in_more_documents_than_the_cap_in_code_order(cmg, monkeypatch):
    from documents import selectors

    weak = draft(cmg, "Procedimiento general", content="Menciona una fiscalización al pasar.")
    strong = draft(cmg, "Fiscalizaciones internas", content="Plan de fiscalización; fiscalización interna.")
    visible = documents_visible_to(cmg)
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    assert [d.code for d in search(visible, "fiscalizacion")] == sorted([strong.code, weak.code])


@postgresql_only
def test_postgresql_decides_a_frequent_word_from_the_planners_estimate_without_counting(cmg, monkeypatch):
    """An estimate over the cap lists in code order and spares the exact count (which reads 10,001
    vectors of a frequent word); an estimate under it leaves the decision to the exact count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents import selectors

    weak = draft(cmg, "Procedimiento general", content="Menciona una fiscalización al pasar.")
    strong = draft(cmg, "Fiscalizaciones internas", content="Plan de fiscalización; fiscalización interna.")
    visible = documents_visible_to(cmg)
    assert selectors.estimated_rows(selectors.Document.objects.all()) >= 1
    ranked = [d.code for d in search(visible, "fiscalizacion")]
    assert ranked == [strong.code, weak.code]  # best first
    monkeypatch.setattr(selectors, "estimated_rows", lambda qs: selectors.COUNT_CAP + 1)
    with CaptureQueriesContext(connection) as ctx:
        qs = search(visible, "fiscalizacion")
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert [d.code for d in qs] == sorted([strong.code, weak.code])


@postgresql_only
def test_postgresql_counts_a_frequent_words_list_from_the_estimate_only_far_over_the_cap(cmg, monkeypatch):
    """The list of a word in more documents than the cap says "more than the cap" from the
    planner's estimate, without reading its vectors, when the estimate is ESTIMATE_MARGIN times
    over; nearer, the capped count decides. Real planner, real statistics (ANALYZE)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import pagination
    from documents import selectors

    for i in range(30):
        draft(cmg, f"Fiscalización {i}", content="Plan de fiscalización interna.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_document")
    visible = documents_visible_to(cmg)
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)  # 30 matches: "frequent", listed in code order
    qs = search(visible, "fiscalizacion")
    assert 20 <= pagination.estimated_rows(qs) <= 60  # the planner's figure, near the real 30

    # estimate (≈30) > 2 × 10: over the cap without counting the matches
    with CaptureQueriesContext(connection) as ctx:
        assert pagination.capped_count(qs, 2) == 3
    assert [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]] == []
    # estimate (≈30) < 5 × 10: the count decides (exact under its cap)
    with CaptureQueriesContext(connection) as ctx:
        assert pagination.capped_count(qs, 5) == 6
        assert pagination.capped_count(qs, 100) == 30
    assert len([q for q in ctx.captured_queries if "COUNT(" in q["sql"]]) == 2
    # an unmarked list is always counted
    with CaptureQueriesContext(connection) as ctx:
        assert pagination.capped_count(visible.filter(title__startswith="Fiscalización"), 2) == 3
    assert len([q for q in ctx.captured_queries if "COUNT(" in q["sql"]]) == 1
