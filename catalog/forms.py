from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import Form


class OfficialTextForm(Form):
    official_text = forms.CharField(
        label=_("Official text (licensee)"),
        required=False,
        widget=forms.Textarea,
        max_length=settings.SIG_MAX_TEXT,
        help_text=_("Paste here the text of your licensed copy. It is never published or exported."),
    )


class RequirementFilterForm(Form):
    q = forms.CharField(label=_("Number or title"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), ("clause", _("Clauses")), ("control", _("Annex A controls"))],
    )
