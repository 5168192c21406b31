"""The register and the NC page: who sees what (404 outside the unit), each step's form, and
refusals re-rendered with the reason on their field."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from nonconformities.models import Nonconformity
from nonconformities.tests.helpers import DETECTED, action, analysed, in_verification, raise_nc, site

pytestmark = pytest.mark.django_db
LIST = reverse("nonconformities:nc_list")


def detail(nc: Nonconformity) -> str:
    return reverse("nonconformities:nc_detail", args=[nc.pk])


def test_a_ut_head_sees_only_her_ut_and_the_coordinator_sees_all(client_as, ut_cusco, ut_puno, cmg):
    cusco = raise_nc(ut_cusco, title="NC de Cusco")
    puno = raise_nc(ut_puno, site_code="UT-PUN", title="NC de Puno")
    body = client_as(ut_cusco).get(LIST).content.decode()
    assert cusco.code in body and puno.code not in body
    body = client_as(cmg).get(LIST).content.decode()
    assert cusco.code in body and puno.code in body
    assert client_as(ut_puno).get(detail(cusco)).status_code == 404
    assert client_as(ut_cusco).get(detail(cusco)).status_code == 200


def test_outsiders_get_404(client_as, no_role_user, ut_cusco):
    nc = raise_nc(ut_cusco)
    assert client_as(no_role_user).get(LIST).status_code == 404
    assert client_as(no_role_user).get(detail(nc)).status_code == 404


def test_the_register_filters(client_as, ut_cusco, cmg):
    major = raise_nc(ut_cusco, grade="major", title="Mayor")
    minor = raise_nc(ut_cusco, grade="minor", title="Menor")
    body = client_as(cmg).get(LIST, {"grade": "major", "site": site("UT-CUS").pk}).content.decode()
    assert major.code in body and minor.code not in body
    body = client_as(cmg).get(LIST, {"q": minor.code}).content.decode()
    assert minor.code in body and major.code not in body
    assert client_as(cmg).get(LIST, {"status": "nonsense"}).status_code == 400


def test_the_overdue_filter_finds_ncs_with_late_actions(client_as, ut_cusco, cmg):
    late = analysed(raise_nc(ut_cusco, title="Tardía"), ut_cusco)
    action(late, ut_cusco, ut_cusco, due=DETECTED + datetime.timedelta(days=5))
    other = raise_nc(ut_cusco, title="Sin acciones")
    body = client_as(cmg).get(LIST, {"overdue": "on"}).content.decode()
    assert late.code in body and other.code not in body


def test_the_register_costs_the_same_whatever_the_number_of_rows(
    client_as, ut_cusco, cmg, django_assert_max_num_queries
):
    for n in range(3):
        nc = analysed(raise_nc(ut_cusco, title=f"NC {n}"), ut_cusco)
        action(nc, ut_cusco, ut_cusco)
    client = client_as(cmg)
    client.get(LIST)  # warm the session and caches
    with django_assert_max_num_queries(12) as small:
        client.get(LIST)
    for n in range(20):
        nc = analysed(raise_nc(ut_cusco, title=f"Más {n}"), ut_cusco)
        action(nc, ut_cusco, ut_cusco)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).status_code == 200


def test_raising_an_nc_through_the_form(client_as, ut_cusco):
    from catalog.models import Requirement

    req = Requirement.objects.get(edition__label="ISO 9001:2015", number="8.5.1")
    response = client_as(ut_cusco).post(
        reverse("nonconformities:nc_create"),
        {
            "source": "complaint",
            "source_reference": "Queja 12-2020",
            "grade": "minor",
            "title": "Atención fuera de plazo",
            "description": "La queja se atendió en 40 días.",
            "site": site("UT-CUS").pk,
            "detected_on": "2020-05-04",
            "requirements": [req.pk],
        },
    )
    nc = Nonconformity.objects.get(title="Atención fuera de plazo")
    assert response.status_code == 302 and response["Location"] == detail(nc)
    assert list(nc.requirements.all()) == [req] and nc.source == "complaint"


def test_a_form_without_title_is_refused_and_nothing_is_stored(client_as, ut_cusco):
    before = Nonconformity.objects.count()
    response = client_as(ut_cusco).post(
        reverse("nonconformities:nc_create"),
        {
            "source": "self",
            "grade": "minor",
            "title": "",
            "description": "x",
            "site": site("UT-CUS").pk,
            "detected_on": "2020-05-04",
        },
    )
    assert response.status_code == 400 and "id_title_error" in response.content.decode()
    assert Nonconformity.objects.count() == before


def test_ut_puno_cannot_raise_an_nc_at_cusco(client_as, ut_puno):
    response = client_as(ut_puno).post(
        reverse("nonconformities:nc_create"),
        {
            "source": "self",
            "grade": "minor",
            "title": "x",
            "description": "x",
            "site": site("UT-CUS").pk,
            "detected_on": "2020-05-04",
        },
    )
    assert response.status_code == 400  # Cusco is not among her choices
    assert not Nonconformity.objects.filter(title="x", site__code="UT-CUS").exists()


def test_the_steps_through_the_page(client_as, ut_cusco, cmg, auditor):
    nc = raise_nc(ut_cusco)
    unit = client_as(ut_cusco)
    r = unit.post(
        reverse("nonconformities:nc_correction", args=[nc.pk]),
        {"correction-correction": "Firmas recabadas", "correction-correction_on": "2020-06-02"},
    )
    assert r.status_code == 302
    r = unit.post(
        reverse("nonconformities:nc_analysis", args=[nc.pk]),
        {
            "analysis-why1": "No se revisa",
            "analysis-cause_method": "Sin control",
            "analysis-root_cause": "Procedimiento incompleto",
        },
    )
    assert r.status_code == 302
    r = unit.post(
        reverse("nonconformities:nc_action_add", args=[nc.pk]),
        {
            "action-title": "Actualizar el procedimiento",
            "action-responsible": ut_cusco.pk,
            "action-due_date": "2020-05-01",
        },
    )
    assert r.status_code == 400 and "id_action-due_date_error" in r.content.decode()
    r = unit.post(
        reverse("nonconformities:nc_action_add", args=[nc.pk]),
        {
            "action-title": "Actualizar el procedimiento",
            "action-responsible": ut_cusco.pk,
            "action-due_date": "2020-07-01",
        },
    )
    assert r.status_code == 302
    # the unit cannot approve its own plan; out of order is refused with the reason
    assert unit.post(reverse("nonconformities:nc_step", args=[nc.pk]), {"action": "approve_plan"}).status_code == 403
    r = client_as(cmg).post(reverse("nonconformities:nc_step", args=[nc.pk]), {"action": "request_verification"})
    assert r.status_code == 400 and 'data-testid="step-error"' in r.content.decode()
    assert (
        client_as(cmg).post(reverse("nonconformities:nc_step", args=[nc.pk]), {"action": "approve_plan"}).status_code
        == 302
    )
    nc.refresh_from_db()
    assert nc.status == Nonconformity.Status.PLAN_APPROVED
    page = client_as(cmg).get(detail(nc)).content.decode()
    assert "Actualizar el procedimiento" in page and "Procedimiento incompleto" in page


def test_verifying_ones_own_action_is_refused_on_the_page(client_as, ut_cusco, cmg, auditor):
    nc, _item = in_verification(ut_cusco, cmg)
    # ut.cusco owns the action and is no verifier: 403
    assert (
        client_as(ut_cusco)
        .post(
            reverse("nonconformities:nc_verify", args=[nc.pk]),
            {"verification-rating": "effective", "verification-note": "ok"},
        )
        .status_code
        == 403
    )
    r = client_as(auditor).post(
        reverse("nonconformities:nc_verify", args=[nc.pk]),
        {"verification-rating": "effective", "verification-note": ""},
    )
    assert r.status_code == 400 and "id_verification-note_error" in r.content.decode()
    r = client_as(auditor).post(
        reverse("nonconformities:nc_verify", args=[nc.pk]),
        {"verification-rating": "effective", "verification-note": "Sin recurrencia"},
    )
    assert r.status_code == 302
    nc.refresh_from_db()
    assert nc.status == Nonconformity.Status.CLOSED


def test_the_action_links_back_to_its_nc_in_the_tracker(client_as, ut_cusco):
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    item = action(nc, ut_cusco, ut_cusco)
    body = client_as(ut_cusco).get(reverse("actions:item_detail", args=[item.pk])).content.decode()
    assert detail(nc) in body


def test_the_nc_appears_on_the_pending_work_of_the_coordinator(client_as, ut_cusco, cmg):
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    action(nc, ut_cusco, ut_cusco)
    body = client_as(cmg).get(reverse("core:pending")).content.decode()
    assert nc.code in body


def test_an_nc_citing_a_requirement_shows_on_its_page(client_as, ut_cusco, ut_puno, cmg):
    from catalog.models import Requirement

    req = Requirement.objects.get(edition__label="ISO 37001:2016", number="8.2")
    nc = raise_nc(ut_cusco)
    nc.requirements.add(req)
    url = reverse("catalog:requirement_detail", args=[req.pk])
    assert nc.code in client_as(cmg).get(url).content.decode()
    assert nc.code not in client_as(ut_puno).get(url).content.decode()


def test_an_nc_is_raised_from_the_record_it_comes_from(client_as, tecnico, ut_cusco, ut_puno):
    from supervisions.models import Supervision

    sup = Supervision.objects.get(code="SUP-03-2020")  # demo: UT Cusco
    url = reverse("nonconformities:nc_create")
    page = client_as(ut_cusco).get(url, {"origin": "supervisions.supervision", "origin_id": sup.pk})
    assert page.status_code == 200 and 'value="supervision" selected' in page.content.decode()
    assert client_as(ut_puno).get(url, {"origin": "supervisions.supervision", "origin_id": sup.pk}).status_code == 404
    r = client_as(ut_cusco).post(
        url,
        {"origin": "supervisions.supervision", "origin_id": sup.pk, "source": "supervision", "grade": "minor",
         "title": "Archivo sin foliar", "description": "d", "site": site("UT-CUS").pk, "detected_on": "2020-09-23"},
    )  # fmt: skip
    nc = Nonconformity.objects.get(title="Archivo sin foliar")
    assert r.status_code == 302 and nc.origin == sup
    assert sup.get_absolute_url() in client_as(ut_cusco).get(detail(nc)).content.decode()


def test_the_home_panel_counts_ncs_and_overdue_actions(client_as, ut_cusco, cmg):
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    action(nc, ut_cusco, ut_cusco, due=DETECTED + datetime.timedelta(days=3))
    body = client_as(ut_cusco).get("/").content.decode()
    assert 'data-testid="nc-panel"' in body and 'data-testid="nc-overdue-actions"' in body


def test_the_register_says_more_than_the_cap_instead_of_counting_every_nc(client_as, cmg, monkeypatch):
    """200,000 NCs must not be counted on every page: past the cap the register says so."""
    from core.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 3)
    assert Nonconformity.objects.count() > 3  # the demo's NCs
    body = client_as(cmg).get(reverse("nonconformities:nc_list")).content.decode()
    assert "más de 3 no conformidades" in body
    monkeypatch.setattr(CappedPaginator, "cap", 10_000)
    body = client_as(cmg).get(reverse("nonconformities:nc_list")).content.decode()
    assert f"{Nonconformity.objects.count()} no conformidades" in body


def test_pending_work_reads_the_action_owners_of_every_nc_in_one_query(ut_cusco, ut_puno, cmg, monkeypatch):
    """The prefetch (issue 10) gives the same items as asking each NC, in two queries whatever
    the number of NCs: an owner of an NC's action is not offered its verification."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.access import get_scope
    from nonconformities import hooks, workflows

    ncs = [analysed(raise_nc(ut_cusco), ut_cusco) for _ in range(3)]
    for nc in ncs:
        action(nc, ut_cusco, cmg)
    in_verification(ut_cusco, cmg)  # its action is ut_cusco's: cmg may verify it, ut_cusco not

    def items(user):
        get_scope(user)
        return [(i.label, str(i.action), i.url) for i in hooks._pending(user)]

    people = [ut_cusco, ut_puno, cmg]
    with_prefetch = [items(p) for p in people]
    with CaptureQueriesContext(connection) as queries:
        hooks._pending(cmg)
    assert len(queries) <= 3
    monkeypatch.setattr(workflows, "prefetch_action_owners", lambda ncs: None)
    assert [items(p) for p in people] == with_prefetch
    assert any(with_prefetch)
