"""Business partners, key positions, due diligence, gifts and conflict-of-interest declarations."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.services import ServiceError
from integrity import services
from integrity.models import BusinessPartner, ConflictDeclaration, DueDiligence, Gift
from integrity.validators import dni_problem, ruc_check_digit, ruc_problem

pytestmark = pytest.mark.django_db


def _ruc(first_ten: str) -> str:
    return first_ten + str(ruc_check_digit(first_ten))


def test_ruc_check_digit() -> None:
    assert ruc_problem("20131312955") is None  # SUNAT's own RUC
    assert ruc_problem("20131312956") is not None
    assert ruc_problem("2013131295") is not None
    assert ruc_problem("30131312955") is not None
    assert ruc_problem("２０131312955") is not None  # full-width digits
    assert dni_problem("12345678") is None
    assert dni_problem("1234567") is not None and dni_problem("1234567a") is not None


def test_partner_with_invalid_ruc_is_refused_on_the_page_and_the_api(integridad: Any, client_as: Any) -> None:
    client = client_as(integridad)
    before = BusinessPartner.objects.count()
    page = client.post(
        "/integridad/socios/nuevo/",
        {"doc_type": "ruc", "doc_number": "20131312956", "name": "X", "kind": "supplier", "risk_level": "low"},
    )
    assert page.status_code == 400 and "check digit" in page.content.decode() or "verificador" in page.content.decode()
    api = client.post(
        "/api/v1/business-partners/",
        {"doc_type": "dni", "doc_number": "123", "name": "X", "kind": "supplier"},
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "doc_number"
    assert BusinessPartner.objects.count() == before


def test_partner_created_listed_and_exported(
    integridad: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_as(integridad)
    number = _ruc("2099887766")
    response = client.post(
        "/integridad/socios/nuevo/",
        {
            "doc_type": "ruc",
            "doc_number": number,
            "name": "Proveedor Nuevo SAC",
            "kind": "supplier",
            "risk_level": "high",
        },
    )
    assert response.status_code == 302
    partner = BusinessPartner.objects.get(doc_number=number)
    assert partner.due_diligence_required
    with django_assert_max_num_queries(15):
        listing = client.get("/integridad/socios/")
    assert number in listing.content.decode()
    xlsx = client.get("/integridad/socios/matriz.xlsx")
    assert xlsx.status_code == 200
    pdf = client.get("/integridad/socios/matriz.pdf")
    assert pdf.status_code == 200
    api = client.get("/api/v1/business-partners/?limit=500")
    assert any(p["doc_number"] == number for p in api.json()["items"])


def test_reader_cannot_write_partners(lector: Any, client_as: Any) -> None:
    client = client_as(lector)
    assert client.get("/integridad/socios/").status_code == 200
    assert client.get("/integridad/socios/nuevo/").status_code == 403
    response = client.post(
        "/api/v1/business-partners/",
        {"doc_number": _ruc("2011122233"), "name": "X", "kind": "supplier"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_due_diligence_with_red_flag_needs_enhanced_decision(integridad: Any) -> None:
    partner = BusinessPartner.objects.first()
    assert partner is not None
    today = timezone.localdate()
    dd = services.create_due_diligence(
        data={"partner": partner, "started_on": today, "politically_exposed": True, "conclusion": "Ok", "decision": "proceed",
              "valid_until": today + datetime.timedelta(days=30)},
        by=integridad,
    )  # fmt: skip
    assert dd.enhanced
    with pytest.raises(ServiceError) as exc:
        services.complete_due_diligence(dd, by=integridad)
    assert exc.value.field == "decision"
    services.update_due_diligence(dd, data={"decision": "conditions", "conditions": "Monitoreo mensual"}, by=integridad)
    services.complete_due_diligence(dd, by=integridad)
    dd.refresh_from_db()
    assert dd.status == DueDiligence.Status.COMPLETED and dd.next_review == dd.valid_until
    with pytest.raises(ServiceError):
        services.update_due_diligence(dd, data={"findings": "x"}, by=integridad)


def test_due_diligence_needs_exactly_one_subject(integridad: Any, client_as: Any) -> None:
    response = client_as(integridad).post(
        "/api/v1/due-diligence/", {"started_on": timezone.localdate().isoformat()}, content_type="application/json"
    )
    assert response.status_code == 400


def test_demo_has_due_diligence_in_every_state() -> None:
    decisions = set(DueDiligence.objects.values_list("decision", flat=True))
    assert {"pending", "proceed", "conditions", "stop"} <= decisions
    assert DueDiligence.objects.filter(valid_until__lt=timezone.localdate()).exists()
    assert DueDiligence.objects.filter(key_position__isnull=False).exists()


def test_nobody_approves_their_own_gift(tecnico: Any, integridad: Any, client_as: Any) -> None:
    gift = services.register_gift(
        data={"direction": "received", "on": timezone.localdate(), "counterpart": "Proveedor", "description": "Canasta",
              "value": Decimal("80.00")},
        by=integridad,
    )  # fmt: skip
    response = client_as(integridad).post(f"/integridad/regalos/{gift.pk}/", {"decision": "accepted"})
    assert response.status_code == 400
    assert "own gift" in response.content.decode() or "propio" in response.content.decode()
    gift.refresh_from_db()
    assert gift.decision == Gift.Decision.PENDING and gift.approver is None
    api = client_as(integridad).post(
        f"/api/v1/gifts/{gift.pk}/decision", {"decision": "accepted"}, content_type="application/json"
    )
    assert api.status_code == 400


def test_gift_above_threshold_only_integrity_decides(
    tecnico: Any, direccion: Any, integridad: Any, settings: Any
) -> None:
    settings.SIG_GIFT_THRESHOLD = "100.00"
    gift = services.register_gift(
        data={"direction": "offered", "on": timezone.localdate(), "counterpart": "Postor", "description": "Viaje",
              "value": Decimal("900.00")},
        by=tecnico,
    )  # fmt: skip
    with pytest.raises(ServiceError):
        services.decide_gift(gift, decision="rejected", note="", by=direccion)
    services.decide_gift(gift, decision="rejected", note="Se rechaza", by=integridad)
    gift.refresh_from_db()
    assert gift.decision == "rejected" and gift.approver == integridad


def test_gift_below_threshold_decided_by_a_manager_and_visible_to_the_servant(
    tecnico: Any, direccion: Any, client_as: Any
) -> None:
    gift = services.register_gift(
        data={"direction": "received", "on": timezone.localdate(), "counterpart": "Usuaria", "description": "Fruta",
              "value": Decimal("10.00")},
        by=tecnico,
    )  # fmt: skip
    services.decide_gift(gift, decision="accepted", note="", by=direccion)
    listing = client_as(tecnico).get("/api/v1/gifts/")
    assert any(g["id"] == gift.pk for g in listing.json()["items"])


def test_gift_negative_value_refused(tecnico: Any, client_as: Any) -> None:
    response = client_as(tecnico).post(
        "/api/v1/gifts/",
        {
            "direction": "received",
            "on": timezone.localdate().isoformat(),
            "counterpart": "X",
            "description": "Y",
            "value": "-1",
        },
        content_type="application/json",
    )
    assert response.status_code == 422


def test_declaration_renewal_and_reminder(tecnico: Any, client_as: Any) -> None:
    from django.core import mail

    client = client_as(tecnico)
    response = client.post(
        "/integridad/conflictos/nueva/", {"declared_on": timezone.localdate().isoformat(), "has_conflicts": "on"}
    )
    assert response.status_code == 400  # conflicts declared without describing them
    old = timezone.localdate() - datetime.timedelta(days=360)
    decl = services.declare_conflicts(data={"declared_on": old, "has_conflicts": False}, by=tecnico)
    assert decl.state() == "expiring"
    mail.outbox.clear()
    sent = services.remind_declarations(timezone.localdate())
    assert sent >= 1
    assert services.remind_declarations(timezone.localdate()) == 0  # once a day
    assert ConflictDeclaration.objects.get(pk=decl.pk).last_reminded_on == timezone.localdate()
    api = client.post("/api/v1/conflict-declarations/", {"has_conflicts": False}, content_type="application/json")
    assert api.status_code == 201 and api.json()["state"] == "current"


def test_ut_head_sees_own_ut_partners_only(ut_puno: Any, integridad: Any, client_as: Any) -> None:
    from organization.models import Site

    cusco = Site.objects.filter(code__icontains="CUS").first()
    partner = services.create_partner(
        data={"doc_type": "dni", "doc_number": "44556677", "name": "Gestor Cusco", "kind": "other", "site": cusco},
        by=integridad,
    )
    assert client_as(ut_puno).get(f"/integridad/socios/{partner.pk}/").status_code == 404


def test_no_role_sees_nothing(no_role_user: Any, client_as: Any) -> None:
    client = client_as(no_role_user)
    for url in ["/integridad/socios/", "/integridad/regalos/", "/integridad/conflictos/"]:
        assert client.get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.register_gift(data={"value": Decimal(1)}, by=no_role_user)


def test_pages_render(integridad: Any, client_as: Any) -> None:
    client = client_as(integridad)
    dd = DueDiligence.objects.filter(status="in_progress").first()
    assert dd is not None
    for url in [
        "/integridad/puestos-clave/", "/integridad/puestos-clave/nuevo/", "/integridad/debida-diligencia/",
        "/integridad/debida-diligencia/nueva/", f"/integridad/debida-diligencia/{dd.pk}/", "/integridad/regalos/",
        "/integridad/regalos/nuevo/", "/integridad/conflictos/", "/integridad/conflictos/nueva/",
    ]:  # fmt: skip
        assert client.get(url).status_code == 200, url


def _matrix(rows: list[list[Any]]) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Matriz de socios de negocio"])  # a title row above the header, as sig exports it
    ws.append(
        ["Documento", "Número", "Socio de negocio", "Tipo", "Riesgo de soborno", "Cláusula antisoborno",
         "Compromiso firmado", "Requiere DD", "Seguimiento", "Procesos"]
    )  # fmt: skip
    for row in rows:
        ws.append([*row, None, None, None, "M01"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_partner_matrix_all_or_nothing(integridad: Any, client_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(integridad)
    good = [
        ["RUC", _ruc("2077766655"), "Importada Uno SAC", "Proveedor", "Medio", "Sí"],
        ["DNI", "40404040", "Persona Dos", "Consultor", "Bajo", "No"],
    ]
    bad = [*good, ["RUC", "20777666559", "Mal RUC", "Proveedor", "Bajo", "No"]]
    if ruc_problem("20777666559") is None:
        bad[-1][1] = "20777666558"
    before = BusinessPartner.objects.count()
    response = client.post("/integridad/socios/importar/", {"file": SimpleUploadedFile("m.xlsx", _matrix(bad))})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Row 5" in body or "Fila 5" in body, body[body.find("import-errors") : body.find("import-errors") + 800]
    assert BusinessPartner.objects.count() == before
    ok = client.post("/integridad/socios/importar/", {"file": SimpleUploadedFile("m.xlsx", _matrix(good))})
    assert ok.status_code == 302
    assert BusinessPartner.objects.count() == before + 2
    assert client.get("/integridad/socios/importar/?plantilla=1").status_code == 200


def test_compliance_report_from_the_registers(integridad: Any, client_as: Any) -> None:
    import io

    import openpyxl

    from integrity.reports import ComplianceReport

    ctx = ComplianceReport(integridad).context()
    values = {label: value for label, value, _pct in ctx["rows"]}
    assert values["Socios de negocio activos"] == BusinessPartner.objects.filter(active=True).count()
    assert values["Debidas diligencias vencidas"] >= 1  # the demo has an expired one
    client = client_as(integridad)
    xlsx = client.get("/integridad/socios/informe-cumplimiento.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    cells = [v for ws in book for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert "Con cláusula antisoborno" in cells
    assert client.get("/integridad/socios/informe-cumplimiento.pdf").status_code == 200
    assert client.get("/integridad/socios/informe-cumplimiento.doc").status_code == 404


@pytest.mark.pdf
def test_partner_matrix_and_compliance_report_print_in_the_seed_format(integridad: Any) -> None:
    import io

    from pypdf import PdfReader

    from integrity.reports import ComplianceReport, PartnerMatrix

    for report, needle in [
        (PartnerMatrix(integridad), "Banco de la Nación"),
        (ComplianceReport(integridad), "cláusula antisoborno"),
    ]:
        text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(report.pdf())).pages)
        assert needle in text
        assert "Página" in text
