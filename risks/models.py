"""Risk management (seed Tabla 01 "Gestión de riesgos"; ISO 9001 6.1, ISO 37001 4.5,
ISO/IEC 27001 6.1.2–6.1.3, 8.2–8.3): a versioned risk method, a catalogue of controls and one
register of risks and opportunities seen through three lenses (calidad, soborno, seguridad de la
información). Each evaluation is a row of its own (the review history, with its trigger); the
risk keeps the latest inherent and residual scores for the register and the heat map.
Treatments are action items of the shared tracker (actions.ActionItem, kind "risk_treatment")."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from risks.method import MethodDefinition


class RiskMethod(models.Model):
    """One version of a risk method. A method is data (risks/method.py describes the format);
    a new version is a new row, and a risk keeps the version it was assessed with."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    definition = models.JSONField(_("definition"))
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="riskmethod_code_version_unique")]
        verbose_name = _("risk method")
        verbose_name_plural = _("risk methods")

    def __str__(self) -> str:
        return f"{self.code} v{self.version} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("risks:method_detail", args=[self.pk])

    @property
    def spec(self) -> MethodDefinition:
        """The parsed definition (once per instance; pages share one instance per method)."""
        cached: MethodDefinition | None = getattr(self, "_spec", None)
        if cached is None:
            cached = MethodDefinition.from_dict(self.definition)
            self._spec = cached
        return cached


