"""Template filters of the reports app."""

from django import template
from django.utils.safestring import SafeString

from reports.markdown import markdown_to_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str | None) -> SafeString:
    """{{ version.content|markdown }}: Markdown rendered and sanitised (reports.markdown)."""
    return markdown_to_html(value or "")
