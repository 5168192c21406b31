"""Every spreadsheet and CSV file the product writes goes through this module.

Two dangers: text that *looks like a formula* (=, +, -, @, or led by a tab or carriage return)
becomes a live formula when a spreadsheet opens the file (CSV injection), and characters that an
XLSX file cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF) make the export fail
for everyone once such a value is stored (the audit trail is append-only). So:

- `sheet_value()` strips what XLSX cannot hold and caps text at a cell's 32,767 characters;
- `put()` writes a value into an openpyxl cell, always as *text* when it is a string, so that no
  string becomes a formula or an error value, while the text itself is kept as written;
- `csv_value()` does the same for CSV, where there are no types: text led by a formula prefix gets
  a leading apostrophe (OWASP's advice), which spreadsheets show as text;
- `xlsx_bytes` / `xlsx_response` / `csv_response` build whole files from a header and rows.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import re
from collections.abc import Iterable, Iterator, Sequence
from io import BytesIO
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL = 32_767
# C0 controls except tab, newline and carriage return; lone surrogates; the two noncharacters
# XML 1.0 excludes.
_UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def sheet_value(value: Any) -> Any:
    """`value` as a spreadsheet can hold it: text without unholdable characters, at most 32,767
    characters; numbers, dates and None unchanged; anything else as its text."""
    if value is None or isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    text = value if isinstance(value, str) else str(value)
    return _UNHOLDABLE.sub("", text)[:MAX_CELL]


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula? (also after leading spaces)"""
    return text.startswith(FORMULA_PREFIXES) or text.lstrip(" ").startswith(FORMULA_PREFIXES[:4])


def put(cell: Any, value: Any) -> Any:
    """Write `value` into an openpyxl cell (normal or write-only) safely; returns the cell."""
    value = sheet_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula ("=…") nor an error value ("#N/A")
    return cell


def csv_value(value: Any) -> Any:
    """A CSV field: text stripped like a sheet's, with an apostrophe before a formula prefix."""
    value = sheet_value(value)
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


# --- whole files ---------------------------------------------------------------------------------


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: a bold header and the rows (openpyxl's write-only mode, for large sets)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = put(WriteOnlyCell(ws), name)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append([put(WriteOnlyCell(ws), value) for value in row])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def new_workbook() -> Workbook:
    """A workbook for a formatted export; write its cells with put() and save it with
    workbook_bytes()."""
    return Workbook()


def workbook_bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    return download(xlsx_bytes(sheet_title, header, rows), XLSX_TYPE, filename)


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_value(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8)."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]], Sequence[int]]]) -> bytes:
    """A workbook of several sheets (title, header, rows, column widths), write-only, every
    cell written safely with put()."""
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows, widths in sheets:
        ws = wb.create_sheet(title=title[:31])
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        cells = []
        for name in header:
            cell = put(WriteOnlyCell(ws), name)
            cell.font = bold
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            ws.append([put(WriteOnlyCell(ws), value) for value in row])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
