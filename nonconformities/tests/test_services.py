"""The improvement loop through the services: each step, who may take it, and the bad-input
rules of the issue (nothing stored when refused)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from actions.models import ActionItem
from core.services import ServiceError
from core.testing import row
from nonconformities import services
from nonconformities.models import EffectivenessCheck, Nonconformity
from nonconformities.tests.helpers import DETECTED, action, analysed, done_with_evidence, in_verification, raise_nc

pytestmark = pytest.mark.django_db
S = Nonconformity.Status


def test_the_whole_loop_from_raising_to_closing(ut_cusco, cmg, auditor):
    nc = raise_nc(ut_cusco)
    assert nc.status == S.OPEN and nc.code.startswith("NC-2020-")
    analysed(nc, ut_cusco)
    assert nc.status == S.ANALYSIS and nc.whys[1] == "No hay lista de verificación"
    item = action(nc, ut_cusco, ut_cusco)
    assert item.kind == "accion_correctiva" and item.evidence_required and item.site_id == nc.site_id
    services.take_step(nc, action="approve_plan", by=cmg)
    assert nc.status == S.PLAN_APPROVED and nc.plan_approved_by == cmg
    services.take_step(nc, action="execute", by=ut_cusco)
    done_with_evidence(item, ut_cusco)
    services.take_step(nc, action="request_verification", by=ut_cusco)
    check = services.verify_effectiveness(nc, rating="effective", note="Sin recurrencia en 3 meses.", by=auditor)
    nc.refresh_from_db()
    assert nc.status == S.CLOSED and nc.closed_on == check.verified_on and check.verified_by == auditor


def test_a_correction_may_come_before_the_analysis(ut_cusco):
    nc = raise_nc(ut_cusco)
    services.record_correction(nc, correction="Se retiró el expediente.", on=DETECTED, by=ut_cusco)
    assert nc.status == S.OPEN and nc.correction == "Se retiró el expediente."


def test_an_ineffective_verification_reopens_the_nc_for_a_new_analysis(ut_cusco, cmg, auditor):
    nc, _item = in_verification(ut_cusco, cmg)
    services.verify_effectiveness(nc, rating="ineffective", note="Se repitió en julio.", by=auditor)
    nc.refresh_from_db()
    assert nc.status == S.ANALYSIS and nc.reopened == 1 and nc.closed_on is None
    assert list(nc.checks.values_list("rating", flat=True)) == [EffectivenessCheck.Rating.INEFFECTIVE]
    # a new action can be planned again
    action(nc, ut_cusco, ut_cusco)


def test_closing_without_effectiveness_verification_is_refused(ut_cusco, cmg):
    nc, _item = in_verification(ut_cusco, cmg)
    before = row(nc)
    with pytest.raises(ServiceError) as exc:
        services.take_step(nc, action="close", by=cmg)
    assert exc.value.field == "rating"
    assert row(nc) == before and not nc.checks.exists()


def test_the_owner_of_an_action_cannot_verify_its_effectiveness(ut_cusco, cmg, auditor):
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    action(nc, ut_cusco, auditor)  # the auditor owns an action
    services.take_step(nc, action="approve_plan", by=cmg)
    services.take_step(nc, action="execute", by=cmg)
    for item in nc_items(nc):
        done_with_evidence(item, auditor)
    services.take_step(nc, action="request_verification", by=cmg)
    before = row(nc)
    with pytest.raises(ServiceError) as exc:
        services.verify_effectiveness(nc, rating="effective", note="Todo bien.", by=auditor)
    assert exc.value.field == "verified_by"
    assert row(nc) == before and not nc.checks.exists()
    services.verify_effectiveness(nc, rating="effective", note="Verificado.", by=cmg)  # someone else may


def nc_items(nc: Nonconformity) -> list[ActionItem]:
    from nonconformities.workflows import actions_of

    return list(actions_of(nc))


def test_a_due_date_before_the_nc_is_refused(ut_cusco):
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    with pytest.raises(ServiceError) as exc:
        action(nc, ut_cusco, ut_cusco, due=DETECTED - datetime.timedelta(days=1))
    assert exc.value.field == "due_date" and nc_items(nc) == []


def test_a_major_nc_needs_an_action_plan(ut_cusco, cmg):
    nc = analysed(raise_nc(ut_cusco, grade="major"), ut_cusco)
    with pytest.raises(ServiceError) as exc:
        services.take_step(nc, action="approve_plan", by=cmg)
    assert exc.value.field == "actions"
    nc.refresh_from_db()
    assert nc.status == S.ANALYSIS
    action(nc, ut_cusco, ut_cusco)
    services.take_step(nc, action="approve_plan", by=cmg)
    assert nc.status == S.PLAN_APPROVED


def test_an_observation_may_be_approved_without_actions(ut_cusco, cmg):
    nc = raise_nc(ut_cusco, grade="observation")
    services.take_step(nc, action="analyse", by=ut_cusco)
    services.take_step(nc, action="approve_plan", by=cmg)
    assert nc.status == S.PLAN_APPROVED


def test_a_minor_nc_needs_its_root_cause_before_the_plan(ut_cusco, cmg):
    nc = raise_nc(ut_cusco)
    services.take_step(nc, action="analyse", by=ut_cusco)
    with pytest.raises(ServiceError) as exc:
        services.take_step(nc, action="approve_plan", by=cmg)
    assert exc.value.field == "root_cause"


def test_a_transition_out_of_order_is_refused(ut_cusco, cmg):
    nc = raise_nc(ut_cusco)
    before = row(nc)
    with pytest.raises(ServiceError):
        services.take_step(nc, action="request_verification", by=cmg)
    with pytest.raises(ServiceError):
        services.take_step(nc, action="approve_plan", by=cmg)
    assert row(nc) == before


def test_verification_waits_for_every_action_to_be_finished(ut_cusco, cmg):
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    action(nc, ut_cusco, ut_cusco)
    services.take_step(nc, action="approve_plan", by=cmg)
    services.take_step(nc, action="execute", by=ut_cusco)
    with pytest.raises(ServiceError) as exc:
        services.take_step(nc, action="request_verification", by=ut_cusco)
    assert exc.value.field == "actions"


def test_only_a_manager_approves_the_plan_and_other_uts_keep_out(ut_cusco, ut_puno, cmg):
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    with pytest.raises(PermissionDenied):
        services.take_step(nc, action="approve_plan", by=ut_cusco)
    with pytest.raises(PermissionDenied):
        services.record_correction(nc, correction="x", on=None, by=ut_puno)
    with pytest.raises(PermissionDenied):
        raise_nc(ut_puno)  # Puno's head cannot raise an NC at Cusco


def test_a_reader_raises_nothing(lector):
    with pytest.raises(PermissionDenied):
        raise_nc(lector, site_code="SC")


@pytest.mark.parametrize(
    ("whys", "ishikawa", "field"),
    [
        (["a", "b", "c", "d", "e", "f"], {}, "whys"),
        ([], {"luck": "x"}, "ishikawa"),
        ([], {}, "whys"),
        (["x" * 1001], {}, "whys"),
    ],
)
def test_a_bad_analysis_names_its_field(ut_cusco, whys, ishikawa, field):
    nc = raise_nc(ut_cusco)
    before = row(nc)
    with pytest.raises(ServiceError) as exc:
        services.record_analysis(nc, whys=whys, ishikawa=ishikawa, root_cause="Causa", by=ut_cusco)
    assert exc.value.field == field and row(nc) == before


def test_a_correction_before_the_detection_is_refused(ut_cusco):
    nc = raise_nc(ut_cusco)
    with pytest.raises(ServiceError) as exc:
        services.record_correction(nc, correction="x", on=DETECTED - datetime.timedelta(days=1), by=ut_cusco)
    assert exc.value.field == "correction_on"


def test_a_detection_date_in_the_future_is_refused(ut_cusco):
    from django.utils import timezone

    from nonconformities.tests.helpers import site

    with pytest.raises(ServiceError) as exc:
        services.raise_nc(
            data={
                "title": "t",
                "description": "d",
                "site": site("UT-CUS"),
                "detected_on": timezone.localdate() + datetime.timedelta(days=1),
            },
            by=ut_cusco,
        )
    assert exc.value.field == "detected_on"
