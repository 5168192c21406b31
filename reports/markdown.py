"""Markdown → sanitised HTML, the same for web pages and printed documents.

Markdown passes raw HTML through, so its output is cleaned with nh3 against an allow-list: no
scripts, styles, event handlers, iframes or forms; links only to http(s)/mailto; images only
as inline data: URIs (a print renderer must never fetch file:// or internal URLs)."""

from __future__ import annotations

import markdown as md  # type: ignore[import-untyped]
import nh3
from django.utils.safestring import SafeString, mark_safe

EXTENSIONS = ["tables", "fenced_code", "sane_lists", "def_list", "abbr"]

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins",
    "sub", "sup", "small", "mark", "abbr", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt",
    "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "a", "img", "div", "span",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # "data" is an allowed scheme only so that inline images survive; nowhere else.
    is_data = value.strip().lower().startswith("data:")
    if tag == "img" and attribute == "src":
        return value if value.strip().lower().startswith("data:image/") else None
    if is_data and attribute in {"href", "src"}:
        return None
    return value


def markdown_to_html(text: str) -> SafeString:
    """Render Markdown and return HTML that is safe to insert in any page or print template."""
    html = md.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES | {"data"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
