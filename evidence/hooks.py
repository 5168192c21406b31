"""What the evidence store contributes to the platform (core.registry)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def _visible_files(user: Any) -> Any:
    from evidence.access import evidence_files_visible_to

    return evidence_files_visible_to(user)


def register() -> None:
    registry.register_evidence(registry.EvidenceKind("evidence.evidencefile", _("Evidence file"), _visible_files))
