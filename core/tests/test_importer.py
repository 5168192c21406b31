"""The shared spreadsheet importer: headers found by their titles (also below title rows and in
another order), each cell converted by its column, every error reported by row and column,
the rows applied through the area's service, all or nothing, and a template to fill in."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from core import calendar, importer
from core.models import NonWorkingDay

pytestmark = pytest.mark.django_db


class DaysImporter(importer.Importer[NonWorkingDay]):
    """Non-working days from a spreadsheet, through core.calendar's service."""

    columns = [
        importer.Column("date", "Fecha", "dd/mm/aaaa", parse=importer.date, as_text=True),
        importer.Column("description", "Descripción", "Texto", parse=importer.max_length(200)),
        importer.Column("basis", "Base legal", "Opcional", required=False),
    ]

    def check_row(self, row: importer.Row, error: Any) -> None:
        if row.values["date"].year < 2000:
            error("date", "Antes de 2000.")

    def check_rows(self, rows: list[importer.Row], error: Any) -> None:
        seen: set[datetime.date] = set()
        for row in rows:
            if row.values["date"] in seen:
                error(row, "date", "Repetida.")
            seen.add(row.values["date"])

    def apply_row(self, row: importer.Row, by: Any) -> NonWorkingDay:
        data = {"date": row.values["date"], "kind": "decreed", "description": row.values["description"]}
        return calendar.add_non_working_day(data={**data, "legal_basis": row.values["basis"] or ""}, by=by)


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_header_is_found_by_its_titles_below_title_rows_and_in_any_order(cmg):
    data = xlsx(
        [["Días no laborables 2026"], [], ["Base legal", "Descripción", "Fecha"], ["D.S. 1", "Día A", "27/07/2026"]]
    )
    created, errors = DaysImporter().run(data, by=cmg)
    assert errors == [] and [d.date for d in created] == [datetime.date(2026, 7, 27)]
    assert created[0].legal_basis == "D.S. 1"


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_stored(cmg):
    data = xlsx(
        [
            ["Fecha", "Descripción", "Base legal"],
            ["31/02/2026", "Fecha imposible", ""],
            ["01/01/1999", "Muy antigua", ""],
            ["27/07/2026", "", ""],
            ["03/08/2026", "Buena", ""],
            ["03/08/2026", "Repetida", ""],
        ]
    )
    created, errors = DaysImporter().run(data, by=cmg)
    assert created == []
    assert [(e.row, e.column) for e in errors] == [
        (2, "A (Fecha)"),
        (3, "A (Fecha)"),
        (4, "B (Descripción)"),
    ]
    assert not NonWorkingDay.objects.exists()


def test_a_refusal_of_the_service_rolls_back_every_row(cmg):
    # 28/07 is a national holiday: the service refuses it, naming the field "date".
    data = xlsx([["Fecha", "Descripción", "Base legal"], ["27/07/2026", "Bueno", ""], ["28/07/2026", "Feriado", ""]])
    created, errors = DaysImporter().run(data, by=cmg)
    assert created == [] and [(e.row, e.column) for e in errors] == [(3, "A (Fecha)")]
    assert not NonWorkingDay.objects.exists()


def test_a_file_without_the_titles_or_that_is_not_a_spreadsheet_is_one_error(cmg):
    _created, errors = DaysImporter().run(xlsx([["Día", "Texto"], ["27/07/2026", "x"]]), by=cmg)
    assert len(errors) == 1 and errors[0].row == 1
    _created, errors = DaysImporter().run(b"PK\x03\x04 not really a zip", by=cmg)
    assert len(errors) == 1 and errors[0].row is None


def test_the_template_has_the_header_and_an_instructions_sheet():
    wb = load_workbook(io.BytesIO(DaysImporter().template_xlsx()))
    assert [c.value for c in wb.worksheets[0][1]] == ["Fecha", "Descripción", "Base legal"]
    assert [r[0].value for r in wb["Instrucciones"].iter_rows(min_row=2)] == ["Fecha", "Descripción", "Base legal"]
