"""The ranges every number and date that comes in must fall within, through the pages and the API.

Integers: the 64 bits both databases hold (beyond them SQLite raises OverflowError and PostgreSQL
refuses to store). Dates: DATE_MIN to DATE_MAX, so that a plan's Gantt chart, its cronograma and
anything that adds a margin to a date never leave the calendar Python can represent (an activity
from 0001-01-01 to 9999-12-31 once broke them for everyone).
"""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)


def int_problem(value: int) -> str | None:
    if INT64_MIN <= value <= INT64_MAX:
        return None
    return str(_("The number is too large: enter a whole number of at most 18 digits."))


def date_problem(value: datetime.date) -> str | None:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if DATE_MIN <= day <= DATE_MAX:
        return None
    return str(
        _("Enter a date between %(start)s and %(end)s.")
        % {"start": date_format(DATE_MIN, "SHORT_DATE_FORMAT"), "end": date_format(DATE_MAX, "SHORT_DATE_FORMAT")}
    )
