"""Model building blocks shared by every area (the platform layer: core, accounts, audit, reports)."""

from __future__ import annotations

from django.utils.translation import get_language


class Localized:
    """Mixin for models with `<name>` (Spanish) and `<name>_en` fields."""

    def localized(self, name: str) -> str:
        if (get_language() or "es").startswith("en"):
            value = getattr(self, f"{name}_en", "")
            if value:
                return str(value)
        return str(getattr(self, name))

    # Templates cannot pass arguments, so the localized fields they show get a property each.
    @property
    def name_l(self) -> str:
        return self.localized("name") if hasattr(self, "name") else ""

    @property
    def title_l(self) -> str:
        return self.localized("title") if hasattr(self, "title") else ""

    @property
    def definition_l(self) -> str:
        return self.localized("definition") if hasattr(self, "definition") else ""
