"""The master list (lista maestra): scope, filters, HTMX partial, pagination, review highlight,
exports (XLSX and PDF) and a pinned, flat query count."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditEvent
from documents.models import Document
from documents.tests.page_support import LIST, draft, find, find_all, load_types, unit, vigente
from organization.models import ManagementSystem, Process

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _types(db):
    load_types()


def codes(response) -> list[str]:
    return [
        dict(r.attributes)["data-code"] for r in find_all(response.content, "tr") if "data-code" in dict(r.attributes)
    ]


def xlsx_codes(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def docs(cmg, uppm, direccion, ut_cusco):
    """A vigente public plan (SGC, E02), a vigente confidential manual of UTI, a draft procedure,
    and a draft of UT Cusco."""
    sgc = ManagementSystem.objects.get(code="SGC")
    plan = vigente(
        cmg,
        uppm,
        direccion,
        title="Plan de desarrollo del SIG",
        type_code="PL",
        classification="public",
        process=Process.objects.get(code="E02"),
        systems=[sgc],
    ).document
    matrix = vigente(
        cmg,
        uppm,
        direccion,
        title="Manual de seguridad de la información",
        type_code="M",
        classification="confidential",
        unit_code="UTI",
    ).document
    procedure = draft(cmg, "Procedimiento de muestreo estadístico")
    cusco = draft(ut_cusco, "Instructivo de la UT Cusco", unit_code="UT-CUS", type_code="I")
    return {"plan": plan, "matrix": matrix, "procedure": procedure, "cusco": cusco}


def test_central_roles_see_every_document(client_as, lector, docs):
    listed = codes(client_as(lector).get(LIST))
    assert set(listed) >= {d.code for d in docs.values()}


def test_a_ut_sees_its_own_documents_and_the_open_vigente_ones_of_other_sites(client_as, ut_cusco, ut_puno, docs):
    cusco = set(codes(client_as(ut_cusco).get(LIST)))
    assert {docs["plan"].code, docs["cusco"].code} <= cusco
    assert docs["matrix"].code not in cusco and docs["procedure"].code not in cusco
    puno = set(codes(client_as(ut_puno).get(LIST)))
    assert docs["plan"].code in puno and docs["cusco"].code not in puno


def test_a_person_without_roles_gets_404(client_as, no_role_user):
    assert client_as(no_role_user).get(LIST).status_code == 404


@pytest.mark.parametrize(
    "key, params",
    [
        ("plan", lambda: {"document_type": Document.objects.get(title="Plan de desarrollo del SIG").document_type_id}),
        ("matrix", lambda: {"owner_unit": unit("UTI").pk}),
        ("plan", lambda: {"process": Process.objects.get(code="E02").pk}),
        ("plan", lambda: {"system": ManagementSystem.objects.get(code="SGC").pk}),
        ("matrix", lambda: {"classification": "confidential"}),
        ("procedure", lambda: {"q": "muestreo"}),
    ],
)
def test_each_filter_narrows_the_list(client_as, cmg, docs, key, params):
    listed = codes(client_as(cmg).get(LIST, params()))
    assert docs[key].code in listed
    assert [d.code for d in docs.values() if d.code not in listed]


def test_the_status_filter_finds_drafts_and_documents_in_force(client_as, cmg, docs):
    drafts = set(codes(client_as(cmg).get(LIST, {"status": "draft"})))
    assert {docs["procedure"].code, docs["cusco"].code} <= drafts and docs["plan"].code not in drafts
    current = set(codes(client_as(cmg).get(LIST, {"status": "current"})))
    assert {docs["plan"].code, docs["matrix"].code} <= current and docs["procedure"].code not in current


def test_filters_combine(client_as, cmg, docs):
    listed = codes(client_as(cmg).get(LIST, {"status": "current", "classification": "public"}))
    assert docs["plan"].code in listed and docs["matrix"].code not in listed


def test_an_invalid_filter_answers_400(client_as, cmg, docs):
    response = client_as(cmg).get(LIST, {"status": "nonsense"})
    assert response.status_code == 400 and codes(response) == []


def test_the_row_shows_the_version_in_force_with_its_date_and_status(client_as, cmg, docs):
    row = find(client_as(cmg).get(LIST).content, "tr", data_code=docs["plan"].code)
    assert find(row, "span", data_status="current") is not None
    assert "01 · 01/03/2024" in " ".join(str(c) for c in row.children)


def test_overdue_and_due_reviews_are_highlighted(client_as, cmg, docs):
    today = timezone.localdate()
    Document.objects.filter(pk=docs["plan"].pk).update(next_review_on=today - datetime.timedelta(days=1))
    Document.objects.filter(pk=docs["matrix"].pk).update(next_review_on=today + datetime.timedelta(days=10))
    content = client_as(cmg).get(LIST).content
    assert find(find(content, "tr", data_code=docs["plan"].code), "span", data_review="overdue")
    assert find(find(content, "tr", data_code=docs["matrix"].code), "span", data_review="due")
    due = codes(client_as(cmg).get(LIST, {"review": "due"}))
    assert set(due) == {docs["plan"].code, docs["matrix"].code} | {
        d.code
        for d in Document.objects.filter(
            next_review_on__lte=today + datetime.timedelta(days=30), current_version__isnull=False
        )
    }


def test_an_htmx_request_gets_only_the_rows(client_as, cmg, docs):
    response = client_as(cmg).get(LIST, {"q": "muestreo"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<h1" not in response.content and b"<form" not in response.content
    assert codes(response) == [docs["procedure"].code]
    assert "HX-Request" in response["Vary"]
    full = client_as(cmg).get(LIST, {"q": "muestreo"})
    assert b"<h1" in full.content


def test_the_list_is_paginated_by_50(client_as, cmg):
    for n in range(52):
        draft(cmg, f"Registro de prueba {n:02d}", type_code="R", unit_code="UPPM-CSE")
    client = client_as(cmg)
    first = codes(client.get(LIST, {"owner_unit": unit("UPPM-CSE").pk}))
    second = codes(client.get(LIST, {"owner_unit": unit("UPPM-CSE").pk, "page": "2"}))
    assert len(first) == 50 and len(second) == 2 and not set(first) & set(second)


def test_the_query_count_is_pinned_and_does_not_grow_with_the_rows(client_as, cmg, django_assert_num_queries):
    client = client_as(cmg)
    client.get(LIST)  # warm the session and the content-type cache
    for n in range(2):
        draft(cmg, f"Guía {n}", type_code="G")
    with django_assert_num_queries(QUERIES):
        client.get(LIST)
    for n in range(20):
        draft(cmg, f"Guía adicional {n}", type_code="G")
    with django_assert_num_queries(QUERIES):
        client.get(LIST)
    with django_assert_num_queries(HTMX_QUERIES):
        client.get(LIST, {"q": "Guía"}, HTTP_HX_REQUEST="true")


# session, user, role scope, drafting rules (register button), count, page; the full page adds
# the filter's four choice lists (type, unit, process, system). A text search adds the capped
# count of its matches in the index (documents.selectors.search: rank or walk in code order);
# PostgreSQL reads the planner's estimate of the matches first (one EXPLAIN, no rows read).
QUERIES = 10
HTMX_QUERIES = 8 if connection.vendor == "postgresql" else 7


def test_the_xlsx_export_follows_the_filters_and_the_scope(client_as, cmg, ut_cusco, docs):
    response = client_as(cmg).get("/documentos/exportar/xlsx/", {"status": "current"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    exported = xlsx_codes(response)
    assert {docs["plan"].code, docs["matrix"].code} <= set(exported) and docs["procedure"].code not in exported
    cusco = xlsx_codes(client_as(ut_cusco).get("/documentos/exportar/xlsx/"))
    assert docs["cusco"].code in cusco and docs["matrix"].code not in cusco and docs["procedure"].code not in cusco
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("-id").first()
    assert event.changes["format"] == "xlsx"


@pytest.mark.pdf
def test_the_pdf_export_is_a_landscape_table_with_the_filtered_documents(client_as, cmg, docs):
    response = client_as(cmg).get("/documentos/exportar/pdf/", {"classification": "confidential"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Lista maestra de documentos".upper() in text.upper()
    assert docs["matrix"].code in text and docs["plan"].code not in text
    assert "1 de 1" in text


def test_an_unknown_export_format_is_404(client_as, cmg):
    assert client_as(cmg).get("/documentos/exportar/csv/").status_code == 404
