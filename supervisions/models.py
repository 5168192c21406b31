"""Integral supervisions of the UTs (supervisión integral de los procesos, seed Tabla 03): the
plan, the checklist with its observations, the report, and the matriz de mejora whose items
(actions.ActionItem of kind "matriz_mejora": responsible, due date, status, evidence) the
Coordinador/a Técnico/a follows to closure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_KIND = "matriz_mejora"


class Supervision(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("supervision", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("supervision", "In progress")
        REPORTED = "reported", pgettext_lazy("supervision", "Reported")

    code = models.CharField(_("code"), max_length=30, unique=True)
    site = models.ForeignKey("organization.Site", verbose_name=_("UT"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    plan = models.TextField(_("plan (objectives, processes, agenda)"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    supervisors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("supervisors"), related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True)
    report = models.TextField(_("report"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervisions:detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.site_id


class Check(models.Model):
    """One line of the supervision's checklist: an aspect of a process, its result, the observation."""

    class Result(models.TextChoices):
        MEETS = "meets", _("Meets")
        PARTIAL = "partial", _("Partially meets")
        FAILS = "fails", _("Does not meet")

    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="checks")
    order = models.PositiveIntegerField(default=0)
    process = models.ForeignKey(
        "organization.Process", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aspect = models.CharField(_("aspect"), max_length=300)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    observation = models.TextField(_("observation"), blank=True)

    class Meta:
        ordering = ["supervision", "order", "pk"]
        verbose_name = _("supervision check")

    def __str__(self) -> str:
        return self.aspect

    @property
    def audit_site_id(self) -> int:
        return self.supervision.site_id
