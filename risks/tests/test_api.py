"""The risk API: methods, controls and the register with the same rules as the pages."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from core.testing import api_post, event_count, token_client
from organization.models import Process
from risks.method import SHIPPED
from risks.models import Control, Risk
from risks.tests.helpers import evaluate, make_risk, site

pytestmark = pytest.mark.django_db


def body(**extra):
    return {
        "code": "R-API-01",
        "title": "Soborno en la verificación",
        "lenses": ["bribery", "quality"],
        "process": Process.objects.get(code="M01").pk,
        "site": site("UT-CUS").pk,
        "cause": "c",
        "event": "e",
        "consequence": "q",
        **extra,
    }


def test_the_lists_answer_by_unit(ut_cusco, ut_puno, no_role_user, cmg):
    make_risk(ut_puno, code="R-API-PUN", site_code="UT-PUN")
    response = token_client(ut_cusco).get("/api/v1/risks?limit=500")
    assert response.status_code == 200
    assert {r["site_code"] for r in response.json()["items"]} == {"UT-CUS"}
    assert token_client(cmg).get("/api/v1/risks?q=R-API-PUN").json()["count"] == 1
    assert token_client(no_role_user).get("/api/v1/risks").status_code == 404
    assert token_client(cmg).get("/api/v1/risk-methods").json()["count"] >= 2
    assert token_client(cmg).get("/api/v1/controls").json()["count"] >= 12


def test_a_risk_is_registered_evaluated_treated_and_accepted(ut_cusco):
    client = token_client(ut_cusco)
    response = api_post(client, "/api/v1/risks", body(owner=ut_cusco.pk))
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert sorted(response.json()["lenses"]) == ["bribery", "quality"]
    evaluation = {"kind": "inherent", "probability": 4, "impact": 3, "trigger": "initial"}
    assert api_post(client, f"/api/v1/risks/{pk}/evaluations", evaluation).status_code == 201
    residual = {"kind": "residual", "probability": 2, "impact": 3, "trigger": "treatment"}
    assert api_post(client, f"/api/v1/risks/{pk}/evaluations", residual).json()["residual_score"] == 6
    assert (
        api_post(client, f"/api/v1/risks/{pk}/treatment", {"treatment": "reduce", "rationale": "x"}).status_code == 200
    )
    action = {"title": "Supervisar", "responsible": ut_cusco.pk, "due_date": "2030-01-31"}
    response = api_post(client, f"/api/v1/risks/{pk}/treatment-actions", action)
    assert response.status_code == 201 and response.json()["kind"] == "risk_treatment"
    expiry = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    response = api_post(client, f"/api/v1/risks/{pk}/acceptance", {"expires_on": expiry})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    detail = client.get(f"/api/v1/risks/{pk}").json()
    assert len(detail["evaluations"]) == 2 and len(detail["treatment_actions"]) == 1


@pytest.mark.parametrize(
    ("path", "payload", "status", "field"),
    [
        ("evaluations", {"kind": "inherent", "probability": 7, "impact": 3, "trigger": "initial"}, 400, "probability"),
        (
            "evaluations",
            {"kind": "inherent", "probability": 10**30, "impact": 3, "trigger": "initial"},
            422,
            "probability",
        ),
        ("evaluations", {"kind": "residual", "probability": 5, "impact": 5, "trigger": "change"}, 400, "justification"),
        ("acceptance", {"expires_on": "2099-01-01"}, 400, "owner"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(cmg, ut_cusco, path, payload, status, field):
    risk = make_risk(cmg, owner=ut_cusco)
    evaluate(risk, cmg, p=2, i=2)
    client = token_client(cmg)
    before = event_count()
    response = api_post(client, f"/api/v1/risks/{risk.pk}/{path}", payload)
    assert response.status_code == status
    assert field in json.dumps(response.json()["detail"])
    assert event_count() == before


def test_duplicated_codes_and_missing_lenses_are_refused(cmg):
    client = token_client(cmg)
    count = Risk.objects.count()
    response = api_post(client, "/api/v1/risks", body(code="r-cus-01", owner=cmg.pk))
    assert response.status_code == 400 and "code" in json.dumps(response.json())
    response = api_post(client, "/api/v1/risks", body(lenses=[], owner=cmg.pk))
    assert response.status_code == 422 and "lenses" in json.dumps(response.json())
    assert Risk.objects.count() == count


def test_a_ut_head_cannot_register_for_another_ut_nor_see_its_risks(ut_cusco, ut_puno):
    risk = make_risk(ut_puno, code="R-API-PUN2", site_code="UT-PUN")
    client = token_client(ut_cusco)
    response = api_post(client, "/api/v1/risks", body(site=site("UT-PUN").pk, owner=ut_cusco.pk))
    assert response.status_code == 400 and "site" in json.dumps(response.json())
    assert client.get(f"/api/v1/risks/{risk.pk}").status_code == 404


def test_methods_and_controls_over_the_api(cmg, lector):
    data = json.loads(SHIPPED["default-5x5"].read_bytes())
    data["code"] = "API-5X5"
    response = api_post(token_client(cmg), "/api/v1/risk-methods", {"definition": data})
    assert response.status_code == 201 and response.json()["version"] == 1
    data["levels"][0]["colour"] = "verde"
    response = api_post(token_client(cmg), "/api/v1/risk-methods", {"definition": data})
    assert response.status_code == 400 and "levels[0].colour" in json.dumps(response.json())
    assert api_post(token_client(lector), "/api/v1/risk-methods", {"definition": data}).status_code == 403
    control = {"code": "CTL-API", "name": "Arqueo", "type": "financial", "owner": cmg.pk, "frequency": "monthly"}
    assert api_post(token_client(cmg), "/api/v1/controls", control).status_code == 201
    assert api_post(token_client(cmg), "/api/v1/controls", {**control, "code": "ctl-api"}).status_code == 400
    assert Control.objects.filter(code__iexact="ctl-api").count() == 1


def test_moving_a_risk_to_another_method_over_the_api(cmg):
    from risks.models import RiskMethod

    risk = make_risk(cmg)
    evaluate(risk, cmg, p=3, i=3)
    general = RiskMethod.objects.get(code="GEN-5X5", version=1)
    identity = {str(v): v for v in range(1, 6)}
    client = token_client(cmg)
    response = api_post(
        client,
        f"/api/v1/risks/{risk.pk}/method",
        {"method": general.pk, "probability_map": {"1": 1}, "impact_map": identity},
    )
    assert response.status_code == 400 and "probability_map" in json.dumps(response.json())
    response = api_post(
        client,
        f"/api/v1/risks/{risk.pk}/method",
        {"method": general.pk, "probability_map": identity, "impact_map": identity},
    )
    assert response.status_code == 200 and response.json()["method_id"] == general.pk
