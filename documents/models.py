"""Document control (ISO 9001/37001/27001 clause 7.5; seed cover and §15).

Document → versions (01, 02…) → each version walks borrador → en revisión → (visado) →
en aprobación → aprobado → vigente → obsoleto, recording every step. Only one version is
vigente at a time; versions are never deleted. A vigente version has a controlled PDF and a
public verification code."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.models import Localized


class DocumentType(Localized, models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("Letter(s) used in document codes."))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    requires_approval = models.BooleanField(_("requires approval"), default=True)
    allow_self_approval = models.BooleanField(
        _("author may approve"),
        default=False,
        help_text=_("When off, whoever drafted a version can neither review nor approve it."),
    )
    default_review_months = models.PositiveSmallIntegerField(_("review period (months)"), default=24)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.localized("name")


class WorkflowRule(models.Model):
    """Who may take a workflow step for a document type, optionally only for one owner unit.
    Rules for the document's owner unit win over the type's general rules (unit empty)."""

    class Step(models.TextChoices):
        ELABORATE = "elaborate", _("Draft (elaborar)")
        REVIEW = "review", _("Review (revisar)")
        ENDORSE = "endorse", _("Endorse (visar)")
        APPROVE = "approve", _("Approve (aprobar)")
        PUBLISH = "publish", _("Publish (vigente)")

    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="rules")
    unit = models.ForeignKey("organization.OrgUnit", null=True, blank=True, on_delete=models.PROTECT)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document_type", "unit", "step", "role"], name="workflowrule_unique")
        ]
        verbose_name = _("workflow rule")

    def __str__(self) -> str:
        return f"{self.document_type.code} {self.step} {self.role}"


class CodeScheme(models.Model):
    """How document codes are built (one row). Placeholders: {entity}, {unit}, {type}, {number}."""

    pattern = models.CharField(_("pattern"), max_length=100, default="{entity}-{unit}-{type}-{number:03d}")

    def __str__(self) -> str:
        return self.pattern


class CodeSequence(models.Model):
    """Last number used per code prefix. Numbers only ever go up: a code is never reused."""

    prefix = models.CharField(max_length=100, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix} #{self.last_number}"


class Classification(models.TextChoices):
    """Publicity classification (Ley 27806)."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal use")
    RESTRICTED = "restricted", _("Restricted")
    CONFIDENTIAL = "confidential", _("Confidential")


