"""The SIG development plan (seed §1–§15): yearly plans with stages → activities → products
(deliverables proven by evidence links), cronograma/Gantt, budget tasks, change requests
(§13) and versions with their change-control rows (§15)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    class Kind(models.TextChoices):
        SIG = "sig", _("SIG development plan")
        ISMS = "isms", _("ISMS implementation plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMMITTEE_REVIEW = "committee_review", _("In review by the SIG Committee")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SIG)
    title = models.CharField(_("title"), max_length=300)
    objective = models.TextField(_("objective"))
    scope = models.TextField(_("scope"), blank=True)
    legal_basis = models.ManyToManyField("organization.LegalNorm", verbose_name=_("legal basis"), blank=True)
    owner_unit = models.ForeignKey(
        "organization.OrgUnit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    approving_resolution = models.CharField(_("approving resolution"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("controlled document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget_amount = models.DecimalField(
        _("assigned budget (S/)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    budget_source = models.CharField(_("budget source"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version:02d})"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.owner_unit.site_id


class PlanResponsibility(models.Model):
    """Seed §5: a role of the plan and what it is responsible for."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField(_("role"), max_length=200)
    responsibility = models.TextField(_("responsibility"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.role


class Stage(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="stages")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="stage_plan_number_unique")]
        verbose_name = _("stage")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Activity(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="activities")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="activities", editable=False)
    code = models.CharField(_("code"), max_length=20)  # "1.1"
    title = models.CharField(_("activity"), max_length=1000)
    responsible_unit = models.ForeignKey(
        "organization.OrgUnit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sites = models.ManyToManyField("organization.Site", verbose_name=_("where"), blank=True, related_name="+")
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress %"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents")
    is_milestone = models.BooleanField(_("milestone"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "stage__number", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="activity_plan_code_unique"),
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")), name="activity_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["plan", "status", "planned_end"])]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"

    @property
    def audit_site_id(self) -> int:
        return self.responsible_unit.site_id

    def is_delayed(self, today: datetime.date | None = None) -> bool:
        """'Retrasada' is derived from the dates, never typed."""
        today = today or timezone.localdate()
        if self.status in (self.Status.COMPLETED, self.Status.CANCELLED):
            return False
        return self.planned_end < today or (self.status == self.Status.NOT_STARTED and self.planned_start < today)

    def display_status(self, today: datetime.date | None = None) -> str:
        return "delayed" if self.is_delayed(today) else str(self.status)


class Product(models.Model):
    """A deliverable. Delivered when evidence is linked to it (evidence.EvidenceLink); one
    product may close several activities (seed Tabla 03, 3.15)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(_("product"), max_length=1000)
    activities = models.ManyToManyField(Activity, verbose_name=_("activities"), related_name="products")
    expected_type = models.CharField(_("kind of deliverable"), max_length=100, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.title[:100]

    @property
    def is_delivered(self) -> bool:
        return self.delivered_on is not None


class ProductDelivery(models.Model):
    """The delivery of a product, whole (site empty: by the plan's editors or the unit that owns
    its activities) or of one site's share (a UT delivers its part of a product whose activities
    are held in several sites). Progress counts the shares delivered (seed §12)."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="deliveries")
    site = models.ForeignKey(
        "organization.Site", verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_on = models.DateField(_("delivered on"))
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    evidence_link = models.ForeignKey(
        "evidence.EvidenceLink", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["product", "site", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "site"], name="one_delivery_per_product_site"),
            models.UniqueConstraint(
                fields=["product"], condition=models.Q(site__isnull=True), name="one_whole_delivery_per_product"
            ),
        ]
        verbose_name = _("product delivery")

    def __str__(self) -> str:
        return f"{self.product_id} @ {self.site_id or 'all'}"

    @property
    def audit_site_id(self) -> int | None:
        return self.site_id


class BudgetTask(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="budget_tasks")
    title = models.CharField(_("task"), max_length=500)
    programmed_amount = models.DecimalField(
        _("programmed (S/)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    executed_amount = models.DecimalField(
        _("executed (S/)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    activities = models.ManyToManyField(Activity, verbose_name=_("activities"), blank=True, related_name="budget_tasks")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("budget task")

    def __str__(self) -> str:
        return self.title[:100]


class PlanVersion(models.Model):
    """An approved version of the plan, frozen: the snapshot keeps earlier versions readable."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField()
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approving_resolution = models.CharField(_("approving resolution"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number:02d}"


class PlanChangeEntry(models.Model):
    """Control de Cambios (§15): several dated rows may belong to one version."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="change_entries")
    version = models.PositiveSmallIntegerField(_("version"))
    date = models.DateField(_("date"), null=True, blank=True)
    justification = models.CharField(_("justification"), max_length=500)
    texts_modified = models.TextField(_("texts modified"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=150)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "version", "order", "pk"]

    def __str__(self) -> str:
        return f"v{self.version:02d} {self.justification[:40]}"


class ChangeRequest(models.Model):
    """§13: UPPM justifies → Comité del SIG reviews (in a session) → Dirección Ejecutiva
    approves or rejects → reported to the DGCGPS by oficio and to the units by memorando múltiple."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        COMMITTEE_REVIEWED = "committee_reviewed", _("Reviewed by the Committee")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="change_requests")
    reason = models.TextField(_("reason"))
    affected_sections = models.CharField(_("affected sections"), max_length=500, blank=True)
    affected_activities = models.ManyToManyField(Activity, verbose_name=_("affected activities"), blank=True)
    supporting_report = models.CharField(_("supporting informe"), max_length=200)
    # The proposed changes themselves (plans.changes): applied exactly as proposed on approval.
    changes = models.JSONField(_("proposed changes"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    committee_session = models.ForeignKey(
        "committee.Session",
        verbose_name=_("Committee session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_requests",
    )
    committee_opinion = models.TextField(_("Committee opinion"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    resolution = models.CharField(_("approving resolution (RDE)"), max_length=200, blank=True)
    oficio_dgcgps = models.CharField(_("oficio to the DGCGPS"), max_length=200, blank=True)
    memorando_multiple = models.CharField(_("memorando múltiple to the units"), max_length=200, blank=True)
    resulting_version = models.PositiveSmallIntegerField(_("resulting version"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "-proposed_at"]
        verbose_name = _("change request")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.reason[:60]}"

    @property
    def audit_site_id(self) -> int:
        return self.plan.owner_unit.site_id
