"""The information-security management system (SGSI, ISO/IEC 27001 6.1.2, 6.1.3, 8.2, 8.3,
Annex A 5.24–5.28): the inventory of information assets in the SGSI's scope, the Statement of
Applicability for Annex A 2013 or 2022 (with the migration of one to the other through the
catalogue's mapping) and information-security incidents, with the notification clock of a
personal-data breach (Ley 29733, DOMAIN.md §5.4). Asset-based risks are risks of the one
register (risks.Risk), linked from the asset."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Asset(models.Model):
    class Type(models.TextChoices):
        INFORMATION = "information", _("Information (data, records)")
        SOFTWARE = "software", _("Software / application")
        HARDWARE = "hardware", _("Hardware")
        SERVICE = "service", _("Service")
        PEOPLE = "people", _("People")
        FACILITY = "facility", _("Facility")

    class Classification(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal use")
        CONFIDENTIAL = "confidential", _("Confidential")
        RESTRICTED = "restricted", _("Restricted (personal or sensitive data)")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="isms_assets"
    )
    location = models.CharField(_("location"), max_length=300)
    process = models.ForeignKey(
        "organization.Process", verbose_name=_("process"), null=True, blank=True, on_delete=models.PROTECT
    )
    classification = models.CharField(_("classification"), max_length=20, choices=Classification.choices)
    confidentiality = models.PositiveSmallIntegerField(_("confidentiality (1–3)"))
    integrity = models.PositiveSmallIntegerField(_("integrity (1–3)"))
    availability = models.PositiveSmallIntegerField(_("availability (1–3)"))
    in_scope = models.BooleanField(_("in the SGSI scope"), default=True)
    depends_on = models.ManyToManyField(
        "self", verbose_name=_("depends on"), symmetrical=False, blank=True, related_name="dependents"
    )
    risks = models.ManyToManyField("risks.Risk", verbose_name=_("risks"), blank=True, related_name="assets")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("information asset")
        verbose_name_plural = _("information assets")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("isms:asset_detail", args=[self.pk])

    @property
    def value(self) -> int:
        """The asset's value: the highest of its C, I and A."""
        return max(self.confidentiality, self.integrity, self.availability)


class Threat(models.Model):
    """Catalogue of threats (our own wording) for asset-based risks."""

    class Category(models.TextChoices):
        DELIBERATE = "deliberate", _("Deliberate")
        ACCIDENTAL = "accidental", _("Accidental")
        ENVIRONMENTAL = "environmental", _("Environmental")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=15, choices=Category.choices)
    affects = models.CharField(_("affects (C, I, A)"), max_length=5, default="CIA")

    class Meta:
        ordering = ["code"]
        verbose_name = _("threat")
        verbose_name_plural = _("threats")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Vulnerability(models.Model):
    """Catalogue of vulnerabilities (our own wording) for asset-based risks."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    asset_types = models.CharField(_("asset types"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Soa(models.Model):
    """A Statement of Applicability for one edition of Annex A."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    edition = models.ForeignKey("catalog.Edition", verbose_name=_("edition"), on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    migrated_from = models.ForeignKey(
        "self", verbose_name=_("migrated from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    pdf = models.FileField(upload_to="soa/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    verification_code = models.CharField(max_length=7, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Statement of Applicability")
        verbose_name_plural = _("Statements of Applicability")

    def __str__(self) -> str:
        return f"{self.title} v{self.version:02d}"

    def get_absolute_url(self) -> str:
        return reverse("isms:soa_detail", args=[self.pk])

    @property
    def code(self) -> str:
        return f"PNADP-UTI-SGSI-DA-{self.edition.year}"


class SoaEntry(models.Model):
    class Implementation(models.TextChoices):
        NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
        PLANNED = "planned", _("Planned")
        PARTIAL = "partial", _("Partially implemented")
        IMPLEMENTED = "implemented", _("Implemented")

    soa = models.ForeignKey(Soa, on_delete=models.PROTECT, related_name="entries")
    control = models.ForeignKey("catalog.Requirement", verbose_name=_("Annex A control"), on_delete=models.PROTECT)
    applicable = models.BooleanField(_("applicable"), null=True, blank=True)  # None: not decided yet
    justification = models.TextField(_("justification"), blank=True)
    implementation = models.CharField(
        _("implementation status"),
        max_length=20,
        choices=Implementation.choices,
        default=Implementation.NOT_IMPLEMENTED,
    )
    controls = models.ManyToManyField(
        "risks.Control", verbose_name=_("our controls"), blank=True, related_name="soa_entries"
    )
    risks = models.ManyToManyField("risks.Risk", verbose_name=_("risks"), blank=True, related_name="soa_entries")
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    needs_decision = models.BooleanField(_("needs a decision"), default=False)
    migration_note = models.TextField(_("migration note"), blank=True)

    class Meta:
        ordering = ["soa", "control__order"]
        constraints = [models.UniqueConstraint(fields=["soa", "control"], name="soaentry_soa_control_unique")]
        verbose_name = _("SoA entry")
        verbose_name_plural = _("SoA entries")

    def __str__(self) -> str:
        return f"{self.soa} {self.control.number}"


def breach_notice_hours() -> int:
    return int(getattr(settings, "SIG_BREACH_NOTICE_HOURS", 48))


class Incident(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("incident", "Reported")
        TRIAGED = "triaged", _("Triaged")
        CONTAINED = "contained", _("Contained")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Severity(models.TextChoices):
        # "severidad baja": a context keeps the feminine apart from other areas' "Low" ("riesgo bajo").
        LOW = "low", pgettext_lazy("severity", "Low")
        MEDIUM = "medium", pgettext_lazy("severity", "Medium")
        HIGH = "high", pgettext_lazy("severity", "High")
        CRITICAL = "critical", pgettext_lazy("severity", "Critical")

    class Category(models.TextChoices):
        UNAUTHORISED_ACCESS = "access", _("Unauthorised access")
        MALWARE = "malware", _("Malware")
        DISCLOSURE = "disclosure", _("Disclosure of information")
        LOSS = "loss", _("Loss or theft of equipment or media")
        OUTAGE = "outage", _("Service outage")
        PHISHING = "phishing", _("Phishing / social engineering")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what happened"))
    site = models.ForeignKey("organization.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    personal_data_breach = models.BooleanField(_("personal-data breach"), default=False)
    breach_detected_at = models.DateTimeField(_("breach detected at"), null=True, blank=True)
    notice_hours = models.PositiveSmallIntegerField(_("hours to notify the authority"), default=breach_notice_hours)
    authority_notified_at = models.DateTimeField(_("authority notified at"), null=True, blank=True)
    containment = models.TextField(_("containment and recovery"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    assets = models.ManyToManyField(Asset, verbose_name=_("assets affected"), blank=True, related_name="incidents")
    risks = models.ManyToManyField("risks.Risk", verbose_name=_("related risks"), blank=True, related_name="incidents")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        verbose_name = _("information-security incident")
        verbose_name_plural = _("information-security incidents")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("isms:incident_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.site_id

    @property
    def notify_by(self) -> datetime.datetime | None:
        """When the data-protection authority must have been told (personal-data breaches)."""
        if not self.personal_data_breach or self.breach_detected_at is None:
            return None
        return self.breach_detected_at + datetime.timedelta(hours=self.notice_hours)

    def notice_seconds_left(self, now: datetime.datetime | None = None) -> int | None:
        deadline = self.notify_by
        if deadline is None or self.authority_notified_at is not None:
            return None
        return int((deadline - (now or timezone.now())).total_seconds())
