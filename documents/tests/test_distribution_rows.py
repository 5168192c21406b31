"""Issue 10: a document's distribution rows carry its version in force and the day it took effect
(documents.Distribution), so a unit's reading list is read newest first off one index. The services
keep them in step on every path that changes the version in force or the distribution, and the
migration fills them the same way for existing data."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from documents import hooks, services
from documents.access import versions_visible_to
from documents.models import Distribution, Document, DocumentVersion, ReadConfirmation, VersionStatus
from documents.selectors import VERSION_LIST_DEFERRED
from documents.tests.page_support import DAY, draft, fresh, latest, load_types, unit, vigente

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types() -> None:
    load_types()


def rows(document: Document) -> list[tuple[str, int | None, datetime.date | None]]:
    return sorted(
        Distribution.objects.filter(document=document).values_list(
            "orgunit__code", "current_version_id", "effective_on"
        )
    )


def agrees(document: Document) -> bool:
    """Every row of the document names its version in force and that version's date."""
    document = fresh(document)
    current = document.current_version
    want = (current.pk, current.effective_on) if current is not None else (None, None)
    return all((version, day) == want for _code, version, day in rows(document))


def test_rows_follow_the_version_in_force_through_its_whole_life(cmg, uppm, direccion):
    v1 = vigente(cmg, uppm, direccion, distribution_units=[unit("UOP"), unit("UPPM")])
    assert rows(v1.document) == [("UOP", v1.pk, DAY), ("UPPM", v1.pk, DAY)]

    # a new version in the making leaves the rows on the one in force
    v2 = services.start_new_version(v1.document, by=cmg, data={"justification": "Cambio", "content": "v2"})
    assert rows(v1.document) == [("UOP", v1.pk, DAY), ("UPPM", v1.pk, DAY)]
    services.submit_for_review(v2, by=cmg)
    services.review(v2, by=uppm)
    later = DAY + datetime.timedelta(days=30)
    services.approve(v2, by=direccion, publish_on=later)
    assert rows(v1.document) == [("UOP", v2.pk, later), ("UPPM", v2.pk, later)]

    # a unit added later gets the version in force at once; one removed loses its row
    document = fresh(v1.document)
    services.update_document(document, data={"distribution_units": [unit("UOP"), unit("UPPM-CMG")]}, by=cmg)
    assert rows(document) == [("UOP", v2.pk, later), ("UPPM-CMG", v2.pk, later)]

    # withdrawn: nothing left in force, nothing left to read
    services.withdraw(fresh(document), by=direccion, reason="Ya no aplica")
    assert rows(document) == [("UOP", None, None), ("UPPM-CMG", None, None)]


def test_a_draft_distributed_from_its_registration_has_nothing_to_read_yet(cmg):
    document = draft(cmg, "Borrador distribuido", distribution_units=[unit("UOP")])
    assert rows(document) == [("UOP", None, None)]
    assert agrees(document)


def test_an_external_document_is_in_force_and_to_be_read_from_its_registration(cmg):
    data = {
        "title": "Ley de prueba",
        "document_type": latest(draft(cmg)).document.document_type,
        "owner_unit": unit("UPPM-CMG"),
        "external_issuer": "Congreso",
        "effective_on": datetime.date(2024, 5, 2),
        "distribution_units": [unit("UOP")],
    }
    document = services.register_external_document(data=data, by=cmg)
    current = fresh(document).current_version
    assert rows(document) == [("UOP", current.pk, datetime.date(2024, 5, 2))]


def test_the_migration_fills_the_rows_as_the_services_keep_them(cmg, uppm, direccion):
    in_force = vigente(cmg, uppm, direccion, distribution_units=[unit("UOP"), unit("UPPM")]).document
    replaced = vigente(cmg, uppm, direccion, title="Otro", distribution_units=[unit("UOP")])
    v2 = services.start_new_version(replaced.document, by=cmg, data={"justification": "Cambio", "content": "v2"})
    services.submit_for_review(v2, by=cmg)
    services.review(v2, by=uppm)
    services.approve(v2, by=direccion, publish_on=DAY + datetime.timedelta(days=9))
    withdrawn = vigente(cmg, uppm, direccion, title="Retirado", distribution_units=[unit("UPPM")]).document
    services.withdraw(fresh(withdrawn), by=direccion, reason="Ya no aplica")
    never = draft(cmg, "Nunca vigente", distribution_units=[unit("UOP")])
    kept = {d.pk: rows(d) for d in (in_force, replaced.document, withdrawn, never)}

    Distribution.objects.update(current_version=None, effective_on=DAY)  # as the table was before
    migration = importlib.import_module("documents.migrations.0016_distribution")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert {d: rows(Document.objects.get(pk=d)) for d in kept} == kept


def test_the_reading_list_is_the_one_the_old_join_gave_and_walks_the_index(cmg, uppm, direccion, lector):
    """The same versions in the same order as the query over every distributed document's version
    in force (kept here as the oracle), for a reader with and without confirmations; on SQLite the
    plan reads the unit's rows in order instead of sorting them."""
    days = [datetime.date(2024, 3, d) for d in (5, 1, 5, 9, 2)]
    versions = [
        vigente(cmg, uppm, direccion, title=f"Vigente {i}", day=day, distribution_units=[unit("UPPM-CSE")])
        for i, day in enumerate(days)
    ]
    services.confirm_read(versions[3], by=lector)

    def old(user: Any) -> list[int]:
        distributed = Document.distribution_units.through.objects.filter(orgunit_id=user.unit_id).values("document_id")
        return [
            v.pk
            for v in versions_visible_to(user)
            .filter(status=VersionStatus.CURRENT, document_id__in=distributed)
            .exclude(Exists(ReadConfirmation.objects.filter(version=OuterRef("pk"), user=user)))
            .defer(*VERSION_LIST_DEFERRED)
            .order_by("-effective_on", "pk")[: hooks.PENDING_ROWS]
        ]

    urls = {v.get_absolute_url(): v.pk for v in versions}
    with CaptureQueriesContext(connection) as queries:
        new = [urls[i.url] for i in hooks._pending(lector) if i.sort_key[0] == 2]
    assert new == old(lector) and len(new) == 4 and versions[3].pk not in new
    dates = [DocumentVersion.objects.get(pk=pk).effective_on for pk in new]
    assert dates == sorted(dates, reverse=True)
    if connection.vendor == "sqlite":
        (sql,) = [q["sql"] for q in queries.captured_queries if "distribution_units" in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "distribution_reading_idx" in plan and "TEMP B-TREE" not in plan
