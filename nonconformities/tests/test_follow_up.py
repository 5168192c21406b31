"""The follow-up report of improvement actions (seed): per period, unit and system, PDF and
XLSX, scoped to what the reader sees."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nonconformities.tests.helpers import action, analysed, raise_nc, requirement

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]


def test_the_xlsx_is_filtered_by_year_site_and_system(client_as, ut_cusco, ut_puno, cmg):
    cusco = analysed(raise_nc(ut_cusco, title="Cusco"), ut_cusco)
    cusco.requirements.add(requirement("ISO 37001:2016", "8.2"))
    a_cusco = action(cusco, ut_cusco, ut_cusco)
    puno = analysed(raise_nc(ut_puno, site_code="UT-PUN", title="Puno"), ut_puno)
    a_puno = action(puno, ut_puno, ut_puno)
    url = reverse("nonconformities:follow_up", args=["xlsx"])
    numbers = {r[6] for r in _rows(client_as(cmg).get(url, {"year": 2020}))}
    assert {a_cusco.number, a_puno.number} <= numbers
    numbers = {r[6] for r in _rows(client_as(cmg).get(url, {"year": 2020, "system": "SGAS"}))}
    assert a_cusco.number in numbers and a_puno.number not in numbers
    numbers = {r[6] for r in _rows(client_as(ut_puno).get(url))}
    assert a_puno.number in numbers and a_cusco.number not in numbers  # a UT sees its own
    overdue = next(r for r in _rows(client_as(cmg).get(url, {"year": 2020})) if r[6] == a_cusco.number)
    assert overdue[11] == "Sí" and overdue[12] > 0


def test_bad_filters_answer_400_and_the_pdf_downloads(client_as, cmg):
    url = reverse("nonconformities:follow_up", args=["xlsx"])
    assert client_as(cmg).get(url, {"year": "99999"}).status_code == 400
    assert client_as(cmg).get(url, {"system": "XYZ"}).status_code == 400
    response = client_as(cmg).get(reverse("nonconformities:follow_up", args=["pdf"]), {"year": 2020})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_as(cmg).get(reverse("nonconformities:follow_up", args=["html"])).status_code == 200
    assert client_as(cmg).get(reverse("nonconformities:follow_up", args=["doc"])).status_code == 404
