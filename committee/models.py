"""Comité del SIG (seed §4.3, §5, Tabla 02): sessions with attendance and quorum, agenda,
actas (PDF in the seed's format) and acuerdos (actions.ActionItem of kind "acuerdo")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Acta closed")

    number = models.CharField(_("number"), max_length=30, unique=True)  # "01-2020"
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    date = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), blank=True, related_name="committee_sessions"
    )
    guests = models.CharField(_("guests"), max_length=500, blank=True)
    minutes = models.TextField(_("minutes (development of the session)"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    acta_pdf = models.FileField(upload_to="actas/%Y/", blank=True)
    acta_sha256 = models.CharField(max_length=64, blank=True)
    acta_verification_code = models.CharField(max_length=7, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("Committee session")
        verbose_name_plural = _("Committee sessions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("committee:session_detail", args=[self.pk])


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    topic = models.CharField(_("topic"), max_length=500)
    notes = models.TextField(_("discussion"), blank=True)

    class Meta:
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return self.topic
