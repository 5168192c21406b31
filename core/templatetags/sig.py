"""Template filters for Peruvian conventions shared by every area."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def soles(value: Any) -> str:
    """Amounts in soles with two decimals and thousands separators: S/ 130,000.00."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}S/ {abs(amount):,.2f}"
