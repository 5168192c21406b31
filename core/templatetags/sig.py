"""Template filters for Peruvian conventions shared by every area."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def soles(value: Any) -> str:
    """Amounts in soles with two decimals and thousands separators: S/ 130,000.00, with a
    no-break space so that the symbol never wraps away from the figure."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}S/\u00a0{abs(amount):,.2f}"


@register.inclusion_tag("core/_due_badge.html")
def due_badge(due: Any, today: Any = None, closed: bool = False) -> dict[str, Any]:
    """The deadline state of a due date as a badge (core.deadlines): overdue, due soon, on time."""
    import datetime

    from django.utils import timezone

    from core.deadlines import badge, days_late, due_state

    if not isinstance(due, datetime.date):
        return {"state": None}
    today = today if isinstance(today, datetime.date) else timezone.localdate()
    state = due_state(due, today, closed=bool(closed))
    return {"state": state, "css": badge(state), "due": due, "late": days_late(due, today) if state else None}


@register.simple_tag
def main_menu(groups: Any, nav: Any) -> Any:
    """The main menu's groups (core.context_processors.sig_menu), written in Python: the markup
    base.html's loop wrote, byte for byte (core/tests/test_base_page.py); it is on every page."""
    from django.utils.safestring import mark_safe

    from core.rows import escape

    out = []
    for group in groups:
        try:
            current = ' class="current"' if nav in group["keys"] else ""
        except TypeError:  # an unhashable value: the template's `in` was False
            current = ""
        out.append(
            f'\n        <li class="navgroup" data-group="{escape(group["key"])}">\n'
            "          <details data-navgroup>\n"
            f"            <summary{current}>{escape(group['label'])}</summary>\n"
            "            <ul>"
        )
        for item in group["items"]:
            aria = 'aria-current="page"' if nav == item["key"] else ""
            out.append(
                f'\n              <li><a href="{escape(item["url"])}" data-nav="{escape(item["key"])}" {aria}>'
                f"{escape(item['label'])}</a></li>"
            )
        out.append("\n            </ul>\n          </details>\n        </li>\n        ")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
