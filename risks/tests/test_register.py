"""The risk register: who sees which risks, registering and evaluating a risk, treatment
actions in the shared tracker, acceptance by the owner only, and bad input refused with the
field named and nothing stored."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from core.services import ServiceError
from core.testing import event_count, row
from organization.models import Process
from risks import services
from risks.models import Evaluation, Risk
from risks.tests.helpers import cgr, evaluate, make_risk, site

pytestmark = pytest.mark.django_db
LIST = reverse("risks:risk_list")
CREATE = reverse("risks:risk_create")


def codes(response) -> set[str]:
    from organization.tests.helpers import attr_values, find

    return set(attr_values(find(response.content, "table", data_testid="risks"), "data-code", "tr"))


def form_data(**extra):
    return {
        "code": "R-CUS-NEW",
        "title": "Soborno en la verificación",
        "kind": "risk",
        "lenses": ["bribery"],
        "process": Process.objects.get(code="M01").pk,
        "site": site("UT-CUS").pk,
        "cause": "c",
        "event": "e",
        "consequence": "q",
        **extra,
    }


# --- access by unit ----------------------------------------------------------------------------


def test_a_ut_head_sees_only_their_uts_risks_and_central_roles_all(client_as, ut_cusco, ut_puno, lector):
    mine = make_risk(ut_cusco, code="R-T-CUS")
    theirs = make_risk(ut_puno, code="R-T-PUN", site_code="UT-PUN")
    cusco = codes(client_as(ut_cusco).get(LIST + "?q=R-T-"))
    assert cusco == {"R-T-CUS"}
    assert codes(client_as(lector).get(LIST + "?q=R-T-")) == {"R-T-CUS", "R-T-PUN"}
    assert client_as(ut_puno).get(mine.get_absolute_url()).status_code == 404
    assert client_as(ut_cusco).get(theirs.get_absolute_url()).status_code == 404


def test_a_person_without_role_gets_404_and_a_reader_cannot_write(client_as, no_role_user, lector, cmg):
    risk = make_risk(cmg)
    for url in (LIST, CREATE, risk.get_absolute_url(), reverse("risks:heat_map"), reverse("risks:control_list")):
        assert client_as(no_role_user).get(url).status_code == 404
    assert client_as(lector).get(CREATE).status_code == 403
    response = client_as(lector).post(reverse("risks:risk_evaluate", args=[risk.pk]), {})
    assert response.status_code == 403


def test_the_register_filters_by_lens_process_site_and_cell(client_as, cmg):
    risk = make_risk(cmg, code="R-T-FLT", lens_security=True)
    evaluate(risk, cmg, p=3, i=5)
    client = client_as(cmg)
    assert "R-T-FLT" in codes(client.get(LIST + "?lens=security&q=R-T-"))
    assert "R-T-FLT" not in codes(client.get(LIST + "?lens=quality&q=R-T-"))
    assert "R-T-FLT" in codes(client.get(LIST + f"?site={site('UT-CUS').pk}&q=R-T-"))
    assert "R-T-FLT" in codes(client.get(LIST + f"?method={cgr().pk}&which=inherent&p=3&i=5"))
    assert "R-T-FLT" not in codes(client.get(LIST + f"?method={cgr().pk}&which=inherent&p=3&i=4"))
    assert client.get(LIST + "?process=abc&site=99999999999999999999999&page=zz").status_code == 200


def test_the_register_page_has_a_fixed_number_of_queries(client_as, cmg, django_assert_max_num_queries):
    client = client_as(cmg)
    client.get(LIST)
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert len(codes(response)) == 50


# --- registering -------------------------------------------------------------------------------


def test_a_ut_head_registers_a_risk_for_their_ut_only(client_as, ut_cusco):
    client = client_as(ut_cusco)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, form_data(owner=ut_cusco.pk))
    assert response.status_code == 302
    risk = Risk.objects.get(code="R-CUS-NEW")
    assert risk.site.code == "UT-CUS" and risk.lenses == ["bribery"] and risk.method == cgr()
    before = event_count()
    response = client.post(CREATE, form_data(code="R-CUS-NEW2", owner=ut_cusco.pk, site=site("UT-PUN").pk))
    assert response.status_code == 400 and not Risk.objects.filter(code="R-CUS-NEW2").exists()
    assert event_count() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "r-cus-01"}, "code"),  # the demo has R-CUS-01: codes are unique ignoring case
        ({"lenses": []}, "lenses"),
        ({"process": 99999999999999999999}, "process"),
    ],
)
def test_bad_risk_input_names_the_field_and_stores_nothing(client_as, cmg, change, field):
    client = client_as(cmg)
    before = Risk.objects.count(), event_count()
    response = client.post(CREATE, form_data(owner=cmg.pk, **change))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode() or f"id_{field}" in response.content.decode()
    assert (Risk.objects.count(), event_count()) == before


# --- evaluating ---------------------------------------------------------------------------------


def test_evaluations_keep_the_history_and_the_latest_scores(client_as, ut_cusco):
    risk = make_risk(ut_cusco)
    client = client_as(ut_cusco)
    url = reverse("risks:risk_evaluate", args=[risk.pk])
    response = client.post(url, {"kind": "inherent", "probability": 4, "impact": 5, "trigger": "initial"})
    assert response.status_code == 302
    response = client.post(url, {"kind": "residual", "probability": 2, "impact": 3, "trigger": "treatment"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.inherent_score, risk.inherent_level, risk.residual_score, risk.residual_level) == (
        20,
        "muy-alto",
        6,
        "moderado",
    )
    assert list(risk.evaluations.values_list("kind", "trigger")) == [("residual", "treatment"), ("inherent", "initial")]
    page = client.get(risk.get_absolute_url()).content.decode()
    assert 'data-testid="evaluations"' in page and "Muy alto" in page


@pytest.mark.parametrize("value", [0, 6, 10**25, -1])
def test_a_probability_outside_the_scale_is_refused(client_as, cmg, value):
    risk = make_risk(cmg)
    before = row(risk), Evaluation.objects.count()
    response = client_as(cmg).post(
        reverse("risks:risk_evaluate", args=[risk.pk]),
        {"kind": "inherent", "probability": value, "impact": 3, "trigger": "initial"},
    )
    assert response.status_code == 400 and "id_probability_error" in response.content.decode()
    assert (row(risk), Evaluation.objects.count()) == before
    with pytest.raises(ServiceError) as exc:
        evaluate(risk, cmg, p=value)
    assert exc.value.field == "probability"


def test_a_residual_above_the_inherent_needs_a_justification(client_as, cmg):
    risk = make_risk(cmg)
    evaluate(risk, cmg, p=2, i=2)
    url = reverse("risks:risk_evaluate", args=[risk.pk])
    data = {"kind": "residual", "probability": 3, "impact": 3, "trigger": "change"}
    before = row(risk)
    response = client_as(cmg).post(url, data)
    assert response.status_code == 400 and "id_justification_error" in response.content.decode()
    assert row(risk) == before
    response = client_as(cmg).post(url, {**data, "justification": "Nuevo canal de pago sin controles"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.residual_score == 9


def test_a_residual_needs_an_inherent_first(cmg):
    risk = make_risk(cmg)
    with pytest.raises(ServiceError) as exc:
        evaluate(risk, cmg, kind="residual")
    assert exc.value.field == "kind"


# --- treatment and acceptance ---------------------------------------------------------------------


def test_adding_a_treatment_action_decides_to_treat(ut_cusco):
    risk = make_risk(ut_cusco)
    evaluate(risk, ut_cusco)
    services.add_treatment_action(risk, title="Supervisar", responsible=ut_cusco, due_date=None, by=ut_cusco)
    risk.refresh_from_db()
    assert risk.treatment == "reduce" and risk.status == Risk.Status.TREATMENT


def test_a_treatment_action_is_an_item_of_the_shared_tracker(client_as, ut_cusco):
    risk = make_risk(ut_cusco)
    evaluate(risk, ut_cusco)
    client = client_as(ut_cusco)
    response = client.post(reverse("risks:risk_treatment", args=[risk.pk]), {"treatment": "reduce", "rationale": "x"})
    assert response.status_code == 302
    response = client.post(
        reverse("risks:risk_add_action", args=[risk.pk]),
        {"title": "Supervisión aleatoria de gestores", "responsible": ut_cusco.pk, "due_date": "30/06/2030"},
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(kind="risk_treatment", source_id=risk.pk)
    assert item.number == "R-T-001-T01" and item.site.code == "UT-CUS" and item.responsible == ut_cusco
    risk.refresh_from_db()
    assert risk.status == Risk.Status.TREATMENT and risk.treatment == "reduce"
    assert (
        item.source_link(ut_cusco) == ("Riesgo R-T-001", risk.get_absolute_url())
        or item.source_link(ut_cusco)[1] == risk.get_absolute_url()
    )
    page = client.get(reverse("actions:item_detail", args=[item.pk]))
    assert page.status_code == 200


def test_only_the_owner_accepts_the_residual_risk_with_an_expiry(client_as, cmg, ut_cusco):
    risk = make_risk(cmg, owner=ut_cusco)
    evaluate(risk, cmg, p=4, i=4)
    evaluate(risk, cmg, kind="residual", p=1, i=3)
    url = reverse("risks:risk_accept", args=[risk.pk])
    expiry = (timezone.localdate() + datetime.timedelta(days=200)).strftime("%d/%m/%Y")
    before = row(risk)
    response = client_as(cmg).post(url, {"expires_on": expiry})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert row(risk) == before
    response = client_as(ut_cusco).post(url, {"expires_on": "01/01/2020"})
    assert response.status_code == 400 and "id_expires_on_error" in response.content.decode()
    response = client_as(ut_cusco).post(url, {"expires_on": expiry, "note": "Dentro de la tolerancia"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.status == Risk.Status.ACCEPTED and risk.accepted_by == ut_cusco and risk.acceptance_in_force


def test_a_residual_above_tolerance_cannot_be_accepted(cmg):
    risk = make_risk(cmg)
    evaluate(risk, cmg, p=5, i=5)
    evaluate(risk, cmg, kind="residual", p=4, i=4)
    with pytest.raises(ServiceError) as exc:
        services.accept_residual(risk, expires_on=timezone.localdate() + datetime.timedelta(days=30), note="", by=cmg)
    assert exc.value.field == "residual"


def test_a_new_residual_evaluation_withdraws_the_acceptance(cmg):
    risk = make_risk(cmg)
    evaluate(risk, cmg, p=3, i=3)
    evaluate(risk, cmg, kind="residual", p=1, i=2)
    services.accept_residual(risk, expires_on=timezone.localdate() + datetime.timedelta(days=30), note="", by=cmg)
    evaluate(risk, cmg, kind="residual", p=2, i=2)
    risk.refresh_from_db()
    assert risk.accepted_on is None and risk.status == Risk.Status.ASSESSED


# --- heat map --------------------------------------------------------------------------------------


def test_the_heat_map_counts_risks_per_cell_and_links_to_the_register(
    client_as, ut_cusco, django_assert_max_num_queries
):
    risk = make_risk(ut_cusco, code="R-T-HM")
    evaluate(risk, ut_cusco, p=5, i=1)
    client = client_as(ut_cusco)
    url = reverse("risks:heat_map") + f"?site={site('UT-CUS').pk}&lens=bribery"
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    html = response.content.decode()
    from organization.tests.helpers import find

    table = find(response.content, "table", data_testid="heatmap-table-inherent")
    cell = find(table, "td", data_p="5", data_i="1")
    assert cell is not None
    link = reverse("risks:risk_list")
    assert f'href="{link}?' in html and "p=5" in html
    expected = Risk.objects.filter(
        site__code="UT-CUS", lens_bribery=True, method=cgr(), inherent_probability=5, inherent_impact=1
    ).count()
    from organization.tests.helpers import text_of

    assert expected >= 1 and text_of(find(cell, "a")) == str(expected)


def test_a_requirement_page_lists_its_risks_and_the_owner_sees_pending_work(client_as, ut_cusco):
    from catalog.models import Requirement
    from core.registry import pending_sources

    req = Requirement.objects.get(edition__label="ISO 37001:2016", number="4.5")
    risk = make_risk(ut_cusco, code="R-T-REQ", requirements=[req])
    page = client_as(ut_cusco).get(req.get_absolute_url())
    assert page.status_code == 200 and "R-T-REQ" in page.content.decode()
    items = [i for s in pending_sources() if s.key == "risks" for i in s.items(ut_cusco)]
    assert any(i.url == risk.get_absolute_url() for i in items)


@pytest.mark.skipif("sqlite" not in __import__("django.db").db.connection.vendor, reason="SQLite's plan")
def test_an_owners_pending_risks_are_read_off_the_owner_index_not_the_sites_rows(ut_cusco, cmg):
    """SQLite, without statistics, walked every risk of the owner's site for the pending work
    (issue 10): the (owner, code) index gives the owner's risks in code order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from risks.hooks import _pending

    mine = [make_risk(ut_cusco, code=f"R-T-{i}") for i in (3, 1, 2)]
    make_risk(cmg, code="R-T-0")
    with CaptureQueriesContext(connection) as queries:
        items = _pending(ut_cusco)
    urls = {r.get_absolute_url() for r in mine}
    assert [i.url for i in items if i.url in urls] == [r.get_absolute_url() for r in sorted(mine, key=lambda r: r.code)]
    (sql,) = [q["sql"] for q in queries.captured_queries if "risks_risk" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "risk_owner_code_idx" in plan and "TEMP B-TREE" not in plan


@pytest.mark.parametrize("n", [1, 6])
def test_a_risk_page_costs_the_same_however_long_its_history(client_as, cmg, django_assert_max_num_queries, n):
    risk = make_risk(cmg)
    for _ in range(n):
        evaluate(risk, cmg, p=3, i=3)
        services.add_treatment_action(risk, title="Acción", responsible=cmg, due_date=None, by=cmg)
    client = client_as(cmg)
    client.get(risk.get_absolute_url())
    with django_assert_max_num_queries(22):
        response = client.get(risk.get_absolute_url())
    assert response.status_code == 200


def test_the_control_catalogue_page(client_as, lector, django_assert_max_num_queries):
    client = client_as(lector)
    client.get(reverse("risks:control_list"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("risks:control_list"))
    assert b"CTL-SI-01" in response.content
