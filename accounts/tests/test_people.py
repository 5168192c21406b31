import datetime

import pytest

from accounts.models import RoleAssignment, User
from audit.models import AuditEvent
from organization.models import Site


@pytest.mark.django_db
def test_central_roles_see_everyone(client_as, cmg):
    response = client_as(cmg).get("/cuenta/personas/")
    assert response.status_code == 200
    assert b"ut.cusco" in response.content and b"ut.puno" in response.content


@pytest.mark.django_db
def test_a_ut_head_sees_only_people_of_their_ut(client_as, ut_cusco):
    response = client_as(ut_cusco).get("/cuenta/personas/")
    assert b"ut.cusco" in response.content
    assert b"ut.puno" not in response.content
    assert b">cmg<" not in response.content


@pytest.mark.django_db
def test_a_person_of_another_ut_answers_404(client_as, ut_cusco, ut_puno):
    assert client_as(ut_puno).get(f"/cuenta/personas/{ut_cusco.pk}/").status_code == 404
    assert client_as(ut_cusco).get(f"/cuenta/personas/{ut_cusco.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_user_without_roles_sees_no_one(client_as, no_role_user, cmg):
    assert client_as(no_role_user).get(f"/cuenta/personas/{cmg.pk}/").status_code == 404
    assert b"cmg" not in client_as(no_role_user).get("/cuenta/personas/").content


@pytest.mark.django_db
def test_the_people_list_filters_by_name_with_htmx(client_as, cmg):
    response = client_as(cmg).get("/cuenta/personas/?q=Mamani", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"ut.puno" in response.content and b"ut.cusco" not in response.content


@pytest.mark.django_db
def test_the_people_list_has_a_fixed_number_of_queries(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get("/cuenta/personas/")
    with django_assert_num_queries(6) as ctx:
        client.get("/cuenta/personas/")
    before = len(ctx.captured_queries)
    site = Site.objects.get(code="UT-ICA")
    for i in range(15):
        u = User.objects.create(username=f"extra{i}", last_name=f"Extra {i}", site=site)
        RoleAssignment.objects.create(user=u, role="reader", site=site, valid_from=datetime.date(2020, 1, 1))
    with django_assert_num_queries(before):
        client.get("/cuenta/personas/")


@pytest.mark.django_db
def test_the_admin_assigns_a_role_with_validity_and_it_is_audited(client_as, platform_admin, lector):
    site = Site.objects.get(code="UT-CUS")
    response = client_as(platform_admin).post(
        f"/cuenta/personas/{lector.pk}/roles/",
        {"role": "unit_head", "site": site.pk, "valid_from": "01/03/2021", "valid_until": "31/12/2021"},
    )
    assert response.status_code == 302
    a = RoleAssignment.objects.get(user=lector, role="unit_head")
    assert a.valid_from == datetime.date(2021, 3, 1) and a.valid_until == datetime.date(2021, 12, 31)
    ev = AuditEvent.objects.filter(object_type="accounts.roleassignment", object_id=str(a.pk)).get()
    assert ev.changes["role"] == [None, "unit_head"]


@pytest.mark.django_db
def test_a_role_with_end_before_start_is_refused_and_nothing_is_stored(client_as, platform_admin, lector):
    site = Site.objects.get(code="SC")
    client = client_as(platform_admin)
    before = AuditEvent.objects.count()
    response = client.post(
        f"/cuenta/personas/{lector.pk}/roles/",
        {"role": "auditor", "site": site.pk, "valid_from": "01/03/2021", "valid_until": "01/01/2021"},
    )
    assert response.status_code == 400
    assert b"valid_until" in response.content
    assert not RoleAssignment.objects.filter(user=lector, role="auditor").exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_malformed_date_is_refused_naming_the_field(client_as, platform_admin, lector):
    response = client_as(platform_admin).post(
        f"/cuenta/personas/{lector.pk}/roles/", {"role": "auditor", "site": "1", "valid_from": "2021-13-45"}
    )
    assert response.status_code == 400
    assert b"id_valid_from_error" in response.content


@pytest.mark.django_db
def test_only_account_managers_assign_roles(client_as, cmg, lector):
    response = client_as(cmg).post(
        f"/cuenta/personas/{lector.pk}/roles/", {"role": "admin", "site": "1", "valid_from": "01/01/2021"}
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=lector, role="admin").exists()


@pytest.mark.django_db
def test_a_reader_cannot_write(client_as, lector, cmg):
    assert client_as(lector).post(f"/cuenta/personas/{cmg.pk}/estado/", {"active": "0"}).status_code == 403
    cmg.refresh_from_db()
    assert cmg.is_active


@pytest.mark.django_db
def test_revoking_a_role_keeps_the_row_and_removes_access(client_as, platform_admin, ut_cusco):
    assignment = RoleAssignment.objects.get(user=ut_cusco)
    response = client_as(platform_admin).post(f"/cuenta/roles/{assignment.pk}/revocar/")
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert client_as(ut_cusco).get(f"/cuenta/personas/{ut_cusco.pk}/").status_code == 404


@pytest.mark.django_db
def test_deactivating_an_account_never_deletes_it(client_as, platform_admin, lector):
    response = client_as(platform_admin).post(f"/cuenta/personas/{lector.pk}/estado/", {"active": "0"})
    assert response.status_code == 302
    lector.refresh_from_db()
    assert not lector.is_active and lector.deactivated_at is not None
    assert AuditEvent.objects.filter(object_type="accounts.user", object_id=str(lector.pk), action="state").exists()
    listing = client_as(platform_admin).get("/cuenta/personas/?inactive=1")
    assert b"lector" in listing.content


@pytest.mark.django_db
def test_the_admin_cannot_deactivate_themselves(client_as, platform_admin):
    response = client_as(platform_admin).post(f"/cuenta/personas/{platform_admin.pk}/estado/", {"active": "0"})
    assert response.status_code == 400
    platform_admin.refresh_from_db()
    assert platform_admin.is_active


@pytest.mark.django_db
def test_the_admin_creates_a_person_and_a_duplicate_username_is_refused(client_as, platform_admin):
    client = client_as(platform_admin)
    response = client.post(
        "/cuenta/personas/nueva/", {"username": "nuevo", "first_name": "Nuevo", "last_name": "Usuario"}
    )
    assert response.status_code == 302
    assert User.objects.filter(username="nuevo").exists()
    before = AuditEvent.objects.count()
    again = client.post("/cuenta/personas/nueva/", {"username": "nuevo", "first_name": "Otro"})
    assert again.status_code == 400
    assert User.objects.filter(username="nuevo").count() == 1
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_the_access_review_lists_roles_and_last_login_for_reviewers_only(client_as, oficial_si, cmg, ut_cusco):
    response = client_as(oficial_si).get("/cuenta/personas/revision-accesos/")
    assert response.status_code == 200
    assert b"ut.cusco" in response.content
    xlsx = client_as(oficial_si).get("/cuenta/personas/revision-accesos/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    assert client_as(cmg).get("/cuenta/personas/revision-accesos/").status_code == 404
    assert client_as(ut_cusco).get("/cuenta/personas/revision-accesos/").status_code == 404


@pytest.mark.django_db
def test_the_person_is_emailed_when_a_role_is_assigned(
    client_as, platform_admin, lector, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(platform_admin).post(
            f"/cuenta/personas/{lector.pk}/roles/",
            {"role": "auditor", "site": Site.objects.get(code="SC").pk, "valid_from": "01/03/2021"},
        )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [lector.email]
    assert "01/03/2021" in mailoutbox[0].body


@pytest.mark.django_db
def test_the_people_list_varies_on_htmx_and_restores_history_with_the_whole_page(client_as, cmg):
    """A cache must never serve the rows for the page (Vary), and a history restore (back
    button after the cache was evicted) needs the whole page, not the rows."""
    client = client_as(cmg)
    rows = client.get("/cuenta/personas/?q=Mamani", HTTP_HX_REQUEST="true")
    assert "HX-Request" in rows.headers.get("Vary", "")
    assert b"<html" not in rows.content
    restore = client.get("/cuenta/personas/?q=Mamani", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert b"<html" in restore.content
    assert "HX-Request" in restore.headers.get("Vary", "")
