"""/verifica/: anyone, without logging in, checks a controlled copy by its code (typed, or from
the QR code's ?codigo=) and may upload the copy to learn whether it is byte-identical to the
authentic controlled PDF. Codes are not enumerable: right, wrong and malformed codes get the
same status, template and minimum answer time; lookups are limited per address."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.testing import api_post
from documents.models import DocumentVersion
from documents.tests.api_support import controlled_bytes, draft, fast_controlled_pdf, latest, load_types, vigente
from organization.tests.helpers import find, find_all, text_of
from reports.models import VerificationAttempt

pytestmark = pytest.mark.django_db

URL = "/verifica/"
RESULT = "reports/public/verify_result.html"


@pytest.fixture(autouse=True)
def _setup(request, settings, monkeypatch):
    fast_controlled_pdf(request, monkeypatch)
    settings.SIG_VERIFY_MIN_MS = 0
    settings.SIG_VERIFY_MAX_PER_HOUR = 30
    load_types()


@pytest.fixture
def real_controlled_pdf():
    """This test publishes with the real controlled-PDF rendering (see fast_controlled_pdf)."""


@pytest.fixture
def version(cmg, uppm, direccion) -> DocumentVersion:
    return vigente("Procedimiento de control de documentos", cmg=cmg, uppm=uppm, direccion=direccion)


def lookup(code: str, client: Client | None = None):
    return (client or Client()).get(URL, {"codigo": code})


def compare(code: str, data: bytes | None, client: Client | None = None, name: str = "copia.pdf"):
    body: dict = {"codigo": code}
    if data is not None:
        body["file"] = SimpleUploadedFile(name, data, content_type="application/pdf")
    return (client or Client()).post(URL, body)


def shown(response, name: str) -> str:
    return text_of(find(response.content, data_testid=name))


def stored_files(path: str = "") -> set[str]:
    dirs, files = default_storage.listdir(path)
    out = {f"{path}/{f}" if path else f for f in files}
    for d in dirs:
        out |= stored_files(f"{path}/{d}" if path else d)
    return out


# --- the page ----------------------------------------------------------------------------------


def test_the_page_works_logged_out_with_a_labelled_code_field():
    response = Client().get(URL)
    assert response.status_code == 200
    form = find(response.content, "form", data_testid="verify-form")
    assert dict(form.attributes)["method"] == "get"
    assert find_all(form, "label", **{"for": "id_codigo"})
    assert find_all(form, "input", name="codigo")


def test_the_login_page_links_to_the_verification():
    response = Client().get(reverse("accounts:login"))
    assert dict(find(response.content, "a", data_testid="verify-link").attributes)["href"] == URL


def test_a_right_code_shows_what_the_copy_prints(version):
    response = lookup(version.verification_code)
    assert response.status_code == 200
    assert RESULT in [t.name for t in response.templates]
    assert dict(find(response.content, data_testid="verify-result").attributes)["data-found"] == "yes"
    assert shown(response, "verify-title") == "Procedimiento de control de documentos"
    assert shown(response, "verify-document-code") == version.document.code
    assert shown(response, "verify-version") == "01"
    assert dict(find(response.content, data_testid="verify-status").attributes)["data-status"] == "current"
    assert shown(response, "verify-approved-on") == "01/03/2024"
    assert shown(response, "verify-effective-on") == "01/03/2024"
    assert shown(response, "verify-instrument") == "RDE N.° 001-2024"
    assert shown(response, "verify-sha256") == version.controlled_sha256


def test_the_qr_link_and_a_typed_code_in_lower_case_both_resolve(version):
    assert (
        dict(find(lookup(f"  {version.verification_code.lower()} ").content, data_testid="verify-result").attributes)[
            "data-found"
        ]
        == "yes"
    )


@pytest.mark.parametrize("code", ["ZZZZZZZ", "abc", "1234567", "<script>", "ÑANDÚES", ""])
def test_a_wrong_or_malformed_code_gets_the_same_status_and_template(version, code):
    right = lookup(version.verification_code)
    response = lookup(code)
    assert response.status_code == right.status_code == 200
    assert [t.name for t in response.templates] == [t.name for t in right.templates]
    assert dict(find(response.content, data_testid="verify-result").attributes)["data-found"] == "no"
    assert find_all(response.content, data_testid="verify-not-found")
    assert version.document.code not in response.content.decode()


def test_a_draft_version_never_resolves_even_with_a_code(cmg):
    version = latest(draft(cmg, "Procedimiento en borrador"))
    DocumentVersion.objects.filter(pk=version.pk).update(verification_code="BORRADR")
    response = lookup("BORRADR")
    assert response.status_code == 200
    assert dict(find(response.content, data_testid="verify-result").attributes)["data-found"] == "no"


def test_an_obsolete_version_says_since_when_and_why(client_as, direccion, version):
    api_post(client_as(direccion), f"/api/v1/documents/{version.document_id}/withdraw", {"reason": "Proceso suprimido"})
    response = lookup(version.verification_code)
    status = find(response.content, data_testid="verify-status")
    assert dict(status.attributes)["data-status"] == "obsolete"
    obsolete_on = DocumentVersion.objects.get(pk=version.pk).obsolete_on
    assert obsolete_on.strftime("%d/%m/%Y") in text_of(status)
    assert "Proceso suprimido" in text_of(status)


def test_the_answer_takes_at_least_the_minimum_time_found_or_not(settings, version):
    settings.SIG_VERIFY_MIN_MS = 60
    for code in (version.verification_code, "ZZZZZZZ", "mal"):
        started = time.monotonic()
        assert lookup(code).status_code == 200
        assert time.monotonic() - started >= 0.06


# --- rate limit ----------------------------------------------------------------------------------


def test_lookups_are_recorded_and_limited_per_address(settings, version):
    settings.SIG_VERIFY_MAX_PER_HOUR = 3
    client = Client(REMOTE_ADDR="198.51.100.9")
    for code in ("ZZZZZZZ", "YYYYYYY", version.verification_code):
        assert lookup(code, client).status_code == 200
    assert VerificationAttempt.objects.filter(ip_address="198.51.100.9").count() == 3

    blocked = lookup(version.verification_code, client)
    assert blocked.status_code == 429
    assert find_all(blocked.content, data_testid="verify-blocked")
    assert version.document.code not in blocked.content.decode()
    assert compare(version.verification_code, controlled_bytes(version), client).status_code == 429

    elsewhere = lookup(version.verification_code, Client(REMOTE_ADDR="198.51.100.10"))
    assert elsewhere.status_code == 200


def test_opening_the_empty_form_is_not_a_lookup():
    Client(REMOTE_ADDR="198.51.100.11").get(URL)
    assert not VerificationAttempt.objects.filter(ip_address="198.51.100.11").exists()


# --- comparing an uploaded copy ------------------------------------------------------------------


def test_the_exact_controlled_pdf_is_authentic(real_controlled_pdf, version):
    data = controlled_bytes(version)
    files_before = stored_files()
    response = compare(version.verification_code, data)
    assert response.status_code == 200
    comparison = find(response.content, data_testid="verify-comparison")
    assert dict(comparison.attributes)["data-identical"] == "yes"
    assert shown(response, "verify-copy-sha256") == hashlib.sha256(data).hexdigest() == version.controlled_sha256
    assert stored_files() == files_before  # the uploaded copy is not kept


def test_a_copy_with_one_byte_changed_is_not_identical(version):
    data = bytearray(controlled_bytes(version))
    data[len(data) // 2] ^= 0x01
    response = compare(version.verification_code, bytes(data))
    assert response.status_code == 200
    assert dict(find(response.content, data_testid="verify-comparison").attributes)["data-identical"] == "no"


def test_the_copy_of_another_version_is_not_identical(cmg, uppm, direccion, version):
    other = vigente("Otro procedimiento", cmg=cmg, uppm=uppm, direccion=direccion)
    response = compare(version.verification_code, controlled_bytes(other))
    assert dict(find(response.content, data_testid="verify-comparison").attributes)["data-identical"] == "no"


@pytest.mark.parametrize("data", [b"", None])
def test_an_empty_or_missing_upload_is_a_400_with_a_message(version, data):
    response = compare(version.verification_code, data)
    assert response.status_code == 400
    assert shown(response, "verify-upload-error")
    assert not find_all(response.content, data_testid="verify-comparison")


def test_an_oversize_upload_is_a_400_with_a_message(settings, version):
    settings.SIG_MAX_UPLOAD_MB = 1
    response = compare(version.verification_code, b"%PDF-" + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert shown(response, "verify-upload-error")


def test_an_invalid_upload_gets_the_same_status_for_right_and_wrong_codes(version):
    assert compare(version.verification_code, b"").status_code == compare("ZZZZZZZ", b"").status_code == 400
    assert compare("ZZZZZZZ", b"%PDF-1.4").status_code == 200


def test_the_upload_form_needs_the_csrf_token_and_works_for_anonymous_users(real_controlled_pdf, version):
    client = Client(enforce_csrf_checks=True)
    page = lookup(version.verification_code, client)
    form = find(page.content, "form", data_testid="verify-upload-form")
    assert dict(form.attributes)["enctype"] == "multipart/form-data"
    assert find_all(form, "label", **{"for": "id_file"})
    assert compare(version.verification_code, controlled_bytes(version), client).status_code == 403

    token = dict(find(form, "input", name="csrfmiddlewaretoken").attributes)["value"]
    response = client.post(
        URL,
        {
            "codigo": version.verification_code,
            "csrfmiddlewaretoken": token,
            "file": SimpleUploadedFile("copia.pdf", controlled_bytes(version)),
        },
    )
    assert response.status_code == 200
    assert dict(find(response.content, data_testid="verify-comparison").attributes)["data-identical"] == "yes"


# --- one table of issued documents; publicity; the verdict first -------------------------------


def test_publishing_registers_the_copy_in_the_table_of_issued_documents(version):
    from reports.models import IssuedDocument

    issued = IssuedDocument.objects.get(verification_code=version.verification_code)
    assert (issued.kind, issued.object_id, issued.code) == ("documents.version", version.pk, version.document.code)
    assert issued.sha256 == version.controlled_sha256


def test_a_confidential_documents_code_confirms_authenticity_and_status_but_not_its_title(cmg, uppm, direccion):
    secret = vigente(
        "Plan de continuidad reservado", cmg=cmg, uppm=uppm, direccion=direccion, classification="confidential"
    )
    response = lookup(secret.verification_code)
    page = response.content.decode()
    assert "Plan de continuidad reservado" not in page
    assert find(response.content, data_testid="verify-title").attributes  # the row says it is withheld
    assert "data-restricted" in page
    assert shown(response, "verify-document-code") == secret.document.code
    assert find(response.content, data_testid="verify-status").attributes
    body = Client().get(f"/api/v1/public/verify/{secret.verification_code}").json()
    assert body["found"] is True and body["title"] is None and body["restricted"] is True
    assert body["document_code"] == secret.document.code and body["status"] == "current"


def test_when_the_uploaded_copy_differs_the_verdict_comes_before_everything_else(version):
    response = compare(version.verification_code, b"%PDF-1.4 a forged copy")
    page = response.content.decode()
    verdict = page.index('data-testid="verify-comparison"')
    assert verdict < page.index('data-testid="verify-title"')
    assert verdict < page.index('data-testid="verify-status"')
    assert 'data-identical="no"' in page


def test_the_page_says_whose_documents_it_verifies(version):
    """A citizen holding a printed copy sees the entity's name before typing the code, and
    again on the answer."""
    from organization.models import Entity

    entity = Entity.objects.get()
    for response in (Client().get("/verifica/"), lookup(version.verification_code)):
        banner = find(response.content, data_testid="verify-entity")
        assert entity.name in text_of(banner) and entity.acronym in text_of(banner)


def test_the_printed_address_is_the_one_sig_run_serves():
    """Without SIG_SITE_URL, codes and links print http://127.0.0.1:SIG_PORT (./sig run's address)."""
    import os
    import subprocess
    import sys

    script = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); from django.conf import settings; print(settings.SITE_URL)"  # noqa: E501
    env = {k: v for k, v in os.environ.items() if k != "SIG_SITE_URL"}
    out = subprocess.run(
        [sys.executable, "-c", script], env={**env, "SIG_PORT": "8123"}, capture_output=True, text=True
    )
    assert out.stdout.strip() == "http://127.0.0.1:8123", out.stderr[-500:]
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "SIG_PORT": "8123", "SIG_SITE_URL": "https://sig.example.gob.pe/"},
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "https://sig.example.gob.pe"
