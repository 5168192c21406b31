"""Forms of document control. They parse input into clean Python values; the services in
documents/services.py decide whether the operation is allowed and carry it out.

An uploaded file is checked here (core.files.inspect_upload: type by content, size limit,
SHA-256, extracted text); the result is `cleaned_data["upload"]` (an InspectedFile or None) and
the original name `cleaned_data["file_name"]`. A bad file is a field error: nothing is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Requirement
from core.access import get_scope
from core.files import inspect_upload
from core.forms import Form
from core.services import ServiceError
from documents.models import Classification, Document, DocumentType, VersionStatus, WorkflowRule
from organization.models import ManagementSystem, OrgUnit, Process


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    """A DateField shown as the browser's date picker (ISO value; d/m/Y also accepted)."""
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


ACCEPT = (
    ".pdf,.docx,.xlsx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class RequirementChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.edition.label} {obj.number} {obj.title_l}"


def requirement_choices() -> QuerySet[Requirement]:
    """Requirements of the editions the organisation's management systems implement, without the
    Annex A grouping rows (a document serves a clause or a control, not a heading)."""
    return (
        Requirement.objects.filter(edition__in=ManagementSystem.objects.values("edition"))
        .exclude(kind__in=[Requirement.Kind.DOMAIN, Requirement.Kind.OBJECTIVE])
        .select_related("edition")
        .order_by("edition__standard__order", "edition__year", "order")
    )


def units_for_drafting(user: Any) -> QuerySet[OrgUnit]:
    """Active units at the sites where the user holds a drafting role of some document type.
    The choice list only narrows the form: register_document checks the exact rule."""
    roles = set(WorkflowRule.objects.filter(step=WorkflowRule.Step.ELABORATE).values_list("role", flat=True))
    scope = get_scope(user)
    qs = OrgUnit.objects.filter(is_active=True).select_related("site")
    if roles & scope.central_roles:
        return qs
    return qs.filter(site_id__in=[site for site, held in scope.site_roles.items() if roles & held])


class UploadMixin(Form):
    file = forms.FileField(
        label=_("File (PDF, DOCX or XLSX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        self.cleaned_data["upload"] = None
        self.cleaned_data["file_name"] = ""
        if upload:
            try:
                self.cleaned_data["upload"] = inspect_upload(upload, field="file")
            except ServiceError as exc:
                raise forms.ValidationError(exc.message) from None
            self.cleaned_data["file_name"] = upload.name
        return upload


def _file_help() -> str:
    return str(_("Type checked by content; at most %(mb)s MB.") % {"mb": settings.SIG_MAX_UPLOAD_MB})


class ChangeFieldsMixin(Form):
    """One row of the Control de Cambios table."""

    justification = forms.CharField(label=_("Justification of the change"), max_length=500, required=False)
    texts_modified = forms.CharField(
        label=_("Texts modified"),
        required=False,
        max_length=settings.SIG_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    supporting_reference = forms.CharField(
        label=_("Supporting document (e.g. informe number)"), max_length=200, required=False
    )
    responsible = forms.CharField(
        label=_("Responsible"),
        max_length=150,
        required=False,
        help_text=_("Unit or person; the owner unit's code when empty."),
    )


class DocumentFilterForm(Form):
    # The choice lists read only what their labels (each model's __str__) show: the form's
    # 156 options at the bench sizes cost more to build with every column (issue 10).
    q = forms.CharField(label=_("Search (code, title, text)"), required=False, max_length=200)
    document_type = forms.ModelChoiceField(
        label=_("Type"), queryset=DocumentType.objects.only("name", "name_en"), required=False, empty_label=_("All")
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Owner unit"), queryset=OrgUnit.objects.only("code", "name"), required=False, empty_label=_("All")
    )
    process = forms.ModelChoiceField(
        label=_("Process"),
        queryset=Process.objects.only("code", "name", "name_en"),
        required=False,
        empty_label=_("All"),
    )
    system = forms.ModelChoiceField(
        label=_("Management system"),
        queryset=ManagementSystem.objects.only("code", "name", "name_en"),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *VersionStatus.choices])
    classification = forms.ChoiceField(
        label=_("Classification"), required=False, choices=[("", _("All")), *Classification.choices]
    )
    review = forms.ChoiceField(
        label=_("Review"), required=False, choices=[("", _("All")), ("due", _("Due within 30 days or overdue"))]
    )


class DocumentFieldsMixin(Form):
    """Metadata shared by registration and editing."""

    title = forms.CharField(label=_("Title"), max_length=300)
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.filter(is_active=True), required=False
    )
    systems = forms.ModelMultipleChoiceField(
        label=_("Management systems"),
        queryset=ManagementSystem.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    requirements = RequirementChoiceField(
        label=_("Requirements served"),
        queryset=Requirement.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Classification.choices, initial=Classification.INTERNAL
    )
    review_period_months = forms.IntegerField(
        label=_("Review period (months)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("The type's default when empty."),
    )
    distribution_units = forms.ModelMultipleChoiceField(
        label=_("Distributed to"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Everyone when none is chosen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirements"].queryset = requirement_choices()  # type: ignore[attr-defined]


class DocumentRegisterForm(UploadMixin, ChangeFieldsMixin, DocumentFieldsMixin):
    document_type = forms.ModelChoiceField(
        label=_("Type"), queryset=DocumentType.objects.filter(requires_approval=True)
    )
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=OrgUnit.objects.none())
    legacy_code = forms.CharField(
        label=_("Existing code"),
        max_length=100,
        required=False,
        help_text=_("Only for a document that already has a code; otherwise the next code is assigned."),
    )
    endorsing_units = forms.ModelMultipleChoiceField(
        label=_("Units that must endorse (visado)"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    content = forms.CharField(
        label=_("Content (Markdown)"), required=False, max_length=200_000, widget=forms.Textarea(attrs={"rows": 14})
    )

    field_order = [
        "document_type",
        "title",
        "owner_unit",
        "legacy_code",
        "process",
        "systems",
        "requirements",
        "classification",
        "review_period_months",
        "distribution_units",
        "endorsing_units",
        "content",
        "file",
        "justification",
        "texts_modified",
        "supporting_reference",
        "responsible",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units_for_drafting(user)  # type: ignore[attr-defined]
        self.fields["file"].help_text = _file_help()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("content") or "").strip() and not data.get("upload") and "file" not in self.errors:
            self.add_error("content", _("Write the content or upload a file."))
        return data


class ExternalDocumentForm(UploadMixin, DocumentFieldsMixin):
    document_type = forms.ModelChoiceField(
        label=_("Type"), queryset=DocumentType.objects.filter(requires_approval=False)
    )
    owner_unit = forms.ModelChoiceField(label=_("Unit that keeps it"), queryset=OrgUnit.objects.none())
    external_issuer = forms.CharField(label=_("Issuer"), max_length=200)
    effective_on = date_field(_("In force since"), required=False)
    content = forms.CharField(
        label=_("Notes or text (Markdown)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = [
        "document_type",
        "title",
        "external_issuer",
        "owner_unit",
        "process",
        "systems",
        "requirements",
        "classification",
        "review_period_months",
        "distribution_units",
        "effective_on",
        "content",
        "file",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units_for_drafting(user)  # type: ignore[attr-defined]
        self.fields["classification"].initial = Classification.PUBLIC
        self.fields["file"].help_text = _file_help()


class DocumentEditForm(DocumentFieldsMixin):
    external_issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": document.title,
                "process": document.process_id,
                "classification": document.classification,
                "review_period_months": document.review_period_months,
                "external_issuer": document.external_issuer,
                "systems": list(document.systems.values_list("pk", flat=True)),
                "requirements": list(document.requirements.values_list("pk", flat=True)),
                "distribution_units": list(document.distribution_units.values_list("pk", flat=True)),
            },
        )
        super().__init__(*args, **kwargs)
        if not document.is_external:
            del self.fields["external_issuer"]

    def clean_review_period_months(self) -> int:
        value = self.cleaned_data.get("review_period_months")
        if value is None:
            raise forms.ValidationError(_("This field is required."))
        return int(value)


class NewVersionForm(UploadMixin, ChangeFieldsMixin):
    content = forms.CharField(
        label=_("Content (Markdown)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Starts from the previous version's text."),
    )
    date = date_field(_("Date of the change"), required=False)
    endorsing_units = forms.ModelMultipleChoiceField(
        label=_("Units that must endorse (visado)"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    field_order = [
        "content",
        "file",
        "justification",
        "texts_modified",
        "supporting_reference",
        "date",
        "responsible",
        "endorsing_units",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["justification"].required = True
        self.fields["file"].help_text = _file_help()


class DraftForm(UploadMixin):
    """Edit a draft: its text, a (new) file, the units that must endorse it."""

    content = forms.CharField(
        label=_("Content (Markdown)"), required=False, max_length=200_000, widget=forms.Textarea(attrs={"rows": 14})
    )
    endorsing_units = forms.ModelMultipleChoiceField(
        label=_("Units that must endorse (visado)"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Replace the file (PDF, DOCX or XLSX)")
        self.fields["file"].help_text = _file_help()


class ChangeEntryForm(ChangeFieldsMixin):
    date = date_field(_("Date"), required=False)

    field_order = ["date", "justification", "texts_modified", "supporting_reference", "responsible"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["justification"].required = True


class CommentForm(Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=settings.SIG_MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class EndorseForm(CommentForm):
    unit = forms.ModelChoiceField(label=_("On behalf of"), queryset=OrgUnit.objects.none())

    field_order = ["unit", "comment"]

    def __init__(self, *args: Any, pending: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in pending]
        )


class ApproveForm(CommentForm):
    instrument = forms.CharField(label=_("Approving instrument (e.g. RDE number)"), max_length=150, required=False)
    approved_on = date_field(_("Approved on"), required=False, help_text=_("Today when empty."))
    publish_now = forms.BooleanField(label=_("Put it in force (vigente) now"), required=False)
    effective_on = date_field(_("In force since"), required=False, help_text=_("Today when empty."))

    field_order = ["instrument", "approved_on", "comment", "publish_now", "effective_on"]


class PublishForm(Form):
    effective_on = date_field(_("In force since"), required=False, help_text=_("Today when empty."))


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
