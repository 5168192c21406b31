"""The risk matrix as XLSX (exported as filtered, read back by the import), its import with a
row-by-row error report (all or nothing), and the follow-up of the treatment action plans."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.testing import event_count
from risks.matrix import COLUMNS
from risks.models import Risk
from risks.tests.helpers import cgr

pytestmark = pytest.mark.django_db
IMPORT = reverse("risks:matrix_import")
HEADER = [c.header for c in COLUMNS]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("matriz.xlsx", out.getvalue())


def good(code="R-IMP-01", **change):
    values = {
        "code": code, "title": "Pago indebido", "kind": "Riesgo", "lenses": "Soborno; Calidad", "process": "M01",
        "site": "UT-CUS", "cause": "c", "event": "e", "consequence": "q", "owner": "ut.cusco",
        "controls": "CTL-NF-01", "ip": 4, "ii": 4, "rp": 2, "ri": 3, "justification": "",
    }  # fmt: skip
    values.update(change)
    return [values[c.key] for c in COLUMNS]


def test_the_matrix_export_is_filtered_by_unit_and_reads_back(client_as, ut_cusco, cmg):
    response = client_as(ut_cusco).get(reverse("risks:matrix_xlsx"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0][: len(HEADER)]) == HEADER
    assert {r[5] for r in rows[1:]} == {"UT-CUS"} and len(rows) - 1 == Risk.objects.filter(site__code="UT-CUS").count()
    # the exported file, with new codes, imports back
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        row[0].value = f"{row[0].value}-B"
        row[15].value = "Reevaluado"
    out = io.BytesIO()
    wb.save(out)
    before = Risk.objects.count()
    response = client_as(cmg).post(IMPORT, {"file": SimpleUploadedFile("m.xlsx", out.getvalue()), "method": cgr().pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Risk.objects.count() == before + len(rows) - 1


def test_a_good_matrix_imports_with_its_evaluations(client_as, ut_cusco):
    response = client_as(ut_cusco).post(IMPORT, {"file": xlsx([good()]), "method": cgr().pk})
    assert response.status_code == 302
    risk = Risk.objects.get(code="R-IMP-01")
    assert risk.lenses == ["quality", "bribery"] and (risk.inherent_score, risk.residual_score) == (16, 6)
    assert [c.code for c in risk.controls.all()] == ["CTL-NF-01"]
    assert risk.evaluations.count() == 2 and risk.evaluations.first().trigger == "information"


def test_every_bad_row_is_reported_and_nothing_is_stored(client_as, cmg):
    rows = [
        good("R-IMP-A"),
        good("R-IMP-B", ip=9),  # outside the scale
        good("r-imp-a"),  # repeated ignoring case
        good("R-IMP-C", rp=5, ri=5),  # residual above inherent without justification
        good("R-IMP-D", owner="nadie", lenses="Otra"),
        good("R-CUS-01"),  # an existing code
    ]
    client = client_as(cmg)
    before = Risk.objects.count(), event_count()
    response = client.post(IMPORT, {"file": xlsx(rows), "method": cgr().pk})
    assert response.status_code == 400
    html = response.content.decode()
    from organization.tests.helpers import attr_values, find

    report = find(response.content, "section", data_testid="import-errors")
    bad_rows = set(attr_values(report, "data-row", "tr"))
    assert {"3", "5", "6"} <= bad_rows and "Probabilidad inherente" in html and "Dueño del riesgo" in html
    assert (Risk.objects.count(), event_count()) == before
    # with only the repeated code left, the check across rows names the row
    response = client.post(IMPORT, {"file": xlsx([good("R-IMP-E"), good("r-imp-e")]), "method": cgr().pk})
    assert response.status_code == 400 and "3" in attr_values(
        find(response.content, "section", data_testid="import-errors"), "data-row", "tr"
    )
    assert Risk.objects.count() == before[0]


def test_a_mislabelled_or_unreadable_file_is_refused(client_as, cmg):
    client = client_as(cmg)
    response = client.post(IMPORT, {"file": xlsx([good()], header=["Código", "Otra cosa"]), "method": cgr().pk})
    assert response.status_code == 400 and 'data-testid="import-errors"' in response.content.decode()
    response = client.post(IMPORT, {"file": SimpleUploadedFile("m.xlsx", b"not a zip"), "method": cgr().pk})
    assert response.status_code == 400
    assert not Risk.objects.filter(code="R-IMP-01").exists()


def test_readers_cannot_import_and_the_template_downloads(client_as, lector):
    assert client_as(lector).get(IMPORT).status_code == 403
    response = client_as(lector).get(reverse("risks:matrix_template"))
    assert response.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]] == HEADER


def test_the_follow_up_of_action_plans(client_as, ut_cusco):
    response = client_as(ut_cusco).get(reverse("risks:follow_up", args=["xlsx"]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]
    assert rows and {r[1] for r in rows} == {"UT-CUS"}
    assert client_as(ut_cusco).get(reverse("risks:follow_up", args=["pdf"])).status_code == 200
    assert client_as(ut_cusco).get(reverse("risks:follow_up", args=["doc"])).status_code == 404


@pytest.mark.pdf
def test_the_follow_up_pdf_is_printed_in_the_seed_format(client_as, cmg):
    from committee.tests.helpers import pdf_text

    response = client_as(cmg).get(reverse("risks:follow_up", args=["pdf"]) + "?lens=bribery")
    text = pdf_text(response.content)
    assert "PLANES DE ACCIÓN" in text and "Página: 1 de" in text


def test_a_ut_head_imports_only_for_their_ut_and_the_import_is_audited(client_as, ut_cusco):
    from audit.models import AuditEvent

    client = client_as(ut_cusco)
    response = client.post(IMPORT, {"file": xlsx([good("R-IMP-P", site="UT-PUN")]), "method": cgr().pk})
    assert response.status_code == 400 and "Sede" in response.content.decode()
    response = client.post(IMPORT, {"file": xlsx([good("R-IMP-Q", owner="ut.puno")]), "method": cgr().pk})
    assert response.status_code == 400 and not Risk.objects.filter(code__in=["R-IMP-P", "R-IMP-Q"]).exists()
    response = client.post(
        IMPORT, {"file": xlsx([good("R-IMP-R"), good("R-IMP-S", rp=None, ri=None)]), "method": cgr().pk}
    )
    assert response.status_code == 302
    entry = AuditEvent.objects.filter(object_type="risks.risk").order_by("-id").first()
    assert entry is not None and [r[1] for r in entry.changes["risks"]] == ["R-IMP-R", "R-IMP-S"]
    assert Risk.objects.get(code="R-IMP-S").residual_score is None
