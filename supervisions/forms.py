from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import Form
from nonconformities.forms import CodeNameChoiceField, PersonChoiceField
from organization.models import Process, Site
from supervisions.models import Check

TEXT = settings.SIG_MAX_TEXT


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def _people() -> Any:
    """Active people holding a writing role today."""
    from accounts.models import RoleAssignment

    holders = RoleAssignment.objects.active().exclude(role="reader").values("user_id")
    return User.objects.filter(is_active=True, pk__in=holders).order_by("last_name", "first_name")


class SupervisionForm(Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    site = CodeNameChoiceField(
        label=_("UT"), queryset=Site.objects.filter(is_active=True, is_central=False).order_by("order", "code")
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    plan = forms.CharField(
        label=_("Plan (objectives, processes, agenda)"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    supervisors = PeopleField(label=_("Supervisors"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["supervisors"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = _people()


class CheckForm(Form):
    process = CodeNameChoiceField(
        label=_("Process"), queryset=Process.objects.filter(is_active=True).order_by("order", "code"), required=False
    )
    aspect = forms.CharField(label=_("Aspect"), max_length=300)
    result = forms.ChoiceField(label=_("Result"), choices=Check.Result.choices)
    observation = forms.CharField(
        label=_("Observation"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImprovementForm(Form):
    title = forms.CharField(label=_("Improvement"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = PersonChoiceField(label=_("Responsible"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from nonconformities.forms import people_at

        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people_at(site_id)


class ReportForm(Form):
    report = forms.CharField(label=_("Report"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 4}))
