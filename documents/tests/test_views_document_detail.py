"""Document and version pages: metadata, versions, Control de Cambios, workflow history,
actions by role, downloads, read confirmations, and pinned query counts."""

from __future__ import annotations

import hashlib

import pytest

from catalog.models import Requirement
from documents import services
from documents.models import ReadConfirmation
from documents.tests.page_support import (
    detail_url,
    draft,
    events,
    find,
    find_all,
    fresh,
    inspected,
    latest,
    load_types,
    pdf_bytes,
    text_of,
    unit,
    version_url,
    vigente,
)
from organization.models import ManagementSystem, Process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def ids_on_page(response) -> set[str]:
    return {
        dict(e.attributes)["data-testid"] for e in find_all(response.content) if "data-testid" in dict(e.attributes)
    }


@pytest.fixture
def plan(cmg, uppm, direccion):
    """A plan in force (v01) with a second version in force (v02), like the seed's own plan."""
    requirement = Requirement.objects.get(edition__label="ISO 9001:2015", number="6.1")
    v1 = vigente(
        cmg,
        uppm,
        direccion,
        title="Plan de Desarrollo del SIG",
        type_code="PL",
        classification="public",
        process=Process.objects.get(code="E02"),
        systems=list(ManagementSystem.objects.all()),
        requirements=[requirement],
        distribution_units=[unit("UPPM-CSE"), unit("UPPM")],
    )
    v2 = services.start_new_version(
        v1.document,
        by=cmg,
        data={
            "content": "## 1. Objetivo\n\nIncorporar el SGSI.",
            "justification": "Actualización",
            "supporting_reference": "Informe 043-2020-MIDIS/PNADP-UPPM-CMG",
        },
    )
    services.submit_for_review(v2, by=cmg)
    services.review(v2, by=uppm)
    services.approve(v2, by=direccion, instrument="RDE del 17/08/2020", publish_on=v1.effective_on)
    return fresh(v1), fresh(v2)


def test_the_detail_shows_metadata_versions_and_change_control(client_as, lector, plan):
    v1, v2 = plan
    response = client_as(lector).get(detail_url(v1))
    assert response.status_code == 200
    html = response.content.decode()
    assert v1.document.code in html and "Plan de Desarrollo del SIG" in html
    for code in ("SGC", "SGAS", "SGSI", "UPPM-CSE"):
        assert code in html
    requirement = Requirement.objects.get(edition__label="ISO 9001:2015", number="6.1")
    assert find_all(response.content, "a", href=requirement.get_absolute_url())
    rows = {
        dict(r.attributes)["data-version"]: dict(r.attributes)["data-status"]
        for r in find_all(response.content, "tr")
        if "data-version" in dict(r.attributes)
    }
    assert rows == {"01": "obsolete", "02": "current"}
    assert text_of(find(response.content, "code", data_testid="verification-code")) == v2.verification_code
    changes = text_of(find(response.content, "table", data_testid="change-control"))
    assert "Informe 043-2020-MIDIS/PNADP-UPPM-CMG" in changes and "RDE" not in changes
    history = [
        dict(r.attributes)["data-action"]
        for r in find_all(response.content, "tr")
        if "data-action" in dict(r.attributes)
    ]
    assert history.count("published") == 2 and history.count("approved") == 2


def test_the_actions_shown_depend_on_the_users_steps(client_as, cmg, lector, direccion, uppm, plan):
    v1, _v2 = plan
    assert {"edit-document", "new-version"} <= ids_on_page(client_as(cmg).get(detail_url(v1)))
    assert not {"edit-document", "new-version", "withdraw-form", "mark-reviewed-form"} & ids_on_page(
        client_as(lector).get(detail_url(v1))
    )
    assert "withdraw-form" in ids_on_page(client_as(direccion).get(detail_url(v1)))
    assert "mark-reviewed-form" in ids_on_page(client_as(uppm).get(detail_url(v1)))


