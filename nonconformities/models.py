"""Nonconformities and the improvement loop (ISO 9001/37001/27001 clause 10.2, seed §6.3): an
NC from any source, its immediate correction, the root-cause analysis (5 whys, Ishikawa), the
corrective or improvement actions (actions.ActionItem of kind "accion_correctiva") and the
verification of their effectiveness, by someone other than the actions' owners."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The action tracker's kind for corrective and improvement actions (registered in hooks.py).
ACTION_KIND = "accion_correctiva"
MAX_WHYS = 5


class Nonconformity(models.Model):
    class Source(models.TextChoices):
        AUDIT = "audit", _("Audit finding")
        SUPERVISION = "supervision", _("Supervision")
        COMPLAINT = "complaint", _("Complaint")
        INDICATOR = "indicator", _("Indicator")
        REVIEW = "review", _("Management review")
        RISK = "risk", _("Risk")
        SELF = "self", _("Self-detected")

    class Grade(models.TextChoices):
        MAJOR = "major", _("Major nonconformity")
        MINOR = "minor", _("Minor nonconformity")
        OBSERVATION = "observation", _("Observation")
        OPPORTUNITY = "opportunity", _("Opportunity for improvement")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("nonconformity", "Open")
        ANALYSIS = "analysis", _("In analysis")
        PLAN_APPROVED = "plan_approved", _("Plan approved")
        EXECUTION = "execution", _("In execution")
        VERIFICATION = "verification", _("Effectiveness verification")
        CLOSED = "closed", pgettext_lazy("nonconformity", "Closed")

    # Ishikawa (6M) categories of the root-cause analysis.
    class Category(models.TextChoices):
        METHOD = "method", _("Method")
        PEOPLE = "people", pgettext_lazy("ishikawa", "People")
        EQUIPMENT = "equipment", _("Equipment")
        MATERIALS = "materials", _("Materials")
        MEASUREMENT = "measurement", _("Measurement")
        ENVIRONMENT = "environment", _("Environment")

    code = models.CharField(_("code"), max_length=30, unique=True)
    source = models.CharField(
        pgettext_lazy("nonconformity", "source"), max_length=20, choices=Source.choices, db_index=True
    )
    # The record it comes from (an audit finding, a supervision…), when there is one.
    origin_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    site = models.ForeignKey("organization.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    process = models.ForeignKey(
        "organization.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requirements = models.ManyToManyField(
        "catalog.Requirement", verbose_name=_("requirements"), blank=True, related_name="nonconformities"
    )
    detected_on = models.DateField(_("detected on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    correction = models.TextField(_("immediate correction"), blank=True)
    correction_on = models.DateField(_("correction made on"), null=True, blank=True)
    whys = models.JSONField(_("5 whys"), default=list, blank=True)
    ishikawa = models.JSONField(_("Ishikawa causes"), default=dict, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    plan_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_approved_on = models.DateField(_("plan approved on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The earliest due date of its open actions (empty: none open or none dated), kept by
    # nonconformities.selectors.refresh_next_open_due whenever one of its actions changes: the
    # register's "with overdue actions" filter is a range on this column (issue 11 bench).
    next_open_due = models.DateField(null=True, blank=True, editable=False)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-detected_on", "-pk"]
        indexes = [
            # the register's order, walked page by page, for everyone and for one UT
            models.Index(fields=["-detected_on", "-id"], name="nc_register_order"),
            models.Index(fields=["site", "-detected_on", "-id"], name="nc_register_site_order"),
            # filtered by status and grade in the register's order; the trailing next_open_due
            # answers "with overdue actions" from the index itself (no row read per candidate)
            models.Index(
                fields=["status", "grade", "-detected_on", "-id", "next_open_due"], name="nc_register_status_order"
            ),
            models.Index(fields=["next_open_due"], name="nc_next_open_due"),
            models.Index(fields=["origin_type", "origin_id"]),
        ]
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("nonconformities:nc_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.site_id

    @property
    def requires_plan(self) -> bool:
        return self.grade == self.Grade.MAJOR

    def ishikawa_rows(self) -> list[tuple[str, str]]:
        data: dict[str, Any] = self.ishikawa or {}
        return [(str(label), str(data[key])) for key, label in self.Category.choices if data.get(key)]


class EffectivenessCheck(models.Model):
    """One verification of whether the actions removed the cause; an ineffective one reopens
    the NC for a new analysis."""

    class Rating(models.TextChoices):
        EFFECTIVE = "effective", _("Effective")
        PARTIAL = "partial", _("Partially effective")
        INEFFECTIVE = "ineffective", _("Not effective")

    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.PROTECT, related_name="checks")
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)
    note = models.TextField(_("basis of the verification"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_on = models.DateField(_("verified on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nonconformity", "pk"]
        verbose_name = _("effectiveness verification")

    def __str__(self) -> str:
        return f"{self.nonconformity.code} {self.rating}"

    @property
    def audit_site_id(self) -> int:
        return self.nonconformity.site_id


class StatusCount(models.Model):
    """How many NCs a site has in a status, kept by the services that raise an NC or change its
    status (nonconformities.counts.move, in the same transaction), so that the home panel's
    figures are a sum over a few rows rather than a count over every NC in history (issue 10)."""

    site = models.ForeignKey("organization.Site", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Nonconformity.Status.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "status"], name="nc_status_count_unique")]

    def __str__(self) -> str:
        return f"{self.site_id} {self.status}: {self.n}"
