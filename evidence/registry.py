"""Which records may serve as evidence, and who may see each kind: the kinds every area
registers (core.registry.EvidenceKind). Linking refuses evidence the user cannot see, and lists
show links only to visible evidence."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import NoReverseMatch

from core import registry


def kinds() -> dict[str, registry.EvidenceKind]:
    return registry.evidence_kinds()


def visible_evidence(user: Any, label: str, pk: Any) -> models.Model | None:
    """The evidence record if `label` is a registered kind and the user can see it, else None."""
    kind = kinds().get(label)
    if kind is None:
        return None
    try:
        return kind.visible(user).filter(pk=pk).first()
    except (ValueError, TypeError, OverflowError):
        return None


def url_of(label: str, obj: Any) -> str:
    kind = kinds().get(label)
    try:
        if kind is not None and kind.url is not None:
            return kind.url(obj)
        return str(obj.get_absolute_url())
    except (AttributeError, NoReverseMatch):
        return ""


def describe(label: str, obj: Any) -> str:
    kind = kinds().get(label)
    return kind.describe(obj) if kind is not None and kind.describe is not None else str(obj)
