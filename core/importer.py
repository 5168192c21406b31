"""One spreadsheet importer for every area (cronogramas, risk matrices, partner matrices…).

Files are read safely: a decompression bomb is refused before anything is inflated
(core.files.open_zip), every text cell is normalised and checked like every text input of the
product (core.text: no control, invisible or direction-changing characters; codes stricter),
numbers stay within 64 bits and dates within core.limits.

An importer is a column spec plus three steps:

1. **Read** (`parse`): the first sheet of an XLSX, read in streaming mode; the header row is
   found among the first rows by its column titles (so a file sig exported, with its title
   rows above the header, reads back), and columns are matched by title, not position. Each
   cell is converted by its column's parser; a bad value is an error naming the row and the
   column ("Fila 7, columna E (Inicio programado): …").
2. **Check** (`check_row`, `check_rows`): what the area needs across fields and rows
   (duplicated codes, end before start, references to existing records).
3. **Apply** (`apply_row`, `finish`): through the area's own services, the same rules as its
   pages. Everything runs in one transaction: if any row is refused, nothing is stored and
   every refusal is reported with its row (a service's `field` names the column).

`template_xlsx()` gives the empty file to fill in, with an instructions sheet.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core import text as textrules
from core.exports import new_workbook, put, workbook_bytes
from core.files import open_zip
from core.limits import date_problem
from core.services import ServiceError

T = TypeVar("T")
Text = str | Promise
HEADER_SEARCH_ROWS = 10
DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class CellError(ValueError):
    """Raised by a column parser: the message says what is wrong with the cell."""


@dataclass(frozen=True)
class RowError:
    row: int | None  # the spreadsheet row; None for the file as a whole
    column: str  # "E (Inicio programado)"; empty when the error is about the whole row or file
    message: str


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the title in the file (Spanish, as in the template)
    help: Text = ""
    required: bool = True
    parse: Callable[[Any], Any] | None = None  # cell value → Python value; raises CellError
    width: int = 18
    as_text: bool = False  # the template formats the column as text (codes, dates)
    aliases: tuple[str, ...] = ()  # other titles read as this column (e.g. those of an export)


@dataclass
class Row:
    number: int  # the spreadsheet row
    values: dict[str, Any]
    obj: Any = None  # what check_row builds for apply_row
    extra: dict[str, Any] = field(default_factory=dict)


# --- cell parsers ----------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell's value as the text a person sees (numbers without ".0", dates dd/mm/aaaa)."""
    return _raw(value)


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _checked(value: Any, kind: textrules.Kind) -> str:
    raw = _raw(value)
    try:
        return textrules.clean(raw, kind) if raw else raw
    except ValidationError as exc:
        raise CellError(str(exc.messages[0])) from None


def text(value: Any) -> str:
    """Text as every text input of the product is checked (core.text)."""
    return _checked(value, textrules.Kind.TEXT)


def code(value: Any) -> str:
    """A code: stricter than text (nothing invisible), compared ignoring case by the services."""
    return _checked(value, textrules.Kind.CODE)


def date(value: Any) -> datetime.date:
    """A date cell, or text written as dd/mm/aaaa."""
    day: datetime.date | None = None
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        raw = _raw(value)
        match = DATE_RE.match(raw)
        if match:
            d, m, y = (int(g) for g in match.groups())
            try:
                day = datetime.date(y, m, d)
            except ValueError:
                day = None
        if day is None:
            raise CellError(_("“%(value)s” is not a date written as dd/mm/aaaa.") % {"value": raw[:40]})
    problem = date_problem(day)
    if problem:
        raise CellError(problem)
    return day


def integer(value: Any) -> int:
    raw = _raw(value)
    if not re.fullmatch(r"-?\d{1,9}", raw):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw[:40]})
    return int(raw)


def max_length(limit: int, kind: textrules.Kind = textrules.Kind.TEXT) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        raw = _checked(value, kind)
        if len(raw) > limit:
            raise CellError(_("The text has more than %(n)s characters.") % {"n": limit})
        return raw

    return parse


