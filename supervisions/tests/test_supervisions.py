"""Supervisions of UTs with their matriz de mejora: who sees and keeps them, the checklist and
report, the items followed in the action tracker, and the status report across UTs."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from core.services import ServiceError
from core.testing import api_post, token_client
from organization.models import Site
from supervisions import services
from supervisions.models import Supervision

pytestmark = pytest.mark.django_db
START = datetime.date(2021, 3, 1)


def supervision(by, code: str = "SUP-T1", site: str = "UT-CUS") -> Supervision:
    return services.create_supervision(
        data={"code": code, "site": Site.objects.get(code=site), "title": "Supervisión", "plan": "Plan",
              "start_date": START, "end_date": START + datetime.timedelta(days=2), "supervisors": [by]},
        by=by,
    )  # fmt: skip


def test_the_technical_coordinator_keeps_supervisions_and_ut_heads_see_their_own(client_as, tecnico, ut_cusco, ut_puno):
    sup = supervision(tecnico)
    assert client_as(ut_cusco).get(sup.get_absolute_url()).status_code == 200
    assert client_as(ut_puno).get(sup.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionDenied):
        supervision(ut_cusco, code="SUP-T2")
    r = client_as(ut_cusco).post(
        reverse("supervisions:check_add", args=[sup.pk]), {"check-aspect": "x", "check-result": "meets"}
    )
    assert r.status_code == 403


def test_bad_input_names_the_field(tecnico):
    with pytest.raises(ServiceError) as exc:
        supervision(tecnico, site="SC")
    assert exc.value.field == "site"
    sup = supervision(tecnico)
    with pytest.raises(ServiceError) as exc:
        services.add_check(sup, aspect="Archivo", result="fails", observation="", by=tecnico)
    assert exc.value.field == "observation"
    with pytest.raises(ServiceError) as exc:
        services.add_improvement(sup, title="x", due_date=START - datetime.timedelta(days=1), by=tecnico)
    assert exc.value.field == "due_date"
    with pytest.raises(ServiceError) as exc:
        services.record_report(sup, report="Informe", by=tecnico)
    assert exc.value.field == "report"  # the checklist comes first


def test_the_matrix_and_the_status_report_across_uts(client_as, tecnico, ut_cusco, cmg):
    sup = supervision(tecnico)
    services.add_check(sup, aspect="Archivo", result="fails", observation="Sin foliar", by=tecnico)
    item = services.add_improvement(
        sup, title="Foliar el archivo", due_date=START + datetime.timedelta(days=30), responsible=ut_cusco, by=tecnico
    )
    assert item.kind == "matriz_mejora" and item.evidence_required and item.site == sup.site
    services.record_report(sup, report="Informe de la supervisión", by=tecnico)
    sup.refresh_from_db()
    assert sup.status == Supervision.Status.REPORTED
    r = client_as(cmg).get(reverse("supervisions:status_report", args=["xlsx"]))
    book = load_workbook(io.BytesIO(r.content))
    summary = [[c.value for c in row] for row in book["Estatus por UT"].iter_rows(min_row=2)]
    mine = next(row for row in summary if row[1] == "SUP-T1")
    assert mine[0] == "UT-CUS" and mine[3] == 1 and mine[6] == 1  # one item, overdue
    detail = [[c.value for c in row] for row in book["Matrices de mejora"].iter_rows(min_row=2)]
    assert any(row[2] == item.number for row in detail)
    assert client_as(cmg).get(reverse("supervisions:status_report", args=["pdf"])).content.startswith(b"%PDF")
    page = client_as(ut_cusco).get(reverse("actions:item_detail", args=[item.pk])).content.decode()
    assert sup.get_absolute_url() in page


def test_the_list_costs_the_same_whatever_the_rows(client_as, tecnico, django_assert_max_num_queries):
    client = client_as(tecnico)
    client.get(reverse("supervisions:list"))
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("supervisions:list"))
    for n in range(5):
        s = supervision(tecnico, code=f"SUP-Q{n}")
        services.add_improvement(s, title="x", due_date=START, by=tecnico)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("supervisions:list")).status_code == 200


def test_the_api(tecnico, ut_cusco, ut_puno):
    client = token_client(tecnico)
    body = {"code": "SUP-A1", "site": Site.objects.get(code="UT-CUS").pk, "title": "t", "plan": "p",
            "start_date": "2021-03-01", "end_date": "2021-02-01", "supervisors": [tecnico.pk]}  # fmt: skip
    r = api_post(client, "/api/v1/supervisions", body)
    assert r.status_code == 400 and r.json()["detail"][0]["loc"] == ["body", "end_date"]
    body["end_date"] = "2021-03-02"
    r = api_post(client, "/api/v1/supervisions", body)
    assert r.status_code == 201
    pk = r.json()["id"]
    assert (
        api_post(
            client, f"/api/v1/supervisions/{pk}/checks", {"aspect": "a", "result": "partial", "observation": "o"}
        ).status_code
        == 201
    )
    r = api_post(
        client,
        f"/api/v1/supervisions/{pk}/items",
        {"title": "Mejorar", "due_date": "2021-04-01", "responsible": ut_cusco.pk},
    )
    assert r.status_code == 201 and r.json()["kind"] == "matriz_mejora"
    assert token_client(ut_cusco).get(f"/api/v1/supervisions/{pk}").json()["matrix"][0]["title"] == "Mejorar"
    assert token_client(ut_puno).get(f"/api/v1/supervisions/{pk}").status_code == 404
