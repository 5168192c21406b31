"""core.exports: the one way the product writes spreadsheets and CSV (the exports themselves are
tested in tests/security/test_exports.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from core.exports import csv_lines, csv_value, is_formula_like, sheet_value, xlsx_bytes

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "  =1", "＝1"])
def test_formula_prefixes_are_recognised(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("text", ["1-1", "Acta 01", "", "e=mc2", "correo@juntos.gob.pe"])
def test_ordinary_text_is_not_a_formula(text):
    assert not is_formula_like(text)


def test_csv_fields_with_a_formula_prefix_get_an_apostrophe():
    assert csv_value("=1+1") == "'=1+1"
    assert csv_value("Acta 01") == "Acta 01"
    assert csv_value(-5) == -5  # a number is not text
    assert list(csv_lines(["a"], [["@x"]])) == ["a\r\n", "'@x\r\n"]


def test_unholdable_characters_are_dropped_and_long_text_is_capped():
    assert sheet_value("A\x00B\x1fC\ufffe") == "ABC"
    assert sheet_value("línea\ncon\ttab") == "línea\ncon\ttab"
    assert len(sheet_value("x" * 40_000)) == 32_767


def test_a_sheet_keeps_formula_like_text_as_text():
    content = xlsx_bytes("Hoja", ["=cabecera"], [["=1+1", "#N/A", 3, None]])
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.value for c in cells if c.value is not None] == ["=cabecera", "=1+1", "#N/A", 3]
    assert {c.data_type for c in cells if isinstance(c.value, str)} == {"s"}


def _sources() -> list[Path]:
    skip = {".venv", "tests", "migrations", "data", "e2e"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)]


def test_no_module_writes_spreadsheet_cells_or_csv_rows_itself():
    """Spreadsheet cells and CSV rows are written only through core.exports (put, xlsx_bytes,
    csv_lines), so that none escapes the neutralisation."""
    direct = [
        re.compile(r"\.cell\([^)]*\bvalue\s*="),  # ws.cell(row, column, value=...)
        re.compile(r"\bws\[[^\]]+\]\s*=[^=]"),  # ws["A1"] = ...
        re.compile(r"\bws\.append\("),
        re.compile(r"^import csv|^from csv import", re.M),
        re.compile(r"from openpyxl(\.cell)? import [^\n]*\b(Workbook|Cell|WriteOnlyCell)\b"),
    ]
    offenders = [
        f"{path.relative_to(ROOT)}: {pattern.pattern}"
        for path in _sources()
        if path.relative_to(ROOT).as_posix() != "core/exports.py"
        for pattern in direct
        if pattern.search(path.read_text())
    ]
    assert offenders == []
