"""Forms of the risk pages: they parse input; risks/services.py decides what is allowed."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from accounts.models import RoleAssignment, User
from catalog.models import Requirement
from core.forms import Form
from organization.models import Process, Site
from risks.method import SHIPPED
from risks.models import Control, Evaluation, Risk, RiskMethod

DATE_FORMAT = "%d/%m/%Y"
MAX_JSON = 200_000


def _date_field(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/aaaa"}),
        help_text=gettext_lazy("dd/mm/aaaa"),
    )


def people() -> QuerySet[User]:
    """Active people holding some role today."""
    holders = RoleAssignment.objects.active().values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=holders).select_related("unit").order_by("last_name", "first_name")
    )


def linkable_requirements() -> QuerySet[Requirement]:
    """Clauses and Annex A controls of the current editions."""
    return (
        Requirement.objects.filter(edition__is_current=True)
        .filter(Q(kind=Requirement.Kind.CLAUSE) | Q(kind=Requirement.Kind.CONTROL))
        .select_related("edition")
        .order_by("edition__label", "order")
    )


class PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} — {obj.unit.code}" if obj.unit_id else str(name)


class RequirementsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.edition.label} {obj.number} {obj.title}"


class RiskForm(Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=30, help_text=gettext_lazy("E.g. R-CUS-001."))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Risk or opportunity"), choices=Risk.Kind.choices)
    lenses = forms.MultipleChoiceField(
        label=gettext_lazy("Lenses"), choices=Risk.Lens.choices, widget=forms.CheckboxSelectMultiple
    )
    process = forms.ModelChoiceField(label=gettext_lazy("Process"), queryset=Process.objects.none())
    site = forms.ModelChoiceField(label=gettext_lazy("Site / UT"), queryset=Site.objects.none())
    cause = forms.CharField(label=gettext_lazy("Cause"), widget=forms.Textarea(attrs={"rows": 2}))
    event = forms.CharField(label=gettext_lazy("Event"), widget=forms.Textarea(attrs={"rows": 2}))
    consequence = forms.CharField(label=gettext_lazy("Consequence"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonField(label=gettext_lazy("Owner"), queryset=User.objects.none())
    requirements = RequirementsField(
        label=gettext_lazy("Linked requirements"), queryset=Requirement.objects.none(), required=False
    )
    controls = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Existing controls"), queryset=Control.objects.none(), required=False
    )
    next_review_on = _date_field(gettext_lazy("Next review"))

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = Process.objects.filter(is_active=True).order_by("code")  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["owner"].queryset = people()  # type: ignore[attr-defined]
        self.fields["requirements"].queryset = linkable_requirements()  # type: ignore[attr-defined]
        self.fields["controls"].queryset = Control.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lenses = set(data.pop("lenses", []) or [])
        for lens in Risk.Lens.values:
            data[f"lens_{lens}"] = lens in lenses
        return data


def risk_initial(risk: Risk) -> dict[str, Any]:
    return {
        "code": risk.code,
        "title": risk.title,
        "kind": risk.kind,
        "lenses": risk.lenses,
        "process": risk.process_id,
        "site": risk.site_id,
        "cause": risk.cause,
        "event": risk.event,
        "consequence": risk.consequence,
        "owner": risk.owner_id,
        "requirements": list(risk.requirements.values_list("pk", flat=True)),
        "controls": list(risk.controls.values_list("pk", flat=True)),
        "next_review_on": risk.next_review_on,
    }


class EvaluationForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("Evaluation"), choices=Evaluation.Kind.choices)
    probability = forms.TypedChoiceField(label=gettext_lazy("Probability"), coerce=int, choices=[])
    impact = forms.TypedChoiceField(label=gettext_lazy("Impact"), coerce=int, choices=[])
    trigger = forms.ChoiceField(label=gettext_lazy("Trigger of the review"), choices=Evaluation.Trigger.choices)
    justification = forms.CharField(
        label=gettext_lazy("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required when the residual score is above the inherent."),
    )

    def __init__(self, *args: Any, method: RiskMethod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spec = method.spec
        self.fields["probability"].choices = [(s.value, f"{s.value} — {s.label}") for s in spec.probability]  # type: ignore[attr-defined]
        self.fields["impact"].choices = [(s.value, f"{s.value} — {s.label}") for s in spec.impact]  # type: ignore[attr-defined]


class TreatmentForm(Form):
    treatment = forms.ChoiceField(
        label=gettext_lazy("Treatment decision"), choices=[c for c in Risk.Treatment.choices if c[0]]
    )
    rationale = forms.CharField(
        label=gettext_lazy("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TreatmentActionForm(Form):
    title = forms.CharField(label=gettext_lazy("Treatment action"), max_length=1000)
    responsible = PersonField(label=gettext_lazy("Responsible"), queryset=User.objects.none())
    due_date = _date_field(gettext_lazy("Due date"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people()  # type: ignore[attr-defined]


class AcceptanceForm(Form):
    expires_on = _date_field(gettext_lazy("Acceptance expires on"), required=True)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MethodLoadForm(Form):
    shipped = forms.ChoiceField(
        label=gettext_lazy("Shipped method"),
        required=False,
        choices=[("", "—"), *[(key, key) for key in SHIPPED]],
        help_text=gettext_lazy("Load one of the methods shipped with sig, or upload a method file."),
    )
    file = forms.FileField(label=gettext_lazy("Method file (JSON)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            if upload.size > MAX_JSON:
                self.add_error("file", gettext_lazy("The file is too large for a method."))
                return data
            try:
                data["definition"] = json.loads(upload.read())
            except (ValueError, RecursionError):
                self.add_error("file", gettext_lazy("The file is not valid JSON."))
        elif data.get("shipped"):
            data["definition"] = json.loads(SHIPPED[data["shipped"]].read_bytes())
        else:
            raise forms.ValidationError(gettext_lazy("Choose a shipped method or upload a file."))
        return data


class MethodEditForm(Form):
    definition = forms.CharField(
        label=gettext_lazy("Definition (JSON)"),
        max_length=MAX_JSON,
        widget=forms.Textarea(attrs={"rows": 24, "class": "code"}),
        help_text=gettext_lazy("Saving creates a new version; give it a later effective date."),
    )

    def clean_definition(self) -> Any:
        try:
            return json.loads(self.cleaned_data["definition"])
        except (ValueError, RecursionError):
            raise forms.ValidationError(gettext_lazy("Not valid JSON.")) from None


class MethodCopyForm(Form):
    code = forms.CharField(label=gettext_lazy("Code of the copy"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Name of the copy"), max_length=200)


class ControlForm(Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=Control.Type.choices)
    owner = PersonField(label=gettext_lazy("Owner"), queryset=User.objects.none())
    frequency = forms.ChoiceField(label=gettext_lazy("Frequency"), choices=Control.Frequency.choices)
    evidence = forms.CharField(label=gettext_lazy("Evidence of operation"), max_length=500, required=False)
    last_tested_on = _date_field(gettext_lazy("Last tested on"))
    last_test_result = forms.CharField(label=gettext_lazy("Result of the last test"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()  # type: ignore[attr-defined]


class MatrixImportForm(Form):
    file = forms.FileField(label=gettext_lazy("Risk matrix (XLSX)"))
    method = forms.ModelChoiceField(
        label=gettext_lazy("Method the scores are on"), queryset=RiskMethod.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].queryset = RiskMethod.objects.order_by("-is_active", "-effective_from", "-pk")  # type: ignore[attr-defined]


class MethodMatrixForm(Form):
    """The visual editor of a method: one row of inputs per probability and impact step and per
    level, with appetite, tolerance and the effective date of the new version. `n` × `m` are the
    number of probability and impact steps (the page offers to change them)."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    effective_from = forms.DateField(
        label=gettext_lazy("Effective from"),
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/aaaa"}),
    )
    appetite = forms.IntegerField(label=gettext_lazy("Appetite"), min_value=0, max_value=1_000_000)
    tolerance = forms.IntegerField(label=gettext_lazy("Tolerance"), min_value=0, max_value=1_000_000)
    acceptance = forms.CharField(
        label=gettext_lazy("Criteria of acceptance"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, definition: dict[str, Any], n: int, m: int, levels: int, **kwargs: Any) -> None:
        self.n, self.m, self.n_levels = n, m, levels
        initial = {
            "name": definition.get("name", ""),
            "appetite": definition.get("appetite"),
            "tolerance": definition.get("tolerance"),
            "acceptance": definition.get("acceptance", ""),
        }
        for axis, prefix, count in (("probability", "p", n), ("impact", "i", m)):
            steps = definition.get(axis) or []
            for k in range(count):
                step = steps[k] if k < len(steps) else {"value": k + 1, "label": "", "description": ""}
                initial[f"{prefix}{k}_value"] = step.get("value")
                initial[f"{prefix}{k}_label"] = step.get("label", "")
                initial[f"{prefix}{k}_description"] = step.get("description", "")
        stored = definition.get("levels") or []
        for k in range(levels):
            level = stored[k] if k < len(stored) else {"code": f"nivel-{k + 1}", "colour": "#9e9e9e"}
            for key in ("code", "label", "min", "max", "colour", "action"):
                initial[f"l{k}_{key}"] = level.get(key, "")
        kwargs.setdefault("initial", {}).update({k: v for k, v in initial.items() if k not in kwargs["initial"]})
        super().__init__(*args, **kwargs)
        new: dict[str, forms.Field] = {}
        for prefix, count in (("p", n), ("i", m)):
            for k in range(count):
                new[f"{prefix}{k}_value"] = forms.IntegerField(min_value=1, max_value=1000, label=gettext_lazy("Value"))
                new[f"{prefix}{k}_label"] = forms.CharField(max_length=60, label=gettext_lazy("Label"))
                new[f"{prefix}{k}_description"] = forms.CharField(
                    max_length=500, required=False, label=gettext_lazy("Description")
                )
        for k in range(levels):
            new[f"l{k}_code"] = forms.CharField(max_length=30, label=gettext_lazy("Code"))
            new[f"l{k}_label"] = forms.CharField(max_length=60, label=gettext_lazy("Label"))
            new[f"l{k}_min"] = forms.IntegerField(min_value=0, max_value=1_000_000, label=gettext_lazy("From"))
            new[f"l{k}_max"] = forms.IntegerField(min_value=0, max_value=1_000_000, label=gettext_lazy("To"))
            new[f"l{k}_colour"] = forms.CharField(
                max_length=7, label=gettext_lazy("Colour"), widget=forms.TextInput(attrs={"type": "color"})
            )
            new[f"l{k}_action"] = forms.CharField(max_length=500, required=False, label=gettext_lazy("Action"))
        from types import SimpleNamespace

        from core.forms import harden_fields

        harden_fields(SimpleNamespace(fields=new))  # type: ignore[arg-type]
        self.fields.update(new)

    def rows(self, prefix: str, count: int, keys: tuple[str, ...]) -> list[list[Any]]:
        return [[self[f"{prefix}{k}_{key}"] for key in keys] for k in range(count)]

    def probability_rows(self) -> list[list[Any]]:
        return self.rows("p", self.n, ("value", "label", "description"))

    def impact_rows(self) -> list[list[Any]]:
        return self.rows("i", self.m, ("value", "label", "description"))

    def level_rows(self) -> list[list[Any]]:
        return self.rows("l", self.n_levels, ("code", "label", "min", "max", "colour", "action"))

    def definition(self, base: dict[str, Any]) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            **base,
            "name": d["name"],
            "effective_from": d["effective_from"].isoformat(),
            "appetite": d["appetite"],
            "tolerance": d["tolerance"],
            "acceptance": d["acceptance"],
            "probability": [
                {"value": d[f"p{k}_value"], "label": d[f"p{k}_label"], "description": d[f"p{k}_description"]}
                for k in range(self.n)
            ],
            "impact": [
                {"value": d[f"i{k}_value"], "label": d[f"i{k}_label"], "description": d[f"i{k}_description"]}
                for k in range(self.m)
            ],
            "levels": [
                {key: d[f"l{k}_{key}"] for key in ("code", "label", "min", "max", "colour", "action")}
                for k in range(self.n_levels)
            ],
        }


def method_error_field(key: str) -> str:
    """The editor's field for a MethodError key ("probability[2].value" → "p2_value")."""
    import re

    match = re.match(r"^(probability|impact|levels)\[(\d+)\]\.?(\w*)$", key)
    if match:
        axis, index, name = match.groups()
        prefix = {"probability": "p", "impact": "i", "levels": "l"}[axis]
        return f"{prefix}{index}_{name or ('label' if prefix != 'l' else 'code')}"
    return key
