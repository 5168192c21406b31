"""/api/v1/public/verify/{code}: anyone checks a controlled copy's code without credentials.
Right, wrong and malformed codes answer alike (status, keys, minimum time); lookups are
limited per address."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from django.test import Client

from core.testing import assert_matches_openapi
from documents.models import DocumentVersion
from documents.tests.api_support import draft, fast_controlled_pdf, latest, load_types, vigente
from reports.models import VerificationAttempt

pytestmark = pytest.mark.django_db


def url(code: str) -> str:
    return "/api/v1/public/verify/" + quote(code, safe="")


TEMPLATE = "/api/v1/public/verify/{code}"


@pytest.fixture(autouse=True)
def _setup(request, monkeypatch, settings):
    fast_controlled_pdf(request, monkeypatch)
    settings.SIG_VERIFY_MIN_MS = 0
    settings.SIG_VERIFY_MAX_PER_HOUR = 30
    load_types()


@pytest.fixture
def version(cmg, uppm, direccion) -> DocumentVersion:
    return vigente("Procedimiento de control de documentos", cmg=cmg, uppm=uppm, direccion=direccion)


def test_it_answers_a_right_code_without_credentials(version):
    response = Client().get(url(version.verification_code))
    assert response.status_code == 200
    assert_matches_openapi(response, "get", TEMPLATE)
    body = response.json()
    assert body["found"] is True
    assert (body["document_code"], body["title"], body["version"]) == (
        version.document.code,
        "Procedimiento de control de documentos",
        "01",
    )
    assert (body["status"], body["effective_on"], body["approved_on"]) == ("current", "2024-03-01", "2024-03-01")
    assert body["approval_instrument"] == "RDE N.° 001-2024"
    assert body["controlled_sha256"] == version.controlled_sha256
    assert body["obsolete_on"] is None


def test_a_code_is_found_whatever_its_case_and_spaces(version):
    response = Client().get(url(f" {version.verification_code.lower()} "))
    assert response.json()["found"] is True


@pytest.mark.parametrize("code", ["ZZZZZZZ", "abc", "1234567", "ÑANDÚES", "A?B C", "A" * 49])
def test_a_wrong_or_malformed_code_gets_the_same_status_and_keys(version, code):
    found = Client().get(url(version.verification_code))
    response = Client().get(url(code))
    assert response.status_code == found.status_code == 200
    assert_matches_openapi(response, "get", TEMPLATE)
    assert set(response.json()) == set(found.json())
    assert response.json()["found"] is False
    assert all(value is None for key, value in response.json().items() if key != "found")


def test_a_draft_never_resolves_even_with_a_code(cmg):
    version = latest(draft(cmg, "Procedimiento en borrador"))
    DocumentVersion.objects.filter(pk=version.pk).update(verification_code="BORRADR")
    assert Client().get(url("BORRADR")).json()["found"] is False


def test_an_obsolete_version_reports_since_when_and_why(client_as, cmg, uppm, direccion, version):
    from core.testing import api_post

    api_post(client_as(direccion), f"/api/v1/documents/{version.document_id}/withdraw", {"reason": "Proceso suprimido"})
    body = Client().get(url(version.verification_code)).json()
    assert (body["found"], body["status"], body["obsolete_reason"]) == (True, "obsolete", "Proceso suprimido")
    assert body["obsolete_on"] is not None


def test_every_lookup_is_recorded_with_the_address(version):
    before = VerificationAttempt.objects.filter(ip_address="203.0.113.7").count()
    Client(REMOTE_ADDR="203.0.113.7").get(url("ZZZZZZZ"))
    Client(REMOTE_ADDR="203.0.113.7").get(url(version.verification_code))
    assert VerificationAttempt.objects.filter(ip_address="203.0.113.7").count() == before + 2


def test_lookups_are_limited_per_address(settings, version):
    settings.SIG_VERIFY_MAX_PER_HOUR = 3
    client = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(3):
        assert client.get(url("ZZZZZZZ")).status_code == 200
    blocked = client.get(url(version.verification_code))
    assert blocked.status_code == 429
    assert_matches_openapi(blocked, "get", TEMPLATE)
    assert set(blocked.json()) == {"detail"}
    assert version.document.code not in blocked.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.2").get(url(version.verification_code))
    assert other.status_code == 200 and other.json()["found"] is True


def test_the_answer_takes_at_least_the_minimum_time_found_or_not(settings, version):
    settings.SIG_VERIFY_MIN_MS = 60
    for code in (version.verification_code, "ZZZZZZZ", "A-1?"):
        started = time.monotonic()
        assert Client().get(url(code)).status_code == 200
        assert time.monotonic() - started >= 0.06
