"""The services behind the pages: delivering a product refuses evidence the user cannot see (the
service is the guard, whatever the form offered), progress follows the products (one product may
close several activities), activity codes stay unique on edit, and the legal basis of a draft
plan can be corrected."""

from __future__ import annotations

import pytest

from core.services import ServiceError
from documents.tests.page_support import draft, load_types
from evidence.models import EvidenceLink
from organization.models import LegalNorm
from plans import services
from plans.access import can_deliver_product, get_product_for_user
from plans.models import Activity
from plans.tests.page_support import add_activity, add_product, events, fresh, plan, session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


@pytest.fixture
def cusco_product(cmg):
    p = plan(cmg)
    a = add_activity(p, "1.1", by=cmg, sites=("UT-CUS",))
    return add_product(p, "Informe de la UT", [a], by=cmg)


@pytest.mark.parametrize(
    "label, make_id",
    [
        ("documents.document", lambda cmg, puno: draft(puno, "Borrador de Puno", unit_code="UT-PUN", type_code="I").pk),
        ("committee.session", lambda cmg, puno: session(cmg).pk),  # sessions are for central roles
        ("documents.document", lambda cmg, puno: 999999),
        ("auth.user", lambda cmg, puno: cmg.pk),  # not a kind of evidence
    ],
)
def test_deliver_refuses_evidence_the_user_cannot_see(cmg, ut_cusco, ut_puno, cusco_product, label, make_id):
    evidence_id = make_id(cmg, ut_puno)
    before = events()
    with pytest.raises(ServiceError) as exc:
        services.deliver_product(cusco_product, evidence_label=label, evidence_id=evidence_id, by=ut_cusco)
    assert exc.value.field == "evidence"
    assert not EvidenceLink.objects.filter(target_id=cusco_product.pk).exists()
    assert fresh(cusco_product).delivered_on is None and events() == before


def test_one_product_closes_several_activities_and_progress_follows_each(cmg):
    p = plan(cmg)
    a = add_activity(p, "3.14", by=cmg, stage=3)
    b = add_activity(p, "3.15", by=cmg, stage=3)
    shared = add_product(p, "Informe de auditoría externa integrada", [a, b], by=cmg)
    add_product(p, "Videos informativos", [b], by=cmg)
    doc = draft(cmg, "Informe de auditoría")
    services.deliver_product(shared, evidence_label="documents.document", evidence_id=doc.pk, by=cmg)
    assert (fresh(a).progress, fresh(a).status) == (100, Activity.Status.COMPLETED)
    assert (fresh(b).progress, fresh(b).status) == (50, Activity.Status.IN_PROGRESS)


def test_a_second_evidence_keeps_the_first_delivery_date(cmg):
    p = plan(cmg)
    product = add_product(p, "Acta", [add_activity(p, "2.7", by=cmg, stage=2)], by=cmg)
    acta = session(cmg)
    services.deliver_product(product, evidence_label="committee.session", evidence_id=acta.pk, by=cmg)
    first = fresh(product).delivered_on
    services.deliver_product(
        product, evidence_label="documents.document", evidence_id=draft(cmg, "Acta firmada").pk, by=cmg
    )
    assert fresh(product).delivered_on == first
    assert EvidenceLink.objects.filter(target_id=product.pk, target_type__model="product").count() == 2


def test_a_ut_may_deliver_only_the_products_of_activities_that_involve_it(
    cmg, ut_cusco, ut_puno, lector, cusco_product
):
    assert can_deliver_product(cmg, cusco_product)
    assert can_deliver_product(ut_cusco, cusco_product)
    assert not can_deliver_product(lector, cusco_product)
    from django.http import Http404

    with pytest.raises(Http404):
        get_product_for_user(ut_puno, cusco_product.pk)


def test_editing_an_activity_to_a_code_already_used_is_refused(cmg):
    p = plan(cmg)
    add_activity(p, "1.1", by=cmg)
    other = add_activity(p, "1.2", by=cmg)
    with pytest.raises(ServiceError) as exc:
        services.update_activity(other, data={"code": "1.1"}, by=cmg)
    assert exc.value.field == "code" and fresh(other).code == "1.2"


def test_the_legal_basis_of_a_draft_plan_is_corrected_with_an_audit_entry(cmg):
    p = plan(cmg)
    norms = list(LegalNorm.objects.order_by("pk")[:2])
    before = events()
    services.update_plan(p, data={"legal_basis": norms}, by=cmg)
    assert list(p.legal_basis.order_by("pk")) == norms and events() == before + 1
    services.update_plan(p, data={"legal_basis": norms}, by=cmg)
    assert events() == before + 1  # no change, no entry
