"""Pagination whose cost stays flat as a register grows.

`CappedPaginator` counts at most `COUNT_CAP + 1` rows (`SELECT COUNT(*) FROM (SELECT id … LIMIT
10001)`): past that the page says "more than 10,000" instead of an exact figure that would cost a
scan of the whole filtered set on every page view. The pages within the cap work as before; a page
number past them makes it count exactly (whoever goes there pays for it, nobody else).

`capped_count()` is the same count for the API's envelope (core.api_helpers.page). A list whose
count would read costly rows (a text search's vectors, `count_from_estimate`) is first asked of
PostgreSQL's planner: far above the cap, it is "more than 10,000" without reading any row.

Past the cap, a list ordered by a unique key pages by that key (`Keyset`, `paginate`): the link
from the last numbered page carries the last key seen, `?after=<key>`, and the page after it is
an index seek instead of an OFFSET that reads every row before it."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

COUNT_CAP = 10_000
# How far above the cap the planner's estimate must be to be trusted without counting.
ESTIMATE_MARGIN = 10
_FROM_ESTIMATE = "sig_count_from_estimate"


def count_from_estimate(qs: QuerySet[Any]) -> QuerySet[Any]:
    """`qs`, marked so that capped_count() first asks PostgreSQL's planner (the mark follows the
    queryset through later filters: Query.clone copies it). For lists whose capped count reads
    costly rows: a frequent word's 10,001 text-search vectors cost ≈ 30 ms (issue 10)."""
    qs = qs.all()
    setattr(qs.query, _FROM_ESTIMATE, True)
    return qs


def estimated_rows(qs: QuerySet[Any]) -> int:
    """PostgreSQL's estimate of how many rows `qs` matches (EXPLAIN, nothing run); 0 elsewhere.
    For a text search its statistics of frequent words are close: 191,473 estimated for 191,458
    at 200,000 documents."""
    import json

    from django.db import connections

    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return 0
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    try:
        return int(plan[0]["Plan"]["Plan Rows"])
    except (KeyError, IndexError, TypeError, ValueError):
        return 0


def capped_count(qs: QuerySet[Any], cap: int = COUNT_CAP) -> int:
    """The number of rows, or `cap + 1` when there are more than `cap`. A list marked by
    count_from_estimate() that the planner puts at more than ESTIMATE_MARGIN times the cap is
    taken to be over it without counting; any nearer estimate is checked by the count."""
    if getattr(qs.query, _FROM_ESTIMATE, False) and estimated_rows(qs) > cap * ESTIMATE_MARGIN:
        return cap + 1
    return qs.order_by().values("pk")[: cap + 1].count()


def cap_label(cap: int = COUNT_CAP) -> str:
    return number_format(cap, force_grouping=True)


class CappedPaginator(Paginator[Any]):
    cap = COUNT_CAP
    exact = False

    @cached_property
    def count(self) -> int:
        if self.exact or not isinstance(self.object_list, QuerySet):
            return super().count
        return capped_count(self.object_list, self.cap)

    @property
    def capped(self) -> bool:
        """True when the list holds more than `cap` rows and `count` is not the exact figure."""
        return not self.exact and self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        if self.capped:  # the pages within the cap, and one more (which counts exactly)
            return math.ceil(self.cap / self.per_page) + 1
        return super().num_pages

    @property
    def cap_label(self) -> str:
        return cap_label(self.cap)

    def _count_exactly_past_the_cap(self, number: Any) -> None:
        """A page that starts past the rows the capped count saw is counted exactly."""
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return
        if self.capped and (wanted - 1) * self.per_page >= self.cap:
            self.exact = True
            self.__dict__.pop("count", None)
            self.__dict__.pop("num_pages", None)

    def get_page(self, number: Any) -> Page[Any]:
        self._count_exactly_past_the_cap(number)
        return super().get_page(number)

    def page(self, number: Any) -> Page[Any]:
        self._count_exactly_past_the_cap(number)
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page  # never clamped to the capped count
        return Page(self.object_list[bottom : bottom + self.per_page], number, self)


# --- keyset pages past the cap ------------------------------------------------------------------


