from django import forms
from django.utils.translation import gettext_lazy as _

from audit.labels import record_kind_choices
from audit.models import AuditEvent
from core.forms import Form


class AuditFilterForm(Form):
    q = forms.CharField(label=_("Object or person"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All"))] + AuditEvent.Action.choices)
    object_type = forms.ChoiceField(label=_("Kind of record"), required=False, choices=record_kind_choices)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
