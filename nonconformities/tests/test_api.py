"""/api/v1/nonconformities: the same rules as the pages (scoped by unit, 404 outside it, the
steps and their refusals naming the field)."""

from __future__ import annotations

import pytest

from core.testing import api_post, row, token_client
from nonconformities.models import Nonconformity
from nonconformities.tests.helpers import analysed, in_verification, raise_nc, requirement, site

pytestmark = pytest.mark.django_db
URL = "/api/v1/nonconformities"


def test_the_register_is_scoped_by_unit(ut_cusco, ut_puno, cmg):
    cusco = raise_nc(ut_cusco)
    puno = raise_nc(ut_puno, site_code="UT-PUN")
    codes = {i["code"] for i in token_client(ut_cusco).get(URL, {"limit": 500}).json()["items"]}
    assert cusco.code in codes and puno.code not in codes
    codes = {i["code"] for i in token_client(cmg).get(URL, {"limit": 500}).json()["items"]}
    assert {cusco.code, puno.code} <= codes
    assert token_client(ut_puno).get(f"{URL}/{cusco.pk}").status_code == 404


def test_raising_and_carrying_an_nc_through_the_api(ut_cusco, cmg):
    unit = token_client(ut_cusco)
    reqs = [requirement("ISO 9001:2015", "8.5.1").pk, requirement("ISO 37001:2016", "8.2").pk]
    r = api_post(
        unit,
        URL,
        {"title": "Padrón desactualizado", "description": "d", "site": site("UT-CUS").pk, "grade": "major",
         "detected_on": "2020-06-01", "requirements": reqs},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert sorted(r.json()["requirement_ids"]) == sorted(reqs)
    r = api_post(unit, f"{URL}/{pk}/analysis", {"whys": ["a"], "ishikawa": {"method": "b"}, "root_cause": "c"})
    assert r.status_code == 200 and r.json()["status"] == "analysis"
    r = api_post(unit, f"{URL}/{pk}/actions", {"title": "Depurar", "due_date": "2020-05-01"})
    assert r.status_code == 400 and r.json()["detail"][0]["loc"] == ["body", "due_date"]
    r = api_post(token_client(cmg), f"{URL}/{pk}/steps", {"action": "approve_plan"})
    assert r.status_code == 400 and r.json()["detail"][0]["loc"] == ["body", "actions"]
    r = api_post(
        unit, f"{URL}/{pk}/actions", {"title": "Depurar", "due_date": "2020-08-01", "responsible": ut_cusco.pk}
    )
    assert r.status_code == 201 and r.json()["kind"] == "accion_correctiva"
    r = api_post(token_client(cmg), f"{URL}/{pk}/steps", {"action": "approve_plan"})
    assert r.status_code == 200 and r.json()["status"] == "plan_approved"
    assert "execute" in r.json()["next_steps"]


def test_closing_needs_a_rating(ut_cusco, cmg, auditor):
    nc, _item = in_verification(ut_cusco, cmg)
    client = token_client(auditor)
    r = api_post(client, f"{URL}/{nc.pk}/steps", {"action": "close"})
    assert r.status_code == 400 and r.json()["detail"][0]["loc"] == ["body", "rating"]
    assert api_post(client, f"{URL}/{nc.pk}/verification", {"note": "x"}).status_code == 422
    r = api_post(client, f"{URL}/{nc.pk}/verification", {"rating": "effective", "note": "Sin recurrencia"})
    assert r.status_code == 200 and r.json()["status"] == "closed" and r.json()["checks"][0]["rating"] == "effective"


def test_the_owner_cannot_verify_through_the_api(ut_cusco, cmg):
    nc, item = in_verification(ut_cusco, cmg)
    item.responsible = cmg
    item.save(update_fields=["responsible"])
    before = row(nc)
    r = api_post(token_client(cmg), f"{URL}/{nc.pk}/verification", {"rating": "effective", "note": "ok"})
    assert r.status_code == 400 and r.json()["detail"][0]["loc"] == ["body", "verified_by"]
    assert row(nc) == before


def test_bad_input_is_refused_naming_the_field(ut_cusco):
    client = token_client(ut_cusco)
    r = api_post(client, URL, {"title": "t", "description": "d", "site": 10**30})
    assert r.status_code == 422
    r = api_post(client, URL, {"title": "t", "description": "d", "site": site("UT-PUN").pk})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "site"
    nc = analysed(raise_nc(ut_cusco), ut_cusco)
    r = api_post(client, f"{URL}/{nc.pk}/analysis", {"whys": ["1", "2", "3", "4", "5", "6"], "root_cause": "x"})
    assert r.status_code == 422
    r = api_post(client, f"{URL}/{nc.pk}/steps", {"action": "fly"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "action"
    assert Nonconformity.objects.filter(title="t").count() == 0
