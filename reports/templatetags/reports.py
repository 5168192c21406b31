"""Template filters of the reports app."""

from django import template
from django.utils.safestring import SafeString

from reports.markdown import markdown_to_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str | None) -> SafeString:
    """{{ version.content|markdown }}: Markdown rendered and sanitised (reports.markdown)."""
    return markdown_to_html(value or "")


@register.simple_tag(takes_context=True)
def bar_chart(context: template.Context) -> SafeString:
    """The bar chart `chart` of the including template (reports.chart_html); `print` leaves out
    the table of figures (the PDF prints its own)."""
    from reports.chart_html import bars_html

    return bars_html(context.get("chart"), printed=bool(context.get("print")))


@register.simple_tag(takes_context=True)
def line_chart(context: template.Context) -> SafeString:
    """The line chart `chart` of the including template, with its `caption` (reports.chart_html)."""
    from reports.chart_html import lines_html

    return lines_html(context.get("chart"), caption=context.get("caption") or "")
