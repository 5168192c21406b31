"""Issue 10: the home page's document and audit panels read less, with the same rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from audit.access import audit_events_visible_to
from audit.hooks import _events_panel
from audit.models import AuditEvent
from documents.access import versions_visible_to
from documents.hooks import _pending
from documents.models import ReadConfirmation, VersionStatus
from documents.tests.page_support import load_types, unit, vigente

pytestmark = pytest.mark.django_db


def test_the_versions_to_read_are_those_of_the_join_it_replaced(cmg, uppm, direccion):
    load_types()
    units = [unit("UPPM-CMG"), unit("UPPM"), unit("UPPM-CSE")]
    versions = [
        vigente(cmg, uppm, direccion, title=f"Procedimiento {i}", distribution_units=units[: 1 + i % 3])
        for i in range(4)
    ]
    ReadConfirmation.objects.create(version=versions[0], user=cmg, at=timezone.now())
    old = (
        versions_visible_to(cmg)
        .filter(status=VersionStatus.CURRENT)
        .filter(Q(document__distribution_units=cmg.unit_id))
        .exclude(Exists(ReadConfirmation.objects.filter(version=OuterRef("pk"), user=cmg)))
        .order_by("-effective_on", "pk")
        .distinct()
    )
    expected = [v.get_absolute_url() for v in old]
    assert len(expected) == 3
    assert [i.url for i in _pending(cmg) if i.sort_key[0] == 2] == expected


def test_the_latest_changes_panel_shows_the_five_newest_changes_without_sorting_the_trail(auditor, cmg):
    panel = _events_panel(auditor)
    assert panel is not None
    changes = [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.STATE, AuditEvent.Action.DELETE]
    want = list(audit_events_visible_to(auditor).filter(action__in=changes)[:5])
    assert panel["items"] == want and want
    if connection.vendor == "sqlite":
        from django.db.models import Value
        from django.db.models.functions import Concat

        qs = audit_events_visible_to(auditor).alias(kind=Concat("action", Value(""))).filter(kind__in=changes)[:5]
        assert "TEMP B-TREE" not in qs.explain()
