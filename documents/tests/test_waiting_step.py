"""The stamp of the step each version waits for (documents.waiting): after every transition of
the workflow, and after a change of the rules it was computed from, "versions waiting for me"
read from the stamp is exactly what the rules computed before (the oracle below is the query
the home page ran until issue 10), in the same order."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Q

from core.access import get_scope
from core.pending import pending_for
from documents import services, waiting
from documents.access import versions_visible_to
from documents.models import DocumentType, DocumentVersion, VersionStatus, WorkflowRule
from documents.selectors import awaiting_count, versions_awaiting
from documents.tests.page_support import draft, fresh, latest, load_types, unit

pytestmark = pytest.mark.django_db

WAITING_STEP = {
    VersionStatus.IN_REVIEW: WorkflowRule.Step.REVIEW,
    VersionStatus.IN_ENDORSEMENT: WorkflowRule.Step.ENDORSE,
    VersionStatus.IN_APPROVAL: WorkflowRule.Step.APPROVE,
    VersionStatus.APPROVED: WorkflowRule.Step.PUBLISH,
}


def oracle(user: Any) -> list[int]:
    """documents.selectors.versions_awaiting as it was before the stamp: an OR of one term per
    type and step over the versions joined with their documents."""
    scope = get_scope(user)
    visible = versions_visible_to(user)
    if not scope.roles:
        return []
    rules = WorkflowRule.objects.filter(step__in=set(WAITING_STEP.values())).values_list(
        "document_type_id", "unit_id", "step", "role"
    )
    general: dict[tuple[int, str], set[str]] = {}
    specific: dict[tuple[int, str], dict[int, set[str]]] = {}
    for type_id, unit_id, step, role in rules:
        if unit_id is None:
            general.setdefault((type_id, step), set()).add(role)
        else:
            specific.setdefault((type_id, step), {}).setdefault(unit_id, set()).add(role)

    def where(roles: set[str]) -> Q | None:
        if roles & scope.central_roles:
            return Q()
        sites = [site for site, held in scope.site_roles.items() if roles & held]
        return Q(document__site_id__in=sites) if sites else None

    match = Q(pk__in=[])
    for status, step in WAITING_STEP.items():
        keys = {k for k in general if k[1] == step} | {k for k in specific if k[1] == step}
        for type_id, _step in keys:
            base = Q(status=status, document__document_type_id=type_id)
            units = specific.get((type_id, step), {})
            site_q = where(general.get((type_id, step), set()))
            if site_q is not None:
                match |= base & site_q & ~Q(document__owner_unit_id__in=list(units)) if units else base & site_q
            for unit_id, roles in units.items():
                unit_q = where(roles)
                if unit_q is not None:
                    match |= base & unit_q & Q(document__owner_unit_id=unit_id)
    own = Q(created_by=user, document__document_type__allow_self_approval=False) & Q(
        status__in=[VersionStatus.IN_REVIEW, VersionStatus.IN_APPROVAL]
    )
    waiting_qs = visible.filter(status__in=list(WAITING_STEP))
    return list(waiting_qs.filter(match).exclude(own).order_by("document__code", "number").values_list("pk", flat=True))


@pytest.fixture
def people(cmg, uppm, direccion, lector, ut_cusco, ut_puno, tecnico, no_role_user) -> list[Any]:
    load_types()
    return [cmg, uppm, direccion, lector, ut_cusco, ut_puno, tecnico, no_role_user]


def stamps() -> dict[int, tuple[Any, ...]]:
    return dict(
        (row[0], row[1:])
        for row in DocumentVersion.objects.values_list(
            "pk", "waiting_step", "waiting_roles", "waiting_site_id", "waiting_code", "waiting_barred_id"
        )
    )


def assert_same_as_before(people: list[Any]) -> None:
    """For everyone: the stamp-based list and count equal the oracle; the stored stamps equal a
    recomputation from scratch; the step is the one the status waits for."""
    for person in people:
        expected = oracle(person)
        assert [v.pk for v in versions_awaiting(person)] == expected, person.username
        assert awaiting_count(person) == len(expected), person.username
        assert [v.pk for v in versions_awaiting(person, limit=2)] == expected[:2], person.username
    stored = stamps()
    waiting.refresh()
    assert stamps() == stored
    for status, step in DocumentVersion.objects.values_list("status", "waiting_step"):
        assert step == WAITING_STEP.get(status, "")


def test_after_every_transition_the_stamp_gives_what_the_rules_gave(people, cmg, uppm, direccion, ut_cusco):
    check = lambda: assert_same_as_before(people)  # noqa: E731
    # Two versions walking the whole flow (one endorsed by a unit), a UT instruction and a
    # returned draft, checked after each step.
    endorsed = latest(draft(cmg, "Con visado", endorsing_units=[unit("UPPM")]))
    plain = latest(draft(cmg, "Sin visado"))
    ut = latest(draft(ut_cusco, "Instructivo Cusco", unit_code="UT-CUS", type_code="I"))
    check()
    for version in (endorsed, plain, ut):
        services.submit_for_review(version, by=version.created_by)
        check()
    services.review(endorsed, by=uppm)
    assert fresh(endorsed).waiting_step == WorkflowRule.Step.ENDORSE
    check()
    services.review(plain, by=uppm)
    check()
    services.reject(ut, by=uppm, reason="Falta el objetivo")
    assert fresh(ut).waiting_step == ""
    check()
    services.submit_for_review(fresh(ut), by=ut_cusco)
    services.review(fresh(ut), by=uppm)
    check()
    services.endorse(endorsed, by=uppm, unit=unit("UPPM"))
    assert fresh(endorsed).waiting_step == WorkflowRule.Step.APPROVE
    check()
    services.approve(fresh(endorsed), by=direccion)
    services.approve(fresh(plain), by=direccion)
    assert fresh(plain).waiting_step == WorkflowRule.Step.PUBLISH
    check()
    services.publish(fresh(endorsed), by=cmg)
    check()
    # A new version of a document in force, published: the old one becomes obsolete.
    second = services.start_new_version(fresh(endorsed).document, by=cmg, data={"justification": "Cambio"})
    check()
    services.submit_for_review(second, by=cmg)
    services.review(fresh(second), by=uppm)
    services.approve(fresh(second), by=direccion, publish_on=fresh(second).created_at.date())
    assert fresh(endorsed).status == VersionStatus.OBSOLETE and fresh(second).waiting_step == ""
    check()
    services.withdraw(fresh(second).document, by=direccion, reason="Ya no aplica")
    check()


def test_a_change_of_the_rules_or_of_self_approval_restamps_the_waiting_versions(people, cmg, uppm, ut_cusco):
    ut = latest(draft(ut_cusco, "Instructivo Cusco", unit_code="UT-CUS", type_code="I"))
    central = latest(draft(cmg, "Procedimiento"))
    for version in (ut, central):
        services.submit_for_review(version, by=version.created_by)
    assert_same_as_before(people)
    # The UT's own unit gets its own reviewers: they win over the type's general rules.
    rule = WorkflowRule.objects.create(
        document_type=ut.document.document_type, unit=unit("UT-CUS"), step=WorkflowRule.Step.REVIEW, role="unit_head"
    )
    assert fresh(ut).waiting_roles == "unit_head"
    assert_same_as_before(people)
    rule.delete()
    assert fresh(ut).waiting_roles != "unit_head"
    assert_same_as_before(people)
    # The drafter may review their own version once the type allows it.
    dtype = DocumentType.objects.get(pk=central.document.document_type_id)
    dtype.allow_self_approval = True
    dtype.save()
    assert fresh(central).waiting_barred_id is None
    assert central.pk in oracle(cmg)
    assert_same_as_before(people)


def test_the_data_migration_stamps_the_versions_that_already_wait(people, cmg, uppm, direccion, ut_cusco):
    versions = [latest(draft(cmg, f"Documento {i}")) for i in range(3)]
    versions.append(latest(draft(ut_cusco, "Instructivo", unit_code="UT-CUS", type_code="I")))
    for version in versions:
        services.submit_for_review(version, by=version.created_by)
    services.review(fresh(versions[1]), by=uppm)
    services.review(fresh(versions[2]), by=uppm)
    services.approve(fresh(versions[2]), by=direccion)
    stamped = stamps()
    DocumentVersion.objects.update(**waiting.NOT_WAITING)  # as the rows were before the migration
    migration = importlib.import_module("documents.migrations.0010_waiting_step")
    migration.stamp_waiting_versions(apps, None)
    assert stamps() == stamped
    assert_same_as_before(people)


def test_the_waiting_list_is_read_from_the_stamp_index(cmg, uppm):
    """The selection of the first rows names only stamp columns (all in version_waiting_cover_idx)."""
    load_types()
    services.submit_for_review(latest(draft(cmg, "Uno")), by=cmg)
    sql = str(waiting.awaiting(uppm).order_by("waiting_code", "number").values("pk")[:50].query)
    assert '"documents_document"' not in sql
    assert "waiting_roles" in sql and "waiting_step" not in sql


def test_pending_work_links_each_version_as_its_own_page_does(cmg, uppm):
    from documents.hooks import version_url

    load_types()
    version = latest(draft(cmg, "Uno"))
    services.submit_for_review(version, by=cmg)
    for v in DocumentVersion.objects.all():
        assert version_url()(v) == v.get_absolute_url()
    items = [i for i in pending_for(uppm) if i.url == version.get_absolute_url()]
    assert len(items) == 1 and str(items[0].action) == "Revisar"


def test_unread_versions_in_force_are_the_ones_the_old_query_listed(people, cmg, uppm, direccion, lector, ut_cusco):
    """The home page's "read and confirm" rows, picked in the index first (issue 10): the same
    versions in the same order as the query they replace, for readers with and without reads."""
    import datetime

    from django.db.models import Exists, OuterRef

    from documents import hooks
    from documents.models import Document, ReadConfirmation
    from documents.selectors import VERSION_LIST_DEFERRED
    from documents.tests.page_support import vigente

    days = [datetime.date(2024, 3, d) for d in (5, 1, 5, 9)]
    versions = [vigente(cmg, uppm, direccion, title=f"Vigente {i}", day=day) for i, day in enumerate(days)]
    for person in people:
        if person.unit_id is not None:
            for v in versions[:3]:
                v.document.distribution_units.add(
                    person.unit_id, through_defaults={"current_version": v, "effective_on": v.effective_on}
                )
    services.confirm_read(versions[0], by=lector)

    def old(user: Any) -> list[int]:
        distributed = Document.distribution_units.through.objects.filter(orgunit_id=user.unit_id).values("document_id")
        return [
            v.pk
            for v in versions_visible_to(user)
            .filter(status=VersionStatus.CURRENT)
            .filter(document_id__in=distributed)
            .exclude(Exists(ReadConfirmation.objects.filter(version=OuterRef("pk"), user=user)))
            .select_related("document")
            .defer(*VERSION_LIST_DEFERRED)
            .order_by("-effective_on", "pk")[: hooks.PENDING_ROWS]
        ]

    checked = 0
    for person in people:
        if person.unit_id is None:
            continue
        urls = {v.get_absolute_url(): v.pk for v in versions}
        new = [urls[i.url] for i in hooks._pending(person) if i.sort_key[0] == 2]
        assert new == old(person), person.username
        checked += bool(new)
    assert checked >= 2
    assert versions[0].pk not in [urls[i.url] for i in hooks._pending(lector) if i.sort_key[0] == 2]
