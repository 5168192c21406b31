"""core.text, core.forms and core.api_helpers: one normalisation for all text input, the same
limits in the forms and the API (the corpus goes through the doors in tests/security)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from annotated_types import MaxLen
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError

from core import text
from core.api_helpers import QueryIn, StrictIn
from core.forms import HardenedMixin
from tests.security.corpus import BIDI_CODES, CONTROL_STRINGS, LONE_SURROGATES, NOT_NFC, ZERO_WIDTH_CODES


@pytest.mark.parametrize("value", CONTROL_STRINGS + LONE_SURROGATES + ["A\ufffeB", "\U0007c9f7"])
@pytest.mark.parametrize("kind", list(text.Kind))
def test_control_and_invalid_characters_are_refused_everywhere(value, kind):
    with pytest.raises(ValidationError):
        text.clean(value, kind)


@pytest.mark.parametrize("value", BIDI_CODES)
@pytest.mark.parametrize("kind", list(text.Kind))
def test_bidi_overrides_are_refused_everywhere(value, kind):
    with pytest.raises(ValidationError):
        text.clean(value, kind)


@pytest.mark.parametrize("value", ZERO_WIDTH_CODES)
def test_zero_width_characters_are_refused_in_codes(value):
    with pytest.raises(ValidationError):
        text.clean(value, text.Kind.CODE)


def test_newlines_and_tabs_are_long_text_only():
    assert text.clean("uno\r\ndos\tTres", text.Kind.TEXT) == "uno\ndos\tTres"
    for kind in (text.Kind.LINE, text.Kind.CODE):
        with pytest.raises(ValidationError):
            text.clean("uno\ndos", kind)


def test_text_is_stored_in_nfc():
    assert text.clean(NOT_NFC, text.Kind.LINE) == "Sedé" and len(text.clean(NOT_NFC, text.Kind.LINE)) == 4


def test_ordinary_spanish_text_and_codes_pass():
    assert text.clean("Órgano de Control Institucional — año 2020 (¿sí?) ñ €", text.Kind.LINE)
    assert text.clean("PNADP-UPPM-CMG-PL-001", text.Kind.CODE) == "PNADP-UPPM-CMG-PL-001"


@pytest.mark.parametrize(
    ("name", "max_length", "multiline", "kind"),
    [
        ("code", 20, None, text.Kind.CODE),
        ("legacy_code", 100, None, text.Kind.CODE),
        ("title", 300, None, text.Kind.LINE),
        ("definition", 4000, None, text.Kind.TEXT),
        ("title", 1000, False, text.Kind.LINE),
        ("reason", 300, True, text.Kind.TEXT),
    ],
)
def test_the_kind_of_a_field(name, max_length, multiline, kind):
    assert text.kind_for(name, max_length=max_length, multiline=multiline) is kind


def _project_modules(suffix: str) -> list:
    out = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)) or ".venv" in config.path:
            continue
        for name in (f"{config.name}.{suffix}",):
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            out.append(module)
            if hasattr(module, "__path__"):
                out += [importlib.import_module(f"{name}.{m.name}") for m in pkgutil.iter_modules(module.__path__)]
    return out


def _classes(modules, base) -> list[type]:
    return [
        c
        for m in modules
        for c in vars(m).values()
        if inspect.isclass(c) and issubclass(c, base) and c.__module__ == m.__name__
    ]


def test_every_form_of_the_product_is_hardened():
    modules = _project_modules("forms") + _project_modules("views") + _project_modules("views_gantt")
    found = _classes(modules, forms.BaseForm)
    assert len(found) > 30
    assert [c.__qualname__ for c in found if not issubclass(c, HardenedMixin)] == []


def test_every_api_input_schema_is_checked():
    from ninja import Schema

    found = _classes(_project_modules("api"), Schema) + _classes(_project_modules("api"), StrictIn)
    inputs = [c for c in found if c.__name__.endswith(("In", "Patch", "Filter"))]
    assert len(inputs) > 30
    assert [c.__qualname__ for c in inputs if not issubclass(c, StrictIn | QueryIn)] == []


def test_forms_and_the_api_share_length_limits():
    """A field named alike in an area's forms and its API request bodies has one length limit."""
    mismatches = []
    for config in ("accounts", "organization", "catalog", "documents", "plans", "committee", "actions"):
        api_limits: dict[str, set[int]] = {}
        modules = [m for m in _project_modules("api") if m.__name__.startswith(config + ".")]
        for schema in _classes(modules, StrictIn):
            for name, field in schema.model_fields.items():
                lengths = [m.max_length for m in field.metadata if isinstance(m, MaxLen)]
                if lengths and field.annotation is str:
                    api_limits.setdefault(name, set()).add(lengths[0])
        form_modules = [m for m in _project_modules("forms") if m.__name__.startswith(config + ".")]
        for form_class in _classes(form_modules, forms.BaseForm):
            for name, field in form_class.base_fields.items():
                if not isinstance(field, forms.CharField) or name not in api_limits:
                    continue
                limit = field.max_length or settings.SIG_MAX_TEXT  # what core.forms gives an unlimited field
                if limit not in api_limits[name]:
                    mismatches.append(f"{form_class.__qualname__}.{name}: form {limit}, API {api_limits[name]}")
    assert mismatches == []
