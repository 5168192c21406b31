"""Passwords: a person changes their own; a new or forgetful person sets one through a
single-use link e-mailed by their administrator or asked for on the login page. Nobody else ever
types or sees it; each change is in the audit trail; keys derived from it follow it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import User
from audit.models import AuditEvent

CHANGE = "/cuenta/contrasena/"
FORGOTTEN = "/cuenta/contrasena/olvidada/"
LOGIN = "/cuenta/ingresar/"
NEW = "Quipu-Andino-2026"
LINK = re.compile(r"https?://[^\s]+/cuenta/contrasena/nueva/[^\s]+/")

pytestmark = pytest.mark.django_db


def _logs_in(username: str, password: str) -> bool:
    return Client().post(LOGIN, {"username": username, "password": password}).status_code == 302


def _change(client: Client, old: str, new: str, again: str | None = None) -> Any:
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new})


def _password_events(user: User) -> list[Any]:
    return [
        e.changes
        for e in AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).order_by("id")
        if "password" in (e.changes or {})
    ]


def test_a_person_changes_their_password_knowing_the_current_one(
    lector: User, django_capture_on_commit_callbacks: Any
) -> None:
    lector.email = "lector@example.org"
    lector.save()
    client = Client()
    client.force_login(lector)
    assert client.get(CHANGE).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client, settings.SIG_DEMO_PASSWORD, NEW)
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert _logs_in("lector", NEW) and not _logs_in("lector", settings.SIG_DEMO_PASSWORD)
    assert _password_events(lector) == [{"password": "changed"}]  # never the hash
    assert [m.to for m in mail.outbox] == [["lector@example.org"]]
    assert "contraseña" in mail.outbox[0].subject.lower()


def test_the_persons_other_sessions_end_when_the_password_changes(lector: User) -> None:
    elsewhere = Client()
    assert elsewhere.post(LOGIN, {"username": "lector", "password": settings.SIG_DEMO_PASSWORD}).status_code == 302
    here = Client()
    here.force_login(lector)
    assert _change(here, settings.SIG_DEMO_PASSWORD, NEW).status_code == 302
    assert elsewhere.get("/").status_code == 302  # back to the login page


@pytest.mark.parametrize(
    ("old", "new", "again", "field"),
    [
        ("not-my-password", NEW, None, "old_password"),
        (None, "corta", None, "new_password2"),
        (None, "12345678901234", None, "new_password2"),
        (None, "password123", None, "new_password2"),
        (None, NEW, NEW + "x", "new_password2"),
        (None, "x" * 10_000, None, "new_password1"),
    ],
)
def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(
    lector: User, old: str | None, new: str, again: str | None, field: str
) -> None:
    client = Client()
    client.force_login(lector)
    response = _change(client, old or settings.SIG_DEMO_PASSWORD, new, again)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _logs_in("lector", settings.SIG_DEMO_PASSWORD)
    assert _password_events(lector) == []


def test_an_administrator_emails_a_single_use_link_to_a_new_person(
    platform_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    person = User.objects.create(username="nueva.persona", first_name="Nueva", email="nueva@example.org")
    person.set_unusable_password()
    person.save()
    admin = Client()
    admin.force_login(platform_admin)
    assert "enlace-contrasena" in admin.get(f"/cuenta/personas/{person.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"/cuenta/personas/{person.pk}/enlace-contrasena/").status_code == 302
    assert [m.to for m in mail.outbox] == [["nueva@example.org"]]
    link = LINK.search(mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = "/" + link.group(0).split("/", 3)[3]
    visitor = Client()
    assert visitor.get(path).status_code == 200
    assert visitor.post(path, {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    assert _logs_in("nueva.persona", NEW)
    # used once: the same link no longer works
    again = visitor.get(path)
    assert again.status_code == 400 and "no es válido" in again.content.decode()
    assert _password_events(person) == [{"password": "link sent"}, {"password": "set by link"}]


def test_the_link_needs_an_address_and_an_administrator_who_manages_the_person(
    platform_admin: User, lector: User, ut_cusco: User
) -> None:
    lector.email = ""
    lector.save()
    admin = Client()
    admin.force_login(platform_admin)
    page = admin.post(f"/cuenta/personas/{lector.pk}/enlace-contrasena/", follow=True)
    assert "no tiene correo electrónico" in page.content.decode()
    assert _password_events(lector) == []
    other = Client()
    other.force_login(ut_cusco)
    assert other.post(f"/cuenta/personas/{lector.pk}/enlace-contrasena/").status_code in (403, 404)
    assert _password_events(lector) == []


def test_a_forgotten_password_link_answers_alike_for_known_and_unknown_accounts(
    lector: User, django_capture_on_commit_callbacks: Any
) -> None:
    lector.email = "lector@example.org"
    lector.save()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(FORGOTTEN, {"identifier": "LECTOR@example.org"})
        unknown = client.post(FORGOTTEN, {"identifier": "nadie@example.org"})
        repeated = client.post(FORGOTTEN, {"identifier": "lector"})
    assert known.status_code == unknown.status_code == repeated.status_code == 200

    def text(r: Any) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())

    assert text(known) == text(unknown) == text(repeated)
    # one link only: a second request within minutes sends nothing more
    assert [m.to for m in mail.outbox] == [["lector@example.org"]]
    assert "contrasena/nueva/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "path",
    [
        "/cuenta/contrasena/nueva/Mg/not-a-token/",
        "/cuenta/contrasena/nueva/%21%21%21/x/",
        "/cuenta/contrasena/nueva/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ/x-y/",
    ],
)
def test_a_broken_or_forged_link_says_so_and_changes_nothing(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 400
    assert "no es válido" in response.content.decode()
    assert Client().post(path, {"new_password1": NEW, "new_password2": NEW}).status_code == 400


def test_an_integrity_officers_case_key_follows_the_new_password(integridad: User, settings: Any) -> None:
    from whistleblowing import services
    from whistleblowing.tests.helpers import unlock

    settings.SIG_WB_KDF_OPS, settings.SIG_WB_KDF_MEM_KB = 1, 8192
    key = services.member_key_for(integridad)
    assert key is not None and services.unlock_member_key(key, settings.SIG_DEMO_PASSWORD) is not None
    client = Client()
    client.force_login(integridad)
    assert _change(client, settings.SIG_DEMO_PASSWORD, NEW).status_code == 302
    key.refresh_from_db()
    assert services.unlock_member_key(key, NEW) is not None
    assert services.unlock_member_key(key, settings.SIG_DEMO_PASSWORD) is None
    fresh = Client()
    fresh.force_login(integridad)
    unlock(fresh, NEW)  # the unlock page opens it with the new password
    assert AuditEvent.objects.filter(
        object_type="whistleblowing.memberkey", object_id=str(key.pk), changes={"private_key": "re-protected"}
    ).exists()
