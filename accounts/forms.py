from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.access import AccountAuthority
from accounts.models import RoleAssignment, User
from accounts.roles import CENTRAL_GRANT_ONLY, Role
from core.forms import Form, HardenedMixin, ModelForm
from organization.models import OrgUnit, Site


class LoginForm(HardenedMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean_username(self) -> str:
        from accounts.services import normalize_username

        return normalize_username(self.cleaned_data["username"])


class RoleAssignmentForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.filter(is_active=True),
        help_text=_("A territorial unit confines the role to that UT."),
    )
    unit = forms.ModelChoiceField(
        label=_("Organic unit"), queryset=OrgUnit.objects.filter(is_active=True), required=False
    )
    valid_from = forms.DateField(label=_("Valid from"), help_text=_("dd/mm/yyyy"))
    valid_until = forms.DateField(label=_("Valid until"), required=False, help_text=_("dd/mm/yyyy, empty for no end"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, authority: AccountAuthority, **kwargs: Any) -> None:
        """Only the roles and sites `authority` may grant are offered (accounts.services decides)."""
        super().__init__(*args, **kwargs)
        if not authority.central:
            self.fields["role"].choices = [c for c in Role.choices if c[0] not in CENTRAL_GRANT_ONLY]  # type: ignore[attr-defined]
            self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
                is_active=True, is_central=False, pk__in=authority.site_ids
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The end date is before the start date."))
        return data


class PersonForm(ModelForm[User]):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "position", "site", "unit"]


class PersonEditForm(ModelForm[User]):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "position", "site", "unit"]


__all__ = ["LoginForm", "PersonEditForm", "PersonForm", "RoleAssignment", "RoleAssignmentForm"]


MAX_PASSWORD = 256  # longer input is refused before it reaches the password hasher


class _PasswordLimit:
    """Password fields bounded to MAX_PASSWORD characters (Django sets no bound). With
    HardenedMixin in front, they are cleaned as the login form cleans them (NFC, no control
    characters), so a password set here is the one the login page accepts."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.max_length = MAX_PASSWORD
                field.validators.append(MaxLengthValidator(MAX_PASSWORD))
        if "new_password1" in self.fields:
            self.fields["new_password1"].help_text = ""  # the page states the rules in one sentence


class OwnPasswordForm(HardenedMixin, _PasswordLimit, auth_forms.PasswordChangeForm):
    """The current password and the new one twice (Django checks the rules of
    AUTH_PASSWORD_VALIDATORS; accounts.services.change_password stores it)."""


class LinkPasswordForm(HardenedMixin, _PasswordLimit, auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    """The new password twice, on the page a single-use link opens."""


class PasswordLinkRequestForm(Form):
    identifier = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
