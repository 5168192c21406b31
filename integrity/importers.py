"""Import of today's partner matrix from XLSX (core.importer): columns matched by title, errors
by row and column, all or nothing, through the same service as the pages. A matrix exported by
sig (integrity.reports.PartnerMatrix) reads back: its extra columns are ignored."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import importer
from core.importer import CellError, Column, Importer, Row
from integrity import services
from integrity.models import BusinessPartner, RiskLevel
from integrity.validators import dni_problem, ruc_problem


def _fold(value: Any) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode().strip().casefold()
    return " ".join(text.split())


def _choice(choices: list[tuple[str, Any]], extra: dict[str, str] | None = None) -> Callable[[Any], str]:
    from django.utils import translation

    table: dict[str, str] = {_fold(k): k for k, _label in choices}
    for lang in ("es", "en"):
        with translation.override(lang):
            table.update({_fold(str(label)): k for k, label in choices})
    table.update(extra or {})

    def parse(value: Any) -> str:
        key = table.get(_fold(value))
        if key is None:
            raise CellError(_("Not one of: %(options)s.") % {"options": ", ".join(str(label) for _k, label in choices)})
        return key

    return parse


def _yes_no(value: Any) -> bool:
    folded = _fold(value)
    if folded in {"si", "s", "yes", "y", "x", "1", "true"}:
        return True
    if folded in {"no", "n", "0", "false", ""}:
        return False
    raise CellError(_("Write Sí or No."))


def _number(value: Any) -> str:
    text = str(value).strip().replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isascii() or not text.isdigit():
        raise CellError(_("Digits only."))
    return text


class PartnerImporter(Importer[BusinessPartner]):
    sheet_title = "Socios de negocio"
    ignore_unknown_columns = True
    columns = (
        Column(
            "doc_type",
            "Documento",
            gettext_lazy("RUC or DNI."),
            parse=_choice([("ruc", "RUC"), ("dni", "DNI")]),
            width=10,
        ),
        Column("doc_number", "Número", gettext_lazy("11 digits for a RUC, 8 for a DNI."), parse=_number, as_text=True),
        Column(
            "name", "Socio de negocio", gettext_lazy("Name or business name."), parse=importer.max_length(300), width=40
        ),
        Column("kind", "Tipo", gettext_lazy("Type of partner."), parse=_choice(list(BusinessPartner.Kind.choices))),
        Column(
            "risk_level",
            "Riesgo de soborno",
            gettext_lazy("Bajo, Medio or Alto."),
            parse=_choice(list(RiskLevel.choices)),
        ),
        Column("anti_bribery_clause", "Cláusula antisoborno", gettext_lazy("Sí or No."), required=False, parse=_yes_no),
        Column(
            "commitment_signed_on",
            "Compromiso firmado",
            gettext_lazy("Date (dd/mm/yyyy)."),
            required=False,
            parse=importer.date,
            as_text=True,
        ),
        Column("due_diligence_required", "Requiere DD", gettext_lazy("Sí or No."), required=False, parse=_yes_no),
        Column("monitoring", "Seguimiento", gettext_lazy("Sí or No."), required=False, parse=_yes_no),
    )

    def check_row(self, row: Row, error: Callable[[str, str], None]) -> None:
        number = row.values.get("doc_number") or ""
        problem = ruc_problem(number) if row.values.get("doc_type") == "ruc" else dni_problem(number)
        if problem:
            error("doc_number", problem)

    def check_rows(self, rows: list[Row], error: Callable[[Row, str, str], None]) -> None:
        seen: set[str] = set()
        for row in rows:
            number = row.values["doc_number"]
            if number in seen:
                error(row, "doc_number", _("The number appears twice in the file."))
            seen.add(number)

    def apply_row(self, row: Row, by: Any) -> BusinessPartner:
        data = {k: v for k, v in row.values.items() if v is not None}
        return services.create_partner(data=data, by=by)
