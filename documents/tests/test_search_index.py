"""The SQLite search index (documents/fts.py): the master list's search answers from an FTS5
trigram index kept in step by triggers, with exactly the rows and order of the LIKE search it
replaces."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from documents import fts, services
from documents.access import documents_visible_to
from documents.models import Document
from documents.selectors import filter_documents, search
from documents.tests.page_support import doc_type, draft, load_types, unit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's"),
]

TEXTS = [
    ("Procedimiento de afiliación de hogares", "Los hogares usuarios reciben la visita."),
    ("Instructivo de friaje", "Atención ante heladas y FRIAJE en la sierra."),
    ("Guía del ÁREA de archivo", "El área de archivo custodia el 100% de los expedientes."),
    ("Manual de procesos", 'Dice "comillas" y usa guion_bajo y porcentaje 50%.'),
    ("Formato de registro", "Registro de hogares\nabonados en el padrón."),
    ("Plan de trabajo", "Sin palabras comunes."),
]
QUERIES = [
    "hogares",
    "HOGARES",
    "Hogar",
    "friaje",
    "área",
    "ÁREA",
    "Área",
    "rea",
    "de",
    "a",
    "100%",
    "50%",
    "_b",
    "guion_bajo",
    '"comillas"',
    'dice "comillas',
    "hogares abonados",
    "hogares usuarios",
    "padrón",
    "PL-",
    "tst-p",
    "inexistente",
    "ar*",
    "NEAR(a b)",
]


@pytest.fixture
def documents(cmg):
    load_types()
    owner = unit("UPPM-CMG")
    made = []
    for i, (title, body) in enumerate(TEXTS):
        made.append(
            Document.objects.create(
                code=f"TST-{'PL' if i % 2 else 'P'}-{i:03d}",
                title=title,
                document_type=doc_type("P"),
                owner_unit=owner,
                site=owner.site,
                created_by=cmg,
                search_text=f"{title}\n{body}",
            )
        )
    return made


def like(qs, text):
    text = " ".join(text.split())
    return qs.filter(Q(code__icontains=text) | Q(title__icontains=text) | Q(search_text__icontains=text))


@pytest.mark.parametrize("q", QUERIES)
def test_the_index_finds_exactly_what_the_like_search_found_in_the_same_order(documents, cmg, q):
    visible = documents_visible_to(cmg)
    expected = [d.code for d in like(visible, q)]
    assert [d.code for d in search(visible, q)] == expected
    assert [d.code for d in filter_documents(visible, {"q": q, "status": "draft"})] == [
        d.code for d in like(visible.filter(status="draft"), q)
    ]


def test_a_search_of_three_characters_or_more_reads_the_index(documents, cmg):
    with CaptureQueriesContext(connection) as ctx:
        list(search(documents_visible_to(cmg), "hogares"))
    assert fts.TABLE in ctx.captured_queries[-1]["sql"]
    assert "LIKE" not in ctx.captured_queries[-1]["sql"]


def test_the_index_follows_every_change_of_a_document(cmg, uppm, direccion):
    load_types()
    document = draft(cmg, "Procedimiento de conciliación", content="Texto con zanahoria.")
    visible = documents_visible_to(cmg)
    assert [d.pk for d in search(visible, "zanahoria")] == [document.pk]
    services.update_document(document, data={"title": "Procedimiento de tesorería"}, by=cmg)
    assert [d.pk for d in search(visible, "tesorería")] == [document.pk]
    assert list(search(visible, "conciliación")) == []
    Document.objects.filter(pk=document.pk).update(search_text="remolacha")
    assert list(search(visible, "zanahoria")) == []
    assert [d.pk for d in search(visible, "REMOLACHA")] == [document.pk]


def test_a_table_rebuild_that_dropped_the_triggers_is_repaired_after_migrate(documents, cmg):
    with connection.cursor() as cursor:
        for name in fts.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    Document.objects.filter(pk=documents[-1].pk).update(search_text="berenjena")
    assert fts.ensure() is True  # what post_migrate runs
    assert fts.ensure() is False
    assert [d.pk for d in search(documents_visible_to(cmg), "berenjena")] == [documents[-1].pk]


def test_bulk_loads_suspend_the_index_and_rebuild_it_once(documents, cmg):
    owner = unit("UPPM-CMG")
    with fts.suspended():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{fts.TABLE}%"]
            )
            assert cursor.fetchone()[0] == 0
        new = Document.objects.create(
            code="PNADP-UPPM-CMG-P-900",
            title="Cargado en bloque",
            document_type=doc_type("P"),
            owner_unit=owner,
            site=owner.site,
            created_by=cmg,
            search_text="alcachofa",
        )
    assert [d.pk for d in search(documents_visible_to(cmg), "alcachofa")] == [new.pk]
    Document.objects.filter(pk=new.pk).update(search_text="pepino")  # triggers are back
    assert [d.pk for d in search(documents_visible_to(cmg), "pepino")] == [new.pk]


def test_the_rebuild_command_repairs_a_stale_index(documents, cmg, capsys):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fts.TABLE}_data")  # corrupt nothing but the index content
        cursor.execute(f"INSERT INTO {fts.TABLE}({fts.TABLE}) VALUES ('rebuild')")
    call_command("rebuild_search_index")
    assert "rebuilt" in capsys.readouterr().out
    assert [d.code for d in search(documents_visible_to(cmg), "hogares")] == [
        d.code for d in like(documents_visible_to(cmg), "hogares")
    ]


@pytest.mark.parametrize("q", ["hogares", "HOGARES", "área", "de", "friaje"])
def test_a_text_in_more_documents_than_the_cap_gives_the_same_rows_without_the_index(documents, cmg, q, monkeypatch):
    from documents import selectors

    visible = documents_visible_to(cmg)
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    frequent = fts.frequent(" ".join(q.split()), 1) if len(q) >= fts.MIN_CHARS else False
    with CaptureQueriesContext(connection) as ctx:
        rows = [d.code for d in search(visible, q)]
    assert rows == [d.code for d in like(visible, q)]
    if frequent:
        assert fts.TABLE not in ctx.captured_queries[-1]["sql"]


def test_the_master_list_counts_a_frequent_text_up_to_the_cap(client_as, documents, cmg, monkeypatch):
    from core import pagination
    from documents.tests.page_support import LIST, find_all, text_of

    monkeypatch.setattr(pagination.CappedPaginator, "cap", 1)
    response = client_as(cmg).get(LIST, {"q": "hogares"})
    counts = [
        text_of(e)
        for e in find_all(response.content, "span")
        if dict(e.attributes).get("data-testid") == "result-count"
    ]
    assert counts and "1" in counts[0] and "2" not in counts[0]
    codes = [
        dict(r.attributes)["data-code"] for r in find_all(response.content, "tr") if "data-code" in dict(r.attributes)
    ]
    assert codes == [d.code for d in like(documents_visible_to(cmg), "hogares")]
