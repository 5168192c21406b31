"""Forms of the nonconformity register and of each step of an NC."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import RoleAssignment, User
from catalog.models import Requirement
from core.access import get_scope
from core.forms import Form
from nonconformities.models import MAX_WHYS, EffectivenessCheck, Nonconformity
from organization.models import OrgUnit, Process, Site

TEXT = settings.SIG_MAX_TEXT


class RequirementChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.edition.label} {obj.number} {obj.localized('title')}"


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class CodeNameChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


def requirement_choices() -> QuerySet[Requirement]:
    """Clauses and controls of the current editions."""
    return (
        Requirement.objects.filter(edition__is_current=True)
        .exclude(kind__in=[Requirement.Kind.DOMAIN, Requirement.Kind.OBJECTIVE])
        .select_related("edition")
        .order_by("edition__standard__order", "edition__year", "order")
    )


def writable_sites(user: Any) -> QuerySet[Site]:
    scope = get_scope(user)
    qs = Site.objects.filter(is_active=True).order_by("order", "code")
    if any(r for r in scope.central_roles):
        return qs
    return qs.filter(pk__in=[s for s in scope.site_ids if scope.can_write_site(s)])


class NCFilterForm(Form):
    q = forms.CharField(label=_("Code or title"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Nonconformity.Status.choices]
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", _("All")), *Nonconformity.Grade.choices])
    source = forms.ChoiceField(
        label=pgettext_lazy("nonconformity", "Source"),
        required=False,
        choices=[("", _("All")), *Nonconformity.Source.choices],
    )
    site = CodeNameChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All"))
    overdue = forms.BooleanField(label=_("With overdue actions"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = get_scope(user)
        sites = Site.objects.order_by("order", "code")
        field = self.fields["site"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sites if scope.all_sites else sites.filter(pk__in=scope.site_ids)


class NCForm(Form):
    source = forms.ChoiceField(label=pgettext_lazy("nonconformity", "Source"), choices=Nonconformity.Source.choices)
    source_reference = forms.CharField(
        label=_("Source reference"), required=False, max_length=200, help_text=_("e.g. the complaint or the indicator.")
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=Nonconformity.Grade.choices, initial=Nonconformity.Grade.MINOR)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 4}))
    site = CodeNameChoiceField(label=_("Site"), queryset=Site.objects.none())
    unit = CodeNameChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    process = CodeNameChoiceField(label=_("Process"), queryset=Process.objects.none(), required=False)
    detected_on = forms.DateField(label=_("Detected on"), widget=forms.DateInput(attrs={"type": "date"}))
    requirements = RequirementChoiceField(
        label=_("Requirements not met"),
        queryset=Requirement.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["site"].queryset = writable_sites(user)
        fields["unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by("order", "code")
        fields["process"].queryset = Process.objects.filter(is_active=True).order_by("order", "code")
        fields["requirements"].queryset = requirement_choices()


class CorrectionForm(Form):
    correction = forms.CharField(
        label=_("Immediate correction"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    correction_on = forms.DateField(label=_("Made on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AnalysisForm(Form):
    root_cause = forms.CharField(label=_("Root cause"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_WHYS + 1):
            self.fields[f"why{n}"] = forms.CharField(label=_("Why %(n)s?") % {"n": n}, required=False, max_length=1000)
        for key, label in Nonconformity.Category.choices:
            self.fields[f"cause_{key}"] = forms.CharField(label=label, required=False, max_length=1000)
        # root cause last
        self.order_fields(
            [
                *(f"why{n}" for n in range(1, MAX_WHYS + 1)),
                *(f"cause_{k}" for k in Nonconformity.Category.values),
                "root_cause",
            ]
        )

    @staticmethod
    def initial_for(nc: Nonconformity) -> dict[str, Any]:
        data: dict[str, Any] = {"root_cause": nc.root_cause}
        for n, why in enumerate(nc.whys or [], start=1):
            data[f"why{n}"] = why
        for key, value in (nc.ishikawa or {}).items():
            data[f"cause_{key}"] = value
        return data

    def analysis(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "whys": [d.get(f"why{n}") or "" for n in range(1, MAX_WHYS + 1)],
            "ishikawa": {k: d.get(f"cause_{k}") or "" for k in Nonconformity.Category.values},
            "root_cause": d["root_cause"],
        }


def people_at(site_id: int) -> QuerySet[User]:
    """Active people holding a writing role at the site or centrally."""
    holders = (
        RoleAssignment.objects.active()
        .exclude(role="reader")
        .filter(Q(site_id=site_id) | Q(site__isnull=True) | Q(site__is_central=True))
        .values("user_id")
    )
    return User.objects.filter(is_active=True, pk__in=holders).order_by("last_name", "first_name")


class ActionForm(Form):
    title = forms.CharField(label=_("Action"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = PersonChoiceField(label=_("Responsible"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, nc: Nonconformity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people_at(nc.site_id)


class VerificationForm(Form):
    rating = forms.ChoiceField(label=_("Effectiveness"), choices=EffectivenessCheck.Rating.choices)
    note = forms.CharField(
        label=_("Basis of the verification"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(Form):
    """Filters of the follow-up report: period (year), unit (site) and system."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    site = CodeNameChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All"))
    system = forms.ChoiceField(
        label=_("System"),
        required=False,
        choices=[
            ("", _("All")),
            ("SGC", "SGC (ISO 9001)"),
            ("SGAS", "SGAS (ISO 37001)"),
            ("SGSI", "SGSI (ISO/IEC 27001)"),
        ],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = get_scope(user)
        sites = Site.objects.order_by("order", "code")
        field = self.fields["site"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sites if scope.all_sites else sites.filter(pk__in=scope.site_ids)
