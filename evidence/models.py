"""Evidence links: any record or file can be linked as evidence of something else (a plan
product today; a requirement, an action item later). Both ends are generic relations; what
kinds of records may serve as evidence, and who may see them, is declared in
evidence/registry.py so that a user can never link (or see through a link) what they cannot see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EvidenceFile(models.Model):
    """A file uploaded as evidence (PDF, DOCX, XLSX; checked by content like documents)."""

    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="evidence/%Y/")
    file_name = models.CharField(max_length=255)
    file_type = models.CharField(max_length=10)
    file_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    site = models.ForeignKey("organization.Site", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evidence:file_download", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.site_id


class EvidenceLink(models.Model):
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    evidence_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    evidence_id = models.PositiveBigIntegerField()
    evidence = GenericForeignKey("evidence_type", "evidence_id")
    note = models.CharField(_("note"), max_length=500, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["evidence_type", "evidence_id"]),
        ]
        verbose_name = _("evidence link")

    def __str__(self) -> str:
        return f"{self.evidence_type_id}:{self.evidence_id} → {self.target_type_id}:{self.target_id}"
