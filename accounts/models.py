from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class User(AbstractUser):
    """A person with an account. Accounts are deactivated, never deleted."""

    position = models.CharField(_("position"), max_length=200, blank=True)
    site = models.ForeignKey(
        "organization.Site",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    unit = models.ForeignKey(
        "organization.OrgUnit",
        verbose_name=_("organic unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:person_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int | None:
        return self.site_id


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        day = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


class RoleAssignment(models.Model):
    """A role held by a person in a unit and/or site for a period. A site that is not the
    Sede Central confines the role to that territorial unit."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "organization.OrgUnit", verbose_name=_("organic unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    site = models.ForeignKey(
        "organization.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user", "role"]
        indexes = [models.Index(fields=["user", "revoked_at"])]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        where = self.site or self.unit or ""
        return f"{self.get_role_display()} {where}".strip()

    @property
    def audit_site_id(self) -> int | None:
        return self.site_id

    def is_active_on(self, day: datetime.date) -> bool:
        return (
            self.revoked_at is None and self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)
        )


class ApiToken(models.Model):
    """Bearer token for the REST API. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "sig_" + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """One failed login, for throttling (by username and address pair, and by address). The
    username is the throttling key (accounts.services.login_key)."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "ip_address", "at"], name="loginfailure_pair_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"
