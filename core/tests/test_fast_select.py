"""The Python-rendered <select> of every form (core.forms.FastSelect) writes exactly the HTML of
Django's templates."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.forms import FastSelect, FastSelectMultiple, Form
from organization.models import OrgUnit

CHOICES = [
    ("", "Todas"),
    ("a", "Área <central>"),
    ("b", 'Comillas "dobles" & más'),
    (3, "Tres"),
    ("c", gettext_lazy("Filter")),  # lazy text
    ("d", mark_safe("<b>ya segura</b> &amp; escapada")),  # safe text: as it is
    ("e&'", 42),  # not text
]
GROUPED = [("Grupo & uno", [("x", "Equis"), ("y", "Ye")]), ("z", "Zeta")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "", "a", "3", ["a", "b"], "<x>"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_f", "required": True, "disabled": False, "data-x": 'v"1'}, {"class": "c"}]
)
def test_the_html_is_django_s(choices, value, attrs):
    for plain, fast in [(forms.Select, FastSelect), (forms.SelectMultiple, FastSelectMultiple)]:
        want = plain(choices=choices).render("f", value, attrs=attrs)
        got = fast(choices=choices).render("f", value, attrs=attrs)
        assert str(got) == str(want)


@pytest.mark.django_db
def test_every_form_s_select_is_rendered_in_python_with_the_same_html(cmg):
    class F(Form):
        unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), required=False, empty_label="Todas")
        units = forms.ModelMultipleChoiceField(queryset=OrgUnit.objects.all(), required=False)
        kind = forms.ChoiceField(choices=CHOICES, required=False)

    assert OrgUnit.objects.exists()
    form = F({"kind": "a"})
    assert type(form.fields["unit"].widget) is FastSelect
    assert type(form.fields["units"].widget) is FastSelectMultiple
    for name in ("unit", "units", "kind"):
        field = form[name]
        fast = str(field)
        field.field.widget.__class__ = type(field.field.widget).__mro__[2]  # back to Django's own
        assert str(form[name]) == fast
