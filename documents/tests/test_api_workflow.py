"""/api/v1/documents/{id}/versions/{n}/{submit,review,endorse,approve,publish,reject}, withdraw
and read: the elaborado → revisado → (visado) → aprobado → vigente workflow over the API, with
the same rules as the pages."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from audit.models import AuditEvent
from core.testing import api_post, event_count, last_event, row
from documents.models import DocumentVersion, ReadConfirmation, VersionStatus, WorkflowStep
from documents.tests.api_support import (
    document_url,
    draft,
    fast_controlled_pdf,
    latest,
    load_types,
    unit,
    version_url,
    vigente,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(request, monkeypatch):
    fast_controlled_pdf(request, monkeypatch)
    load_types()


@pytest.fixture
def real_controlled_pdf():
    """This test publishes with the real controlled-PDF rendering (see fast_controlled_pdf)."""


@pytest.fixture
def v1(cmg) -> DocumentVersion:
    return latest(draft(cmg, "Procedimiento Zorzal de archivo"))


def status_of(version: DocumentVersion) -> str:
    return DocumentVersion.objects.get(pk=version.pk).status


def test_a_draft_walks_to_vigente_through_the_api(client_as, cmg, uppm, direccion, v1, real_controlled_pdf):
    submitted = api_post(client_as(cmg), version_url(v1, "submit"), {"comment": "Listo para revisión"})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "in_review"

    reviewed = api_post(client_as(uppm), version_url(v1, "review"), {})
    assert reviewed.json()["status"] == "in_approval"

    approved = api_post(
        client_as(direccion),
        version_url(v1, "approve"),
        {"instrument": "RDE N.° 045-2024-MIDIS/PNADP-DE", "approved_on": "2024-05-02"},
    )
    assert approved.json()["status"] == "approved"
    assert approved.json()["approval_instrument"] == "RDE N.° 045-2024-MIDIS/PNADP-DE"

    published = api_post(client_as(cmg), version_url(v1, "publish"), {"effective_on": "2024-05-03"})
    body = published.json()
    assert published.status_code == 200, published.content
    assert (body["status"], body["effective_on"], body["approved_on"]) == ("current", "2024-05-03", "2024-05-02")
    assert len(body["verification_code"]) == 7 and body["verification_code"].isalpha()
    assert len(body["controlled_sha256"]) == 64
    pdf = DocumentVersion.objects.get(pk=v1.pk).controlled_pdf
    with pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == body["controlled_sha256"]
    assert [s["action"] for s in body["steps"]] == ["elaborated", "reviewed", "approved", "published"]
    assert body["steps"][0]["comment"] == "Listo para revisión"
    assert body["steps"][1]["person_name"] == uppm.get_full_name()
    assert client_as(cmg).get(document_url(v1)).json()["current_version"] == 1


def test_approving_with_a_publish_date_makes_the_version_vigente_at_once(client_as, cmg, uppm, direccion, v1):
    api_post(client_as(cmg), version_url(v1, "submit"), {})
    api_post(client_as(uppm), version_url(v1, "review"), {})
    response = api_post(
        client_as(direccion), version_url(v1, "approve"), {"instrument": "RDE N.° 046-2024", "publish_on": "2024-06-01"}
    )
    assert response.json()["status"] == "current" and response.json()["effective_on"] == "2024-06-01"


def test_a_new_vigente_version_makes_the_previous_one_obsoleto(client_as, cmg, uppm, direccion):
    old = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    new = api_post(client_as(cmg), f"{document_url(old)}/versions", {"justification": "Actualización"}).json()
    url = f"{document_url(old)}/versions/{new['number']}"
    api_post(client_as(cmg), f"{url}/submit", {})
    api_post(client_as(uppm), f"{url}/review", {})
    api_post(client_as(direccion), f"{url}/approve", {"publish_on": "2024-09-01"})
    previous = client_as(cmg).get(version_url(old)).json()
    assert (previous["status"], previous["obsolete_on"]) == ("obsolete", "2024-09-01")
    assert previous["obsolete_reason"]


def test_the_actions_need_no_body_beyond_an_empty_object(client_as, cmg, v1):
    response = api_post(client_as(cmg), version_url(v1, "submit"), {})
    assert response.status_code == 200


def test_whoever_drafted_a_version_may_not_review_it(client_as, cmg, v1):
    client = client_as(cmg)
    api_post(client, version_url(v1, "submit"), {})
    before = (row(v1), event_count())
    response = api_post(client, version_url(v1, "review"), {})
    assert response.status_code == 400
    assert response.json()["detail"][0]["msg"]
    assert (row(v1), event_count()) == before


def test_approving_twice_is_refused(client_as, cmg, uppm, direccion, v1):
    api_post(client_as(cmg), version_url(v1, "submit"), {})
    api_post(client_as(uppm), version_url(v1, "review"), {})
    client = client_as(direccion)
    assert api_post(client, version_url(v1, "approve"), {}).status_code == 200
    before = event_count()
    again = api_post(client, version_url(v1, "approve"), {})
    assert again.status_code == 400
    assert event_count() == before
    assert WorkflowStep.objects.filter(version=v1, action="approved").count() == 1


def test_a_step_out_of_order_is_refused(client_as, uppm, v1):
    response = api_post(client_as(uppm), version_url(v1, "review"), {})
    assert response.status_code == 400
    assert status_of(v1) == VersionStatus.DRAFT


@pytest.mark.parametrize("action", ["submit", "review", "approve", "publish"])
def test_a_reader_may_take_no_step(client_as, cmg, uppm, direccion, lector, action):
    version = latest(draft(cmg, "Procedimiento Zorzal"))
    steps = ["submit", "review", "approve"]
    actors = {"submit": cmg, "review": uppm, "approve": direccion}
    for step in steps[: steps.index(action) if action in steps else 3]:
        api_post(client_as(actors[step]), version_url(version, step), {})
    client = client_as(lector)
    before = (row(version), event_count())
    assert api_post(client, version_url(version, action), {}).status_code == 403
    assert (row(version), event_count()) == before


def test_only_the_approver_of_the_type_approves(client_as, cmg, uppm, v1):
    api_post(client_as(cmg), version_url(v1, "submit"), {})
    api_post(client_as(uppm), version_url(v1, "review"), {})
    # Procedures are approved by the Dirección Ejecutiva, not by the head of UPPM.
    assert api_post(client_as(uppm), version_url(v1, "approve"), {}).status_code == 403
    assert status_of(v1) == VersionStatus.IN_APPROVAL


def test_another_ut_cannot_reach_a_draft(client_as, ut_cusco, ut_puno):
    version = latest(draft(ut_cusco, "Instructivo Zorzal", unit_code="UT-CUS", type_code="I"))
    assert api_post(client_as(ut_puno), version_url(version, "submit"), {}).status_code == 404
    assert client_as(ut_puno).get(version_url(version)).status_code == 404


def test_a_rejection_returns_the_version_to_draft_with_the_reason(client_as, cmg, uppm, v1):
    api_post(client_as(cmg), version_url(v1, "submit"), {})
    response = api_post(client_as(uppm), version_url(v1, "reject"), {"reason": "Falta el alcance"})
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["steps"][-1] | {"at": None, "id": None} == {
        "id": None,
        "at": None,
        "action": "rejected",
        "person_name": uppm.get_full_name(),
        "position": uppm.position,
        "unit_code": uppm.unit.code,
        "comment": "Falta el alcance",
    }


def test_a_rejection_needs_a_reason(client_as, cmg, uppm, v1):
    api_post(client_as(cmg), version_url(v1, "submit"), {})
    client = client_as(uppm)
    before = (row(v1), event_count())
    response = api_post(client, version_url(v1, "reject"), {"reason": "   "})
    assert response.status_code == 400
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]
    assert (row(v1), event_count()) == before


def test_endorsing_units_visan_before_approval(client_as, cmg, uppm, direccion):
    version = latest(draft(cmg, "Procedimiento Zorzal", endorsing_units=[unit("UPPM")]))
    api_post(client_as(cmg), version_url(version, "submit"), {})
    reviewed = api_post(client_as(uppm), version_url(version, "review"), {}).json()
    assert reviewed["status"] == "in_endorsement" and reviewed["pending_endorsements"] == ["UPPM"]

    wrong = api_post(client_as(uppm), version_url(version, "endorse"), {"unit": unit("UPPM-CMG").pk})
    assert wrong.status_code == 400 and wrong.json()["detail"][0]["loc"] == ["body", "unit"]

    endorsed = api_post(
        client_as(uppm), version_url(version, "endorse"), {"unit": unit("UPPM").pk, "comment": "Visado"}
    )
    assert endorsed.status_code == 200, endorsed.content
    assert endorsed.json()["status"] == "in_approval" and endorsed.json()["pending_endorsements"] == []
    assert endorsed.json()["steps"][-1]["unit_code"] == "UPPM"


def test_endorsing_needs_a_unit(client_as, cmg, v1):
    response = api_post(client_as(cmg), version_url(v1, "endorse"), {})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "unit"


def test_withdrawing_makes_the_vigente_version_obsoleto(client_as, cmg, uppm, direccion):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    client = client_as(direccion)
    refused = api_post(client, f"{document_url(version)}/withdraw", {"reason": ""})
    assert refused.status_code == 400 and refused.json()["detail"][0]["loc"] == ["body", "reason"]
    response = api_post(client, f"{document_url(version)}/withdraw", {"reason": "Proceso suprimido"})
    assert response.status_code == 200, response.content
    assert response.json()["current_version"] is None and response.json()["status"] == "obsolete"
    withdrawn = DocumentVersion.objects.get(pk=version.pk)
    assert (withdrawn.obsolete_on, withdrawn.obsolete_reason) == (datetime.date.today(), "Proceso suprimido")
    assert last_event("documents.documentversion").action == AuditEvent.Action.STATE


def test_a_reader_may_not_withdraw(client_as, cmg, uppm, direccion, lector):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    assert api_post(client_as(lector), f"{document_url(version)}/withdraw", {"reason": "No"}).status_code == 403
    assert status_of(version) == VersionStatus.CURRENT


def test_people_confirm_reading_the_vigente_version_once(client_as, cmg, uppm, direccion, lector):
    version = vigente("Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion)
    client = client_as(lector)
    first = api_post(client, f"{document_url(version)}/read")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 1
    again = api_post(client, f"{document_url(version)}/read")
    assert again.json()["at"] == first.json()["at"]
    assert ReadConfirmation.objects.filter(version=version, user=lector).count() == 1


def test_reading_is_for_the_units_the_document_is_distributed_to(client_as, cmg, uppm, direccion, lector):
    version = vigente(
        "Procedimiento Zorzal", cmg=cmg, uppm=uppm, direccion=direccion, distribution_units=[unit("UT-CUS")]
    )
    response = api_post(client_as(lector), f"{document_url(version)}/read")
    assert response.status_code == 400
    assert not ReadConfirmation.objects.filter(user=lector).exists()


def test_there_is_nothing_to_read_without_a_vigente_version(client_as, cmg, lector):
    document = draft(cmg, "Procedimiento Zorzal")
    assert api_post(client_as(lector), f"{document_url(document)}/read").status_code == 400
