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
