"""Peruvian identity numbers: RUC (11 digits, SUNAT's modulus-11 check digit) and DNI (8 digits)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
RUC_PREFIXES = ("10", "15", "16", "17", "20")


def ruc_check_digit(first_ten: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_ten, RUC_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: 0, 11: 1}.get(digit, digit)


def ruc_problem(value: str) -> str | None:
    if len(value) != 11 or not value.isascii() or not value.isdigit():
        return _("A RUC has 11 digits.")
    if not value.startswith(RUC_PREFIXES):
        return _("A RUC starts with 10, 15, 16, 17 or 20.")
    if ruc_check_digit(value[:10]) != int(value[10]):
        return _("The RUC's check digit is wrong: check the number.")
    return None


def dni_problem(value: str) -> str | None:
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        return _("A DNI has 8 digits.")
    return None


def validate_document(doc_type: str, number: str, field: str = "doc_number") -> None:
    problem = ruc_problem(number) if doc_type == "ruc" else dni_problem(number)
    if problem:
        raise ValidationError({field: problem})
