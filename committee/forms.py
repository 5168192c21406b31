"""Forms of the Comité del SIG pages. They parse input into clean Python values; the services
in committee/services.py decide whether the change is allowed (e.g. the acta is still open)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User
from committee.access import committee_members
from committee.models import Session
from core.forms import Form

DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_FORMAT = "%d/%m/%Y"
MAX_TOPICS = 30


def responsible_choices() -> QuerySet[User]:
    """Active people holding some role today: an acuerdo is followed up by someone who can see it."""
    holders = RoleAssignment.objects.active().values("user_id")
    return (
        User.objects.filter(is_active=True, pk__in=holders).select_related("unit").order_by("last_name", "first_name")
    )


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} — {obj.unit.code}" if obj.unit_id else name


class MemberChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} — {obj.position}" if obj.position else str(name)


class SessionForm(Form):
    number = forms.CharField(label=_("Number"), max_length=30, help_text=_("E.g. 01-2020."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Session.Kind.choices)
    date = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"placeholder": "dd/mm/aaaa HH:MM"}),
        help_text=_("dd/mm/aaaa HH:MM"),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def clean_number(self) -> str:
        number: str = self.cleaned_data["number"].strip()
        if not number:
            raise forms.ValidationError(_("Give the session number."))
        return number


class SessionCreateForm(SessionForm):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=settings.SIG_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One topic per line."),
    )

    def clean_agenda(self) -> list[str]:
        topics = [line.strip() for line in self.cleaned_data.get("agenda", "").splitlines() if line.strip()]
        if len(topics) > MAX_TOPICS:
            raise forms.ValidationError(_("At most %(n)s topics.") % {"n": MAX_TOPICS})
        if any(len(t) > 500 for t in topics):
            raise forms.ValidationError(_("A topic has at most 500 characters."))
        return topics


class AttendanceForm(Form):
    attendees = MemberChoiceField(
        label=_("Members present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.CharField(
        label=_("Guests"),
        max_length=500,
        required=False,
        help_text=_("Name and position of each guest, separated by semicolons."),
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        """The members today, plus anyone already recorded present (so that saving the form
        never drops them silently, e.g. a member whose role ended after the session)."""
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = User.objects.filter(
            Q(pk__in=committee_members().values("pk")) | Q(pk__in=session.attendees.values("pk"))
        ).order_by("last_name", "first_name")


class AgendaItemForm(Form):
    topic = forms.CharField(label=_("Topic"), max_length=500)
    notes = forms.CharField(
        label=_("Discussion"),
        required=False,
        max_length=settings.SIG_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown."),
    )


class MinutesForm(Form):
    minutes = forms.CharField(
        label=_("Minutes (development of the session)"),
        required=False,
        max_length=settings.SIG_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Printed in the acta after the agenda topics."),
    )


class AgreementForm(Form):
    title = forms.CharField(label=_("Acuerdo"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    responsible = PersonChoiceField(label=_("Responsible"), queryset=User.objects.none())
    due_date = forms.DateField(
        label=_("Due date"),
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/aaaa"}),
        help_text=_("dd/mm/aaaa"),
    )
    evidence_required = forms.BooleanField(
        label=_("Closing it requires evidence"),
        required=False,
        initial=True,
        help_text=_("Untick for an acuerdo whose fulfilment is only stated in a note."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = responsible_choices()

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Write the acuerdo."))
        return title


class CloseActaForm(Form):
    """Closing takes no input; the form carries the error when the service refuses."""
