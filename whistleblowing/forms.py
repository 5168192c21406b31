from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form
from whistleblowing.models import Case, ProtectionMeasure, Referral, Step
from whistleblowing.services import MAX_ATTACHMENTS, MAX_FACTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            if len(data) > MAX_ATTACHMENTS:
                raise forms.ValidationError(_("At most %(n)s files.") % {"n": MAX_ATTACHMENTS})
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class FilingForm(Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Case.Category.choices)
    facts = forms.CharField(
        label=_("Facts"),
        max_length=MAX_FACTS,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What happened, when, where, who took part, and how you know it."),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    document = forms.CharField(label=_("Your DNI or other document (optional)"), max_length=20, required=False)
    email = forms.EmailField(label=_("Your e-mail (optional)"), max_length=200, required=False)
    phone = forms.CharField(label=_("Your telephone (optional)"), max_length=30, required=False)
    protection_requested = forms.BooleanField(label=_("I request protection measures (D.Leg. 1327)"), required=False)
    attachments = MultipleFileField(
        label=_("Files (PDF, DOCX or XLSX)"), required=False, help_text=_("Up to 10 files.")
    )

    def identity(self) -> dict[str, str] | None:
        data = self.cleaned_data
        values = {k: data.get(k) or "" for k in ("name", "document", "email", "phone")}
        return values if any(values.values()) else None


class IntakeForm(FilingForm):
    channel = forms.ChoiceField(
        label=_("Received through"),
        choices=[(Case.Channel.DESK, Case.Channel.DESK.label), (Case.Channel.PDUD, Case.Channel.PDUD.label)],
    )
    pdud_number = forms.CharField(label=_("PDUD case number"), max_length=40, required=False)
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    field_order = ["channel", "pdud_number", "received_on", "category", "facts"]


class ReceiptForm(Form):
    receipt = forms.CharField(
        label=_("Your receipt"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class ReplyForm(Form):
    receipt = forms.CharField(max_length=60, widget=forms.HiddenInput)
    body = forms.CharField(label=_("Your message"), max_length=MAX_FACTS, widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(label=_("Files (PDF, DOCX or XLSX)"), required=False)


class UnlockForm(Form):
    password = forms.CharField(label=_("Your password"), max_length=200, widget=forms.PasswordInput)


class MessageForm(Form):
    body = forms.CharField(
        label=_("Message to the filer"), max_length=MAX_FACTS, widget=forms.Textarea(attrs={"rows": 4})
    )


class AdmissibilityForm(Form):
    admit = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Admit")), ("0", _("Do not admit"))],
        coerce=lambda v: v == "1",
    )
    notes = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}))


class ProtectionForm(Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=ProtectionMeasure.Kind.choices)
    granted = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Grant")), ("0", _("Deny"))], coerce=lambda v: v == "1"
    )
    details = forms.CharField(
        label=_("Grounds (trascendencia, gravedad, verosimilitud)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    justification = forms.CharField(
        label=_("Justification of a decision after the legal term"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StepForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(Step.Kind.PLAN, Step.Kind.PLAN.label), (Step.Kind.STEP, Step.Kind.STEP.label)]
    )
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(label=_("Description, evidence and findings"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(
        label=_("Evidence files (PDF, DOCX or XLSX)"),
        required=False,
        help_text=_("Kept encrypted, with their SHA-256."),
    )


class ReferralForm(Form):
    body = forms.ChoiceField(label=_("Referred to"), choices=Referral.Body.choices)
    referred_on = forms.DateField(
        label=_("Referred on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(label=_("Document and note"), max_length=500, required=False)


class ReferralOutcomeForm(Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Referral.Outcome.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class CloseForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in Case.Outcome.choices if c[0] != Case.Outcome.INADMISSIBLE]
    )
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
