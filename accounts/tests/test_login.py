import pytest
from django.conf import settings
from django.test import Client

from audit.models import AuditEvent

LOGIN = "/cuenta/ingresar/"


@pytest.mark.django_db
def test_it_logs_in_with_the_demo_password_and_lands_on_the_dashboard():
    client = Client()
    response = client.post(LOGIN, {"username": "cmg", "password": settings.SIG_DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor__username="cmg").exists()


@pytest.mark.django_db
def test_it_rejects_a_wrong_password_with_the_form_and_logs_the_failure():
    client = Client()
    response = client.post(LOGIN, {"username": "cmg", "password": "wrong"})
    assert response.status_code == 400
    assert b'name="username"' in response.content
    assert AuditEvent.objects.filter(action="login_failed", object_repr="cmg").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_throttles_after_repeated_failures_even_with_the_right_password(settings):
    settings.SIG_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        client.post(LOGIN, {"username": "lector", "password": "nope"})
    response = client.post(LOGIN, {"username": "lector", "password": settings.SIG_DEMO_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_throttling_one_name_does_not_lock_out_another(settings):
    settings.SIG_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        client.post(LOGIN, {"username": "lector", "password": "nope"})
    response = client.post(LOGIN, {"username": "cmg", "password": settings.SIG_DEMO_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_it_refuses_a_deactivated_account(cmg, platform_admin):
    from accounts.services import deactivate_user

    deactivate_user(cmg, by=platform_admin)
    response = Client().post(LOGIN, {"username": "cmg", "password": settings.SIG_DEMO_PASSWORD})
    assert response.status_code == 400


@pytest.mark.django_db
def test_it_ignores_an_offsite_next_url():
    client = Client()
    response = client.post(
        LOGIN, {"username": "cmg", "password": settings.SIG_DEMO_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_logout_requires_post_and_ends_the_session(client_as, cmg):
    client = client_as(cmg)
    assert client.get("/cuenta/salir/").status_code == 405
    response = client.post("/cuenta/salir/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to login
    assert AuditEvent.objects.filter(action="logout", actor=cmg).exists()


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_real_settings():
    from config import settings as real

    assert real.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
