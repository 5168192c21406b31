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


def _fail(client, username, ip="10.0.0.1", password="nope"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _age_failures(seconds):
    """Move every recorded failure `seconds` into the past (time passes)."""
    from datetime import timedelta

    from accounts.models import LoginFailure

    for failure in LoginFailure.objects.all():
        LoginFailure.objects.filter(pk=failure.pk).update(at=failure.at - timedelta(seconds=seconds))


@pytest.mark.django_db
def test_it_throttles_after_repeated_failures_even_with_the_right_password(settings):
    settings.SIG_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        _fail(client, "lector")
    response = _fail(client, "lector", password=settings.SIG_DEMO_PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.SIG_LOGIN_BACKOFF_SECONDS
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_wait_doubles_with_each_further_failure_and_then_passes(settings):
    settings.SIG_LOGIN_MAX_FAILURES = 3
    settings.SIG_LOGIN_BACKOFF_SECONDS = 60
    client = Client()
    for _ in range(3):
        _fail(client, "lector")
    assert _fail(client, "lector").status_code == 429
    _age_failures(61)
    assert _fail(client, "lector").status_code == 400  # allowed again, and a fourth failure
    blocked = _fail(client, "lector", password=settings.SIG_DEMO_PASSWORD)
    assert blocked.status_code == 429 and 60 < int(blocked["Retry-After"]) <= 120
    _age_failures(121)
    assert _fail(client, "lector", password=settings.SIG_DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_nobody_can_lock_out_a_user_from_another_address(settings):
    settings.SIG_LOGIN_MAX_FAILURES = 3
    attacker = Client()
    for _ in range(10):
        _fail(attacker, "direccion", ip="203.0.113.9")
    assert _fail(attacker, "direccion", ip="203.0.113.9", password=settings.SIG_DEMO_PASSWORD).status_code == 429
    director = Client()
    assert _fail(director, "direccion", ip="10.1.1.1", password=settings.SIG_DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("variant", ["lector ", " lector", "LECTOR", "lec tor", "lector\t", "ｌｅｃｔｏｒ"])
def test_spacing_and_case_variants_share_the_throttle(settings, variant):
    settings.SIG_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        _fail(client, variant)
    assert _fail(client, "lector", password=settings.SIG_DEMO_PASSWORD).status_code == 429


@pytest.mark.django_db
def test_spacing_variants_of_the_username_log_in_as_the_same_user(settings):
    response = Client().post(LOGIN, {"username": " cm g ", "password": settings.SIG_DEMO_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_throttling_one_name_does_not_lock_out_another(settings):
    settings.SIG_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        _fail(client, "lector")
    assert _fail(client, "cmg", password=settings.SIG_DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_address_that_sprays_names_cannot_lock_out_its_office(settings):
    """Twenty failures from the office's proxy address refuse new names from it, not the people
    who have logged in from it before."""
    settings.SIG_LOGIN_MAX_FAILURES = 2  # the address limit is four times that: 8
    office = "192.0.2.10"
    assert _fail(Client(), "cmg", ip=office, password=settings.SIG_DEMO_PASSWORD).status_code == 302
    sprayer = Client()
    for i in range(8):
        _fail(sprayer, f"nombre{i}", ip=office)
    assert _fail(sprayer, "lector", ip=office, password=settings.SIG_DEMO_PASSWORD).status_code == 429
    assert _fail(Client(), "cmg", ip=office, password=settings.SIG_DEMO_PASSWORD).status_code == 302
    assert _fail(Client(), "lector", ip="192.0.2.11", password=settings.SIG_DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_each_lock_is_written_to_the_audit_trail(settings):
    settings.SIG_LOGIN_MAX_FAILURES = 2
    client = Client()
    for _ in range(2):
        _fail(client, "Lector")
    lock = AuditEvent.objects.filter(action="login_locked").latest("id")
    assert lock.object_repr == "lector" and lock.changes["scope"] == "username+address"
    assert lock.ip_address == "10.0.0.1"


@pytest.mark.django_db
def test_a_control_character_in_the_username_is_refused_and_recorded_without_it():
    response = Client().post(LOGIN, {"username": "cmg\x00", "password": "wrong"})
    assert response.status_code == 400
    failure = AuditEvent.objects.filter(action="login_failed").latest("id")
    assert failure.object_repr == "cmg" and failure.actor_label == "cmg"


@pytest.mark.django_db
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(settings):
    settings.SIG_LOGIN_MAX_FAILURES = 2
    settings.SIG_TRUSTED_PROXIES = ["10.9.0.0/24"]
    forged = Client()
    for i in range(3):  # an untrusted client cannot pose as many addresses
        forged.post(
            LOGIN,
            {"username": "lector", "password": "x"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"1.1.1.{i}",
        )
    assert AuditEvent.objects.filter(action="login_failed").latest("id").ip_address == "198.51.100.7"
    proxied = Client()
    proxied.post(
        LOGIN,
        {"username": "lector", "password": "x"},
        REMOTE_ADDR="10.9.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.50, 10.9.0.3",
    )
    assert AuditEvent.objects.filter(action="login_failed").latest("id").ip_address == "203.0.113.50"


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
