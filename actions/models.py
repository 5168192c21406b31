"""One tracker for everything that has an owner, a due date, a status and evidence of
completion: committee acuerdos now; corrective actions, risk treatments, audit follow-ups
later. Each area gives an item its context through `source` (generic relation) and `kind`."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.deadlines import DueState, due_state
from core.registry import action_kind


class ActionItem(models.Model):
    """The kinds (acuerdo, corrective action, risk treatment…) are registered by their areas
    (core.registry.ActionKind), not listed here."""

    AGREEMENT = "acuerdo"  # the Comité del SIG's kind, registered by committee.hooks

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=20)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    number = models.CharField(_("number"), max_length=30, blank=True)
    title = models.CharField(_("description"), max_length=1000)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    responsible_unit = models.ForeignKey(
        "organization.OrgUnit", verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    site = models.ForeignKey("organization.Site", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    # Closing it as done needs evidence linked to it (evidence.EvidenceLink); otherwise a note.
    evidence_required = models.BooleanField(_("requires evidence to be closed"), default=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Last day a reminder before the due date, and an escalation after it, went out (at most one a day).
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    escalated_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["kind", "status", "due_date"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return f"{self.number} {self.title[:60]}".strip()

    @property
    def audit_site_id(self) -> int:
        return self.site_id

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.IN_PROGRESS)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return due_state(self.due_date, today or timezone.localdate(), closed=not self.is_open) == DueState.OVERDUE

    def source_link(self, user: Any) -> tuple[str, str] | None:
        """(label, url) of the record the item comes from, when `user` may see it."""
        kind = action_kind(self.kind)
        return kind.source(user, self) if kind is not None and kind.source is not None else None

    @property
    def kind_label(self) -> str:
        kind = action_kind(self.kind)
        return str(kind.label) if kind is not None else self.kind
