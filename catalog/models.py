"""Standards catalogue, versioned by edition: standard → edition → requirement (clause or
Annex A control), each requirement mapped to its harmonized-structure clause.

Only numbers and our own short titles ship; `official_text` is an empty field the licensee
may fill from its own licensed copy (never exported publicly)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Localized


class Standard(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)  # "ISO 9001"
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    system_code = models.CharField(_("system"), max_length=10, blank=True)  # SGC / SGAS / SGSI
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return self.code


class Edition(models.Model):
    class Structure(models.TextChoices):
        HLS_2012 = "hls2012", _("High-level structure (2012)")
        HS_2021 = "hs2021", _("Harmonized structure (2021)")

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="editions")
    year = models.PositiveSmallIntegerField(_("year"))
    label = models.CharField(_("label"), max_length=60, unique=True)  # "ISO/IEC 27001:2022"
    national_adoption = models.CharField(_("national adoption"), max_length=120, blank=True)
    structure = models.CharField(_("structure"), max_length=10, choices=Structure.choices)
    is_current = models.BooleanField(_("current edition"), default=True)

    class Meta:
        ordering = ["standard__order", "year"]
        constraints = [models.UniqueConstraint(fields=["standard", "year"], name="edition_standard_year_unique")]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("catalog:edition_detail", args=[self.pk])


class HarmonizedClause(Localized, models.Model):
    """A clause of the harmonized structure (numbered as in the 2012 text: 10.1 = nonconformity)."""

    number = models.CharField(_("number"), max_length=10, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("harmonized clause")
        verbose_name_plural = _("harmonized clauses")

    def __str__(self) -> str:
        return f"{self.number} {self.localized('title')}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:hs_detail", args=[self.number])


class Requirement(Localized, models.Model):
    class Kind(models.TextChoices):
        CLAUSE = "clause", _("Clause")
        DOMAIN = "domain", _("Annex A domain / theme")
        OBJECTIVE = "objective", _("Control objective")
        CONTROL = "control", _("Annex A control")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="requirements")
    number = models.CharField(_("number"), max_length=20)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("short title"), max_length=200)
    title_en = models.CharField(_("short title (English)"), max_length=200, blank=True)
    hs_clause = models.ForeignKey(
        HarmonizedClause,
        verbose_name=_("harmonized clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirements",
    )
    official_text = models.TextField(
        _("official text (licensee)"),
        blank=True,
        help_text=_("Paste here the text of your licensed copy. It is never published or exported."),
    )
    depth = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["edition", "order"]
        constraints = [models.UniqueConstraint(fields=["edition", "number"], name="requirement_edition_number_unique")]
        indexes = [models.Index(fields=["edition", "order"])]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        return f"{self.edition.label} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:requirement_detail", args=[self.pk])


class RequirementMapping(models.Model):
    """Correspondence between requirements of two editions (e.g. Annex A 2013 → 2022).
    `relation` reads: the source is <relation> of the target."""

    class Relation(models.TextChoices):
        EQUAL = "equal", _("Equivalent")
        SUBSET = "subset", _("Part of")
        SUPERSET = "superset", _("Covers more than")
        INTERSECT = "intersect", _("Overlaps")

    source = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="mappings_out")
    target = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="mappings_in")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="mapping_source_target_unique")]
        verbose_name = _("requirement mapping")

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"
