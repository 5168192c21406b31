"""Forms of the action tracker: the list's filters and the status change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from actions.models import ActionItem
from actions.selectors import OPEN
from core.forms import Form
from core.registry import action_kinds
from organization.models import OrgUnit


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class ActionFilterForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), (OPEN, _("Open (pending or in progress)")), *ActionItem.Status.choices],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    responsible = PersonChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False, empty_label=_("All")
    )
    unit = UnitChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args: Any, visible: QuerySet[ActionItem], **kwargs: Any) -> None:
        """Responsible people and units are offered only as far as they appear in `visible`."""
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All")), *((code, k.label) for code, k in sorted(action_kinds().items()))]
        responsible = self.fields["responsible"]
        unit = self.fields["unit"]
        assert isinstance(responsible, forms.ModelChoiceField) and isinstance(unit, forms.ModelChoiceField)
        # EXISTS per person and unit (an index probe each) rather than IN over every visible item,
        # which SQLite materialises by reading the whole table (525,000 items at the bench's size).
        # Only the columns the options show (issue 10): the coordinator's ~180 people and ~80 units
        # were built as whole models, each date column converted, ~3 ms of the list page.
        responsible.queryset = (
            User.objects.filter(Exists(visible.order_by().filter(responsible_id=OuterRef("pk"))))
            .only("first_name", "last_name", "username")
            .order_by("last_name", "first_name")
        )
        unit.queryset = (
            OrgUnit.objects.filter(Exists(visible.order_by().filter(responsible_unit_id=OuterRef("pk"))))
            .only("code", "name")
            .order_by("code")
        )


class StatusForm(Form):
    status = forms.ChoiceField(label=_("New status"), choices=ActionItem.Status.choices)

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        """`choices`: the statuses offered on the page (the workflow's); a posted form keeps
        every status so that the service decides and explains a refusal."""
        super().__init__(*args, **kwargs)
        if choices is not None:
            field = self.fields["status"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=settings.SIG_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to mark it done or cancelled: the evidence or the reason."),
    )
