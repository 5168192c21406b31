"""Forms of the plan pages. They parse input into clean Python values (bad input is a field
error: 400, nothing stored); plans.services decides whether the operation is allowed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from committee.access import sessions_visible_to
from core.files import inspect_upload
from core.forms import Form
from core.services import ServiceError
from documents.access import documents_visible_to
from organization.models import LegalNorm, OrgUnit, Site
from plans.models import Activity, Plan
from plans.selectors import DEADLINE_DAYS, STATUS_FILTERS

# The seed's §5 and §12, offered when a plan is created (editable).
SEED_RESPONSIBILITIES = [
    ("Comité del Sistema Integrado de Gestión", "Revisar el Plan de Desarrollo del SIG y sus modificaciones."),
    ("Director/a Ejecutivo/a", "Aprobar el Plan y sus modificaciones."),
    ("Jefe/a de UPPM", "Gestionar la implementación de las acciones en el marco de su competencia."),
    (
        "Coordinador/a de Modernización de la Gestión",
        "Realizar el seguimiento de la implementación de las acciones plasmadas en el cronograma de actividades.",
    ),
    (
        "Coordinador/a Técnico/a",
        "Desarrollar las acciones plasmadas en el cronograma de actividades, en el marco de sus competencias.",
    ),
    ("Jefes de Unidades", ""),
]
SEED_STAGES = ["Mantenimiento", "Seguimiento, medición y análisis", "Mejora"]


def money_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    """Soles: not negative, at most two decimals (a third decimal is a field error)."""
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0, **kwargs)


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    """The browser's date picker (ISO value; d/m/Y also accepted)."""
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


def _people() -> Any:
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


class CodeTitleChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


class ActivityMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title[:120]}"


# --- plans ---------------------------------------------------------------------------------


