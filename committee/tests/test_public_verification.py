"""A closed acta's verification code is checked at /verifica/ like a controlled copy: anyone,
without logging in, learns the acta's title, date and the SHA-256 of its PDF, and may compare
the file they hold. Open sessions are never findable; the rate limit applies alike."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from committee import services
from committee.tests.helpers import attend, make_session
from organization.tests.helpers import find, text_of

pytestmark = pytest.mark.django_db

URL = "/verifica/"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.SIG_VERIFY_MIN_MS = 0
    settings.SIG_VERIFY_MAX_PER_HOUR = 30


@pytest.fixture
def closed(cmg, direccion, uppm):
    session = make_session(cmg, "T08-2020", "05/03/2020")
    attend(session, cmg, direccion, uppm)
    return services.close_acta(session, by=cmg)


def shown(response, name: str) -> str:
    return text_of(find(response.content, data_testid=name))


def test_the_acta_code_is_found_with_its_title_date_and_hash(closed):
    response = Client().get(URL, {"codigo": closed.acta_verification_code.lower()})
    assert response.status_code == 200
    assert dict(find(response.content, data_testid="verify-result").attributes)["data-found"] == "yes"
    assert shown(response, "verify-title") == "Acta de sesión T08-2020"
    assert shown(response, "verify-document-code") == "CSIG-T08-2020"
    assert shown(response, "verify-approved-on") == "05/03/2020"
    assert shown(response, "verify-sha256") == closed.acta_sha256


def test_the_acta_pdf_compares_as_identical_and_a_changed_one_does_not(closed):
    with closed.acta_pdf.open("rb") as handle:
        data = handle.read()
    same = Client().post(URL, {"codigo": closed.acta_verification_code, "file": SimpleUploadedFile("a.pdf", data)})
    assert dict(find(same.content, data_testid="verify-comparison").attributes)["data-identical"] == "yes"
    other = Client().post(
        URL, {"codigo": closed.acta_verification_code, "file": SimpleUploadedFile("a.pdf", data + b"x")}
    )
    assert dict(find(other.content, data_testid="verify-comparison").attributes)["data-identical"] == "no"


def test_the_public_api_answers_the_acta_too(closed):
    body = Client().get(f"/api/v1/public/verify/{closed.acta_verification_code}").json()
    assert body["found"] is True and body["title"] == "Acta de sesión T08-2020"
    assert body["approved_on"] == "2020-03-05" and body["controlled_sha256"] == closed.acta_sha256


def test_a_session_that_is_not_closed_is_never_found(cmg):
    from committee.models import Session

    session = make_session(cmg, "T09-2020")
    Session.objects.filter(pk=session.pk).update(acta_verification_code="QWERTYU")  # as if a code leaked early
    response = Client().get(URL, {"codigo": "QWERTYU"})
    assert dict(find(response.content, data_testid="verify-result").attributes)["data-found"] == "no"


def test_acta_lookups_count_against_the_same_rate_limit(closed, settings):
    settings.SIG_VERIFY_MAX_PER_HOUR = 2
    client = Client()
    assert client.get(URL, {"codigo": closed.acta_verification_code}).status_code == 200
    assert client.get(URL, {"codigo": "ZZZZZZZ"}).status_code == 200
    assert client.get(URL, {"codigo": closed.acta_verification_code}).status_code == 429
