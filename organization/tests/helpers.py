"""Shared helpers for the organisation page tests: look-ups by code and a small HTML reader
(tests find elements by data-* attributes, never by English UI text)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.test.html import Element, parse_html

from audit.models import AuditEvent
from organization.models import GlossaryTerm, LegalNorm, ManagementSystem, OrgUnit, Process, Site


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def site(code: str) -> Site:
    return Site.objects.get(code=code)


def process(code: str) -> Process:
    return Process.objects.get(code=code)


def system(code: str) -> ManagementSystem:
    return ManagementSystem.objects.get(code=code)


def norm(number: str) -> LegalNorm:
    return LegalNorm.objects.get(number=number)


def term(text: str) -> GlossaryTerm:
    return GlossaryTerm.objects.get(term=text)


def events() -> int:
    return AuditEvent.objects.count()


def last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    return event


def _root(content: bytes | str | Element) -> Element:
    if isinstance(content, Element):
        return content
    return parse_html(content.decode() if isinstance(content, bytes) else content)


def _walk(node: Element) -> Iterator[Element]:
    for child in node.children:
        if isinstance(child, Element):
            yield child
            yield from _walk(child)


def find_all(content: bytes | str | Element, tag: str | None = None, **attrs: str) -> list[Element]:
    """Elements whose attributes include `attrs` (data_code="M01" matches data-code="M01")."""
    root = _root(content)
    wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
    found = []
    for el in _walk(root):
        have = dict(el.attributes)
        if (tag is None or el.name == tag) and all(have.get(k) == v for k, v in wanted.items()):
            found.append(el)
    return found


def find(content: bytes | str | Element, tag: str | None = None, **attrs: str) -> Element:
    found = find_all(content, tag, **attrs)
    assert len(found) == 1, f"expected one <{tag or '*'} {attrs}>, found {len(found)}"
    return found[0]


def attr_values(content: bytes | str | Element, name: str, tag: str | None = None) -> list[str]:
    """Values of attribute `name` on every matching element, in document order."""
    root = _root(content)
    return [
        dict(el.attributes)[name]
        for el in _walk(root)
        if name in dict(el.attributes) and (tag is None or el.name == tag)
    ]


def text_of(el: Element) -> str:
    parts: list[str] = []
    for child in el.children:
        parts.append(text_of(child) if isinstance(child, Element) else str(child))
    return " ".join(" ".join(parts).split())


def has_field_error(response: Any, field: str) -> bool:
    """The re-rendered form carries an error for `field` and the page shows it next to the field
    ("__all__": in the box above the fields)."""
    if not response.context["form"].errors.get(field):
        return False
    if field == "__all__":
        return bool(find_all(response.content, "div", **{"class": "errorlist-box"}))
    return bool(find_all(response.content, "div", id=f"id_{field}_error"))
