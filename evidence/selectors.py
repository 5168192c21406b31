"""Reading evidence links: what proves a product, a requirement or any other target."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from evidence import registry
from evidence.models import EvidenceLink


@dataclass(frozen=True)
class EvidenceItem:
    kind: str  # the registered kind, e.g. "documents.document"
    label: str
    url: str
    note: str
    linked_at: datetime.datetime
    evidence_id: int = 0  # the linked record's id (the API names it)
    link_id: int = 0


def evidence_for(user: Any, targets: Sequence[models.Model]) -> dict[int, list[EvidenceItem]]:
    """Live evidence links of `targets` (all of one model), keeping only evidence the user can
    see: {target pk: [items]}. One query for the links plus one per kind of evidence, however
    many targets."""
    if not targets:
        return {}
    links = list(
        EvidenceLink.objects.filter(
            target_type=ContentType.objects.get_for_model(targets[0]),
            target_id__in=[t.pk for t in targets],
            removed_at__isnull=True,
        ).order_by("linked_at", "pk")
    )
    by_type: dict[int, set[int]] = defaultdict(set)
    for link in links:
        by_type[link.evidence_type_id].add(link.evidence_id)
    kinds = registry.kinds()
    found: dict[tuple[int, int], tuple[str, Any]] = {}
    for type_id, ids in by_type.items():
        ct = ContentType.objects.get_for_id(type_id)
        label = f"{ct.app_label}.{ct.model}"
        kind = kinds.get(label)
        if kind is None:
            continue
        for pk, obj in kind.visible(user).in_bulk(list(ids)).items():
            found[(type_id, pk)] = (label, obj)
    out: dict[int, list[EvidenceItem]] = defaultdict(list)
    for link in links:
        hit = found.get((link.evidence_type_id, link.evidence_id))
        if hit is not None:
            label, obj = hit
            out[link.target_id].append(
                EvidenceItem(
                    label,
                    registry.describe(label, obj),
                    registry.url_of(label, obj),
                    link.note,
                    link.linked_at,
                    link.evidence_id,
                    link.pk,
                )
            )
    return out
