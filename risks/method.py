"""The risk method as data, and its file format ("sig-risk-method/1").

A method file is a JSON object (risks/data/*.json ship two of them)::

    {
      "format": "sig-risk-method/1",
      "code": "CGR-5X5",                       # letters, digits, - and _; the versions share it
      "name": "Método CGR 5×5",
      "description": "…",
      "effective_from": "2024-01-01",          # YYYY-MM-DD
      "probability": [                         # 2 to 10 steps, values strictly ascending ≥ 1
        {"value": 1, "label": "Raro", "description": "…"}, …],
      "impact": [ … same shape, 2 to 10 steps … ],
      "levels": [                              # score = probability value × impact value;
        {"code": "low", "label": "Bajo", "min": 1, "max": 4,      # the bands, in ascending order,
         "colour": "#2e7d32", "action": "…"}, …],                 # cover every score without gaps
      "appetite": 4,                           # highest score accepted without treatment
      "tolerance": 12,                         # highest residual score its owner may accept
      "acceptance": "…"                        # criteria of acceptance, in words
    }

`MethodDefinition.from_dict` checks all of it and raises MethodError naming the key of the
first problem ("probability[2].value", "levels", …)."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "sig-risk-method/1"
DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED = {"default-5x5": DATA_DIR / "default-5x5.json", "cgr-5x5": DATA_DIR / "cgr-5x5.json"}
MAX_STEPS = 10
MAX_VALUE = 1000
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class MethodError(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Step:
    value: int
    label: str
    description: str


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    min: int
    max: int
    colour: str
    action: str


@dataclass(frozen=True)
class MethodDefinition:
    code: str
    name: str
    description: str
    effective_from: datetime.date
    probability: tuple[Step, ...]
    impact: tuple[Step, ...]
    levels: tuple[Level, ...]
    appetite: int
    tolerance: int
    acceptance: str

    # --- reading -------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: Any) -> MethodDefinition:
        if not isinstance(data, dict):
            raise MethodError("format", _("A method is a JSON object."))
        if data.get("format") != FORMAT:
            raise MethodError("format", _("The format must be %(f)s.") % {"f": FORMAT})
        code = _text(data, "code", 40)
        if not _CODE.match(code):
            raise MethodError("code", _("Use letters, digits, - and _ only (at most 40)."))
        try:
            effective = datetime.date.fromisoformat(_text(data, "effective_from", 10))
        except ValueError:
            raise MethodError("effective_from", _("Enter a date as YYYY-MM-DD.")) from None
        if not datetime.date(1900, 1, 1) <= effective <= datetime.date(2100, 12, 31):
            raise MethodError("effective_from", _("Enter a date between 1900 and 2100."))
        probability = _scale(data, "probability")
        impact = _scale(data, "impact")
        lowest = probability[0].value * impact[0].value
        highest = probability[-1].value * impact[-1].value
        levels = _levels(data, lowest, highest)
        appetite = _int(data, "appetite", lowest, highest)
        tolerance = _int(data, "tolerance", appetite, highest)
        return cls(
            code=code,
            name=_text(data, "name", 200),
            description=_text(data, "description", 4000, required=False),
            effective_from=effective,
            probability=probability,
            impact=impact,
            levels=levels,
            appetite=appetite,
            tolerance=tolerance,
            acceptance=_text(data, "acceptance", 4000, required=False),
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> MethodDefinition:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise MethodError("format", _("The file is not valid JSON.")) from None
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "effective_from": self.effective_from.isoformat(),
            "probability": [s.__dict__ for s in self.probability],
            "impact": [s.__dict__ for s in self.impact],
            "levels": [lv.__dict__ for lv in self.levels],
            "appetite": self.appetite,
            "tolerance": self.tolerance,
            "acceptance": self.acceptance,
        }

    # --- using ---------------------------------------------------------------------------

    @property
    def size(self) -> str:
        return f"{len(self.probability)}×{len(self.impact)}"

    def probability_values(self) -> list[int]:
        return [s.value for s in self.probability]

    def impact_values(self) -> list[int]:
        return [s.value for s in self.impact]

    def level_for(self, score: int) -> Level:
        for level in self.levels:
            if level.min <= score <= level.max:
                return level
        return self.levels[-1]

    def level_by_code(self, code: str) -> dict[str, Any] | None:
        for level in self.levels:
            if level.code == code:
                return level.__dict__
        return None

    def step_label(self, axis: str, value: int | None) -> str:
        for step in self.probability if axis == "probability" else self.impact:
            if step.value == value:
                return step.label
        return "—"


def load_shipped(key: str) -> MethodDefinition:
    return MethodDefinition.from_json(SHIPPED[key].read_bytes())


# --- checks ------------------------------------------------------------------------------


def _text(data: dict[str, Any], key: str, max_length: int, required: bool = True) -> str:
    """Text checked like every text input of the product (core.text): normalised, and refused
    with control, invisible or direction-changing characters."""
    from django.core.exceptions import ValidationError

    from core import text as textrules

    value = data.get(key, "")
    if not isinstance(value, str):
        raise MethodError(key, _("Enter text."))
    kind = textrules.Kind.TEXT if max_length > 60 else textrules.Kind.LINE
    try:
        value = textrules.clean(value, kind).strip()
    except ValidationError as exc:
        raise MethodError(key, str(exc.messages[0])) from None
    if required and not value:
        raise MethodError(key, _("This field is required."))
    if len(value) > max_length:
        raise MethodError(key, _("At most %(n)d characters.") % {"n": max_length})
    return value


def _int(data: dict[str, Any], key: str, low: int, high: int) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MethodError(key, _("Enter a whole number."))
    if not low <= value <= high:
        raise MethodError(key, _("Enter a number between %(low)d and %(high)d.") % {"low": low, "high": high})
    return value


def _scale(data: dict[str, Any], key: str) -> tuple[Step, ...]:
    steps = data.get(key)
    if not isinstance(steps, list) or not 2 <= len(steps) <= MAX_STEPS:
        raise MethodError(key, _("Give between 2 and %(n)d steps.") % {"n": MAX_STEPS})
    out: list[Step] = []
    for i, step in enumerate(steps):
        where = f"{key}[{i}]"
        if not isinstance(step, dict):
            raise MethodError(where, _("Each step is an object with value, label and description."))
        try:
            value = _int(step, "value", 1, MAX_VALUE)
        except MethodError as exc:
            raise MethodError(f"{where}.value", exc.message) from None
        if out and value <= out[-1].value:
            raise MethodError(f"{where}.value", _("Values must be strictly ascending."))
        try:
            label = _text(step, "label", 60)
            description = _text(step, "description", 500, required=False)
        except MethodError as exc:
            raise MethodError(f"{where}.{exc.key}", exc.message) from None
        out.append(Step(value, label, description))
    return tuple(out)


def _levels(data: dict[str, Any], lowest: int, highest: int) -> tuple[Level, ...]:
    levels = data.get("levels")
    if not isinstance(levels, list) or not 1 <= len(levels) <= MAX_STEPS:
        raise MethodError("levels", _("Give between 1 and %(n)d levels.") % {"n": MAX_STEPS})
    out: list[Level] = []
    expected = lowest
    for i, level in enumerate(levels):
        where = f"levels[{i}]"
        if not isinstance(level, dict):
            raise MethodError(where, _("Each level is an object."))
        try:
            code = _text(level, "code", 30)
            label = _text(level, "label", 60)
            colour = _text(level, "colour", 7)
            action = _text(level, "action", 500, required=False)
            low = _int(level, "min", 0, highest)
            high = _int(level, "max", low, highest)
        except MethodError as exc:
            raise MethodError(f"{where}.{exc.key}", exc.message) from None
        if not _CODE.match(code) or code in {lv.code for lv in out}:
            raise MethodError(f"{where}.code", _("Codes are unique: letters, digits, - and _."))
        if not _COLOUR.match(colour):
            raise MethodError(f"{where}.colour", _("Write the colour as #rrggbb."))
        if low > expected or (i == 0 and low > lowest) or (i > 0 and low != expected):
            raise MethodError(f"{where}.min", _("The levels must cover every score without gaps or overlaps."))
        out.append(Level(code, label, low, high, colour.lower(), action))
        expected = high + 1
    if expected <= highest:
        raise MethodError("levels", _("The last level must reach the highest score (%(n)d).") % {"n": highest})
    return tuple(out)