class Document(models.Model):
    code = models.CharField(_("code"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    document_type = models.ForeignKey(DocumentType, verbose_name=_("type"), on_delete=models.PROTECT)
    owner_unit = models.ForeignKey(
        "organization.OrgUnit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="documents"
    )
    site = models.ForeignKey("organization.Site", on_delete=models.PROTECT, related_name="documents", editable=False)
    process = models.ForeignKey(
        "organization.Process", verbose_name=_("process"), null=True, blank=True, on_delete=models.PROTECT
    )
    systems = models.ManyToManyField("organization.ManagementSystem", verbose_name=_("management systems"), blank=True)
    requirements = models.ManyToManyField("catalog.Requirement", verbose_name=_("requirements served"), blank=True)
    classification = models.CharField(
        _("classification"), max_length=20, choices=Classification.choices, default=Classification.INTERNAL
    )
    is_external = models.BooleanField(_("external document"), default=False)
    external_issuer = models.CharField(_("issuer (external)"), max_length=200, blank=True)
    review_period_months = models.PositiveSmallIntegerField(_("review period (months)"), default=24)
    next_review_on = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    # Last day a review reminder went out (send_review_reminders): at most one per day.
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)
    distribution_units = models.ManyToManyField(
        "organization.OrgUnit",
        verbose_name=_("distributed to"),
        blank=True,
        related_name="distributed_documents",
        through="Distribution",
    )
    # Maintained by the services in the same transaction as the version changes.
    current_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    latest_version = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(_("status"), max_length=20, default="draft", db_index=True, editable=False)
    # A record issued by another area (an audit report…): its versions come from there
    # (services.register_issued_record), never from the approval flow of this app.
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    origin = GenericForeignKey("origin_type", "origin_id")
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["document_type", "status"]),
            models.Index(fields=["owner_unit", "status"]),
            models.Index(fields=["site", "status"]),
            # The master list filtered by status, in code order: read in order, no sort of every
            # matching row (issue 10: 15 ms → 0.04 ms for "vigente" at 20,000 documents).
            models.Index(fields=["status", "code"], name="document_status_code_idx"),
            # The home page's reviews due: counted from the index alone, listed in date order. The
            # site and classification the visibility rule reads are in it too, so a UT head's count
            # never reads the rows (issue 10: 62 → 2 ms at 200,000 documents).
            models.Index(
                fields=["next_review_on", "current_version", "code", "site", "classification"],
                name="document_review_due_cover_idx",
            ),
            # The master list filtered by type and status, in code order (no sort of every match).
            models.Index(fields=["document_type", "status", "code"], name="document_type_status_code_idx"),
            models.Index(fields=["origin_type", "origin_id"], name="document_origin_idx"),
            # A UT head's list (own UT's documents or others' vigente open ones: an OR no single
            # index serves): its capped count scans this small index instead of the wide table
            # rows (issue 10: 14 ms → 2.3 ms at 20,000 documents); the page still walks the code.
            models.Index(fields=["site", "classification", "current_version"], name="document_visibility_idx"),
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:document_detail", args=[self.pk])

    @property
    def audit_site_id(self) -> int:
        return self.site_id

    @property
    def is_issued_record(self) -> bool:
        return self.origin_type_id is not None


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    IN_ENDORSEMENT = "in_endorsement", _("In endorsement")
    IN_APPROVAL = "in_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    CURRENT = "current", _("Current (vigente)")
    OBSOLETE = "obsolete", _("Obsolete")


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    # Content: an uploaded file or text written in the app (Markdown).
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("file type"), max_length=10, blank=True)  # pdf, docx, xlsx
    file_size = models.PositiveIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    content = models.TextField(_("content (Markdown)"), blank=True)
    extracted_text = models.TextField(blank=True, editable=False)
    endorsing_units = models.ManyToManyField(
        "organization.OrgUnit", verbose_name=_("units that must endorse (visado)"), blank=True, related_name="+"
    )
    approval_instrument = models.CharField(_("approving instrument"), max_length=150, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    effective_on = models.DateField(_("in force since"), null=True, blank=True)
    obsolete_on = models.DateField(_("obsolete since"), null=True, blank=True)
    obsolete_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Controlled copy (set when the version becomes vigente).
    verification_code = models.CharField(max_length=7, unique=True, null=True, blank=True)
    controlled_pdf = models.FileField(upload_to="controlled/%Y/", blank=True)
    controlled_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The step the version waits for and who may take it (documents.waiting), stored by the
    # services at every transition so that "waiting for me" is a range scan of one index:
    # the step ("" when the version waits for nobody), the roles the type's rules allow for it
    # (space-separated, sorted), the document's site and code (for scoping and ordering without
    # a join) and the person barred from it (the drafter, where the type forbids self-approval).
    waiting_step = models.CharField(max_length=10, blank=True, default="", db_default="", editable=False)
    waiting_roles = models.CharField(max_length=200, blank=True, default="", db_default="", editable=False)
    waiting_site = models.ForeignKey(
        "organization.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )
    waiting_code = models.CharField(max_length=100, blank=True, default="", db_default="", editable=False)
    waiting_barred = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_document_number_unique"),
            models.UniqueConstraint(
                fields=["document"], condition=models.Q(status="current"), name="one_current_version_per_document"
            ),
        ]
        indexes = [
            # With effective_on: the home page picks a unit's unread versions in force from the
            # index alone, newest first (documents.hooks._pending).
            models.Index(fields=["status", "document", "effective_on"], name="version_status_effective_idx"),
            # "Waiting for me": by who may act, in list order; every column the selection reads is
            # in the index (documents.waiting.awaiting). Not a partial index: Django binds the
            # values as parameters, and SQLite only uses a partial index whose condition the
            # query's literal text implies (a bound '' made it scan 600,000 rows). The id is
            # included for PostgreSQL, whose indexes do not carry the key (SQLite's carry the
            # rowid): the selection is then an index-only scan there too (17.8 → 4 ms for the
            # coordinator's 11,651 waiting versions at 600,000).
            models.Index(
                fields=["waiting_roles", "waiting_site", "waiting_code", "number", "waiting_barred"],
                include=["id"],
                name="version_waiting_cover_idx",
            ),
        ]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")

    def __str__(self) -> str:
        return f"{self.document.code} v{self.label}"

    def get_absolute_url(self) -> str:
        return reverse("documents:version_detail", args=[self.document_id, self.number])

    @property
    def label(self) -> str:
        return f"{self.number:02d}"

    @property
    def audit_site_id(self) -> int:
        return self.document.site_id

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class ChangeEntry(models.Model):
    """A row of the Control de Cambios table. A version may carry several dated rows (seed §15)."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="changes")
    date = models.DateField(_("date"), null=True, blank=True)
    justification = models.CharField(_("justification"), max_length=500)
    texts_modified = models.TextField(_("texts modified"), blank=True)
    supporting_reference = models.CharField(_("supporting document"), max_length=200, blank=True)
    responsible = models.CharField(_("responsible"), max_length=150)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("change-control entry")

    def __str__(self) -> str:
        return f"{self.version} {self.justification[:40]}"


class WorkflowStep(models.Model):
    """One recorded action on a version: who, in which position, when, and the comment."""

    class Action(models.TextChoices):
        ELABORATED = "elaborated", _("Drafted (elaborado)")
        REVIEWED = "reviewed", _("Reviewed (revisado)")
        ENDORSED = "endorsed", _("Endorsed (visado)")
        APPROVED = "approved", _("Approved (aprobado)")
        PUBLISHED = "published", _("Published (vigente)")
        REJECTED = "rejected", _("Returned to draft")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.ForeignKey("organization.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("date"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["version", "at", "pk"]
        verbose_name = _("workflow step")

    def __str__(self) -> str:
        return f"{self.version} {self.action} {self.person_name}"


class Distribution(models.Model):
    """A document distributed to a unit (Document.distribution_units). It carries the document's
    version in force and the day it took effect, kept by services._refresh_document in the same
    transaction as the version changes: a unit's versions to read and confirm are then read newest
    first off one index and the walk stops after a page, instead of sorting every distributed
    document's version in force (issue 10: 2,310 per unit at 200,000 documents)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE)
    orgunit = models.ForeignKey("organization.OrgUnit", on_delete=models.CASCADE)
    current_version = models.ForeignKey(
        "DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="distribution_rows",
        db_index=False,
    )
    effective_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "documents_document_distribution_units"  # the table the plain many-to-many had
        unique_together = [("document", "orgunit")]
        indexes = [
            models.Index(fields=["orgunit", "-effective_on", "current_version"], name="distribution_reading_idx")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.orgunit_id}"


class ReadConfirmation(models.Model):
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="read_once_per_version")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.version_id}"
