import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.templatetags.sig import soles


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("130000"), "S/\u00a0130,000.00"),
        ("1234.565", "S/\u00a01,234.57"),
        (0, "S/\u00a00.00"),
        (-5.5, "-S/\u00a05.50"),
        (None, ""),
        ("abc", ""),
    ],
)
def test_amounts_render_in_soles_with_two_decimals(value, expected):
    """A no-break space after "S/": an amount never wraps between the symbol and the figure."""
    assert soles(value) == expected


@pytest.mark.parametrize("lang", ["es", "en"])
def test_dates_render_as_dd_mm_yyyy_in_both_languages(lang):
    with translation.override(lang):
        out = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d|date }}').render(
            Context({"d": datetime.date(2020, 8, 17)})
        )
    assert out == "17/08/2020 17/08/2020"


def test_the_time_zone_is_lima():
    now = timezone.localtime(datetime.datetime(2020, 8, 17, 15, 0, tzinfo=datetime.UTC))
    assert now.hour == 10 and str(now.tzinfo) == "America/Lima"
