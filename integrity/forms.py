from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Form, ModelForm
from integrity.models import BusinessPartner, ConflictDeclaration, DueDiligence, Gift, KeyPosition
from integrity.validators import dni_problem, ruc_problem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(ModelForm[BusinessPartner]):
    class Meta:
        model = BusinessPartner
        fields = [
            "doc_type", "doc_number", "name", "kind", "processes", "site", "risk_level", "anti_bribery_clause",
            "commitment_signed_on", "due_diligence_required", "monitoring", "notes", "active",
        ]  # fmt: skip
        widgets = {"commitment_signed_on": DATE, "processes": forms.CheckboxSelectMultiple}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = (data.get("doc_number") or "").replace(" ", "")
        problem = ruc_problem(number) if data.get("doc_type") == "ruc" else dni_problem(number)
        if number and problem:
            self.add_error("doc_number", problem)
        data["doc_number"] = number
        return data

    def _post_clean(self) -> None:  # the model's clean runs in the service
        pass


class KeyPositionForm(ModelForm[KeyPosition]):
    class Meta:
        model = KeyPosition
        fields = ["position", "unit", "site", "reason", "risk_level", "holders", "active"]

    def _post_clean(self) -> None:
        pass


class DueDiligenceForm(ModelForm[DueDiligence]):
    sources = forms.MultipleChoiceField(
        label=_("Sources consulted"),
        choices=DueDiligence.Source.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DueDiligence
        fields = [
            "partner", "key_position", "person_name", "started_on", "sources", "findings", "public_official",
            "politically_exposed", "high_risk_partner", "conclusion", "decision", "conditions", "valid_until", "next_review",
        ]  # fmt: skip
        widgets = {"started_on": DATE, "valid_until": DATE, "next_review": DATE}

    def _post_clean(self) -> None:
        pass


class GiftForm(ModelForm[Gift]):
    class Meta:
        model = Gift
        fields = ["direction", "on", "counterpart", "partner", "description", "value", "occasion"]
        widgets = {"on": DATE}

    def _post_clean(self) -> None:
        pass


class GiftDecisionForm(Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[c for c in Gift.Decision.choices if c[0] != "pending"])
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DeclarationForm(ModelForm[ConflictDeclaration]):
    class Meta:
        model = ConflictDeclaration
        fields = ["declared_on", "has_conflicts", "description", "mitigation"]
        widgets = {"declared_on": DATE}

    def _post_clean(self) -> None:
        pass
