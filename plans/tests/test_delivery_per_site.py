"""A product of an activity held in many sites is delivered per site (each UT delivers its
share and progress counts the shares) or whole by its owner; nobody outside the owner and the
activity's scope delivers it. The seed's activity 1.1 (internal audits, owned by UPPM-CMG, held
in the Sede Central and the 21 UTs) is the case a UT head once completed on her own."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from documents.models import Document
from plans import services
from plans.models import Activity, Plan, ProductDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def audits() -> Activity:
    plan = Plan.objects.get(year=2020, kind=Plan.Kind.SIG)
    return plan.activities.get(code="1.1")


def _evidence(user, unit_code: str, title: str) -> Document:
    from documents.tests.api_support import draft, load_types

    load_types()
    return draft(user, title, unit_code=unit_code, type_code="I")


def test_a_ut_delivers_only_its_share_of_a_national_activity(client_as, audits):
    from accounts.roles import Role
    from core.tests.factories import PersonFactory

    product = audits.products.get()
    scope = audits.sites.count()
    assert scope == 22
    # the demo's two issued audit reports delivered the shares of the UTs they audited
    before = set(ProductDelivery.objects.filter(product=product).values_list("site__code", flat=True))
    assert before == {"UT-CUS", "UT-PUN"}
    site = audits.sites.filter(is_central=False).exclude(code__in=before).order_by("code").first()
    head = PersonFactory(role=Role.UNIT_HEAD, role__site=site)
    own = _evidence(head, site.code, f"Informe de auditoría interna de la {site.code}")
    services.deliver_product(product, evidence_label="documents.document", evidence_id=own.pk, by=head)
    audits.refresh_from_db()
    product.refresh_from_db()
    assert product.delivered_on is None
    assert audits.status != Activity.Status.COMPLETED
    assert audits.progress == round(100 * 3 / scope)
    assert set(ProductDelivery.objects.filter(product=product).values_list("site__code", flat=True)) == {
        *before,
        site.code,
    }
    # the plan page says how far it went
    html = client_as(head).get(audits.plan.get_absolute_url()).content.decode()
    assert f'data-sites-delivered="3" data-sites="{scope}"' in html


def test_a_ut_outside_the_scope_or_a_reader_cannot_deliver(ut_cusco, auditor, lector, cmg, audits):
    plan = audits.plan
    central_only = plan.activities.filter(sites__is_central=True).exclude(sites__is_central=False).first()
    assert central_only is not None
    product = central_only.products.first()
    own = _evidence(ut_cusco, "UT-CUS", "Informe de Cusco")
    for person in (ut_cusco, auditor, lector):
        with pytest.raises(PermissionDenied):
            services.deliver_product(product, evidence_label="documents.document", evidence_id=own.pk, by=person)
    assert not ProductDelivery.objects.filter(product=product, site__code="UT-CUS").exists()


def test_the_owner_delivers_the_product_whole(cmg, audits):
    product = audits.products.get()
    report = Document.objects.get(code="PNADP-UPPM-CMG-PL-001")
    services.deliver_product(product, evidence_label="documents.document", evidence_id=report.pk, by=cmg)
    audits.refresh_from_db()
    assert (audits.progress, audits.status) == (100, Activity.Status.COMPLETED)
    assert ProductDelivery.objects.get(product=product, site__isnull=True).delivered_by == cmg


def test_when_every_site_has_delivered_its_share_the_product_is_delivered(audits):
    from accounts.roles import Role
    from core.tests.factories import PersonFactory

    product = audits.products.get()
    report = Document.objects.get(code="PNADP-UPPM-CMG-PL-001")  # public and vigente: every UT sees it
    for site in audits.sites.all():
        head = PersonFactory(role=Role.UNIT_HEAD, role__site=site)
        services.deliver_product(product, evidence_label="documents.document", evidence_id=report.pk, by=head)
    product.refresh_from_db()
    audits.refresh_from_db()
    assert product.delivered_on is not None and audits.progress == 100
