"""Anti-bribery controls (ISO 37001 7.2.2, 8.2, 8.5–8.7; Modelo de Integridad): business
partners and key positions with their due diligence, the gifts and hospitality register and
conflict-of-interest declarations."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class BusinessPartner(models.Model):
    class DocType(models.TextChoices):
        RUC = "ruc", "RUC"
        DNI = "dni", "DNI"

    class Kind(models.TextChoices):
        PAYING_AGENT = "paying_agent", _("Paying agent")
        SUPPLIER = "supplier", _("Supplier")
        CONTRACTOR = "contractor", _("Contractor")
        AGREEMENT = "agreement", _("Agreement partner (convenio)")
        CONSULTANT = "consultant", _("Consultant")
        OTHER = "other", _("Other")

    doc_type = models.CharField(_("document type"), max_length=3, choices=DocType.choices, default=DocType.RUC)
    doc_number = models.CharField(_("RUC or DNI"), max_length=11, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    processes = models.ManyToManyField(
        "organization.Process", verbose_name=_("processes"), blank=True, related_name="+"
    )
    site = models.ForeignKey(
        "organization.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk_level = models.CharField(_("bribery risk"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    anti_bribery_clause = models.BooleanField(_("anti-bribery clause in the contract"), default=False)
    commitment_signed_on = models.DateField(_("anti-bribery commitment signed on"), null=True, blank=True)
    due_diligence_required = models.BooleanField(_("due diligence required"), default=False)
    monitoring = models.BooleanField(_("monitoring"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(pgettext_lazy("business partner", "active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name", "id"], name="integrity_partner_order")]
        verbose_name = _("business partner")
        verbose_name_plural = _("business partners")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_doc_type_display()} {self.doc_number})"

    def get_absolute_url(self) -> str:
        return reverse("integrity:partner_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int | None:
        return self.site_id

    def clean(self) -> None:
        from integrity.validators import validate_document

        validate_document(self.doc_type, self.doc_number)


class KeyPosition(models.Model):
    position = models.CharField(pgettext_lazy("key position", "position"), max_length=200)
    unit = models.ForeignKey("organization.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        "organization.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason of exposure"))
    risk_level = models.CharField(_("bribery risk"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    holders = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("holders"), blank=True, related_name="+")
    active = models.BooleanField(pgettext_lazy("key position", "active"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("key position")
        verbose_name_plural = _("key positions")

    def __str__(self) -> str:
        return self.position

    def get_absolute_url(self) -> str:
        return reverse("integrity:key_position_list") + f"#kp-{self.pk}"

    @property
    def audit_site_id(self) -> int | None:
        return self.site_id


class DueDiligence(models.Model):
    class Source(models.TextChoices):
        RNSSC = "rnssc", _("RNSSC (SERVIR sanctions register)")
        OSCE = "osce", _("Debarred suppliers (OECE)")
        REDAM = "redam", _("REDAM")
        RECORDS = "records", _("Judicial, criminal and police records")
        DJI = "dji", _("Declaración Jurada de Intereses")
        SUNAT = "sunat", _("SUNAT taxpayer register")
        WEB = "web", _("Web and media search")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        REFERENCES = "references", _("References")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        PROCEED = "proceed", _("Proceed")
        CONDITIONS = "conditions", _("Proceed with conditions")
        STOP = "stop", _("Stop")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", pgettext_lazy("due diligence", "Completed")  # concluida

    partner = models.ForeignKey(
        BusinessPartner,
        verbose_name=_("business partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="due_diligences",
    )
    key_position = models.ForeignKey(
        KeyPosition,
        verbose_name=_("key position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="due_diligences",
    )
    person_name = models.CharField(_("person assessed"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"))
    sources = models.JSONField(_("sources consulted"), default=list, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    public_official = models.BooleanField(_("public official involved"), default=False)
    politically_exposed = models.BooleanField(_("politically exposed person"), default=False)
    high_risk_partner = models.BooleanField(_("high-risk partner"), default=False)
    conclusion = models.TextField(_("conclusion"), blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    conditions = models.TextField(_("conditions"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [
            # the register's order; next_review and status ride along so that the review and status
            # filters are checked in the index while it is walked in order (no row look-ups)
            models.Index(fields=["started_on", "id", "next_review", "status"], name="integrity_dd_order"),
            # a subject's latest due diligence (integrity.selectors.latest_dd)
            models.Index(fields=["partner", "started_on", "id"], name="integrity_dd_partner_latest"),
            models.Index(fields=["key_position", "started_on", "id"], name="integrity_dd_position_latest"),
            models.Index(fields=["next_review"], name="integrity_dd_next_review"),
        ]
        verbose_name = _("due diligence")
        verbose_name_plural = _("due diligences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False, key_position__isnull=True)
                | models.Q(partner__isnull=True, key_position__isnull=False),
                name="integrity_dd_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"DD {self.subject_label} {self.started_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("integrity:dd_edit", args=[self.pk])

    @property
    def subject_label(self) -> str:
        if self.partner_id:
            return str(self.partner.name if self.partner else "")
        label = str(self.key_position) if self.key_position else ""
        return f"{label} — {self.person_name}" if self.person_name else label

    @property
    def enhanced(self) -> bool:
        """A red flag calls for enhanced due diligence."""
        return self.public_official or self.politically_exposed or self.high_risk_partner

    @property
    def expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def audit_site_id(self) -> int | None:
        subject = self.partner or self.key_position
        return getattr(subject, "site_id", None)


class Gift(models.Model):
    class Direction(models.TextChoices):
        OFFERED = "offered", _("Offered to the servant")
        RECEIVED = "received", _("Received by the servant")
        GIVEN = "given", _("Given by the entity")
        SOLICITED = "solicited", _("Solicited from the servant")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        REJECTED = "rejected", pgettext_lazy("gift", "Rejected")  # obsequio rechazado
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted and registered")
        TO_ENTITY = "to_entity", _("Handed over to the entity")

    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    on = models.DateField(_("date"))
    servant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("servant"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart = models.CharField(_("counterpart"), max_length=300)
    partner = models.ForeignKey(
        BusinessPartner,
        verbose_name=_("business partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts",
    )
    description = models.TextField(_("description"))
    value = models.DecimalField(_("estimated value (S/)"), max_digits=12, decimal_places=2)
    occasion = models.CharField(_("occasion"), max_length=300, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decision_note = models.TextField(_("decision note"), blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    site = models.ForeignKey("organization.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("gift or hospitality")
        verbose_name_plural = _("gifts and hospitality")

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("integrity:gift_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int | None:
        return self.site_id


class ConflictDeclaration(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    declared_on = models.DateField(_("declared on"))
    has_conflicts = models.BooleanField(_("declares a conflict of interest"), default=False)
    description = models.TextField(_("interests declared"), blank=True)
    mitigation = models.TextField(_("measures agreed"), blank=True)
    valid_until = models.DateField(_("valid until"))
    last_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")

    def __str__(self) -> str:
        return f"{self.person} {self.declared_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("integrity:declaration_list") + f"#cd-{self.pk}"

    @property
    def audit_site_id(self) -> int | None:
        return getattr(self.person, "site_id", None)

    def state(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.valid_until < today:
            return "expired"
        if (self.valid_until - today).days <= 30:
            return "expiring"
        return "current"
