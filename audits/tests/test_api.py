"""/api/v1/audit-programmes, /api/v1/audits and /api/v1/findings: the same rules as the pages."""

from __future__ import annotations

import pytest

from audits.models import Finding
from audits.tests.helpers import audit, criteria, minor_finding, programme
from core.testing import api_post, token_client
from organization.models import Site

pytestmark = pytest.mark.django_db


def test_the_audit_lifecycle_through_the_api(cmg, auditor, ut_cusco):
    p = programme(cmg)
    manager = token_client(cmg)
    body = {
        "programme": p.pk, "code": "AT-05-2020", "title": "UT Cusco", "objectives": "o",
        "sites": [Site.objects.get(code="UT-CUS").pk], "criteria": [r.pk for r in criteria()],
        "start_date": "2020-09-01", "end_date": "2020-09-02", "lead": auditor.pk, "team": [ut_cusco.pk],
    }  # fmt: skip
    r = api_post(manager, "/api/v1/audits", body)
    assert r.status_code == 400 and r.json()["detail"][0]["loc"] == ["body", "team"]
    body["team"] = []
    r = api_post(manager, "/api/v1/audits", body)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    team = token_client(auditor)
    r = api_post(team, f"/api/v1/audits/{pk}/checklist")
    assert r.status_code == 200 and len(r.json()["questions"]) == 2
    finding = {
        "audit": pk,
        "grade": "NCm",
        "requirements": [],
        "site": Site.objects.get(code="UT-CUS").pk,
        "description": "d",
        "evidence": "e",
    }
    r = api_post(team, "/api/v1/findings", finding)
    assert r.status_code == 400 and r.json()["detail"][0]["loc"] == ["body", "requirements"]
    r = api_post(team, "/api/v1/findings", {**finding, "requirements": [c.pk for c in criteria()[:2]]})
    assert r.status_code == 201 and r.json()["nonconformity_id"]
    r = api_post(token_client(ut_cusco), f"/api/v1/findings/{r.json()['id']}/response", {"accept": False})
    assert r.status_code == 400 and r.json()["detail"][0]["loc"] == ["body", "reason"]


def test_scoping_of_audits_and_findings(cmg, auditor, ut_cusco, ut_puno):
    a = audit(cmg, auditor)
    f = minor_finding(a, auditor)
    assert token_client(ut_puno).get(f"/api/v1/audits/{a.pk}").status_code == 404
    assert token_client(ut_puno).get(f"/api/v1/findings/{f.pk}").status_code == 404
    assert (
        token_client(ut_puno).get("/api/v1/findings").json()["count"]
        == Finding.objects.filter(site__code="UT-PUN").count()
    )
    assert token_client(ut_cusco).get(f"/api/v1/findings/{f.pk}").status_code == 200
    ids = [
        i["id"] for i in token_client(cmg).get("/api/v1/findings", {"requirement": criteria()[1].pk}).json()["items"]
    ]
    assert f.pk in ids
    assert token_client(ut_cusco).get("/api/v1/audit-programmes").json()["count"] == 0


def test_an_unknown_grade_names_the_field(cmg, auditor):
    a = audit(cmg, auditor)
    r = api_post(
        token_client(auditor),
        "/api/v1/findings",
        {
            "audit": a.pk,
            "grade": "XX",
            "requirements": [criteria()[0].pk],
            "site": Site.objects.get(code="UT-CUS").pk,
            "description": "d",
            "evidence": "e",
        },
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "grade"
