"""The organisation the SIG runs in: entity, organic units, sites, process map, management
systems and their scope, legal basis and glossary (seed §1–§5, §11, Cuadro 01)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Localized


class Entity(models.Model):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60)
    acronym = models.CharField(_("acronym"), max_length=20)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    vice_ministry = models.CharField(_("vice-ministry"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    portal_name = models.CharField(
        _("document portal name"),
        max_length=200,
        blank=True,
        help_text=_("Named in the 'uncontrolled copy' legend of controlled documents."),
    )

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return self.short_name


class Site(models.Model):
    class Kind(models.TextChoices):
        CENTRAL = "central", _("Head office")
        TERRITORIAL = "territorial", _("Territorial unit")

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="sites")
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_central = models.BooleanField(_("head office"), default=False, editable=False)
    department = models.CharField(_("department"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Name and details invented for the demonstration.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.is_central = self.kind == Site.Kind.CENTRAL
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_central"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("organization:site_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.pk


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        EXECUTIVE = "executive", _("Executive office")
        UNIT = "unit", _("Unit")
        COORDINATION = "coordination", _("Coordination")
        TERRITORIAL = "territorial", _("Territorial unit")
        EXTERNAL = "external", _("External body")

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("Acronym used in document codes."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="units")
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("organic unit")
        verbose_name_plural = _("organic units")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("organization:unit_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.site_id


class Process(Localized, models.Model):
    class Type(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic")
        MISSION = "mission", _("Mission (core)")
        SUPPORT = "support", _("Support")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=0, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_processes",
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return f"{self.code} {self.localized('name')}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.level = 0 if self.parent is None else self.parent.level + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "level"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("organization:process_detail", args=[self.pk])


class Scope(models.Model):
    """A certification scope: which processes at which sites. Several systems may share one
    (SGC and SGAS share theirs, seed Cuadro 01)."""

    name = models.CharField(_("name"), max_length=200)
    statement = models.TextField(_("scope statement"))
    processes = models.ManyToManyField(Process, verbose_name=_("processes"), related_name="scopes")
    sites = models.ManyToManyField(Site, verbose_name=_("sites"), related_name="scopes")

    class Meta:
        verbose_name = _("scope")
        verbose_name_plural = _("scopes")

    def __str__(self) -> str:
        return self.name


class ManagementSystem(Localized, models.Model):
    class Certification(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IMPLEMENTING = "implementing", _("Implementing")
        CERTIFIED = "certified", _("Certified")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    edition = models.ForeignKey(
        "catalog.Edition", verbose_name=_("standard edition"), on_delete=models.PROTECT, related_name="systems"
    )
    objective = models.TextField(_("objective"))
    scope = models.ForeignKey(Scope, verbose_name=_("scope"), on_delete=models.PROTECT, related_name="systems")
    certification_status = models.CharField(
        _("certification status"), max_length=20, choices=Certification.choices, default=Certification.NOT_STARTED
    )
    certification_body = models.CharField(_("certification body"), max_length=200, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    certified_until = models.DateField(_("certified until"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("management system")
        verbose_name_plural = _("management systems")

    def __str__(self) -> str:
        return f"{self.code} — {self.localized('name')}"

    def get_absolute_url(self) -> str:
        return reverse("organization:system_detail", args=[self.pk])


class LegalNorm(models.Model):
    """A norm of the legal basis registry (seed §3)."""

    class Kind(models.TextChoices):
        LAW = "ley", _("Law")
        LEGISLATIVE_DECREE = "dleg", _("Legislative decree")
        SUPREME_DECREE = "ds", _("Supreme decree")
        MINISTERIAL_RESOLUTION = "rm", _("Ministerial resolution")
        DIRECTORIAL_RESOLUTION = "rd", _("Directorial resolution")
        EXECUTIVE_RESOLUTION = "rde", _("Executive Direction resolution (RDE)")
        RESOLUTION = "res", _("Resolution")
        DIRECTIVE = "directiva", _("Directive")
        TECHNICAL_STANDARD = "ntp", _("Peruvian technical standard (NTP)")
        INTERNATIONAL_STANDARD = "iso", _("International standard")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=500)
    is_current = models.BooleanField(_("in force"), default=True)
    url = models.URLField(_("link"), blank=True)
    seed_ref = models.CharField(_("reference in the plan"), max_length=20, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "year", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="legalnorm_kind_number_unique")]
        verbose_name = _("legal norm")
        verbose_name_plural = _("legal basis")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} N.° {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("organization:legal_detail", args=[self.pk])


class GlossaryTerm(Localized, models.Model):
    """A term or acronym of the glossary (seed §4), incl. the Spanish domain words we keep."""

    term = models.CharField(_("term"), max_length=150, unique=True)
    is_acronym = models.BooleanField(_("acronym"), default=False)
    definition = models.TextField(_("definition"))
    definition_en = models.TextField(_("definition (English)"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("organization:glossary_detail", args=[self.pk])
