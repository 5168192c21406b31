"""The demo reads like the seed (the suite's database holds the demo data)."""

from __future__ import annotations

import datetime
import re

import pytest

from documents.demo import PROCEDURES
from documents.models import ChangeEntry, Document, DocumentVersion

pytestmark = pytest.mark.django_db


def test_every_change_control_row_of_the_demo_is_dated_in_its_own_year_never_the_load_date():
    rows = ChangeEntry.objects.filter(version__document__created_by__username="cmg").select_related("version")
    assert rows.exists()
    for row in rows:
        assert row.date is None or row.date.year == 2020, (row.version, row.date)  # v01 of the plan: the seed has none
    assert not rows.filter(date=datetime.date.today()).exists()


def test_demo_procedures_carry_content_and_those_in_force_an_rde_number():
    for title, _process, state, rde, clauses, steps in PROCEDURES:
        document = Document.objects.get(title=title)
        version = document.latest_version
        assert isinstance(version, DocumentVersion)
        assert "## 5. Descripción de actividades" in version.content and steps[0][0] in version.content
        assert clauses in version.content
        if state == "current":
            assert re.fullmatch(r"RDE N\.° \d{3}-2020-MIDIS/PNADP-DE", version.approval_instrument)
            assert version.approval_instrument == rde
