"""Form helpers shared by every area's views."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import NonWorkingDay
from core.services import ServiceError


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


class NonWorkingDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=NonWorkingDay.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=200, required=False)

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return day
