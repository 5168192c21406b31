"""Forms of the SGSI pages (parsing only; isms/services.py decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from catalog.models import Edition
from core.forms import Form
from isms.models import Asset, Incident, SoaEntry, Threat, Vulnerability
from organization.models import Process, Site
from risks.forms import PersonField, people
from risks.models import Control, Risk

DATETIME_FORMAT = "%d/%m/%Y %H:%M"
VALUE_CHOICES = [(1, "1"), (2, "2"), (3, "3")]


def _datetime(label: Any, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"placeholder": "dd/mm/aaaa HH:MM"}),
        help_text=gettext_lazy("dd/mm/aaaa HH:MM"),
    )


class RiskChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


class AssetForm(Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=Asset.Type.choices)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = PersonField(label=gettext_lazy("Owner"), queryset=people())
    location = forms.CharField(label=gettext_lazy("Location"), max_length=300)
    process = forms.ModelChoiceField(label=gettext_lazy("Process"), queryset=Process.objects.none(), required=False)
    classification = forms.ChoiceField(label=gettext_lazy("Classification"), choices=Asset.Classification.choices)
    confidentiality = forms.TypedChoiceField(label=gettext_lazy("Confidentiality"), choices=VALUE_CHOICES, coerce=int)
    integrity = forms.TypedChoiceField(label=gettext_lazy("Integrity"), choices=VALUE_CHOICES, coerce=int)
    availability = forms.TypedChoiceField(label=gettext_lazy("Availability"), choices=VALUE_CHOICES, coerce=int)
    in_scope = forms.BooleanField(label=gettext_lazy("In the SGSI scope"), required=False, initial=True)
    depends_on = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Depends on"), queryset=Asset.objects.none(), required=False
    )
    risks = RiskChoices(label=gettext_lazy("Risks"), queryset=Risk.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()  # type: ignore[attr-defined]
        self.fields["process"].queryset = Process.objects.filter(is_active=True).order_by("code")  # type: ignore[attr-defined]
        self.fields["depends_on"].queryset = Asset.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["risks"].queryset = Risk.objects.filter(lens_security=True).order_by("code")  # type: ignore[attr-defined]


class SoaCreateForm(Form):
    edition = forms.ModelChoiceField(
        label=gettext_lazy("Annex A edition"),
        queryset=Edition.objects.filter(label__in=["ISO/IEC 27001:2013", "ISO/IEC 27001:2022"]),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, initial="Declaración de aplicabilidad")


APPLICABLE_CHOICES = [
    ("", gettext_lazy("Not decided")),
    ("yes", gettext_lazy("Applicable")),
    ("no", gettext_lazy("Excluded")),
]


class SoaEntryForm(Form):
    applicable = forms.TypedChoiceField(
        label=gettext_lazy("Applicable"),
        choices=APPLICABLE_CHOICES,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    justification = forms.CharField(
        label=gettext_lazy("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why it applies, or why it is excluded (required to exclude)."),
    )
    implementation = forms.ChoiceField(
        label=gettext_lazy("Implementation status"), choices=SoaEntry.Implementation.choices
    )
    controls = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Our controls"), queryset=Control.objects.none(), required=False
    )
    risks = RiskChoices(label=gettext_lazy("Risks"), queryset=Risk.objects.none(), required=False)
    evidence = forms.CharField(label=gettext_lazy("Evidence"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["controls"].queryset = Control.objects.filter(is_active=True).order_by("code")  # type: ignore[attr-defined]
        self.fields["risks"].queryset = Risk.objects.order_by("code")  # type: ignore[attr-defined]


class IncidentReportForm(Form):
    title = forms.CharField(label=gettext_lazy("What happened, in a line"), max_length=300)
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    occurred_at = _datetime(gettext_lazy("When it occurred"))
    site = forms.ModelChoiceField(label=gettext_lazy("Site"), queryset=Site.objects.none(), required=False)
    personal_data_breach = forms.BooleanField(
        label=gettext_lazy("Personal data may have been exposed, lost or altered"), required=False
    )

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class IncidentHandlingForm(Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Incident.Status.choices)
    severity = forms.ChoiceField(
        label=gettext_lazy("Severity"), choices=[("", "—"), *Incident.Severity.choices], required=False
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), choices=[("", "—"), *Incident.Category.choices], required=False
    )
    personal_data_breach = forms.BooleanField(label=gettext_lazy("Personal-data breach"), required=False)
    notice_hours = forms.IntegerField(label=gettext_lazy("Hours to notify the authority"), min_value=1, max_value=720)
    authority_notified_at = _datetime(gettext_lazy("Authority notified at"))
    containment = forms.CharField(
        label=gettext_lazy("Containment and recovery"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    root_cause = forms.CharField(
        label=gettext_lazy("Root cause"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lessons_learned = forms.CharField(
        label=gettext_lazy("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    assets = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Assets affected"), queryset=Asset.objects.none(), required=False
    )
    risks = RiskChoices(label=gettext_lazy("Related risks"), queryset=Risk.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assets"].queryset = Asset.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["risks"].queryset = Risk.objects.order_by("code")  # type: ignore[attr-defined]


class AssetRiskForm(Form):
    threat = forms.ModelChoiceField(label=gettext_lazy("Threat"), queryset=Threat.objects.all())
    vulnerability = forms.ModelChoiceField(label=gettext_lazy("Vulnerability"), queryset=Vulnerability.objects.all())
    code = forms.CharField(label=gettext_lazy("Code of the risk"), max_length=30)