def test_the_controlled_copy_and_the_original_can_be_downloaded(client_as, lector, cmg, uppm, direccion):
    data = pdf_bytes("Original subido")
    version = vigente(cmg, uppm, direccion)
    with_file = draft(cmg, "Con archivo", upload=inspected("original.pdf", data), file_name="original.pdf")
    client = client_as(lector)
    response = client.get(f"/documentos/{version.document_id}/versiones/01/copia-controlada/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == version.controlled_sha256
    assert "attachment" in response["Content-Disposition"]
    original = client.get(f"/documentos/{with_file.pk}/versiones/01/archivo/")
    assert original.status_code == 200 and b"".join(original.streaming_content) == data
    assert 'filename="original.pdf"' in original["Content-Disposition"]
    # A draft has no controlled copy; a version without a file has no original.
    assert client.get(f"/documentos/{with_file.pk}/versiones/01/copia-controlada/").status_code == 404
    assert client.get(f"/documentos/{version.document_id}/versiones/01/archivo/").status_code == 404


def test_the_audience_confirms_reading_and_the_owner_sees_who_has_not(client_as, lector, cmg, ut_cusco, plan):
    _v1, v2 = plan
    url = f"/documentos/{v2.document_id}/leido/"
    # lector works in UPPM-CSE, one of the units the plan is distributed to.
    page = client_as(lector).get(detail_url(v2))
    assert "confirm-read" in ids_on_page(page)
    reader = client_as(lector)
    assert reader.post(url).status_code == 302
    assert ReadConfirmation.objects.filter(version=v2, user=lector).exists()
    assert "has-read" in ids_on_page(client_as(lector).get(detail_url(v2)))
    before = events()
    assert reader.post(url).status_code == 302  # confirming again changes nothing
    assert ReadConfirmation.objects.filter(version=v2, user=lector).count() == 1 and events() == before
    owner = client_as(cmg).get(detail_url(v2))
    readers = [
        dict(li.attributes)["data-user"]
        for li in find(owner.content, "ul", data_testid="readers").children
        if hasattr(li, "attributes")
    ]
    not_readers = [
        dict(li.attributes)["data-user"]
        for li in find(owner.content, "ul", data_testid="not-readers").children
        if hasattr(li, "attributes")
    ]
    assert readers == ["lector"]
    assert "uppm" in not_readers and "lector" not in not_readers and "cmg" not in not_readers
    # Someone outside the audience is told so and nothing is stored.
    outsider = client_as(ut_cusco)
    assert "confirm-read" not in ids_on_page(outsider.get(detail_url(v2)))
    response = outsider.post(url)
    assert response.status_code == 400 and "action-error" in ids_on_page(response)
    assert not ReadConfirmation.objects.filter(user=ut_cusco).exists()


def test_the_version_page_renders_markdown_sanitised(client_as, cmg):
    version = latest(draft(cmg, "Seguro"))
    services.update_draft(
        version,
        by=cmg,
        data={"content": '## Objetivo\n\n**Claro** <script>alert(1)</script> <a href="javascript:x()">x</a>'},
    )
    response = client_as(cmg).get(version_url(version))
    content = find(response.content, "div", data_testid="content")
    assert find_all(content, "h2") and find_all(content, "strong")
    assert not find_all(content, "script") and "javascript:" not in str(content)


def test_the_version_page_shows_the_steps_and_change_rows(client_as, lector, plan):
    _v1, v2 = plan
    response = client_as(lector).get(version_url(v2))
    assert response.status_code == 200
    actions = [
        dict(r.attributes)["data-action"]
        for r in find_all(response.content, "tr")
        if "data-action" in dict(r.attributes)
    ]
    assert actions == ["elaborated", "reviewed", "approved", "published"]
    assert "Informe 043-2020" in text_of(find(response.content, "table", data_testid="change-control"))
    assert text_of(find(response.content, "code", data_testid="verification-code")) == v2.verification_code


def test_the_detail_query_count_is_pinned_and_flat(client_as, cmg, uppm, direccion, plan, django_assert_num_queries):
    small = latest(draft(cmg, "Uno"))
    _v1, v2 = plan  # two versions, eight steps, two change rows
    client = client_as(cmg)
    client.get(detail_url(small))
    with django_assert_num_queries(DRAFT_DETAIL_QUERIES):
        client.get(detail_url(small))
    with django_assert_num_queries(CURRENT_DETAIL_QUERIES):
        client.get(detail_url(v2))
    for n in range(5):
        client.post(f"/documentos/{v2.document_id}/revision-periodica/", {"reviewed-comment": f"{n}"})
    services.confirm_read(fresh(v2), by=uppm)
    with django_assert_num_queries(CURRENT_DETAIL_QUERIES):
        client.get(detail_url(v2))
    with django_assert_num_queries(VERSION_QUERIES):
        client.get(version_url(v2))


# session, user, scope, document, its type's workflow rules (once), versions + their steps, change
# rows, systems, distribution units, requirements; the draft's own workflow forms (issue 9 #9):
# the latest version and its endorsing units.
DRAFT_DETAIL_QUERIES = 13
# …plus the reading panel: distribution units, "in audience", "has read", readers, their count,
# not-readers, their count.
CURRENT_DETAIL_QUERIES = 18
# session, user, scope, version with its document, its type's workflow rules (once), steps, change
# rows, endorsing units.
VERSION_QUERIES = 8


def test_documents_of_other_sites_and_unknown_ids_are_404(client_as, ut_puno, ut_cusco):
    cusco = draft(ut_cusco, "Instructivo Cusco", unit_code="UT-CUS", type_code="I")
    assert client_as(ut_puno).get(detail_url(cusco)).status_code == 404
    assert client_as(ut_puno).get(f"/documentos/{cusco.pk}/versiones/01/archivo/").status_code == 404
    assert client_as(ut_cusco).get("/documentos/999999/").status_code == 404
    assert client_as(ut_cusco).get(f"/documentos/{cusco.pk}/versiones/7/").status_code == 404
