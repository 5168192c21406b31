"""Forms of the audits area: programme, audit, checklist answer, finding, auditee response."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User
from audits.models import Audit, ChecklistQuestion, FindingGrade
from catalog.models import Requirement, Standard
from core.files import inspect_upload
from core.forms import Form
from core.services import ServiceError
from nonconformities.forms import CodeNameChoiceField, PersonChoiceField, RequirementChoiceField, requirement_choices
from organization.models import ManagementSystem, Process, Site

TEXT = settings.SIG_MAX_TEXT


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} — {obj.unit.code}" if obj.unit_id else name


def people() -> Any:
    holders = RoleAssignment.objects.active().exclude(role="reader").values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=holders).select_related("unit").order_by("last_name", "first_name")
    )


def filtered_people(label: Any, required: bool = False) -> PeopleField:
    """A list of people with a box that filters it by name (static/sig/sig.js, data-filter-options)."""
    return PeopleField(
        label=label,
        queryset=User.objects.none(),
        required=required,
        widget=forms.SelectMultiple(attrs={"size": 8, "data-filter-options": _("Filter by name")}),
    )


class ProgrammeForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    objectives = forms.CharField(label=_("Objectives"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    risks = forms.CharField(
        label=_("Risks and opportunities of the programme"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    scope = forms.CharField(
        label=_("Scope (systems, processes, sites)"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resources = forms.CharField(
        label=_("Resources and budget line"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    systems = forms.ModelMultipleChoiceField(
        label=_("Systems"), queryset=ManagementSystem.objects.order_by("order"), required=False
    )


class AuditForm(Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Audit.Kind.choices)
    certification_body = forms.CharField(label=_("Certification body"), max_length=200, required=False)
    objectives = forms.CharField(label=_("Objectives"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    scope = forms.CharField(label=_("Scope"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"), queryset=Site.objects.filter(is_active=True).order_by("order", "code")
    )
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes"), queryset=Process.objects.filter(is_active=True).order_by("order", "code"), required=False
    )
    criteria = RequirementChoiceField(
        label=_("Criteria (requirements)"),
        queryset=Requirement.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    start_date = forms.DateField(label=_("Start date"), widget=date_input())
    end_date = forms.DateField(label=_("End date"), widget=date_input())
    lead = PersonChoiceField(label=_("Lead auditor"), queryset=User.objects.none())
    team = filtered_people(_("Other team members"))
    method = forms.ChoiceField(label=_("Method"), choices=Audit.Method.choices)
    meeting_link = forms.URLField(label=_("Meeting link"), required=False, max_length=200, assume_scheme="https")
    consent_to_record = forms.BooleanField(label=_("Consent to record obtained"), required=False)
    connection_notes = forms.CharField(
        label=_("Connection test and incidents"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["criteria"].queryset = requirement_choices()
        fields["lead"].queryset = people()
        fields["team"].queryset = people()


class AnswerForm(Form):
    result = forms.ChoiceField(label=_("Result"), choices=ChecklistQuestion.Result.choices)
    notes = forms.CharField(
        label=_("Evidence notes"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    interviewee = forms.CharField(label=_("Interviewee"), max_length=200, required=False)
    sampled_records = forms.CharField(
        label=_("Sampled records"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("Evidence file (PDF, DOCX or XLSX)"), required=False)
    file_title = forms.CharField(label=_("Title of the file"), max_length=300, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        self.cleaned_data["upload"] = None
        if upload:
            try:
                self.cleaned_data["upload"] = inspect_upload(upload, field="file")
            except ServiceError as exc:
                raise forms.ValidationError(exc.message) from None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("upload") and not (data.get("file_title") or "").strip():
            self.add_error("file_title", _("Give the file a title."))
        return data


class FindingForm(Form):
    grade = forms.ModelChoiceField(label=_("Grade"), queryset=FindingGrade.objects.filter(is_active=True))
    requirements = RequirementChoiceField(
        label=_("Requirements cited"),
        queryset=Requirement.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    site = CodeNameChoiceField(label=_("Site"), queryset=Site.objects.none())
    process = CodeNameChoiceField(label=_("Process"), queryset=Process.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Objective evidence"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["requirements"].queryset = audit.criteria.select_related("edition").order_by(
            "edition__standard__order", "order"
        )
        fields["site"].queryset = audit.sites.order_by("order", "code")
        procs = audit.processes.order_by("order", "code")
        fields["process"].queryset = (
            procs if procs.exists() else Process.objects.filter(is_active=True).order_by("order", "code")
        )


class ResponseForm(Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("1", _("Accept")), ("0", _("Contest"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReissueForm(Form):
    reason = forms.CharField(
        label=_("Why is the report issued again?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConclusionsForm(Form):
    agenda = forms.CharField(
        label=_("Agenda"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conclusions = forms.CharField(label=_("Conclusions"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3}))


ABSENT_WORDS = {"ausente", "absent", "no"}


class AttendanceForm(Form):
    """The attendance of one meeting: people of the system present or absent, external attendees
    one per line ("Name; Organisation", "; ausente" at the end when absent) and a free note."""

    on = forms.DateField(label=_("Held on"), required=False, widget=date_input())
    present = filtered_people(_("Present (people of the system)"))
    absent = filtered_people(_("Called but absent"))
    externals = forms.CharField(
        label=_("External attendees"),
        help_text=_("One per line: name; organisation — add «; ausente» when absent."),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    other = forms.CharField(
        label=_("Other attendees and notes"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["present"].queryset = people()
        fields["absent"].queryset = people()

    def clean_externals(self) -> list[dict[str, Any]]:
        rows = []
        for n, line in enumerate(str(self.cleaned_data.get("externals") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            present = True
            if len(parts) > 2 or (len(parts) == 2 and parts[-1].casefold() in ABSENT_WORDS):
                if parts[-1].casefold() not in ABSENT_WORDS:
                    raise forms.ValidationError(
                        _("Line %(n)s: write «name; organisation», and «; ausente» only when absent.") % {"n": n}
                    )
                present = False
                parts = parts[:-1]
            rows.append({"name": parts[0], "organisation": parts[1] if len(parts) > 1 else "", "present": present})
        return rows


def externals_text(attendees: Any) -> str:
    """The external attendees as the form writes them (to edit a recorded list)."""
    lines = []
    for a in attendees:
        parts = [a.name, a.organisation] if a.organisation or not a.present else [a.name]
        lines.append("; ".join(parts + ([] if a.present else ["ausente"])))
    return "\n".join(lines)


class ProfileForm(Form):
    standards = forms.ModelMultipleChoiceField(
        label=_("Competent in"), queryset=Standard.objects.order_by("order"), required=False
    )
    iso19011 = forms.BooleanField(label=_("Trained in ISO 19011"), required=False)
    training = forms.CharField(
        label=_("Training evidence"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvaluationForm(Form):
    auditor = PersonChoiceField(label=_("Team member"), queryset=User.objects.none())
    rating = forms.IntegerField(label=_("Rating (1–5)"), min_value=1, max_value=5)
    comment = forms.CharField(
        label=_("Comment"), max_length=TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["auditor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = audit.team.order_by("last_name", "first_name")


__all__ = ["requirement_choices"]
