"""Passwords in a real browser: the administrator e-mails a new person a single-use link, the
person sets a password with it and logs in, later changes it from the user menu; the used link
and the old password no longer work. Assertions rely on URLs, names and statuses, not wording."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST, SECOND = "Quipu-Andino-2026", "Chakana-Inti-2027"


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/cuenta/ingresar/")
    page.locator("main input[name='username']").fill(username)
    page.locator("main input[name='password']").fill(password)
    page.locator("main form button[type='submit']").click()


def test_a_new_person_sets_and_then_changes_their_password(page: Page, live_server: Any) -> None:
    from accounts.models import User

    person = User.objects.create(
        username="nueva.persona", first_name="Nueva", last_name="Persona", email="n@example.org"
    )
    person.set_unusable_password()
    person.save()
    mail.outbox.clear()

    log_in(page, "admin", settings.SIG_DEMO_PASSWORD)
    page.goto(f"/cuenta/personas/{person.pk}/")
    page.locator("form[action$='/enlace-contrasena/'] button[type='submit']").click()
    expect(page).to_have_url(re.compile(rf"/cuenta/personas/{person.pk}/$"))
    assert [m.to for m in mail.outbox] == [["n@example.org"]]
    link = re.search(r"/cuenta/contrasena/nueva/\S+/", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    page.locator("header form[action='/cuenta/salir/'] button[type='submit']").click()

    page.goto(link.group(0))
    page.locator("main input[name='new_password1']").fill(FIRST)
    page.locator("main input[name='new_password2']").fill(FIRST)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/cuenta/ingresar/$"))
    log_in(page, "nueva.persona", FIRST)
    expect(page).to_have_url(re.compile(r"/$"))

    # the user menu leads to the change page; a wrong current password changes nothing
    page.locator("header details.usermenu summary").click()
    page.locator("header a[href='/cuenta/contrasena/']").click()
    page.locator("main input[name='old_password']").fill("not-it")
    page.locator("main input[name='new_password1']").fill(SECOND)
    page.locator("main input[name='new_password2']").fill(SECOND)
    page.locator("main form button[type='submit']").click()
    expect(page.locator("main input[name='old_password'][aria-invalid='true'], main .errorlist").first).to_be_visible()
    page.locator("main input[name='old_password']").fill(FIRST)
    page.locator("main input[name='new_password1']").fill(SECOND)
    page.locator("main input[name='new_password2']").fill(SECOND)
    page.locator("main form button[type='submit']").click()
    expect(page).to_have_url(re.compile(rf"/cuenta/personas/{person.pk}/$"))

    person.refresh_from_db()
    assert person.check_password(SECOND) and not person.check_password(FIRST)
    response = page.request.get(link.group(0))
    assert response.status == 400  # the link worked once
