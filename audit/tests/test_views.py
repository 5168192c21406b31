import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import Subject, record
from organization.models import Site


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["platform_admin", "cmg", "auditor", "oficial_si"])
def test_audit_trail_readers_browse_the_trail(request, client_as, persona):
    response = client_as(request.getfixturevalue(persona)).get("/auditoria/")
    assert response.status_code == 200
    assert b"system:load_demo" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lector", "ut_cusco", "integridad", "no_role_user"])
def test_everyone_else_gets_404(request, client_as, persona):
    client = client_as(request.getfixturevalue(persona))
    event = AuditEvent.objects.order_by("id").first()
    assert client.get("/auditoria/").status_code == 404
    assert client.get(f"/auditoria/{event.pk}/").status_code == 404
    assert client.get("/auditoria/exportar.csv").status_code == 404


@pytest.mark.django_db
def test_it_filters_by_action_and_date(client_as, cmg):
    client = client_as(cmg)  # logs a "login" event
    response = client.get("/auditoria/?action=login")
    assert b"system:load_demo" not in response.content
    assert b"cmg" in response.content
    assert client.get("/auditoria/?date_from=01/01/2099").content.count(b"<tr>") == 2  # header + empty row


@pytest.mark.django_db
def test_an_inverted_date_range_is_a_400_naming_the_field(client_as, cmg):
    response = client_as(cmg).get("/auditoria/?date_from=02/02/2021&date_to=01/01/2021")
    assert response.status_code == 400
    assert b"date_to" in response.content or b"id_date_to" in response.content


@pytest.mark.django_db
def test_the_detail_shows_old_and_new_values(client_as, cmg):
    with transaction.atomic():
        ev = record(
            actor=cmg,
            action="update",
            obj=Subject("organization.site", "1", "Sede Central"),
            changes={"phone": ["111", "222"]},
        )
    response = client_as(cmg).get(f"/auditoria/{ev.pk}/")
    assert b"111" in response.content and b"222" in response.content and ev.hash.encode() in response.content


@pytest.mark.django_db
def test_exports_are_csv_and_xlsx_and_are_themselves_audited(client_as, auditor):
    client = client_as(auditor)
    csv = client.get("/auditoria/exportar.csv")
    body = b"".join(csv.streaming_content)
    assert csv["Content-Type"].startswith("text/csv")
    assert b"system:load_demo" in body
    xlsx = client.get("/auditoria/exportar.xlsx?action=login")
    assert xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="export", actor=auditor).count() == 2


@pytest.mark.django_db
def test_the_list_page_has_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    site = Site.objects.get(code="UT-PUN")
    with django_assert_num_queries(5) as ctx:
        client.get("/auditoria/")
    n = len(ctx.captured_queries)
    for i in range(60):
        with transaction.atomic():
            record(actor=cmg, action="update", obj=Subject("test.thing", str(i), "x"), site_id=site.pk)
    with django_assert_num_queries(n):
        client.get("/auditoria/")


@pytest.mark.django_db
def test_the_trail_names_kinds_of_record_and_fields_in_spanish_with_peruvian_dates(client_as, cmg):
    """An auditor reads "Actividad · Inicio programado · 01/03/2020", never `plans.activity`,
    `planned_start` or an ISO date; the stored entry keeps the technical names (its hash)."""
    import datetime

    from plans.tests.test_gantt import make_plan

    made = make_plan(cmg)
    activity = made["a12"]
    with transaction.atomic():
        record(
            actor=cmg,
            action=AuditEvent.Action.UPDATE,
            obj=activity,
            changes={
                "planned_start": ["2020-05-01", "2020-03-01"],
                "status": ["not_started", "in_progress"],
                "resolution": [None, "RDE N.° 101-2020"],
            },
        )
    event = AuditEvent.objects.filter(object_type="plans.activity").latest("id")
    client = client_as(cmg)
    listing = client.get("/auditoria/?object_type=plans.activity").content.decode()
    assert "Actividad" in listing and "Inicio programado" in listing
    assert "planned_start" not in listing and ">plans.activity<" not in listing
    detail = client.get(f"/auditoria/{event.pk}/").content.decode()
    assert "01/05/2020" in detail and "01/03/2020" in detail and "2020-03-01" not in detail
    assert "En curso" in detail and "in_progress" not in detail
    assert "Resolución de aprobación" in detail and "RDE N.° 101-2020" in detail
    assert event.changes["planned_start"] == ["2020-05-01", "2020-03-01"]  # stored as written
    # The filter offers kinds of record by name.
    page = client.get("/auditoria/").content.decode()
    assert '<option value="plans.changerequest">Solicitud de cambio</option>' in page
    assert datetime.date(2020, 3, 1).strftime("%d/%m/%Y") in detail
