"""Append-only, hash-chained audit trail.

Each entry stores an HMAC (keyed, audit.chain) of its own content, its sequence number and the
previous entry's hash, so altering or removing any row breaks the chain from that row on
(`./sig verify-audit`); the database refuses UPDATE and DELETE on the table (audit.guard); and the
head of the chain is anchored outside the database, so truncating the tail is detected too
(audit.anchors).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        STATE = "state", _("State change")
        DELETE = "delete", _("Delete (soft)")
        LOGIN = "login", _("Login")
        LOGOUT = "logout", _("Logout")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGIN_LOCKED = "login_locked", _("Login attempts locked")
        EXPORT = "export", _("Export")
        READ = "read", _("Confidential read")

    id = models.BigAutoField(primary_key=True)
    timestamp = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    site = models.ForeignKey("organization.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # Newest first within one action or one site: read in order from the index instead of
            # sorting every entry of that action or site (issue 10; millions of rows).
            models.Index(fields=["action", "id"], name="audit_action_id_idx"),
            models.Index(fields=["site", "id"], name="audit_site_id_idx"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("audit events are append-only")


class AuditChainHead(models.Model):
    """Single row (pk=1): the appenders' lock (PostgreSQL blocks concurrent appenders on it) and the
    tip of the chain as last written."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head #{self.last_id}"