class Control(models.Model):
    """An existing control of the control catalogue (DOMAIN.md §3.3)."""

    class Type(models.TextChoices):
        FINANCIAL = "financial", _("Financial")
        NON_FINANCIAL = "non_financial", _("Non-financial")
        SECURITY = "security", _("Information security")
        INTERNAL = "internal", _("Internal control (SCI)")

    class Frequency(models.TextChoices):
        CONTINUOUS = "continuous", _("Continuous")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")
        ON_EVENT = "on_event", _("On each event")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="risk_controls"
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    evidence = models.CharField(_("evidence of operation"), max_length=500, blank=True)
    last_tested_on = models.DateField(_("last tested on"), null=True, blank=True)
    last_test_result = models.CharField(_("result of the last test"), max_length=500, blank=True)
    annex_controls = models.ManyToManyField(
        "catalog.Requirement", verbose_name=_("Annex A controls"), blank=True, related_name="risk_controls"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("control")
        verbose_name_plural = _("controls")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("risks:control_list") + f"#control-{self.pk}"


class Risk(models.Model):
    class Kind(models.TextChoices):
        RISK = "risk", _("Risk")
        OPPORTUNITY = "opportunity", _("Opportunity")

    class Lens(models.TextChoices):
        QUALITY = "quality", _("Quality")
        BRIBERY = "bribery", _("Bribery / integrity")
        SECURITY = "security", _("Information security")

    class Treatment(models.TextChoices):
        UNDECIDED = "", _("Not decided")
        ACCEPT = "accept", _("Accept")
        REDUCE = "reduce", _("Reduce (mitigate)")
        AVOID = "avoid", _("Avoid")
        TRANSFER = "transfer", _("Transfer (share)")
        EXPLOIT = "exploit", _("Exploit (opportunity)")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        ASSESSED = "assessed", _("Assessed")
        TREATMENT = "treatment", _("In treatment")
        ACCEPTED = "accepted", _("Residual risk accepted")
        CLOSED = "closed", _("Closed")

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RISK)
    lens_quality = models.BooleanField(_("quality lens"), default=False)
    lens_bribery = models.BooleanField(_("bribery lens"), default=False)
    lens_security = models.BooleanField(_("information-security lens"), default=False)
    process = models.ForeignKey(
        "organization.Process", verbose_name=_("process"), on_delete=models.PROTECT, related_name="risks"
    )
    site = models.ForeignKey("organization.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    cause = models.TextField(_("cause"))
    event = models.TextField(_("event"))
    consequence = models.TextField(_("consequence"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_risks"
    )
    requirements = models.ManyToManyField(
        "catalog.Requirement", verbose_name=_("requirements"), blank=True, related_name="risks"
    )
    controls = models.ManyToManyField(Control, verbose_name=_("existing controls"), blank=True, related_name="risks")
    method = models.ForeignKey(RiskMethod, verbose_name=_("method"), on_delete=models.PROTECT, related_name="risks")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDENTIFIED, db_index=True
    )
    # The latest evaluations, kept here for the register and the heat map (history: Evaluation).
    inherent_probability = models.PositiveSmallIntegerField(null=True, blank=True)
    inherent_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    inherent_score = models.PositiveIntegerField(null=True, blank=True)
    inherent_level = models.CharField(max_length=30, blank=True)
    residual_probability = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_score = models.PositiveIntegerField(null=True, blank=True)
    residual_level = models.CharField(max_length=30, blank=True)
    treatment = models.CharField(
        _("treatment decision"), max_length=10, choices=Treatment.choices, default=Treatment.UNDECIDED, blank=True
    )
    treatment_rationale = models.TextField(_("rationale of the treatment"), blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    acceptance_expires_on = models.DateField(_("acceptance expires on"), null=True, blank=True)
    acceptance_note = models.TextField(_("acceptance note"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["site", "code"]),
            models.Index(fields=["method", "inherent_probability", "inherent_impact"]),
            models.Index(fields=["method", "residual_probability", "residual_impact"]),
            # the UT-scoped heat maps count within one site
            models.Index(fields=["site", "method", "inherent_probability", "inherent_impact"]),
            models.Index(fields=["site", "method", "residual_probability", "residual_impact"]),
            # An owner's pending work (risks.hooks._pending), in code order: SQLite, without
            # statistics, otherwise walks the owner's whole site (issue 10: 2,280 rows → 24).
            models.Index(fields=["owner", "code"], name="risk_owner_code_idx"),
        ]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.site_id

    @property
    def lenses(self) -> list[str]:
        return [
            lens
            for lens, on in (
                (self.Lens.QUALITY, self.lens_quality),
                (self.Lens.BRIBERY, self.lens_bribery),
                (self.Lens.SECURITY, self.lens_security),
            )
            if on
        ]

    @property
    def lens_labels(self) -> list[str]:
        return [str(self.Lens(lens).label) for lens in self.lenses]

    @property
    def acceptance_in_force(self) -> bool:
        return self.accepted_on is not None and (
            self.acceptance_expires_on is None or self.acceptance_expires_on >= timezone.localdate()
        )

    def level_of(self, which: str) -> dict[str, Any] | None:
        code = self.inherent_level if which == "inherent" else self.residual_level
        return self.method.spec.level_by_code(code) if code else None

    @property
    def inherent_level_info(self) -> dict[str, Any] | None:
        return self.level_of("inherent")

    @property
    def residual_level_info(self) -> dict[str, Any] | None:
        return self.level_of("residual")


class Evaluation(models.Model):
    """One evaluation of a risk (inherent or residual), with what triggered the review."""

    class Kind(models.TextChoices):
        INHERENT = "inherent", _("Inherent")
        RESIDUAL = "residual", _("Residual")

    class Trigger(models.TextChoices):
        INITIAL = "initial", _("Initial assessment")
        PERIODIC = "periodic", _("Periodic review")
        CHANGE = "change", _("Changes occurred")
        INFORMATION = "information", _("New information available")
        STRUCTURE = "structure", _("Significant change of structure or activities")
        INCIDENT = "incident", _("Incident or nonconformity")
        TREATMENT = "treatment", _("Treatment carried out")
        METHOD = "method", _("Method changed")

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    method = models.ForeignKey(RiskMethod, on_delete=models.PROTECT, related_name="+")
    probability = models.PositiveSmallIntegerField(_("probability"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    score = models.PositiveIntegerField(_("score"))
    level = models.CharField(_("level"), max_length=30)
    trigger = models.CharField(_("trigger of the review"), max_length=12, choices=Trigger.choices)
    justification = models.TextField(_("justification"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), default=datetime.date.today)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["risk", "-created_at", "-pk"]
        indexes = [models.Index(fields=["risk", "kind", "created_at"])]
        verbose_name = _("risk evaluation")
        verbose_name_plural = _("risk evaluations")

    def __str__(self) -> str:
        return f"{self.risk.code} {self.get_kind_display()} {self.probability}×{self.impact}"

    @property
    def audit_site_id(self) -> int:
        return self.risk.site_id

    @property
    def level_info(self) -> dict[str, Any] | None:
        return self.method.spec.level_by_code(self.level)
