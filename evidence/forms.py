"""Forms of the evidence store: evidence to link to a requirement, an acuerdo or an action (a
document by its code, or a file uploaded now)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import inspect_upload
from core.forms import Form
from core.services import ServiceError


class EvidenceForm(Form):
    """Evidence to link: a document by its code, or a file uploaded now (with its title)."""

    document_code = forms.CharField(
        label=_("Document code"),
        required=False,
        max_length=100,
        help_text=_("A document you can see, e.g. PNADP-UPPM-CMG-P-001."),
    )
    file = forms.FileField(label=_("Or a file (PDF, DOCX or XLSX)"), required=False)
    file_title = forms.CharField(label=_("Title of the file"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

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
        has_code = bool((data.get("document_code") or "").strip())
        has_file = bool(data.get("upload"))
        if has_code == has_file and not self.errors:
            raise forms.ValidationError(_("Give a document code or a file (one of the two)."))
        if has_file and not (data.get("file_title") or "").strip():
            self.add_error("file_title", _("Give the file a title."))
        return data
