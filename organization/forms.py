from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ModelForm
from organization.models import GlossaryTerm, LegalNorm, ManagementSystem, OrgUnit, Process, Site

# `ModelForm[Model]` only exists in the stubs (django_stubs_ext.monkeypatch() is not installed),
# hence the `type-arg` ignores below.


class UnitForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent", "site", "is_active", "order"]


class SiteForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Site
        fields = ["name", "department", "address", "phone", "is_demo", "is_active"]

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]


class ProcessForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Process
        fields = ["code", "name", "name_en", "type", "parent", "owner_unit", "description", "is_active", "order"]


class SystemForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ManagementSystem
        fields = ["objective", "certification_status", "certification_body", "certificate_number", "certified_until"]


class LegalNormForm(ModelForm):  # type: ignore[type-arg]
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = LegalNorm
        fields = ["kind", "number", "year", "issuer", "title", "is_current", "url", "seed_ref"]


class GlossaryTermForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = GlossaryTerm
        fields = ["term", "is_acronym", "definition", "definition_en", "source"]
