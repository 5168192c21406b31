"""A sites field people can use on a tablet: a checkbox per site or UT, with shortcuts for the
Sede Central, every UT, and none (22 sites in a multiple-select list were unusable)."""

from __future__ import annotations

from typing import Any

from django import forms


class SiteCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "organization/widgets/sites.html"

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: Any,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-site-kind"] = instance.kind
        return option