class PlanForm(Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=Plan.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    objective = forms.CharField(
        label=_("Objective"), max_length=settings.SIG_MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    scope = forms.CharField(
        label=_("Scope"), max_length=settings.SIG_MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=OrgUnit.objects.filter(is_active=True))
    legal_basis = forms.ModelMultipleChoiceField(
        label=_("Legal basis"),
        queryset=LegalNorm.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    budget_amount = money_field(_("Assigned budget (S/)"), initial="0.00")
    budget_source = forms.CharField(label=_("Budget source (e.g. POI 2020)"), max_length=100, required=False)
    document = CodeTitleChoiceField(
        label=_("Controlled document of the plan"), queryset=documents_visible_to(None), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents_visible_to(user).order_by("code")  # type: ignore[attr-defined]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PlanCreateForm(PlanForm):
    responsibilities = forms.CharField(
        label=_("Responsibilities (one per line: role: responsibility)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        initial="\n".join(f"{role}: {text}".rstrip(": ") for role, text in SEED_RESPONSIBILITIES),
    )
    stages = forms.CharField(
        label=_("Stages (one per line)"),
        max_length=settings.SIG_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="\n".join(SEED_STAGES),
    )

    def clean_responsibilities(self) -> list[tuple[str, str]]:
        out = []
        for line in _lines(self.cleaned_data["responsibilities"]):
            role, _sep, text = line.partition(":")
            if len(role.strip()) > 200:
                raise forms.ValidationError(_("A role has at most 200 characters."))
            out.append((role.strip(), text.strip()))
        return out

    def clean_stages(self) -> list[str]:
        stages = _lines(self.cleaned_data["stages"])
        if not stages:
            raise forms.ValidationError(_("Name at least one stage."))
        if any(len(s) > 200 for s in stages):
            raise forms.ValidationError(_("A stage name has at most 200 characters."))
        return stages


class PlanApproveForm(Form):
    resolution = forms.CharField(label=_("Approving resolution (RDE)"), max_length=200)
    approved_on = date_field(_("Approved on"))


# --- activities and products ---------------------------------------------------------------


class ActivityForm(Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    title = forms.CharField(label=_("Activity"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.filter(is_active=True)
    )
    responsible_person = forms.ModelChoiceField(label=_("Responsible person"), queryset=_people(), required=False)
    sites = forms.ModelMultipleChoiceField(
        label=_("Where (sites and UTs)"),
        queryset=Site.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    planned_start = date_field(_("Planned start"))
    planned_end = date_field(_("Planned end"))
    is_milestone = forms.BooleanField(label=_("Milestone"), required=False)


class ActivityEditForm(ActivityForm):
    actual_start = date_field(_("Actual start"), required=False)
    actual_end = date_field(_("Actual end"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    progress = forms.IntegerField(label=_("Progress %"), min_value=0, max_value=100)

    def __init__(self, *args: Any, has_products: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_products:  # progress follows from the products
            del self.fields["progress"]


class ProductForm(Form):
    title = forms.CharField(label=_("Product"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    expected_type = forms.CharField(label=_("Kind of deliverable"), max_length=100, required=False)
    activities = ActivityMultipleChoiceField(
        label=_("Activities it delivers"),
        queryset=Activity.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = activities  # type: ignore[attr-defined]


class DeliverForm(Form):
    """The evidence that proves a product: a controlled document the user can see, a file
    uploaded now, or a Committee session the user can see."""

    KINDS = [
        ("document", _("A controlled document")),
        ("file", _("An uploaded file")),
        ("session", _("A Committee session")),
    ]
    kind = forms.ChoiceField(label=_("Evidence"), choices=KINDS, widget=forms.RadioSelect, initial="document")
    document = CodeTitleChoiceField(label=_("Document"), queryset=documents_visible_to(None), required=False)
    file = forms.FileField(label=_("File (PDF, DOCX or XLSX)"), required=False)
    file_title = forms.CharField(label=_("Title of the file"), max_length=300, required=False)
    session = forms.ModelChoiceField(label=_("Committee session"), queryset=sessions_visible_to(None), required=False)
    delivered_on = date_field(_("Delivered on"), required=False, help_text=_("Today when empty."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents_visible_to(user).order_by("code")  # type: ignore[attr-defined]
        self.fields["session"].queryset = sessions_visible_to(user).order_by("-date")  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        self.cleaned_data["upload"] = None
        if upload:
            try:
                self.cleaned_data["upload"] = inspect_upload(upload, field="file")
            except ServiceError as exc:
                raise forms.ValidationError(exc.message) from None
        return upload

    def clean_delivered_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("delivered_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("The delivery date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == "document" and not data.get("document") and "document" not in self.errors:
            self.add_error("document", _("Choose the document."))
        elif kind == "file":
            if not data.get("upload") and "file" not in self.errors:
                self.add_error("file", _("Choose the file."))
            if not (data.get("file_title") or "").strip():
                self.add_error("file_title", _("Give the file a title."))
        elif kind == "session" and not data.get("session") and "session" not in self.errors:
            self.add_error("session", _("Choose the session."))
        return data


class BudgetTaskForm(Form):
    title = forms.CharField(label=_("Task"), max_length=500)
    programmed_amount = money_field(_("Programmed (S/)"))
    executed_amount = money_field(_("Executed (S/)"), initial="0.00", required=False)
    activities = ActivityMultipleChoiceField(
        label=_("Activities"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = activities  # type: ignore[attr-defined]

    def clean_executed_amount(self) -> Decimal:
        return self.cleaned_data.get("executed_amount") or Decimal("0.00")


# --- change requests (§13) -------------------------------------------------------------------


class ChangeRequestForm(Form):
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=settings.SIG_MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    affected_sections = forms.CharField(label=_("Affected sections"), max_length=500, required=False)
    affected_activities = ActivityMultipleChoiceField(
        label=_("Affected activities"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    supporting_report = forms.CharField(label=_("Supporting informe (number)"), max_length=200)

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["affected_activities"].queryset = activities  # type: ignore[attr-defined]


class CommitteeReviewForm(Form):
    session = forms.ModelChoiceField(label=_("Committee session"), queryset=sessions_visible_to(None))
    opinion = forms.CharField(
        label=_("Committee opinion"),
        max_length=settings.SIG_MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions_visible_to(user).order_by("-date")  # type: ignore[attr-defined]


class DecisionForm(Form):
    DECISIONS = [("approve", _("Approve")), ("reject", _("Reject"))]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    resolution = forms.CharField(label=_("Approving resolution (RDE)"), max_length=200, required=False)
    decided_on = date_field(_("Date"), required=False, help_text=_("Today when empty."))
    note = forms.CharField(
        label=_("Note"), max_length=settings.SIG_MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "approve" and not (data.get("resolution") or "").strip():
            self.add_error("resolution", _("Cite the approving resolution."))
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the change is rejected."))
        return data


class CommunicationsForm(Form):
    oficio = forms.CharField(label=_("Oficio to the DGCGPS (number)"), max_length=200)
    memorando = forms.CharField(label=_("Memorando múltiple to the units (number)"), max_length=200)


# --- filters ---------------------------------------------------------------------------------


class ActivityFilterForm(Form):
    q = forms.CharField(label=_("Search (code, activity)"), required=False, max_length=200)
    stage = forms.TypedChoiceField(label=_("Stage"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.all(), to_field_name="code", required=False
    )
    site = forms.ModelChoiceField(
        label=_("Site or UT"), queryset=Site.objects.all(), to_field_name="code", required=False
    )
    due_within = forms.TypedChoiceField(
        label=_("Ending"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any time")), (str(DEADLINE_DAYS), _("In the next 30 days"))],
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = [(str(s.number), f"{s.number}. {s.name}") for s in plan.stages.order_by("number")]
        self.fields["stage"].choices = [("", _("All")), *stages]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("All")), *STATUS_FILTERS.items()]  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = _("All")  # type: ignore[attr-defined]
        self.fields["site"].empty_label = _("All")  # type: ignore[attr-defined]


class PlanFilterForm(Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of plan"), required=False, choices=[("", _("All")), *Plan.Kind.choices])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All")), *((str(y), str(y)) for y in years)]  # type: ignore[attr-defined]
