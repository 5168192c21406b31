"""Model building blocks shared by every area (the platform layer: core, accounts, audit, reports)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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


class NonWorkingDay(models.Model):
    """A day without business that national law alone does not know: a day the government
    decrees non-working for the public sector, a regional holiday, an institutional closure.
    National holidays come from the maintained `holidays` library (core.calendar)."""

    class Kind(models.TextChoices):
        DECREED = "decreed", _("Non-working day decreed for the public sector")
        REGIONAL = "regional", _("Regional holiday")
        INSTITUTIONAL = "institutional", _("Institutional closure")

    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DECREED)
    description = models.CharField(_("description"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A day registered by mistake is withdrawn, never deleted (the audit trail keeps both).
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(withdrawn_at__isnull=True), name="one_active_non_working_day"
            )
        ]
        verbose_name = _("non-working day")
        verbose_name_plural = _("non-working days")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.description}"
