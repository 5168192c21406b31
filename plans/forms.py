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
from organization.widgets import SiteCheckboxes
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
        widget=SiteCheckboxes,
    )
    planned_start = date_field(_("Planned start"))
    planned_end = date_field(_("Planned end"))
    is_milestone = forms.BooleanField(label=_("Milestone"), required=False)


PRODUCT_TITLE_MAX = 1000
PRODUCTS_PER_ACTIVITY = 50


class ActivityCreateForm(ActivityForm):
    """A new activity with its products in one go, as Tabla 01 pairs them."""

    field_order = ["code", "title", "products"]

    products = forms.CharField(
        label=_("Products it delivers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One product per line (optional). More can be added or shared with other activities later."),
    )

    def clean_products(self) -> list[str]:
        titles: list[str] = []
        for line in (self.cleaned_data.get("products") or "").splitlines():
            title = " ".join(line.split())
            if not title or title in titles:
                continue
            if len(title) > PRODUCT_TITLE_MAX:
                raise forms.ValidationError(
                    _("A product has more than %(n)s characters."), params={"n": PRODUCT_TITLE_MAX}
                )
            titles.append(title)
        if len(titles) > PRODUCTS_PER_ACTIVITY:
            raise forms.ValidationError(_("At most %(n)s products at once."), params={"n": PRODUCTS_PER_ACTIVITY})
        return titles


