"""Form helpers shared by every area's views, and the base classes of every form.

`Form` and `ModelForm` (use them instead of Django's) check each field the way the API checks
its input (core.api_helpers.CleanInput): text is normalised and refused with control, invalid or
direction-changing characters, codes with anything invisible (core.text); text without a length
limit gets the API's (SIG_MAX_TEXT); numbers stay within 64 bits and dates within
core.limits.DATE_MIN/DATE_MAX; a choice of a record by an impossible id is an invalid choice,
never a database error."""

import html
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.renderers import BaseRenderer
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core import text
from core.limits import INT64_MAX, INT64_MIN, date_problem
from core.models import NonWorkingDay
from core.services import ServiceError

M = TypeVar("M", bound=models.Model)


def _clean_text(field: forms.CharField, kind: text.Kind) -> None:
    original = field.to_python

    def to_python(value: Any) -> Any:
        value = original(value)
        return text.clean(value, kind) if isinstance(value, str) and value else value

    field.to_python = to_python  # type: ignore[method-assign]


def _bounded_dates(field: forms.DateField | forms.DateTimeField) -> None:
    original = field.to_python

    def to_python(value: Any) -> Any:
        day = original(value)
        problem = date_problem(day) if day is not None else None
        if problem:
            raise ValidationError(problem, code="date_range")
        return day

    field.to_python = to_python  # type: ignore[method-assign]


def _no_overflow(field: forms.ModelChoiceField) -> None:  # type: ignore[type-arg]
    """An id beyond 64 bits is an invalid choice (SQLite would raise OverflowError)."""
    original = field.clean

    def clean(value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str) and item.strip().lstrip("-").isdigit() and not INT64_MIN <= int(item) <= INT64_MAX:
                raise ValidationError(
                    field.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return original(value)

    field.clean = clean  # type: ignore[method-assign]


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html in Python: True is a bare attribute, False none."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {name}" if value is True else format_html(' {}="{}"', name, str(value)))
    return "".join(out)


def _conditional_escape(value: Any) -> str:
    """django.utils.html.conditional_escape, as a plain str: safe text as it is, anything else
    (lazy text included) escaped."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


class FastSelectMixin:
    """A <select> rendered in Python, byte for byte as Django's templates render it
    (django/forms/widgets/select.html, select_option.html, attrs.html). Profiling the register
    pages showed their filter forms' option lists (every unit, process, type…) costing more than
    the rows: each option is two template includes. Every Select of the product's forms uses it
    (harden_fields)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        # Widget.get_context (name, id, required…), not ChoiceWidget's: its optgroups() builds a
        # dict of attributes per option, which cost as much as the templates for long lists.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]  # type: ignore[arg-type]
        multiple = self.allow_multiple_selected  # type: ignore[attr-defined]
        if multiple:
            widget["attrs"]["multiple"] = True
        chosen = {str(v) for v in widget["value"]}
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        found = False
        for group_value, group_label in self.choices:  # type: ignore[attr-defined]
            if isinstance(group_label, list | tuple):
                parts.append(format_html('\n  <optgroup label="{}">', group_value))
                options = group_label
            else:
                options = [(group_value, group_label)]
            for option_value, label in options:
                option_value = "" if option_value is None else option_value
                selected = (multiple or not found) and str(option_value) in chosen
                found = found or selected
                # format_html's escaping without its per-call overhead (a list page has ~150
                # options): the same text, character for character (core/tests/test_fast_select.py).
                parts.append(
                    f'\n  <option value="{html.escape(str(option_value))}"{" selected" if selected else ""}>'
                    f"{_conditional_escape(label)}</option>\n"  # the option template's last newline
                )
            if isinstance(group_label, list | tuple):
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped by format_html


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass


FAST_WIDGETS: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.Select: FastSelect,
    forms.SelectMultiple: FastSelectMultiple,
}


def harden_fields(form: forms.BaseForm) -> None:
    """Apply the shared input checks to every field of a form instance (the module docstring)."""
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField):
            if field.max_length is None:
                field.max_length = settings.SIG_MAX_TEXT
                field.validators.append(MaxLengthValidator(settings.SIG_MAX_TEXT))
                field.widget.attrs.setdefault("maxlength", str(settings.SIG_MAX_TEXT))
            multiline = isinstance(field.widget, forms.Textarea)
            _clean_text(field, text.kind_for(name, multiline=multiline))
        elif isinstance(field, forms.IntegerField):
            if field.max_value is None:
                field.validators.append(MaxValueValidator(INT64_MAX))
            if field.min_value is None:
                field.validators.append(MinValueValidator(INT64_MIN))
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            _bounded_dates(field)
        elif isinstance(field, forms.ModelChoiceField):
            _no_overflow(field)
        fast = FAST_WIDGETS.get(type(field.widget))
        if fast is not None:
            field.widget.__class__ = fast


class HardenedMixin:
    """Mixed into every form of the product (see Form and ModelForm below)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        harden_fields(self)  # type: ignore[arg-type]


class Form(HardenedMixin, forms.Form):
    pass


class ModelForm(HardenedMixin, forms.ModelForm[M]):
    pass


def add_service_error(form: forms.BaseForm, exc: ServiceError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: on the field it names (after renaming it through
    `aliases` when the form calls it differently), else as a form-wide error."""
    field = (aliases or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def run_form_action(form: forms.Form | None, run: Callable[[dict[str, Any]], Any]) -> tuple[bool, str]:
    """Validate `form` (when there is one) and call `run` with its cleaned data. Returns
    (done, error): a service's refusal is put on the form and returned as the error text;
    an invalid form is simply not done."""
    if form is not None and not form.is_valid():
        return False, ""
    try:
        run(form.cleaned_data if form is not None else {})
    except ServiceError as exc:
        if form is not None:
            add_service_error(form, exc)
        return False, exc.message
    return True, ""


class NonWorkingDayForm(Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=NonWorkingDay.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=200, required=False)

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return day
