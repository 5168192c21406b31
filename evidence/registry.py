"""Which records may serve as evidence, and who may see each kind. Areas add their kinds here;
linking refuses evidence the user cannot see, and lists show links only to visible evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models


def _documents(user: Any) -> models.QuerySet[Any]:
    from documents.access import documents_visible_to

    return documents_visible_to(user)


def _files(user: Any) -> models.QuerySet[Any]:
    from evidence.access import evidence_files_visible_to

    return evidence_files_visible_to(user)


def _sessions(user: Any) -> models.QuerySet[Any]:
    from committee.access import sessions_visible_to

    return sessions_visible_to(user)


EVIDENCE_KINDS: dict[str, Callable[[Any], models.QuerySet[Any]]] = {
    "documents.document": _documents,
    "evidence.evidencefile": _files,
    "committee.session": _sessions,
}


def visible_evidence(user: Any, label: str, pk: Any) -> models.Model | None:
    """The evidence record if `label` is a registered kind and the user can see it, else None."""
    finder = EVIDENCE_KINDS.get(label)
    if finder is None:
        return None
    try:
        return finder(user).filter(pk=pk).first()
    except (ValueError, TypeError):
        return None
