"""Issued documents: every PDF the product issues with a verification code (controlled copies,
actas, audit reports…) has one row here, so that /verifica/ checks them all through one table.
What a kind of record shows when its code is checked is registered by its area
(core.registry.VerifiableKind)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuedDocument(models.Model):
    verification_code = models.CharField(_("verification code"), max_length=7, unique=True)
    kind = models.CharField(_("kind"), max_length=50, db_index=True)  # a registered VerifiableKind
    object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    issued_object = GenericForeignKey("object_type", "object_id")
    code = models.CharField(_("document code"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    version = models.CharField(_("version"), max_length=10, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return f"{self.verification_code} {self.code}"


class VerificationAttempt(models.Model):
    """Public verification lookups, for rate limiting per address."""

    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.ip_address} {self.at}"