def split(separator: str) -> Callable[[Any], list[str]]:
    def parse(value: Any) -> list[str]:
        return list(dict.fromkeys(p.strip() for p in text(value).split(separator) if p.strip()))

    return parse


# --- the importer ----------------------------------------------------------------------------


class Importer(Generic[T]):
    columns: Sequence[Column] = ()
    sheet_title: str = "Datos"
    max_rows: int = 5000
    # Columns whose titles the spec does not know (e.g. the months of an exported cronograma)
    # are ignored when True, refused when False.
    ignore_unknown_columns: bool = False

    def __init__(self) -> None:
        self._positions: dict[str, int] = {}

    # --- what an area defines ------------------------------------------------------------------

    def check_row(self, row: Row, error: Callable[[str, str], None]) -> None:
        """Cross-field checks of one row; set `row.obj` to what apply_row needs. `error(key,
        message)` reports a problem in column `key` ("" for the row as a whole)."""

    def check_rows(self, rows: list[Row], error: Callable[[Row, str, str], None]) -> None:
        """Checks across rows (repeated codes…)."""

    def attach(self, values: dict[str, Any], previous: Row, error: Callable[[str, str], None]) -> bool:
        """True when this row's cells belong to the row before it (e.g. a product row under its
        activity in an exported cronograma): they are then read into `previous`, and `error(key,
        message)` reports a problem of this row."""
        return False

    def skip_row(self, values: dict[str, Any]) -> bool:
        """Rows the file may carry that are not data (e.g. product rows of an exported
        cronograma, read with their activity)."""
        return False

    def apply_row(self, row: Row, by: Any) -> Any:
        raise NotImplementedError  # pragma: no cover - every importer defines it

    def finish(self, rows: list[Row], by: Any) -> None:
        """Work after every row is applied (e.g. products shared by several activities)."""

    # --- the machinery -------------------------------------------------------------------------

    def column_name(self, key: str) -> str:
        from openpyxl.utils import get_column_letter

        for index, column in enumerate(self.columns):
            if column.key == key:
                return f"{get_column_letter(self._positions.get(key, index) + 1)} ({column.header})"
        return ""

    # openpyxl holds a workbook's shared strings in memory: an import accepts less than an upload.
    max_expanded: int = 50 * 1024 * 1024

    def _read(self, data: bytes) -> Iterable[tuple[Any, ...]]:
        from openpyxl import load_workbook

        open_zip(data, max_expanded=self.max_expanded).close()  # refuses a decompression bomb
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return wb.worksheets[0].iter_rows(values_only=True)

    def parse(self, data: bytes) -> tuple[list[Row], list[RowError]]:
        """Read and check the file; the rows are usable only when there is no error."""
        errors: list[RowError] = []
        try:
            raw = iter(self._read(data))
            header_number, header = self._find_header(raw)
        except ServiceError as exc:  # a decompression bomb, said plainly
            return [], [RowError(None, "", exc.message)]
        except Exception:  # noqa: BLE001 - any unreadable workbook is one file-level error
            return [], [RowError(None, "", _("The file cannot be read as a spreadsheet."))]
        if header is None:
            expected = " | ".join(c.header for c in self.columns)
            return [], [
                RowError(1, "", _("The header must have these columns: %(expected)s.") % {"expected": expected})
            ]
        positions, unknown = self._match(header)
        missing = [c.header for c in self.columns if c.key not in positions]
        if missing or (unknown and not self.ignore_unknown_columns):
            return [], [
                RowError(
                    header_number,
                    "",
                    _(
                        "The header must have these columns: %(expected)s. Missing: %(missing)s. Not expected: %(unknown)s."
                    )
                    % {
                        "expected": " | ".join(c.header for c in self.columns),
                        "missing": ", ".join(missing) or "—",
                        "unknown": ", ".join(unknown) or "—",
                    },
                )
            ]
        self._positions = positions
        rows: list[Row] = []
        for number, cells in enumerate(raw, start=header_number + 1):
            values = {c.key: cells[positions[c.key]] if positions[c.key] < len(cells) else None for c in self.columns}
            if all(_raw(v) == "" for v in values.values()) or self.skip_row(values):
                continue
            if rows:

                def attached_error(key: str, message: str, n: int = number) -> None:
                    errors.append(RowError(n, self.column_name(key), message))

                if self.attach(values, rows[-1], attached_error):
                    continue
            if len(rows) >= self.max_rows:
                return [], [RowError(None, "", _("The file has more than %(n)s rows.") % {"n": self.max_rows})]
            row = Row(number, {})
            before = len(errors)
            for column in self.columns:
                value = values[column.key]
                if _raw(value) == "":
                    if column.required:
                        errors.append(RowError(number, self.column_name(column.key), _("This column is required.")))
                    row.values[column.key] = None
                    continue
                try:
                    row.values[column.key] = (column.parse or text)(value)
                except CellError as exc:
                    errors.append(RowError(number, self.column_name(column.key), str(exc)))
            if len(errors) == before:

                def report(key: str, message: str, n: int = number) -> None:
                    errors.append(RowError(n, self.column_name(key), message))

                self.check_row(row, report)
            rows.append(row)
        if not rows:
            errors.append(RowError(None, "", _("The file has no rows under the header.")))
        if not errors:
            self.check_rows(rows, lambda r, key, msg: errors.append(RowError(r.number, self.column_name(key), msg)))
        return (rows if not errors else []), sorted(errors, key=lambda e: (e.row or 0, e.column))

    def _find_header(self, raw: Any) -> tuple[int, list[str] | None]:
        for number in range(1, HEADER_SEARCH_ROWS + 1):
            cells = next(raw, None)
            if cells is None:
                break
            titles = [_raw(v) for v in cells]
            present = {t.casefold() for t in titles if t}
            if all(any(h.casefold() in present for h in (c.header, *c.aliases)) for c in self.columns):
                return number, titles
        return 0, None

    def _match(self, header: list[str]) -> tuple[dict[str, int], list[str]]:
        by_title = {h.casefold(): c.key for c in self.columns for h in (c.header, *c.aliases)}
        positions: dict[str, int] = {}
        unknown: list[str] = []
        for index, title in enumerate(header):
            key = by_title.get(title.casefold())
            if key is not None and key not in positions:
                positions[key] = index
            elif title:
                unknown.append(title)
        return positions, unknown

    def run(self, data: bytes, *, by: Any) -> tuple[list[Any], list[RowError]]:
        """Parse, then apply every row through the services, all or nothing."""
        rows, errors = self.parse(data)
        if errors:
            return [], errors
        created: list[Any] = []
        with transaction.atomic():
            for row in rows:
                try:
                    created.append(self.apply_row(row, by))
                except ServiceError as exc:
                    errors.append(RowError(row.number, self.column_name(exc.field or ""), exc.message))
            if not errors:
                try:
                    self.finish(rows, by)
                except ServiceError as exc:
                    errors.append(RowError(None, "", exc.message))
            if errors:
                transaction.set_rollback(True)
                return [], errors
        return created, []

    def template_xlsx(self, language: str = "es") -> bytes:
        """The empty file to fill in: the header, text-formatted columns where Excel would
        mangle values (codes, dates), and a sheet explaining each column."""
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter

        wb = new_workbook()
        ws = wb.active
        assert ws is not None
        ws.title = self.sheet_title[:31]
        fill = PatternFill("solid", fgColor="DDE7F0")
        for col, column in enumerate(self.columns, start=1):
            cell = put(ws.cell(row=1, column=col), column.header)
            cell.font = Font(bold=True)
            cell.fill = fill
            ws.column_dimensions[get_column_letter(col)].width = column.width
            if column.as_text:
                for r in range(2, 502):
                    ws.cell(row=r, column=col).number_format = "@"
        ws.freeze_panes = "A2"
        help_sheet = wb.create_sheet("Instrucciones")
        with translation.override(language):
            lines = [("Columna", "Contenido"), *((c.header, str(c.help)) for c in self.columns)]
        for row, (name, content) in enumerate(lines, start=1):
            put(help_sheet.cell(row=row, column=1), name)
            put(help_sheet.cell(row=row, column=2), content)
        help_sheet.column_dimensions["A"].width = 22
        help_sheet.column_dimensions["B"].width = 100
        return workbook_bytes(wb)
