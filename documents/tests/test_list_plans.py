"""Issue 10: the master list's hot queries read an index in the list's order instead of sorting
every matching row, and give the rows they gave before."""

from __future__ import annotations

import pytest
from django.db import connection

from documents.access import documents_visible_to
from documents.models import Document
from documents.selectors import LIST_DEFERRED, filter_documents
from documents.tests.page_support import doc_type, load_types, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(cmg):
    load_types()
    owner = unit("UPPM-CMG")
    statuses = ["current", "draft", "obsolete", "current", "in_review"]
    return [
        Document.objects.create(
            code=f"TST-P-{(i * 7) % 25:03d}",
            title=f"Documento {i}",
            document_type=doc_type("P"),
            owner_unit=owner,
            site=owner.site,
            created_by=cmg,
            status=statuses[i % len(statuses)],
            search_text=f"texto {i}",
        )
        for i in range(25)
    ]


def test_the_status_filter_gives_the_same_rows_in_code_order_without_the_long_texts(documents, cmg):
    qs = filter_documents(documents_visible_to(cmg), {"status": "current"}).defer(*LIST_DEFERRED)
    want = sorted(Document.objects.filter(status="current").values_list("code", flat=True))
    assert {d.code for d in documents if d.status == "current"} <= set(want)
    assert [d.code for d in qs] == want
    assert "search_text" in qs[0].get_deferred_fields()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_status_filter_reads_the_status_code_index_in_order(documents, cmg):
    qs = filter_documents(documents_visible_to(cmg), {"status": "current"})[:50]
    plan = qs.explain()
    assert "document_status_code_idx" in plan and "TEMP B-TREE" not in plan, plan


@pytest.fixture
def spread(cmg, ut_cusco):
    """Documents of the Sede Central and of UT Cusco, open and confidential, in force or not."""
    load_types()
    owners = [unit("UPPM-CMG"), unit("UT-CUS")]
    classes = ["public", "internal", "confidential", "restricted"]
    out = []
    for i in range(24):
        owner = owners[i % 2]
        d = Document.objects.create(
            code=f"VIS-{(i * 5) % 24:03d}",
            title=f"Documento {i}",
            document_type=doc_type("P"),
            owner_unit=owner,
            site=owner.site,
            created_by=cmg,
            classification=classes[(i // 2) % len(classes)],
        )
        if i % 3:
            d.current_version = d.versions.create(number=1, status="current", created_by=cmg)
            d.status = "current"
            d.save(update_fields=["current_version", "status"])
        out.append(d)
    return out


def test_a_ut_heads_list_and_count_are_the_visibility_rule_in_code_order(spread, ut_cusco):
    """The visibility index changes no result: own UT's documents, and others' vigente public or
    internal ones, in code order, counted alike."""
    site = unit("UT-CUS").site_id
    want = sorted(
        d.code
        for d in Document.objects.all()
        if d.site_id == site or (d.current_version_id is not None and d.classification in ("public", "internal"))
    )
    qs = documents_visible_to(ut_cusco)
    assert [d.code for d in qs] == want
    assert qs.count() == len(want)
    assert {d.code for d in spread} - set(want)  # some are hidden from the UT head


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_ut_heads_count_scans_the_visibility_index_not_the_table(spread, ut_cusco):
    plan = documents_visible_to(ut_cusco).order_by().values("pk")[:10001].explain()  # capped_count's subquery
    assert "COVERING INDEX document_visibility_idx" in plan, plan
    page = documents_visible_to(ut_cusco).order_by("code")[:50].explain()
    assert "TEMP B-TREE" not in page, page


def test_a_ut_heads_reviews_due_are_the_visibility_rule_in_date_order(spread, ut_cusco):
    """The home panel's reviews due for a UT head: the same documents, dates and order as the rule
    read off the rows, whatever index answers."""
    import datetime

    from documents.selectors import reviews_due

    today = datetime.date(2026, 6, 1)
    for i, d in enumerate(spread):
        Document.objects.filter(pk=d.pk).update(next_review_on=today + datetime.timedelta(days=(i * 11) % 70 - 20))
    site = unit("UT-CUS").site_id
    limit = today + datetime.timedelta(days=30)
    want = sorted(
        (d.next_review_on, d.code)
        for d in Document.objects.all()
        if d.current_version_id is not None
        and d.next_review_on is not None
        and d.next_review_on <= limit
        and (d.site_id == site or d.classification in ("public", "internal"))
    )
    qs = reviews_due(documents_visible_to(ut_cusco), today)
    assert [(d.next_review_on, d.code) for d in qs] == want
    assert qs.count() == len(want) > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_ut_heads_reviews_due_are_counted_from_the_index_alone(spread, ut_cusco):
    import datetime

    from documents.selectors import reviews_due

    due = reviews_due(documents_visible_to(ut_cusco), datetime.date(2026, 6, 1))
    plan = due.order_by().values("pk")[:10001].explain()  # capped_count's subquery
    assert "COVERING INDEX document_review_due_cover_idx" in plan, plan