class ActivityEditForm(ActivityForm):
    actual_start = date_field(_("Actual start"), required=False)
    actual_end = date_field(_("Actual end"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Activity.Status.choices)
    progress = forms.IntegerField(label=_("Progress %"), min_value=0, max_value=100)

    def __init__(self, *args: Any, has_products: bool, frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_products:  # progress follows from the products
            del self.fields["progress"]
        if frozen:  # an approved plan: the planning is changed by change request, execution here
            for name, field in self.fields.items():
                if name not in {"actual_start", "actual_end", "status", "progress"}:
                    field.disabled = True
                    field.help_text = _("Changed only through a change request.")


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


# --- the changes a request proposes (plans.changes) -----------------------------------------


class RescheduleForm(Form):
    activity = CodeTitleChoiceField(label=_("Activity"), queryset=Activity.objects.none(), required=False)
    planned_start = date_field(_("New planned start"), required=False)
    planned_end = date_field(_("New planned end"), required=False)

    def __init__(self, *args: Any, activities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities if activities is not None else Activity.objects.none()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("activity") and not (data.get("planned_start") and data.get("planned_end")):
            raise forms.ValidationError(_("Give the new start and end of the activity."))
        return data

    def op(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("activity"):
            return None
        return {
            "op": "reschedule",
            "activity": d["activity"].code,
            "planned_start": d["planned_start"].isoformat(),
            "planned_end": d["planned_end"].isoformat(),
        }


class NewActivityForm(Form):
    stage = forms.TypedChoiceField(label=_("Stage"), required=False, coerce=int, empty_value=None)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    title = forms.CharField(label=_("Activity"), max_length=1000, required=False)
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=OrgUnit.objects.filter(is_active=True),
        to_field_name="code",
        required=False,
    )
    planned_start = date_field(_("Planned start"), required=False)
    planned_end = date_field(_("Planned end"), required=False)
    sites = forms.ModelMultipleChoiceField(
        label=_("Where"),
        queryset=Site.objects.filter(is_active=True).order_by("order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "site-choices"}),
    )
    products = forms.CharField(
        label=_("Products"), max_length=2000, required=False, help_text=_("Separated by semicolons.")
    )

    def __init__(self, *args: Any, stages: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "—"), *((str(n), f"{n}. {name}") for n, name in stages)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(k) for k in ("code", "title")):
            missing = [k for k in ("stage", "code", "title", "unit", "planned_start", "planned_end") if not data.get(k)]
            for name in missing:
                self.add_error(name, _("This field is required."))
        return data

    def op(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("code"):
            return None
        return {
            "op": "add_activity",
            "stage": d["stage"],
            "code": d["code"],
            "title": d["title"],
            "unit": d["unit"].code,
            "planned_start": d["planned_start"].isoformat(),
            "planned_end": d["planned_end"].isoformat(),
            "sites": sorted(s.code for s in d["sites"]),
            "products": [p.strip() for p in (d.get("products") or "").split(";") if p.strip()],
        }


class BudgetChangeForm(Form):
    programmed_amount = forms.DecimalField(
        label=_("New programmed amount (S/)"), required=False, max_digits=14, decimal_places=2, min_value=0
    )


class ChangesEditor:
    """The change request form's proposed changes, as formsets (reschedule, new activities,
    budget per task) plus the activities removed and new plan texts; `ops()` gives them as
    plans.changes operations."""

    def __init__(self, plan: Plan, data: Any = None) -> None:
        activities = plan.activities.select_related("stage").order_by("stage__number", "order", "pk")
        stages = list(plan.stages.order_by("number").values_list("number", "name"))
        reschedule = forms.formset_factory(RescheduleForm, extra=3, max_num=50, absolute_max=100)
        new = forms.formset_factory(NewActivityForm, extra=2, max_num=30, absolute_max=60)
        self.tasks = list(plan.budget_tasks.order_by("order", "pk"))
        budget = forms.formset_factory(BudgetChangeForm, extra=0, max_num=len(self.tasks), absolute_max=len(self.tasks))
        self.reschedule = reschedule(data, prefix="reschedule", form_kwargs={"activities": activities})
        self.new = new(data, prefix="new", form_kwargs={"stages": stages})
        self.budget = budget(data, prefix="budget", initial=[{} for _ in self.tasks])
        self.budget_rows = list(zip(self.tasks, self.budget.forms, strict=False))
        self.removals = RemovalsForm(data, prefix="removals", activities=activities)

    def is_valid(self) -> bool:
        return all([self.reschedule.is_valid(), self.new.is_valid(), self.budget.is_valid(), self.removals.is_valid()])

    def ops(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for reschedule in self.reschedule.forms:
            if (op := reschedule.op()) is not None:
                out.append(op)
        for new in self.new.forms:
            if (op := new.op()) is not None:
                out.append(op)
        for activity in self.removals.cleaned_data.get("cancel") or []:
            out.append({"op": "cancel_activity", "activity": activity.code})
        for task, budget in self.budget_rows:
            amount = budget.cleaned_data.get("programmed_amount")
            if amount is not None and amount != task.programmed_amount:
                out.append({"op": "budget", "task": task.pk, "programmed_amount": f"{amount:.2f}"})
        for field in ("objective", "scope"):
            value = (self.removals.cleaned_data.get(field) or "").strip()
            if value:
                out.append({"op": "plan_text", "field": field, "value": value})
        return out


class RemovalsForm(Form):
    cancel = ActivityMultipleChoiceField(
        label=_("Activities removed from the plan (cancelled)"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    objective = forms.CharField(
        label=_("New objective"),
        max_length=settings.SIG_MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    scope = forms.CharField(
        label=_("New scope"), max_length=settings.SIG_MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cancel"].queryset = activities  # type: ignore[attr-defined]


class CommitteeReviewForm(Form):
    session = forms.ModelChoiceField(label=_("Committee session"), queryset=sessions_visible_to(None))
    opinion = forms.CharField(
        label=_("Committee opinion"),
        max_length=settings.SIG_MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, proposed_at: Any = None, **kwargs: Any) -> None:
        """Only open sessions held on or after the request's proposal can review it."""
        super().__init__(*args, **kwargs)
        sessions = sessions_visible_to(user).exclude(status="closed")
        if proposed_at is not None:
            sessions = sessions.filter(date__date__gte=timezone.localdate(proposed_at))
        self.fields["session"].queryset = sessions.order_by("-date")  # type: ignore[attr-defined]


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