class BadCursor(ValueError):
    """An `after` value that is not a key of the list: the view answers 400 naming the field."""

    field = "after"


@dataclass(frozen=True)
class Keyset:
    """A list ordered by one unique column (`field`, "-" for descending), paged past the cap by
    the last key seen (`?after=<key>`: `WHERE key < after ORDER BY key LIMIT n`, an index seek)
    instead of an OFFSET that walks every row before the page. The first pages keep their
    numbers; the page links past the cap carry the key. `parse` turns the query-string value
    into a key (ValueError with a message for anything else)."""

    field: str
    parse: Callable[[str], Any]

    @property
    def name(self) -> str:
        return self.field.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.field.startswith("-")

    def applies(self, qs: QuerySet[Any]) -> bool:
        """The queryset is ordered by this key first (a ranked search, for instance, is not)."""
        query = qs.query
        ordering = list(query.order_by) or (list(qs.model._meta.ordering) if query.default_ordering else [])
        first = str(ordering[0]) if ordering else ""
        aliases = {self.field, self.field.replace("id", "pk")} if self.name == "id" else {self.field}
        return first in aliases

    def key(self, obj: Any) -> str:
        return str(getattr(obj, self.name))

    def after(self, qs: QuerySet[Any], key: Any) -> QuerySet[Any]:
        return qs.filter(**{f"{self.name}__{'lt' if self.descending else 'gt'}": key})

    def read(self, value: str) -> Any:
        try:
            return self.parse(value)
        except (TypeError, ValueError) as exc:
            raise BadCursor(str(exc) or "not a key of this list") from None


def positive_id(value: str) -> int:
    """An `after` key that is an id: a whole number from 1 to 2^63 - 1."""
    text = value.strip()
    if not text.isdigit() or not 0 < int(text) < 2**63:
        raise ValueError(_("Enter the id of a row of this list (a whole number)."))
    return int(text)


def code_key(max_length: int) -> Callable[[str], str]:
    """An `after` key that is a code: text of at most `max_length` characters, without controls."""
    from django.core.exceptions import ValidationError

    from core import text

    def parse(value: str) -> str:
        if not value or len(value) > max_length:
            raise ValueError(_("Enter the code of a row of this list."))
        try:
            return text.clean(value, text.Kind.CODE)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None

    return parse


class KeysetPage(Page[Any]):
    """A page past the cap, read after a key: no number, a next page when one more row exists."""

    def __init__(self, rows: list[Any], paginator: CappedPaginator, keyset: Keyset, more: bool) -> None:
        super().__init__(rows, 0, paginator)
        self.keyset = keyset
        self.more = more

    @property
    def is_keyset(self) -> bool:
        return True

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return True  # the first page, at least

    def has_other_pages(self) -> bool:
        return True

    @property
    def next_after(self) -> str | None:
        return self.keyset.key(self.object_list[-1]) if self.more and self.object_list else None

    def start_index(self) -> int:
        return 0

    def end_index(self) -> int:
        return 0


def paginate(qs: QuerySet[Any], per_page: int, params: Mapping[str, str], keyset: Keyset | None = None) -> Page[Any]:
    """The page `params` asks for: `?after=<key>` (a keyset page, when `keyset` orders `qs`) or
    `?page=<n>`. A numbered page whose next one would start past the cap links to it by key
    (`page.next_after`). Raises BadCursor for an `after` that is not a key."""
    paginator = CappedPaginator(qs, per_page)
    usable = keyset is not None and keyset.applies(qs)
    raw_after = params.get("after")
    if raw_after is not None and keyset is not None:
        key = keyset.read(raw_after)
        if usable:
            rows = list(keyset.after(qs, key)[: per_page + 1])
            return KeysetPage(rows[:per_page], paginator, keyset, more=len(rows) > per_page)
    page = paginator.get_page(params.get("page"))
    if usable and keyset is not None and paginator.capped and page.object_list:
        rows = list(page.object_list)
        if page.number * per_page >= paginator.cap:  # the next page starts past the cap
            page.next_after = keyset.key(rows[-1])  # type: ignore[attr-defined]
    return page
