"""The version workflow through the pages: borrador → en revisión → visado → aprobado → vigente,
returns to borrador, the refusals (self-approval, approving twice, editing a vigente version) and
who may do what (the permission matrix)."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from documents import services
from documents.models import Document, DocumentVersion, VersionStatus, WorkflowStep
from documents.tests.page_support import (
    CREATE,
    detail_url,
    doc_type,
    draft,
    events,
    find_all,
    fresh,
    in_approval,
    latest,
    load_types,
    pdf_bytes,
    register_data,
    unit,
    upload,
    version_url,
    vigente,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def state_events(version: DocumentVersion) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="documents.documentversion", object_id=str(version.pk), action=AuditEvent.Action.STATE
        ).order_by("id")
    )


# --- the happy path ---------------------------------------------------------------------------


def test_a_procedure_goes_from_draft_to_vigente_through_the_pages(client_as, cmg, uppm, direccion):
    response = client_as(cmg).post(CREATE, register_data(endorsing_units=[unit("UPPM").pk]))
    assert response.status_code == 302
    document = Document.objects.get(title="Procedimiento de control de registros")
    version = latest(document)
    assert response["Location"] == detail_url(document)
    assert version.status == VersionStatus.DRAFT

    assert client_as(cmg).post(version_url(version, "enviar"), {"enviar-comment": "Listo"}).status_code == 302
    assert fresh(version).status == VersionStatus.IN_REVIEW
    assert client_as(uppm).post(version_url(version, "revisar"), {"revisar-comment": "Conforme"}).status_code == 302
    assert fresh(version).status == VersionStatus.IN_ENDORSEMENT
    response = client_as(uppm).post(version_url(version, "visar"), {"visar-unit": unit("UPPM").pk})
    assert response.status_code == 302
    assert fresh(version).status == VersionStatus.IN_APPROVAL
    response = client_as(direccion).post(
        version_url(version, "aprobar"),
        {"aprobar-instrument": "RDE N.° 050-2024-MIDIS/PNADP-DE", "aprobar-approved_on": "2024-05-02"},
    )
    assert response.status_code == 302
    approved = fresh(version)
    assert approved.status == VersionStatus.APPROVED
    assert approved.approval_instrument == "RDE N.° 050-2024-MIDIS/PNADP-DE"
    assert str(approved.approved_on) == "2024-05-02"
    assert (
        client_as(cmg).post(version_url(version, "publicar"), {"publicar-effective_on": "2024-05-10"}).status_code
        == 302
    )

    current = fresh(version)
    assert current.status == VersionStatus.CURRENT
    assert len(current.verification_code) == 7 and current.verification_code.isupper()
    assert current.controlled_sha256 and current.controlled_pdf
    assert str(current.effective_on) == "2024-05-10"
    assert fresh(document).current_version_id == current.pk
    steps = list(current.steps.order_by("at", "pk").values_list("action", "person__username"))
    assert steps == [
        ("elaborated", "cmg"),
        ("reviewed", "uppm"),
        ("endorsed", "uppm"),
        ("approved", "direccion"),
        ("published", "cmg"),
    ]
    # Each step left its audit entry: submit, review, endorsement (+ its status change), approval, publication.
    changes = [e.changes.get("status") for e in state_events(current)]
    assert changes == [
        ["draft", "in_review"],
        ["in_review", "in_endorsement"],
        None,
        ["in_endorsement", "in_approval"],
        ["in_approval", "approved"],
        ["approved", "current"],
    ]


def test_approving_with_publish_now_puts_the_version_in_force_at_once(client_as, cmg, uppm, direccion):
    version = in_approval(cmg, uppm)
    response = client_as(direccion).post(
        version_url(version, "aprobar"),
        {"aprobar-instrument": "RDE 9", "aprobar-publish_now": "on", "aprobar-effective_on": "2024-06-01"},
    )
    assert response.status_code == 302
    current = fresh(version)
    assert current.status == VersionStatus.CURRENT and str(current.effective_on) == "2024-06-01"


def test_the_version_page_offers_only_the_steps_the_user_may_take(client_as, cmg, uppm, direccion, lector):
    version = latest(draft(cmg))
    services.submit_for_review(version, by=cmg)
    offered = {
        user.username: [
            dict(s.attributes)["data-action"]
            for s in find_all(client_as(user).get(version_url(version)).content, "section")
            if "data-action" in dict(s.attributes)
        ]
        for user in (cmg, uppm, direccion, lector)
    }
    # Review rules name the UPPM head and the SIG coordinator, but cmg drafted it: no self-review.
    assert offered["uppm"] == ["revisar", "devolver"]
    assert offered["cmg"] == ["devolver"]
    assert offered["direccion"] == [] and offered["lector"] == []


# --- returns and refusals ---------------------------------------------------------------------


def test_returning_a_version_puts_it_back_in_draft_with_the_reason(client_as, cmg, uppm):
    version = latest(draft(cmg))
    services.submit_for_review(version, by=cmg)
    response = client_as(uppm).post(version_url(version, "devolver"), {"devolver-reason": "Falta el alcance"})
    assert response.status_code == 302
    assert fresh(version).status == VersionStatus.DRAFT
    step = version.steps.get(action=WorkflowStep.Action.REJECTED)
    assert step.comment == "Falta el alcance" and step.person == uppm
    assert state_events(version)[-1].changes["status"] == ["in_review", "draft"]
    # The drafter can fix it and submit again.
    assert client_as(cmg).post(version_url(version, "enviar"), {}).status_code == 302
    assert fresh(version).status == VersionStatus.IN_REVIEW


def test_a_return_without_a_reason_is_refused(client_as, cmg, uppm):
    version = latest(draft(cmg))
    services.submit_for_review(version, by=cmg)
    client = client_as(uppm)  # logging in is itself audited: log in first, then count
    before = events()
    response = client.post(version_url(version, "devolver"), {"devolver-reason": "  "})
    assert response.status_code == 400
    assert response.context["forms"]["devolver"].errors
    assert fresh(version).status == VersionStatus.IN_REVIEW and events() == before


def test_approving_ones_own_document_is_refused_where_the_type_forbids_it(client_as, uppm, cmg):
    # Forms (F) are approved by the UPPM head, who may also draft them.
    assert not doc_type("F").allow_self_approval
    version = latest(draft(uppm, "Formato de acta", unit_code="UPPM", type_code="F"))
    services.submit_for_review(version, by=uppm)
    services.review(version, by=cmg)
    client = client_as(uppm)
    before, steps = events(), version.steps.count()
    response = client.post(version_url(version, "aprobar"), {"aprobar-instrument": "Memo 1"})
    assert response.status_code == 400
    assert response.context["forms"]["aprobar"].non_field_errors()
    assert find_all(response.content, "div", **{"class": "errorlist-box"})
    unchanged = fresh(version)
    assert unchanged.status == VersionStatus.IN_APPROVAL and unchanged.approval_instrument == ""
    assert version.steps.count() == steps and events() == before


def test_reviewing_ones_own_draft_is_refused(client_as, cmg):
    version = latest(draft(cmg))
    services.submit_for_review(version, by=cmg)
    response = client_as(cmg).post(version_url(version, "revisar"), {})
    assert response.status_code == 400
    assert fresh(version).status == VersionStatus.IN_REVIEW


def test_approving_twice_is_refused(client_as, cmg, uppm, direccion):
    version = in_approval(cmg, uppm)
    client = client_as(direccion)
    assert client.post(version_url(version, "aprobar"), {"aprobar-instrument": "RDE 1"}).status_code == 302
    before = events()
    response = client.post(version_url(version, "aprobar"), {"aprobar-instrument": "RDE 2"})
    assert response.status_code == 400
    assert fresh(version).approval_instrument == "RDE 1"
    assert version.steps.filter(action=WorkflowStep.Action.APPROVED).count() == 1 and events() == before


def test_editing_a_vigente_version_is_refused_and_nothing_is_stored(client_as, cmg, uppm, direccion):
    version = vigente(cmg, uppm, direccion)
    client = client_as(cmg)
    before = events()
    response = client.post(
        version_url(version, "editar"),
        {"editar-content": "Texto cambiado", "editar-file": upload("nuevo.pdf", pdf_bytes("cambio"))},
    )
    assert response.status_code == 400
    unchanged = fresh(version)
    assert unchanged.content == version.content and not unchanged.file and unchanged.file_sha256 == ""
    assert events() == before


def test_a_draft_can_be_edited_with_text_and_a_file(client_as, cmg):
    version = latest(draft(cmg))
    data = pdf_bytes("Texto del archivo")
    response = client_as(cmg).post(
        version_url(version, "editar"),
        {
            "editar-content": "## Nuevo texto",
            "editar-file": upload("borrador.pdf", data),
            "editar-endorsing_units": [unit("UAJ").pk],
        },
    )
    assert response.status_code == 302
    edited = fresh(version)
    assert edited.content == "## Nuevo texto" and edited.file_type == "pdf" and edited.file_name == "borrador.pdf"
    assert list(edited.endorsing_units.values_list("code", flat=True)) == ["UAJ"]
    assert AuditEvent.objects.filter(
        object_type="documents.documentversion", object_id=str(version.pk), action=AuditEvent.Action.UPDATE
    ).exists()


def test_a_change_row_can_be_added_to_a_draft(client_as, cmg):
    version = latest(draft(cmg))
    response = client_as(cmg).post(
        version_url(version, "cambios"),
        {
            "cambios-date": "2024-02-01",
            "cambios-justification": "Actualización",
            "cambios-supporting_reference": "Informe 043-2024",
            "cambios-texts_modified": "Sección 5",
        },
    )
    assert response.status_code == 302
    row = version.changes.order_by("-pk").first()
    assert (row.justification, row.supporting_reference, row.responsible) == (
        "Actualización",
        "Informe 043-2024",
        "UPPM-CMG",
    )
    missing = client_as(cmg).post(version_url(version, "cambios"), {"cambios-justification": ""})
    assert missing.status_code == 400


def test_endorsing_for_a_unit_that_does_not_have_to_endorse_is_refused(client_as, cmg, uppm):
    version = latest(draft(cmg, endorsing_units=[unit("UPPM")]))
    services.submit_for_review(version, by=cmg)
    services.review(version, by=uppm)
    response = client_as(uppm).post(version_url(version, "visar"), {"visar-unit": unit("UAJ").pk})
    assert response.status_code == 400
    assert fresh(version).status == VersionStatus.IN_ENDORSEMENT


def test_a_new_version_makes_the_old_one_obsolete(client_as, cmg, uppm, direccion):
    v1 = vigente(cmg, uppm, direccion)
    document = v1.document
    response = client_as(cmg).post(
        f"/documentos/{document.pk}/versiones/nueva/",
        {
            "content": "## Texto de la versión 02",
            "justification": "Actualización",
            "supporting_reference": "Informe 100-2024",
        },
    )
    assert response.status_code == 302
    v2 = latest(document)
    assert v2.number == 2 and response["Location"] == version_url(v2)
    assert fresh(v1).status == VersionStatus.CURRENT  # still in force while 02 is a draft
    assert client_as(cmg).post(version_url(v2, "enviar"), {}).status_code == 302
    assert client_as(uppm).post(version_url(v2, "revisar"), {}).status_code == 302
    assert client_as(direccion).post(version_url(v2, "aprobar"), {"aprobar-publish_now": "on"}).status_code == 302
    old, new = fresh(v1), fresh(v2)
    assert old.status == VersionStatus.OBSOLETE and old.obsolete_on is not None
    assert new.status == VersionStatus.CURRENT and old.verification_code != new.verification_code
    assert DocumentVersion.objects.filter(document=document, status=VersionStatus.CURRENT).count() == 1
    assert fresh(document).current_version_id == new.pk
    # The old version stays readable.
    assert client_as(cmg).get(version_url(v1)).status_code == 200


def test_a_second_new_version_is_refused_while_one_is_in_progress(client_as, cmg, uppm, direccion):
    v1 = vigente(cmg, uppm, direccion)
    url = f"/documentos/{v1.document_id}/versiones/nueva/"
    assert client_as(cmg).post(url, {"justification": "Cambio"}).status_code == 302
    response = client_as(cmg).post(url, {"justification": "Otro cambio"})
    assert response.status_code == 400
    assert DocumentVersion.objects.filter(document_id=v1.document_id).count() == 2


def test_withdrawing_leaves_the_document_without_a_vigente_version(client_as, cmg, uppm, direccion):
    version = vigente(cmg, uppm, direccion)
    url = f"/documentos/{version.document_id}/retirar/"
    assert client_as(direccion).post(url, {"withdraw-reason": ""}).status_code == 400
    assert fresh(version).status == VersionStatus.CURRENT
    assert client_as(direccion).post(url, {"withdraw-reason": "Derogado"}).status_code == 302
    withdrawn = fresh(version)
    assert withdrawn.status == VersionStatus.OBSOLETE and withdrawn.obsolete_reason == "Derogado"
    assert fresh(version.document).current_version_id is None


def test_marking_the_periodic_review_moves_the_next_review_date(client_as, cmg, uppm, direccion):
    version = vigente(cmg, uppm, direccion)
    before = fresh(version.document).next_review_on
    response = client_as(uppm).post(
        f"/documentos/{version.document_id}/revision-periodica/", {"reviewed-comment": "Sin cambios"}
    )
    assert response.status_code == 302
    assert fresh(version.document).next_review_on > before


# --- the permission matrix ----------------------------------------------------------------------

VERSION_ACTIONS = ["editar", "cambios", "enviar", "revisar", "visar", "aprobar", "publicar", "devolver"]


def test_a_reader_gets_403_on_every_write(client_as, lector, cmg, uppm, direccion):
    draft_version = latest(draft(cmg))
    in_force = vigente(cmg, uppm, direccion)
    client = client_as(lector)
    before = events()
    for version in (draft_version, in_force):
        for action in VERSION_ACTIONS:
            assert client.post(version_url(version, action), {}).status_code == 403, action
    doc = in_force.document
    for url in (
        CREATE,
        "/documentos/nuevo-externo/",
        f"/documentos/{doc.pk}/editar/",
        f"/documentos/{doc.pk}/versiones/nueva/",
        f"/documentos/{doc.pk}/retirar/",
        f"/documentos/{doc.pk}/revision-periodica/",
    ):
        assert client.post(url, {"withdraw-reason": "x"}).status_code == 403, url
    assert client.get(CREATE).status_code == 403
    assert events() == before
    assert fresh(draft_version).status == VersionStatus.DRAFT


def test_a_ut_head_drafts_for_their_own_ut_and_another_ut_cannot_see_it(client_as, ut_cusco, ut_puno, cmg):
    response = client_as(ut_cusco).post(
        CREATE,
        register_data(
            owner_unit=unit("UT-CUS").pk, title="Instructivo de atención en la UT Cusco", document_type=doc_type("I").pk
        ),
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Instructivo de atención en la UT Cusco")
    assert document.code.startswith("PNADP-UT-CUS-I-")
    version = latest(document)
    puno = client_as(ut_puno)
    assert puno.get(detail_url(document)).status_code == 404
    assert puno.get(version_url(version)).status_code == 404
    assert puno.post(version_url(version, "enviar"), {}).status_code == 404
    assert puno.post(f"/documentos/{document.pk}/editar/", {"title": "x"}).status_code == 404
    assert client_as(cmg).get(detail_url(document)).status_code == 200  # central roles see every site


def test_a_ut_head_cannot_register_for_a_unit_of_another_site(client_as, ut_cusco):
    before = Document.objects.count()
    response = client_as(ut_cusco).post(CREATE, register_data(owner_unit=unit("UPPM-CMG").pk))
    assert response.status_code == 400
    assert response.context["form"].errors["owner_unit"]
    assert Document.objects.count() == before


def test_a_ut_sees_a_sede_central_vigente_document_but_not_its_drafts(client_as, ut_cusco, cmg, uppm, direccion):
    v1 = vigente(cmg, uppm, direccion, classification="internal")
    v2 = services.start_new_version(v1.document, data={"justification": "Cambio", "content": "Borrador 02"}, by=cmg)
    client = client_as(ut_cusco)
    response = client.get(detail_url(v1))
    assert response.status_code == 200
    assert [
        dict(r.attributes)["data-version"]
        for r in find_all(response.content, "tr")
        if "data-version" in dict(r.attributes)
    ] == ["01"]
    assert client.get(version_url(v1)).status_code == 200
    assert client.get(version_url(v2)).status_code == 404
    # Visible but not theirs: steps are forbidden (403), not hidden.
    assert client.post(version_url(v1, "editar"), {}).status_code == 403
    assert client.post(f"/documentos/{v1.document_id}/versiones/nueva/", {"justification": "x"}).status_code == 403


def test_a_confidential_sede_central_document_is_invisible_to_uts(client_as, ut_cusco, cmg, uppm, direccion):
    version = vigente(cmg, uppm, direccion, title="Matriz de riesgos de seguridad", classification="confidential")
    client = client_as(ut_cusco)
    assert client.get(detail_url(version)).status_code == 404
    assert client.get(version_url(version)).status_code == 404
    assert client.get(f"/documentos/{version.document_id}/versiones/01/copia-controlada/").status_code == 404


def test_a_person_without_roles_sees_no_document_page(client_as, no_role_user, cmg):
    version = latest(draft(cmg))
    client = client_as(no_role_user)
    for url in ("/documentos/", CREATE, detail_url(version), version_url(version), "/documentos/exportar/xlsx/"):
        assert client.get(url).status_code == 404, url
    assert client.post(version_url(version, "enviar"), {}).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client_as, cmg):
    version = latest(draft(cmg))
    for url in ("/documentos/", detail_url(version), version_url(version)):
        response = client_as(None).get(url)
        assert response.status_code == 302 and "/cuenta/" in response["Location"]
