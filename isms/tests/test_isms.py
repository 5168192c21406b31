"""The SGSI: the asset inventory, the Statement of Applicability (exclusions need a
justification, the 2013→2022 migration says what needs a decision, approval issues a verifiable
PDF) and incidents (anyone reports; the officer handles; a breach's notification clock)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from catalog.models import Edition
from core.services import ServiceError
from core.testing import api_post, event_count, row, token_client
from isms import services
from isms.models import Asset, Incident, Soa, SoaEntry

pytestmark = pytest.mark.django_db


def soa_2013() -> Soa:
    return Soa.objects.get(edition__label="ISO/IEC 27001:2013")


def soa_2022() -> Soa:
    return Soa.objects.get(edition__label="ISO/IEC 27001:2022", migrated_from__isnull=False)


# --- who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["asset_list", "soa_list"])
def test_the_isms_views_are_for_central_roles(client_as, oficial_si, lector, ut_cusco, no_role_user, name):
    url = reverse(f"isms:{name}")
    assert client_as(oficial_si).get(url).status_code == 200
    assert client_as(lector).get(url).status_code == 200
    assert client_as(ut_cusco).get(url).status_code == 404
    assert client_as(no_role_user).get(url).status_code == 404


def test_only_the_security_officer_keeps_the_isms(client_as, oficial_si, cmg, lector):
    assert client_as(oficial_si).get(reverse("isms:asset_create")).status_code == 200
    assert client_as(cmg).get(reverse("isms:asset_create")).status_code == 403
    assert client_as(lector).post(reverse("isms:soa_create"), {}).status_code == 403


# --- assets ----------------------------------------------------------------------------------------


def test_the_officer_registers_an_asset_with_its_valuation(client_as, oficial_si):
    response = client_as(oficial_si).post(
        reverse("isms:asset_create"),
        {
            "code": "ACT-T1", "name": "Bitácora de accesos", "type": "information", "owner": oficial_si.pk,
            "location": "Servidor de registros", "classification": "confidential",
            "confidentiality": 2, "integrity": 3, "availability": 1, "in_scope": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    asset = Asset.objects.get(code="ACT-T1")
    assert asset.value == 3
    assert client_as(oficial_si).get(asset.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"), [({"confidentiality": 4}, "confidentiality"), ({"code": "act-01"}, "code")]
)
def test_a_bad_asset_is_refused_naming_the_field(oficial_si, change, field):
    client = token_client(oficial_si)
    body = {
        "code": "ACT-T2", "name": "x", "type": "software", "owner": oficial_si.pk, "location": "y",
        "classification": "internal", "confidentiality": 1, "integrity": 1, "availability": 1, **change,
    }  # fmt: skip
    count = Asset.objects.count()
    response = api_post(client, "/api/v1/assets", body)
    assert response.status_code in (400, 422) and field in json.dumps(response.json())
    assert Asset.objects.count() == count


# --- SoA ---------------------------------------------------------------------------------------------


def test_an_exclusion_needs_a_justification(client_as, oficial_si):
    soa = services.create_soa(edition=Edition.objects.get(label="ISO/IEC 27001:2022"), title="Prueba", by=oficial_si)
    entry = soa.entries.first()
    client = client_as(oficial_si)
    url = reverse("isms:soa_entry", args=[soa.pk, entry.pk])
    before = row(entry), event_count()
    response = client.post(url, {"applicable": "no", "justification": "", "implementation": "not_implemented"})
    assert response.status_code == 400 and "id_justification_error" in response.content.decode()
    assert (row(entry), event_count()) == before
    response = client.post(
        url, {"applicable": "no", "justification": "Fuera del alcance", "implementation": "not_implemented"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.applicable is False and not entry.needs_decision


def test_the_migration_carries_what_maps_one_to_one_and_flags_the_rest(oficial_si):
    new = services.migrate_soa(soa_2013(), by=oficial_si)
    entries = {e.control.number: e for e in new.entries.select_related("control")}
    assert len(entries) == 93
    # new in 2022: no 2013 control maps to it
    assert entries["A.5.7"].needs_decision and entries["A.5.7"].applicable is None
    assert "2022" in entries["A.5.7"].migration_note
    # A.6.1.1 → A.5.2 (equal, alone) is carried over without a decision
    assert not entries["A.5.2"].needs_decision and entries["A.5.2"].applicable is True
    # A.5.1 has two 2013 sources (one only part of it): confirm
    assert entries["A.5.1"].needs_decision and "A.5.1.1" in entries["A.5.1"].migration_note
    assert new.migrated_from == soa_2013()


def test_the_migration_page_shows_what_needs_a_decision(client_as, oficial_si):
    response = client_as(oficial_si).post(reverse("isms:soa_migrate", args=[soa_2013().pk]))
    assert response.status_code == 302
    new = Soa.objects.order_by("-pk").first()
    page = client_as(oficial_si).get(new.get_absolute_url() + "?show=pending")
    assert page.status_code == 200 and 'data-testid="pending"' in page.content.decode()
    assert 'data-number="A.5.7"' in page.content.decode()


def test_approval_needs_every_control_decided_and_issues_a_verifiable_pdf(oficial_si):
    soa = services.create_soa(edition=Edition.objects.get(label="ISO/IEC 27001:2022"), title="Prueba", by=oficial_si)
    with pytest.raises(ServiceError) as exc:
        services.approve_soa(soa, by=oficial_si)
    assert exc.value.field == "entries"
    SoaEntry.objects.filter(soa=soa).update(applicable=True, needs_decision=False)
    services.approve_soa(soa, by=oficial_si)
    soa.refresh_from_db()
    assert soa.status == Soa.Status.APPROVED and soa.verification_code and soa.pdf_sha256
    from reports.models import IssuedDocument

    assert IssuedDocument.objects.get(verification_code=soa.verification_code).kind == "isms.soa"
    with pytest.raises(ServiceError):
        services.update_entry(soa.entries.first(), data={"applicable": False, "justification": "x"}, by=oficial_si)


def test_the_soa_downloads_as_xlsx_and_pdf(client_as, lector):
    soa = soa_2022()
    response = client_as(lector).get(reverse("isms:soa_download", args=[soa.pk, "xlsx"]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Control" and len(rows) == 94
    assert client_as(lector).get(reverse("isms:soa_download", args=[soa.pk, "pdf"])).status_code == 200


@pytest.mark.pdf
def test_the_soa_pdf_is_in_the_seed_format(client_as, lector):
    from committee.tests.helpers import pdf_text

    response = client_as(lector).get(reverse("isms:soa_download", args=[soa_2022().pk, "pdf"]))
    text = pdf_text(response.content)
    assert "DECLARACIÓN DE APLICABILIDAD" in text.upper() and "A.5.1" in text


def test_the_soa_api(oficial_si, lector):
    soa = soa_2022()
    response = token_client(lector).get(f"/api/v1/soa/{soa.pk}")
    assert response.status_code == 200 and len(response.json()["entries"]) == 93
    entry = soa.entries.first()
    response = token_client(oficial_si).patch(
        f"/api/v1/soa/{soa.pk}/entries/{entry.pk}",
        {"applicable": False, "justification": ""},
        content_type="application/json",
    )
    assert response.status_code == 400 and "justification" in json.dumps(response.json())
    from risks.models import Risk

    risk = Risk.objects.get(code="R-CUS-01")
    response = token_client(oficial_si).patch(
        f"/api/v1/soa/{soa.pk}/entries/{entry.pk}", {"risks": [risk.pk]}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["risk_ids"] == [risk.pk]
    assert (
        token_client(lector)
        .patch(f"/api/v1/soa/{soa.pk}/entries/{entry.pk}", {"risks": []}, content_type="application/json")
        .status_code
        == 403
    )


# --- incidents -------------------------------------------------------------------------------------


def test_anyone_with_a_role_reports_and_the_officer_is_told(
    client_as, ut_puno, oficial_si, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(ut_puno).post(
            reverse("isms:incident_report"),
            {"title": "USB perdido", "description": "Se perdió un USB con padrones", "personal_data_breach": "on"},
        )
    assert response.status_code == 302
    incident = Incident.objects.get(title="USB perdido")
    assert incident.site.code == "UT-PUN" and incident.personal_data_breach
    assert incident.notify_by == incident.breach_detected_at + datetime.timedelta(hours=48)
    page = client_as(ut_puno).get(incident.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="countdown"' in page.content.decode()
    assert (
        client_as(ut_puno)
        .get(Incident.objects.get(code__startswith="INC", title__startswith="Correo").get_absolute_url())
        .status_code
        == 404
    )
    assert [m.to for m in mailoutbox] == [[oficial_si.email]] and incident.code in mailoutbox[0].subject


def test_handling_moves_forward_and_closing_needs_the_lessons(oficial_si, ut_cusco):
    incident = services.report_incident(data={"title": "x", "description": "y"}, by=ut_cusco)
    with pytest.raises(ServiceError) as exc:
        services.handle_incident(incident, data={"status": "triaged"}, by=oficial_si)
    assert exc.value.field == "severity"
    services.handle_incident(
        incident, data={"status": "triaged", "severity": "low", "category": "other"}, by=oficial_si
    )
    with pytest.raises(ServiceError) as exc:
        services.handle_incident(incident, data={"status": "reported"}, by=oficial_si)
    assert exc.value.field == "status"
    with pytest.raises(ServiceError) as exc:
        services.handle_incident(incident, data={"status": "closed"}, by=oficial_si)
    assert exc.value.field == "lessons_learned"
    services.handle_incident(
        incident, data={"status": "closed", "root_cause": "r", "lessons_learned": "l"}, by=oficial_si
    )
    assert Incident.objects.get(pk=incident.pk).status == "closed"


def test_the_notification_clock_is_configurable(oficial_si, ut_cusco, settings):
    settings.SIG_BREACH_NOTICE_HOURS = 72
    incident = services.report_incident(
        data={"title": "x", "description": "y", "personal_data_breach": True}, by=ut_cusco
    )
    assert incident.notice_hours == 72
    assert 71 * 3600 < incident.notice_seconds_left() <= 72 * 3600
    services.handle_incident(incident, data={"authority_notified_at": timezone.now()}, by=oficial_si)
    assert Incident.objects.get(pk=incident.pk).notice_seconds_left() is None


def test_the_incident_api(ut_cusco, oficial_si):
    response = api_post(
        token_client(ut_cusco), "/api/v1/incidents", {"title": "a", "description": "b", "personal_data_breach": True}
    )
    assert response.status_code == 201 and response.json()["seconds_left"] > 0
    pk = response.json()["id"]
    response = token_client(ut_cusco).patch(
        f"/api/v1/incidents/{pk}", {"status": "triaged"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = token_client(oficial_si).patch(
        f"/api/v1/incidents/{pk}",
        {"status": "triaged", "severity": "high", "category": "loss"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "triaged"
    future = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    response = api_post(
        token_client(ut_cusco), "/api/v1/incidents", {"title": "a", "description": "b", "occurred_at": future}
    )
    assert response.status_code == 400 and "occurred_at" in json.dumps(response.json())


def test_an_annex_a_control_page_shows_the_soa_decisions(client_as, lector):
    entry = soa_2022().entries.select_related("control").first()
    page = client_as(lector).get(entry.control.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="requirement-soa"' in page.content.decode()


def test_an_asset_based_risk_goes_to_the_one_register(client_as, oficial_si, lector):
    from isms.models import Threat, Vulnerability
    from risks.models import Risk

    asset = Asset.objects.get(code="ACT-01")
    client = client_as(oficial_si)
    assert client.get(asset.get_absolute_url()).status_code == 200
    data = {"threat": Threat.objects.get(code="AM-01").pk, "vulnerability": Vulnerability.objects.get(code="VU-01").pk}
    response = client.post(reverse("isms:asset_risk", args=[asset.pk]), {**data, "code": "R-SI-T1"})
    assert response.status_code == 302
    risk = Risk.objects.get(code="R-SI-T1")
    assert risk.lens_security and risk.owner == asset.owner and asset in risk.assets.all()
    assert "VU-01" in risk.cause and "AM-01" in risk.event
    response = client.post(reverse("isms:asset_risk", args=[asset.pk]), {**data, "code": "r-si-t1"})
    assert response.status_code == 400 and "id_code_error" in response.content.decode()
    assert (
        client_as(lector).post(reverse("isms:asset_risk", args=[asset.pk]), {**data, "code": "R-SI-T2"}).status_code
        == 403
    )
    assert client_as(lector).get(reverse("isms:threat_catalogue")).status_code == 200
    assert Risk.objects.filter(code="R-SI-ACT-02").exists()  # the demo's


@pytest.mark.parametrize(
    ("name", "limit"), [("asset_list", 8), ("soa_list", 8), ("incident_list", 8), ("threat_catalogue", 8)]
)
def test_list_pages_have_a_fixed_number_of_queries(client_as, oficial_si, django_assert_max_num_queries, name, limit):
    client = client_as(oficial_si)
    client.get(reverse(f"isms:{name}"))
    with django_assert_max_num_queries(limit):
        assert client.get(reverse(f"isms:{name}")).status_code == 200


def test_the_soa_page_costs_the_same_for_93_controls(client_as, lector, django_assert_max_num_queries):
    client = client_as(lector)
    url = soa_2022().get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count('data-number="A.') == 93


@pytest.mark.django_db
def test_an_nc_is_raised_from_an_incident_and_links_back_to_it(client_as, oficial_si, ut_puno):
    """Lessons of an incident feed the improvement loop: its page raises an NC that cites it."""
    from django.urls import reverse

    from isms.models import Incident
    from nonconformities.models import Nonconformity

    incident = Incident.objects.order_by("pk").first()
    assert incident is not None  # the demo's incidents
    page = client_as(oficial_si).get(reverse("isms:incident_detail", args=[incident.pk])).content.decode()
    url = reverse("nonconformities:nc_create")
    assert f"{url}?origin=isms.incident&amp;origin_id={incident.pk}" in page
    assert client_as(oficial_si).get(url, {"origin": "isms.incident", "origin_id": incident.pk}).status_code == 200
    assert client_as(ut_puno).get(url, {"origin": "isms.incident", "origin_id": incident.pk}).status_code == 404
    site = incident.site_id if getattr(incident, "site_id", None) else None
    from organization.models import Site

    r = client_as(oficial_si).post(
        url,
        {"origin": "isms.incident", "origin_id": incident.pk, "source": "self", "grade": "minor",
         "title": "Control de accesos sin revisar", "description": "Causa del incidente",
         "site": site or Site.objects.get(is_central=True).pk, "detected_on": "2020-10-02"},
    )  # fmt: skip
    nc = Nonconformity.objects.get(title="Control de accesos sin revisar")
    assert r.status_code == 302 and nc.origin == incident
