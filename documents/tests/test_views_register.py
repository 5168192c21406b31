"""Registering documents (internal and external) through the form: codes, uploads checked by
content, and bad input refused with nothing stored."""

from __future__ import annotations

import hashlib

import pytest
from django.test import override_settings

from audit.models import AuditEvent
from documents.models import ChangeEntry, Document, DocumentVersion, VersionStatus, WorkflowStep
from documents.tests.page_support import (
    CREATE,
    CREATE_EXTERNAL,
    doc_type,
    docx_bytes,
    events,
    latest,
    load_types,
    pdf_bytes,
    register_data,
    unit,
    upload,
)
from organization.models import ManagementSystem, Process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def owner_unit_choices(response) -> set[str]:
    return {u.code for u in response.context["form"].fields["owner_unit"].queryset}


def test_the_form_offers_every_unit_to_a_central_drafter_and_only_their_ut_to_a_ut_head(client_as, cmg, ut_cusco):
    central = owner_unit_choices(client_as(cmg).get(CREATE))
    assert {"UPPM-CMG", "UAJ", "UT-CUS", "UT-PUN"} <= central
    assert owner_unit_choices(client_as(ut_cusco).get(CREATE)) == {"UT-CUS"}


def test_the_form_offers_the_requirements_of_the_organisations_systems_only(client_as, cmg):
    reqs = client_as(cmg).get(CREATE).context["form"].fields["requirements"].queryset
    editions = set(reqs.values_list("edition__label", flat=True))
    assert editions == set(ManagementSystem.objects.values_list("edition__label", flat=True))
    assert not reqs.filter(kind__in=["domain", "objective"]).exists()


def test_registering_creates_the_document_with_its_code_draft_version_and_change_row(client_as, cmg):
    client = client_as(cmg)
    before = events()
    sgc = ManagementSystem.objects.get(code="SGC")
    requirement = (
        client.get(CREATE)
        .context["form"]
        .fields["requirements"]
        .queryset.get(edition__label="ISO 9001:2015", number="7.5")
    )
    response = client.post(
        CREATE,
        register_data(
            process=Process.objects.get(code="E02").pk,
            systems=[sgc.pk],
            requirements=[requirement.pk],
            distribution_units=[unit("UOP").pk],
            review_period_months="12",
            supporting_reference="Informe 001-2024",
        ),
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Procedimiento de control de registros")
    assert document.code.startswith("PNADP-UPPM-CMG-P-")
    assert document.review_period_months == 12 and document.classification == "internal"
    assert list(document.systems.all()) == [sgc] and list(document.requirements.all()) == [requirement]
    assert list(document.distribution_units.values_list("code", flat=True)) == ["UOP"]
    version = latest(document)
    assert version.number == 1 and version.status == VersionStatus.DRAFT
    assert version.content.startswith("## 1. Objetivo")
    row = ChangeEntry.objects.get(version=version)
    assert (row.justification, row.supporting_reference) == ("Elaboración inicial", "Informe 001-2024")
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).order_by("-id")[:2]
    assert {e.object_type for e in created} == {"documents.document", "documents.documentversion"}
    assert events() == before + 2


def test_an_uploaded_pdf_is_stored_with_its_sha256_and_text(client_as, cmg):
    data = pdf_bytes("Texto dentro del archivo")
    response = client_as(cmg).post(CREATE, register_data(content="", file=upload("procedimiento.pdf", data)))
    assert response.status_code == 302
    version = latest(Document.objects.get(title="Procedimiento de control de registros"))
    assert version.file_type == "pdf" and version.file_size == len(data)
    assert version.file_sha256 == hashlib.sha256(data).hexdigest()
    assert version.file_name == "procedimiento.pdf"
    assert "Texto dentro del archivo" in version.extracted_text
    with version.file.open("rb") as handle:
        assert handle.read() == data


def test_a_docx_upload_is_accepted(client_as, cmg):
    response = client_as(cmg).post(CREATE, register_data(content="", file=upload("formato.docx", docx_bytes())))
    assert response.status_code == 302
    assert latest(Document.objects.get(title="Procedimiento de control de registros")).file_type == "docx"


