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
    # Pending or in progress (the `is_open` property), computed and stored by the database whatever
    # writes the status (services, bulk loads, update()), so that the open items can be walked in
    # due-date order through an index (issue 10: the overdue list stops after its page instead of
    # sorting every open item). Filter on it with OPEN_Q; read `is_open` in Python.
    open = models.GeneratedField(
        expression=models.Q(status__in=["pending", "in_progress"]),  # type: ignore[arg-type]  # a Q is an expression
        output_field=models.BooleanField(),
        db_persist=True,
        editable=False,
    )

    class Meta:
        ordering = ["due_date", "pk"]
        # Without ANALYZE statistics SQLite picks among indexes by how many leading columns the
        # WHERE pins with "=", so each query shape below has one index that pins strictly more
        # columns than the plain site, status or responsible indexes (issue 10).
        indexes = [
            models.Index(fields=["kind", "status", "due_date"]),
            models.Index(fields=["source_type", "source_id"]),
            # the tracker list (and its overdue filter) in its order: central roles, a UT
            models.Index(fields=["open", "due_date", "id"], name="action_open_due_idx"),
            models.Index(fields=["site", "open", "due_date", "id"], name="action_site_open_due_idx"),
            # the overdue corrective actions of the NC panel: central roles, a UT
            models.Index(fields=["kind", "open", "due_date"], name="action_kind_open_due_idx"),
            models.Index(fields=["site", "kind", "open", "due_date"], name="action_site_kind_open_idx"),
            # the filter form's people and units of a UT (EXISTS per person / unit)
            models.Index(fields=["responsible", "site"], name="action_responsible_site_idx"),
            models.Index(fields=["responsible_unit", "site"], name="action_unit_site_idx"),
            # what waits for a person (actions.selectors.open_assigned_to): theirs, their unit's
            models.Index(fields=["responsible", "open", "due_date"], name="action_responsible_open_idx"),
            models.Index(fields=["responsible_unit", "open", "responsible", "due_date"], name="action_unit_open_idx"),
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
