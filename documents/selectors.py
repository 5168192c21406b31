"""Read-side queries of document control: the master list (lista maestra) filters and its text
search, the dashboard's due reviews and the versions awaiting a user's step.

Text search, per database (`search()`):

- PostgreSQL: full-text search over code, title and `Document.search_text` (the text of the
  versions: Markdown content and the text extracted from uploaded files), ranked by `ts_rank`
  with code and title weighing more than the body, best first. Migration 0003 creates the
  configuration `sig_spanish` (PostgreSQL's 'spanish' stemming behind `unaccent`, so
  "auditoria" finds "auditorías"), a stored generated tsvector column
  `documents_document.search_vector` that PostgreSQL keeps current on every write, and a GIN
  index on it. The model does not declare the column (SQLite has no tsvector), so it is read
  here with RawSQL. Queries use `websearch_to_tsquery` syntax: words are ANDed, "quoted
  phrases", -excluded. A query matching more than COUNT_CAP documents is not ranked (ranking
  reads every match's vector): it lists in code order, as on SQLite. "More than COUNT_CAP" is
  read first from the planner's estimate, then, under it, from an exact capped count.
- SQLite (and any other database): case-insensitive substring match (`icontains`, i.e. LIKE)
  over code, title and search_text, ordered by code. SQLite folds ASCII case only, so accented
  letters match as written. On SQLite the rows are found through the FTS5 trigram index
  (documents/fts.py) instead of a LIKE over every version's text, with the same results.
- On both, a query shaped like a document code (letters/digits joined by hyphens, e.g.
  "CMG-P-001") is matched as a substring of the code: the Spanish parser would split it.

Everything here takes an already scoped queryset (`documents_visible_to(user)`), so filters
never widen what a user sees.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.pagination import COUNT_CAP, Keyset, capped_count, code_key, count_from_estimate, estimated_rows
from documents import fts, waiting
from documents.access import versions_visible_to
from documents.models import Document, DocumentVersion

# The master list reads in code order (unique): past the first 10,000 documents its pages follow
# the last code seen (page and API), an index seek however deep. A ranked search has another
# order and pages by number.
KEYSET = Keyset("code", code_key(100))

SEARCH_CONFIG = "sig_spanish"  # created by migration 0003 on PostgreSQL
CODE_LIKE = re.compile(r"^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)+-?$")
DUE_SOON_DAYS = 30
# Long texts a list of versions never shows (the dashboard's panel, pending work).
VERSION_LIST_DEFERRED = ("content", "extracted_text", "document__search_text")
# Long texts a list of documents never shows (documents.views.document_list, the API list).
LIST_DEFERRED = (
    "search_text",
    "current_version__content",
    "current_version__extracted_text",
    "latest_version__content",
    "latest_version__extracted_text",
)
# What the master list's rows show (documents.rows), and the joins they need: every other column
# stays in the database. Building the 300 model objects of a page (6 per row, all columns) cost
# more than the page's SQL (issue 10).
LIST_RELATED = ("document_type", "owner_unit", "current_version")
LIST_COLUMNS = (
    "code",
    "title",
    "is_external",
    "external_issuer",
    "origin_type",
    "status",
    "next_review_on",
    "document_type__name",
    "document_type__name_en",
    "owner_unit__code",
    "current_version__number",
    "current_version__effective_on",
)


def list_columns(qs: QuerySet[Document]) -> QuerySet[Document]:
    """`qs` reading only what a row of the master list shows (documents.rows)."""
    return qs.select_related(None).select_related(*LIST_RELATED).only(*LIST_COLUMNS)


def search_vector() -> Any:
    """The PostgreSQL-only generated column (migration 0003), as an expression."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import RawSQL

    # A constant column name, no user input.
    return RawSQL('"documents_document"."search_vector"', [], output_field=SearchVectorField())  # noqa: S611


