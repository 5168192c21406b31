"""Pagination whose cost stays flat as a register grows.

`CappedPaginator` counts at most `COUNT_CAP + 1` rows (`SELECT COUNT(*) FROM (SELECT id … LIMIT
10001)`): past that the page says "more than 10,000" instead of an exact figure that would cost a
scan of the whole filtered set on every page view. The pages within the cap work as before; a page
number past them makes it count exactly (whoever goes there pays for it, nobody else).

`capped_count()` is the same count for the API's envelope (core.api_helpers.page)."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format

COUNT_CAP = 10_000


def capped_count(qs: QuerySet[Any], cap: int = COUNT_CAP) -> int:
    """The number of rows, or `cap + 1` when there are more than `cap`."""
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