@pytest.mark.parametrize(
    "name, data",
    [
        pytest.param("procedimiento.pdf", b"Esto es texto plano, no un PDF.\n" * 20, id="text-named-pdf"),
        pytest.param("vacio.pdf", b"", id="empty"),
        pytest.param("informe.pdf", docx_bytes(), id="docx-renamed-pdf"),
        pytest.param("hoja.exe", pdf_bytes(), id="pdf-renamed-exe"),
    ],
)
def test_a_bad_file_is_a_field_error_and_nothing_is_stored(client_as, cmg, name, data):
    client = client_as(cmg)
    before = (events(), Document.objects.count(), DocumentVersion.objects.count())
    response = client.post(CREATE, register_data(file=upload(name, data)))
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert (events(), Document.objects.count(), DocumentVersion.objects.count()) == before


@override_settings(SIG_MAX_UPLOAD_MB=1)
def test_a_file_over_the_size_limit_is_refused(client_as, cmg):
    client = client_as(cmg)
    before = (events(), Document.objects.count())
    big = pdf_bytes() + b"%" * (1024 * 1024)
    response = client.post(CREATE, register_data(file=upload("grande.pdf", big)))
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert (events(), Document.objects.count()) == before


def test_content_or_a_file_is_required(client_as, cmg):
    before = Document.objects.count()
    response = client_as(cmg).post(CREATE, register_data(content=""))
    assert response.status_code == 400
    assert response.context["form"].errors["content"]
    assert Document.objects.count() == before


def test_a_legacy_code_is_kept_and_a_duplicate_is_refused(client_as, cmg):
    client = client_as(cmg)
    response = client.post(CREATE, register_data(legacy_code="pnadp-uppm-cmg-p-900", title="Heredado"))
    assert response.status_code == 302
    assert Document.objects.filter(code="PNADP-UPPM-CMG-P-900", title="Heredado").exists()
    before = (events(), Document.objects.count())
    response = client.post(CREATE, register_data(legacy_code="PNADP-UPPM-CMG-P-900", title="Otro"))
    assert response.status_code == 400
    assert response.context["form"].errors["legacy_code"]
    assert (events(), Document.objects.count()) == before


def test_external_types_are_not_offered_on_the_internal_form(client_as, cmg):
    types = client_as(cmg).get(CREATE).context["form"].fields["document_type"].queryset
    assert "EXT" not in set(types.values_list("code", flat=True))
    response = client_as(cmg).post(CREATE, register_data(document_type=doc_type("EXT").pk))
    assert response.status_code == 400


def test_an_external_document_is_registered_in_force_without_approval(client_as, cmg):
    response = client_as(cmg).post(
        CREATE_EXTERNAL,
        {
            "document_type": doc_type("EXT").pk,
            "title": "Ley N.° 27806, Ley de Transparencia",
            "external_issuer": "Congreso de la República",
            "owner_unit": unit("UAJ").pk,
            "classification": "public",
            "effective_on": "2002-08-03",
            "file": upload("ley27806.pdf", pdf_bytes("Ley de transparencia")),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title__startswith="Ley N.° 27806")
    version = latest(document)
    assert document.is_external and document.external_issuer == "Congreso de la República"
    assert version.status == VersionStatus.CURRENT and str(version.effective_on) == "2002-08-03"
    assert list(version.steps.values_list("action", flat=True)) == [WorkflowStep.Action.PUBLISHED]
    assert document.next_review_on is not None


def test_an_external_document_needs_its_issuer(client_as, cmg):
    before = Document.objects.count()
    response = client_as(cmg).post(
        CREATE_EXTERNAL,
        {
            "document_type": doc_type("EXT").pk,
            "title": "Norma sin emisor",
            "owner_unit": unit("UAJ").pk,
            "classification": "public",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["external_issuer"]
    assert Document.objects.count() == before


def test_people_who_may_not_draft_cannot_open_the_forms(client_as, lector, no_role_user):
    assert client_as(lector).get(CREATE).status_code == 403
    assert client_as(lector).get(CREATE_EXTERNAL).status_code == 403
    assert client_as(no_role_user).get(CREATE).status_code == 404
    assert client_as(lector).post(CREATE, register_data()).status_code == 403