def search(qs: QuerySet[Document], text: str) -> QuerySet[Document]:
    text = " ".join(text.split())
    if not text:
        return qs
    if CODE_LIKE.match(text):
        return qs.filter(code__icontains=text)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        matched = qs.alias(search=search_vector()).filter(search=query)
        everywhere = Document.objects.alias(search=search_vector()).filter(search=query)
        # Whether a word is in more than COUNT_CAP documents is read first from the planner's
        # estimate: the exact capped count reads 10,001 vectors (≈ 40 ms); when the estimate is
        # under the cap the exact count decides, so a low estimate never ranks a frequent word.
        if estimated_rows(everywhere) > COUNT_CAP or capped_count(everywhere, COUNT_CAP) > COUNT_CAP:
            # Ranking reads every match's vector (190 ms for a word in every document at
            # 50,000): a word in more than COUNT_CAP documents ranks nothing and lists in code
            # order, page by page from the index; fewer matches are ranked, best first. Its list's
            # count, too, is taken from the estimate when that is far over the cap.
            return count_from_estimate(matched.order_by("code"))
        return matched.annotate(rank=SearchRank(search_vector(), query)).order_by("-rank", "code")
    like = Q(code__icontains=text) | Q(title__icontains=text) | Q(search_text__icontains=text)
    if fts.usable(text) and not fts.frequent(text, COUNT_CAP):
        from django.db.models.expressions import RawSQL

        sql, params = fts.matching_ids_sql(text)
        indexed = Q(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, the text is a parameter
        # The index folds the case of every letter, LIKE only of ASCII ones: re-check the rows
        # the index found when that can make a difference.
        return qs.filter(indexed if text.isascii() else indexed & like)
    # A text in more than COUNT_CAP documents: walking the list in code order, most rows match,
    # so a page's rows are found after a few dozen LIKEs and the (capped) count after ~COUNT_CAP,
    # whatever the table's size; the index would have to list every match first.
    return qs.filter(like)


def filter_documents(qs: QuerySet[Document], data: dict[str, Any]) -> QuerySet[Document]:
    """Apply the master-list filters (cleaned data of DocumentFilterForm)."""
    if data.get("document_type"):
        qs = qs.filter(document_type=data["document_type"])
    if data.get("owner_unit"):
        qs = qs.filter(owner_unit=data["owner_unit"])
    if data.get("process"):
        qs = qs.filter(process=data["process"])
    if data.get("system"):
        qs = qs.filter(systems=data["system"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("classification"):
        qs = qs.filter(classification=data["classification"])
    if data.get("review") == "due":
        qs = qs.filter(current_version__isnull=False, next_review_on__lte=due_limit())
    if data.get("q"):
        qs = search(qs, data["q"])
    return qs


def due_limit(today: datetime.date | None = None, days: int = DUE_SOON_DAYS) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=days)


def reviews_due(
    qs: QuerySet[Document], today: datetime.date | None = None, days: int = DUE_SOON_DAYS
) -> QuerySet[Document]:
    """Documents in force whose periodic review is overdue or due within `days`, soonest first."""
    return qs.filter(current_version__isnull=False, next_review_on__lte=due_limit(today, days)).order_by(
        "next_review_on", "code"
    )


def versions_awaiting(user: Any, limit: int | None = None) -> QuerySet[DocumentVersion]:
    """Versions waiting for a step this user may take (review, endorse, approve, publish), by the
    same WorkflowRule logic as documents.access.can_take_step: rules for the owner unit win over
    the type's general rules. Versions the user drafted are left out where the type forbids
    self-approval. Endorsement is approximate: any version in endorsement counts, whichever
    units still have to endorse it. In document code and version order.

    Read from the stamp the services keep on each version (documents.waiting): the matching
    versions are ranges of one index. With `limit`, the first ones are picked from the index
    alone before any row is read. One query for the rules; the result is one more."""
    matched = waiting.awaiting(user)
    if limit is not None:
        matched = matched.order_by("waiting_code", "number")[:limit]
    return (
        versions_visible_to(user)
        .filter(pk__in=matched.values("pk"))
        .order_by("document__code", "number")
        .defer(*VERSION_LIST_DEFERRED)
    )


def awaiting_count(user: Any) -> int:
    """How many versions wait for the user's step: counted in the index."""
    return waiting.awaiting(user).count()
